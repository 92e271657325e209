/// The pieces every workbench screen draws the same way, so `rate`, `adjudicate` and the
/// dashboard cannot drift apart in them.
extension CellGrid {
    /// The status line: the whole top row in the title colour (reverse without colours).
    func statusLine(_ text: String) {
        let padding = String(repeating: " ", count: max(0, columns - DisplayWidth.of(text)))
        self.text(text + padding, row: 0, column: 0, width: columns, color: .title, reverse: !colors)
    }

    /// A help page's key table under a bold "Keys" from row 2, stopping three rows short of
    /// the bottom; the row after it.
    func keyTable(_ keys: [(String, String)]) -> Int {
        var row = 2
        text("Keys", row: row, column: 2, width: columns - 4, bold: true)
        row += 1
        for (keys, what) in keys where row < rows - 3 {
            text(keys.padding(toLength: 14, withPad: " ", startingAt: 0) + what, row: row, column: 4, width: columns - 6)
            row += 1
        }
        return row
    }

    /// Why the clip does not play, in the warning colour inside its pane: as many lines as
    /// the pane holds (at least four), long words broken rather than cut, since a clip
    /// refused for its content names the file's whole path and both hashes.
    func clipProblem(_ problem: String, in pane: Rect) {
        for (i, line) in DisplayWidth.wrapBreakingWords(problem, width: pane.width - 4).prefix(max(4, pane.height - 2)).enumerated() {
            text(line, row: pane.row + 1 + i, column: pane.column + 2, width: pane.width - 4, color: .warning)
        }
    }
}
