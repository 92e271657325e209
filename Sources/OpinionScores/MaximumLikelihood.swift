/// `mle` and `mle_co`: the rater-bias model of Li & Bampis, "Recover subjective quality
/// scores from noisy measurements" (DCC 2017), as Netflix sureal 0.9.0 implements it —
/// `MaximumLikelihoodEstimationModel` and `…ContentOblivious` with their default arguments.
/// sureal's source is the definition; docs/mos.md says where it departs from the paper.
///
/// Goals, in order: sureal's numbers to 1e-6 with sureal's own stopping rule; never NaN
/// (data the model cannot fit give `.undefined` with the reason); speed (RatingSweeps).
///
/// Model: x_es = x_e + B_es + A_es, B_es ~ N(b_s, v_s²) per rater, A_es ~ N(0, a_c(e)²) per
/// content (mle_co: a ≡ 0). Initial values: x_e = MOS, b_s = 0, v_s = the rater's residual
/// standard deviation about the MOS, a_c = the content's (both ddof 0). Iterations are
/// MaximumLikelihoodState's; stop when ‖Δx‖₂ < 1e-8 or after 10,000. Then b is shifted to
/// mean 0 and x by the same amount (force_subjbias_zeromean).
///
/// Intervals: score, bias and ambiguity ± 1.95996/√(Fisher information) of the last
/// iteration; inconsistency from χ² (RatingSweeps.inconsistencyIntervals), as sureal.
/// The result is
///     x_e ← x_e·0.9 + 0.1·Σ_s (x_es − b_s)/(v_s² + a_c(e)²) ÷ Σ_s 1/(v_s² + a_c(e)²)
enum MaximumLikelihood {
    static let deltaThreshold = 1e-8
    static let maxIterations = 10_000

    static func score(_ data: OpinionData, modelsContent: Bool) -> OpinionOutcome {
        let method: OpinionMethod = modelsContent ? .mle : .mleCO
        let m: RatingSweeps
        do { m = try RatingSweeps(data, method: method) } catch { return .undefined(reason: error.reason) }
        let state = initialState(m, data, modelsContent: modelsContent)
        var iterations = 0
        while true {
            let change = state.iterate()
            iterations += 1
            if change < deltaThreshold || iterations >= maxIterations { break }
        }
        let fit = state.fit
        let meanBias = fit.b.reduce(0, +) / Double(m.raters)
        let bias = fit.b.map { $0 - meanBias }
        let scores = fit.x.map { $0 + meanBias }
        if let reason = breakdown(data, fit: fit, scores: scores, bias: bias, method: method) {
            return .undefined(reason: reason)
        }
        let units = (0..<m.units).map { e in
            UnitScore(unit: e, score: scores[e], standardError: fit.xStd[e],
                      ci95: normalInterval(scores[e], standardError: fit.xStd[e]), n: m.perUnit[e])
        }
        let inconsistency = m.inconsistencyIntervals(fit.v)
        let raters = (0..<m.raters).map { s in
            RaterFigures(rater: s, bias: bias[s], biasCI95: normalInterval(bias[s], standardError: fit.bStd[s]),
                         inconsistency: fit.v[s], inconsistencyCI95: inconsistency[s])
        }
        let contents = modelsContent ? fit.a.indices.filter { !fit.a[$0].isNaN }.map { c in
            ContentFigures(content: c, ambiguity: fit.a[c], ci95: normalInterval(fit.a[c], standardError: fit.aStd[c]))
        } : []
        return .scored(OpinionResult(method: method, units: units, raters: raters, contents: contents,
                                     iterations: iterations))
    }

