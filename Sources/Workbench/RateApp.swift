import Foundation
import Media
import Rubric
import Store
import TerminalGraphics

/// How `concord rate` was asked to run.
public struct RateOptions: Sendable {
    public var batch: String?
    /// Forces sixel, blocks or ascii instead of probing the terminal.
    public var preview: TerminalCapabilities.Graphics?
    /// Writes one line per key: the key and the time from reading it to the updated screen.
    public var tracePath: String?
    /// Calibration: after a gold question is submitted, show its known answers (never before).
    public var training: Bool

    public init(batch: String? = nil, preview: TerminalCapabilities.Graphics? = nil, tracePath: String? = nil, training: Bool = false) {
        self.batch = batch
        self.preview = preview
        self.tracePath = tracePath
        self.training = training
    }
}

/// How a rating session ended, for the command to report after the terminal is restored.
public struct RateOutcome: Sendable {
    public let submitted: Int
    public let finished: Int
    public let total: Int
    /// The signal that ended the session, if one did.
    public let signal: Int32?
}

/// The rater's workbench: the model, the clip, the screen and the Store joined in
/// `WorkbenchTerminal`'s event loop. Every submission is committed before the screen moves on.
public final class RateApp {
    let session: ProjectSession
    private let options: RateOptions
    let locate: ClipLocator
    var model: RatingModel
    var shell: WorkbenchTerminal!
    var terminal: CursesTerminal { shell.terminal }
    var layout: PaneLayout?
    /// A pair item's two clips side by side; nil while one is shown at a time (or no pair).
    var pairLayout: PairLayout?
    /// A pair item's two clips (the one-clip pane, `shell.clip`, is closed meanwhile).
    var pairs: PairPanes!
    var isPair: Bool { model.entry?.pair != nil }

    // The clip on screen.
    private var openItem: Int64?
    private var clip: ClipPane { shell.clip }
    private var player: Player? {
        get { clip.player }
        set { clip.player = newValue }
    }
    private var clipProblem: String? {
        clip.problem.map { "\($0). Skip it with s and a reason, or ask the lead." }
    }
    var itemOpenedAt = 0.0
    /// The frames seen of each item left in this session, so `u` (back to an item) keeps
    /// its "seen" share and the revision records what was really watched.
    private var seenBefore: [Int64: [Bool]] = [:]
    /// And the speeds it was played at, which the revision records too.
    private var speedsBefore: [Int64: Set<Double>] = [:]
    /// The same for each clip of a pair item, by the side the rater sees it on.
    private var pairSeenBefore: [Int64: [PairSide: [Bool]]] = [:]
    private var pairSpeedsBefore: [Int64: [PairSide: Set<Double>]] = [:]
    private var submitted = 0
    /// The last submission the Store did not confirm, with its client-made id. Submitting the
    /// same answers of the same item again sends this one again, so a PostgreSQL server that
    /// did commit it before the connection dropped records it once (docs/architecture.md,
    /// "What only one store does").
    private var unsent: ItemSubmission?
    /// Reconnection attempts the Store reported during the submission in progress.
    private var reconnects = 0

    /// `clips` finds each item's clip file on this machine when the item opens.
    public init(session: ProjectSession, options: RateOptions, clips: @escaping ClipLocator = recordedClipPath) throws {
        self.session = session
        self.options = options
        self.locate = clips
        self.model = RatingModel(queue: try session.ratingQueue(batch: options.batch))
    }

    /// Runs until the rater quits (or a signal arrives). The terminal is restored on every
    /// way out, errors included.
    public func run() throws -> RateOutcome {
        shell = try WorkbenchTerminal(preview: options.preview, tracePath: options.tracePath)
        defer { shell.close() }
        pairs = PairPanes(capabilities: shell.capabilities, trace: shell.trace)
        defer { pairs.stop(); pairs.hide(on: terminal) }   // before the terminal is restored
        openCurrentItem()
        if let notice = shell.notice { model.message = ([notice] + [model.message].compactMap { $0 }).joined(separator: " · ") }
        redraw(full: true)
        let notices = StoreNotices { [unowned self] line in storeSaid(line) }
        StoreLog.setSink(notices.sink)
        defer { StoreLog.setSink(nil) }
        let signal = shell.run(playing: { true }, frameAdvanced: { redraw(full: false) }, idle: refreshClock, handle: handle)
        return outcome(signal: signal)
    }

    // MARK: - Keys

