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
}
