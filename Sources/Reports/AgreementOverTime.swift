import Agreement
import Rubric
import Store

/// Agreement over time (docs/statistics.md, "Agreement over time"): per agreement criterion,
/// the scale's Krippendorff alpha with its bootstrap interval (Bootstrap's defaults, as
/// `concord agreement --batch --bootstrap` and the report compute it) and gold accuracy in
/// each time window, markers where the rubric version changed, and a drift warning when the
/// latest window's interval lies wholly below the first's.
///
/// **Placement.** An item is placed, with all its current labels on the criterion, at the
/// submission time of its latest current label there: the moment its agreement became
/// known. Alpha compares raters on the same item, so splitting an item's labels between two
/// windows would leave neither with a pair. A gold answer is placed at its own submission
/// time (a rater's first answer, as GoldAccuracy counts it). Model raters are left out, as in
/// `concord agreement --batch`. With `--window N`, items are taken in order of placement
/// (ties by batch position), N per window (the last may hold fewer), and a gold answer
/// belongs to the last window that had begun by its time.
public struct AgreementOverTime: Sendable {
    public struct RaterGold: Sendable, Equatable {
        public let answered: Int
        public let correct: Int
        public var accuracy: Double? { answered > 0 ? Double(correct) / Double(answered) : nil }
    }

    public struct Window: Sendable {
        /// "2026-12-05", "2026-W49" or "items 1–20".
        public let name: String
        /// The earliest and latest submission time placed in it (labels and gold answers).
        public let first: String
        public let last: String
        /// Items placed here, and their ratings.
        public let items: Int
        public let ratings: Int
        public let alpha: Outcome
        public let interval: Result<BootstrapInterval, UndefinedInterval>
        /// Gold answers placed here (all raters, and per rater).
        public let gold: RaterGold
        public let goldByRater: [String: RaterGold]
        /// Rubric versions (content hashes) of its labels, in order of first appearance.
        public let versions: [String]
        /// Versions that the previous window's labels did not carry: a marker.
        public let newVersions: [String]
    }

    public struct GoldFall: Sendable, Equatable {
        public let rater: String
        public let first: Double
        public let latest: Double
    }

    public enum Drift: Sendable {
        /// The latest window's interval lies wholly below the first's; the raters whose gold
        /// accuracy fell most between those windows (at most three, largest fall first).
        case drifting(first: BootstrapInterval, latest: BootstrapInterval, raters: [GoldFall])
        case steady
        /// Why drift cannot be judged (one window, an undefined interval).
        case undetermined(String)
    }

    public struct CriterionTimeline: Sendable {
        public let criterion: Criterion
        public let metric: Metric
        public let windows: [Window]
        public let drift: Drift
    }

    public let batch: String
    public let window: OverTimeWindow
    public let resamples: Int
    public let seed: UInt64
    public let confidence: Double
    public let criteria: [CriterionTimeline]

    /// Raters named in a drift warning, at most.
    public static let namedRaters = 3

    public init(labels: BatchLabels, versions: LabelRubricVersions, gold: [GoldAnswer], window: OverTimeWindow,
                resamples: Int = Bootstrap.defaultResamples, seed: UInt64 = Bootstrap.defaultSeed, confidence: Double = 0.95) throws {
        batch = labels.batch
        self.window = window
        self.resamples = resamples
        self.seed = seed
        self.confidence = confidence
        criteria = try labels.rubric.criteria.filter(\.isPartOfAgreement).map { criterion in
            let input = OverTimeInput(labels: labels, versions: versions, gold: gold, criterion: criterion)
            return try Self.timeline(input, window: window, resamples: resamples, seed: seed, confidence: confidence)
        }
    }

    private init(batch: String, window: OverTimeWindow, resamples: Int, seed: UInt64, confidence: Double, criteria: [CriterionTimeline]) {
        self.batch = batch; self.window = window; self.resamples = resamples; self.seed = seed; self.confidence = confidence
        self.criteria = criteria
    }

    /// The same settings with only `criteria` (`--criterion`).
    public func only(_ criteria: [CriterionTimeline]) -> AgreementOverTime {
        AgreementOverTime(batch: batch, window: window, resamples: resamples, seed: seed, confidence: confidence, criteria: criteria)
    }

