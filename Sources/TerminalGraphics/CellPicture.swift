/// A picture made of character cells (half-blocks or ASCII) at a place on the screen, kept
/// as cells rather than bytes so that the next frame can rewrite only the cells that
/// changed: over a slow link a still background costs nothing, and a moving object costs
/// its own cells.
public struct CellPicture: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        /// The character, a Unicode scalar.
        public var glyph: UInt32
        /// Foreground and background as packed RGB (true colour) or a palette index;
        /// -1: the terminal's default (`SGR 39`/`49`).
        public var foreground: Int32
        public var background: Int32

        public init(glyph: UInt32, foreground: Int32 = -1, background: Int32 = -1) {
            self.glyph = glyph
            self.foreground = foreground
            self.background = background
        }
    }

    /// How a cell's colours are written.
    public enum Colors: Sendable, Equatable {
        case trueColor, palette256
        /// No colour codes at all (monochrome half-blocks, ASCII).
        case none
    }

    public let colors: Colors
    /// The top-left cell, 1-based (as in `CSI row;col H`).
    public let row: Int
    public let column: Int
    public let columns: Int
    public let rows: Int
    /// Row by row, `columns × rows`.
    public var cells: [Cell]

    public init(colors: Colors, row: Int, column: Int, columns: Int, rows: Int, cells: [Cell]) {
        precondition(cells.count == columns * rows, "a cell picture of \(columns)×\(rows) needs \(columns * rows) cells, got \(cells.count)")
        self.colors = colors
        self.row = row
        self.column = column
        self.columns = columns
        self.rows = rows
        self.cells = cells
    }

    /// Bytes drawing this picture on a screen that shows `previous` (nil: whatever, so
    /// every cell is written): for each run of changed cells in a row, a cursor move, then
    /// the cells, each colour written only when it differs from the cell before it in the
    /// run. A previous picture of another place, size or colour encoding counts as nil.
    /// Attributes are reset at the end (`SGR 0`) when any colour was written.
    public func bytes(over previous: CellPicture? = nil) -> [UInt8] {
        let old = previous.flatMap { $0.row == row && $0.column == column && $0.columns == columns
            && $0.rows == rows && $0.colors == colors ? $0.cells : nil }
        var out: [UInt8] = []
        out.reserveCapacity(old == nil ? cells.count * (colors == .none ? 3 : 24) : 64)
        var coloured = false
        for y in 0..<rows {
            var x = 0
            while x < columns {
                let start = y * columns + x
                if let old, old[start] == cells[start] { x += 1; continue }
                out.append(ascii: "\u{1B}[")
                out.append(decimal: row + y); out.append(UInt8(ascii: ";"))
                out.append(decimal: column + x); out.append(UInt8(ascii: "H"))
                var foreground: Int32?, background: Int32?   // unknown at a run's start
                while x < columns {
                    let i = y * columns + x
                    if let old, old[i] == cells[i] { break }
                    let cell = cells[i]
                    if colors != .none {
                        if cell.foreground != foreground { sgr(&out, foreground: true, cell.foreground); foreground = cell.foreground }
                        if cell.background != background { sgr(&out, foreground: false, cell.background); background = cell.background }
                        coloured = true
                    }
                    appendUTF8(&out, cell.glyph)
                    x += 1
                }
            }
        }
        if coloured { out.append(ascii: "\u{1B}[0m") }
        return out
    }

    private func sgr(_ out: inout [UInt8], foreground: Bool, _ code: Int32) {
        if code < 0 {
            out.append(ascii: "\u{1B}[")
            out.append(ascii: foreground ? "39m" : "49m")
            return
        }
        out.appendColorSGR(foreground: foreground, code: Int(code), trueColor: colors == .trueColor)
    }

    private func appendUTF8(_ out: inout [UInt8], _ scalar: UInt32) {
        guard let s = Unicode.Scalar(scalar) else { out.append(UInt8(ascii: "?")); return }
        out.append(contentsOf: UTF8.encode(s)!)
    }
}
