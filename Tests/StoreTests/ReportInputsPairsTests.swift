import Foundation
import Rubric
import Store
import Testing

/// The report's one read (docs/reports.md): for a pairwise batch it holds each pairwise
/// criterion's answers exactly as `comparisons(batch:criterion:)` reads them, in the same
/// snapshot as the labels; a batch of single clips reads none — on both stores.
@Suite struct ReportInputsPairsTests {
    typealias P = PairsStoreTests

    @Test(arguments: StoreKind.all)
    func thePairwiseAnswersAreReadWithTheLabels(kind: StoreKind) throws {
        let project = try P.project(kind)
        let lee = try project.session("lee")
        _ = try lee.addPairs([PairRequest(a: "p1.mp4", b: "p2.mp4"), PairRequest(a: "p3.mp4", b: "p4.mp4"),
                              PairRequest(a: "p1.mp4", b: "p3.mp4")], batch: "pb", rubric: nil)
        _ = try lee.assign(batch: "pb", raters: ["alice", "bob"], overlap: nil, goldRate: nil)
        let answers: [String: [String]] = ["alice": ["a", "tie", "b"], "bob": ["b", "a", ""]]
        for rater in ["alice", "bob"] {
            let session = try project.session(rater)
            for (k, entry) in try session.ratingQueue(batch: "pb").entries.enumerated() where !answers[rater]![k].isEmpty {
                _ = try session.submitItem(ItemSubmission(item: entry.item, answers: ["better": answers[rater]![k], "notes": "n"],
                                                          frame: 3, pts: 0.12, dwellMs: 1000 + k, watchedShare: 1))
            }
        }
        let inputs = try lee.reportInputs(batch: "pb")
        let read = try lee.comparisons(batch: "pb", criterion: "better")
        #expect(inputs.comparisons == ["better": read])
        #expect(read.value == ["a", "b", "tie", "a", "b"])
        // The labels of the same snapshot: one current "better" label per answer.
        #expect(inputs.labels.criterion.filter { $0 == "better" }.count == read.value.count)
        // An auditor's report reads the same answers (it numbers the clips when it shows them).
        #expect(try project.session("aud").reportInputs(batch: "pb").comparisons == ["better": read])
        // A batch of single clips has no pairwise criterion: nothing is read.
        #expect(try lee.reportInputs(batch: "b").comparisons.isEmpty)
    }
}
