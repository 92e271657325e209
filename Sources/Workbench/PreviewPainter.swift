import Media
import TerminalGraphics

/// Turns a decoded frame into the bytes that draw it inside the preview pane, addressed by
/// absolute cursor positions (so it never scrolls and never touches the other panes):
/// kitty graphics, sixel, half-blocks or ASCII.
struct PreviewPainter: Sendable {
    let graphics: TerminalCapabilities.Graphics
    let colorMode: HalfBlockRenderer.ColorMode
    let cellWidth: Int
    let cellHeight: Int
    let encoder: SixelEncoder
    let kitty: KittyEncoder
    /// What the terminal said, for the largest sixel picture it takes.
    let capabilities: TerminalCapabilities

    /// `kittyImageID`: the id this painter's kitty pictures replace each other under; a
    /// pair's two panes take one each (PairPanes.swift), or each would replace the other.
    init(capabilities: TerminalCapabilities, kittyImageID: UInt32 = KittyEncoder.defaultImageID) {
        self.capabilities = capabilities
        graphics = capabilities.graphics
        colorMode = capabilities.colorMode
        cellWidth = capabilities.cellWidth
        cellHeight = capabilities.cellHeight
        encoder = capabilities.sixelEncoder
        var kitty = capabilities.kittyEncoder
        kitty.imageID = kittyImageID
        self.kitty = kitty
    }

    /// A picture's width over its height in cells, for a clip of `displayAspect`.
    func cellAspect(displayAspect: Double) -> Double { capabilities.cellAspect(displayAspect: displayAspect) }

    /// The pixel box to decode into for a pane of `width`×`height` cells; a sixel picture
    /// is one sixel band (6 px) shorter than its pane (a kitty picture keeps the cursor
    /// still, so it may take the pane's last row).
    func pixelBox(width: Int, height: Int) -> FrameScale {
        let box = capabilities.pixelBox(columns: width, rows: height, sixelMargin: graphics == .sixel ? 6 : 0)
        return .scaledTo(width: box.width, height: box.height)
    }

    /// Bytes drawing `frame` with its top-left at the 0-based cell (row, column), centred
    /// horizontally in `width` cells (every cell, for half-blocks and ASCII).
    func paint(_ frame: DecodedFrame, row: Int, column: Int, width: Int) -> [UInt8] {
        picture(frame, row: row, column: column, width: width).bytes(over: nil)
    }

    /// `frame` ready to write at the 0-based cell (row, column), centred horizontally in
    /// `width` cells: terminal bytes for kitty and sixel, cells for half-blocks and ASCII
    /// (written as the cells that changed since the picture on screen). `shownAs`: the
    /// full-size picture's pixels when `frame` was decoded smaller for a slow link
    /// (`PlaybackScale`, kitty and sixel only): it then takes the full picture's place, so
    /// the layout does not move while the size changes.
    func picture(_ frame: DecodedFrame, row: Int, column: Int, width: Int,
                 shownAs full: (width: Int, height: Int)? = nil) -> PaintedFrame {
        let image = RGBImage(width: frame.width, height: frame.height, pixels: frame.rgb)
        let shown = full ?? (frame.width, frame.height)
        let reduced = shown.width > frame.width || shown.height > frame.height
        switch graphics {
        case .kitty:
            // Padded to whole cells and placed in exactly those cells (c=, r=): a wrong
            // guess of the cell size scales the picture instead of spilling it over the
            // other panes. The same image id every frame: each replaces the last. A reduced
            // frame is padded in proportion and placed in the full picture's cells: the
            // terminal scales it up into the same rectangle.
            let cells = self.cells(shown)
            let padded = (width: Self.proportion(cells.columns * cellWidth, frame.width, of: shown.width),
                          height: Self.proportion(cells.rows * cellHeight, frame.height, of: shown.height))
            var out = cursor(row: row, column: column + max(0, (width - cells.columns) / 2))
            out += kitty.encode(image.padded(width: padded.width, height: padded.height), cells: cells, moveCursor: false)
            return .bytes(out)
        case .sixel:
            let cells = self.cells(shown)
            let left = column + max(0, (width - cells.columns) / 2)
            guard reduced else {
                var out = cursor(row: row, column: left)
                out += encoder.encode(image)
                return .bytes(out)
            }
            // Sixel pixels cannot be scaled by the terminal: the smaller picture is drawn
            // centred in the full picture's cells, padded to whole cells so it covers every
            // cell it touches, and the cells around it are written blank first, so nothing
            // of a larger picture drawn before stays beside it. A picture as tall as the
            // full one keeps its height (the full one's sixel margin above the cell edge).
            let inner = self.cells((frame.width, frame.height))
            let top = row + (cells.rows - inner.rows) / 2, innerLeft = left + (cells.columns - inner.columns) / 2
            let paddedHeight = inner.rows < cells.rows ? inner.rows * cellHeight : max(frame.height, shown.height)
            var out = Self.blank(rows: row..<(row + cells.rows), columns: left..<(left + cells.columns),
                                 keeping: (top..<(top + inner.rows), innerLeft..<(innerLeft + inner.columns)))
            out += cursor(row: top, column: innerLeft)
            out += encoder.encode(image.padded(width: inner.columns * cellWidth, height: paddedHeight))
            return .bytes(out)
        case .blocks:
            let left = column + max(0, (width - frame.width) / 2)
            return .cells(HalfBlockRenderer(mode: colorMode).cells(image, origin: (row + 1, left + 1)))
        case .ascii:
            let squeezed = image.scaled(width: image.width, height: max(1, image.height / 2))
            let left = column + max(0, (width - squeezed.width) / 2)
            return .cells(ASCIIRenderer().cells(squeezed, origin: (row + 1, left + 1)))
        }
    }

