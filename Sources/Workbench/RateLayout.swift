/// Where each pane goes for a terminal size. Pure arithmetic, so layouts are tested at
/// 80×24 and 120×40 without a terminal.
///
/// ```
/// row 0        status: item n/N · batch · rubric@hash · rater · time on item
/// rows 1…      preview (left)                    │ rubric (right)
/// rows-3…-2    timeline: frame, time, play state │
/// rows-1       message / prompt / key hints
/// ```
struct RateLayout: Equatable {
    static let minimum = (columns: 80, rows: 24)

    let columns: Int
    let rows: Int
    /// Preview pane in cells: top-left (0-based) and size.
    let preview: (row: Int, column: Int, width: Int, height: Int)
    let timelineRow: Int
    let rubric: (row: Int, column: Int, width: Int, height: Int)
    let messageRow: Int

    init?(columns: Int, rows: Int) {
        guard columns >= Self.minimum.columns, rows >= Self.minimum.rows else { return nil }
        self.columns = columns
        self.rows = rows
        let rubricWidth = max(36, columns * 2 / 5)
        let previewWidth = columns - rubricWidth - 1
        preview = (1, 0, previewWidth, rows - 4)
        timelineRow = rows - 3
        rubric = (1, previewWidth + 1, rubricWidth, rows - 2)
        messageRow = rows - 1
    }

    /// What a terminal below the minimum shows instead of the workbench, wrapped to its
    /// width (cut to one line, the warning lost its own instructions) and to its rows.
    static func tooSmall(program: String, columns: Int, rows: Int) -> [String] {
        let text = "concord \(program) needs a terminal of at least \(minimum.columns)×\(minimum.rows); this one is \(columns)×\(rows). Enlarge it, or q to quit."
        return Array(DisplayWidth.wrap(text, width: max(1, columns)).prefix(max(1, rows)))
    }

    static func == (a: RateLayout, b: RateLayout) -> Bool { a.columns == b.columns && a.rows == b.rows }
}