    /// sureal's initial values: MOS per unit, zero bias, residual standard deviations about
    /// the MOS per rater and per content (NaN for a content no unit belongs to, which the
    /// iterations then leave alone and the result leaves out).
    static func initialState(_ m: RatingSweeps, _ data: OpinionData, modelsContent: Bool) -> MaximumLikelihoodState {
        let s = m.raters, scores = m.scores, contentCount = data.contentNames.count
        var mos = [Double](repeating: 0, count: m.units)
        for e in 0..<m.units {
            var sum = 0.0
            for r in 0..<s where !scores[e * s + r].isNaN { sum += scores[e * s + r] }
            mos[e] = sum / Double(m.perUnit[e])
        }
        // Two passes (mean, then squared deviations), as numpy's nanstd.
        var raterSum = [Double](repeating: 0, count: s), contentSum = [Double](repeating: 0, count: contentCount)
        var contentN = [Int](repeating: 0, count: contentCount)
        for e in 0..<m.units {
            for r in 0..<s where !scores[e * s + r].isNaN {
                let res = scores[e * s + r] - mos[e]
                raterSum[r] += res
                contentSum[data.contentOfUnit[e]] += res
                contentN[data.contentOfUnit[e]] += 1
            }
        }
        var raterSquares = [Double](repeating: 0, count: s), contentSquares = [Double](repeating: 0, count: contentCount)
        for e in 0..<m.units {
            let c = data.contentOfUnit[e]
            for r in 0..<s where !scores[e * s + r].isNaN {
                let res = scores[e * s + r] - mos[e]
                let dr = res - raterSum[r] / Double(m.perRater[r]), dc = res - contentSum[c] / Double(contentN[c])
                raterSquares[r] += dr * dr
                contentSquares[c] += dc * dc
            }
        }
        let v = (0..<s).map { (raterSquares[$0] / Double(m.perRater[$0])).squareRoot() }
        let a = (0..<contentCount).map { c in
            contentN[c] == 0 ? .nan : (modelsContent ? (contentSquares[c] / Double(contentN[c])).squareRoot() : 0)
        }
        return MaximumLikelihoodState(m, contentOfUnit: data.contentOfUnit, x: mos, v: v, a: a, modelsContent: modelsContent)
    }

    /// How far past the scores' range an estimate may go before the fit counts as run away.
    static let runawayFactor = 1e6

    /// Why the fitted model is no answer, or nil when it is one. Two ways sureal's damped
    /// Newton steps fail, both on few ratings per rater or content: a rater whose every rating
    /// equals its unit's mean (or whose inconsistency a step drives to 0) gets a weight of 1/0
    /// (NaN) wherever the content's ambiguity is 0 too; and a step on an
    /// inconsistency or ambiguity can run away, to 1e39 or 1e76, and then overflow to NaN or
    /// stop there. sureal reports either; concord reports neither (docs/mos.md): any estimate
    /// beyond 10⁶ × the scores' range is taken as run away.
    static func breakdown(_ data: OpinionData, fit: MaximumLikelihoodState.Fit, scores: [Double], bias: [Double],
                          method: OpinionMethod) -> String? {
        let rated = data.scores.filter { !$0.isNaN }
        let bound = runawayFactor * Swift.max(1, rated.max()! - rated.min()!) + rated.map(abs).max()!
        let ok = { (x: Double) in x.isFinite && abs(x) <= bound }
        let name = method.rawValue
        if let s = fit.v.indices.first(where: { !ok(bias[$0]) || !ok(fit.v[$0]) }) {
            if fit.v[s] == 0 || fit.v[s].isNaN {
                return "\(name) has no finite fit: rater \(data.raterNames[s])'s inconsistency reached 0 (the model fits their ratings exactly, e.g. on units no one else rated), so it weighs them by 1/0; have more units rated by several raters, or use p910"
            }
            return "\(name)'s fit ran away: rater \(data.raterNames[s])'s inconsistency grew without bound (too few ratings per rater for the model); use p910 or mle_co, or collect more ratings"
        }
        if let c = Set(data.contentOfUnit).sorted().first(where: { !ok(fit.a[$0]) }) {
            return "\(name)'s fit ran away: content \(data.contentNames[c])'s ambiguity grew without bound (too few ratings per content for the model); use mle_co or p910, or collect more ratings"
        }
        if let e = scores.indices.first(where: { !ok(scores[$0]) || fit.xStd[$0].isNaN }) {
            return "\(name) has no finite fit: unit \(data.unitNames[e])'s score did not converge; use p910 or mos"
        }
        return nil
    }
}
