import Agreement
import Rubric
import Store

/// Live agreement of one batch for the lead's dashboard: every agreement criterion's
/// statistics kept current from the label revisions other processes commit, without ever
/// recomputing from scratch per label.
///
/// **Snapshot, then changes.** `init` reads the highest label id *before* it reads the
/// batch's labels (`adjudicationContext`), then applies every revision after that id as
/// it arrives. A revision committed between the two reads is in the snapshot and is
/// applied again: harmless, because applying sets the rater's current value (it does not
/// add). Reading the id after the snapshot instead could skip such a revision forever.
///
/// **Watching.** `poll(now:)` asks SQLite's `PRAGMA data_version` (microseconds; it changes
/// when another connection commits) and only then reads `labelChanges(after:)` — the few
/// new revisions, oldest first. Model raters' labels are left out (judges are scored
/// against the golden set, they do not count in agreement), as in `concord agreement
/// --batch`. A revision of an item the snapshot did not know (a clip added to the batch
/// since) re-reads the whole snapshot: rare, and the only full read.
///
/// **Slower numbers.** Bootstrap intervals (Bootstrap's defaults, B=1000 seed 1, as `concord
/// report` computes them, so both show the same interval) and gold accuracy are recomputed
/// by `refreshSlow`, at most every `slowInterval` seconds and only when something changed;
/// until then the screen marks the intervals as being updated.
public final class LiveAgreement {
    public static let resamples = Bootstrap.defaultResamples
    public static let seed = Bootstrap.defaultSeed
    public static let confidence = 0.95
    /// Above this share of ratings in one category AC1 joins a line (BatchReliability's rule).
    public static let skewThreshold = BatchReliability.skewThreshold
    /// Seconds between two slow refreshes, at the most.
    public static let slowInterval = 2.0

    public let batch: String
    private let session: ProjectSession
    /// The snapshot the live state started from (the queue is built from it too).
    public private(set) var context: AdjudicationContext
    private var unitOfItem: [Int64: Int] = [:]
    private var criteria: [LiveCriterion] = []
    private var lastLabel: Int64 = 0
    private var version = 0
    /// Bumped by every applied change; the slow numbers remember the one they were made at.
    private var generation = 0
    private var slow: SlowNumbers?
    private var lastSlowAt = -Double.infinity
    /// Set by any commit: gold answers are not labels, so gold accuracy is re-read then.
    private var goldStale = false
    private var gold: GoldAccuracy
    /// Label revisions applied since the snapshot, and full snapshots read (1 + re-reads).
    public private(set) var appliedChanges = 0
    public private(set) var snapshots = 0
    /// The `now` of the poll that last saw a change (for the screen's "updated" stamp).
    /// Time is always the caller's: the statistics keep no clock, so tests pass plain
    /// numbers and the workbench its monotonic one.
    public private(set) var updatedAt: Double?

    /// What `poll` found.
    public struct PollResult: Sendable, Equatable {
        /// Something was committed by another connection.
        public let committed: Bool
        /// Items whose labels changed (human raters or not).
        public let items: Set<Int64>
        static let nothing = PollResult(committed: false, items: [])
    }

    /// Reads the snapshot. Leads and admins only: anyone else gets the Store's permission
    /// error here, before any screen opens.
    public init(session: ProjectSession, batch: String) throws {
        self.session = session
        self.batch = batch
        let first = try Self.read(session, batch)
        context = first.context
        gold = GoldAccuracy(first.context)
        install(first)
    }

    private struct Snapshot {
        let version: Int
        let lastLabel: Int64
        let context: AdjudicationContext
        let criteria: [LiveCriterion]
    }

    private static func read(_ session: ProjectSession, _ batch: String) throws -> Snapshot {
        let version = try session.dataVersion()
        let lastLabel = try session.lastLabelID()   // before the labels: see the type's comment
        let context = try session.adjudicationContext(batch: batch)
        let labels = context.labels
        let criteria = try labels.rubric.criteria.filter(\.isPartOfAgreement).map { criterion in
            LiveCriterion(criterion: criterion, data: try BatchReliability.data(labels, criterion: criterion, includeModels: false))
        }
        return Snapshot(version: version, lastLabel: lastLabel, context: context, criteria: criteria)
    }

