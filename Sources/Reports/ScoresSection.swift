import OpinionScores
import Rubric

/// The report's "Scores" section and the lead's Scores panel: per numeric or ordinal
/// criterion, every clip's opinion score with its 95% interval, the raters the method
/// rejected and why, each rater's bias and inconsistency, and each rater's violations of
/// the crowd-test quality rules. Computed here once; the report's renderers and the
/// workbench only write it down (docs/reports.md, docs/mos.md).
public struct ScoresSection: Sendable {
    /// The method shown when it is defined: P.910 Annex E's alternating projection, the one
    /// docs/mos.md recommends for a project (it separates each rater's bias and
    /// inconsistency from the clip's score, so a harsh rater does not pull a clip down, and
    /// converges in a few sweeps; a project's clips carry no content, where `mle`'s content
    /// term runs away or takes thousands of iterations).
    public static let preferred: OpinionMethod = .p910
    /// Shown when `preferred` is undefined on the data (e.g. too few ratings per rater for
    /// the model): the plain mean opinion score, which needs the least.
    public static let fallback: OpinionMethod = .mos

    /// One rater's violations of one quality rule, as the rules name them.
    public struct Violation: Sendable, Equatable {
        public let rater: String
        public let rule: String
        public let count: Int
        /// Which clips or what figure broke the rule, in words (may be empty).
        public let detail: String
        public init(rater: String, rule: String, count: Int, detail: String) {
            self.rater = rater; self.rule = rule; self.count = count; self.detail = detail
        }
    }

    /// One rater as the section lists them: name and the method's figures.
    public struct Rater: Sendable, Equatable {
        public let name: String
        public let figures: RaterFigures
    }

    public struct Criterion: Sendable {
        public let id: String
        public let scale: Scale
        public let unitNames: [String]
        public let raterNames: [String]
        /// The method whose outcome is shown.
        public let method: OpinionMethod
        /// The method asked for (`ScoresSection.preferred` unless the report was told otherwise).
        public let preferredMethod: OpinionMethod
        /// Why `preferredMethod` is not the method shown (its undefined reason); nil when it is.
        public let fallbackReason: String?
        public let outcome: OpinionOutcome
        /// The quality rules' violations, by rater then rule; nil when they were not
        /// evaluated (no viewing record could be read).
        public let violations: [Violation]?
        /// The ends of the score axis the charts draw on: the criterion's own range when
        /// the rubric gives one, widened to every score and interval shown.
        public let axis: ClosedRange<Double>

        public init(id: String, scale: Scale, unitNames: [String], raterNames: [String], method: OpinionMethod,
                    preferredMethod: OpinionMethod = ScoresSection.preferred,
                    fallbackReason: String?, outcome: OpinionOutcome, violations: [Violation]?, range: ClosedRange<Double>? = nil) {
            self.id = id; self.scale = scale; self.unitNames = unitNames; self.raterNames = raterNames
            self.method = method; self.preferredMethod = preferredMethod; self.fallbackReason = fallbackReason
            self.outcome = outcome; self.violations = violations
            axis = Self.axis(outcome.result?.units ?? [], range: range)
        }

        /// Scores `data` with the preferred method, else the fallback, saying why.
        public init(id: String, scale: Scale, data: OpinionData, violations: [Violation]?, range: ClosedRange<Double>? = nil) {
            let s = ScoresSection.choose { (data, OpinionScores.score(data, method: $0)) }
            self.init(id: id, scale: scale, unitNames: s.data.unitNames, raterNames: s.data.raterNames, method: s.method,
                      fallbackReason: s.fallbackReason, outcome: s.outcome, violations: violations, range: range)
        }

        /// Clips with a score, highest first (ties: the narrower interval, then the name),
        /// so the ranking is the same in every format and on every run.
        public var ranked: [UnitScore] {
            (outcome.result?.units ?? []).filter { $0.score.isFinite }.sorted { a, b in
                if a.score != b.score { return a.score > b.score }
                let wa = a.ci95?.halfWidth ?? .infinity, wb = b.ci95?.halfWidth ?? .infinity
                if wa != wb { return wa < wb }
                return unitNames[a.unit] < unitNames[b.unit]
            }
        }

        /// Clips the method gave no score (no rating kept).
        public var unscored: Int { unitNames.count - ranked.count }

        /// Every rater the method reports, in name order.
        public var raters: [Rater] {
            (outcome.result?.raters ?? []).map { Rater(name: raterNames[$0.rater], figures: $0) }.sorted { $0.name < $1.name }
        }

        /// The raters the method rejected, with its reason, in name order.
        public var rejected: [Rater] { raters.filter(\.figures.rejected) }

        /// Whether the method estimated each rater's bias or inconsistency (mle, p913, p910).
        public var hasRaterModel: Bool { raters.contains { $0.figures.bias != nil || $0.figures.inconsistency != nil } }

        /// A sentence naming the method shown, and why it is not the preferred one. The
        /// reason can name a rater, so the Markdown passes it through its escape (`text`).
        public func methodText(_ text: (String) -> String = { $0 }) -> String {
            let name = "\(method.rawValue) (\(OpinionReport.describe(method)))"
            guard let why = fallbackReason else { return "Scores by \(name), docs/mos.md." }
            return "\(preferredMethod.rawValue) is undefined on these ratings (\(text(why))), so the scores are by \(name), docs/mos.md."
        }

        static func axis(_ units: [UnitScore], range: ClosedRange<Double>?) -> ClosedRange<Double> {
            var lo = range?.lowerBound ?? .infinity, hi = range?.upperBound ?? -.infinity
            for u in units where u.score.isFinite {
                lo = min(lo, u.score, u.ci95?.low ?? u.score)
                hi = max(hi, u.score, u.ci95?.high ?? u.score)
            }
            guard lo.isFinite, hi.isFinite else { return 0...1 }
            return lo < hi ? lo...hi : (lo - 1)...(hi + 1)
        }
    }

    public let criteria: [Criterion]
    /// Criteria of the batch that get no scores, with why (a nominal scale has no mean).
    public let skipped: [(id: String, reason: String)]

    public init(criteria: [Criterion], skipped: [(id: String, reason: String)] = []) {
        self.criteria = criteria; self.skipped = skipped
    }

    /// The one rule for which method a Scores section shows: `score` with the preferred
    /// method (`preferred` unless the caller names another), and when that is undefined,
    /// with the fallback, keeping the first one's reason.
    public static func choose(preferred: OpinionMethod = preferred,
                              _ score: (OpinionMethod) throws -> (data: OpinionData, outcome: OpinionOutcome)) rethrows
        -> (data: OpinionData, method: OpinionMethod, fallbackReason: String?, outcome: OpinionOutcome) {
        let first = try score(preferred)
        guard let why = first.outcome.undefinedReason, preferred != fallback else { return (first.data, preferred, nil, first.outcome) }
        let second = try score(fallback)
        return (second.data, fallback, why, second.outcome)
    }
}