    /// Applies a key; false when the rater quits.
    private func handle(_ key: Key) -> Bool {
        if key == .resize {
            layout = nil
            redraw(full: true)
            return true
        }
        let hadPicture = showsPicture
        let shownSide = model.shownSide
        let command = model.handle(key)
        let now = WorkbenchTerminal.now()
        switch command {
        case .quit: return false
        case .none: break
        case .player(let command):
            if let problem = isPair ? pairs.apply(command, now: now) : clip.apply(command, now: now) { model.message = problem }
        case .submit(let answers): submit(answers)
        case .skip(let reason): mark(.skip, reason)
        case .flag(let note): mark(.flag, note)
        case .openPlayer:
            if isPair { model.message = "o opens one clip in mpv; a pair is compared here, side by side" } else { watchOutside() }
        }
        if model.entry?.item != openItem { openCurrentItem() } else if model.shownSide != shownSide { layout = nil }
        // ncurses does not know the picture is there: a screen without it (help, the end of
        // the queue) is a full repaint that clears the terminal, or the picture shows
        // through; and the screen after it is one too, so the picture is sent whole again.
        redraw(full: hadPicture != showsPicture)
        return true
    }

    /// Whether the screen shows the clip's picture.
    var showsPicture: Bool { model.mode != .help && !model.isDone }

    /// Nothing is acknowledged (the screen moving on, "saved") before `submitItem` returned,
    /// that is, after COMMIT. While it waits for a lost server the message line says so
    /// (`storeSaid`); when the Store gives up, the answers stay on screen and the same
    /// submission goes again on the next Enter.
    private func submit(_ answers: [String: String]) {
        guard let entry = model.entry else { return }
        let submission: ItemSubmission
        if let kept = unsent, kept.item == entry.item, kept.answers == answers {
            submission = kept
        } else if entry.pair != nil {
            submission = pairSubmission(entry, answers: answers)
        } else {
            let frame = player?.frame
            let pts = frame.flatMap { f in clip.source.map { $0.decoder.frameTimes[f] } }
            submission = ItemSubmission(item: entry.item, answers: answers, frame: frame, pts: pts,
                                        dwellMs: Int((WorkbenchTerminal.now() - itemOpenedAt) * 1000),
                                        watchedShare: min(1, player?.watchedShare ?? 0),
                                        display: .seen(on: model.display, capabilities: shell.capabilities, pane: layout?.preview,
                                                       decoder: clip.source?.decoder, player: player))
        }
        reconnects = 0
        defer {
            // Keys typed while the screen waited were meant for the screen the rater saw then.
            if reconnects > 0 { terminal.discardTypedKeys() }
            reconnects = 0
        }
        do {
            try session.submitItem(submission)
            unsent = nil
            submitted += 1
            model.didSubmit(answers)
            if options.training, let gold = try? session.goldFeedback(item: entry.item), !gold.isEmpty {
                model.message = Self.feedback(gold: gold, answers: answers)
            }
        } catch {
            unsent = submission
            model.message = reconnects > 0
                ? "not saved: the server cannot be reached; your answers are kept: Enter sends them again (\(error))"
                : "not saved: \(error)"
        }
    }

    /// A line the Store logged while the rater waits for it. Reconnecting to a lost server
    /// shows on the message line at once (the run loop is waiting for the Store, so this
    /// paints); other lines (a busy project file) go there too rather than nowhere.
    private func storeSaid(_ line: String) {
        guard layout != nil else { return }
        if line.hasPrefix("reconnecting") {
            reconnects += 1
            model.message = "reconnecting… (attempt \(reconnects)): not saved yet, your answers are kept"
        } else {
            model.message = line
        }
        refreshClock()
    }

    /// "gold: present yes ✓ · severity severe ✗ (yours: minor)".
    static func feedback(gold: [String: String], answers: [String: String]) -> String {
        "gold answers of the item you just submitted: " + gold.keys.sorted().map { criterion in
            let truth = gold[criterion]!
            guard let yours = answers[criterion] else { return "\(criterion) \(truth) (not asked)" }
            return yours == truth ? "\(criterion) \(truth) ✓" : "\(criterion) \(truth) ✗ (yours: \(yours))"
        }.joined(separator: " · ")
    }

    private func mark(_ kind: ItemMarkKind, _ note: String) {
        guard let entry = model.entry else { return }
        do {
            try session.markItem(entry.item, kind: kind, note: note)
            if kind == .skip { model.didSkip() } else { model.didFlag() }
        } catch {
            model.message = "not saved: \(error)"
        }
    }

    // MARK: - The clip

