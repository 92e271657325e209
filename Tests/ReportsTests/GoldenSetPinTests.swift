import Foundation
import Reports
import Testing

/// A golden-set line and version, pinned byte for byte before concord's JSON writers became
/// one (issue 15). The version is a hash of the canonical lines (docs/adjudication.md), so
/// an unchanged golden set must keep the version consumers cite. The rationale holds what
/// the canonical spelling keeps as it is (DEL, a C1 control, a bidi control, text beyond
/// ASCII) next to what it escapes (a quote, a backslash, a tab, a line break).
@Suite struct GoldenSetPinTests {
    @Test func aLineAndItsVersionAreSpelledAsBefore() throws {
        var c = GoldenSetVersionTests.Case()
        c.note = "seen \"twice\" \\ at\t0:01\nDEL\u{7F} C1\u{85} bidi\u{202E} é ✓"
        let golden = try GoldenSetVersionTests.golden(c)
        let hash = try #require(golden.entries.first).rubricHash
        #expect(hash == "313c79dba1e8d0d22522c7fcdd8954dfbf559d1b4aa83cfed4f6e766b99abdb5")
        #expect(golden.entries.map(\.canonicalLine) == [
            #"""
            {"adjudicator":"lee","clip":"c1.mp4","clip_sha256":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","criterion":"present","item":1,"rationale":"seen \"twice\" \\ at\t0:01\nDEL\#u{7F} C1\#u{85} bidi\#u{202E} é ✓","reason":"rater_error","rubric_hash":"313c79dba1e8d0d22522c7fcdd8954dfbf559d1b4aa83cfed4f6e766b99abdb5","source":"adjudicated","value":"yes","votes":[{"rater":"alice","value":"yes"},{"rater":"bob","value":"no"}]}
            """#,
        ])
        #expect(golden.version == "2ca25261b6e06e1ea0db7d48208a7aa3184337f0577d18953562c96ac3bde4ba")
    }
}
