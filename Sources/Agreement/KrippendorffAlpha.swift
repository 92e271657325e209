// Krippendorff's alpha for any number of raters, missing data, and four levels of measurement.
//
// Source: K. Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", Annenberg
// School for Communication, University of Pennsylvania; the coincidence-matrix form, as the
// `krippendorff` PyPI package computes it.
// Goals, in priority order: exact to 1e-9 against the reference; undefined cases named;
// O(categories²) per read from the tallies.
//
//   α = 1 − (n − 1) · Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck

extension Coincidences {
    func krippendorffAlpha(_ level: AlphaLevel, categories: CategorySet) -> Outcome {
        guard pairableUnits > 0 else { return .undefined(reason: Reason.noPairableUnit) }
        let k = categoryCount
        let delta2: (Int, Int) -> Double
        switch level {
        case .nominal:
            // Closed form of the general sum for δ² = [c ≠ k]: observed n − Σ o_cc,
            // expected (n² − Σ n_c²) / (n − 1).
            var diagonal = 0.0, squares = 0.0
            for c in 0..<k {
                diagonal += o[c * k + c]
                squares += nc[c] * nc[c]
            }
            return Outcome.ratio(n - diagonal, n * n - squares, undefinedBecause: Reason.oneCategory)
                .map { 1 - (n - 1) * $0 }
        case .ordinal:
            guard categories.isOrdered else { return .undefined(reason: Reason.noOrder) }
            // δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)², using prefix sums over the order.
            var prefix = [Double](repeating: 0, count: k + 1)
            for c in 0..<k { prefix[c + 1] = prefix[c] + nc[c] }
            delta2 = { c, kk in
                let (lo, hi) = c <= kk ? (c, kk) : (kk, c)
                let d = (prefix[hi + 1] - prefix[lo]) - (nc[lo] + nc[hi]) / 2
                return d * d
            }
        case .interval, .ratio:
            if let problem = numericProblem(level, categories: categories) {
                return .undefined(reason: problem)
            }
            let v = categories.numericValues!
            if level == .interval {
                delta2 = { c, kk in (v[c] - v[kk]) * (v[c] - v[kk]) }
            } else {
                delta2 = { c, kk in
                    let sum = v[c] + v[kk]
                    return sum == 0 ? 0 : ((v[c] - v[kk]) / sum) * ((v[c] - v[kk]) / sum)
                }
            }
        }
        var observedDisagreement = 0.0, expectedDisagreement = 0.0
        for c in 0..<k where nc[c] != 0 {
            for kk in 0..<k where nc[kk] != 0 && kk != c {
                let d = delta2(c, kk)
                observedDisagreement += o[c * k + kk] * d
                expectedDisagreement += nc[c] * nc[kk] * d
            }
        }
        return Outcome.ratio(observedDisagreement, expectedDisagreement,
                             undefinedBecause: "expected disagreement is 0: every pairable value is the same")
            .map { 1 - (n - 1) * $0 }
    }

    /// Why interval or ratio alpha cannot be computed on these categories, if it cannot.
    func numericProblem(_ level: AlphaLevel, categories: CategorySet) -> String? {
        guard let values = categories.numericValues else {
            // Name one offending label, the same one whatever order the data came in: the
            // first in an explicit order, else the smallest observed.
            let words = zip(categories.labels, observed)
                .filter { CategorySet.number(from: $0.0) == nil && (categories.isExplicit || $0.1) }.map(\.0)
            let word = (categories.isExplicit ? words.first : words.min()) ?? ""
            return "needs numeric values; '\(word)' is not a number"
        }
        if level == .ratio, let negative = zip(values, observed).first(where: { $0.0 < 0 && $0.1 }) {
            return "needs non-negative values; found \(categories.labels[values.firstIndex(of: negative.0)!])"
        }
        return nil
    }
}

extension Outcome {
    /// Applies `transform` to a defined value; undefined stays undefined.
    func map(_ transform: (Double) -> Double) -> Outcome {
        switch self {
        case .value(let v):
            let t = transform(v)
            return t.isFinite ? .value(t) : .undefined(reason: "the result is not a finite number")
        case .undefined: return self
        }
    }
}
