import Agreement
import OpinionScores
import Rubric
import Store

/// The release gate: agreement, gold accuracy and opinion scores against thresholds, one
/// check per criterion (and per rater for gold), each passing or failing with its value —
/// what a CI pipeline runs before a batch's labels are used.
///
/// Conservative by design: a statistic that is undefined (one category only, no pairable
/// unit) fails its check with the reason, and with `useLowerBound` a check compares the
/// lower end of the bootstrap interval, so a small batch cannot pass on luck.
public struct ReleaseGate: Sendable {
    public struct Thresholds: Sendable {
        public var minAlpha: Double?
        public var minKappa: Double?
        public var minGoldAccuracy: Double?
        public var criterion: String?
        public var useLowerBound = false
        public var resamples = Bootstrap.defaultResamples
        public var seed = Bootstrap.defaultSeed
        public var confidence = 0.95
        /// Below this many pairable units a criterion's checks carry a warning: its
        /// estimate is luck-prone and its interval wide (a lower bound then fails).
        public var minUnits = 30
        /// Every clip's 95% interval half-width must be at most this (`ReleaseGate+Scores`).
        public var maxMosCI: Double?
        /// At most this many raters rejected, by the method's screening and `excluded`.
        public var maxRejectedRaters: Int?
        /// The opinion-score method of those two checks: docs/mos.md's default for a project.
        public var mosMethod: OpinionMethod = ScoresSection.preferred
        /// Raters left out before scoring, with the reason (a quality rule): by criterion id.
        /// Score checks name a clip `ITEM:CLIP`; false: the item alone (auditors).
        public var namingClips = true
        public var excluded: [String: [(rater: String, reason: String)]] = [:]
        /// `--judge M --as-good-as-humans` (ReleaseGate+Judge): the judge and the golden set.
        public var asGoodAsHumans: JudgeRule?
        /// `--pairwise C --system NEW --beats OLD` (ReleaseGate+Pairwise), decided before the gate.
        public var pairwise: PairwiseVerdict?
        public init() {}
        public var isEmpty: Bool {
            minAlpha == nil && minKappa == nil && minGoldAccuracy == nil && maxMosCI == nil && maxRejectedRaters == nil
                && asGoodAsHumans == nil && pairwise == nil
        }
    }

    public struct Check: Sendable, Equatable {
        /// "present", or "gold · alice".
        public let subject: String
        /// A metric's JSON name, or "gold_accuracy".
        public let statistic: String
        /// The number compared (the CI's lower bound with `useLowerBound`); nil when undefined.
        public let value: Double?
        /// The point estimate, when `value` is a lower bound.
        public let estimate: Double?
        public let threshold: Double
        public let passed: Bool
        /// Why it failed without a number, or what was skipped.
        public let note: String?
        /// Pairable units (items with two or more ratings) behind an agreement check.
        public let units: Int?
        /// With `useLowerBound`: the share of bootstrap replicates below the threshold
        /// (Krippendorff's q for the chosen minimum).
        public let q: Double?
        /// Fewer pairable units than `minUnits`: the check's sample is too small to trust.
        public let smallSample: Bool
        /// The threshold is a ceiling (`--max-…`): the value passes at or below it.
        public let atMost: Bool
        /// The intervals compared (`--as-good-as-humans`: the judge's and the humans'), to print.
        public let intervals: [IntervalNote]

        public init(subject: String, statistic: String, value: Double?, estimate: Double?, threshold: Double, passed: Bool,
                    note: String?, units: Int? = nil, q: Double? = nil, smallSample: Bool = false, atMost: Bool = false,
                    intervals: [IntervalNote] = []) {
            self.subject = subject; self.statistic = statistic; self.value = value; self.estimate = estimate
            self.threshold = threshold; self.passed = passed; self.note = note; self.units = units; self.q = q
            self.smallSample = smallSample; self.atMost = atMost; self.intervals = intervals
        }
    }

    public let batch: String
    public let rubricHash: String
    public let checks: [Check]
    /// The pairwise check's figures, for the gate's header and JSON (ReleaseGate+Pairwise).
    public let pairwise: PairwiseVerdict?
    public var passed: Bool { !checks.isEmpty && checks.allSatisfy(\.passed) }

