import Testing
@testable import OpinionScores

/// What `mle`, `mle_co` and `p910` share: the undefined cases with their whole reasons, the
/// χ² quantiles behind the inconsistency intervals, a hand-worked fit, and identities.
@Suite struct IterativeModelTests {
    static let iterative: [OpinionMethod] = [.mle, .mleCO, .p910]

    static func data(_ rows: [[Double?]], units: [String]? = nil, raters: [String]? = nil) throws -> OpinionData {
        let s = rows.first?.count ?? 0
        return try OpinionData(unitNames: units ?? rows.indices.map { "u\($0)" },
                               raterNames: raters ?? (0..<s).map { "r\($0)" },
                               scores: rows.flatMap { $0.map { $0 ?? .nan } })
    }

    @Test(arguments: iterative) func undefinedCasesSayWhatToChange(method: OpinionMethod) throws {
        let m = method.rawValue
        #expect(OpinionScores.score(try Self.data([[nil, nil], [nil, nil]]), method: method).undefinedReason
                == "no ratings: \(m) needs units rated by at least two raters")
        #expect(OpinionScores.score(try Self.data([[1], [3]], raters: ["ana"]), method: method).undefinedReason
                == "only one rater (ana): \(m) estimates each rater's bias and inconsistency against the others, so it needs at least two raters")
        #expect(OpinionScores.score(try Self.data([[4, 4, 4], [4, nil, 4]]), method: method).undefinedReason
                == "every rating is 4: with no spread there is no bias or inconsistency for \(m) to estimate; use mos")
        #expect(OpinionScores.score(try Self.data([[4, 2], [nil, nil], [1, 5]], units: ["a", "b", "c"]), method: method).undefinedReason
                == "unit b has no ratings: \(m) needs every unit rated; remove it or rate it")
        #expect(OpinionScores.score(try Self.data([[4, nil, 2], [1, nil, 5]], raters: ["x", "y", "z"]), method: method).undefinedReason
                == "rater y has no ratings: \(m) needs every rater to have rated something; remove the rater")
    }

    /// Rater r1 rates exactly one point above r0: no residual at all. p910 (sureal too) puts
    /// the scores at the midpoint and the biases at ∓0.5 after one iteration with zero
    /// inconsistency; mle_co's first weight is 1/0 (sureal: NaN), so it is undefined.
    @Test func aRaterOnePointAboveAnother() throws {
        let d = try Self.data([[1, 2], [3, 4], [4, 5]])
        let r = try #require(OpinionScores.score(d, method: .p910).result)
        #expect(r.units.map(\.score) == [1.5, 3.5, 4.5])
        #expect(r.raters.map(\.bias) == [-0.5, 0.5])
        #expect(r.raters.map(\.inconsistency) == [0, 0])
        #expect(r.raters.map(\.inconsistencyCI95) == [Interval(low: 0, high: 0), Interval(low: 0, high: 0)])
        #expect(r.iterations == 1)
        #expect(OpinionScores.score(d, method: .mleCO).undefinedReason
                == "mle_co has no finite fit: rater r0's inconsistency reached 0 (the model fits their ratings exactly, e.g. on units no one else rated), so it weighs them by 1/0; have more units rated by several raters, or use p910")
    }

    /// scipy's chi2.ppf, the quantile sureal's inconsistency interval uses.
    @Test func chiSquaredQuantilesAreScipys() {
        let scipy: [(Int, Double, Double)] = [
            (1, 0.0009820691171752555, 5.023886187314888), (2, 0.05063561596857975, 7.377758908227871),
            (3, 0.21579528262389785, 9.348403604496148), (10, 3.2469727802368413, 20.483177350807388),
            (100, 74.22192747492373, 129.5611971858366), (5000, 4805.904730862248, 5197.883771923797),
            (9000, 8738.942640122514, 9264.845911100667),
        ]
        for (df, low, high) in scipy {
            let l = ChiSquared.quantile(0.025, degreesOfFreedom: df), h = ChiSquared.quantile(0.975, degreesOfFreedom: df)
            #expect(abs(l - low) <= 1e-11 * low, "χ²₀.₀₂₅(\(df)): expected \(low), observed \(l), |error| \(abs(l - low))")
            #expect(abs(h - high) <= 1e-11 * high, "χ²₀.₉₇₅(\(df)): expected \(high), observed \(h), |error| \(abs(h - high))")
        }
    }

    /// Adding 10 to every rating adds 10 to every score and changes no bias, inconsistency or
    /// ambiguity (the models are shift-equivariant; the stopping rule sees the same changes).
    @Test(arguments: iterative) func shiftingEveryRatingShiftsTheScores(method: OpinionMethod) throws {
        var rng = SeededGenerator(seed: 18_005)
        let d = SurealReferenceData.random(.init(units: 40, raters: 12, missing: 0.2, unitsPerContent: 4), &rng)
        let shifted = try OpinionData(unitNames: d.unitNames, raterNames: d.raterNames, scores: d.scores.map { $0 + 10 },
                                      contentNames: d.contentNames, contentOfUnit: d.contentOfUnit)
        let a = try #require(OpinionScores.score(d, method: method).result)
        let b = try #require(OpinionScores.score(shifted, method: method).result)
        for (x, y) in zip(a.units, b.units) { #expect(abs(y.score - x.score - 10) < 1e-7) }
        for (x, y) in zip(a.raters, b.raters) {
            #expect(abs(y.bias! - x.bias!) < 1e-7)
            #expect(abs(y.inconsistency! - x.inconsistency!) < 1e-7)
        }
        for (x, y) in zip(a.contents, b.contents) { #expect(abs(y.ambiguity - x.ambiguity) < 1e-7) }
    }

    /// Large enough to sweep on several threads: the same data give the same bits every run.
    @Test(arguments: iterative) func resultsDoNotDependOnThreadScheduling(method: OpinionMethod) throws {
        var rng = SeededGenerator(seed: 18_006)
        let d = SurealReferenceData.random(.init(units: 400, raters: 100, missing: 0.1, unitsPerContent: 4), &rng)
        #expect(d.unitCount * d.raterCount >= 1 << 15)
        let first = OpinionScores.score(d, method: method)
        #expect(first.result != nil)
        for _ in 0..<3 { #expect(OpinionScores.score(d, method: method) == first) }
    }

    /// Decimal ratings (3.1, 4.1 …, as a slider gives) equal sureal's too; the other data sets
    /// here are on integer scales.
    @Test(arguments: iterative) func decimalScoresEqualSureal(method: OpinionMethod) throws {
        var rng = SeededGenerator(seed: 18_008)
        let shapes: [SurealReferenceData.Shape] = [
            .init(units: 24, raters: 10, missing: 0.1, unitsPerContent: 4),
            .init(units: 60, raters: 15, scale: 0...10, missing: 0.3, unitsPerContent: 6),
        ]
        let integers = shapes.map { SurealReferenceData.random($0, &rng) }
        let decimals = try integers.map { d in
            try OpinionData(unitNames: d.unitNames, raterNames: d.raterNames, scores: d.scores.map { $0 + 0.1 },
                            contentNames: d.contentNames, contentOfUnit: d.contentOfUnit)
        }
        let n = try IterativeComparison.compare(method, decimals, undefinedAtMost: 0) { "decimal data set \($0) (seed 18008)" }
        #expect(n > 400)
    }
}
