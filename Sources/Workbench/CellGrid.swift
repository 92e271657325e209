import Printable

/// What a screen draws into: a grid of cells (characters, a colour role, bold, reverse),
/// plus a rectangle kept for the picture — ratatui's buffer, notcurses' plane. Screens
/// render a model into a grid; `CursesTerminal.paint` puts the grid on the terminal and
/// the clip's painter fills the picture's rectangle. So every screen is tested as text at
/// any size without a terminal (Tests/WorkbenchTests/Snapshots), and only the painter
/// calls curses.
///
/// A class rather than a value: screens hold the grid they draw on, as they once held the
/// terminal, and a frame's grid has one owner at a time.
final class CellGrid {
    /// What a colour means on screen; the painter maps each to a terminal colour.
    enum Color: Equatable, Sendable, CaseIterable {
        case title, focus, answered, dim, warning, bar
    }

    struct Style: Equatable, Sendable {
        var color: Color?
        var bold = false
        var reverse = false
        static let plain = Style()
    }

    struct Cell: Equatable, Sendable {
        /// The character with any combining marks; "" for the right half of a wide character.
        var text: String
        var style: Style
        static let blank = Cell(text: " ", style: .plain)
        var isContinuation: Bool { text.isEmpty }
    }

    /// Cells from (row, column), 0-based, `width` across and `height` down.
    struct Rect: Equatable, Sendable {
        var row: Int
        var column: Int
        var width: Int
        var height: Int
    }

    let columns: Int
    let rows: Int
    /// Whether the terminal shows colours: without them a screen marks its title by reverse.
    let colors: Bool
    private(set) var cells: [Cell]
    /// The rectangle the clip's picture goes into, when the screen shows one.
    var picture: Rect?
    /// Two columns no text uses, and the rows the painter makes distinct there
    /// (`CursesTerminal.signRows`): a defence against ncurses' line moves, not content.
    private(set) var signature: (columns: (Int, Int), rows: Range<Int>)?

    init(columns: Int, rows: Int, colors: Bool) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        self.colors = colors
        cells = Array(repeating: .blank, count: self.columns * self.rows)
    }

    subscript(row: Int, column: Int) -> Cell { cells[row * columns + column] }

    func clear() {
        cells = Array(repeating: .blank, count: columns * rows)
        picture = nil
        signature = nil
    }

    /// Text at (row, column), cut to `width` display columns (wide characters take two
    /// cells; with "…" when cut) and at the grid's right edge.
    func text(_ string: String, row: Int, column: Int, width: Int, color: Color? = nil, bold: Bool = false, reverse: Bool = false) {
        guard width > 0, row >= 0, row < rows, column >= 0, column < columns else { return }
        // Clip names, rubric text and notes come from users: a control or bidi character in
        // one is shown escaped, never sent to the terminal (ncurses passes C1 and bidi on).
        // A tab, which rubric text may hold, is a space here rather than "\t".
        let untabbed = string.utf8.contains(0x09) ? String(string.map { $0 == "\t" ? " " : $0 }) : string
        let fitted = DisplayWidth.truncate(safeLine(untabbed), to: width)
        let style = Style(color: color, bold: bold, reverse: reverse)
        var at = column
        for scalar in fitted.unicodeScalars {
            let w = DisplayWidth.of(scalar)
            if w == 0 {
                // A combining mark joins the character before it.
                if at > column { append(scalar, row: row, column: at - 1) }
                continue
            }
            guard at + w <= columns else { break }
            put(String(scalar), width: w, style: style, row: row, column: at)
            at += w
        }
    }

    /// Records the columns and rows `CursesTerminal.signRows` marks when painting.
    func sign(columns: (Int, Int), rows: Range<Int>) { signature = (columns, rows) }

    /// One character of width `width` (1 or 2). A wide character half overwritten loses
    /// its other half to a blank, as on a terminal.
    private func put(_ text: String, width: Int, style: Style, row: Int, column: Int) {
        let base = row * columns
        for c in column..<(column + width) {
            if cells[base + c].isContinuation, c > 0 { cells[base + c - 1] = .blank }
            if c + 1 < columns, cells[base + c + 1].isContinuation { cells[base + c + 1] = .blank }
        }
        cells[base + column] = Cell(text: text, style: style)
        if width == 2 { cells[base + column + 1] = Cell(text: "", style: style) }
    }

    private func append(_ scalar: Unicode.Scalar, row: Int, column: Int) {
        var c = column
        while c > 0 && cells[row * columns + c].isContinuation { c -= 1 }
        cells[row * columns + c].text.unicodeScalars.append(scalar)
    }

    // MARK: - As text

    /// The grid as lines of characters (a wide character once, as a terminal shows it);
    /// trailing blanks kept, so every line is `columns` display columns wide.
    var lines: [String] {
        (0..<rows).map { row in (0..<columns).map { self[row, $0].text }.joined() }
    }

    /// Runs of cells with a style other than plain, per row: "3 44-79 dim bold".
    var styleRuns: [String] {
        var out: [String] = []
        for row in 0..<rows {
            var column = 0
            while column < columns {
                let style = self[row, column].style
                var end = column
                while end + 1 < columns && self[row, end + 1].style == style { end += 1 }
                if style != .plain {
                    let words = [style.color.map { "\($0)" }, style.bold ? "bold" : nil, style.reverse ? "reverse" : nil].compactMap { $0 }
                    out.append("\(row) \(column)-\(end) " + words.joined(separator: " "))
                }
                column = end + 1
            }
        }
        return out
    }
}
