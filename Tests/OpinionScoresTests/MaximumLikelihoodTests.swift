import Testing
@testable import OpinionScores

/// `mle` and `mle_co` against sureal 0.9.0 (IterativeComparison, 1e-6 with sureal's stopping
/// rule) on seeded data sets of many shapes, plus hand-checked properties and the undefined
/// cases with their reasons.
@Suite(.serialized) struct MaximumLikelihoodTests {
    /// Shapes from 3×2 to 300×40, 1–5 / 0–10 / 0–100 scales, 0–40% missing, contents shared.
    static let shapes: [SurealReferenceData.Shape] = [
        .init(units: 3, raters: 2),
        .init(units: 4, raters: 3, missing: 0.2),
        .init(units: 10, raters: 5, scale: 0...10, biased: 0.2),
        .init(units: 20, raters: 8, missing: 0.4, unitsPerContent: 4),
        .init(units: 30, raters: 12, scale: 0...100, missing: 0.1, noisy: 0.2, unitsPerContent: 3),
        .init(units: 60, raters: 20, missing: 0.3, biased: 0.1, noisy: 0.1, unitsPerContent: 6),
        .init(units: 300, raters: 40, missing: 0.1, biased: 0.1, unitsPerContent: 10),
    ]

    static func dataSets(seed: UInt64, copies: Int) -> [OpinionData] {
        var rng = SeededGenerator(seed: seed)
        return (0..<copies).flatMap { _ in shapes.map { SurealReferenceData.random($0, &rng) } }
    }

    /// On the small shapes sureal's full model often fails (NaN, or an inconsistency or
    /// ambiguity running away, MaximumLikelihood.breakdown); concord must be undefined exactly
    /// there and equal elsewhere.
    @Test func mleEqualsSureal() throws {
        let data = Self.dataSets(seed: 18_001, copies: 2)
        let n = try IterativeComparison.compare(.mle, data, undefinedAtMost: 0.5) { "data set \($0) (seed 18001)" }
        #expect(n > 4_000)
    }

    /// Shapes of real tests (several raters per unit, units sharing contents): all fit.
    @Test func mleEqualsSurealOnTestShapedData() throws {
        var rng = SeededGenerator(seed: 18_004)
        let shapes: [SurealReferenceData.Shape] = [
            .init(units: 24, raters: 10, missing: 0.1, unitsPerContent: 4),
            .init(units: 40, raters: 15, scale: 0...10, missing: 0.25, biased: 0.2, unitsPerContent: 5),
            .init(units: 100, raters: 20, missing: 0.4, noisy: 0.1, unitsPerContent: 10),
            .init(units: 200, raters: 30, missing: 0.05, biased: 0.1, noisy: 0.1, unitsPerContent: 8),
        ]
        let data = (0..<2).flatMap { _ in shapes.map { SurealReferenceData.random($0, &rng) } }
        let n = try IterativeComparison.compare(.mle, data, undefinedAtMost: 0) { "data set \($0) (seed 18004)" }
        #expect(n > 4_000)
    }

    @Test func mleContentObliviousEqualsSureal() throws {
        let data = Self.dataSets(seed: 18_002, copies: 2)
        let n = try IterativeComparison.compare(.mleCO, data) { "data set \($0) (seed 18002)" }
        #expect(n > 4_000)
    }

    /// Worked by hand: two raters, no content term. The residuals about the MOS are ±(x₀ − x₁)/2,
    /// so both raters get the same inconsistency and the scores stay the MOS; the first
    /// iteration changes no score, so sureal's rule (stop when the scores move < 1e-8) stops
    /// there — with the biases after one damped step, 0.1 × mean((x₀ − x₁)/2) = 0.1 × ∓0.5.
    /// sureal gives the same (docs/mos.md: the stopping rule looks at the scores only).
    @Test func twoRatersStopAfterOneDampedStep() throws {
        let d = try OpinionData(unitNames: ["a", "b", "c"], raterNames: ["r0", "r1"], scores: [1, 2, 3, 5, 4, 4])
        let r = try #require(OpinionScores.score(d, method: .mleCO).result)
        #expect(r.iterations == 1)
        #expect(r.units.map(\.score) == [1.5, 4, 4])
        #expect(abs(r.raters[0].bias! + 0.05) < 1e-15 && abs(r.raters[1].bias! - 0.05) < 1e-15)
        let v = try #require(r.raters[0].inconsistency)
        #expect(r.raters[1].inconsistency == v)
        // Score std = 1/√(Σ_s 1/v²) = v/√2 for every unit.
        for u in r.units { #expect(abs(u.standardError! - v / 2.0.squareRoot()) < 1e-15) }
    }

    /// A content no unit belongs to has nothing to estimate: it is left out of the result and
    /// changes no other number (sureal would report NaN for it).
    @Test func aContentWithoutUnitsIsLeftOut() throws {
        var rng = SeededGenerator(seed: 18_007)
        let d = SurealReferenceData.random(.init(units: 24, raters: 10, missing: 0.1, unitsPerContent: 4), &rng)
        let extra = try OpinionData(unitNames: d.unitNames, raterNames: d.raterNames, scores: d.scores,
                                    contentNames: ["unused"] + d.contentNames, contentOfUnit: d.contentOfUnit.map { $0 + 1 })
        let a = try #require(OpinionScores.score(d, method: .mle).result)
        let b = try #require(OpinionScores.score(extra, method: .mle).result)
        #expect(b.contents.map(\.content) == Array(1...d.contentNames.count))
        #expect(b.contents.map(\.ambiguity) == a.contents.map(\.ambiguity))
        #expect(b.units == a.units)
        #expect(b.raters == a.raters)
    }
}
