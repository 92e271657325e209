import Foundation

/// Draws the rating screen of a pair item (docs/pairwise.md, "Workbench"): both clips side
/// by side (`PairLayout`), or one at a time in the usual layout (`PaneLayout`) with `Tab`
/// flipping, each labelled by its side only — never by its clip's name or system, and never
/// "a"/"b", since which clip is on the left is randomised per rater. The status line, the
/// rubric, the message line and help are `RateScreen`'s.
struct PairScreen {
    let grid: CellGrid
    /// The one-clip layout: the screen of one clip at a time, help and the end page.
    let single: PaneLayout
    /// Side by side; nil: one clip at a time.
    let layout: PairLayout?
    let rater: String

    private var base: RateScreen { RateScreen(grid: grid, layout: single, rater: rater) }

    /// `problems`: why a clip does not play, per side.
    func draw(model: RatingModel, playback: PairPlayback?, secondsOnItem: Int, problems: [PairSide: String] = [:]) {
        guard model.mode != .help, !model.isDone else {
            base.draw(model: model, player: nil, secondsOnItem: secondsOnItem, clipProblem: nil)
            return
        }
        grid.clear()
        base.drawStatus(model: model, secondsOnItem: secondsOnItem)
        if let layout {
            for side in [PairSide.left, .right] {
                let pane = layout.pane(side)
                if let player = playback?.player(side) {
                    grid.text(Self.clipLine(side, player), row: layout.infoRow, column: pane.column, width: pane.width, bold: true)
                    base.drawSeenBar(player, row: layout.barRow, pane: pane)
                } else {
                    grid.text(side.rawValue, row: layout.infoRow, column: pane.column, width: pane.width, bold: true)
                }
                if let problem = problems[side] { grid.clipProblem(problem, in: pane) }
            }
            drawDetails(model: model, playback: playback, secondsOnItem: secondsOnItem, pane: layout.details,
                        first: Self.state(playback?.clock) + " · both clips together")
            base.drawRubric(model: model, pane: layout.rubric)
            base.drawMessage(model: model)
            grid.sign(columns: (layout.gutter, layout.columns - 1), rows: 1..<(layout.rows - 1))
        } else {
            let side = model.shownSide
            let pane = single.preview
            grid.picture = pane
            if let player = playback?.player(side) {
                grid.text(Self.clipLine(side, player) + " · " + Self.state(playback?.clock), row: single.timelineRow,
                          column: pane.column, width: pane.width, bold: true)
                base.drawSeenBar(player, row: single.timelineRow + 1, pane: pane)
            }
            if let problem = problems[side] { grid.clipProblem(problem, in: pane) }
            let details = CellGrid.Rect(row: single.details.lowerBound, column: pane.column, width: pane.width,
                                        height: single.details.count)
            drawDetails(model: model, playback: playback, secondsOnItem: secondsOnItem, pane: details,
                        first: "one clip at a time: \(side.rawValue) shown · Tab shows the \(side.other.rawValue)")
            base.drawRubric(model: model, pane: single.rubric)
            base.drawMessage(model: model)
            grid.sign(columns: (single.rubric.column - 1, single.columns - 1), rows: 1..<(single.rows - 1))
        }
    }

    /// "left · frame 12/49 · seen 26% · 0.48 s / 2.00 s".
    static func clipLine(_ side: PairSide, _ player: Player) -> String {
        "\(side.rawValue) · frame \(player.frame)/\(player.frameCount - 1) · seen \(RateScreen.seenPercent(player))% · "
            + String(format: "%.2f s / %.2f s", player.seconds, player.duration)
    }

    /// "▶ playing · 1×", "❚❚ paused · 0.5×" (the clock's: both clips share it).
    static func state(_ clock: Player?) -> String {
        guard let clock else { return "❚❚ paused" }
        let speed = clock.speed == clock.speed.rounded() ? "\(Int(clock.speed))×" : "\(clock.speed)×"
        return (clock.playing ? "▶ playing" : "❚❚ paused") + " · " + speed
    }

    /// The rows under the pictures: play state (or which clip is shown), the item, and how
    /// much of each clip was seen.
    private func drawDetails(model: RatingModel, playback: PairPlayback?, secondsOnItem: Int, pane: CellGrid.Rect, first: String) {
        guard let entry = model.entry else { return }
        var lines = [first]
        lines.append("item \(model.index + 1) of \(model.queue.entries.count) · batch \(entry.batch)"
                     + (entry.pair?.group.map { " · group \($0)" } ?? ""))
        if let playback {
            lines.append("seen: left \(RateScreen.seenPercent(playback.left))%, right \(RateScreen.seenPercent(playback.right))% · "
                         + String(format: "%d:%02d on this item", secondsOnItem / 60, secondsOnItem % 60))
        }
        for (i, line) in lines.enumerated() where i < pane.height {
            grid.text(line, row: pane.row + i, column: pane.column, width: pane.width, color: i == 0 ? nil : .dim, bold: i == 0)
        }
    }
}
