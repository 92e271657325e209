import Glibc
import Media
import TerminalGraphics

/// The clip in the preview pane of `concord rate` and `concord adjudicate`: decoder,
/// playhead and the render-ahead thread, so the lead sees exactly what the raters saw, with
/// the same keys. A picture is written only when the frame on screen changes, after
/// ncurses has drawn, into the pane ncurses never draws in.
final class ClipPane {
    /// The player's keys, the same in both workbenches (each screen adds its own ← → line).
    static let keyHelp: [(String, String)] = [
        ("space", "play / pause"),
        ("h l", "one second back / forward"),
        ("[ ]", "slower / faster (0.25×–4×)"),
        ("g", "go to a frame"),
    ]

    private let painter: PreviewPainter
    private(set) var path: String?
    private(set) var source: FrameSource?
    var player: Player?
    private(set) var problem: String?
    /// The frame on screen and the size factor it was drawn at.
    private var shown: (path: String, frame: Int, factor: Double)?
    private var ahead: RenderAhead?
    /// The index the project keeps for the open clip, handed to the render-ahead thread.
    private var storedIndex: StoredFrameIndex?
    private var aheadPane: CellGrid.Rect?
    /// Whether a picture was written and not taken off since. Kitty images stay on screen,
    /// above any text ncurses draws, until deleted (`hide`).
    private var pictureOnScreen = false
    /// The half-block or ASCII picture on screen, which the next frame is written over as
    /// the cells that changed; nil when the screen may show anything else there.
    private var cellsOnScreen: CellPicture?
    /// The link to the terminal: its pacer and the playback size, shared by the panes that
    /// draw over it (a pair's two).
    private let link: LinkShare
    /// The last picture's size in bytes, the guess for the next one's before it is rendered.
    private var lastBytes = 0
    /// How large kitty and sixel pictures are drawn while playing over a slow link.
    /// A frame is due on screen but was held back for the link: the event loop comes back
    /// for it soon (`WorkbenchTerminal.run`), playing or not.
    private(set) var heldBack = false
    /// One line a frame for `rate --trace` (`FrameTrace`), if tracing.
    var traceFrame: ((String) -> Void)?
    /// Frames written and frames skipped for the link since the program started.
    var framesWritten: Int { link.pacer.written }
    var framesSkipped: Int { link.pacer.skipped }

    init(painter: PreviewPainter, link: LinkShare = LinkShare()) {
        self.painter = painter
        self.link = link
    }

    func stop() { ahead?.stop() }

    /// The open clip's picture, width over height in cells (for `PaneLayout`); nil without one.
    var pictureAspect: Double? {
        source.map { painter.cellAspect(displayAspect: $0.decoder.displayAspect) }
    }

    /// Opens `path` (nil: no clip). Problems are kept as a message for the pane. The same
    /// path again keeps the playhead, unless `fresh` (a new item of the same clip starts
    /// unwatched). `storedIndex`: the frame index the project keeps for the clip's content
    /// (`ProjectSession.storedFrameIndex`), so a clip without a container index opens
    /// without reading every packet.
    func open(_ path: String?, fresh: Bool = false, storedIndex: StoredFrameIndex? = nil) {
        guard fresh || path != self.path else { return }
        self.path = path
        self.storedIndex = storedIndex
        source = nil
        player = nil
        problem = nil
        shown = nil
        guard let path else { return }
        do {
            let decoder = try VideoDecoder(path: path, storedIndex: storedIndex)
            source = FrameSource(decoder: decoder, cacheMegabytes: 128)
            let span = (decoder.frameTimes.last ?? 0) - (decoder.frameTimes.first ?? 0)
            let rate = decoder.frameCount > 1 && span > 0 ? Double(decoder.frameCount - 1) / span : 25
            player = Player(frameCount: decoder.frameCount, frameRate: rate.isFinite && rate > 0 ? rate : 25)
        } catch {
            problem = "cannot play \(path): \(error)"
        }
    }

