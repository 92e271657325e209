import Media
import Rubric
import Store
import TerminalGraphics

extension DisplayRecord {
    /// What the rater saw the item on, for its submission: the picture's mode, the pixel box
    /// the frame was drawn into (the preview pane's cells in the mode's pixels: a kitty or
    /// sixel pane in the terminal's own pixels, half-blocks one across and two down), its
    /// colours, and the speeds it played at. On the external player the size is the clip's
    /// own as shown (turned, aspect kept) and the colours 24-bit. nil when the display is not
    /// known (no picture was ever drawn: no pane).
    static func seen(on display: Display?, capabilities: TerminalCapabilities, pane: CellGrid.Rect?,
                     decoder: VideoDecoder?, player: Player?) -> DisplayRecord? {
        guard let display else { return nil }
        let speeds = Array(player?.speedsPlayed ?? [])
        if display == .player {
            let size = decoder?.outputSize(for: .native) ?? (width: 0, height: 0)
            return DisplayRecord(mode: .player, width: size.width, height: size.height, colors: "24-bit", speeds: speeds)
        }
        guard let pane else { return nil }
        let box = capabilities.pixelBox(columns: pane.width, rows: pane.height,
                                        sixelMargin: capabilities.graphics == .sixel ? 6 : 0)
        return DisplayRecord(mode: display, width: box.width, height: box.height,
                             colors: colors(display, capabilities: capabilities), speeds: speeds)
    }

    /// "24-bit" for kitty; a sixel palette's size (the terminal's registers, at most 256);
    /// half-blocks' colour mode (24-bit, 256, or none under NO_COLOR); none for ASCII.
    static func colors(_ display: Display, capabilities: TerminalCapabilities) -> String {
        switch display {
        case .kitty, .player: return "24-bit"
        case .sixel: return String(capabilities.sixelEncoder.maxColors)
        case .ascii: return "none"
        case .blocks:
            switch capabilities.colorMode {
            case .trueColor: return "24-bit"
            case .palette256: return "256"
            case .monochrome: return "none"
            }
        }
    }
}
