@testable import Agreement
import Testing

/// The fast pair and leave-one-out breakdowns must equal their definitions exactly (==):
/// statistics on the data restricted to the raters in question.
@Suite struct RaterBreakdownTests {
    static func expectSame(_ a: AgreementSummary, _ b: AgreementSummary, _ what: String) {
        #expect(a.outcomes == b.outcomes, "\(what): outcomes")
        #expect(a.units == b.units && a.raters == b.raters && a.ratings == b.ratings && a.pairableUnits == b.pairableUnits,
                "\(what): counts \(a.units)/\(a.raters)/\(a.ratings)/\(a.pairableUnits) vs \(b.units)/\(b.raters)/\(b.ratings)/\(b.pairableUnits)")
    }

    @Test func pairsEqualTheRestrictedDataOnRandomData() throws {
        var rng = Xoshiro256StarStar(seed: 81)
        var compared = 0
        for trial in 0..<150 {
            let data = try RandomData.make(&rng, maxUnits: 25, maxRaters: 7, maxCategories: 6, missing: trial % 3 == 0 ? 0 : 0.45)
            guard let fast = Breakdown.fastPairRows(data, metrics: Metric.allCases) else {
                #expect(data.raterCount < 2); continue
            }
            let slow = Breakdown.perRaterPairByDefinition(data, metrics: Metric.allCases)
            #expect(fast.count == slow.count)
            for (f, s) in zip(fast, slow) {
                #expect(f.first == s.first && f.second == s.second)
                Self.expectSame(f.summary, s.summary, "trial \(trial) pair \(f.first)-\(f.second)")
                compared += 1
            }
        }
        #expect(compared > 500)
    }

    @Test func leaveOneOutEqualsTheDataWithoutTheRater() throws {
        var rng = Xoshiro256StarStar(seed: 82)
        var compared = 0
        for trial in 0..<150 {
            let data = try RandomData.make(&rng, maxUnits: 25, maxRaters: 8, maxCategories: 6, missing: trial % 3 == 0 ? 0 : 0.45)
            guard let fast = Breakdown.fastLeaveOneOutRows(data, metrics: Metric.allCases) else {
                #expect(data.raterCount < 4); continue
            }
            for (i, row) in fast.enumerated() {
                #expect(row.rater == data.raterNames[i])
                Self.expectSame(row.summary, AgreementSummary(data.excluding(rater: i)), "trial \(trial) without \(row.rater)")
                compared += 1
            }
        }
        #expect(compared > 300)
    }

    /// Above the dense-matrix limit the pairs come from the definition, with the same rows.
    @Test func theFallbackGivesTheSameRows() throws {
        var rng = Xoshiro256StarStar(seed: 83)
        let data = try RandomData.make(&rng, maxUnits: 40, maxRaters: 6, maxCategories: 4, missing: 0.3)
        #expect(Breakdown.fastPairRows(data, metrics: [.krippendorffAlphaNominal], denseLimit: 1) == nil)
        let public_ = Breakdown.perRaterPair(data, metrics: [.krippendorffAlphaNominal])
        let slow = Breakdown.perRaterPairByDefinition(data, metrics: [.krippendorffAlphaNominal])
        #expect(public_.map { $0.summary.outcomes } == slow.map { $0.summary.outcomes })
    }

    /// The published 4-rater example: leave-one-out from tallies equals the hand-checked rows.
    @Test func publishedExampleLeaveOneOut() throws {
        let data = try makeData(rowsFromTable(PublishedExamplesTests.krippendorff2011))
        let fast = try #require(Breakdown.fastLeaveOneOutRows(data, metrics: Metric.allCases))
        for (i, row) in fast.enumerated() {
            Self.expectSame(row.summary, AgreementSummary(data.excluding(rater: i)), "without \(row.rater)")
        }
    }
}