    private func openCurrentItem() {
        if let item = openItem, let seen = player?.seen { seenBefore[item] = seen }
        if let item = openItem, let speeds = player?.speedsPlayed { speedsBefore[item] = speeds }
        if let item = openItem, let playback = pairs.playback {
            pairSeenBefore[item] = [.left: playback.left.seen, .right: playback.right.seen]
            pairSpeedsBefore[item] = [.left: playback.left.speedsPlayed, .right: playback.right.speedsPlayed]
        }
        // A new item is judged on the terminal's pictures until the rater opens a player.
        model.display = Display(rawValue: shell.graphics.rawValue)
        openItem = model.entry?.item
        itemOpenedAt = WorkbenchTerminal.now()
        if let entry = model.entry, entry.pair != nil {
            clip.open(nil, fresh: true)
            pairs.open([.left: located(entry, .left), .right: located(entry, .right)],
                       seen: pairSeenBefore[entry.item] ?? [:], speeds: pairSpeedsBefore[entry.item] ?? [:])
            shell.playback = pairs
        } else {
            pairs.close()
            shell.playback = nil
            clip.open(located: model.entry.map { locate($0.clipFile) }, fresh: true,
                      storedIndex: session.storedFrameIndex(for: model.entry?.clipFile))
            if let item = openItem, let seen = seenBefore[item] { player?.keepSeen(seen) }
            if let item = openItem, let speeds = speedsBefore[item] { player?.keepSpeeds(speeds) }
        }
        layout = nil   // a new clip: repaint everything, the old picture included
    }

    /// The clip on `side` of a pair item, located on this machine, with its stored index.
    private func located(_ entry: QueueEntry, _ side: PairSide) -> (location: ClipLocation?, storedIndex: StoredFrameIndex?) {
        let file = entry.clipFile(on: side)
        return (locate(file), session.storedFrameIndex(for: file))
    }

    /// `o`: the clip in mpv from the frame on screen; the workbench waits (the message line
    /// says so) and, when mpv is quit, goes to the frame mpv showed last, counts the frames
    /// mpv played as seen, and takes the item as judged on the player (the rubric's
    /// `display: [player]` is then met).
    private func watchOutside() {
        let environment = ProcessInfo.processInfo.environment
        if let reason = ExternalPlayer.unavailable(environment: environment) { model.message = reason; return }
        guard let entry = model.entry, let path = clip.path, let decoder = clip.source?.decoder, var current = player else {
            model.message = clipProblem ?? "no clip to open"
            return
        }
        let base = decoder.firstFrameSeconds
        model.message = "watching \(entry.clip) in mpv from frame \(current.frame): quit mpv (q) to come back here"
        redraw(full: false)
        let mpv = ExternalPlayer(mpv: ExternalPlayer.executable(environment: environment)!, environment: environment)
        do {
            let watch = try mpv.watch(clip: path, title: "concord · \(entry.clip) · quit (q) to return", from: base + decoder.frameTimes[current.frame],
                                      playing: current.playing, stop: { terminal.signalReceived != nil })
            terminal.discardTypedKeys()
            let frames = watch.positions.map { decoder.frameIndex(atSeconds: $0 - base + 1e-4) }
            current.markSeen(played: frames)
            current.keepSpeeds(watch.speeds)
            current.pause()
            if let last = frames.last { current.go(to: last, now: WorkbenchTerminal.now()) }
            player = current
            model.display = .player
            model.message = "back from mpv at frame \(current.frame) (this item is now judged on the player)"
        } catch {
            terminal.discardTypedKeys()
            model.message = "\(error)"
        }
    }

    // MARK: - Drawing

    func redraw(full: Bool) {
        let size = terminal.size
        if layout == nil || full {
            if isPair {
                layOutPair(columns: size.columns, rows: size.rows)
            } else {
                pairLayout = nil
                layout = PaneLayout(columns: size.columns, rows: size.rows, pictureAspect: clip.pictureAspect)
                terminal.invalidate()
                clip.invalidate(pane: layout?.preview)
            }
        }
        let grid = shell.grid(layout: layout, program: "rate", draw: drawScreen)
        if isPair {
            showPair(grid)
        } else {
            pairs.hide(on: terminal)   // a pair's pictures, when the item before was a pair
            shell.show(grid, next: model.nextEntry.flatMap { ClipPane.path(locate($0.clipFile)) })
        }
    }

    private func drawScreen(into grid: CellGrid, layout: PaneLayout) {
        if isPair { return drawPairScreen(into: grid, layout: layout) }
        RateScreen(grid: grid, layout: layout, rater: session.actor.name)
            .draw(model: model, player: player, secondsOnItem: Int(WorkbenchTerminal.now() - itemOpenedAt), clipProblem: clipProblem)
    }

    /// Status-line clock while nothing happens (the picture stays as it is).
    private func refreshClock() {
        guard layout != nil else { return }
        terminal.paint(shell.grid(layout: layout, program: "rate", draw: drawScreen))
    }

    private func outcome(signal: Int32?) -> RateOutcome {
        RateOutcome(submitted: submitted, finished: model.finishedCount, total: model.queue.entries.count, signal: signal)
    }
}
