import Foundation
import Testing

/// A send-back is a decision: the queue and `concord adjudicate` say so ("sent back to …")
/// until the raters named answer again, instead of calling the item open in the next
/// session as if nothing had been decided.
@Suite(.serialized, .tmuxLeftoverCheck) struct SentBackStatusTests {
    @Test(arguments: StoreKind.available)
    func theQueueNamesTheRatersStillToAnswer(_ kind: StoreKind) throws {
        let project = try AdjudicateTmuxTests.project(kind)
        try project.ok(["send-back", "a.mp4", "--raters", "alice,bob", "--note", "look at 2 s again"], as: "lena")
        let rows = try project.ok(["queue"], as: "lena").split(separator: "\n").map(String.init)
        #expect(rows.filter { $0.contains("a.mp4") }.allSatisfy { $0.contains("present (sent back to alice, bob)") })
        #expect(rows.filter { $0.contains("sent back") }.count == 1)
        let json = try project.ok(["queue", "--format", "json"], as: "lena")
        #expect(json.contains(#""clip": "a.mp4", "criterion": "present""#))
        #expect(json.contains(#""reopened": false, "sent_back_to": ["alice", "bob"]}"#))
        #expect(json.components(separatedBy: #""sent_back_to": null"#).count == 3)   // c.mp4 and b.mp4

        // alice answers again (a new revision of her severity): only bob is awaited.
        try writeFile(project.dir + "/alice.csv", "clip,rater,criterion,value\na.mp4,alice,severity,moderate\n")
        try project.ok(["label", "import", project.dir + "/alice.csv"])
        #expect(try project.ok(["queue"], as: "lena").contains("present (sent back to bob)"))
    }

    /// SQLite only: the workbench on PostgreSQL is AdjudicatePostgresTmuxTests'.
    @Test func adjudicateShowsAnEarlierSendBackAndStartsAtAnOpenEntry() throws {
        let project = try AdjudicateTmuxTests.project()
        // The queue is c.mp4, a.mp4, b.mp4; c.mp4 (the first) is sent back.
        try project.ok(["send-back", "c.mp4", "--raters", "bob"], as: "lena")
        let tui = try AdjudicateTmuxTests.adjudicate(project)
        let first = try tui.wait(for: "entry 2 of 3 with the clip") { $0.contains("entry 2 of 3") && $0.contains("frame 0/24") }
        #expect(first.contains("· a.mp4"))
        #expect(first.contains("Decision: open"))
        try tui.send("p")
        let sentBack = try tui.wait(for: "entry 1 of 3") { $0.contains("entry 1 of 3") && $0.contains("· c.mp4") }
        #expect(sentBack.contains("Decision: sent back to bob"))
        #expect(!sentBack.contains("Decision: open"))
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
    }
}
