// Fleiss' kappa, percent agreement and Gwet's AC1: the chance-corrected agreement of any
// number of raters, in Gwet's (2014) form for missing data.
//
// Sources: J. L. Fleiss (1971), "Measuring nominal scale agreement among many raters",
// Psychological Bulletin 76(5); K. L. Gwet (2014), Handbook of Inter-Rater Reliability,
// 4th ed., ch. 2 and 5 (as the irrCAC package computes them). With the same number of
// ratings on every unit these are exactly Fleiss (1971).
//
//   p_a = mean over units with r_i ≥ 2 of Σ_k r_ik(r_ik − 1) / (r_i(r_i − 1))
//   π_k = mean over units with r_i ≥ 1 of r_ik / r_i
//   Fleiss: p_e = Σ_k π_k²                     κ = (p_a − p_e) / (1 − p_e)
//   AC1:    p_e = Σ_k π_k(1 − π_k) / (q − 1)   γ = (p_a − p_e) / (1 − p_e)

extension Coincidences {
    func percentAgreement() -> Outcome {
        guard pairableUnits > 0 else { return .undefined(reason: Reason.noPairableUnit) }
        return .value(percentAgreementSum / Double(pairableUnits))
    }

    func fleissKappa() -> Outcome {
        guard pairableUnits > 0 else { return .undefined(reason: Reason.noPairableUnit) }
        guard observedCategories >= 2 else { return .undefined(reason: Reason.oneCategory) }
        let pa = percentAgreementSum / Double(pairableUnits)
        let pe = pi.reduce(0) { $0 + $1 * $1 }
        return Outcome.ratio(pa - pe, 1 - pe, undefinedBecause: Reason.oneCategory)
    }

    /// `q` is the number of categories: the rubric's or the given order's, else the observed.
    func gwetAC1(q: Int) -> Outcome {
        guard pairableUnits > 0 else { return .undefined(reason: Reason.noPairableUnit) }
        guard q >= 2 else {
            return .undefined(reason: "needs at least 2 categories; the category set has \(q)")
        }
        let pa = percentAgreementSum / Double(pairableUnits)
        let pe = pi.reduce(0) { $0 + $1 * (1 - $1) } / Double(q - 1)
        return Outcome.ratio(pa - pe, 1 - pe, undefinedBecause: "chance agreement is 1")
    }
}
