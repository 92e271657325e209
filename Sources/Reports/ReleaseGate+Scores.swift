import OpinionScores
import Rubric
import Store

/// The gate's opinion-score checks (docs/release-gate-and-judges.md, docs/mos.md): per
/// ordinal or numeric criterion, scored by `BatchScores` with the thresholds' method —
/// `--max-mos-ci W`, the widest 95% interval half-width of any clip at most W; and
/// `--max-rejected-raters N`, at most N raters rejected by the method's screening and by
/// the rule that left raters out before scoring. Conservative like the other checks: an
/// undefined method fails with its reason, and so does a clip with no interval (one rating).
extension ReleaseGate {
    static func scoreChecks(_ labels: BatchLabels, thresholds t: Thresholds) throws -> [Check] {
        guard t.maxMosCI != nil || t.maxRejectedRaters != nil else { return [] }
        var criteria = labels.rubric.criteria.filter { BatchScores.refusal($0) == nil }
        if let only = t.criterion { criteria = criteria.filter { $0.id == only } }
        var checks: [Check] = []
        for criterion in criteria {
            let left = t.excluded[criterion.id] ?? []
            let (data, outcome) = try BatchScores.score(labels, criterion: criterion, method: t.mosMethod, includeModels: false,
                                                        excluding: Set(left.map(\.rater)), namingClips: t.namingClips)
            let method = t.mosMethod.rawValue
            guard case .scored(let result) = outcome else {
                let note = "\(method) undefined: \(outcome.undefinedReason ?? "")"
                if let w = t.maxMosCI { checks.append(ciCheck(criterion.id, value: nil, threshold: w, passed: false, note: note)) }
                if let n = t.maxRejectedRaters { checks.append(rejectedCheck(criterion.id, value: nil, threshold: n, passed: false, note: note)) }
                continue
            }
            if let w = t.maxMosCI {
                let widths = result.units.map { $0.ci95?.halfWidth }
                let without = widths.filter { $0 == nil }.count
                let widest = result.units.indices.filter { widths[$0] != nil }.max { widths[$0]! < widths[$1]! }
                let over = widths.filter { ($0 ?? .infinity) > w }.count
                var notes = ["\(method)", "\(over) of \(plural(result.units.count, "clip")) wider"]
                if let widest { notes.append("widest \(data.unitNames[result.units[widest].unit])") }
                if without > 0 { notes.append("\(plural(without, "clip")) with one rating, so no interval") }
                checks.append(ciCheck(criterion.id, value: widest.flatMap { widths[$0] }, threshold: w,
                                      passed: over == 0, note: notes.joined(separator: "; ")))
            }
            if let n = t.maxRejectedRaters {
                let rejected = result.raters.filter(\.rejected).map { data.raterNames[$0.rater] } + left.map(\.rater)
                let total = data.raterCount + left.count
                let note = "\(method)" + (left.isEmpty ? "" : " after quality rules")
                    + (rejected.isEmpty ? "; none of \(plural(total, "rater")) rejected"
                                        : "; rejected of \(plural(total, "rater")): " + rejected.map { quoted($0) }.joined(separator: ", "))
                checks.append(rejectedCheck(criterion.id, value: rejected.count, threshold: n, passed: rejected.count <= n, note: note))
            }
        }
        return checks
    }

    /// Whether the method can reject a rater by itself (BT.500's screening: bt500, p913).
    public static func screens(_ method: OpinionMethod) -> Bool { method == .bt500 || method == .p913 }

    private static func ciCheck(_ subject: String, value: Double?, threshold: Double, passed: Bool, note: String) -> Check {
        Check(subject: subject, statistic: "mos_ci95_half_width", value: value, estimate: nil, threshold: threshold,
              passed: passed, note: note, atMost: true)
    }

    private static func rejectedCheck(_ subject: String, value: Int?, threshold: Int, passed: Bool, note: String) -> Check {
        Check(subject: subject, statistic: "rejected_raters", value: value.map(Double.init), estimate: nil, threshold: Double(threshold),
              passed: passed, note: note, atMost: true)
    }
}
