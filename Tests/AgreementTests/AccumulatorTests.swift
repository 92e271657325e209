import Agreement
import Testing

/// Tier 3: the live accumulator after random edits is exactly the accumulator built fresh
/// from the final data (integer state: ==, not approximately), and reads the same numbers.
@Suite struct AccumulatorTests {
    @Test(arguments: 0..<40)
    func randomEditsEqualFreshComputation(seed: UInt64) throws {
        var rng = Xoshiro256StarStar(seed: 1000 + seed)
        let units = 1 + rng.index(below: 30), raters = 1 + rng.index(below: 8), k = 1 + rng.index(below: 6)
        let categories = rng.index(below: 2) == 0 ? CategorySet(ordered: (0..<k).map { "\($0 + 1)" })
                                                  : CategorySet(ordered: (0..<k).map { "c\($0)" })
        var live = AgreementAccumulator(categories: categories, raters: raters, units: units)
        var truth = [[Int?]](repeating: [Int?](repeating: nil, count: raters), count: units)
        for step in 0..<400 {
            let u = rng.index(below: units), r = rng.index(below: raters)
            // Add, replace or remove, in random proportion.
            let category: Int? = rng.index(below: 4) == 0 ? nil : rng.index(below: k)
            live.set(unit: u, rater: r, category: category)
            truth[u][r] = category
            #expect(live.rating(unit: u, rater: r) == category)
            if step % 50 == 49 {
                let fresh = try freshAccumulator(truth, categories: categories, raters: raters)
                #expect(live == fresh, "state differs from a fresh build after \(step + 1) edits")
                #expect(live.outcomes() == AgreementSummary(try freshData(truth, categories: categories, raters: raters)).outcomes)
            }
        }
        let fresh = try freshAccumulator(truth, categories: categories, raters: raters)
        #expect(live == fresh)
        // Exactly (==) the batch computation on the final data.
        let batch = AgreementSummary(try freshData(truth, categories: categories, raters: raters))
        #expect(live.outcomes() == batch.outcomes)
        #expect(AgreementSummary(live, units: units).pairableUnits == batch.pairableUnits)
        #expect(live.ratingCount == truth.joined().compactMap { $0 }.count)
    }

    @Test func addingThenRemovingEverythingLeavesTheEmptyState() {
        let categories = CategorySet(ordered: ["a", "b", "c"])
        var live = AgreementAccumulator(categories: categories, raters: 3, units: 5)
        let empty = live
        var rng = Xoshiro256StarStar(seed: 5)
        var cells: [(Int, Int)] = []
        for u in 0..<5 { for r in 0..<3 where rng.index(below: 3) > 0 {
            live.add(unit: u, rater: r, category: rng.index(below: 3))
            cells.append((u, r))
        } }
        #expect(live != empty)
        for (u, r) in cells.shuffledDeterministically(&rng) { live.remove(unit: u, rater: r) }
        #expect(live == empty)
    }

    @Test func rateratePairTablesFollowEdits() {
        var live = AgreementAccumulator(categories: CategorySet(ordered: ["x", "y"]), raters: 2, units: 3)
        live.add(unit: 0, rater: 0, category: 0)
        live.add(unit: 0, rater: 1, category: 1)
        live.add(unit: 1, rater: 1, category: 1)
        live.add(unit: 1, rater: 0, category: 1)
        #expect(live.pairTable(0, 1).cells == [0, 1, 0, 1])
        #expect(live.pairTable(1, 0).cells == [0, 0, 1, 1])
        live.set(unit: 0, rater: 1, category: 0)
        #expect(live.pairTable(0, 1).cells == [1, 0, 0, 1])
        expectValue(live.outcome(.cohenKappa), 1)
    }

    private func freshAccumulator(_ truth: [[Int?]], categories: CategorySet, raters: Int) throws -> AgreementAccumulator {
        AgreementAccumulator(try freshData(truth, categories: categories, raters: raters))
    }

    private func freshData(_ truth: [[Int?]], categories: CategorySet, raters: Int) throws -> ReliabilityData {
        var ratings: [ReliabilityData.Rating] = []
        for (u, row) in truth.enumerated() {
            for (r, c) in row.enumerated() {
                if let c { ratings.append(.init(unit: Int32(u), rater: Int32(r), category: Int32(c))) }
            }
        }
        return try ReliabilityData(unitNames: truth.indices.map { "u\($0)" }, raterNames: (0..<raters).map { "r\($0)" },
                                   categories: categories, ratings: ratings)
    }
}

/// Identities that any correct implementation satisfies.
@Suite struct IdentityTests {
    @Test(arguments: 0..<20)
    func permutingRatersAndUnitsChangesNothing(seed: UInt64) throws {
        var rng = Xoshiro256StarStar(seed: 77 + seed)
        let spec = RandomData.rows(&rng, maxUnits: 25, maxRaters: 6, maxCategories: 5, missing: 0.2)
        let original = AgreementSummary(try makeData(spec.rows, order: spec.order)).outcomes
        // Rename raters by a permutation and shuffle row order (units get new first-seen order).
        let raterNames = Set(spec.rows.map(\.1)).sorted()
        let renamed = Dictionary(uniqueKeysWithValues: zip(raterNames, raterNames.shuffledDeterministically(&rng)))
        let shuffled = spec.rows.map { ($0.0, renamed[$0.1]!, $0.2) }.shuffledDeterministically(&rng)
        let permuted = AgreementSummary(try makeData(shuffled, order: spec.order)).outcomes
        for metric in Metric.allCases {
            switch (original[metric]!, permuted[metric]!) {
            case (.value(let a), .value(let b)):
                // Cohen/Scott/weighted kappa are symmetric in the two raters.
                #expect(abs(a - b) <= 1e-12, "\(metric): \(a) vs \(b)")
            case (.undefined(let a), .undefined(let b)):
                #expect(a == b)
            default:
                Issue.record("\(metric): \(original[metric]!) vs \(permuted[metric]!)")
            }
        }
    }

    @Test func identicalRatersAgreePerfectly() throws {
        var rows: [(String, String, String?)] = []
        let values = ["1", "3", "2", "5", "4", "1", "2"]
        for (u, v) in values.enumerated() { for r in ["a", "b"] { rows.append(("\(u)", r, v)) } }
        let summary = AgreementSummary(try makeData(rows))
        for metric in Metric.allCases {
            expectValue(summary.outcomes[metric], 1, tolerance: 1e-12, metric.rawValue)
        }
    }
}
