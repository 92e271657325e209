/// ITU-T P.913 §12.4 subject bias removal, then observer screening, then MOS: sureal 0.9.0's
/// `P913124Model` (`BiasremvSubjrejMosModel`, `BR_SR_MOS`), with `bias_offset` and
/// `subject_rejection` on. docs/mos.md.
///
/// Source: sureal `SubjectiveModel._get_opinion_score_3darray_with_preprocessing`. In order:
///     MOS_i = mean_j x_ij                      (all raters; missing ratings skipped)
///     b_j   = mean_i (x_ij − MOS_i)            (the rater's bias, over the units it rated)
///     y_ij  = x_ij − b_j                        (bias removed)
/// then SubjectRejection's BT.500 P/Q screening on y, and MeanOpinionScore's mean, SE and
/// interval of y over the raters kept. The bias is estimated once, from every rater, before
/// screening (sureal's order), and reported for rejected raters too.
enum P913BiasRemoval {
    static func score(_ data: OpinionData) -> OpinionOutcome {
        if let reason = MeanOpinionScore.undefinedReason(data) { return .undefined(reason: reason) }
        let (units, raters) = (data.unitCount, data.raterCount)
        let bias = biases(data.scores, units: units, raters: raters)
        var adjusted = data.scores
        for u in 0..<units {
            for r in 0..<raters where !adjusted[u * raters + r].isNaN { adjusted[u * raters + r] -= bias[r] }
        }
        let screening = SubjectRejection.screen(adjusted, units: units, raters: raters)
        let rejected = screening.map(\.rejected)
        if let reason = SubjectRejection.unitLeftUnrated(data, rejected: rejected, rule: "P.913 (BT.500 P/Q)") {
            return .undefined(reason: reason)
        }
        let scores = MeanOpinionScore.unitScores(adjusted, units: units, raters: raters, kept: rejected.map { !$0 })
        let figures = screening.enumerated().map { r, s in
            RaterFigures(rater: r, bias: bias[r].isNaN ? nil : bias[r], rejected: s.rejected,
                         reason: s.rejected ? "on the bias-removed scores, " + SubjectRejection.reason(s, units: units) : nil)
        }
        return .scored(OpinionResult(method: .p913, units: scores, raters: figures))
    }

    /// b_j per rater (NaN for a rater with no ratings): each unit's mean as numpy's
    /// `nanmean(axis=1)` (pairwise per row), each rater's mean deviation as `nanmean(axis=0)`
    /// (a column added top to bottom) — numpy's orders, so the bias-removed scores, and the
    /// screening's comparisons on them, are sureal's to the bit.
    static func biases(_ scores: [Double], units: Int, raters: Int) -> [Double] {
        var sums = [Double](repeating: 0, count: raters)
        var counts = [Int](repeating: 0, count: raters)
        var row = [Double](repeating: 0, count: raters)
        for u in 0..<units {
            for r in 0..<raters { row[r] = scores[u * raters + r] }
            let mean = Moments.rowMeanAndSampleStd(row).mean
            for r in 0..<raters where !row[r].isNaN {
                sums[r] += row[r] - mean
                counts[r] += 1
            }
        }
        return (0..<raters).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : .nan }
    }
}
