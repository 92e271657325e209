import Media
import TerminalGraphics
import Testing
@testable import Workbench

/// The pixel box a pane's picture is decoded into: the pane's real pixels (the probed cell
/// size), never past the largest sixel picture the terminal reported.
@Suite struct PreviewPainterTests {
    static func painter(_ graphics: TerminalCapabilities.Graphics, maxWidth: Int? = nil, maxHeight: Int? = nil) -> PreviewPainter {
        PreviewPainter(capabilities: TerminalCapabilities(graphics: graphics, colorMode: .palette256, cellWidth: 6, cellHeight: 13,
                                                          sixelMaxWidth: maxWidth, sixelMaxHeight: maxHeight, reason: ""))
    }

    @Test func sixelUsesTheProbedCellsAndTheReportedMaximum() {
        // 119×46 cells of 6×13 px (less a 6 px margin at the bottom), under xterm's 1000×650.
        #expect(Self.painter(.sixel, maxWidth: 1000, maxHeight: 650).pixelBox(width: 119, height: 46) == .scaledTo(width: 714, height: 592))
        // A bigger pane is cut to the maximum (xterm drops a larger image whole).
        #expect(Self.painter(.sixel, maxWidth: 1000, maxHeight: 650).pixelBox(width: 190, height: 60) == .scaledTo(width: 1000, height: 650))
        #expect(Self.painter(.sixel).pixelBox(width: 190, height: 60) == .scaledTo(width: 1140, height: 774))
        // Half-blocks: a cell is one pixel across and two down, whatever the font.
        #expect(Self.painter(.blocks, maxWidth: 10, maxHeight: 10).pixelBox(width: 119, height: 46) == .scaledTo(width: 119, height: 92))
    }
}
