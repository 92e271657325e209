import Foundation
import Reports
import Rubric
import Store
import Testing

/// The rules over a batch as the Store reads it (`QualityRules.evaluate(labels:viewing:criterion:)`):
/// the watched share and time of each rater's latest workbench submission against the
/// clip's probed duration, ordinal options as their numbers, models left out.
@Suite struct QualityRulesBatchTests {
    @Test func viewingRulesFromWorkbenchSubmissions() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("quality-\(UUID().uuidString).db").path
        let store = try ProjectStore.create(path: path, name: "t", admin: "admin")
        let admin = try store.session(login: "admin")
        _ = try admin.addRubric(try Rubric.parse("name: acr\ncriteria:\n  - id: quality\n    question: Quality?\n    scale: ordinal\n    options: [\"1\", \"2\", \"3\", \"4\", \"5\"]\n",
                                                 file: "acr.yaml"), sourcePath: "acr.yaml")
        for (name, role) in [("alice", Role.rater), ("bob", .rater), ("m", .model), ("lee", .lead)] { try admin.addRater(name, role: role) }
        _ = try admin.addClips((1...3).map { i in
            ClipFacts(path: "/clips/c\(i).mp4", name: "c\(i).mp4", sha256: String(repeating: "\(i)", count: 64), sizeBytes: 1,
                      codec: "h264", duration: 2, frameRate: 25, frameCount: 50, width: 64, height: 48, rotation: 0)
        }, batch: "b", rubric: "acr")
        _ = try admin.assign(batch: "b", raters: ["alice", "bob"], overlap: nil, goldRate: nil)
        func submit(_ who: String, _ item: Int64, _ score: String, share: Double, dwell: Int) throws {
            _ = try store.session(login: "admin", actingAs: who)
                .submitItem(ItemSubmission(item: item, answers: ["quality": score], frame: 0, pts: 0, dwellMs: dwell, watchedShare: share))
        }
        try submit("alice", 1, "3", share: 0.5, dwell: 1_000)
        try submit("alice", 1, "3", share: 1, dwell: 500)          // the latest visit counts: watched, in time
        try submit("alice", 2, "4", share: 1, dwell: 7_000)        // 7 s on a 2 s clip: 3.5× > 3×
        try submit("alice", 3, "2", share: 0.9, dwell: 6_000)      // 6 s is exactly 3×: allowed; 90% seen is not
        try submit("bob", 1, "5", share: 1, dwell: 2_000)
        _ = try admin.importLabels([LabelImportRow(line: 2, clip: "c1.mp4", rater: "m", criterion: "quality", value: "1")],
                                   file: "m.csv", fileSHA256: String(repeating: "c", count: 64), batch: "b")
        let lee = try store.session(login: "admin", actingAs: "lee")
        let labels = try lee.labelsForAgreement(batch: "b")
        let criterion = try BatchScores.criterion(in: labels.rubric, named: nil)
        let input = try QualityRules.input(labels: labels, viewing: try lee.viewing(batch: "b"), criterion: criterion)
        #expect(input.clips == [QualityInput.Clip(name: "c1.mp4", duration: 2), QualityInput.Clip(name: "c2.mp4", duration: 2),
                                QualityInput.Clip(name: "c3.mp4", duration: 2)])
        #expect(Set(input.raters) == ["alice", "bob"])
        #expect(input.ratings.map(\.score).sorted() == [2, 3, 4, 5])
        let result = try QualityRules.evaluate(labels: labels, viewing: try lee.viewing(batch: "b"), criterion: criterion)
        #expect(result.map(\.rater) == ["alice", "bob"])
        #expect(result[0].violations == [
            QualityViolation(rule: .watchedToEnd, clip: "c3.mp4", value: 0.9, threshold: 1, detail: "90% seen"),
            QualityViolation(rule: .viewingTime, clip: "c2.mp4", value: 3.5, threshold: 3, detail: "7.0 s on a 2.0 s clip (3.5×)"),
        ])
        #expect(result[0].ratings == 3 && result[1].ratings == 1 && result[1].isClean)
        #expect(result[0].reason == "quality: 1 clip not watched to the end, 1 clip viewed over the time limit")
        // Rendered for status: the counts table and the examples.
        let text = QualityRules.text(criterion: "quality", results: result, thresholds: QualityThresholds())
        #expect(text.contains("  alice · not watched to the end: c3.mp4 90% seen\n  alice · viewing time too long: c2.mp4 7.0 s on a 2.0 s clip (3.5×)\n"))
        let json = QualityRules.json(criterion: "quality", results: result, thresholds: QualityThresholds())
        #expect(json.contains(#"{"rule": "viewing_time", "clip": "c2.mp4", "value": 3.5, "threshold": 3.0, "detail": "7.0 s on a 2.0 s clip (3.5×)"}"#))
    }
}
