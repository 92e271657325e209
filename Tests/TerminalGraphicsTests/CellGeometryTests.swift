import Testing
import TerminalGraphics

/// Cells to pixels, as `concord preview` and the workbench both reckon them: the probed
/// cell for sixel (cut to the terminal's largest picture), one pixel across and two down
/// for half-blocks and ASCII.
@Suite struct CellGeometryTests {
    static func caps(_ graphics: TerminalCapabilities.Graphics) -> TerminalCapabilities {
        TerminalCapabilities(graphics: graphics, colorMode: .palette256, cellWidth: 6, cellHeight: 13,
                             sixelMaxWidth: 1000, sixelMaxHeight: 650, reason: "")
    }

    @Test func sixelUsesTheTerminalsCellAndItsLargestPicture() {
        let sixel = Self.caps(.sixel)
        #expect(sixel.pixelsPerCell == (6, 13))
        #expect(sixel.cellAspect(displayAspect: 2) == 2 * 13.0 / 6.0)
        #expect(sixel.rows(columns: 80, displayAspect: 16.0 / 9.0) == 21)             // 480 px / (16/9) = 270 px: 20.8 rows
        #expect(sixel.pixelBox(columns: 80, rows: 21) == (480, 273))
        #expect(sixel.pixelBox(columns: 200, rows: 60) == (1000, 650))                  // cut to XTSMGRAPHICS' maximum
        #expect(sixel.pixelBox(columns: 119, rows: 46, sixelMargin: 6) == (714, 592))
    }

    @Test func halfBlocksAndASCIIHoldOnePixelAcrossAndTwoDown() {
        for graphics in [TerminalCapabilities.Graphics.blocks, .ascii] {
            let caps = Self.caps(graphics)
            #expect(caps.pixelsPerCell == (1, 2))
            #expect(caps.cellAspect(displayAspect: 16.0 / 9.0) == 32.0 / 9.0)
            #expect(caps.rows(columns: 80, displayAspect: 16.0 / 9.0) == 23)           // 45 pixel rows, two a cell
            #expect(caps.pixelBox(columns: 200, rows: 60, sixelMargin: 6) == (200, 120))   // no sixel maximum, no margin
        }
        #expect(Self.caps(.blocks).rows(columns: 1, displayAspect: 100) == 1)
    }
}
