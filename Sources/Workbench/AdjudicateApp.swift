import Foundation
import Reports
import Store
import TerminalGraphics

/// How `concord adjudicate` was asked to run.
public struct AdjudicateOptions: Sendable {
    public var batch: String?
    public var preview: TerminalCapabilities.Graphics?
    /// One line per key: the key and the time from reading it to the updated screen.
    public var tracePath: String?
    /// The queue's order: by magnitude, or least certain consensus first (docs/adjudication.md).
    public var order: AdjudicationQueue.Order = .magnitude

    public init(batch: String? = nil, preview: TerminalCapabilities.Graphics? = nil, tracePath: String? = nil) {
        self.batch = batch
        self.preview = preview
        self.tracePath = tracePath
    }
}

/// How an adjudication session ended, for the command to report after the terminal is
/// restored.
public struct AdjudicateOutcome: Sendable {
    public let decisions: Int
    public let decided: Int
    public let total: Int
    public let signal: Int32?
}

/// The lead's workbench: the adjudication model, the clip, the live agreement and the Store
/// joined in `WorkbenchTerminal`'s event loop, as `concord rate`'s are. Every decision is committed before the screen moves on; the
/// terminal is restored on every way out (q, Ctrl-C, SIGINT/SIGTERM/SIGHUP, errors), as in
/// `concord rate`.
///
/// The loop's turn doubles as the dashboard's clock: every 100 ms (at most) the app asks
/// the Store's data version and applies the label revisions other processes committed, so
/// the dashboard shows them well within 500 ms (issue 16's figure for PostgreSQL, where the
/// version counts the NOTIFYs a LISTEN connection has heard). Asking costs no round trip on
/// either store (SQLite's `PRAGMA data_version`; on PostgreSQL a non-blocking read of the
/// LISTEN socket), so the shorter turn costs nothing while nothing happens.
public final class AdjudicateApp {
    static let pollInterval = 0.1

    private let session: ProjectSession
    private let options: AdjudicateOptions
    private let locate: ClipLocator
    /// The clip on screen, by name (entries of one item share it and its playhead), and the
    /// item it was opened for (`Tab` on a pair flips between its two clips at the same time).
    private var openClip: String?
    private var openItem: Int64?
    private let live: LiveAgreement
    /// The dashboard's Scores panel, scored again when the live numbers' slow part is.
    private let scores: LiveScores
    /// The dashboard's drift sparklines (alpha per day), kept current label by label.
    private let overTime: LiveOverTime
    /// The dashboard's rankings of pairwise criteria, fitted again when the scores are.
    private let ranking: LiveRanking
    private var model: AdjudicationModel
    private var shell: WorkbenchTerminal!
    private var terminal: CursesTerminal { shell.terminal }
    private var clip: ClipPane { shell.clip }
    private var layout: PaneLayout?
    private var votes: [String: [Vote]] = [:]
    private var votesProblem: String?
    private var votesItem: Int64?
    private var decisions = 0
    private var lastPoll = -Double.infinity
    /// The dashboard's data changed since it was last drawn.
    private var dashboardDirty = true
    private var fullRedraw = true

    /// Reads the queue and the live agreement snapshot. Leads and admins only: anyone
    /// else gets the Store's permission error here, before the terminal is touched.
    /// `clips` finds each entry's clip file on this machine when the entry opens.
    public init(session: ProjectSession, options: AdjudicateOptions, clips: @escaping ClipLocator = recordedClipPath) throws {
        self.session = session
        self.options = options
        self.locate = clips
        let batch = try options.batch ?? session.defaultBatch()
        let start = try session.lastLabelID()   // before the snapshot: see LiveAgreement's comment
        live = try LiveAgreement(session: session, batch: batch)
        overTime = try LiveOverTime(session: session, context: live.context, after: start)
        scores = LiveScores(session: session, batch: batch)
        ranking = LiveRanking(session: session, batch: batch, rubric: live.context.labels.rubric)
        let queue = try live.adjudicationQueue(order: options.order)
        model = AdjudicationModel(batch: batch, rubric: live.context.labels.rubric, entries: queue.entries,
                                  sentBack: try session.pendingSendBacks(batch: batch))
    }

