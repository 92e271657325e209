import Media
import TerminalGraphics
import Testing
@testable import Workbench

/// A pair's two kitty pictures live under two image ids of their own: with one id the right
/// picture would replace the left (each frame replaces the last of its id), and deleting one
/// side (one clip at a time) would take the other away.
@Suite struct PairKittyTests {
    static let capabilities = TerminalCapabilities(graphics: .kitty, colorMode: .trueColor, cellWidth: 6, cellHeight: 13,
                                                   sixelMaxWidth: 100, sixelMaxHeight: 100, reason: "")

    @Test func eachSideDrawsAndErasesItsOwnImage() {
        let ids = PairPanes.kittyImageIDs
        #expect(Set([ids.left, ids.right, KittyEncoder.defaultImageID]).count == 3)
        let frame = DecodedFrame(index: 0, pts: 0, width: 12, height: 13, rgb: Array(repeating: 90, count: 12 * 13 * 3), decodedFrames: 1)
        for id in [ids.left, ids.right] {
            let painter = PreviewPainter(capabilities: Self.capabilities, kittyImageID: id)
            let text = String(decoding: painter.paint(frame, row: 1, column: 0, width: 10), as: UTF8.self)
            #expect(text.contains(",i=\(id),"), "\(String(text.prefix(60)).debugDescription)")
            #expect(painter.erase == Array("\u{1B}_Ga=d,d=I,i=\(id),q=2\u{1B}\\".utf8))
        }
    }
}
