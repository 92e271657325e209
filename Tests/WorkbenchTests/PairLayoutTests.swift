import Testing
@testable import Workbench

/// Where a pair's panes go: side by side across the whole width when each picture gets at
/// least `PairLayout.narrowestPicture` columns, else one at a time (nil).
@Suite struct PairLayoutTests {
    static let wide = 16.0 / 9.0 * 2       // a 16:9 clip in 1:2 cells
    static let portrait = 9.0 / 16.0 * 2

    @Test func a16by9PairAt120x40() throws {
        let l = try #require(PairLayout(columns: 120, rows: 40, aspects: (Self.wide, Self.wide)))
        #expect(l.left == CellGrid.Rect(row: 1, column: 0, width: 59, height: 17))
        #expect(l.right == CellGrid.Rect(row: 1, column: 60, width: 59, height: 17))
        #expect(l.gutter == 59)
        #expect(l.infoRow == 18 && l.barRow == 19)
        #expect(l.details == CellGrid.Rect(row: 20, column: 0, width: 59, height: 19))
        #expect(l.rubric == CellGrid.Rect(row: 20, column: 60, width: 60, height: 19))
        #expect(l.messageRow == 39)
    }

    @Test func a16by9PairAt80x24IsStillSideBySide() throws {
        let l = try #require(PairLayout(columns: 80, rows: 24, aspects: (Self.wide, nil)))
        #expect(l.left == CellGrid.Rect(row: 1, column: 0, width: 39, height: 11))
        #expect(l.right.column == 40 && l.right.width == 39)
        #expect(l.rubric.height >= PairLayout.rubricRows && l.rubric.width == 40)
    }

    @Test func portraitClipsAreShownOneAtATimeWhenTheRowsMakeThemNarrow() throws {
        #expect(PairLayout(columns: 80, rows: 24, aspects: (Self.portrait, Self.portrait)) == nil)
        #expect(PairLayout(columns: 80, rows: 24, aspects: (Self.wide, Self.portrait)) == nil)   // either one too narrow
        let tall = try #require(PairLayout(columns: 120, rows: 40, aspects: (Self.portrait, Self.portrait)))
        #expect(tall.left.height == 29 && tall.rubric.height == 7)
        #expect(PairLayout(columns: 79, rows: 40, aspects: (Self.wide, Self.wide)) == nil)       // below the minimum
    }
}
