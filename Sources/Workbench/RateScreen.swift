import Foundation
import Rubric
import Store

/// Draws the rating screen (status line, rubric pane, timeline, message line, help) into a
/// grid from the model and the player, keeping the preview pane for the picture. Only the rater's own answers
/// exist in the model, so nothing here can show another rater's label (blind).
struct RateScreen {
    let grid: CellGrid
    let layout: PaneLayout
    let rater: String

    static let keyHelp: [(String, String)] = [
        ("j k ↓ ↑", "move between criteria"),
        ("1–9", "choose that option, move to the next"),
        ("digits Enter", "answer a numeric criterion"),
        ("e", "edit the focused text criterion (Enter ends)"),
        ("Enter", "submit a complete item, open the next"),
        ("u", "reopen the previous item (a new revision)"),
        ("s / f", "skip with a reason / flag with a note"),
        ("← →", "one frame back / forward"),
        ("10→ 3h", "a count first: on the submit line only (elsewhere digits answer)"),
    ] + ClipPane.keyHelp + [
        ("o", "watch in mpv from this frame (on a graphical display)"),
        ("? / q", "this help / quit (every submitted item is saved)"),
    ]

    func draw(model: RatingModel, player: Player?, secondsOnItem: Int, clipProblem: String?) {
        grid.clear()
        drawStatus(model: model, secondsOnItem: secondsOnItem)
        if model.mode == .help {
            drawHelp(model: model)
        } else if model.isDone {
            let done = model.queue.entries.count
            grid.text("All \(done) item\(done == 1 ? "" : "s") in your queue are done. Thank you.", row: layout.preview.row + 1,
                      column: 2, width: layout.columns - 4, bold: true)
            grid.text("u reopens the last item for revision · q quits", row: layout.preview.row + 3, column: 2,
                      width: layout.columns - 4)
        } else {
            grid.picture = layout.preview
            drawRubric(model: model, pane: layout.rubric)
            if let player { drawTimeline(player) }
            drawDetails(model: model, player: player, secondsOnItem: secondsOnItem)
            if let clipProblem { grid.clipProblem(clipProblem, in: layout.preview) }
        }
        drawMessage(model: model)
        // Rows made distinct (see CursesTerminal.signRows) in columns no text uses: the
        // gutter left of the rubric pane, or column 0 on the full-width help and end pages
        // (the gutter's blank once replaced a letter of the help there: "im ossible").
        let full = model.mode == .help || model.isDone
        grid.sign(columns: (full ? 0 : layout.rubric.column - 1, layout.columns - 1), rows: 1..<(layout.rows - 1))
    }

    func drawStatus(model: RatingModel, secondsOnItem: Int) {
        var parts: [String] = []
        if let entry = model.entry, let rubric = model.rubric {
            // The clip's name early: at 80 columns the end of this line is cut.
            parts.append("item \(model.index + 1) of \(model.queue.entries.count)")
            // A pair is named by its group (the prompt), never by its clips: a clip's name
            // often names its model, and raters stay blind to the model.
            if let pair = entry.pair { parts.append("pair" + (pair.group.map { " · group \($0)" } ?? "")) } else { parts.append(entry.clip) }
            parts.append("batch \(entry.batch)")
            parts.append("\(rubric.name)@\(rubric.contentHash.prefix(8))")
            parts.append("rater \(rater)")
            parts.append(String(format: "%d:%02d on item", secondsOnItem / 60, secondsOnItem % 60))
        } else {
            parts.append("\(model.finishedCount) of \(model.queue.entries.count) done")
            parts.append("rater \(rater)")
        }
        grid.statusLine(" concord rate · " + parts.joined(separator: " · "))
    }

