import Testing
@testable import Workbench

/// The grid screens draw into behaves as the terminal it stands for: a wide character takes
/// two cells, half overwritten it loses its other half, text stops at the right edge, a
/// combining mark joins its character, users' control characters are shown escaped.
@Suite struct CellGridTests {
    @Test func aWideCharacterTakesTwoCells() {
        let grid = CellGrid(columns: 8, rows: 1, colors: true)
        grid.text("車a線", row: 0, column: 1, width: 7, color: .dim)
        #expect(grid.lines == [" 車a線  "])
        #expect((0..<8).map { grid[0, $0].text } == [" ", "車", "", "a", "線", "", " ", " "])
        #expect(grid.styleRuns == ["0 1-5 dim"])
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        let grid = CellGrid(columns: 6, rows: 2, colors: true)
        grid.text("車線", row: 0, column: 0, width: 6)
        grid.text("x", row: 0, column: 1, width: 1)   // the right half of 車
        grid.text("y", row: 0, column: 2, width: 1)   // the left half of 線
        #expect(grid.lines[0] == " xy   ")
        grid.text("車線", row: 1, column: 0, width: 6)
        grid.text("線", row: 1, column: 1, width: 2)   // across both
        #expect(grid.lines[1] == " 線   ")
    }

    @Test func textIsCutToItsWidthAndAtTheRightEdge() {
        let grid = CellGrid(columns: 6, rows: 3, colors: false)
        grid.text("abcdefgh", row: 0, column: 0, width: 4)
        grid.text("abcdefgh", row: 1, column: 3, width: 10)
        grid.text("a車", row: 2, column: 4, width: 3)      // 車 does not fit in the last column
        #expect(grid.lines == ["abc…  ", "   abc", "    a "])
        grid.text("never", row: 3, column: 0, width: 5)   // outside: nothing
        grid.text("never", row: 0, column: -1, width: 5)
        #expect(grid.lines == ["abc…  ", "   abc", "    a "])
    }

    @Test func marksJoinTheirCharacterAndControlsAreEscaped() {
        let grid = CellGrid(columns: 12, rows: 2, colors: true)
        grid.text("e\u{301}t\u{E9}", row: 0, column: 0, width: 12)
        #expect(grid[0, 0].text == "e\u{301}" && grid[0, 1].text == "t")
        grid.text("a\u{1B}[2Jb\tc", row: 1, column: 0, width: 12)
        #expect(grid.lines[1] == #"a\e[2Jb c   "#)   // never an escape sequence for the terminal
    }

    @Test func clearForgetsThePictureAndTheSignature() {
        let grid = CellGrid(columns: 4, rows: 2, colors: true)
        grid.text("ab", row: 0, column: 0, width: 4, color: .title, bold: true, reverse: true)
        grid.picture = .init(row: 1, column: 0, width: 4, height: 1)
        grid.sign(columns: (0, 3), rows: 1..<2)
        #expect(grid.styleRuns == ["0 0-1 title bold reverse"])
        grid.clear()
        #expect(grid.lines == ["    ", "    "] && grid.styleRuns.isEmpty && grid.picture == nil && grid.signature == nil)
    }

    /// A mismatch names the first differing line with its row and column.
    @Test func aSnapshotMismatchSaysWhere() {
        let expected = "t · 4×2\n|abcd|\n|efgh|\npicture: none\n"
        let actual = "t · 4×2\n|abcd|\n|efXh|\npicture: none\n"
        #expect(ScreenSnapshot.difference(expected: expected, actual: actual, name: "t").hasPrefix(
            "t: line 3 (row 1), column 2: expected \"|efgh|\", got \"|efXh|\"\nthe new screen (CONCORD_RECORD_SNAPSHOTS=1 records it):\n"))
    }
}

/// What the painter sends to ncurses for a row: runs of one style, unstyled blanks at
/// their ends left out (so the picture's rectangle is never written over, and the last
/// cell of the last row only when something is there).
@Suite struct PainterRunTests {
    @Test func runsOfOneStyleWithoutTheBlanksWeraseLeft() {
        let grid = CellGrid(columns: 20, rows: 2, colors: true)
        grid.statusLine(" t")
        grid.text("ab 車", row: 1, column: 12, width: 8)
        grid.text("x", row: 1, column: 19, width: 1, color: .dim)
        #expect(CursesTerminal.runs(grid, row: 0).map { "\($0.column) [\($0.text)]" } == ["0 [ t                  ]"])
        #expect(CursesTerminal.runs(grid, row: 0).first?.style == CellGrid.Style(color: .title, bold: false, reverse: false))
        #expect(CursesTerminal.runs(grid, row: 1).map { "\($0.column) [\($0.text)]" } == ["12 [ab 車]", "19 [x]"])
    }

    @Test func aBlankRowSendsNothing() {
        let grid = CellGrid(columns: 10, rows: 1, colors: false)
        #expect(CursesTerminal.runs(grid, row: 0).isEmpty)
        grid.statusLine("t")
        #expect(CursesTerminal.runs(grid, row: 0).map(\.style) == [CellGrid.Style(color: .title, bold: false, reverse: true)])
    }
}
