import Rubric
import Store

extension BatchScores {
    /// `--reject quality` (docs/quality-rules.md): the raters who broke a quality rule on
    /// `criterion`, each with the rules as the reason ("quality: straight-lining"), to leave
    /// out before scoring. The rules judge people only, so models are never listed; the
    /// order is the rules' (raters by name).
    public static func qualityRejections(labels: BatchLabels, viewing: BatchViewing, criterion: Criterion,
                                         thresholds: QualityThresholds) throws -> [(rater: String, reason: String)] {
        try QualityRules.evaluate(labels: labels, viewing: viewing, criterion: criterion, thresholds: thresholds)
            .compactMap { r in r.reason.map { (r.rater, $0) } }
    }
}