    /// The rubric's criteria in `pane` (the rubric pane of either layout), scrolled to the focus.
    func drawRubric(model: RatingModel, pane: CellGrid.Rect) {
        let width = pane.width - 1
        var row = pane.row
        let end = pane.row + pane.height
        let shown = model.shownCriteria
        // Scroll only when the list does not fit, and then just enough to show the focused
        // criterion (it once scrolled whenever the focus passed the third, with room to spare).
        let heights = shown.map { blockHeight($0, width: width, model: model) }
        let first = Self.firstShown(heights: heights, focus: model.focus, room: pane.height - 2)
        if first > 0 { grid.text("  ↑ \(first) more", row: row, column: pane.column, width: width, color: .dim); row += 1 }
        for (i, criterion) in shown.enumerated().dropFirst(first) {
            guard row < end - 2 else {
                grid.text("  ↓ more", row: end - 2, column: pane.column, width: width, color: .dim)
                break
            }
            let focused = i == model.focus
            let value = model.answers[criterion.id]
            let marker = focused ? "› " : "  "
            let mark = value != nil ? "✓" : (criterion.required ? "•" : "○")
            // The question on up to two lines (80 columns leave the pane 36 wide).
            let question = DisplayWidth.wrap(criterion.question, width: width - 4)
            for (n, piece) in question.prefix(2).enumerated() where row < end - 1 {
                let text = n == 0 ? "\(marker)\(mark) \(piece)" : "    " + (question.count > 2 ? DisplayWidth.truncate(question[1...].joined(separator: " "), to: width - 4) : piece)
                grid.text(text, row: row, column: pane.column, width: width,
                          color: focused ? nil : (value != nil ? .answered : nil), bold: focused, reverse: focused)
                row += 1
            }
            if criterion.scale.hasOptions {
                for piece in optionLines(criterion, value: value, model: model, width: width) where row < end - 1 {
                    grid.text("    " + piece.trimmingLeadingSpaces(), row: row, column: pane.column, width: width,
                              color: focused ? nil : .dim)
                    row += 1
                }
            } else {
                var text: String
                switch (model.mode, focused) {
                case (.number(let buffer), true): text = "    = \(buffer)▏"
                case (.text(let buffer), true): text = "    ✎ \(buffer)▏"
                default:
                    if let value { text = "    = \(value)" }
                    else if criterion.scale.isNumeric, let range = criterion.range {
                        text = "    number \(format(range.lowerBound))–\(format(range.upperBound))" + (criterion.step.map { " step \(format($0))" } ?? "")
                    } else { text = criterion.scale == .text ? "    (e to write a note)" : "" }
                }
                grid.text(text, row: row, column: pane.column, width: width, color: focused ? nil : .dim)
                row += 1
            }
        }
        if row < end {
            let complete = model.missing.isEmpty
            let focused = model.focus >= shown.count
            let text = complete ? "\(focused ? "› " : "  ")Enter: submit this item" : "  \(model.missing.count) still to answer"
            grid.text(text, row: min(row, end - 1), column: pane.column, width: width,
                      color: complete ? .answered : .dim, bold: focused)
        }
    }

    /// Rows a criterion takes in the rubric pane: its question (up to two lines), then its
    /// options wrapped, or one line for a number or a note. As `drawRubric` draws them.
    private func blockHeight(_ criterion: Criterion, width: Int, model: RatingModel) -> Int {
        let question = min(2, DisplayWidth.wrap(criterion.question, width: width - 4).count)
        guard criterion.scale.hasOptions else { return question + 1 }
        return question + optionLines(criterion, value: nil, model: model, width: width).count
    }

    /// The first criterion to draw so that criteria `first…focus` fit in `room` rows (one
    /// of them taken by "↑ n more" once anything is scrolled away); 0 when everything up to
    /// the focus fits. A focus past the last criterion (the submit line) keeps the last in view.
    static func firstShown(heights: [Int], focus: Int, room: Int) -> Int {
        guard !heights.isEmpty else { return 0 }
        let last = min(focus, heights.count - 1)
        var first = 0
        while first < last && heights[first...last].reduce(0, +) + (first > 0 ? 1 : 0) > room { first += 1 }
        return first
    }

    private func drawTimeline(_ player: Player) {
        let pane = layout.preview
        let state = player.playing ? "▶ playing" : "❚❚ paused"
        // Frames count from 0, as everywhere in concord (labels, `g`, `concord preview`).
        // The seen share second: at 80 columns the pane is 43 wide and the end is cut.
        let info = "frame \(player.frame)/\(player.frameCount - 1) · seen \(Self.seenPercent(player))% · \(format2(player.seconds)) s / \(format2(player.duration)) s · \(state) · \(formatSpeed(player.speed))"
        grid.text(info, row: layout.timelineRow, column: pane.column, width: pane.width)
        drawSeenBar(player, row: layout.timelineRow + 1, pane: pane)
    }