    static func timeline(_ input: OverTimeInput, window: OverTimeWindow, resamples: Int, seed: UInt64,
                         confidence: Double) throws -> CriterionTimeline {
        let criterion = input.criterion
        guard let metric = BatchReliability.alpha(for: criterion.scale) else {
            return CriterionTimeline(criterion: criterion, metric: .krippendorffAlphaNominal, windows: [], drift: .undetermined("a text criterion"))
        }
        let groups = input.windows(window)
        let windows = try parallelMap(Array(groups.indices)) { k in
            try Self.window(k, of: groups, input, metric: metric, resamples: resamples, seed: seed, confidence: confidence)
        }
        return CriterionTimeline(criterion: criterion, metric: metric, windows: windows, drift: drift(windows))
    }

    /// Window `k` of `groups`: its alpha, interval, gold accuracy and rubric versions.
    static func window(_ k: Int, of groups: [OverTimeInput.Group], _ input: OverTimeInput, metric: Metric, resamples: Int,
                       seed: UInt64, confidence: Double) throws -> Window {
        let group = groups[k]
        let data = try input.data(units: group.units)
        let alpha = AgreementSummary(data, metrics: [metric]).outcomes[metric] ?? .undefined(reason: "not computed")
        // Bootstrap answers every metric it is asked for.
        let interval = Bootstrap.intervals(data, metrics: [metric], resamples: resamples, seed: seed, confidence: confidence)[metric]!
        var byRater: [String: RaterGold] = [:]
        for answer in group.gold {
            let seen = byRater[answer.rater] ?? RaterGold(answered: 0, correct: 0)
            byRater[answer.rater] = RaterGold(answered: seen.answered + 1, correct: seen.correct + (answer.correct ? 1 : 0))
        }
        let versions = input.versions(of: group.units)
        let previous: Set<String> = k > 0 ? Set(input.versions(of: groups[k - 1].units)) : []
        let times = group.units.map { input.placement[$0] } + group.gold.map(\.at)
        return Window(name: group.name, first: times.min() ?? "", last: times.max() ?? "", items: group.units.count,
                      ratings: data.ratingCount, alpha: alpha, interval: interval,
                      gold: RaterGold(answered: group.gold.count, correct: group.gold.filter(\.correct).count),
                      goldByRater: byRater, versions: versions,
                      newVersions: previous.isEmpty ? [] : versions.filter { !previous.contains($0) })
    }

    /// The drift verdict from the first and latest windows alone (the live dashboard's).
    static func driftOfEnds(_ input: OverTimeInput, window: OverTimeWindow) throws -> Drift {
        guard let metric = BatchReliability.alpha(for: input.criterion.scale) else { return .undetermined("a text criterion") }
        let groups = input.windows(window)
        guard groups.count >= 2 else { return .undetermined(groups.isEmpty ? noLabels : oneWindow) }
        let ends = try [0, groups.count - 1].map {
            try Self.window($0, of: groups, input, metric: metric, resamples: Bootstrap.defaultResamples, seed: Bootstrap.defaultSeed, confidence: 0.95)
        }
        return drift(ends)
    }

    static let noLabels = "no labels yet"
    static let oneWindow = "one window only: nothing to compare yet"

    /// The drift verdict of a criterion's windows (first against latest).
    static func drift(_ windows: [Window]) -> Drift {
        guard windows.count >= 2, let first = windows.first, let latest = windows.last else {
            return .undetermined(windows.isEmpty ? noLabels : oneWindow)
        }
        guard case .success(let a) = first.interval else {
            return .undetermined("the first window's interval is undefined")
        }
        guard case .success(let b) = latest.interval else {
            return .undetermined("the latest window's interval is undefined")
        }
        guard b.upper < a.lower else { return .steady }
        var falls: [GoldFall] = []
        for (rater, then) in first.goldByRater {
            guard let was = then.accuracy, let now = latest.goldByRater[rater]?.accuracy, now < was else { continue }
            falls.append(GoldFall(rater: rater, first: was, latest: now))
        }
        falls.sort { ($0.first - $0.latest, $1.rater) > ($1.first - $1.latest, $0.rater) }
        return .drifting(first: a, latest: b, raters: Array(falls.prefix(namedRaters)))
    }

    /// Eight levels, lowest to highest, for alpha from 0 to 1 (below 0 is the lowest; an
    /// undefined window is "·"). A fixed scale, so a flat line at ▇ and one at ▂ differ.
    public static let sparkLevels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public static func sparkline(_ values: [Double?]) -> String {
        String(values.map { v -> Character in
            guard let v else { return "·" }
            let level = Int((min(max(v, 0), 1) * Double(sparkLevels.count)).rounded(.down))
            return sparkLevels[min(level, sparkLevels.count - 1)]
        })
    }
}
