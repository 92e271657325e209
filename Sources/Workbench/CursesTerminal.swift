import CCurses
import CTerminalGuard
import Printable
#if canImport(Glibc)
import Glibc
#endif

/// Set by the signal handlers; read by the event loop between keys. A C global through
/// `sig_atomic_t` semantics: one aligned word, written once per signal.
nonisolated(unsafe) private var pendingSignal: Int32 = 0

/// The full-screen terminal through ncursesw: start, draw text, read keys, and always
/// restore the terminal — on `q`, on SIGINT, SIGTERM and SIGHUP (the loop sees the signal
/// within one input timeout and unwinds), on errors (`restore()` in a `defer`), and on a
/// crash (SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE: CTerminalGuard).
///
/// Pictures are not ncurses' business: they are written straight to the terminal after
/// ncurses has flushed, inside DECSC/DECRC so the physical cursor goes back to where
/// ncurses believes it is, into a region ncurses never draws in.
final class CursesTerminal {
    private var active = false
    private(set) var colors = false

    /// ncurses colour pairs used by the screens.
    enum Pair: Int16 { case title = 1, focus, answered, dim, warning, bar }

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

    func clear() { werase(concord_stdscr()) }

    /// Text at (row, column), cut to `width` display columns (wide characters count two).
    func text(_ string: String, row: Int, column: Int, width: Int, pair: Pair? = nil, bold: Bool = false, reverse: Bool = false) {
        guard width > 0, row >= 0, row < size.rows else { return }
        var attributes: Int32 = 0
        if let pair, colors { attributes |= concord_color_pair(pair.rawValue) }
        if bold { attributes |= concord_attr_bold() }
        if reverse { attributes |= concord_attr_reverse() }
        if attributes != 0 { attron(attributes) }
        defer { if attributes != 0 { attroff(attributes) } }
        // Clip names, rubric text and notes come from users: a control or bidi character in
        // one is shown escaped, never sent to the terminal (ncurses passes C1 and bidi on).
        // A tab, which rubric text may hold, is a space here rather than "\t".
        let untabbed = string.utf8.contains(0x09) ? String(string.map { $0 == "\t" ? " " : $0 }) : string
        let fitted = DisplayWidth.truncate(safeLine(untabbed), to: width)
        var scalars = Array(fitted.unicodeScalars.map { wchar_t(bitPattern: $0.value) })
        scalars.append(0)
        mvaddwstr(Int32(row), Int32(column), scalars)
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
    func signRows(columns: (Int, Int), rows: Range<Int>) {
        let n = Self.blanks.count
        for row in rows {
            mvaddnwstr(Int32(row), Int32(columns.0), [Self.blanks[row % n], 0], 1)
            mvaddnwstr(Int32(row), Int32(columns.1), [Self.blanks[(row / n) % n], 0], 1)
        }
    }

    /// Flushes ncurses' changes to the terminal.
    func refresh() { wrefresh(concord_stdscr()) }

    /// Forces a complete repaint on the next refresh (after a resize or a picture mess).
    func invalidate() { clearok(concord_stdscr(), true) }

    /// Writes bytes (a picture) to the terminal at whatever places they address, then puts
    /// the cursor and attributes back (DECSC … DECRC).
    func writeRaw(_ bytes: [UInt8]) {
        var all: [UInt8] = [0x1B, 0x37]
        all += bytes
        all += [0x1B, 0x38]
        var offset = 0
        while offset < all.count {
            let n = all[offset...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }
}

/// Display width of text in terminal columns: wide (East Asian, emoji) characters take two.
enum DisplayWidth {
    /// Our own table rather than wcwidth(3), whose answer depends on the process locale:
    /// combining marks take none, East Asian wide and fullwidth characters and emoji two.
    static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    static func of(_ text: String) -> Int { text.unicodeScalars.reduce(0) { $0 + of($1) } }

    /// The longest prefix of `text` that fits in `width` columns, with "…" when cut.
    static func truncate(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        var out = String.UnicodeScalarView()
        var used = 0
        for scalar in text.unicodeScalars {
            let w = of(scalar)
            if used + w > width - 1 { break }
            out.append(scalar)
            used += w
        }
        return String(out) + "…"
    }

    /// Splits text into lines of at most `width` columns, at spaces where possible.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 1 else { return [text] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                let candidate = line.isEmpty ? String(word) : line + " " + word
                if of(candidate) <= width { line = candidate; continue }
                if !line.isEmpty { lines.append(line) }
                line = of(String(word)) <= width ? String(word) : truncate(String(word), to: width)
            }
            lines.append(line)
        }
        return lines
    }
}
