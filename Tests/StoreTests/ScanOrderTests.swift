@testable import Store
import Agreement
import Testing

/// `CurrentLabelColumns.scanOrder` puts PostgreSQL's label rows in SQLite's scan order by
/// (clip, rater, criterion) rank: straight into place when the triples are dense, by a sort
/// when they are sparse or (never for label_current's keys, but checked) two rows share one.
@Suite struct ScanOrderTests {
    /// Rows 0..<n with the triples given, ordered; and the same rows sorted by their triple.
    static func both(_ triples: [(Int, Int, Int)], clips: Int, raters: Int, criteria: Int) -> (order: [Int], sorted: [Int]) {
        let rows = Array(triples.indices)
        let order = CurrentLabelColumns.scanOrder(rows: rows, clips: clips, raters: raters, criteria: criteria) { triples[$0] }
        let sorted = rows.sorted { triples[$0] < triples[$1] }
        return (order, sorted)
    }

    @Test func denseTriplesArePlacedInOrder() {
        // Every triple of 7 clips × 5 raters × 3 criteria but every eleventh, shuffled.
        var generator = SplitMix64(state: 7)
        var triples: [(Int, Int, Int)] = []
        for c in 0..<7 { for r in 0..<5 { for k in 0..<3 where (c * 15 + r * 3 + k) % 11 != 0 { triples.append((c, r, k)) } } }
        triples.shuffle(using: &generator)
        let (order, sorted) = Self.both(triples, clips: 7, raters: 5, criteria: 3)
        #expect(order == sorted)
        #expect(order.count == 105 - 10)
        let first = triples[order[0]]
        #expect([first.0, first.1, first.2] == [0, 0, 1])   // (0, 0, 0) is left out
    }

    @Test func sparseTriplesAreSorted() {
        // 3 rows among 100,000 clips × 1,000 raters × 4 criteria: far too many places to fill.
        let triples = [(99_999, 3, 1), (0, 999, 0), (0, 2, 3)]
        let (order, sorted) = Self.both(triples, clips: 100_000, raters: 1_000, criteria: 4)
        #expect(order == [2, 1, 0])
        #expect(order == sorted)
    }

    @Test func twoRowsOnOnePlaceFallBackToTheSort() {
        let triples = [(1, 0, 0), (0, 1, 0), (1, 0, 0), (0, 0, 1)]
        let order = CurrentLabelColumns.scanOrder(rows: [0, 1, 2, 3], clips: 2, raters: 2, criteria: 2) { triples[$0] }
        #expect(order.count == 4)
        #expect(Set(order) == [0, 1, 2, 3])
        #expect(order.map { triples[$0].0 } == [0, 0, 1, 1])
        #expect(Array(order.prefix(2)) == [3, 1])
    }
}
