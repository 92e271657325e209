import Testing
@testable import OpinionScores

/// mos, bt500 and p913 against sureal 0.9.0 itself (SurealReference) on seeded random data
/// sets: 3×2 up to 200×30, ACR 1–5 and 0–100 scales, 0–40% missing, with and without biased
/// and noisy raters. Scores, standard errors, interval bounds and biases agree to 1e-9; the
/// rejected set and the screening statistics exactly; scores and standard errors are
/// even bit-identical, as Moments sums in numpy's order.
@Suite(.serialized) struct ClosedFormReferenceTests {
    static let sizes = [(3, 2), (5, 3), (8, 4), (12, 5), (20, 8), (40, 12), (80, 20), (200, 30)]

    /// The seeded data sets: every size × scale × missing share × (clean | biased and noisy).
    static func dataSets(seed: UInt64) -> [OpinionData] {
        var rng = SeededGenerator(seed: seed)
        var sets: [OpinionData] = []
        for (units, raters) in sizes {
            for scale in [1...5, 0...100] {
                for missing in [0.0, 0.2, 0.4] {
                    for outliers in [0.0, 0.2] {
                        let shape = SurealReferenceData.Shape(units: units, raters: raters, scale: scale, missing: missing,
                                                              biased: outliers, noisy: outliers)
                        sets.append(SurealReferenceData.random(shape, &rng))
                    }
                }
            }
        }
        return sets
    }

