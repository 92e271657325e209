import Agreement
import Foundation
import Reports
import Store
import Testing

/// The adjudication queue's tie-breaks (docs/adjudication.md, "Order"): after priority and
/// alpha gain, the item's position in the batch, then the rubric's criterion order — pinned
/// here on crafted labels, not only on a tmux screen.
@Suite struct QueueOrderTests {
    /// Flagged unanimous items: every entry has priority 0 and no alpha gain (one category
    /// only), so only the tie-breaks order them. Flagged i3 before i1, still i1 comes first;
    /// and within an item kind (the rubric's first criterion) before risk.
    @Test func equalEntriesFollowBatchPositionThenCriterionOrder() throws {
        let same: [String: [String: String]] = ["ann": ["kind": "car", "risk": "low"], "ben": ["kind": "car", "risk": "low"]]
        let (store, lead) = try AdjudicationTests.project(["i1": same, "i2": same, "i3": same])
        let ann = try store.session(login: "admin", actingAs: "ann")
        try ann.markItem(try lead.item("i3.mp4", batch: "b"), kind: .flag, note: "check")
        try ann.markItem(try lead.item("i1.mp4", batch: "b"), kind: .flag, note: "check")
        let queue = try AdjudicationQueue(lead.adjudicationContext(batch: "b"))
        #expect(queue.entries.allSatisfy { $0.priority == 0 && $0.alphaGain == nil })
        #expect(AdjudicationTests.keys(queue) == ["i1.mp4:kind", "i1.mp4:risk", "i3.mp4:kind", "i3.mp4:risk"])
    }

    /// Two items with the same votes on a criterion tie on priority and on alpha gain
    /// (leaving either out leaves the same data): the earlier item in the batch comes first.
    /// The entry with the larger priority comes before both.
    @Test func identicalDisagreementsFollowBatchPosition() throws {
        let (_, lead) = try AdjudicationTests.project([
            "i1": ["ann": ["kind": "car"], "ben": ["kind": "car"], "cat": ["kind": "car"]],
            "i2": ["ann": ["kind": "car"], "ben": ["kind": "truck"], "cat": ["kind": "car"]],
            "i3": ["ann": ["kind": "bike"], "ben": ["kind": "bike"], "cat": ["kind": "bike"]],
            "i4": ["ann": ["kind": "car"], "ben": ["kind": "truck"], "cat": ["kind": "car"]],
            "i5": ["ann": ["kind": "car"], "ben": ["kind": "truck"], "cat": ["kind": "bike"]],
        ])
        let queue = try AdjudicationQueue(lead.adjudicationContext(batch: "b"))
        #expect(AdjudicationTests.keys(queue) == ["i5.mp4:kind", "i2.mp4:kind", "i4.mp4:kind"])
        let (i2, i4) = (queue.entries[1], queue.entries[2])
        #expect(i2.priority == i4.priority && i2.alphaGain == i4.alphaGain && i2.alphaGain != nil)
        // Three different kinds (modal share 1/3) outrank two (2/3): magnitude 2/3 against 1/3.
        #expect(queue.entries[0].magnitude == 1 - 1.0 / 3 && i2.magnitude == 1 - 2.0 / 3)
    }
}
