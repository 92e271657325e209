import Agreement
import Testing

/// The adjudication queue's rule and order (docs/adjudication.md), on hand-made units and
/// on random data against an independent path (alpha recomputed without each unit).
@Suite struct DisagreementRankingTests {
    @Test func membershipSpreadAndMagnitude() throws {
        let data = try makeData([
            ("u1", "a", "low"), ("u1", "b", "low"), ("u1", "c", "low"),          // unanimous
            ("u2", "a", "none"), ("u2", "b", "extreme"), ("u2", "c", "none"),    // 4 steps
            ("u3", "a", "medium"), ("u3", "b", "high"),                            // 1 step
            ("u4", "a", "high"),                                                   // one vote
        ], order: ["none", "low", "medium", "high", "extreme"])
        let ranked = DisagreementRanking.rank(data, level: .ordinal)
        #expect(ranked.map { data.unitNames[$0.unit] } == ["u2", "u3"])
        #expect(ranked[0].spread == 4 && ranked[0].magnitude == 1)
        #expect(ranked[1].spread == 1 && ranked[1].magnitude == 0.25)
        // A threshold of 1 step keeps only the wider split; a flag brings u1 and u4 in.
        #expect(DisagreementRanking.rank(data, level: .ordinal, threshold: 1).map(\.unit) == [1])
        let flagged = DisagreementRanking.rank(data, level: .ordinal, threshold: 1, flagged: [0, 3])
        #expect(Set(flagged.map(\.unit)) == [0, 1, 3])
        #expect(flagged.first { $0.unit == 3 }?.ratings == 1)

        let nominal = try makeData([("u1", "a", "car"), ("u1", "b", "car"), ("u1", "c", "truck"),
                                    ("u2", "a", "car"), ("u2", "b", "bike"), ("u2", "c", "truck")])
        let n = DisagreementRanking.rank(nominal, level: .nominal)
        #expect(n.map(\.unit) == [1, 0])   // three values outrank two
        #expect(n.first { $0.unit == 0 }!.magnitude == 1 - 2.0 / 3 && n.first { $0.unit == 0 }!.spread == 1)
        #expect(n.first { $0.unit == 1 }!.magnitude == 1 - 1.0 / 3 && n.first { $0.unit == 1 }!.spread == 2)

        let numbers = try makeData([("u1", "a", "1.3"), ("u1", "b", "1.6"), ("u2", "a", "10"), ("u2", "b", "40")])
        let r = DisagreementRanking.rank(numbers, level: .ratio, scaleWidth: 100)
        #expect(r.first { $0.unit == 0 }!.spread == 0.3)   // not 0.30000000000000004
        #expect(r.first { $0.unit == 1 }!.magnitude == 0.3)
    }

    @Test func alphaGainEqualsAlphaWithoutTheUnitOnRandomData() throws {
        var rng = Xoshiro256StarStar(seed: 77)
        var checked = 0
        for _ in 0..<60 {
            let spec = RandomData.rows(&rng, maxUnits: 15, maxRaters: 5, maxCategories: 5, missing: 0.2)
            let data = try makeData(spec.rows, order: spec.order)
            let level: AlphaLevel = data.categories.numericValues != nil ? .interval : (data.categories.isOrdered ? .ordinal : .nominal)
            let metric: Metric = level == .interval ? .krippendorffAlphaInterval : (level == .ordinal ? .krippendorffAlphaOrdinal : .krippendorffAlphaNominal)
            let all = AgreementSummary(data).outcomes[metric]!.value
            let ranked = DisagreementRanking.rank(data, level: level)
            for entry in ranked {
                // Independent path: the same rows without the unit, computed afresh.
                let name = data.unitNames[entry.unit]
                let without = try makeData(spec.rows.filter { $0.0 != name }, order: spec.order ?? data.categories.labels)
                let expected = AgreementSummary(without).outcomes[metric]!.value
                if let all, let expected {
                    let gain = try #require(entry.alphaGain)
                    #expect(abs(gain - (expected - all)) < 1e-9, "unit \(name)")
                    checked += 1
                } else {
                    #expect(entry.alphaGain == nil)
                }
            }
            let priorities = ranked.map(\.priority)
            #expect(priorities == priorities.sorted(by: >))
        }
        #expect(checked > 50)
    }
}