    /// Compares concord's `method` with sureal's `name` on every data set; returns how many
    /// numbers were compared and how many raters were rejected (so a test can insist both
    /// happened). A data set concord calls undefined must be one sureal has no proper answer
    /// for: with screening, a unit whose raters were all rejected (sureal's score is NaN).
    @discardableResult
    static func compare(_ method: OpinionMethod, _ name: String, _ sets: [OpinionData]) throws -> (values: Int, rejected: Int, undefined: Int) {
        let reference = try SurealReference.run(name, sets)
        var values = 0, rejected = 0, undefined = 0
        for (index, (data, sureal)) in zip(sets, reference).enumerated() {
            let label = "\(method) data set \(index) (\(data.unitCount)×\(data.raterCount))"
            #expect(sureal.error == nil, "\(label): sureal raised \(sureal.error ?? "")")
            guard case .scored(let ours) = OpinionScores.score(data, method: method) else {
                // Undefined only where sureal has no number either: a unit whose raters it
                // all rejected has a NaN score (all-equal data the generator does not make).
                let scores = try #require(sureal.numbers("quality_scores"))
                #expect(scores.contains(nil), "\(label): concord undefined on data sureal scores: \(OpinionScores.score(data, method: method))")
                undefined += 1
                continue
            }
            let scores = try #require(sureal.numbers("quality_scores"))
            let std = try #require(sureal.numbers("quality_scores_std"))
            let (below, above) = try #require(sureal.pair("quality_scores_ci95"))
            for unit in ours.units {
                let u = unit.unit
                let expected = try #require(scores[u], "\(label): sureal has no score for unit \(u)")
                #expect(abs(unit.score - expected) <= 1e-9, "\(label) unit \(u): sureal \(expected), concord \(unit.score), |error| \(abs(unit.score - expected))")
                // Moments adds in numpy's order, so the numbers are sureal's to the last bit.
                #expect(unit.score == expected, "\(label) unit \(u): not bit-identical to sureal")
                values += 1
                if let se = std[u], let b = below[u], let a = above[u] {
                    let ourSE = try #require(unit.standardError, "\(label) unit \(u): sureal SE \(se), concord none")
                    let ci = try #require(unit.ci95)
                    #expect(abs(ourSE - se) <= 1e-9, "\(label) unit \(u): SE sureal \(se), concord \(ourSE)")
                    #expect(ourSE == se, "\(label) unit \(u): SE not bit-identical to sureal")
                    #expect(abs(ci.low - (expected - b)) <= 1e-9 && abs(ci.high - (expected + a)) <= 1e-9,
                            "\(label) unit \(u): interval sureal [\(expected - b), \(expected + a)], concord \(ci)")
                    values += 3
                } else {
                    #expect(unit.standardError == nil && unit.ci95 == nil, "\(label) unit \(u): sureal has no SE, concord \(unit)")
                    #expect(unit.n == 1, "\(label) unit \(u): no SE with \(unit.n) ratings")
                }
            }
            if let flags = sureal.bools("observer_rejected") {
                #expect(ours.raters.map(\.rejected) == flags, "\(label): rejected sureal \(flags), concord \(ours.raters.map(\.rejected))")
                #expect(ours.raters.allSatisfy { $0.rejected == ($0.reason != nil) }, "\(label): a reason for each rejection only")
                rejected += flags.filter { $0 }.count
                // The screening's counts against sureal's (P+Q)/E and |P−Q|/(P+Q), exactly,
                // on the matrix the method screens (p913: the bias-removed scores).
                let first = try #require(sureal.numbers("observer_rejected_1st_stats"))
                let second = try #require(sureal.numbers("observer_rejected_2nd_stats"))
                let screening = SubjectRejection.screen(method == .p913 ? biasRemoved(data) : data.scores,
                                                        units: data.unitCount, raters: data.raterCount)
                #expect(screening.map(\.first) == first.map { $0 ?? .nan }, "\(label): (P+Q)/E")
                #expect(screening.map(\.second) == second, "\(label): |P−Q|/(P+Q)")
            } else {
                #expect(ours.raters.allSatisfy { !$0.rejected })
            }
            if let bias = sureal.numbers("observer_bias") {
                for rater in ours.raters {
                    let expected = try #require(bias[rater.rater])
                    let observed = try #require(rater.bias, "\(label) rater \(rater.rater): sureal bias \(expected), concord none")
                    #expect(abs(observed - expected) <= 1e-9, "\(label) rater \(rater.rater): bias sureal \(expected), concord \(observed)")
                    values += 1
                }
            } else {
                #expect(ours.raters.allSatisfy { $0.bias == nil })
            }
        }
        return (values, rejected, undefined)
    }

    /// The scores p913 screens: each rating less its rater's bias.
    static func biasRemoved(_ data: OpinionData) -> [Double] {
        let bias = P913BiasRemoval.biases(data.scores, units: data.unitCount, raters: data.raterCount)
        return data.scores.enumerated().map { $1 - bias[$0 % data.raterCount] }
    }

    @Test func mosEqualsSureal() throws {
        let (values, _, undefined) = try Self.compare(.mos, "mos", Self.dataSets(seed: 18_001))
        #expect(values > 10_000, "only \(values) values compared")
        #expect(undefined == 0)
    }

    @Test func bt500EqualsSureal() throws {
        let sets = Self.dataSets(seed: 18_002)
        let (values, rejected, undefined) = try Self.compare(.bt500, "bt500", sets)
        #expect(values > 10_000, "only \(values) values compared")
        #expect(undefined < sets.count / 4, "\(undefined) of \(sets.count) data sets undefined")
        #expect(rejected > 10, "only \(rejected) raters rejected: the data sets do not exercise the rule")
    }

    @Test func p913EqualsSureal() throws {
        let sets = Self.dataSets(seed: 18_003)
        let (values, rejected, undefined) = try Self.compare(.p913, "p913", sets)
        #expect(values > 10_000, "only \(values) values compared")
        #expect(rejected > 10, "only \(rejected) raters rejected: the data sets do not exercise the rule")
        #expect(undefined < sets.count / 4, "\(undefined) of \(sets.count) data sets undefined")
    }

    /// Unrounded scores (where the order of addition shows in the last bits) and rows wider
    /// than numpy's 128-value pairwise block (300 and 1000 raters), for all three methods.
    @Test func continuousScoresAndWideRows() throws {
        var rng = SeededGenerator(seed: 18_004)
        var sets: [OpinionData] = []
        for (units, raters) in [(6, 3), (20, 9), (60, 17), (40, 30), (5, 300), (3, 1000)] {
            for missing in [0.0, 0.3] {
                sets.append(SurealReferenceData.random(.init(units: units, raters: raters, scale: 0...100, missing: missing,
                                                             biased: 0.2, noisy: 0.2, continuous: true), &rng))
            }
        }
        for (method, name) in [(OpinionMethod.mos, "mos"), (.bt500, "bt500"), (.p913, "p913")] {
            let (values, _, _) = try Self.compare(method, name, sets)
            #expect(values > 1_000, "\(name): only \(values) values compared")
        }
    }
}
