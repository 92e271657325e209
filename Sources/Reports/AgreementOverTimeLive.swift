import Agreement
import Store

/// The adjudicate dashboard's drift sparkline: each agreement criterion's alpha per time
/// window (AgreementOverTime's windows and placement), kept current label by label, and
/// the drift warning.
///
/// **Fast part, per label revision.** `poll` reads the revisions committed since the last
/// call (`labelChanges`, and their rubric versions) and moves each changed item to its new
/// window; only the windows that lost or gained an item are computed again (their alpha
/// only, over their own labels), so one new label costs two small windows, not the batch.
/// With item windows every window after the item's old place shifts, so all are computed
/// again (one pass over the criterion's labels).
///
/// **Slow part.** The drift warning needs the first and latest windows' bootstrap intervals
/// and the gold answers: `refreshSlow` computes them (the caller runs it at the cadence of
/// LiveAgreement's slow numbers).
public final class LiveOverTime {
    public let window: OverTimeWindow
    private let session: ProjectSession
    private let batch: String
    private var inputs: [OverTimeInput]
    private var unitOfItem: [Int64: Int]
    /// Per criterion: window key → alpha (nil: undefined), and window key → its units.
    private var alphas: [[String: Double?]]
    private var members: [[String: Set<Int>]]
    private var lastLabel: Int64
    private var drifts: [AgreementOverTime.Drift?]
    private var dirtySlow = true
    /// Label revisions applied since the snapshot.
    public private(set) var appliedChanges = 0

    /// `after`: the last label id before `context` was read (revisions after it are applied
    /// again on the first poll; setting a current value twice is harmless).
    public init(session: ProjectSession, context: AdjudicationContext, after: Int64, window: OverTimeWindow = .day) throws {
        self.session = session
        self.window = window
        batch = context.labels.batch
        lastLabel = after
        inputs = []; unitOfItem = [:]; alphas = []; members = []; drifts = []
        try load(context)
    }

    private func load(_ context: AdjudicationContext) throws {
        let versions = try session.currentLabelVersions(batch: batch)
        let labels = context.labels
        inputs = labels.rubric.criteria.filter(\.isPartOfAgreement).map {
            OverTimeInput(labels: labels, versions: versions, gold: context.gold, criterion: $0)
        }
        unitOfItem = Dictionary(uniqueKeysWithValues: labels.items.enumerated().map { ($1, $0) })
        alphas = Array(repeating: [:], count: inputs.count)
        members = Array(repeating: [:], count: inputs.count)
        drifts = Array(repeating: nil, count: inputs.count)
        for c in inputs.indices { recomputeAll(c) }
        dirtySlow = true
    }

    /// What the dashboard shows of one criterion.
    public struct Line: Sendable {
        public let criterion: String
        /// One character per window, oldest first (the latest `limit` windows).
        public let sparkline: String
        /// Every window's name and alpha (nil: undefined), oldest first.
        public let windows: [String]
        public let alphas: [Double?]
        public var latest: Double? { alphas.last ?? nil }
        /// nil until the first slow refresh.
        public let drift: AgreementOverTime.Drift?
    }

    public func lines(limit: Int = 24) -> [Line] {
        inputs.indices.map { c in
            let keys = orderedKeys(c)
            let values = keys.map { alphas[c][$0] ?? nil }
            return Line(criterion: inputs[c].criterion.id, sparkline: AgreementOverTime.sparkline(Array(values.suffix(limit))),
                        windows: keys, alphas: values, drift: drifts[c])
        }
    }

    // MARK: - Fast part

