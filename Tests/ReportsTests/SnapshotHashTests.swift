@testable import Reports
import Agreement
import Rubric
@testable import Store
import Testing

/// The report's label snapshot digest is one definition — the SHA-256 of the lines
/// `item,rater,criterion,value`, sorted bytewise — computed two ways: by ranking items,
/// raters and criteria (no String per line) and, where that cannot decide the order, by
/// sorting the lines themselves. Both must give the same digest.
@Suite struct SnapshotHashTests {
    static let rubric = try! Rubric.parse("""
        name: r
        criteria:
          - id: a
            question: A?
            scale: nominal
            options: ["x", "y"]
        """, file: "r.yaml")

    /// Every (item, rater, criterion) of the given names once, in a shuffled order, with
    /// values drawn from `values`.
    static func labels(items: [Int64], raters: [String], criteria: [String], values: [String], seed: UInt64) -> BatchLabels {
        var generator = SplitMix64(state: seed)
        var rows: [(Int32, Int32, String, String)] = []
        for i in items.indices { for r in raters.indices { for c in criteria {
            rows.append((Int32(i), Int32(r), c, values[Int(generator.next() % UInt64(values.count))]))
        } } }
        rows.shuffle(using: &generator)
        return BatchLabels(batch: "b", rubric: rubric, rubricHash: "h", items: items, clipNames: items.map { "c\($0)" },
                           raters: raters, roles: raters.map { _ in .rater }, itemIndex: rows.map(\.0), raterIndex: rows.map(\.1),
                           criterion: rows.map(\.2), value: rows.map(\.3), submittedAt: rows.map { _ in "t" },
                           dwellMs: rows.map { _ in -1 })
    }

    @Test func rankingGivesTheLineSortsDigest() throws {
        // Items whose decimal order is not their numeric order (9 < 10 < 100 by value, 10 <
        // 100 < 9 by bytes); names that sort differently by case, with a space (below the
        // comma), a multi-byte character, and one a prefix of another.
        let labels = Self.labels(items: [9, 10, 100, 1, 12], raters: ["bob", "Zoe", "a b", "a", "ab", "é", "alice"],
                                 criteria: ["quality", "q", "q-2", "Q"], values: ["1", "yes", "", "a,b", "x\ny"], seed: 3)
        let ranked = try #require(BatchReport.rankedSnapshotHash(labels))
        #expect(ranked == BatchReport.lineSnapshotHash(labels))
        #expect(BatchReport.snapshotHash(labels) == ranked)
        #expect(ranked.count == 64)
    }

    @Test func aCommaInANameLeavesTheOrderToTheLineSort() {
        let labels = Self.labels(items: [1, 2], raters: ["a", "a,b", "b"], criteria: ["q"], values: ["1", "2"], seed: 5)
        #expect(BatchReport.rankedSnapshotHash(labels) == nil)
        #expect(BatchReport.snapshotHash(labels) == BatchReport.lineSnapshotHash(labels))
    }

    @Test func aRepeatedKeyLeavesTheOrderToTheLineSort() {
        let once = Self.labels(items: [1, 2], raters: ["a", "b"], criteria: ["q"], values: ["1", "2"], seed: 9)
        let twice = BatchLabels(batch: "b", rubric: Self.rubric, rubricHash: "h", items: once.items, clipNames: once.clipNames,
                                raters: once.raters, roles: once.roles, itemIndex: once.itemIndex + [0], raterIndex: once.raterIndex + [0],
                                criterion: once.criterion + ["q"], value: once.value + ["0"], submittedAt: once.submittedAt + ["t"],
                                dwellMs: once.dwellMs + [-1])
        #expect(BatchReport.rankedSnapshotHash(twice) == nil)
        #expect(BatchReport.snapshotHash(twice) == BatchReport.lineSnapshotHash(twice))
        #expect(BatchReport.snapshotHash(twice) != BatchReport.snapshotHash(once))
    }
}
