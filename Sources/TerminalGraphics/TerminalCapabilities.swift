/// How a preview will be drawn on one terminal, and what the terminal told us on the way.
public struct TerminalCapabilities: Sendable, Equatable {
    /// Cell size assumed when the terminal does not say (docs/architecture.md, walk 2).
    public static let defaultCellSize = (width: 10, height: 20)

    /// In the order auto-detection prefers them (`probe`): 24-bit kitty graphics, sixel's
    /// palette of at most 256 colours, half-blocks, text.
    public enum Graphics: String, Sendable, CaseIterable {
        case kitty, sixel, blocks, ascii
    }

    public var graphics: Graphics
    /// Colour for half-blocks (and whether to colour anything): `.monochrome` under `NO_COLOR`.
    public var colorMode: HalfBlockRenderer.ColorMode
    public var cellWidth: Int
    public var cellHeight: Int
    /// The window in cells, when the kernel knows it.
    public var columns: Int?
    public var rows: Int?
    /// XTSMGRAPHICS: sixel colour registers, and the largest sixel image the terminal takes.
    public var sixelColorRegisters: Int?
    public var sixelMaxWidth: Int?
    public var sixelMaxHeight: Int?
    /// The parameters of the DA1 reply, or nil when none was asked for or none came.
    public var deviceAttributes: [Int]?
    /// Whether the terminal answered the kitty graphics query with OK before its DA1 reply;
    /// nil when the query was not sent.
    public var kittyGraphics: Bool?
    /// Why `graphics` was chosen, in words, for `--info` and bug reports.
    public var reason: String
    /// Why the forced mode will not show, when the terminal said so (forced sixel on a
    /// terminal whose DA1 reply lists no sixel, forced kitty on one that answered DA1 but
    /// not the kitty graphics query); nil when nothing speaks against it.
    public var unsupported: String?

    public init(graphics: Graphics, colorMode: HalfBlockRenderer.ColorMode,
                cellWidth: Int = TerminalCapabilities.defaultCellSize.width,
                cellHeight: Int = TerminalCapabilities.defaultCellSize.height,
                columns: Int? = nil, rows: Int? = nil,
                sixelColorRegisters: Int? = nil, sixelMaxWidth: Int? = nil, sixelMaxHeight: Int? = nil,
                deviceAttributes: [Int]? = nil, reason: String) {
        self.graphics = graphics; self.colorMode = colorMode
        self.cellWidth = cellWidth; self.cellHeight = cellHeight
        self.columns = columns; self.rows = rows
        self.sixelColorRegisters = sixelColorRegisters
        self.sixelMaxWidth = sixelMaxWidth; self.sixelMaxHeight = sixelMaxHeight
        self.deviceAttributes = deviceAttributes
        self.reason = reason
    }

    /// The largest sixel picture for a box of `width`×`height` pixels that the terminal
    /// takes: the box, cut to the maximum geometry XTSMGRAPHICS reported. A picture past
    /// that maximum is dropped whole by xterm (an empty pane, exit 0), so the box is cut
    /// before decoding and the frame scaled into it keeps its aspect.
    public func sixelBox(width: Int, height: Int) -> (width: Int, height: Int) {
        (max(1, min(width, sixelMaxWidth.map { max(1, $0) } ?? width)),
         max(1, min(height, sixelMaxHeight.map { max(1, $0) } ?? height)))
    }

    /// The kitty graphics encoder: one image id for every frame, zlib when it is smaller.
    public var kittyEncoder: KittyEncoder { KittyEncoder() }

    /// A sixel encoder using no more colour registers than the terminal has.
    public var sixelEncoder: SixelEncoder {
        SixelEncoder(maxColors: min(256, max(1, sixelColorRegisters ?? 256)))
    }
}
