import Agreement
import Rubric
import Store

/// `concord judge`'s calibration part, per criterion: the judge's current answers on the
/// golden set with their confidence (ECE, Brier, the reliability diagram) and its
/// self-agreement over repeated samples (docs/release-gate-and-judges.md).
public struct JudgeCalibrationReport: Sendable {
    public struct CriterionCalibration: Sendable {
        public let criterion: Criterion
        /// Golden entries the judge answered, and how many of those answers carry a confidence.
        public let answered: Int
        public let calibration: JudgeCalibration.Result
        /// Alpha among the judge's repeated samples, at the criterion's level.
        public let selfAgreement: JudgeAgreement.Estimate
        /// Items the judge labelled more than once (in more than one sample).
        public let repeatedItems: Int
    }

    public let judge: String
    public let criteria: [CriterionCalibration]

    /// `predictions`: every revision of the judge's labels in the batch (`ProjectSession.predictions`).
    public init(labels: BatchLabels, golden: GoldenSet, judge: String, predictions: [PredictionRow],
                resamples: Int = Bootstrap.defaultResamples, seed: UInt64 = Bootstrap.defaultSeed) {
        self.judge = judge
        var current: [ItemCriterion: PredictionRow] = [:]
        for row in predictions where row.isCurrent { current[ItemCriterion(item: row.item, criterion: row.criterion)] = row }
        criteria = labels.rubric.criteria.filter(\.isPartOfAgreement).map { criterion in
            var confidence: [Double] = [], correct: [Bool] = []
            var answered = 0
            for entry in golden.entries where entry.criterion == criterion.id {
                guard let row = current[ItemCriterion(item: entry.item, criterion: entry.criterion)] else { continue }
                answered += 1
                guard let c = row.confidence else { continue }
                confidence.append(c)
                correct.append(criterion.canonicalAnswer(row.value) == criterion.canonicalAnswer(entry.value))
            }
            let rows = predictions.filter { $0.criterion == criterion.id }.map { (item: $0.item, value: $0.value, sample: $0.sample) }
            let (values, samples) = JudgeAgreement.samples(rows)
            let repeated = values.filter { $0.compactMap { $0 }.count >= 2 }.count
            var agreement = JudgeAgreement.alpha(values, raters: samples, criterion: criterion, resamples: resamples, seed: seed)
            if repeated == 0 {
                let reason = "\(judge) labelled no item of \(criterion.id) more than once; import repeated samples with a sample column (docs/release-gate-and-judges.md)"
                agreement = .undefined(agreement.metric, reason, raters: samples.count)
            }
            return CriterionCalibration(criterion: criterion, answered: answered,
                                        calibration: JudgeCalibration.calibrate(confidence: confidence, correct: correct),
                                        selfAgreement: agreement, repeatedItems: repeated)
        }
    }
}
