import Testing
@testable import TerminalGraphics

/// Reads half-block output back into cells: the glyph and the colours in force when it was
/// drawn, so assertions are about what a terminal would show, not about byte layout.
struct CellReader {
    struct Cell: Equatable { var glyph: Character; var fg: Color?; var bg: Color? }
    enum Color: Equatable { case rgb(Int, Int, Int), index(Int) }

    var rows: [[Cell]] = [[]]
    var cursorMoves: [(Int, Int)] = []

    init(_ text: String) {
        var fg: Color? = nil, bg: Color? = nil
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "\u{1B}" {
                guard chars.first == "[" else { continue }
                chars = chars.dropFirst()
                var body = ""
                while let d = chars.first, !(d.properties.isAlphabetic) { body.unicodeScalars.append(d); chars = chars.dropFirst() }
                let final = chars.first!; chars = chars.dropFirst()
                let p = body.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
                if final == "H" { cursorMoves.append((p[0], p[1])); if !rows.last!.isEmpty { rows.append([]) }; continue }
                var i = 0
                while i < p.count {
                    switch p[i] {
                    case 0: fg = nil; bg = nil; i += 1
                    case 39: fg = nil; i += 1
                    case 49: bg = nil; i += 1
                    case 38, 48:
                        let color: Color = p[i + 1] == 2 ? .rgb(p[i + 2], p[i + 3], p[i + 4]) : .index(p[i + 2])
                        if p[i] == 38 { fg = color } else { bg = color }
                        i += p[i + 1] == 2 ? 5 : 3
                    default: i += 1
                    }
                }
            } else if c == "\r" {
                continue
            } else if c == "\n" {
                rows.append([])
            } else {
                rows[rows.count - 1].append(Cell(glyph: Character(c), fg: fg, bg: bg))
            }
        }
        if rows.last!.isEmpty { rows.removeLast() }
    }
}

@Suite struct HalfBlockTests {
    static let picture = RGBImage(width: 3, height: 4) { x, y in
        [[RGB(255, 0, 0), RGB(0, 255, 0), RGB(0, 0, 255)],
         [RGB(1, 2, 3), RGB(1, 2, 3), RGB(250, 250, 250)],
         [RGB(0, 0, 0), RGB(255, 255, 255), RGB(0, 0, 0)],
         [RGB(0, 0, 0), RGB(138, 138, 138), RGB(95, 135, 175)]][y][x]
    }

