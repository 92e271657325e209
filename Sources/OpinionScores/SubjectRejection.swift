/// ITU-R BT.500-14 Annex 2 §2.3.1 observer screening as sureal 0.9.0 does it
/// (`SubjectiveModel._get_opinion_score_3darray_with_preprocessing`, `subject_rejection=True`);
/// shared by `bt500` (on the raw scores) and `p913` (on the bias-removed scores). docs/mos.md.
///
/// Per unit, over its present ratings: μ, σ (population, ddof 0, as sureal — the standard's
/// text has the sample deviation) and β₂ = m₄/m₂² (scipy's biased kurtosis; undefined when all
/// the unit's ratings are equal). k = 2 when 2 ≤ β₂ ≤ 4 (near normal), else √20. A rating
/// x ≥ μ + kσ adds 1 to its rater's P, x ≤ μ − kσ adds 1 to Q (with σ = 0 both hold, so a
/// unit everyone rated alike, or rated once, counts once in P and once in Q for each rating:
/// sureal's arithmetic, and the standard's text read literally).
/// A rater is rejected when (P+Q)/E > 0.05 and |P−Q|/(P+Q) < 0.3, E = all units, rated by the
/// rater or not (sureal; the standard counts the rater's presentations); when every rater
/// would be, none is (sureal's own rule, not the standard's).
enum SubjectRejection {
    /// One rater's counts and the rule's two statistics.
    struct Screening: Equatable {
        /// Ratings at or above / at or below the unit's mean ± 2σ, on units with 2 ≤ β₂ ≤ 4.
        var aboveNarrow = 0, belowNarrow = 0
        /// The same with ±√20σ, on the other units.
        var aboveWide = 0, belowWide = 0
        var p: Int { aboveNarrow + aboveWide }
        var q: Int { belowNarrow + belowWide }
        /// (P+Q)/E: sureal's `observer_rejected_1st_stats`.
        var first = 0.0
        /// |P−Q|/(P+Q), nil when P+Q = 0 (sureal: NaN): `observer_rejected_2nd_stats`.
        var second: Double?
        /// The rule's verdict before the "not everyone" exception.
        var meetsRule = false
        var rejected = false
    }

    /// Screens the raters of a row-major units × raters matrix (NaN = missing).
    static func screen(_ scores: [Double], units: Int, raters: Int) -> [Screening] {
        var result = [Screening](repeating: Screening(), count: raters)
        let wide = (20.0).squareRoot()
        var present: [Double] = [], who: [Int] = []
        for u in 0..<units {
            present.removeAll(keepingCapacity: true)
            who.removeAll(keepingCapacity: true)
            for r in 0..<raters where !scores[u * raters + r].isNaN {
                present.append(scores[u * raters + r])
                who.append(r)
            }
            guard !present.isEmpty else { continue }
            let (mu, sigma, kurtosis) = Moments.screeningMoments(present)
            let narrow = kurtosis.map { 2 <= $0 && $0 <= 4 } ?? false
            let high = narrow ? mu + 2 * sigma : mu + wide * sigma
            let low = narrow ? mu - 2 * sigma : mu - wide * sigma
            for (x, r) in zip(present, who) {
                if x >= high { if narrow { result[r].aboveNarrow += 1 } else { result[r].aboveWide += 1 } }
                if x <= low { if narrow { result[r].belowNarrow += 1 } else { result[r].belowWide += 1 } }
            }
        }
        for r in 0..<raters {
            let p = Double(result[r].p), q = Double(result[r].q)
            result[r].first = (p + q) / Double(units)
            result[r].second = p + q > 0 ? abs((p - q) / (p + q)) : nil
            result[r].meetsRule = result[r].first > 0.05 && (result[r].second.map { $0 < 0.3 } ?? false)
        }
        let everyone = result.allSatisfy(\.meetsRule)
        for r in 0..<raters { result[r].rejected = result[r].meetsRule && !everyone }
        return result
    }

    /// Why a rejected rater was rejected, with the counts a lead can check by hand.
    static func reason(_ s: Screening, units: Int) -> String {
        let sum = s.p + s.q
        let narrow = s.aboveNarrow + s.belowNarrow
        let split = narrow == sum ? "all with k = 2" : narrow == 0 ? "all with k = √20" : "\(narrow) with k = 2, \(sum - narrow) with k = √20"
        return "BT.500 P/Q rule: P = \(s.p) (ratings at or above their unit's mean + kσ), Q = \(s.q) (at or below mean − kσ) "
            + "(k = 2 where the unit's kurtosis β₂ is in [2, 4], else √20; \(split)); "
            + "(P+Q)/units = \(sum)/\(units) = \(Printed.rounded(s.first)) > 0.05 and "
            + "|P−Q|/(P+Q) = \(abs(s.p - s.q))/\(sum) = \(Printed.rounded(s.second ?? 0)) < 0.3"
    }

    /// The reason a unit has no score after screening, or nil when every unit kept a rating.
    static func unitLeftUnrated(_ data: OpinionData, rejected: [Bool], rule: String) -> String? {
        let r = data.raterCount
        for u in 0..<data.unitCount {
            let raters = (0..<r).filter { !data.scores[u * r + $0].isNaN }
            if raters.allSatisfy({ rejected[$0] }) {
                let names = raters.map { data.raterNames[$0] }.joined(separator: ", ")
                return "unit '\(data.unitNames[u])' has no ratings left after \(rule) screening: its raters (\(names)) were all rejected; collect more ratings of it, or score with mos"
            }
        }
        return nil
    }
}
