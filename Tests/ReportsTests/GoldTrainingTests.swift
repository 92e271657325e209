import Foundation
import Reports
import Rubric
import Store
import Testing

/// Training mode cannot un-blind gold: it shows gold answers only for items a lead marked
/// as training, which never count toward accuracy, and every gold question counts a
/// rater's first submitted answer only — a revision (say, after seeing the answer) is
/// marked and never improves accuracy. (`rate --training` then `u` once took a rater's
/// gold accuracy to 1.000.)
@Suite struct GoldTrainingTests {
    /// Items 1–3, raters alice and bob on all; gold: item 1 present=yes (counts), item 2
    /// present=no (training); item 3 is no gold question.
    static func project() throws -> (ProjectStore, ProjectSession) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("training-\(UUID().uuidString).db").path
        let store = try ProjectStore.create(path: path, name: "t", admin: "admin")
        let admin = try store.session(login: "admin")
        _ = try admin.addRubric(try Rubric.parse("name: g\ncriteria:\n  - id: present\n    question: Is it?\n    scale: nominal\n    options: [\"yes\", \"no\"]\n",
                                                 file: "g.yaml"), sourcePath: "g.yaml")
        for (name, role) in [("alice", Role.rater), ("bob", .rater), ("lee", .lead)] { try admin.addRater(name, role: role) }
        _ = try admin.addClips((1...3).map { i in
            ClipFacts(path: "/clips/c\(i).mp4", name: "c\(i).mp4", sha256: String(repeating: "\(i)", count: 64), sizeBytes: 1,
                      codec: "h264", duration: 1, frameRate: 25, frameCount: 25, width: 64, height: 48, rotation: 0)
        }, batch: "b", rubric: "g")
        _ = try admin.assign(batch: "b", raters: ["alice", "bob"], overlap: nil, goldRate: nil)
        let lee = try store.session(login: "admin", actingAs: "lee")
        try lee.addGold(item: 1, criterion: "present", value: "yes")
        try lee.addGold(item: 2, criterion: "present", value: "no", training: true)
        return (store, lee)
    }

    static func submit(_ session: ProjectSession, _ item: Int64, _ value: String) throws {
        try session.submitItem(ItemSubmission(item: item, answers: ["present": value], frame: 0, pts: 0, dwellMs: 500, watchedShare: 1))
    }

    @Test func trainingShowsOnlyTrainingItemsAndOnlyFirstAnswersCount() throws {
        let (store, lee) = try Self.project()
        let alice = try store.session(login: "admin", actingAs: "alice")
        let bob = try store.session(login: "admin", actingAs: "bob")
        #expect(try alice.goldFeedback(item: 2) == [:])                       // not before submitting
        try Self.submit(alice, 1, "no")                                       // wrong
        try Self.submit(alice, 2, "yes")
        try Self.submit(bob, 1, "yes")                                        // right
        #expect(try alice.goldFeedback(item: 1) == [:])                       // a counted gold question: never shown
        #expect(try alice.goldFeedback(item: 2) == ["present": "no"])         // a training item: shown after the submit
        // alice reopens both and changes her answers to the gold ones.
        try Self.submit(alice, 1, "yes")
        try Self.submit(alice, 2, "no")

        let fromContext = GoldAccuracy(try lee.adjudicationContext(batch: "b"))
        let gold = try lee.goldAnswers(batch: "b")
        let fromReads = GoldAccuracy(labels: try lee.labelsForAgreement(batch: "b"), gold: gold.answers, threshold: gold.threshold)
        for accuracy in [fromContext, fromReads] {
            #expect(accuracy.goldQuestions == 1 && accuracy.trainingQuestions == 1)
            #expect(accuracy.rows.map { "\($0.rater) \($0.answered) \($0.correct) \($0.revised) \($0.accuracy!)" }
                    == ["alice 1 0 1 0.0", "bob 1 1 0 1.0"])
        }
        #expect(gold.answers.map { "\($0.item) \($0.training) \($0.responses.map { "\($0.rater)=\($0.value)\($0.revised ? "*" : "")" })" }
                == ["1 false [\"alice=no*\", \"bob=yes\"]", "2 true [\"alice=yes*\"]"])
        #expect(try lee.verifyAudit().intact)
    }
}
