import Testing
@testable import OpinionScores

/// p913's bias removal on data small enough to work by hand, and its screening's consequence
/// when bias removal makes a unit's ratings agree; each against sureal too.
@Suite struct P913Tests {
    /// MOS 2, 3, 4, 10/3. A's deviations −1, −1, −1, 2/3 → b = −7/12; B's 0, 0, 0, 5/3 → 5/12;
    /// C's 1, 1, 1, −7/3 → 1/6. With no rating missing the biases sum to 0 and the scores stay
    /// the MOS; the spread changes: unit 0 becomes 19/12, 19/12, 34/12, s² = (25+25+100)/144/2
    /// = 75/144, SE = √(75/144)/√3 = 5/12.
    @Test func biasesByHand() throws {
        let data = OpinionData.rows([[1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 1]])
        let result = try #require(OpinionScores.score(data, method: .p913).result)
        let bias = result.raters.map { $0.bias! }
        for (observed, expected) in zip(bias, [-7.0 / 12, 5.0 / 12, 1.0 / 6]) {
            #expect(abs(observed - expected) <= 1e-15, "bias expected \(expected), observed \(observed)")
        }
        for (observed, expected) in zip(result.units.map(\.score), [2, 3, 4, 10.0 / 3]) {
            #expect(abs(observed - expected) <= 1e-15)
        }
        #expect(abs(result.units[0].standardError! - 5.0 / 12) <= 1e-15)
        #expect(result.raters.allSatisfy { !$0.rejected })
        try ClosedFormReferenceTests.compare(.p913, "p913", [data])
    }

    /// C rates one point above A and B: biases −1/3, −1/3, 2/3, every unit's bias-removed
    /// ratings agree (t + 1/3). σ = 0 on every unit puts every rating in P and Q, so everyone
    /// meets the rule, and by the "not everyone" rule nobody is rejected.
    @Test func aSteadyOffsetIsRemoved() throws {
        let data = OpinionData.rows([[1, 1, 2], [2, 2, 3], [3, 3, 4], [4, 4, 5]])
        let result = try #require(OpinionScores.score(data, method: .p913).result)
        for (observed, expected) in zip(result.raters.map { $0.bias! }, [-1.0 / 3, -1.0 / 3, 2.0 / 3]) {
            #expect(abs(observed - expected) <= 1e-15)
        }
        for (unit, t) in zip(result.units, [1.0, 2, 3, 4]) {
            #expect(abs(unit.score - (t + 1.0 / 3)) <= 1e-15)
            #expect(unit.standardError! <= 1e-15)
        }
        #expect(SubjectRejection.screen(data.scores.enumerated().map { $1 - result.raters[$0 % 3].bias! },
                                        units: 4, raters: 3).allSatisfy { $0.meetsRule && !$0.rejected })
        #expect(result.raters.allSatisfy { !$0.rejected })
        try ClosedFormReferenceTests.compare(.p913, "p913", [data])
    }

    /// D (one point high) skipped u3. Bias removal makes A's, B's and C's ratings of u3 equal
    /// (4 + 3/16), so each gets a P and a Q there: (P+Q)/4 = 0.5 > 0.05, |P−Q|/(P+Q) = 0,
    /// rejected, and u3 has no rating left. sureal's score for u3 is NaN; concord says why.
    @Test func agreementAfterRemovalCanEmptyAUnit() throws {
        let data = OpinionData.rows([[1, 1, 1, 2], [2, 2, 3, 3], [3, 3, 2, 4], [4, 4, 4, nil]])
        #expect(OpinionScores.score(data, method: .p913).undefinedReason
            == "unit 'u3' has no ratings left after P.913 (BT.500 P/Q) screening: its raters (A, B, C) were all rejected; collect more ratings of it, or score with mos")
        let sureal = try #require(try SurealReference.run("p913", [data]).first)
        #expect(sureal.bools("observer_rejected") == [true, true, true, false])
        #expect(try #require(sureal.numbers("quality_scores"))[3] == nil)
        #expect(try #require(sureal.numbers("observer_bias")) == [-0.1875, -0.1875, -0.1875, 0.75])
        // mos, which does not screen, scores it.
        #expect(OpinionScores.score(data, method: .mos).result?.units[3].score == 4)
    }

    /// A rejected rater's reason says the screening ran on bias-removed scores. Each row has
    /// its mirror (every rater's deviations cancel), so the biases are 0 and the screening is
    /// BT500Tests' own: F is 3 above on u0 and 3 below on u1 (β₂ = 3.5, 2σ band), rejected.
    @Test func aRejectedRatersReasonNamesTheBiasRemoval() throws {
        let data = OpinionData.rows([[1, 1, 1, 2, 2, 5], [5, 5, 5, 4, 4, 1], [1, 2, 3, 3, 4, 5], [5, 4, 3, 3, 2, 1]])
        let result = try #require(OpinionScores.score(data, method: .p913).result)
        #expect(result.raters.map { $0.bias! } == [0, 0, 0, 0, 0, 0])
        #expect(result.raters.filter(\.rejected).map(\.rater) == [5])
        #expect(result.raters[5].reason?.hasPrefix("on the bias-removed scores, BT.500 P/Q rule: P = 1 (") == true)
        try ClosedFormReferenceTests.compare(.p913, "p913", [data])
    }
}
