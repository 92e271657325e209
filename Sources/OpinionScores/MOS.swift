/// Mean opinion score, ITU-T P.910 / P.913's arithmetic mean per unit with the interval
/// sureal's `MosModel` (0.9.0) gives it; docs/mos.md.
///
/// Source: sureal `subjective_model.py`, `MosModel._get_mos_and_stats`. Goals in order: equal
/// sureal's numbers (Moments does numpy's summation order); say why where there is no number.
///
/// Per unit i with n_i ratings x_ij (missing ratings skipped):
///     MOS_i = Σ_j x_ij / n_i,   s_i = √(Σ_j (x_ij − MOS_i)² / (n_i − 1)),
///     SE_i = s_i / √n_i,        CI95_i = MOS_i ± 1.95996 · SE_i
/// (1.95996, sureal's constant, is z₀.₉₇₅ to six figures; the interval is a normal one, not
/// Student's t, so it is narrow for small n — docs/mos.md says so).
enum MeanOpinionScore {
    /// sureal's multiplier of the standard error for a 95% interval.
    static let z95 = 1.95996

    static func score(_ data: OpinionData) -> OpinionOutcome {
        if let reason = undefinedReason(data) { return .undefined(reason: reason) }
        let units = unitScores(data.scores, units: data.unitCount, raters: data.raterCount,
                               kept: Array(repeating: true, count: data.raterCount))
        return .scored(OpinionResult(method: .mos, units: units,
                                     raters: (0..<data.raterCount).map { RaterFigures(rater: $0) }))
    }

    /// Why `data` has no scores under any closed-form method (mos, bt500, p913), or nil.
    /// No ratings; fewer than 2 raters (one person's ratings have no spread between raters to
    /// screen or to build an interval from); every rating the same value (sureal gives
    /// zero-width intervals and, for bt500, flags every rater, then keeps them all — numbers
    /// that mean nothing); a unit with no rating (sureal's MOS is NaN there).
    static func undefinedReason(_ data: OpinionData) -> String? {
        let r = data.raterCount
        var ratersWithRatings: [Int] = []
        for rater in 0..<r where (0..<data.unitCount).contains(where: { !data.scores[$0 * r + rater].isNaN }) {
            ratersWithRatings.append(rater)
        }
        let present = data.scores.filter { !$0.isNaN }
        guard let first = present.first else {
            return "the data has no ratings; give at least 2 raters' scores of each unit"
        }
        if ratersWithRatings.count < 2 {
            return "needs ratings from at least 2 raters; the data has 1 (\(data.raterNames[ratersWithRatings[0]]))"
        }
        if present.allSatisfy({ $0 == first }) {
            return "all \(present.count) ratings are \(Printed.number(first)): with no spread there is no interval and nothing to screen; check that the value column holds the scores"
        }
        if let unit = (0..<data.unitCount).first(where: { u in (0..<r).allSatisfy { data.scores[u * r + $0].isNaN } }) {
            return "unit '\(data.unitNames[unit])' has no ratings; rate it or leave it out of the data"
        }
        return nil
    }

    /// MOS, standard error and interval of every unit over the raters marked `kept`, from a
    /// row-major units × raters matrix (NaN = missing). As sureal does, rejected raters'
    /// columns are dropped before summing (the order numpy adds in depends on it). A unit
    /// with one rating has no sample standard deviation: its SE and interval are nil (sureal:
    /// NaN). Callers make sure every unit has a kept rating.
    static func unitScores(_ scores: [Double], units: Int, raters: Int, kept: [Bool]) -> [UnitScore] {
        let columns = (0..<raters).filter { kept[$0] }
        var row = [Double](repeating: .nan, count: columns.count)
        return (0..<units).map { u in
            for (k, c) in columns.enumerated() { row[k] = scores[u * raters + c] }
            let (mean, std, n) = Moments.rowMeanAndSampleStd(row)
            guard let std else { return UnitScore(unit: u, score: mean, standardError: nil, ci95: nil, n: n) }
            let se = std / Double(n).squareRoot()
            let half = z95 * se
            return UnitScore(unit: u, score: mean, standardError: se,
                             ci95: Interval(low: mean - half, high: mean + half), n: n)
        }
    }
}

/// Numbers in reasons: integers without a decimal point, others as Swift prints them
/// (shortest round-trip), so a reason quotes the data as the CSV had it.
enum Printed {
    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }

    /// A statistic in a reason, to 3 decimals (0.333), exact ones as they are (0.5).
    static func rounded(_ x: Double) -> String {
        number((x * 1000).rounded() / 1000)
    }
}
