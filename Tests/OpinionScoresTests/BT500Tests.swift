import Testing
@testable import OpinionScores

/// Data sets built to hit each branch of BT.500's screening (SubjectRejection), each checked
/// against what the rule says and against sureal on the same data.
@Suite struct BT500Tests {
    /// Six raters A–F; F (index 5) is the one the cases move. Worked in
    /// assets/examples/mos/README.md: `normal` has β₂ = 2.04 and nobody outside μ ± 2σ;
    /// `high` / `low` have β₂ = 3.5 and F at +3 / −3 with 4σ² = 8 < 9.
    static let normal: [Double?] = [1, 2, 3, 3, 4, 5]
    static let high: [Double?] = [1, 1, 1, 2, 2, 5]
    static let low: [Double?] = [4, 4, 5, 5, 5, 1]

    static func screen(_ data: OpinionData) -> [SubjectRejection.Screening] {
        SubjectRejection.screen(data.scores, units: data.unitCount, raters: data.raterCount)
    }

    static func rejected(_ data: OpinionData) throws -> [Bool] {
        try #require(OpinionScores.score(data, method: .bt500).result).raters.map(\.rejected)
    }

    /// (P+Q)/E must exceed 0.05: F's 2 outliers in 40 units (0.05) keep it, in 39 reject it.
    @Test func theShareOfOutliersMustExceedFivePercent() throws {
        let at = OpinionData.rows([Self.high, Self.low] + Array(repeating: Self.normal, count: 38))
        let over = OpinionData.rows([Self.high, Self.low] + Array(repeating: Self.normal, count: 37))
        #expect(Self.screen(at)[5].first == 0.05)
        #expect(try Self.rejected(at) == [false, false, false, false, false, false])
        #expect(Self.screen(over)[5].first == 2.0 / 39)
        #expect(try Self.rejected(over) == [false, false, false, false, false, true])
        try ClosedFormReferenceTests.compare(.bt500, "bt500", [at, over])
    }

    /// |P−Q|/(P+Q) must be under 0.3: outliers on one side (a steady bias) keep the rater;
    /// P = 2, Q = 1 (1/3) keeps it; P = 3, Q = 2 (1/5) rejects it.
    @Test func outliersMustBeOnBothSides() throws {
        let oneSided = OpinionData.rows([Self.high, Self.high, Self.normal])
        let twoOne = OpinionData.rows([Self.high, Self.high, Self.low, Self.normal])
        let threeTwo = OpinionData.rows([Self.high, Self.high, Self.high, Self.low, Self.low, Self.normal])
        #expect(Self.screen(oneSided)[5].p == 2 && Self.screen(oneSided)[5].q == 0 && Self.screen(oneSided)[5].second == 1)
        #expect(try Self.rejected(oneSided)[5] == false)
        #expect(Self.screen(twoOne)[5].second == 1.0 / 3)
        #expect(try Self.rejected(twoOne)[5] == false)
        #expect(Self.screen(threeTwo)[5].second == 0.2)
        #expect(try Self.rejected(threeTwo) == [false, false, false, false, false, true])
        try ClosedFormReferenceTests.compare(.bt500, "bt500", [oneSided, twoOne, threeTwo])
    }

    /// Heavy-tailed units (β₂ > 4) use μ ± √20σ. One rater of 25 off by 2 on a unit the other
    /// 24 rated alike: β₂ = (1 + 24³)/(24·25) = 23.04, z = √24 ≈ 4.90 > √20 ≈ 4.47: counted.
    @Test func heavyTailedUnitsUseTheWideBand() throws {
        func unit(_ others: Double, _ x: Double) -> [Double?] { Array(repeating: others, count: 24) + [x] }
        let varied: [Double?] = (0..<25).map { Double(1 + $0 % 5) }
        let data = OpinionData.rows([unit(3, 5), unit(4, 1), varied])
        let s = Self.screen(data)[24]
        #expect(s.aboveWide == 1 && s.belowWide == 1 && s.aboveNarrow == 0 && s.belowNarrow == 0)
        let result = try #require(OpinionScores.score(data, method: .bt500).result)
        #expect(result.raters.filter(\.rejected).map(\.rater) == [24])
        #expect(result.raters[24].reason?.contains("all with k = √20") == true)
        // The same outlier among 10 raters (z = 3, β₂ = 730/90 ≈ 8.11) stays inside the wide band;
        // with 21 raters z = √20 exactly: the tie goes whichever way numpy's rounding goes.
        let few = OpinionData.rows([Array(repeating: 3, count: 9) + [5], Array(repeating: 4, count: 9) + [1], (0..<10).map { Double(1 + $0 % 5) }])
        #expect(Self.screen(few)[9] == SubjectRejection.Screening())
        let tie = OpinionData.rows([Array(repeating: 3, count: 20) + [5], Array(repeating: 4, count: 20) + [1], (0..<21).map { Double(1 + $0 % 5) }])
        try ClosedFormReferenceTests.compare(.bt500, "bt500", [data, few, tie])
    }

    /// Clean data: nobody is rejected and bt500's scores are mos's.
    @Test func noneRejectedGivesTheMOS() throws {
        let data = OpinionData.rows([Self.normal, [2, 3, 3, 4, 4, 5], [1, 1, 2, 2, 3, 3]])
        let bt500 = try #require(OpinionScores.score(data, method: .bt500).result)
        let mos = try #require(OpinionScores.score(data, method: .mos).result)
        #expect(bt500.raters.allSatisfy { !$0.rejected && $0.reason == nil })
        #expect(bt500.units == mos.units)
        try ClosedFormReferenceTests.compare(.bt500, "bt500", [data])
    }

    /// A unit with one rating has σ = 0, so its rating is at once ≥ μ + kσ and ≤ μ − kσ: one
    /// P and one Q (sureal, and the standard read literally). Here that rejects A, whose
    /// unit u0 then has no rating left: undefined, with the unit named (sureal: NaN).
    @Test func aSingleRatingCountsInPAndQ() throws {
        let data = OpinionData.rows([[1, nil, nil], [2, 3, 4], [3, 4, 5]])
        let a = Self.screen(data)[0]
        #expect(a.aboveWide == 1 && a.belowWide == 1 && a.first == 2.0 / 3 && a.second == 0 && a.rejected)
        #expect(OpinionScores.score(data, method: .bt500).undefinedReason
            == "unit 'u0' has no ratings left after BT.500 screening: its raters (A) were all rejected; collect more ratings of it, or score with mos")
        let sureal = try #require(try SurealReference.run("bt500", [data]).first)
        #expect(sureal.bools("observer_rejected") == [true, false, false])
        #expect(try #require(sureal.numbers("quality_scores"))[0] == nil)
    }

    /// When the rule would reject every rater, it rejects none (sureal's rule).
    @Test func everyoneWouldBeRejectedSoNoneIs() throws {
        let data = OpinionData.rows([[1, nil], [nil, 5], [2, 4]])
        let screening = Self.screen(data)
        #expect(screening.allSatisfy { $0.meetsRule && !$0.rejected })
        let result = try #require(OpinionScores.score(data, method: .bt500).result)
        #expect(result.raters.allSatisfy { !$0.rejected })
        #expect(result.units.map(\.score) == [1, 5, 3])
        try ClosedFormReferenceTests.compare(.bt500, "bt500", [data])
    }
}