    /// Bytes taking the picture off the screen, for pictures that outlive the text drawn
    /// over them: a kitty image stays until deleted (its data freed with it). Nil for the
    /// others, which ncurses' blanks overwrite.
    var erase: [UInt8]? { graphics == .kitty ? kitty.delete() : nil }

    private func cursor(row: Int, column: Int) -> [UInt8] {
        Array("\u{1B}[\(row + 1);\(column + 1)H".utf8)
    }

    /// Cells a picture of `pixels` takes (a partly covered cell counts).
    private func cells(_ pixels: (width: Int, height: Int)) -> (columns: Int, rows: Int) {
        ((pixels.width + cellWidth - 1) / cellWidth, (pixels.height + cellHeight - 1) / cellHeight)
    }

    /// `length` in the frame's pixels: `full` scaled as `part` is to `whole`, never below `part`.
    private static func proportion(_ full: Int, _ part: Int, of whole: Int) -> Int {
        part == whole ? full : max(part, Int((Double(full) * Double(part) / Double(max(1, whole))).rounded()))
    }

    /// Spaces over the cells of `rows`×`columns` outside `keeping`, in the default colours
    /// (the attributes ncurses had come back with the DECRC after the picture).
    static func blank(rows: Range<Int>, columns: Range<Int>, keeping: (rows: Range<Int>, columns: Range<Int>)) -> [UInt8] {
        var out = Array("\u{1B}[0m".utf8)
        func spaces(_ row: Int, _ span: Range<Int>) {
            guard !span.isEmpty else { return }
            out += Array("\u{1B}[\(row + 1);\(span.lowerBound + 1)H".utf8)
            out += repeatElement(UInt8(ascii: " "), count: span.count)
        }
        for row in rows {
            if keeping.rows.contains(row) {
                spaces(row, columns.lowerBound..<max(columns.lowerBound, keeping.columns.lowerBound))
                spaces(row, min(columns.upperBound, keeping.columns.upperBound)..<columns.upperBound)
            } else {
                spaces(row, columns)
            }
        }
        return out
    }
}

/// A rendered frame: bytes that draw it whole (kitty, sixel), or cells (half-blocks, ASCII)
/// written as the cells that differ from the picture on screen.
enum PaintedFrame: Sendable {
    case bytes([UInt8])
    case cells(CellPicture)

    /// The bytes drawing it over `previous`, the cell picture on screen (nil: unknown).
    func bytes(over previous: CellPicture?) -> [UInt8] {
        switch self {
        case .bytes(let bytes): return bytes
        case .cells(let picture): return picture.bytes(over: previous)
        }
    }

    /// The cells, for the next frame to be diffed against; nil for a byte picture.
    var cells: CellPicture? {
        if case .cells(let picture) = self { return picture }
        return nil
    }

    /// What it holds in memory, roughly, for the render-ahead cache's bound.
    var footprint: Int {
        switch self {
        case .bytes(let bytes): return bytes.count
        case .cells(let picture): return picture.cells.count * MemoryLayout<CellPicture.Cell>.stride
        }
    }
}
