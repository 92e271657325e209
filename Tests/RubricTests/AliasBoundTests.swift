import Foundation
import Rubric
import Testing

/// Aliases repeat their anchor's whole value: a small file can stand for gigabytes. Past
/// 8 MB (or 16 times the file, when larger) of expanded text a rubric is refused at the
/// value where the expansion passed the limit, before validation touches the copies.
@Suite struct AliasBoundTests {
    static let limitMessage = "aliases expand this document past 16000000 bytes at this value (the limit is 8 MB or 16 times the file's size, whichever is larger); write the values out or use fewer aliases"

    @Test func aMegabyteScalarUnderTwoHundredAliasesIsRefusedAtItsAnchor() {
        // A 1 MB file that is 200 MB once expanded. A node's position is where its anchor
        // (`&n`) starts, and every alias's copy carries it.
        let scalar = String(repeating: "x", count: 999_000)
        let amplified = "name: &n \"" + scalar + "\"\nrefs:\n" + String(repeating: "  - *n\n", count: 200)
        let limit = 16 * amplified.utf8.count
        let expected = "r.yaml:1:7: " + Self.limitMessage.replacingOccurrences(of: "16000000", with: "\(limit)")
        #expect(problems(amplified) == [expected])
    }

    @Test func nestedAliasesAreMeasuredWithoutExpandingThem() {
        // "Billion laughs": each level is ten aliases of the one before; 3·10⁹ bytes expanded.
        var yaml = "l0: &l0 \"lol\"\n"
        for level in 1...9 {
            yaml += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        // Level 7 holds ten copies of level 6 (3·10⁶ bytes each): the third copy passes
        // 8 MB (8,388,608 bytes), and the copies carry level 6's position (line 7, its `&l6`).
        let column = "l6: ".count + 1
        let expected = "r.yaml:7:\(column): " + Self.limitMessage.replacingOccurrences(of: "16000000", with: "\(8 << 20)")
        #expect(problems(yaml) == [expected])
    }

    @Test func ordinaryAnchorsStillWork() throws {
        let r = try rubric("""
        name: shared
        criteria:
          - id: a
            question: First?
            scale: nominal
            options: &yn ["yes", "no"]
          - id: b
            question: Second?
            scale: nominal
            options: *yn
        """)
        #expect(r.criteria.map { $0.options.map(\.value) } == [["yes", "no"], ["yes", "no"]])
    }
}