    public func run() throws -> AdjudicateOutcome {
        shell = try WorkbenchTerminal(preview: options.preview, tracePath: options.tracePath)
        defer { shell.close() }
        openCurrentEntry()
        if let notice = shell.notice { model.message = ([notice] + [model.message].compactMap { $0 }).joined(separator: " · ") }
        redraw()
        let signal = shell.run(playing: { !model.showsDashboard }, frameAdvanced: redraw,
                               between: { now in if now - lastPoll >= Self.pollInterval { watch(now: now) } },
                               turn: Self.pollInterval, handle: handle)
        return outcome(signal: signal)
    }

    // MARK: - Watching the project

    /// Applies what other processes committed; redraws what it changed.
    private func watch(now: Double) {
        lastPoll = now
        do {
            let result = try live.poll(now: now)
            if result.committed {
                dashboardDirty = true
                // `--trace`: "overtime/N<TAB>µs" per update of the drift sparklines with N label
                // revisions (bench/run_drift.py).
                let (started, applied) = (WorkbenchTerminal.now(), overTime.appliedChanges)
                if try overTime.poll() {
                    _ = overTime.lines()
                    shell.trace?.record(key: "overtime/\(overTime.appliedChanges - applied)", seconds: WorkbenchTerminal.now() - started)
                }
            }
            if let item = model.entry?.item, result.items.contains(item) {
                loadVotes(force: true)
                if !model.showsDashboard { redraw() }
            }
            if model.showsDashboard {
                if try live.refreshSlow(now: now) { scores.refresh(); ranking.refresh(); try overTime.refreshSlow(); dashboardDirty = true }
                if scores.collect() { dashboardDirty = true }
                if ranking.collect() { dashboardDirty = true }
                if dashboardDirty { redraw() }
            }
        } catch {
            model.message = "live agreement: \(error)"
            if !model.showsDashboard { redraw() }
        }
    }

    // MARK: - Keys

    private func handle(_ key: Key) -> Bool {
        if key == .resize {
            layout = nil
            fullRedraw = true
            redraw()
            return true
        }
        let wasDashboard = model.showsDashboard
        let hadPicture = showsPicture
        let action = model.handle(key)
        let now = WorkbenchTerminal.now()
        switch action {
        case .quit: return false
        case .none: break
        case .player(let command): if let problem = clip.apply(command, now: now) { model.message = problem }
        case .resolve(let value, let reason, let note): resolve(value: value, reason: reason, note: note)
        case .sendBack(let raters, let note): sendBack(raters: raters, note: note)
        case .needsRevision(let note): markRevision(note: note)
        case .addGold(let value): addGold(value: value)
        }
        // ncurses does not know the picture is there: a screen without it (help, dashboard,
        // the end of the queue) is a full repaint, which clears the terminal.
        if hadPicture != showsPicture { fullRedraw = true }
        if wasDashboard != model.showsDashboard {
            if model.showsDashboard {
                // The scores are read and fitted again only when something changed since
                // (the slow numbers were recomputed), or the first time.
                let changed = (try? live.refreshSlow(now: now, force: true)) ?? false
                if changed || scores.refreshes == 0 { scores.refresh() }
                if changed || ranking.refreshes == 0 { ranking.refresh() }
                _ = try? overTime.refreshSlow()
                dashboardDirty = true
            }
        }
        openCurrentEntry()
        redraw()
        return true
    }

    private func addGold(value: String) {
        guard let entry = model.entry else { return }
        do {
            try session.addGold(item: entry.item, criterion: entry.criterion, value: value)
            model.didAddGold(value: value)
        } catch {
            model.message = "not saved: \(error)"
        }
    }

    private func resolve(value: String, reason: DecisionReason, note: String?) {
        guard let entry = model.entry else { return }
        do {
            try session.resolve(item: entry.item, criterion: entry.criterion, value: value, reason: reason, note: note)
            decisions += 1
            model.didResolve(value: value, reason: reason)
        } catch {
            model.message = "not saved: \(error)"
        }
    }

    private func sendBack(raters: [String], note: String?) {
        guard let entry = model.entry else { return }
        do {
            try session.sendBack(item: entry.item, raters: raters, note: note)
            decisions += 1
            model.didSendBack(raters: raters)
        } catch {
            model.message = "not saved: \(error)"
        }
    }

