import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

/// `copyIn(_:rows:fields:)`: rows of any type written field by field into the COPY, as the
/// label import sends a million rows without an array of Strings per row.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresCopyFieldsTests {
    struct Row { var n: Int; var text: String?; var count: Int? }

    /// Integers (one digit, many, negative, the extremes) and texts (plain, escaped, odd)
    /// arrive exact, NULL stays NULL, and a NUL in any row cancels the whole COPY.
    @Test func fieldsArriveExactAndANULCancelsTheCopy() throws {
        try PostgresCluster.with { cluster in
            let db = try PostgresConnection(uri: cluster.uri())
            try db.execute("CREATE TABLE t (n bigint PRIMARY KEY, text text, count bigint)")
            let texts: [String?] = PostgresConnectionTests.oddValues + [nil, "\\N", "tab\there\r\nback\\slash", "é🎬", "", "plain"]
            let counts: [Int?] = [0, 7, 9, 10, -1, -10, 123_456, Int.max, Int.min, nil]
            let rows = (0..<20_000).map { n in Row(n: n - 10_000, text: texts[n % texts.count], count: counts[n % counts.count]) }
            let stored = try db.copyIn("COPY t (n, text, count) FROM STDIN", rows: rows) { row, fields in
                fields.append(row.n)
                fields.append(row.text)
                fields.append(row.count)
            }
            #expect(stored == 20_000)
            let read = try db.execute("SELECT n, text, count FROM t ORDER BY n").rows
            #expect(read == rows.map { [String($0.n), $0.text, $0.count.map(String.init)] })

            let nul = #expect(throws: PostgresError.self) {
                try db.copyIn("COPY t (n, text, count) FROM STDIN", rows: [Row(n: 20_000, text: "ok", count: 1), Row(n: 20_001, text: "a\u{0}b", count: 2)]) {
                    row, fields in
                    fields.append(row.n)
                    fields.append(row.text)
                    fields.append(row.count)
                }
            }
            #expect(nul?.description == "row 2, column 2 holds a NUL character, which PostgreSQL text cannot store; remove it")
            #expect(try db.execute("SELECT count(*) FROM t").rows == [["20000"]])
        }
    }

    struct Unreadable: Error, Equatable { let line: Int }

    /// `copyIn(_:produce:)`: rows made while the COPY runs are stored as made, across many
    /// 64 kB chunks; an error of the producer's, thrown after chunks went out, cancels the
    /// COPY (nothing stored) and is the one rethrown; a NUL stops the producer (`row` is
    /// false, `refusedNUL` true) and the COPY's own error says where.
    @Test func rowsMadeWhileTheCopyRunsAreStoredOrNoneAre() throws {
        try PostgresCluster.with { cluster in
            let db = try PostgresConnection(uri: cluster.uri())
            try db.execute("CREATE TABLE t (n bigint PRIMARY KEY, text text)")
            let stored = try db.copyIn("COPY t (n, text) FROM STDIN") { stream in
                for n in 0..<50_000 {
                    #expect(stream.row { $0.append(n); $0.append("row \(n)") })
                }
            }
            #expect(stored == 50_000)
            #expect(try db.execute("SELECT count(*), sum(n), max(text) FROM t").rows == [["50000", "1249975000", "row 9999"]])

            let thrown = #expect(throws: Unreadable.self) {
                try db.copyIn("COPY t (n, text) FROM STDIN") { stream in
                    for n in 50_000..<90_000 { _ = stream.row { $0.append(n); $0.append("more") } }
                    throw Unreadable(line: 40_002)
                }
            }
            #expect(thrown == Unreadable(line: 40_002))
            #expect(try db.execute("SELECT count(*) FROM t").rows == [["50000"]])

            var refused: (row: Bool, nul: Bool)?
            let nul = #expect(throws: PostgresError.self) {
                try db.copyIn("COPY t (n, text) FROM STDIN") { stream in
                    for n in 90_000..<95_000 { _ = stream.row { $0.append(n); $0.append("fine") } }
                    let taken = stream.row { $0.append(95_000); $0.append("a\u{0}b") }
                    refused = (taken, stream.refusedNUL)
                    if !taken { throw Unreadable(line: 0) }
                }
            }
            #expect(refused?.row == false && refused?.nul == true)
            #expect(nul?.description == "row 5001, column 2 holds a NUL character, which PostgreSQL text cannot store; remove it")
            #expect(try db.execute("SELECT count(*) FROM t").rows == [["50000"]])
        }
    }
}
