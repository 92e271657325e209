import Rubric
import Store

extension QualityRules {
    /// The rules over a batch as the Store reads it: its current labels on `criterion`
    /// (`ProjectSession.labelsForAgreement`) and its viewing record (`ProjectSession.viewing`).
    /// Every person with a score or a workbench submission is judged; model raters are left
    /// out (their numbers are not a crowd's). `mos --batch --reject quality`, `status`, the
    /// report and the dashboard all call this, so they list the same violations. Clips are
    /// named `CLIP` when `namingClips`, else by item number alone: an auditor reads the rules'
    /// results but no clip name (docs/security.md).
    public static func evaluate(labels: BatchLabels, viewing: BatchViewing, criterion: Criterion,
                                thresholds: QualityThresholds = QualityThresholds(),
                                namingClips: Bool = true) throws -> [RaterViolations] {
        evaluate(try input(labels: labels, viewing: viewing, criterion: criterion, namingClips: namingClips),
                 thresholds: thresholds)
    }

    /// `QualityInput` from the Store's reads: clips in batch order with their durations,
    /// raters with a score first (in `BatchScores`' order), then those who only submitted.
    public static func input(labels: BatchLabels, viewing: BatchViewing, criterion: Criterion,
                             namingClips: Bool = true) throws -> QualityInput {
        let scores = try BatchScores(labels, criterion: criterion)
        let models = Set(zip(labels.raters, labels.roles).filter { $0.1 == .model }.map(\.0))
        var raters = scores.raters
        var raterIndex = Dictionary(uniqueKeysWithValues: raters.enumerated().map { ($0.element, $0.offset) })
        let itemIndex = Dictionary(uniqueKeysWithValues: labels.items.enumerated().map { ($0.element, $0.offset) })
        var viewings: [QualityInput.Viewing] = []
        for record in viewing.records where !models.contains(record.rater) {
            guard let clip = itemIndex[record.item] else { continue }
            let rater: Int
            if let known = raterIndex[record.rater] { rater = known } else {
                rater = raters.count; raterIndex[record.rater] = rater; raters.append(record.rater)
            }
            viewings.append(QualityInput.Viewing(clip: clip, rater: rater, watchedShare: record.watchedShare,
                                                 seconds: record.dwellMs.map { Double($0) / 1000 }))
        }
        let clips = zip(labels.items, labels.clipNames).map { item, name in
            QualityInput.Clip(name: namingClips ? name : "\(item)", duration: viewing.durations[item])
        }
        return QualityInput(clips: clips, raters: raters,
                            ratings: scores.ratings.map { QualityInput.Rating(clip: $0.item, rater: $0.rater, score: $0.score) },
                            viewings: viewings)
    }
}
