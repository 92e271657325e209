import Media
import TerminalGraphics
import Testing
@testable import Workbench

/// Kitty pictures in the workbench's pane, without a terminal: the box is the pane's real
/// pixels, the picture is placed at the pane's cell (cursor first) in whole cells (c=, r=)
/// with the cursor kept still, and the erase bytes delete the one image id.
@Suite struct KittyPainterTests {
    static let painter = PreviewPainter(capabilities: TerminalCapabilities(
        graphics: .kitty, colorMode: .trueColor, cellWidth: 6, cellHeight: 13, sixelMaxWidth: 100, sixelMaxHeight: 100, reason: ""))

    @Test func theBoxIsThePanesPixelsWithoutSixelsMarginOrMaximum() {
        #expect(Self.painter.pixelBox(width: 119, height: 46) == .scaledTo(width: 714, height: 598))
    }

    @Test func placedAtThePaneInWholeCells() throws {
        // 100×75 px in a 40-column pane of 6×13 px cells: 17 columns (102 px) by 6 rows (78 px).
        var rgb: [UInt8] = []
        for i in 0..<(100 * 75) { rgb += [UInt8(i % 251), UInt8(i / 100), 200] }
        let frame = DecodedFrame(index: 0, pts: 0, width: 100, height: 75, rgb: rgb, decodedFrames: 1)
        let bytes = Self.painter.paint(frame, row: 1, column: 10, width: 40)
        let text = String(decoding: bytes, as: UTF8.self)
        // Centred: (40 − 17) / 2 = 11 columns in, at 1-based row 2, column 10 + 11 + 1.
        let head = "\u{1B}[2;22H\u{1B}_Ga=T,f=24,s=102,v=78,i=\(KittyEncoder.defaultImageID),q=2,o=z,c=17,r=6,C=1"
        #expect(text.hasPrefix(head), "\(String(text.prefix(80)).debugDescription)")
        #expect(text.hasSuffix("\u{1B}\\"))
        #expect(Self.painter.erase == Array("\u{1B}_Ga=d,d=I,i=\(KittyEncoder.defaultImageID),q=2\u{1B}\\".utf8))
        // The others need no erase: ncurses' blanks overwrite them.
        let sixel = PreviewPainter(capabilities: TerminalCapabilities(graphics: .sixel, colorMode: .palette256, reason: ""))
        #expect(sixel.erase == nil)
    }
}
