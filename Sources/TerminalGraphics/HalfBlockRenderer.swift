/// Draws a picture with `▀` (U+2580 UPPER HALF BLOCK): one cell shows two pixels, the top
/// one as the foreground colour and the bottom one as the background colour — the
/// `tria_blit`-style 1×2 geometry that works in any UTF-8 terminal and inside tmux.
public struct HalfBlockRenderer: Sendable {
    /// How colours are written. `NO_COLOR` and terminals without colour are the caller's
    /// decision (see `TerminalCapabilities`); this type only does what it is told.
    public enum ColorMode: String, Sendable, CaseIterable {
        /// `ESC[38;2;r;g;bm` / `ESC[48;2;r;g;bm`.
        case trueColor
        /// `ESC[38;5;nm` / `ESC[48;5;nm`, nearest of the 6×6×6 cube and the grey ramp.
        case palette256
        /// No colour codes at all: each half of a cell is on (lighter than mid-grey) or off,
        /// drawn with ` `, `▀`, `▄` or `█`.
        case monochrome
    }

    /// Pixels per cell: one wide, two tall.
    public static let pixelsPerCell = (width: 1, height: 2)

    public var mode: ColorMode

    public init(mode: ColorMode) { self.mode = mode }

    /// The picture fitted (aspect kept) into `columns × rows` cells, then rendered.
    public func render(_ image: RGBImage, fittingColumns columns: Int, rows: Int,
                       origin: (row: Int, column: Int)? = nil) -> [UInt8] {
        let fitted = image.fitting(columns: columns, rows: rows,
                                   cellWidth: Self.pixelsPerCell.width, cellHeight: Self.pixelsPerCell.height)
        return render(fitted, origin: origin)
    }

    /// One cell per pixel column and per pair of pixel rows (an odd last row leaves the
    /// lower halves at the terminal's default background).
    ///
    /// Without `origin`, every row ends `ESC[0m\r\n` (for a pipe or a scrolling terminal;
    /// monochrome writes no escapes, so just `\r\n`).
    /// With an `origin` (1-based row and column, as in `CSI row;col H`), every row begins
    /// with that cursor move and ends with `ESC[0m` only, for drawing into a region of a
    /// full-screen UI without scrolling it.
    public func render(_ image: RGBImage, origin: (row: Int, column: Int)? = nil) -> [UInt8] {
        let w = image.width, h = image.height
        let cellRows = (h + 1) / 2
        var out: [UInt8] = []
        out.reserveCapacity(cellRows * (w * (mode == .trueColor ? 24 : 12) + 16))
        image.pixels.withUnsafeBufferPointer { px in
            for cy in 0..<cellRows {
                if let origin {
                    out.append(ascii: "\u{1B}[")
                    out.append(decimal: origin.row + cy); out.append(UInt8(ascii: ";"))
                    out.append(decimal: origin.column); out.append(UInt8(ascii: "H"))
                }
                let top = 2 * cy * w, hasBottom = 2 * cy + 1 < h
                let bottom = hasBottom ? top + w : -1
                switch mode {
                case .monochrome:
                    for x in 0..<w {
                        let t = lit(px, (top + x) * 3)
                        let b = hasBottom && lit(px, (bottom + x) * 3)
                        out.append(contentsOf: t ? (b ? Self.full : Self.upper) : (b ? Self.lower : Self.space))
                    }
                case .trueColor, .palette256:
                    var fg = -1, bg = -1   // current colours, as packed RGB or palette index
                    for x in 0..<w {
                        let f = code(px, (top + x) * 3)
                        if f != fg { sgr(&out, foreground: true, f); fg = f }
                        if hasBottom {
                            let b = code(px, (bottom + x) * 3)
                            if b != bg { sgr(&out, foreground: false, b); bg = b }
                        } else if x == 0 {
                            out.append(ascii: "\u{1B}[49m")
                        }
                        out.append(contentsOf: Self.upper)
                    }
                    out.append(ascii: "\u{1B}[0m")
                }
                if origin == nil { out.append(ascii: "\r\n") }
            }
        }
        return out
    }

    /// The same cells as `render(_:origin:)`, kept as cells with their top-left at `origin`
    /// (1-based), so that a next frame can be written as the cells that changed
    /// (`CellPicture.bytes(over:)`).
    public func cells(_ image: RGBImage, origin: (row: Int, column: Int)) -> CellPicture {
        let w = image.width, h = image.height
        let cellRows = (h + 1) / 2
        var cells: [CellPicture.Cell] = []
        cells.reserveCapacity(w * cellRows)
        image.pixels.withUnsafeBufferPointer { px in
            for cy in 0..<cellRows {
                let top = 2 * cy * w, hasBottom = 2 * cy + 1 < h
                for x in 0..<w {
                    switch mode {
                    case .monochrome:
                        let t = lit(px, (top + x) * 3)
                        let b = hasBottom && lit(px, (top + w + x) * 3)
                        cells.append(.init(glyph: t ? (b ? 0x2588 : 0x2580) : (b ? 0x2584 : 0x20)))
                    case .trueColor, .palette256:
                        cells.append(.init(glyph: 0x2580, foreground: Int32(code(px, (top + x) * 3)),
                                           background: hasBottom ? Int32(code(px, (top + w + x) * 3)) : -1))
                    }
                }
            }
        }
        let colors: CellPicture.Colors = mode == .trueColor ? .trueColor : mode == .palette256 ? .palette256 : .none
        return CellPicture(colors: colors, row: origin.row, column: origin.column, columns: w, rows: cellRows, cells: cells)
    }

    /// The bytes as text, for tests (the workbench and `preview` write bytes).
    func renderString(_ image: RGBImage, origin: (row: Int, column: Int)? = nil) -> String {
        String(decoding: render(image, origin: origin), as: UTF8.self)
    }

    static let upper: [UInt8] = Array("▀".utf8)
    static let lower: [UInt8] = Array("▄".utf8)
    static let full: [UInt8] = Array("█".utf8)
    static let space: [UInt8] = [0x20]

    @inline(__always) private func lit(_ px: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        RGB(px[i], px[i + 1], px[i + 2]).luma >= 128
    }

    @inline(__always) private func code(_ px: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        if mode == .trueColor { return Int(px[i]) << 16 | Int(px[i + 1]) << 8 | Int(px[i + 2]) }
        return Palette256.index(of: RGB(px[i], px[i + 1], px[i + 2]))
    }

    private func sgr(_ out: inout [UInt8], foreground: Bool, _ code: Int) {
        out.appendColorSGR(foreground: foreground, code: code, trueColor: mode == .trueColor)
    }
}
