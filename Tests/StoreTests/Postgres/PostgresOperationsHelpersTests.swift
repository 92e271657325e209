import Foundation
import PostgresClient
import PostgresTestSupport
import Rubric
@testable import Store
import Testing

/// The SQL helpers the write functions share say what their Swift originals say, on the
/// awkward inputs: Clock.canonical, a numeric criterion's canonicalAnswer and problem(with:),
/// StoredText.problem, printableText and trimming.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresOperationsHelpersTests {
    /// `concord.<function>($1)` for each input, as the superuser (the helpers are the owner's).
    static func each(_ project: InstalledProject, _ function: String, _ inputs: [String]) throws -> [String?] {
        let connection = try project.connect()
        return try inputs.map { try connection.execute("SELECT concord.\(function)($1)::text", [$0]).rows[0][0] }
    }

    @Test func helpersAgreeWithTheirSwiftOriginals() throws {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster)
            let dates = ["2026-11-24T13:05:12Z", "2026-11-24T13:05:12.5+01:00", "2026-11-24 13:05", "2026-02-30T23:59:60.9999-00:30",
                         "2026-11-24", "2026-11-24T13:05Z", "2026-13-01", "2026-11-24T24:00", "2026-11-24Z", "24/11/2026",
                         "2026-11-24T13:05:12.Z", "2026-11-24T13:05:12+1:00", "２０２６-11-24", "0001-01-01T00:00:00Z", "",
                         "2025-02-29", "2024-02-29T12:00:00Z", "1900-02-29", "2000-02-29", "2026-04-31", "2026-06-30T23:59:60Z", "2026-01-00"]
            #expect(try Self.each(project, "op_clock_canonical", dates) == dates.map(Clock.canonical))
            #expect(dates.filter { Clock.canonical($0) != nil }.count == 9)

            let rubric = try Rubric.parse("""
                name: n
                criteria:
                  - id: x
                    question: x
                    scale: interval
                    range: [-1e16, 1e16]
                    step: 0.1
                """, file: "n.yaml")
            let criterion = rubric.criteria[0]
            let numbers = ["1.50", "07", "-0", "+3e2", ".5", "5.", "1e-05", "0.0001", "123456789012345.6", "1000000000000000.5", "9007199254740993",
                           "1e15", "1e16", "2e16", "0.30000000000000004", "1e999", "1e-999", "0x10", "1.2.3", "", " 1", "1e", "-.5e-3", "0e5000"]
            let connection = try project.connect()
            for number in numbers {
                let canonical = try connection.execute("SELECT concord.op_canonical_answer('interval', $1)", [number]).rows[0][0]
                #expect(canonical == criterion.canonicalAnswer(number), "\(number)")
                let problem = try connection.execute("SELECT concord.op_value_problem('interval', NULL, -1e16, 1e16, 0.1, $1)", [number]).rows[0][0]
                #expect(problem == criterion.problem(with: number), "\(number)")
            }

            let texts = ["plain", "tab\tand\nline", "esc\u{1B}[2J", "bell\u{7}", "\u{1}start", "cr\r", "vt\u{B}ff\u{C}", "ünï\u{1F}",
                         "back\\slash", "\u{85}c1 \u{202E}rtl \u{200B}zw \u{2028}ls", "émoji 🎬", String(repeating: "é", count: 90)]
            #expect(try Self.each(project, "op_stored_text_problem", texts) == texts.map(StoredText.problem))
            #expect(try Self.each(project, "op_printable", texts) == texts.map { printableText($0) })
            #expect(try Self.each(project, "quoted", texts) == texts.map { quoted($0) })
            let spaced = ["  a  ", "\t\n a b \r\n", "\u{A0}\u{3000}x\u{2028}", "\u{85}y\u{85}", " \n ", "", "\u{200B}z"]
            #expect(try Self.each(project, "op_trimmed", spaced) == spaced.map { ProjectSession.trimmed($0) })
        }
    }
}