    /// No picture: `message` says why (the clip is not on this machine, or a file of its
    /// name holds other content; `ClipLocation`).
    func open(unplayable message: String) {
        open(nil, fresh: true)
        problem = message
    }

    /// Applies a player key's command to the open clip (nothing without one); the message
    /// to show when a frame asked for is outside the clip (the last one is shown).
    func apply(_ command: PlayerCommand, now: Double) -> String? {
        switch command {
        case .togglePlay: player?.togglePlay(now: now)
        case .step(let n): player?.pause(); player?.step(n, now: now)
        case .seek(let s): player?.seek(seconds: s, now: now)
        case .speed(let d): player?.changeSpeed(d, now: now)
        case .gotoFrame(let f):
            let outside = player.flatMap { f >= $0.frameCount ? "frame \(f) is outside the clip (0–\($0.frameCount - 1))" : nil }
            player?.pause(); player?.go(to: f, now: now)
            return outside
        }
        return nil
    }

    /// The terminal was cleared or resized: the picture must be sent again, into `pane`.
    func invalidate(pane: CellGrid.Rect?) {
        shown = nil
        cellsOnScreen = nil
        guard pane != aheadPane else { return }
        ahead?.stop()
        ahead = pane.map(makeRenderAhead)
        aheadPane = pane
    }

    /// Writes the frame under the playhead into `pane` (the rectangle the screen's grid
    /// kept for it) if it is not on screen yet; `next` is the clip likely to be opened next
    /// (its first frame is rendered ahead). Over a slow link the frame is held back when
    /// the bytes still on their way would make it show late (`LinkPacer`): the player moves
    /// on by the clock, and the loop draws the frame due when the link has room. While
    /// playing, a kitty or sixel picture is drawn smaller when the link's rate cannot carry
    /// it in time (`PlaybackScale`); paused, the frame on screen is drawn again full size.
    /// Half-blocks and ASCII are written as the cells that changed since the picture on screen.
    func draw(on terminal: CursesTerminal, pane: CellGrid.Rect, next: String?) {
        guard let source, let player, let path else { return hide(on: terminal) }
        let full = source.decoder.outputSize(for: painter.pixelBox(width: pane.width, height: pane.height))
        let scalable = painter.graphics == .kitty || painter.graphics == .sixel
        let sizing = scalable ? link.pacer.sizingRate(playing: player.playing, now: WorkbenchTerminal.now()) : (rate: nil, probing: false)
        let factor = scalable ? link.scale.choose(playing: player.playing, rate: sizing.rate, pixels: full.width * full.height * link.pictures,
                                                  probing: sizing.probing) : 1
        defer { ahead?.focus(path: path, frame: player.frame, frameCount: player.frameCount, rate: player.frameRate, next: next, storedIndex: storedIndex, factor: factor, playing: player.playing) }
        heldBack = false
        if let shown, shown.path == path, shown.frame == player.frame, player.playing || shown.factor == factor { return }
        let target = RenderAhead.Target(path: path, frame: player.frame, factor: factor)
        // When the frame's time came: the next frame's time (asked as from time 0, where
        // nothing is clamped) less one frame; the moment drawn when paused.
        let asked = WorkbenchTerminal.now()
        let due = player.untilNextFrame(now: 0).map { $0 - 1 / (player.frameRate * player.speed) } ?? asked
        // Asked before rendering, with the last picture's size for this one's: a frame the
        // link cannot take in time is not rendered either.
        let guess = link.scale.expectedBytes(pixels: full.width * full.height, factor: factor) ?? lastBytes
        guard link.pacer.shouldWrite(bytes: guess, now: asked, measured: LinkPacer.waiting(fd: STDOUT_FILENO), due: player.playing ? due : nil) else {
            heldBack = true
            traceFrame?(FrameTrace.skipped(frame: player.frame, due: due, at: asked))
            return
        }
        do {
            let painted: PaintedFrame
            if let ready = ahead?.frame(for: target, waiting: player.playing ? 0.2 : 0) {
                painted = ready
            } else {
                painted = try Self.render(source, player.frame, factor: factor, painter: painter, pane: pane)
                ahead?.keep(painted, for: target)
            }
            let bytes = painted.bytes(over: cellsOnScreen)
            let now = WorkbenchTerminal.now()
            let write = terminal.writeRaw(bytes)
            let end = WorkbenchTerminal.now()
            link.pacer.wrote(write, start: now, end: end, measured: LinkPacer.waiting(fd: STDOUT_FILENO))
            let size = PlaybackScale.size(full, factor: factor)
            if scalable { link.scale.wrote(bytes: bytes.count, pixels: size.width * size.height) }
            traceFrame?(FrameTrace.written(frame: player.frame, due: due, start: now, end: end, bytes: bytes.count, size: size))
            shown = (path, player.frame, factor)
            lastBytes = bytes.count
            cellsOnScreen = painted.cells
            pictureOnScreen = true
        } catch {
            problem = "frame \(player.frame): \(error)"
        }
    }