    public init(labels: BatchLabels, gold: [GoldAnswer], thresholds t: ReleaseGate.Thresholds) throws {
        batch = labels.batch
        rubricHash = labels.rubricHash
        var criteria = labels.rubric.criteria.filter(\.isPartOfAgreement)
        if let only = t.criterion {
            guard let c = labels.rubric.criterion(only) else {
                throw StoreError(.input, "the rubric \(quoted(labels.rubric.name)) has no criterion \(quoted(only)); criteria: \(labels.rubric.criteria.map(\.id).joined(separator: ", "))")
            }
            guard c.isPartOfAgreement else { throw StoreError(.input, "\(quoted(only)) is a text criterion: notes have no agreement to gate on") }
            criteria = [c]
        }
        var checks: [Check] = []
        for criterion in criteria {
            let data = try BatchReliability.data(labels, criterion: criterion, includeModels: false)
            var wanted: [(Metric, Double)] = []
            if let minAlpha = t.minAlpha, let alpha = BatchReliability.alpha(for: criterion.scale) { wanted.append((alpha, minAlpha)) }
            if let minKappa = t.minKappa, let kappa = Self.kappa(for: criterion.scale, raters: data.raterCount) { wanted.append((kappa, minKappa)) }
            guard !wanted.isEmpty else { continue }
            let summary = AgreementSummary(data)
            let outcomes = summary.outcomes
            let intervals = t.useLowerBound
                ? Bootstrap.intervals(data, metrics: wanted.map(\.0), resamples: t.resamples, seed: t.seed, confidence: t.confidence)
                : [:]
            for (metric, threshold) in wanted {
                let estimate = outcomes[metric]?.value
                var value = estimate
                var note: String? = outcomes[metric].flatMap { if case .undefined(let reason) = $0 { return "undefined: \(reason)" } else { return nil } }
                var q: Double?
                if t.useLowerBound, estimate != nil {
                    switch intervals[metric] {
                    case .success(let interval)?: value = interval.lower; q = interval.shareBelow(threshold)
                    case .failure(let undefined)?: value = nil; note = "no interval: \(undefined.reason)"
                    case nil: value = nil; note = "no interval"
                    }
                }
                checks.append(Check(subject: criterion.id, statistic: metric.rawValue, value: value,
                                    estimate: t.useLowerBound ? estimate : nil, threshold: threshold,
                                    passed: value.map { $0 >= threshold } ?? false, note: note,
                                    units: summary.pairableUnits, q: q, smallSample: summary.pairableUnits < t.minUnits))
            }
        }
        checks += try Self.judgeChecks(labels, criteria: criteria, thresholds: t)
        checks += try Self.scoreChecks(labels, thresholds: t)
        if let minGold = t.minGoldAccuracy {
            let accuracy = GoldAccuracy(labels: labels, gold: gold, threshold: minGold)
            let humans = accuracy.rows.filter { $0.role != .model }
            if humans.isEmpty {
                checks.append(Check(subject: "gold", statistic: "gold_accuracy", value: nil, estimate: nil, threshold: minGold,
                                    passed: false, note: gold.isEmpty ? "no gold answers in the batch" : "no rater has answered a gold question"))
            }
            for row in humans {
                checks.append(Check(subject: "gold · \(row.rater)", statistic: "gold_accuracy", value: row.accuracy, estimate: nil,
                                    threshold: minGold, passed: (row.accuracy ?? -1) >= minGold,
                                    note: "\(row.correct) of \(row.answered) gold answers right"))
            }
        }
        if let verdict = t.pairwise { checks.append(verdict.check) }
        self.checks = checks
        self.pairwise = t.pairwise
    }

    /// The kappa a scale's gate uses: Cohen's (nominal) or quadratic weighted (ordinal)
    /// with exactly two raters, Fleiss' with more; none for numeric scales.
    static func kappa(for scale: Scale, raters: Int) -> Metric? {
        switch scale {
        case .nominal: return raters == 2 ? .cohenKappa : .fleissKappa
        case .ordinal: return raters == 2 ? .weightedKappaQuadratic : .fleissKappa
        default: return nil
        }
    }
}
