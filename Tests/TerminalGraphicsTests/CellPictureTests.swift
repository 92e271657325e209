import Testing
@testable import TerminalGraphics

/// A screen that applies what a terminal would of the bytes a cell picture writes: cursor
/// moves, SGR colours, characters advancing the cursor. Cells never written stay nil.
struct VirtualScreen {
    struct Cell: Equatable { var glyph: Character; var fg: String?; var bg: String? }
    var cells: [Int: [Int: Cell]] = [:]
    private(set) var written = 0

    mutating func apply(_ bytes: [UInt8]) {
        let scalars = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
        var row = 1, column = 1, fg: String?, bg: String?
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "\u{1B}", i + 1 < scalars.count, scalars[i + 1] == "[" {
                var j = i + 2, body = ""
                while !scalars[j].properties.isAlphabetic { body.unicodeScalars.append(scalars[j]); j += 1 }
                let p = body.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
                if scalars[j] == "H" {
                    row = Int(p[0])!; column = Int(p[1])!
                } else {
                    var k = 0
                    while k < p.count {
                        switch p[k] {
                        case "0": fg = nil; bg = nil; k += 1
                        case "39": fg = nil; k += 1
                        case "49": bg = nil; k += 1
                        default:
                            let n = p[k + 1] == "2" ? 5 : 3
                            let value = p[(k + 1)..<(k + n)].joined(separator: ";")
                            if p[k] == "38" { fg = value } else { bg = value }
                            k += n
                        }
                    }
                }
                i = j + 1
                continue
            }
            cells[row, default: [:]][column] = Cell(glyph: Character(c), fg: fg, bg: bg)
            written += 1
            column += 1
            i += 1
        }
    }
}

@Suite struct CellPictureTests {
    static func frame(_ width: Int, _ height: Int, spot: (x: Int, y: Int)? = nil) -> RGBImage {
        RGBImage(width: width, height: height) { x, y in
            if let spot, spot.x == x, spot.y == y { return RGB(255, 255, 255) }
            return RGB(UInt8(x * 20 % 256), UInt8(y * 30 % 256), 90)
        }
    }

    @Test(arguments: HalfBlockRenderer.ColorMode.allCases)
    func everyCellAtOnceShowsWhatTheRendererDraws(mode: HalfBlockRenderer.ColorMode) {
        let image = Self.frame(7, 5)   // an odd last pixel row: lower halves in the default colour
        var fromCells = VirtualScreen(), fromRenderer = VirtualScreen()
        fromCells.apply(HalfBlockRenderer(mode: mode).cells(image, origin: (3, 4)).bytes())
        fromRenderer.apply(HalfBlockRenderer(mode: mode).render(image, origin: (3, 4)))
        #expect(fromCells.cells == fromRenderer.cells)
        #expect(fromCells.written == 7 * 3)
    }

    @Test func anUnchangedFrameWritesNothing() {
        let picture = HalfBlockRenderer(mode: .trueColor).cells(Self.frame(16, 10), origin: (2, 2))
        #expect(picture.bytes(over: picture).isEmpty)
        let ascii = ASCIIRenderer().cells(Self.frame(16, 5), origin: (2, 2))
        #expect(ascii.bytes(over: ascii).isEmpty)
    }

    @Test(arguments: HalfBlockRenderer.ColorMode.allCases)
    func aChangedPixelRewritesItsOneCell(mode: HalfBlockRenderer.ColorMode) {
        let renderer = HalfBlockRenderer(mode: mode)
        let before = renderer.cells(Self.frame(16, 10), origin: (2, 5))
        let after = renderer.cells(Self.frame(16, 10, spot: (9, 3)), origin: (2, 5))
        var screen = VirtualScreen()
        screen.apply(before.bytes())
        let written = screen.written
        let diff = after.bytes(over: before)
        screen.apply(diff)
        #expect(screen.written - written == 1)                  // pixel (9, 3): cell column 9, cell row 1
        #expect(String(decoding: diff, as: UTF8.self).hasPrefix("\u{1B}[3;14H"))
        var fresh = VirtualScreen()
        fresh.apply(after.bytes())
        #expect(screen.cells == fresh.cells)                     // the same screen as a full redraw
    }

    @Test func changedRunsInAsciiAreWrittenAsRunsAndMatchAFullRedraw() {
        let before = ASCIIRenderer().cells(RGBImage(width: 12, height: 3, filledWith: RGB(0, 0, 0)), origin: (1, 1))
        let changed = RGBImage(width: 12, height: 3) { x, y in y == 1 && (2..<5).contains(x) || y == 2 && x == 11 ? RGB(255, 255, 255) : RGB(0, 0, 0) }
        let after = ASCIIRenderer().cells(changed, origin: (1, 1))
        let diff = String(decoding: after.bytes(over: before), as: UTF8.self)
        #expect(diff == "\u{1B}[2;3H@@@\u{1B}[3;12H@")
        var screen = VirtualScreen(), fresh = VirtualScreen()
        screen.apply(before.bytes()); screen.apply(after.bytes(over: before)); fresh.apply(after.bytes())
        #expect(screen.cells == fresh.cells)
    }

    @Test func anotherPlaceOrSizeIsRedrawnWhole() {
        let renderer = HalfBlockRenderer(mode: .palette256)
        let before = renderer.cells(Self.frame(8, 4), origin: (2, 2))
        var moved = VirtualScreen(), resized = VirtualScreen()
        moved.apply(renderer.cells(Self.frame(8, 4), origin: (2, 3)).bytes(over: before))
        resized.apply(renderer.cells(Self.frame(6, 4), origin: (2, 2)).bytes(over: before))
        #expect(moved.written == 8 * 2)
        #expect(resized.written == 6 * 2)
    }
}