    /// Takes the picture off the screen when its pane goes away (the dashboard, help, the
    /// end page, a clip that cannot play) and on exit: a kitty image is deleted and its
    /// data freed. Sixel, half-blocks and ASCII are cells ncurses' repaint overwrites, so
    /// nothing is sent for them.
    func hide(on terminal: CursesTerminal) {
        cellsOnScreen = nil
        heldBack = false
        guard pictureOnScreen else { return }
        pictureOnScreen = false
        shown = nil
        if let erase = painter.erase { terminal.writeRaw(erase) }
    }

    /// Frame `index` drawn into `pane` at `factor` of the pane's picture size (smaller than
    /// 1 while playing over a slow link, put in the full picture's place). A smaller picture
    /// is the full-size frame scaled down (area averaging), not a frame decoded at that
    /// size: the frame cache holds frames by size, and a new size would decode again from
    /// the keyframe (seen as 300–800 ms on a frame after the size changed).
    private static func render(_ source: FrameSource, _ index: Int, factor: Double, painter: PreviewPainter, pane: CellGrid.Rect) throws -> PaintedFrame {
        let frame = try source.frame(at: index, scale: painter.pixelBox(width: pane.width, height: pane.height))
        guard factor < 1 else { return painter.picture(frame, row: pane.row, column: pane.column, width: pane.width) }
        let size = PlaybackScale.size((frame.width, frame.height), factor: factor)
        let smaller = RGBImage(width: frame.width, height: frame.height, pixels: frame.rgb).scaled(width: size.width, height: size.height)
        let reduced = DecodedFrame(index: frame.index, pts: frame.pts, width: size.width, height: size.height,
                                   rgb: smaller.pixels, decodedFrames: frame.decodedFrames)
        return painter.picture(reduced, row: pane.row, column: pane.column, width: pane.width, shownAs: (frame.width, frame.height))
    }

    private func makeRenderAhead(_ pane: CellGrid.Rect) -> RenderAhead {
        let painter = self.painter
        return RenderAhead { source, index, factor in try Self.render(source, index, factor: factor, painter: painter, pane: pane) }
    }
}

/// The link to the terminal as the panes drawing over it share it: one pacer, since every
/// picture's bytes go down the same link (a pair's two panes each pacing only their own
/// bytes took the other's for a slow link and dropped frames: 14–23 fps a side on a fast
/// one), and one playback size, so a pair's two pictures are drawn at the same size, sized
/// together for the link (`pictures` of them a frame time).
final class LinkShare {
    var pacer = LinkPacer(origin: LinkPacer.processStart(now: WorkbenchTerminal.now()))
    var scale = PlaybackScale()
    /// Pictures written a frame time over this link: 1, or 2 for a pair side by side.
    var pictures: Int

    init(pictures: Int = 1) { self.pictures = pictures }
}
