/// Where each pane of a pair item goes when both clips are shown side by side
/// (docs/pairwise.md, "Workbench"). Pure arithmetic, tested at 80×24 and 120×40.
///
/// ```
/// row 0        status: item n/N · pair · batch · rubric@hash · rater · time on item
/// rows 1…h     left picture              │ right picture
/// h+1          left · frame · seen · time │ right · frame · seen · time
/// h+2          its seen bar              │ its seen bar
/// h+3…         state, item, both shares  │ rubric
/// rows-1       message / prompt / key hints
/// ```
///
/// The pictures take the whole width, each half of it less one column between them (a
/// comparison needs both large more than it needs the rubric beside them), and are as tall
/// as the wider half needs at the clips' shapes, leaving at least `rubricRows` rows for the
/// rubric under the right picture. The column between the pictures runs on down between the
/// details and the rubric, so no text is ever drawn in it (`CursesTerminal.signRows`).
///
/// One at a time instead (`init` returns nil; the screen uses `PaneLayout` and `Tab` flips)
/// when either picture would be narrower than `narrowestPicture` columns: a landscape pair
/// is side by side from 80 columns up (39 columns each at 80×24), a portrait or square
/// pair, bound by the rows, only on taller terminals (a 9:16 pair is 15 columns wide at
/// 80×24, one at a time; 33 at 120×40, side by side).
struct PairLayout: Equatable {
    /// The narrowest picture worth comparing beside another: 30 columns is 300 pixels in a
    /// 10-pixel cell, 60 half-block pixels; one at a time the same terminal gives a picture
    /// about 40 columns wide.
    static let narrowestPicture = 30
    /// Rows under the pictures' bars at least: a pairwise question on two lines, its keys,
    /// a strength line, the submit line and a second criterion's first line.
    static let rubricRows = 7
    /// The picture's shape in cells when a clip's is not known yet (16:9 in 1:2 cells).
    static let defaultAspect = 16.0 / 9.0 * 2

    let columns: Int
    let rows: Int
    let left: CellGrid.Rect
    let right: CellGrid.Rect
    /// Under each picture: its side, frame, seen share and time.
    let infoRow: Int
    /// Under that: its seen bar with the playhead.
    let barRow: Int
    /// Bottom left: play state, the item, both seen shares, time on item.
    let details: CellGrid.Rect
    let rubric: CellGrid.Rect
    let messageRow: Int

    /// The column between the pictures, and between the details and the rubric.
    var gutter: Int { left.width }

    /// The side-by-side layout, or nil when the terminal is below `PaneLayout.minimum` or
    /// either picture would be narrower than `narrowestPicture` (then one at a time).
    /// `aspects`: each picture's width over its height in cells; nil when not known yet.
    init?(columns: Int, rows: Int, aspects: (left: Double?, right: Double?)) {
        guard columns >= PaneLayout.minimum.columns, rows >= PaneLayout.minimum.rows else { return nil }
        let width = (columns - 2) / 2   // the last column is left empty too (signRows)
        let tallest = rows - 4 - Self.rubricRows
        let shapes = [aspects.left, aspects.right].map { aspect -> Double in
            guard let aspect, aspect.isFinite, aspect > 0 else { return Self.defaultAspect }
            return aspect
        }
        let height = max(1, min(tallest, shapes.map { Int((Double(width) / $0).rounded(.up)) }.max()!))
        // A picture bound by the rows is narrower than its half.
        guard shapes.allSatisfy({ min(width, Int(Double(height) * $0)) >= Self.narrowestPicture }) else { return nil }
        self.columns = columns
        self.rows = rows
        left = CellGrid.Rect(row: 1, column: 0, width: width, height: height)
        right = CellGrid.Rect(row: 1, column: width + 1, width: width, height: height)
        infoRow = 1 + height
        barRow = infoRow + 1
        let bottom = barRow + 1
        details = CellGrid.Rect(row: bottom, column: 0, width: width, height: rows - 1 - bottom)
        rubric = CellGrid.Rect(row: bottom, column: width + 1, width: columns - width - 1, height: rows - 1 - bottom)
        messageRow = rows - 1
    }

    func pane(_ side: PairSide) -> CellGrid.Rect { side == .left ? left : right }
}