    /// The clip as a bar two columns narrower than `pane` on `row`: ● the playhead, ━ where
    /// every frame was seen, ─ where not.
    func drawSeenBar(_ player: Player, row: Int, pane: CellGrid.Rect) {
        let barWidth = max(10, pane.width - 2)
        let position = player.frameCount > 1 ? player.frame * (barWidth - 1) / (player.frameCount - 1) : 0
        var bar = ""
        for i in 0..<barWidth {
            if i == position { bar += "●"; continue }
            // A cell is "seen" when the frames it stands for were all seen.
            let lo = i * player.frameCount / barWidth, hi = max(lo, (i + 1) * player.frameCount / barWidth - 1)
            bar += player.seen[lo...min(hi, player.frameCount - 1)].allSatisfy { $0 } ? "━" : "─"
        }
        grid.text(bar, row: row, column: pane.column, width: pane.width, color: .bar)
    }

    static func seenPercent(_ player: Player) -> Int { Int((player.watchedShare * 100).rounded(.down)) }

    /// The rows under the timeline: the clip's name and how much of it was seen, in words.
    private func drawDetails(model: RatingModel, player: Player?, secondsOnItem: Int) {
        guard let entry = model.entry else { return }
        let pane = layout.preview
        var lines: [(String, Bool)] = [(entry.clip, true)]
        lines.append(("item \(model.index + 1) of \(model.queue.entries.count) · batch \(entry.batch)", false))
        if let player {
            lines.append(("seen \(Self.seenPercent(player))% of the clip · " + String(format: "%d:%02d on this item", secondsOnItem / 60, secondsOnItem % 60), false))
        }
        for ((text, bold), row) in zip(lines, layout.details) {
            grid.text(text, row: row, column: pane.column, width: pane.width, color: bold ? nil : .dim, bold: bold)
        }
    }

    func drawMessage(model: RatingModel) {
        let text: String
        var warning = false
        switch model.mode {
        case .skipReason(let b): text = "Skip — reason: \(b)▏ (Enter saves, Esc cancels)"
        case .flagNote(let b): text = "Flag for the lead — note: \(b)▏ (Enter saves, Esc cancels)"
        case .gotoFrame(let b): text = "Go to frame: \(b)▏ (Enter goes, Esc cancels)"
        case .number: text = "Type the number, Enter to answer, Esc to cancel"
        case .text: text = "Write the note, Enter ends it, Esc cancels"
        case .strength(let side):
            text = model.message ?? model.focusedCriterion?.preference.map { RatingModel.strengthPrompt(side, $0) } ?? ""
        default:
            if let message = model.message { text = message; warning = message.contains("still") || message.contains("not") }
            else if model.entry?.pair != nil { text = Self.pairHint(model) }
            else { text = "1–9 answer · j/k move · Enter submit · space play · ←/→ frame · ? help · q quit" }
        }
        grid.text(text, row: layout.messageRow, column: 0, width: layout.columns, color: warning ? .warning : .dim)
    }

    func drawHelp(model: RatingModel) {
        var row = grid.keyTable(model.entry?.pair != nil ? Self.pairKeyHelp : Self.keyHelp)
        if let criterion = model.focusedCriterion, let help = criterion.help, row < layout.rows - 4 {
            row += 1
            grid.text("\(criterion.id): \(criterion.question)", row: row, column: 2, width: layout.columns - 4, bold: true)
            row += 1
            for line in DisplayWidth.wrap(help, width: layout.columns - 6) where row < layout.rows - 2 {
                grid.text(line, row: row, column: 4, width: layout.columns - 6)
                row += 1
            }
            for option in criterion.options where row < layout.rows - 2 {
                guard let description = option.description else { continue }
                grid.text("\(option.key) \(option.label): \(description)", row: row, column: 4, width: layout.columns - 6, color: .dim)
                row += 1
            }
        }
    }

    private func format(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
    private func format2(_ x: Double) -> String { String(format: "%.2f", x) }
    private func formatSpeed(_ s: Double) -> String { s == s.rounded() ? "\(Int(s))×" : "\(s)×" }
}

extension String {
    func trimmingLeadingSpaces() -> String { String(drop { $0 == " " }) }
}
