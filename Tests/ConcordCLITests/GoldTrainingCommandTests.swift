import Foundation
import Testing

/// `gold add --training` marks a training item (shown by `rate --training`, never counted),
/// as an audited, append-only row; other gold questions stay blind.
@Suite struct GoldTrainingCommandTests {
    @Test(arguments: StoreKind.available)
    func aTrainingItemIsMarkedAndLeftOutOfAccuracy(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        #expect(try project.ok(["gold", "add", "a.mp4", "--criterion", "present", "--value", "yes", "--training"], as: "lena")
                == "item 1 present: gold answer 'yes' (a training item: shown in rate --training, never counted)\n")
        #expect(try project.ok(["gold", "add", "b.mp4", "--criterion", "present", "--value", "no"], as: "lena")
                == "item 2 present: gold answer 'no'\n")
        #expect(try project.sql("SELECT item_id FROM training_item;") == "1\n")
        let gold = try project.ok(["agreement", "--batch", "b1", "--by", "gold", "--format", "json"])
        let rows = try #require(try CLI.json(gold)["raters"] as? [[String: Any]])
        // Only b.mp4 counts: alice, bob and the model m1 said no (right). a.mp4's answers
        // (alice, lena and m1 yes; bob no) are not counted, so lena has none.
        #expect(rows.map { "\($0["rater"]!) \($0["correct"]!)/\($0["answered"]!)" } == ["alice 1/1", "bob 1/1", "m1 1/1"])
        #expect(try project.run(["audit", "verify"]).status == 0)
    }
}
