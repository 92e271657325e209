import Rubric
import Testing

/// `display:` on a criterion (docs/rubrics.md, "Display"): which displays an answer may be
/// given on. Read in any order, stored in one order; bad lists refused at their position.
@Suite struct DisplayRequirementTests {
    static func yaml(_ display: String) -> String {
        """
        name: banding
        criteria:
          - id: banding
            question: Any banding?
            scale: nominal
            options: ["yes", "no"]
            display: \(display)
          - id: notes
            question: Notes
            scale: text
        """
    }

    @Test func aListIsReadIntoDisplayOrderAndWrittenOnlyWhenSet() throws {
        let rubric = try rubric(Self.yaml("[player, kitty, sixel]"))
        let banding = rubric.criteria[0]
        #expect(banding.display == [.kitty, .sixel, .player])
        #expect(banding.allows(.kitty) && banding.allows(.player))
        #expect(!banding.allows(.blocks) && !banding.allows(.ascii))
        // A criterion without the key allows every display, and its JSON has no key.
        #expect(rubric.criteria[1].display == [])
        #expect(Display.allCases.allSatisfy { rubric.criteria[1].allows($0) })
        #expect(rubric.canonicalJSON.contains(#""display":["kitty","sixel","player"],"id":"banding""#))
        #expect(rubric.canonicalJSON.components(separatedBy: "\"display\"").count == 2)
    }

    @Test func theFileOrderDoesNotMakeANewVersionButTheSetDoes() throws {
        let a = try rubric(Self.yaml("[kitty, sixel]"))
        let b = try rubric(Self.yaml("\n      - sixel\n      - kitty"))
        let c = try rubric(Self.yaml("[kitty]"))
        let none = try rubric(Self.yaml("[kitty]").replacingOccurrences(of: "    display: [kitty]\n", with: ""))
        #expect(a.contentHash == b.contentHash)
        #expect(a.contentHash != c.contentHash)
        #expect(none.criteria[0].display == [])
        #expect(c.contentHash != none.contentHash)
        // One display may be written without brackets.
        #expect(try rubric(Self.yaml("kitty")).contentHash == c.contentHash)
    }

    @Test func theStoredJSONReadsBackTheSame() throws {
        let a = try rubric(Self.yaml("[sixel, player]"))
        let back = try Rubric.fromCanonicalJSON(a.canonicalJSON)
        #expect(back.criteria[0].display == [.sixel, .player])
        #expect(back.contentHash == a.contentHash)
    }

    @Test func badListsAreRefusedWhereTheyAre() {
        #expect(problems(Self.yaml("[kitty, hdr]")) == [
            "r.yaml:7:22: display must be one of kitty, sixel, blocks, ascii, player; found 'hdr'",
        ])
        #expect(problems(Self.yaml("[sixel, kitty, sixel]")) == [
            "r.yaml:7:29: display lists sixel twice",
        ])
        #expect(problems(Self.yaml("[]")) == [
            "r.yaml:7:14: display must list at least one of kitty, sixel, blocks, ascii, player; leave it out to allow any display",
        ])
        #expect(problems(Self.yaml("{kitty: true}")) == [
            "r.yaml:7:14: display must be a list of kitty, sixel, blocks, ascii, player; found a mapping",
        ])
    }
}
