/// Where each pane goes for a terminal size and the picture's shape, in `concord rate` and
/// `concord adjudicate` alike (the clip on the left, the rubric or the entry on the right).
/// Pure arithmetic, so layouts are tested at 80×24 and 120×40 without a terminal.
///
/// ```
/// row 0        status: item n/N · clip · batch · rubric@hash · rater · time on item
/// rows 1…      picture (left)                    │ rubric / entry (right)
///              timeline: frame, seen, time, state │
///              clip, item, seen share            │
/// rows-1       message / prompt / key hints
/// ```
///
/// The picture is as large as the left side allows at the clip's shape: its pane is as
/// tall as the picture (a pane always as tall as the terminal left 16 empty rows under a
/// wide clip at 120×40), the timeline sits right under it, and the rows left below hold the
/// clip's name and seen share. The rubric keeps two fifths of the width (at least 36
/// columns, so questions stay on few lines); when the picture is bound by the height (a
/// tall clip), the rubric also gets the columns the picture does not need.
struct PaneLayout: Equatable {
    static let minimum = (columns: 80, rows: 24)
    /// The narrowest rubric pane: a question and its options stay readable at 36.
    static let narrowestRubric = 36

    let columns: Int
    let rows: Int
    /// Preview pane in cells: top-left (0-based) and size.
    let preview: CellGrid.Rect
    let timelineRow: Int
    /// Rows under the timeline, left of the rubric, for the clip's name and seen share.
    let details: Range<Int>
    let rubric: CellGrid.Rect
    let messageRow: Int

    /// `pictureAspect`: the picture's width over its height in cells (the clip's display
    /// aspect times the cell's height over its width); nil when there is no picture yet.
    init?(columns: Int, rows: Int, pictureAspect: Double? = nil) {
        guard columns >= Self.minimum.columns, rows >= Self.minimum.rows else { return nil }
        self.columns = columns
        self.rows = rows
        let tallest = rows - 4                   // status row, two timeline rows, message row
        var width = columns - max(Self.narrowestRubric, columns * 2 / 5) - 1
        var height = tallest
        if let aspect = pictureAspect, aspect.isFinite, aspect > 0 {
            let widest = columns - max(Self.narrowestRubric, columns * 2 / 5) - 1   // the rubric keeps 2/5
            let fullHeight = Int((Double(tallest) * aspect).rounded(.up))
            width = max(20, min(widest, fullHeight))
            height = max(1, min(tallest, Int((Double(width) / aspect).rounded(.up))))
        }
        preview = CellGrid.Rect(row: 1, column: 0, width: width, height: height)
        timelineRow = 1 + height
        details = (timelineRow + 2)..<(rows - 1)
        rubric = CellGrid.Rect(row: 1, column: width + 1, width: columns - width - 1, height: rows - 2)
        messageRow = rows - 1
    }

    /// What a terminal below the minimum shows instead of the workbench, wrapped to its
    /// width (cut to one line, the warning lost its own instructions) and to its rows.
    static func tooSmall(program: String, columns: Int, rows: Int) -> [String] {
        let text = "concord \(program) needs a terminal of at least \(minimum.columns)×\(minimum.rows); this one is \(columns)×\(rows). Enlarge it, or q to quit."
        return Array(DisplayWidth.wrap(text, width: max(1, columns)).prefix(max(1, rows)))
    }

    static func == (a: PaneLayout, b: PaneLayout) -> Bool {
        a.columns == b.columns && a.rows == b.rows && a.preview.width == b.preview.width && a.preview.height == b.preview.height
    }

    /// The too-small message as a screen: the whole grid, from the top-left corner.
    static func drawTooSmall(program: String, into grid: CellGrid) {
        grid.clear()
        for (row, line) in tooSmall(program: program, columns: grid.columns, rows: grid.rows).enumerated() {
            grid.text(line, row: row, column: 0, width: grid.columns)
        }
    }
}
