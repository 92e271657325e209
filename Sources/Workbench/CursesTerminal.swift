import CCurses
import CTerminalGuard
#if canImport(Glibc)
import Glibc
#endif

/// Set by the signal handlers; read by the event loop between keys. A C global through
/// `sig_atomic_t` semantics: one aligned word, written once per signal.
nonisolated(unsafe) private var pendingSignal: Int32 = 0

/// The full-screen terminal through ncursesw, the only code that calls curses: start, paint
/// a screen's `CellGrid`, read keys, and always restore the terminal — on `q`, on SIGINT,
/// SIGTERM and SIGHUP (the loop sees the signal within one input timeout and unwinds), on
/// errors (`restore()` in a `defer`), and on a crash (SIGSEGV, SIGILL, SIGTRAP, SIGABRT,
/// SIGBUS, SIGFPE: CTerminalGuard).
///
/// Pictures are not ncurses' business: they are written straight to the terminal after
/// ncurses has flushed, inside DECSC/DECRC so the physical cursor goes back to where
/// ncurses believes it is, into the rectangle the grid kept blank for them.
final class CursesTerminal {
    private var active = false
    private(set) var colors = false

    /// ncurses colour pairs, one per `CellGrid.Color`.
    private enum Pair: Int16 { case title = 1, focus, answered, dim, warning, bar }

