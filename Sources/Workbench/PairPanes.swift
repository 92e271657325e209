import Media
import Store
import TerminalGraphics

/// What the workbench's event loop plays (`WorkbenchTerminal.playback`): one clip's pane,
/// or a pair's two.
protocol PlayingPicture: AnyObject {
    /// Advances playback to `now`; true when a frame on screen is due to change.
    func tick(now: Double) -> Bool
    /// Seconds until the next frame is due while playing (the loop's input timeout).
    func untilNextFrame(now: Double) -> Double?
    /// A frame due on screen was held back for a slow link (`LinkPacer`).
    var heldBack: Bool { get }
}

extension ClipPane: PlayingPicture {
    func tick(now: Double) -> Bool {
        guard var player, player.tick(now: now) else { return false }
        self.player = player
        return true
    }

    func untilNextFrame(now: Double) -> Double? { player?.untilNextFrame(now: now) }
}

/// The two clips of a pair, each in a pane of its own, played in sync (`PairPlayback`):
/// what `concord rate` shows for a pair item, and what any screen that shows two clips can
/// use (the lead's adjudication of a pair). Each pane has its own decoder, render-ahead
/// thread and kitty image id (so the right picture does not replace the left); the two share
/// the link's pacing and playback size (`LinkShare`), so both pictures are drawn the same size.
final class PairPanes: PlayingPicture {
    /// Image ids next to the one-clip pane's, so neither pane's picture replaces another's.
    static let kittyImageIDs = (left: KittyEncoder.defaultImageID + 1, right: KittyEncoder.defaultImageID + 2)

    let left: ClipPane
    let right: ClipPane
    /// The link both panes draw over; `pictures` is 2 side by side, 1 one at a time.
    let link = LinkShare(pictures: 2)
    private(set) var playback: PairPlayback?

    /// `trace`: `rate --trace`'s log; each pane's frame lines end in a column naming its side.
    init(capabilities: TerminalCapabilities, trace: TraceLog?) {
        left = ClipPane(painter: PreviewPainter(capabilities: capabilities, kittyImageID: Self.kittyImageIDs.left), link: link)
        right = ClipPane(painter: PreviewPainter(capabilities: capabilities, kittyImageID: Self.kittyImageIDs.right), link: link)
        if let trace {
            left.traceFrame = { trace.record(line: $0 + "\tleft") }
            right.traceFrame = { trace.record(line: $0 + "\tright") }
        }
    }

    func pane(_ side: PairSide) -> ClipPane { side == .left ? left : right }

    /// Opens the pair's clips, each where it was located (nil: none), playing together from
    /// the start; `seen` and `speeds` are what an earlier visit to the item watched, per side.
    func open(_ clips: [PairSide: (location: ClipLocation?, storedIndex: StoredFrameIndex?)],
              seen: [PairSide: [Bool]] = [:], speeds: [PairSide: Set<Double>] = [:]) {
        for side in [PairSide.left, .right] {
            let pane = self.pane(side)
            pane.open(located: clips[side]?.location, fresh: true, storedIndex: clips[side]?.storedIndex)
            if let earlier = seen[side] { pane.player?.keepSeen(earlier) }
            if let earlier = speeds[side] { pane.player?.keepSpeeds(earlier) }
        }
        if let l = left.player, let r = right.player { playback = PairPlayback(left: l, right: r) } else { playback = nil }
    }

    /// No pair on screen (a one-clip item, the end of the queue): both closed.
    func close() {
        left.open(nil, fresh: true)
        right.open(nil, fresh: true)
        playback = nil
    }

    /// A player key, on both clips (nothing when either cannot play).
    func apply(_ command: PlayerCommand, now: Double) -> String? {
        guard var playback else { return nil }
        let message = playback.apply(command, now: now)
        update(playback)
        return message
    }

    func tick(now: Double) -> Bool {
        guard var playback, playback.tick(now: now) else { return false }
        update(playback)
        return true
    }

    func untilNextFrame(now: Double) -> Double? { playback?.untilNextFrame(now: now) }

    var heldBack: Bool { left.heldBack || right.heldBack }

    /// Each clip's picture into its pane in `panes`; a side not there (one clip at a time)
    /// is taken off. `next`: per side, the clip likely to open next (rendered ahead).
    ///
    /// Over a link too slow for both pictures, the two sides must not drift apart in what they
    /// show (the second side drawn was dropped far more often: 18 fps left, 7 right): the side
    /// drawn first alternates frame by frame, and when it is held back for the link the other
    /// is not drawn either, so both wait for the link together.
    func draw(on terminal: CursesTerminal, panes: [PairSide: CellGrid.Rect], next: [PairSide: String]) {
        let order: [PairSide] = (playback?.clock.frame ?? 0) % 2 == 0 ? [.left, .right] : [.right, .left]
        for side in order {
            guard let rect = panes[side] else { pane(side).hide(on: terminal); continue }
            if side == order[1], panes[order[0]] != nil, pane(order[0]).heldBack { continue }
            pane(side).draw(on: terminal, pane: rect, next: next[side])
        }
    }

    func hide(on terminal: CursesTerminal) {
        left.hide(on: terminal)
        right.hide(on: terminal)
    }

    /// The terminal was cleared or resized: both pictures are sent again, into `panes`.
    func invalidate(panes: [PairSide: CellGrid.Rect]) {
        left.invalidate(pane: panes[.left])
        right.invalidate(pane: panes[.right])
    }

    func stop() {
        left.stop()
        right.stop()
    }

    /// Each picture's width over its height in cells, for the layouts.
    var pictureAspects: (left: Double?, right: Double?) { (left.pictureAspect, right.pictureAspect) }

    private func update(_ playback: PairPlayback) {
        self.playback = playback
        left.player = playback.left
        right.player = playback.right
    }
}
