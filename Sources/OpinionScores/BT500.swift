/// ITU-R BT.500-14 Annex 2 §2.3 observer screening, then MOS over the raters kept: sureal
/// 0.9.0's `BT500Model` (`SubjrejMosModel`, `SR_MOS`). SubjectRejection holds the screening
/// and where sureal departs from the standard's text; MeanOpinionScore the scores and
/// intervals. docs/mos.md.
///
/// Every rater appears in the result, kept or rejected; a rejected rater's reason gives P, Q
/// and the rule's two ratios. A unit rated only by rejected raters has no score (sureal: NaN),
/// so the whole result is undefined with that unit named.
enum BT500Screening {
    static func score(_ data: OpinionData) -> OpinionOutcome {
        if let reason = MeanOpinionScore.undefinedReason(data) { return .undefined(reason: reason) }
        let screening = SubjectRejection.screen(data.scores, units: data.unitCount, raters: data.raterCount)
        let rejected = screening.map(\.rejected)
        if let reason = SubjectRejection.unitLeftUnrated(data, rejected: rejected, rule: "BT.500") {
            return .undefined(reason: reason)
        }
        let units = MeanOpinionScore.unitScores(data.scores, units: data.unitCount, raters: data.raterCount,
                                                kept: rejected.map { !$0 })
        let raters = screening.enumerated().map { r, s in
            RaterFigures(rater: r, rejected: s.rejected,
                         reason: s.rejected ? SubjectRejection.reason(s, units: data.unitCount) : nil)
        }
        return .scored(OpinionResult(method: .bt500, units: units, raters: raters))
    }
}