    @Test func trueColourCellsParseBackToTheirPixels() {
        let text = HalfBlockRenderer(mode: .trueColor).renderString(Self.picture)
        let cells = CellReader(text).rows
        #expect(cells.count == 2 && cells.allSatisfy { $0.count == 3 })
        for cy in 0..<2 {
            for x in 0..<3 {
                let t = Self.picture[x, 2 * cy], b = Self.picture[x, 2 * cy + 1]
                #expect(cells[cy][x] == .init(glyph: "▀", fg: .rgb(Int(t.r), Int(t.g), Int(t.b)),
                                             bg: .rgb(Int(b.r), Int(b.g), Int(b.b))), "cell (\(x), \(cy))")
            }
        }
        // Rows end with a reset and CRLF; an unchanged colour is not repeated.
        #expect(text.hasSuffix("▀\u{1B}[0m\r\n"))
        #expect(text.components(separatedBy: "\r\n").count == 3)
        #expect(text.components(separatedBy: "48;2;1;2;3m").count == 2)   // (1,2,3) bg twice, one code
    }

    @Test func palette256CellsAndKnownIndices() {
        #expect(Palette256.index(of: RGB(255, 0, 0)) == 196)
        #expect(Palette256.index(of: RGB(0, 255, 0)) == 46)
        #expect(Palette256.index(of: RGB(0, 0, 255)) == 21)
        #expect(Palette256.index(of: RGB(0, 0, 0)) == 16)
        #expect(Palette256.index(of: RGB(255, 255, 255)) == 231)
        #expect(Palette256.index(of: RGB(128, 128, 128)) == 244)   // grey ramp 128 beats cube 135
        #expect(Palette256.index(of: RGB(138, 138, 138)) == 245)
        #expect(Palette256.index(of: RGB(95, 135, 175)) == 67)
        for i in 16...255 { #expect(Palette256.index(of: Palette256.color(of: i)) == i, "index \(i)") }

        let cells = CellReader(HalfBlockRenderer(mode: .palette256).renderString(Self.picture)).rows
        #expect(cells[0][0] == .init(glyph: "▀", fg: .index(196), bg: .index(16)))
        #expect(cells[0][2] == .init(glyph: "▀", fg: .index(21), bg: .index(Palette256.index(of: RGB(250, 250, 250)))))
        #expect(cells[1][1] == .init(glyph: "▀", fg: .index(231), bg: .index(245)))
        #expect(cells[1][2] == .init(glyph: "▀", fg: .index(16), bg: .index(67)))
    }

    @Test func oddHeightLeavesDefaultBackground() {
        let img = RGBImage(width: 2, height: 3) { _, y in y == 2 ? RGB(9, 8, 7) : RGB(0, 0, 0) }
        let cells = CellReader(HalfBlockRenderer(mode: .trueColor).renderString(img)).rows
        #expect(cells.count == 2)
        #expect(cells[1] == [.init(glyph: "▀", fg: .rgb(9, 8, 7), bg: nil), .init(glyph: "▀", fg: .rgb(9, 8, 7), bg: nil)])
    }

    @Test func cursorPositionedRows() {
        let text = HalfBlockRenderer(mode: .trueColor).renderString(Self.picture, origin: (row: 5, column: 10))
        #expect(text.hasPrefix("\u{1B}[5;10H"))
        #expect(text.contains("\u{1B}[0m\u{1B}[6;10H"))
        #expect(!text.contains("\n"))
        #expect(text.hasSuffix("\u{1B}[0m"))
        let reader = CellReader(text)
        #expect(reader.cursorMoves.map { [$0.0, $0.1] } == [[5, 10], [6, 10]])
        #expect(reader.rows.count == 2)
    }

    @Test func monochromeWritesNoEscapes() {
        let text = HalfBlockRenderer(mode: .monochrome).renderString(Self.picture)
        #expect(!text.contains("\u{1B}"))
        // Lit = luma ≥ 128. Cells: (red/1-2-3, green/1-2-3, blue/250), (black/black, white/138, black/95-135-175).
        #expect(text == " ▀▄\r\n █▄\r\n")
    }

    @Test func fittingUsesTwoPixelsPerCell() {
        let img = Pictures.gradient(320, 180)
        let cells = CellReader(HalfBlockRenderer(mode: .trueColor).renderString(
            img.fitting(columns: 40, rows: 40, cellWidth: 1, cellHeight: 2))).rows
        #expect(cells.count == 12 && cells[0].count == 40)   // 40×22.5 px → 40×23 px → 12 rows
        let bytes = HalfBlockRenderer(mode: .palette256).render(img, fittingColumns: 40, rows: 40)
        #expect(CellReader(String(decoding: bytes, as: UTF8.self)).rows.count == 12)
    }
}

@Suite struct ASCIITests {
    @Test func rampEnds() {
        let r = ASCIIRenderer()
        #expect(r.renderString(RGBImage(width: 1, height: 1, filledWith: RGB(0, 0, 0))) == " \r\n")
        #expect(r.renderString(RGBImage(width: 1, height: 1, filledWith: RGB(255, 255, 255))) == "@\r\n")
        // Rec. 709: pure green is much brighter than pure blue.
        let g = r.renderString(RGBImage(width: 1, height: 1, filledWith: RGB(0, 255, 0)))
        let b = r.renderString(RGBImage(width: 1, height: 1, filledWith: RGB(0, 0, 255)))
        #expect(g == "*\r\n" && b == ".\r\n")   // round(0.7152 × 9) = 6 → '*'; round(0.0722 × 9) = 1 → '.'
    }

    @Test func fittingAllowsForTallCells() {
        // A square picture in 40×40 cells: 40 columns, 20 rows (cells are 1:2).
        let fitted = String(decoding: ASCIIRenderer().render(
            RGBImage(width: 100, height: 100) { x, _ in RGB(UInt8(x * 2), UInt8(x * 2), UInt8(x * 2)) },
            fittingColumns: 40, rows: 40), as: UTF8.self)
        let lines = fitted.components(separatedBy: "\r\n").dropLast()
        #expect(lines.count == 20 && lines.allSatisfy { $0.count == 40 })
        #expect(lines[0].first == " " && lines[0].last == "#")   // left 1 (black), right ≈196 → round(6.9) = 7
    }
}
