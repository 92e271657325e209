/// Cells to pixels for the chosen rendering, in one place: `concord preview` sizes its
/// picture with it and the workbench its pane (they once did this arithmetic each on its
/// own, and a change to one would have drawn the same clip at another size in the other).
extension TerminalCapabilities {
    /// Pixels one cell holds: the terminal's own cell for kitty and sixel; one across and two down
    /// for half-blocks (`HalfBlockRenderer.pixelsPerCell`) and ASCII (`ASCIIRenderer.cellAspect`).
    public var pixelsPerCell: (width: Int, height: Int) {
        switch graphics {
        case .kitty, .sixel: return (cellWidth, cellHeight)
        case .blocks: return HalfBlockRenderer.pixelsPerCell
        case .ascii: return ASCIIRenderer.cellAspect
        }
    }

    /// A picture's width over its height in cells, for a clip of `displayAspect` (its width
    /// over its height on screen).
    public func cellAspect(displayAspect: Double) -> Double {
        let cell = pixelsPerCell
        return displayAspect * Double(cell.height) / Double(max(1, cell.width))
    }

    /// Rows a picture `columns` cells wide takes at the clip's shape (at least one).
    public func rows(columns: Int, displayAspect: Double) -> Int {
        let cell = pixelsPerCell
        return max(1, Int((Double(columns * cell.width) / displayAspect / Double(cell.height)).rounded(.up)))
    }

    /// The pixel box to decode into for `columns`×`rows` cells. Sixel: the cells' real
    /// pixels less `sixelMargin` at the bottom, never past the largest picture the terminal
    /// reported (`sixelBox`). Kitty: the cells' real pixels (the picture is placed with the
    /// cursor kept still, so it cannot scroll the screen, and XTSMGRAPHICS limits sixel only).
    public func pixelBox(columns: Int, rows: Int, sixelMargin: Int = 0) -> (width: Int, height: Int) {
        let cell = pixelsPerCell
        guard graphics == .sixel else { return (columns * cell.width, rows * cell.height) }
        return sixelBox(width: columns * cell.width, height: max(1, rows * cell.height - sixelMargin))
    }
}