    private func markRevision(note: String) {
        guard let entry = model.entry else { return }
        do {
            try session.markNeedsRevision(item: entry.item, criterion: entry.criterion, note: note)
            decisions += 1
            model.didMarkRevision()
        } catch {
            model.message = "not saved: \(error)"
        }
    }

    // MARK: - The entry

    /// Opens the clip and reads the votes of the entry on screen, when it changed. A flip
    /// between the two clips of a pair (`Tab`) keeps the time the lead was at.
    private func openCurrentEntry() {
        if model.shownClip != openClip {
            let flip = model.entry.map { $0.clipB != nil && $0.item == openItem } ?? false
            let at = flip ? clip.player?.seconds : nil
            openClip = model.shownClip
            openItem = model.entry?.item
            let file = model.entry.flatMap { shownFile($0, clipB: model.showsClipB) }
            clip.open(located: file.map(locate), storedIndex: session.storedFrameIndex(for: file))
            if let at, let player = clip.player {
                _ = clip.apply(.gotoFrame(min(player.frameCount - 1, Int((at * player.frameRate).rounded()))), now: WorkbenchTerminal.now())
            }
            fullRedraw = true   // a new clip: repaint everything, the old picture included
        }
        loadVotes(force: false)
    }

    /// The file of the entry's clip, or of clip b of its pair.
    private func shownFile(_ entry: AdjudicationQueue.Entry, clipB: Bool) -> ClipFile? {
        clipB ? live.context.pairs[entry.item]?.clipB : live.context.clipFiles[entry.item]
    }

    private func location(_ entry: AdjudicationQueue.Entry) -> ClipLocation? {
        live.context.clipFiles[entry.item].map(locate)
    }

    private func loadVotes(force: Bool) {
        guard let item = model.entry?.item else { votes = [:]; votesItem = nil; return }
        guard force || item != votesItem else { return }
        votesItem = item
        do {
            votes = try session.votes(item: item)
            votesProblem = nil
        } catch {
            votes = [:]
            votesProblem = "cannot read the votes: \(error)"
        }
    }

    // MARK: - Drawing

    /// Whether the screen shows the clip's picture.
    private var showsPicture: Bool { !model.showsDashboard && model.mode != .help && !model.isDone }

    private func redraw() {
        let size = terminal.size
        if layout == nil || fullRedraw {
            layout = PaneLayout(columns: size.columns, rows: size.rows)
            clip.invalidate(pane: layout?.preview)
            terminal.invalidate()
            fullRedraw = false
        }
        let grid = shell.grid(layout: layout, program: "adjudicate") { grid, layout in
            if model.showsDashboard { return drawDashboard(into: grid) }
            AdjudicateScreen(grid: grid, layout: layout, lead: session.actor.name)
                .draw(model: model, facts: .init(votes: votes, player: clip.player, clipProblem: clip.problem, votesProblem: votesProblem))
        }
        let next = model.nextEntry.flatMap(location).flatMap(ClipPane.path)
        shell.show(grid, next: next == clip.path ? nil : next)
    }

    private func drawDashboard(into grid: CellGrid) {
        dashboardDirty = false
        let updated = live.updatedAt.map { "updated \(Self.clockText(secondsAgo: WorkbenchTerminal.now() - $0))" } ?? "no change since opened"
        DashboardScreen(grid: grid, columns: grid.columns, rows: grid.rows).draw(.init(
            batch: model.batch, lead: session.actor.name, items: live.context.labels.items.count, views: live.views,
            gold: live.goldAccuracy, focus: model.dashboardFocus, updated: updated, appliedChanges: live.appliedChanges,
            scores: (scores.section, scores.problem, scores.isUpdating), overTime: overTime.lines(),
            rankings: ranking.isEmpty ? nil : (ranking.rankings, ranking.problem, ranking.isUpdating)))
    }

    /// The wall-clock time `secondsAgo` seconds ago, "14:03:07".
    static func clockText(secondsAgo: Double) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: Date().addingTimeInterval(-secondsAgo))
    }

    private func outcome(signal: Int32?) -> AdjudicateOutcome {
        AdjudicateOutcome(decisions: decisions, decided: model.decidedCount, total: model.entries.count, signal: signal)
    }
}
