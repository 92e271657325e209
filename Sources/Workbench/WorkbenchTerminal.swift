import Foundation
import TerminalGraphics

/// The terminal side `concord rate` and `concord adjudicate` share: the probe before
/// curses, the clip's pane, the trace log, the curses terminal, and one event loop —
/// signals, the playing clip's frames, keys and their trace, and the app's own business
/// between keys. Each app keeps only its model, its Store calls and its screen.
///
/// The terminal is given back on every way out: each app calls `close()` in a `defer`
/// (q, Ctrl-C, SIGINT/SIGTERM/SIGHUP, errors); crashes are CTerminalGuard's.
final class WorkbenchTerminal {
    /// The longest wait for a key: rate's status-line clock and adjudicate's poll of the
    /// project follow it.
    static let turn = 0.25
    /// How soon a frame held back for a slow link is tried again (`ClipPane.heldBack`).
    static let heldBackRetry = 0.02

    let terminal: CursesTerminal
    let clip: ClipPane
    /// Why a forced preview mode is not used, for the message line; nil when it is.
    let notice: String?
    /// How pictures are drawn, once the probe and any fallback have decided.
    let graphics: TerminalCapabilities.Graphics
    /// What the probe found (cell size, colours, sixel registers): a submission records the
    /// picture's size and colours from it (DisplayRecord+Workbench.swift).
    let capabilities: TerminalCapabilities
    /// `--trace FILE`'s log (AdjudicateApp adds the drift sparkline's update times).
    let trace: TraceLog?
    /// What plays in the loop instead of `clip`: a pair's two clips (`PairPanes`); nil: `clip`.
    var playback: (any PlayingPicture)?

    /// Asks the terminal what it can draw (even when a mode is forced: kitty and sixel need
    /// the cell size, sixel the largest picture), opens the trace, then takes the terminal over.
    init(preview: TerminalCapabilities.Graphics?, tracePath: String?) throws {
        let environment = ProcessInfo.processInfo.environment
        var capabilities = TerminalCapabilities.probe(environment: environment, tty: FileDescriptorTTY.controllingTerminal(),
                                                      timeout: .milliseconds(200), forcing: preview)
        if let unsupported = capabilities.unsupported {
            capabilities.graphics = .blocks
            notice = "--preview \(preview?.rawValue ?? "sixel"): \(unsupported); showing half-blocks"
        } else {
            notice = nil
        }
        graphics = capabilities.graphics
        self.capabilities = capabilities
        clip = ClipPane(painter: PreviewPainter(capabilities: capabilities))
        trace = try tracePath.map { try TraceLog(path: $0) }
        if let trace { clip.traceFrame = { trace.record(line: $0) } }
        terminal = CursesTerminal(noColor: !(environment["NO_COLOR"] ?? "").isEmpty)
    }

    /// Stops rendering ahead, takes the picture off the screen (a kitty image would
    /// outlive the program), restores the terminal, closes the trace.
    func close() {
        clip.stop()
        clip.hide(on: terminal)
        terminal.restore()
        trace?.close()
    }

    /// The screen in a grid: what `draw` puts there for `layout`, or the too-small message
    /// at the terminal's size when there is no layout.
    func grid(layout: PaneLayout?, program: String, draw: (CellGrid, PaneLayout) -> Void) -> CellGrid {
        guard let layout else {
            let size = terminal.size
            let grid = CellGrid(columns: size.columns, rows: size.rows, colors: terminal.colors)
            PaneLayout.drawTooSmall(program: program, into: grid)
            return grid
        }
        let grid = CellGrid(columns: layout.columns, rows: layout.rows, colors: terminal.colors)
        draw(grid, layout)
        return grid
    }

    /// Paints `grid`, then the clip's frame into the rectangle the grid kept for it (if it
    /// kept one; if not, the picture is taken off); `next` is the clip likely to open next.
    func show(_ grid: CellGrid, next: String?) {
        terminal.paint(grid)
        if let pane = grid.picture { clip.draw(on: terminal, pane: pane, next: next) } else { clip.hide(on: terminal) }
    }

    /// Monotonic seconds: the player's clock and the trace's.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Runs until `handle` returns false (nil) or a signal arrives (the signal).
    /// - `playing`: whether the clip plays on the screen now (the dashboard hides it).
    /// - `frameAdvanced`: playback reached a new frame; redraw.
    /// - `between`: once a turn, before waiting for a key, with the time.
    /// - `idle`: no key came within the turn.
    /// - `turn`: the longest wait for a key (adjudicate's live views want a shorter one).
    func run(playing: () -> Bool, frameAdvanced: () -> Void, between: (Double) -> Void = { _ in }, idle: () -> Void = {},
             turn: Double = WorkbenchTerminal.turn, handle: (Key) -> Bool) -> Int32? {
        while true {
            if let signal = terminal.signalReceived { return signal }
            let now = Self.now()
            let picture = playback ?? clip
            if playing(), picture.tick(now: now) {
                frameAdvanced()
            } else if playing() && picture.heldBack {
                frameAdvanced()   // the frame held back for a slow link, now perhaps with room
            }
            between(now)
            var wait = turn
            if playing(), let untilFrame = picture.untilNextFrame(now: Self.now()) { wait = min(wait, untilFrame) }
            if playing() && picture.heldBack { wait = min(wait, Self.heldBackRetry) }
            guard let key = terminal.readKey(timeoutMs: Int32(max(1, wait * 1000))) else {
                idle()
                continue
            }
            let started = Self.now()
            if !handle(key) { return nil }
            trace?.record(key: key.name, seconds: Self.now() - started)
        }
    }
}
