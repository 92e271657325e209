import Testing
@testable import Workbench

/// Why a clip does not play fills its pane whole: a refused clip's message names the file's
/// path, which used to be cut with "…" past the pane's width, and the message stopped after
/// four lines.
@Suite struct ClipProblemTests {
    @Test func aLongPathIsBrokenAcrossLinesAndEveryLineTheMessageNeedsIsShown() {
        let grid = CellGrid(columns: 24, rows: 10, colors: false)
        grid.clipProblem("the file /a/very/long/path/to/the-clip.mp4 is not the project's x.mp4",
                         in: CellGrid.Rect(row: 0, column: 0, width: 20, height: 9))
        #expect(grid.lines.map { String($0.dropLast(4)) } == [
            "                    ",
            "  the file          ",
            "  /a/very/long/pat  ",
            "  h/to/the-clip.mp  ",
            "  4 is not the      ",
            "  project's x.mp4   ",
            "                    ",
            "                    ",
            "                    ",
            "                    ",
        ])
    }

    @Test func aMessageLongerThanThePaneStopsAtItsLastRow() {
        let lines = DisplayWidth.wrapBreakingWords(String(repeating: "abcdefgh ", count: 20), width: 8)
        #expect(lines == Array(repeating: "abcdefgh", count: 20))
        let grid = CellGrid(columns: 12, rows: 6, colors: false)
        grid.clipProblem(String(repeating: "abcdefgh ", count: 20), in: CellGrid.Rect(row: 0, column: 0, width: 12, height: 6))
        #expect(grid.lines == ["            "] + Array(repeating: "  abcdefgh  ", count: 4) + ["            "])
    }
}