    /// Applies the revisions other processes committed after the last one seen; returns
    /// whether any changed a criterion shown. A revision of an item the snapshot did not
    /// know (a clip added to the batch since) reads the whole batch again, as LiveAgreement
    /// does: rare, and the only full read.
    @discardableResult
    public func poll() throws -> Bool {
        let previous = lastLabel
        let (changes, last) = try session.labelChanges(batch: batch, after: previous)
        guard !changes.isEmpty else { lastLabel = max(previous, last); return false }
        let versions = try session.labelVersions(batch: batch, after: previous, through: last)
        lastLabel = max(previous, last)
        do {
            return try apply(changes, versions: versions)
        } catch is Reread {
            // Revisions after `previous` are in the new snapshot or come again: harmless.
            lastLabel = previous
            try load(try session.adjudicationContext(batch: batch))
            return true
        }
    }

    struct Reread: Error {}

    func apply(_ changes: [LabelChange], versions: (batchVersion: String, others: [Int64: String])) throws -> Bool {
        var index: [String: Int] = [:]
        for (i, input) in inputs.enumerated() { index[input.criterion.id] = i }
        var touched: [Int: Set<String>] = [:]
        for change in changes where change.role != .model {
            guard let c = index[change.criterion] else { continue }
            guard let u = unitOfItem[change.item] else { throw Reread() }
            let before = key(c, unit: u)
            inputs[c].set(unit: u, rater: change.rater, value: change.value, at: change.submittedAt,
                          version: versions.others[change.id] ?? versions.batchVersion)
            let after = key(c, unit: u)
            if let before { members[c][before]?.remove(u); touched[c, default: []].insert(before) }
            if let after { members[c][after, default: []].insert(u); touched[c, default: []].insert(after) }
            appliedChanges += 1
        }
        for (c, keys) in touched {
            if case .items = window { recomputeAll(c); continue }
            for k in keys { recompute(c, key: k) }
        }
        if !touched.isEmpty { dirtySlow = true }
        return !touched.isEmpty
    }

    private func key(_ c: Int, unit u: Int) -> String? {
        let at = inputs[c].placement[u]
        guard !at.isEmpty else { return nil }
        return window.calendarKey(at) ?? at
    }

    private func orderedKeys(_ c: Int) -> [String] {
        if case .items = window { return inputs[c].windows(window).map(\.name) }
        // Windows with gold answers only are windows too (undefined alpha), as in the command.
        let gold = inputs[c].gold.map { window.calendarKey($0.at) ?? $0.at }
        return Set(members[c].filter { !$0.value.isEmpty }.keys).union(gold).sorted()
    }

    private func recompute(_ c: Int, key: String) {
        guard let units = members[c][key], !units.isEmpty else { alphas[c][key] = nil; members[c][key] = nil; return }
        alphas[c][key] = alpha(c, units: units.sorted())
    }

    private func recomputeAll(_ c: Int) {
        alphas[c] = [:]
        members[c] = [:]
        if case .items = window {
            for group in inputs[c].windows(window) { alphas[c][group.name] = alpha(c, units: group.units) }
            return
        }
        for u in inputs[c].placement.indices { if let k = key(c, unit: u) { members[c][k, default: []].insert(u) } }
        for k in members[c].keys { recompute(c, key: k) }
    }

    private func alpha(_ c: Int, units: [Int]) -> Double? {
        guard let metric = BatchReliability.alpha(for: inputs[c].criterion.scale),
              let data = try? inputs[c].data(units: units) else { return nil }
        return AgreementSummary(data, metrics: [metric]).outcomes[metric]?.value
    }

    // MARK: - Slow part

    /// Reads the gold answers and computes each criterion's drift verdict (bootstrap
    /// intervals of its first and latest windows) when labels changed since the last time.
    @discardableResult
    public func refreshSlow(force: Bool = false) throws -> Bool {
        guard dirtySlow || force else { return false }
        let gold = try session.goldAnswers(batch: batch).answers
        for c in inputs.indices {
            inputs[c].gold = OverTimeInput.gold(gold, criterion: inputs[c].criterion.id)
            drifts[c] = try AgreementOverTime.driftOfEnds(inputs[c], window: window)
        }
        dirtySlow = false
        return true
    }
}