    private func install(_ snapshot: Snapshot) {
        version = snapshot.version
        lastLabel = snapshot.lastLabel
        context = snapshot.context
        unitOfItem = Dictionary(uniqueKeysWithValues: snapshot.context.labels.items.enumerated().map { ($1, $0) })
        criteria = snapshot.criteria
        snapshots += 1
        generation += 1
    }

    // MARK: - Watching

    /// Applies whatever other processes committed since the last call. Cheap when nothing
    /// did (one pragma). `now` is the caller's clock in seconds.
    @discardableResult
    public func poll(now: Double) throws -> PollResult {
        let current = try session.dataVersion()
        guard current != version else { return .nothing }
        version = current
        goldStale = true
        let (changes, last) = try session.labelChanges(batch: batch, after: lastLabel)
        lastLabel = max(lastLabel, last)
        try apply(changes)
        if !changes.isEmpty { updatedAt = now }
        return PollResult(committed: true, items: Set(changes.map(\.item)))
    }

    /// Applies label revisions in id order (each sets the rater's current value).
    func apply(_ changes: [LabelChange]) throws {
        var index: [String: Int] = [:]
        for (i, c) in criteria.enumerated() { index[c.criterion.id] = i }
        for change in changes where change.role != .model {
            guard let unit = unitOfItem[change.item] else {
                install(try Self.read(session, batch))   // an item added to the batch since: start again
                goldStale = true
                return
            }
            guard let i = index[change.criterion] else { continue }   // a text criterion
            if criteria[i].set(unit: unit, rater: change.rater, value: change.value.isEmpty ? nil : change.value) {
                generation += 1
            }
            appliedChanges += 1
        }
    }

    // MARK: - Slow numbers

    private struct SlowNumbers {
        let generation: Int
        let intervals: [String: [Metric: Result<BootstrapInterval, UndefinedInterval>]]
        /// Pair and leave-one-out tables of criteria with too many raters to keep live.
        let pairs: [String: [Breakdown.RaterPairRow]]
        let leaveOneOut: [String: [Breakdown.LeaveOneOutRow]]
    }

    /// Recomputes bootstrap intervals and gold accuracy when something changed and
    /// `slowInterval` has passed on the caller's clock (or `force`). Returns whether it did.
    @discardableResult
    public func refreshSlow(now: Double, force: Bool = false) throws -> Bool {
        guard goldStale || slow?.generation != generation else { return false }
        guard force || now - lastSlowAt >= Self.slowInterval else { return false }
        if goldStale { gold = GoldAccuracy(try session.adjudicationContext(batch: batch)) }
        var intervals: [String: [Metric: Result<BootstrapInterval, UndefinedInterval>]] = [:]
        var pairs: [String: [Breakdown.RaterPairRow]] = [:], leaveOneOut: [String: [Breakdown.LeaveOneOutRow]] = [:]
        for live in criteria {
            let data = live.data()
            let id = live.criterion.id
            intervals[id] = Bootstrap.intervals(data, metrics: Self.shownMetrics(live), resamples: Self.resamples,
                                                seed: Self.seed, confidence: Self.confidence)
            if live.pairs == nil {
                let metrics = BatchReliability.pairMetrics(for: live.criterion.scale)
                pairs[id] = Breakdown.perRaterPair(data, metrics: metrics)
                leaveOneOut[id] = Breakdown.leaveOneRaterOut(data, metrics: BatchReliability.leaveOneOutMetrics(for: live.criterion.scale))
            }
        }
        slow = SlowNumbers(generation: generation, intervals: intervals, pairs: pairs, leaveOneOut: leaveOneOut)
        goldStale = false
        lastSlowAt = now
        return true
    }

    /// Per-rater gold accuracy as of the last slow refresh (or the snapshot).
    public var goldAccuracy: GoldAccuracy { gold }

    /// The adjudication queue of the snapshot the live numbers started from (as `concord
    /// queue` orders it, by magnitude or `--order posterior`): the lead's workbench reads
    /// every number of the batch from here.
    public func adjudicationQueue(order: AdjudicationQueue.Order = .magnitude) throws -> AdjudicationQueue {
        try AdjudicationQueue(context, order: order)
    }