    init(noColor: Bool) {
        // UTF-8 and wide characters: the user's locale, or C.UTF-8 when theirs is not UTF-8
        // (a bare ssh session often has LANG unset, which would make ncurses print "?").
        setlocale(LC_ALL, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
        // ESC alone must not wait for the rest of an escape sequence for long.
        setenv("ESCDELAY", "25", 0)
        // The terminal's settings before curses, put back by C handlers if we crash.
        _ = concord_guard_arm(STDIN_FILENO)
        initscr()
        active = true
        raw()                          // Ctrl-C is a key (quit), not a signal mid-draw
        noecho()
        keypad(concord_stdscr(), true)
        // No hardware line insert/delete or scrolling: ncurses would use them to shift the
        // rubric pane's lines when a criterion appears, and the terminal would shift the
        // picture (which ncurses does not know is there) with them.
        idlok(concord_stdscr(), false)
        scrollok(concord_stdscr(), false)
        nonl()
        curs_set(0)
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
            colors = true
            init_pair(Pair.title.rawValue, Int16(COLOR_BLACK), Int16(COLOR_CYAN))
            init_pair(Pair.focus.rawValue, Int16(COLOR_YELLOW), -1)
            init_pair(Pair.answered.rawValue, Int16(COLOR_GREEN), -1)
            init_pair(Pair.dim.rawValue, Int16(COLOR_BLUE), -1)
            init_pair(Pair.warning.rawValue, Int16(COLOR_RED), -1)
            init_pair(Pair.bar.rawValue, Int16(COLOR_CYAN), -1)
        }
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            Glibc.signal(signal) { pendingSignal = $0 }
        }
    }

    deinit { restore() }

    /// Leaves curses mode; safe to call more than once.
    func restore() {
        guard active else { return }
        active = false
        // Reset graphics state a picture may have left (colours), show the cursor.
        writeRaw(Array("\u{1B}[0m".utf8))
        curs_set(1)
        endwin()
        concord_guard_disarm()
    }

    /// The signal that asked us to stop, if one came.
    var signalReceived: Int32? { pendingSignal == 0 ? nil : pendingSignal }

    var size: (columns: Int, rows: Int) { (Int(getmaxx(concord_stdscr())), Int(getmaxy(concord_stdscr()))) }

    /// Waits up to `timeoutMs` (−1: forever) for a key.
    func readKey(timeoutMs: Int32) -> Key? {
        timeout(timeoutMs)
        var wide: wint_t = 0
        let status = wget_wch(concord_stdscr(), &wide)
        switch status {
        case KEY_CODE_YES:
            switch Int32(wide) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE, KEY_DC: return .backspace
            case KEY_RESIZE: return .resize
            default: return nil
            }
        case OK:
            switch wide {
            case 3: return .interrupt
            case 9: return .tab
            case 10, 13: return .enter
            case 27: return .escape
            case 8, 127: return .backspace
            default:
                guard let scalar = Unicode.Scalar(UInt32(wide)), wide >= 32 else { return nil }
                return .char(Character(scalar))
            }
        default:
            return nil   // timeout (ERR) or an interrupted read
        }
    }

    // MARK: - Drawing

    /// Puts `grid` on the terminal: the cells run by run of one style, the rows made
    /// distinct where the grid says (`signRows`), then one refresh. ncurses compares with
    /// what is on screen and sends only the changes. The picture's rectangle is left blank
    /// for the clip's painter (`writeRaw`).
    func paint(_ grid: CellGrid) {
        werase(concord_stdscr())
        for row in 0..<max(0, min(grid.rows, size.rows)) {
            for run in Self.runs(grid, row: row) {
                draw(run.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }, row: row, column: run.column, style: run.style)
            }
        }
        if let signature = grid.signature { signRows(columns: signature.columns, rows: signature.rows) }
        refresh()
    }

    /// What `paint` sends for one row: each run of cells of one style, from its column.
    /// Unstyled blanks at either end of a run are what werase left and are not sent (the
    /// picture's rectangle among them, and never the last cell of the last row, where a
    /// write would scroll the screen).
    static func runs(_ grid: CellGrid, row: Int) -> [(column: Int, text: String, style: CellGrid.Style)] {
        var out: [(column: Int, text: String, style: CellGrid.Style)] = []
        var column = 0
        while column < grid.columns {
            let style = grid[row, column].style
            let start = column
            while column < grid.columns && grid[row, column].style == style { column += 1 }
            var first = start, end = column
            if style == .plain {
                while first < end && grid[row, first] == .blank { first += 1 }
                while end > first && grid[row, end - 1] == .blank { end -= 1 }
            }
            guard first < end else { continue }
            out.append((first, (first..<end).map { grid[row, $0].text }.joined(), style))
        }
        return out
    }

    private func draw(_ scalars: [wchar_t], row: Int, column: Int, style: CellGrid.Style) {
        var attributes: Int32 = 0
        if let color = style.color, colors { attributes |= concord_color_pair(Self.pair(color).rawValue) }
        if style.bold { attributes |= concord_attr_bold() }
        if style.reverse { attributes |= concord_attr_reverse() }
        if attributes != 0 { attron(attributes) }
        defer { if attributes != 0 { attroff(attributes) } }
        mvaddwstr(Int32(row), Int32(column), scalars + [0])
    }

    private static func pair(_ color: CellGrid.Color) -> Pair {
        switch color {
        case .title: return .title
        case .focus: return .focus
        case .answered: return .answered
        case .dim: return .dim
        case .warning: return .warning
        case .bar: return .bar
        }
    }

    /// Blank characters of width one: the space, the no-break space, and the Unicode
    /// spaces U+2000–U+200A, U+202F and U+205F.
    static let blanks: [wchar_t] = [0x20, 0xA0] + (0x2000...0x200A).map { wchar_t($0) } + [0x202F, 0x205F]

    /// Makes every row of the screen different in ncurses' eyes, with blank characters that
    /// encode the row in two columns no text is drawn in.
    ///
    /// ncurses optimises updates by finding lines that moved (by a hash of their
    /// characters, attributes not included) and shifting them with the terminal's
    /// scrolling region (`CSI r` + `CSI T`) — whatever `idlok` says, whenever the terminal
    /// can scroll. The terminal then shifts the picture too, which ncurses does not know is
    /// there, and a torn copy stays on screen (seen in xterm when answering a criterion
    /// made the rubric pane grow). With no two rows alike (up to 225 rows), no line ever
    /// "moves", so ncurses rewrites cells in place.
    private func signRows(columns: (Int, Int), rows: Range<Int>) {
        let n = Self.blanks.count
        for row in rows {
            mvaddnwstr(Int32(row), Int32(columns.0), [Self.blanks[row % n], 0], 1)
            mvaddnwstr(Int32(row), Int32(columns.1), [Self.blanks[(row / n) % n], 0], 1)
        }
    }

    /// Flushes ncurses' changes to the terminal.
    private func refresh() { wrefresh(concord_stdscr()) }

    /// Forces a complete repaint on the next refresh (after a resize or a picture mess).
    func invalidate() { clearok(concord_stdscr(), true) }

    /// Drops keys typed but not yet read (while the program waited for the Store).
    func discardTypedKeys() { flushinp() }

    /// Writes bytes (a picture) to the terminal at whatever places they address, then puts
    /// the cursor and attributes back (DECSC … DECRC). Written in chunks of `chunk` bytes,
    /// each timed, so the caller learns how the link took them (`LinkPacer`): the bytes
    /// taken at once (room in the buffers on the way) and, once a chunk had to wait, how
    /// many went through in how long (the link's own rate, the buffers being full).
    @discardableResult
    func writeRaw(_ bytes: [UInt8]) -> LinkWrite {
        var all: [UInt8] = [0x1B, 0x37]
        all += bytes
        all += [0x1B, 0x38]
        var timing = LinkWrite(bytes: all.count)
        var offset = 0
        var waitedSince: Double?
        while offset < all.count {
            let started = WorkbenchTerminal.now()
            let n = all[offset..<min(all.count, offset + Self.chunk)].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; break }
            let ended = WorkbenchTerminal.now()
            if waitedSince == nil && ended - started > LinkPacer.waitedWrite { waitedSince = started }
            if waitedSince == nil { timing.room += n } else { timing.waitedBytes += n }
            timing.waited = waitedSince.map { ended - $0 } ?? 0
            offset += n
        }
        return timing
    }

    /// Bytes a `write` is given at most: small enough to see where the buffers filled.
    static let chunk = 4096

}
