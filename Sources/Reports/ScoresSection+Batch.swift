import OpinionScores
import Rubric
import Store

extension ScoresSection {
    /// Every numeric and ordinal criterion of the batch scored by `BatchScores` (human
    /// raters only, as agreement counts them), the preferred method else the fallback;
    /// nominal criteria are listed with the reason they get no score. With the batch's
    /// viewing record, each criterion's quality-rule violations (`QualityRules`, the rules
    /// `status` lists); without it they read "not evaluated". Criteria are scored side by
    /// side, as the report's agreement sections are. Clips are named `ITEM:CLIP` when
    /// `namingClips`, else by item number alone (an auditor's report names no clip:
    /// docs/security.md), in the ranking and in the violations alike.
    public init(labels: BatchLabels, viewing: BatchViewing?, method: OpinionMethod = ScoresSection.preferred,
                namingClips: Bool = true) throws {
        let measured = labels.rubric.criteria.filter(\.isPartOfAgreement)
        let scored = measured.filter { BatchScores.refusal($0) == nil }
        let criteria = try parallelMap(scored) { criterion in
            try Criterion(labels: labels, criterion: criterion, method: method, namingClips: namingClips,
                          violations: try viewing.map { viewing in
                              try QualityRules.evaluate(labels: labels, viewing: viewing, criterion: criterion,
                                                        namingClips: namingClips)
                          })
        }
        self.init(criteria: criteria,
                  skipped: measured.compactMap { c in BatchScores.refusal(c).map { (id: c.id, reason: $0) } })
    }

    /// Each broken rule of each rater (the rule by its name, `QualityRule.rawValue`), in the
    /// rules' order: how many times, and the first few of the clips and numbers that broke
    /// it (every one is in `concord status --batch`).
    public static func violations(_ raters: [RaterViolations]) -> [Violation] {
        raters.flatMap { r in
            r.rules.map { rule in
                let found = r.violations.filter { $0.rule == rule }
                // As `concord status` writes them (QualityRules.text).
                let shown = found.prefix(shownViolations).map { v in (v.clip.map { "\($0) " } ?? "") + v.detail }
                let more = found.count > shownViolations ? "; … and \(found.count - shownViolations) more" : ""
                return Violation(rater: r.rater, rule: rule.rawValue, count: found.count, detail: shown.joined(separator: "; ") + more)
            }
        }
    }

    /// Violations of one rule of one rater spelled out at most (the rest are counted).
    static let shownViolations = 3
}

extension ScoresSection.Criterion {
    /// One criterion of a batch: `BatchScores` with `method`, else the fallback with
    /// `method`'s reason.
    public init(labels: BatchLabels, criterion: Criterion, method: OpinionMethod = ScoresSection.preferred,
                namingClips: Bool = true, violations: [RaterViolations]?) throws {
        let scores = try BatchScores(labels, criterion: criterion, namingClips: namingClips)
        let s = try ScoresSection.choose(preferred: method) { try scores.score(method: $0) }
        self.init(id: criterion.id, scale: criterion.scale, unitNames: s.data.unitNames, raterNames: s.data.raterNames, method: s.method,
                  preferredMethod: method,
                  fallbackReason: s.fallbackReason, outcome: s.outcome, violations: violations.map(ScoresSection.violations),
                  range: Self.range(of: criterion))
    }

    /// The scale's own ends: a numeric criterion's range, an ordinal one's lowest and
    /// highest number (`BatchScores.numbers`), so a 1–5 ACR chart always spans 1 to 5.
    static func range(of criterion: Criterion) -> ClosedRange<Double>? {
        if let r = criterion.range { return r }
        guard let numbers = BatchScores.numbers(for: criterion)?.values, let lo = numbers.min(), let hi = numbers.max(), lo < hi else { return nil }
        return lo...hi
    }
}
