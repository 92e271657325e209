import struct Agreement.SplitMix64
import Foundation
import Rubric
import Testing

/// `fromCanonicalJSON` reads JSON with the YAML parser; awkward text must survive the trip
/// exactly. Seeded, so a failure names a reproducible case.
@Suite struct RoundTripTests {
    /// Characters that mean something to YAML or JSON, plus non-ASCII and whitespace.
    static let alphabet: [Character] = Array(#"aZ09 -_:#{}[],&*!|>'"%@`\/?=~é漢🎬"#) + ["\t", "\n", "\u{A0}"]

    static func text(_ rng: inout SplitMix64, length: Int) -> String {
        String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
    }

    /// `text` as a YAML double-quoted scalar, so any character can be written.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    @Test(arguments: 0..<25)
    func awkwardTextSurvivesTheCanonicalJSONRoundTrip(seed: UInt64) throws {
        var rng = SplitMix64(state: seed)
        // Option values are single-line without edge blanks, and distinct.
        var values: [String] = []
        while values.count < 3 {
            let value = Self.text(&rng, length: 1 + Int(rng.next() % 12))
                .replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: "\t", with: "")
                .trimmingCharacters(in: .whitespaces)
            if !value.isEmpty && !values.contains(value) { values.append(value) }
        }
        let title = Self.text(&rng, length: 30), help = Self.text(&rng, length: 60)
        let options = values.map { "{value: \(Self.quoted($0)), label: \(Self.quoted(Self.text(&rng, length: 8) + "x"))}" }
        let yaml = """
            name: fuzz-\(seed)
            title: \(Self.quoted(title))
            criteria:
              - id: pick
                question: \(Self.quoted(help))
                scale: nominal
                options: [\(options.joined(separator: ", "))]
              - id: follow-up
                question: Q
                scale: text
                when: {pick: \(Self.quoted(values[1]))}
            """
        let original = try Rubric.parse(yaml, file: "seed \(seed)")
        #expect(original.criteria[0].options.map(\.value) == values)
        #expect(original.criteria[1].when == ["pick": [values[1]]])
        let restored = try Rubric.fromCanonicalJSON(original.canonicalJSON)
        #expect(restored == original)
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014), as in swift-argument-parser's roll example: a
/// tiny seeded generator so these tests do not depend on the platform's random source.
