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

    init(capabilities: TerminalCapabilities) {
        self.capabilities = capabilities
        graphics = capabilities.graphics
        colorMode = capabilities.colorMode
        cellWidth = capabilities.cellWidth
        cellHeight = capabilities.cellHeight
        encoder = capabilities.sixelEncoder
        kitty = capabilities.kittyEncoder
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
    /// (written as the cells that changed since the picture on screen).
    func picture(_ frame: DecodedFrame, row: Int, column: Int, width: Int) -> PaintedFrame {
        let image = RGBImage(width: frame.width, height: frame.height, pixels: frame.rgb)
        switch graphics {
        case .kitty:
            // Padded to whole cells and placed in exactly those cells (c=, r=): a wrong
            // guess of the cell size scales the picture instead of spilling it over the
            // other panes. The same image id every frame: each replaces the last.
            let cells = (columns: (frame.width + cellWidth - 1) / cellWidth, rows: (frame.height + cellHeight - 1) / cellHeight)
            var out = cursor(row: row, column: column + max(0, (width - cells.columns) / 2))
            out += kitty.encode(image.padded(width: cells.columns * cellWidth, height: cells.rows * cellHeight),
                                cells: cells, moveCursor: false)
            return .bytes(out)
        case .sixel:
            let used = (frame.width + cellWidth - 1) / cellWidth
            var out = cursor(row: row, column: column + max(0, (width - used) / 2))
            out += encoder.encode(image)
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