    // MARK: - Reading

    /// Everything the dashboard shows for one criterion.
    public struct CriterionView: Sendable {
        public let criterion: Criterion
        public let raters: [String]
        /// Every metric of the whole data (the live accumulator's numbers).
        public let summary: AgreementSummary
        /// The statistics this criterion's scale and data call for
        /// (`BatchReliability.dashboardMetrics`).
        public let shown: [Metric]
        /// The columns of the pair and leave-one-out tables: the scale's alpha and its
        /// two-rater kappa (nil where the scale has none).
        public let alpha: Metric?
        public let pairKappa: Metric?
        public let topCategoryShare: Double?
        /// Bootstrap intervals of `shown`; nil before the first slow refresh.
        public let intervals: [Metric: Result<BootstrapInterval, UndefinedInterval>]?
        /// False while the intervals are of older data than `summary`.
        public let intervalsCurrent: Bool
        /// Rater pairs, in rater name order; nil while not yet computed.
        public let pairs: [Breakdown.RaterPairRow]?
        public let leaveOneOut: [Breakdown.LeaveOneOutRow]?
    }

    /// The dashboard's numbers now. Live parts are read from the accumulators
    /// (O(categories²) each), so this is cheap enough for every redraw.
    public var views: [CriterionView] {
        criteria.map { live in
            let id = live.criterion.id
            let summary = AgreementSummary(live.all, units: live.unitCount)
            var pairs: [Breakdown.RaterPairRow]? = slow?.pairs[id]
            var leaveOut: [Breakdown.LeaveOneOutRow]? = slow?.leaveOneOut[id]
            if live.pairs != nil {
                pairs = Self.livePairs(live)
                leaveOut = Self.liveLeaveOneOut(live)
            }
            return CriterionView(criterion: live.criterion, raters: live.raterNames, summary: summary,
                                 shown: Self.shownMetrics(live), alpha: BatchReliability.alpha(for: live.criterion.scale),
                                 pairKappa: BatchReliability.twoRaterKappa(for: live.criterion.scale),
                                 topCategoryShare: live.topCategoryShare,
                                 intervals: slow?.intervals[id], intervalsCurrent: slow?.generation == generation,
                                 pairs: pairs, leaveOneOut: leaveOut)
        }
    }

    private static func livePairs(_ live: LiveCriterion) -> [Breakdown.RaterPairRow] {
        let names = live.raterNames
        let metrics = BatchReliability.pairMetrics(for: live.criterion.scale)
        var rows: [Breakdown.RaterPairRow] = []
        for hi in 0..<names.count {
            for lo in 0..<hi {
                guard let accumulator = live.pairs?[LiveCriterion.pairKey(lo, hi)] else { continue }
                let (first, second) = names[lo] < names[hi] ? (names[lo], names[hi]) : (names[hi], names[lo])
                rows.append(Breakdown.RaterPairRow(first: first, second: second,
                                    summary: AgreementSummary(accumulator, units: live.unitCount, metrics: metrics)))
            }
        }
        return rows.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
    }

    private static func liveLeaveOneOut(_ live: LiveCriterion) -> [Breakdown.LeaveOneOutRow] {
        guard let without = live.withoutRater else { return [] }
        let metrics = BatchReliability.leaveOneOutMetrics(for: live.criterion.scale)
        return zip(live.raterNames, without).map {
            Breakdown.LeaveOneOutRow(rater: $0, summary: AgreementSummary($1, units: live.unitCount, metrics: metrics))
        }.sorted { $0.rater < $1.rater }
    }

    /// The dashboard line's statistics of a live criterion (BatchReliability's rule).
    static func shownMetrics(_ live: LiveCriterion) -> [Metric] {
        BatchReliability.dashboardMetrics(scale: live.criterion.scale, raters: live.raterNames.count,
                                          topCategoryShare: live.topCategoryShare)
    }

    /// Rebuilds of criteria from their mirrors since the snapshot (for tests).
    var rebuilds: [String: Int] {
        Dictionary(uniqueKeysWithValues: criteria.map { ($0.criterion.id, $0.rebuilds) })
    }
}
