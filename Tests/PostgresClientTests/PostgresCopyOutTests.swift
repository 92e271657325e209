import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

/// `copyOut`: `COPY … TO STDOUT` read row by row in place, the bulk read of a million labels.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresCopyOutTests {
    struct Stop: Error {}

    /// Every row arrives once, in the query's order, each field exactly as stored: escapes
    /// undone (tab, newline, backslash, a literal `\N`), NULL told from the text "\N",
    /// integers read as integers, and the count is the server's.
    @Test func everyRowArrivesInOrderWithItsFieldsExact() throws {
        try PostgresCluster.with { cluster in
            let db = try PostgresConnection(uri: cluster.uri())
            try db.execute("CREATE TABLE t (n bigint PRIMARY KEY, v text, d bigint)")
            let values = PostgresConnectionTests.oddValues + ["\\N", "\u{8}\u{C}\u{B}", "tab\tand\\t"]
            let rows: [[String?]] = (0..<50_000).map { n in
                [String(n - 25_000), values[n % values.count], n % 3 == 0 ? nil : String(Int64.max - Int64(n))]
            }
            try db.copyIn("COPY t (n, v, d) FROM STDIN", rows: rows)
            var read: [[String?]] = [], integers: [Int64?] = [], nulls = 0
            let count = try db.copyOut("COPY (SELECT n, v, d FROM t ORDER BY n DESC) TO STDOUT") { row in
                #expect(row.count == 3)
                read.append([row.string(0), row.string(1), row.string(2)])
                integers.append(row.int64(2))
                if row.isNull(1) { nulls += 1 }
            }
            #expect(count == 50_000)
            #expect(read == rows.reversed())
            #expect(integers == rows.reversed().map { $0[2].flatMap { Int64($0) } })
            #expect(nulls == rows.filter { $0[1] == nil }.count)
            #expect(nulls > 0)
        }
    }

    /// `withBytes` hands over the unescaped bytes, whether the field had escapes or not.
    @Test func withBytesGivesTheValuesBytes() throws {
        try PostgresCluster.with { cluster in
            let db = try PostgresConnection(uri: cluster.uri())
            var seen: [[UInt8]?] = []
            try db.copyOut(#"COPY (SELECT 'plain ✓' AS a, E'a\\b\tc' AS b, NULL::text AS c, '' AS d) TO STDOUT"#) { row in
                for field in 0..<row.count { seen.append(row.withBytes(field) { $0.map(Array.init) }) }
            }
            #expect(seen == [Array("plain ✓".utf8), Array("a\\b\tc".utf8), nil, []])
        }
    }

    /// A refused COPY throws the server's error; a body that throws stops the rows it sees,
    /// its error comes back, and the connection is usable afterwards.
    @Test func errorsComeBackAndLeaveTheConnectionUsable() throws {
        try PostgresCluster.with { cluster in
            let db = try PostgresConnection(uri: cluster.uri())
            let missing = #expect(throws: PostgresError.self) { try db.copyOut("COPY (SELECT * FROM missing) TO STDOUT") { _ in } }
            #expect(missing?.description == #"PostgreSQL refused the statement: relation "missing" does not exist [SQLSTATE 42P01]"#)
            // An error the server raises after it began sending rows.
            let late = #expect(throws: PostgresError.self) {
                try db.copyOut("COPY (SELECT 1 / (5000 - n) FROM generate_series(1, 10000) n) TO STDOUT") { _ in }
            }
            #expect(late?.description == "PostgreSQL refused the statement: division by zero [SQLSTATE 22012]")
            var calls = 0
            #expect(throws: Stop.self) {
                try db.copyOut("COPY (SELECT n FROM generate_series(1, 1000) n) TO STDOUT") { _ in
                    calls += 1
                    if calls == 10 { throw Stop() }
                }
            }
            #expect(calls == 10)
            #expect(try db.execute("SELECT $1::integer + 1", ["41"]).rows == [["42"]])
        }
    }

    /// A value passed with set_config in a transaction reaches the COPY's query, which is how
    /// a caller gives COPY (which takes no parameters) a value without writing it into SQL.
    @Test func aTransactionSettingCarriesAValueIntoTheQuery() throws {
        try PostgresCluster.with { cluster in
            let db = try PostgresConnection(uri: cluster.uri())
            var read: [String?] = []
            try db.transaction {
                try db.execute("SELECT set_config('concord.test', $1, true)", ["x'); DROP TABLE t; --"])
                try db.copyOut("COPY (SELECT current_setting('concord.test')) TO STDOUT") { read.append($0.string(0)) }
            }
            #expect(read == ["x'); DROP TABLE t; --"])
        }
    }
}
