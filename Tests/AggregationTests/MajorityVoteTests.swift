import Testing
@testable import Aggregation

/// Majority vote on a table small enough to count by hand.
@Suite struct MajorityVoteTests {
    /// Items a, b, c; raters r1–r3; options no, yes.
    ///   a: yes yes no  → yes, posterior (1/3, 2/3)
    ///   b: no  yes     → tie (no, yes), posterior (1/2, 1/2)
    ///   c: no  no  no  → no, posterior (1, 0)
    /// Accuracy against the consensus, ties left out: r1 (a yes ✓, b no –, c no ✓) = 2/2;
    /// r2 (a yes ✓, b yes –, c no ✓) = 2/2; r3 (a no ✗, c no ✓) = 1/2.
    static func data() throws -> LabelData {
        try LabelData(itemNames: ["a", "b", "c"], raterNames: ["r1", "r2", "r3"], classNames: ["no", "yes"],
                      item: [0, 0, 0, 1, 1, 2, 2, 2], rater: [0, 1, 2, 0, 1, 0, 1, 2], label: [1, 1, 0, 0, 1, 0, 0, 0])
    }

    @Test func votesSharesAndTies() throws {
        guard case .aggregated(let result) = Aggregation.aggregate(try Self.data(), method: .mv) else {
            Issue.record("mv gave no result"); return
        }
        #expect(result.items.map(\.label) == [1, nil, 0])
        #expect(result.items[1].tiedLabels == [0, 1])
        #expect(result.items[0].posterior == [1.0 / 3, 2.0 / 3])
        #expect(result.items[1].posterior == [0.5, 0.5])
        #expect(result.items.map(\.n) == [3, 2, 3])
        #expect(result.raters.map(\.accuracy) == [1, 1, 0.5])
        #expect(result.raters.map(\.n) == [3, 3, 2])
        #expect(result.iterations == nil)
    }

    @Test func badShapesAreRefusedWithAReason() {
        #expect(throws: LabelData.ShapeError(description: "rater r1 labelled item a twice")) {
            try LabelData(itemNames: ["a"], raterNames: ["r1"], classNames: ["x"], item: [0, 0], rater: [0, 0], label: [0, 0])
        }
        #expect(throws: LabelData.ShapeError(description: "label 0: option 2 is out of range")) {
            try LabelData(itemNames: ["a"], raterNames: ["r1"], classNames: ["x", "y"], item: [0], rater: [0], label: [2])
        }
    }

    @Test func noLabelsIsUndefined() throws {
        let empty = try LabelData(itemNames: [], raterNames: [], classNames: ["x"], item: [], rater: [], label: [])
        #expect(Aggregation.aggregate(empty, method: .ds) == .undefined(reason: "there are no labels to aggregate"))
    }
}
