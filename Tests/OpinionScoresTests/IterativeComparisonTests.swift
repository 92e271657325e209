import Testing
@testable import OpinionScores

/// Compares one iterative model's result with sureal's (SurealReference) to 1e-6, printing
/// expected, observed and |error| for every mismatch. sureal's NaN results must be concord's
/// `.undefined`; sureal's numbers must be concord's numbers.
enum IterativeComparison {
    static let tolerance = 1e-6

    /// How many values were compared, so a test can require that it compared something.
    @discardableResult
    static func compare(_ method: OpinionMethod, _ data: [OpinionData], undefinedAtMost: Double = 0.25,
                        label: (Int) -> String) throws -> Int {
        let results = try SurealReference.run(method.rawValue, data)
        var compared = 0, undefined = 0
        for (i, (d, s)) in zip(data, results).enumerated() {
            let name = "\(method.rawValue) on \(label(i)) (\(d.unitCount)×\(d.raterCount))"
            let ours = OpinionScores.score(d, method: method)
            if let error = s.error {
                // sureal raises where its iteration went to NaN (scipy's norm refuses NaN).
                #expect(ours.result == nil, "\(name): sureal raised \(error), concord gave numbers")
                undefined += 1
                continue
            }
            let scores = try #require(s.numbers("quality_scores"), "\(name): sureal gave no quality_scores")
            let rated = (0..<d.unitCount).flatMap { u in (0..<d.raterCount).compactMap { d[u, $0] } }
            let bound = MaximumLikelihood.runawayFactor * Swift.max(1, rated.max()! - rated.min()!) + rated.map(abs).max()!
            let estimates = ["quality_scores", "observer_bias", "observer_inconsistency"].flatMap { s.numbers($0) ?? [] }
                + (s.numbers("content_ambiguity").map { a in Set(d.contentOfUnit).map { a[$0] } } ?? [])
            // sureal's NaN, or a fit that ran away (MaximumLikelihood.breakdown), is concord's undefined.
            let surealIsNaN = estimates.contains { $0 == nil || abs($0!) > bound }
            guard let r = ours.result else {
                #expect(surealIsNaN, "\(name): concord undefined (\(ours.undefinedReason ?? "")) but sureal gave numbers")
                undefined += 1
                continue
            }
            if surealIsNaN {
                Issue.record("\(name): sureal gave NaN or ran away, concord gave numbers")
                continue
            }
            compared += check(name, "score", r.units.map(\.score), scores)
            compared += check(name, "score std", r.units.map { $0.standardError ?? .nan }, s.numbers("quality_scores_std")!)
            if let (low, high) = s.pair("quality_scores_ci95") {
                compared += checkInterval(name, "score ci95", r.units.map(\.score), r.units.map(\.ci95), low, high)
            }
            compared += check(name, "bias", r.raters.map { $0.bias! }, s.numbers("observer_bias")!)
            if let (low, high) = s.pair("observer_bias_ci95") {
                compared += checkInterval(name, "bias ci95", r.raters.map { $0.bias! }, r.raters.map(\.biasCI95), low, high)
            }
            compared += check(name, "inconsistency", r.raters.map { $0.inconsistency! }, s.numbers("observer_inconsistency")!)
            if let (low, high) = s.pair("observer_inconsistency_ci95") {
                compared += checkInterval(name, "inconsistency ci95", r.raters.map { $0.inconsistency! },
                                          r.raters.map(\.inconsistencyCI95), low, high)
            }
            if method == .mle {
                let ambiguity = try #require(s.numbers("content_ambiguity"))
                let used = Set(d.contentOfUnit)
                #expect(r.contents.map(\.content) == used.sorted(), "\(name): contents")
                compared += check(name, "ambiguity", r.contents.map(\.ambiguity), r.contents.map { ambiguity[$0.content] })
                if let (low, high) = s.pair("content_ambiguity_ci95") {
                    compared += checkInterval(name, "ambiguity ci95", r.contents.map(\.ambiguity), r.contents.map(\.ci95),
                                              r.contents.map { low[$0.content] }, r.contents.map { high[$0.content] })
                }
            } else {
                #expect(r.contents.isEmpty)
            }
            #expect(r.units.map(\.n) == (0..<d.unitCount).map { u in (0..<d.raterCount).filter { d[u, $0] != nil }.count })
            #expect((r.iterations ?? 0) >= 1)
        }
        // Most data sets must be ones both can fit, or the comparison proves little.
        #expect(Double(undefined) <= undefinedAtMost * Double(data.count), "\(method.rawValue): \(undefined) of \(data.count) data sets undefined")
        return compared
    }

    /// Values against sureal's, to 1e-6 absolute — relative beyond 1: where sureal's Newton
    /// step on an ambiguity runs away (to 1e39 on 0–100 data, docs/mos.md) concord follows it
    /// to the same digits, not the same 1e-6. A nil of sureal's (NaN/∞) must be concord's non-finite value.
    static func check(_ name: String, _ what: String, _ ours: [Double], _ theirs: [Double?]) -> Int {
        #expect(ours.count == theirs.count, "\(name): \(what) count")
        var n = 0
        for (i, (o, t)) in zip(ours, theirs).enumerated() {
            guard let t else {
                #expect(!o.isFinite, "\(name): \(what)[\(i)] sureal non-finite, concord \(o)")
                continue
            }
            let error = abs(o - t)
            #expect(error <= tolerance * Swift.max(1, abs(t)), "\(name): \(what)[\(i)] expected \(t), observed \(o), |error| \(error)")
            n += 1
        }
        return n
    }

    /// concord's absolute interval against sureal's ± deltas; sureal's ∞/NaN delta is no interval.
    static func checkInterval(_ name: String, _ what: String, _ estimates: [Double], _ ours: [Interval?],
                              _ low: [Double?], _ high: [Double?]) -> Int {
        var n = 0
        for i in estimates.indices {
            guard let l = low[i], let h = high[i] else {
                #expect(ours[i] == nil, "\(name): \(what)[\(i)] sureal non-finite, concord \(String(describing: ours[i]))")
                continue
            }
            guard let interval = ours[i] else {
                Issue.record("\(name): \(what)[\(i)] expected ±(\(l), \(h)), concord none")
                continue
            }
            let errors = (abs(interval.low - (estimates[i] - l)), abs(interval.high - (estimates[i] + h)))
            let scale = Swift.max(1, abs(estimates[i]) + abs(l) + abs(h))
            #expect(errors.0 <= tolerance * scale && errors.1 <= tolerance * scale,
                    "\(name): \(what)[\(i)] expected [\(estimates[i] - l), \(estimates[i] + h)], observed \(interval), |error| \(errors)")
            n += 2
        }
        return n
    }
}
