import Foundation
import Reports
import Rubric
import Store

/// Draws the adjudication queue screen into a grid: the status line, the entry pane
/// (criterion and rubric text, every vote with its rater, dwell time and watched share,
/// flags, the raters' notes, the decision being keyed in), the timeline under the clip and
/// the message line. The layout is `concord rate`'s: the clip's rectangle on the left.
struct AdjudicateScreen {
    let grid: CellGrid
    let layout: PaneLayout
    let lead: String

    static let keyHelp: [(String, String)] = [
        ("1–9", "final value (an option's key), then the reason 1–5, then a rationale"),
        ("digits Enter", "final value of a numeric criterion"),
        ("1 2 3", "on a pair: a better, b better, tie (a strength's number next, if the rubric has them)"),
        ("Tab", "on a pair: show clip a or clip b"),
        ("b", "send the item back: raters by number, Enter, a note"),
        ("x", "mark the criterion as needing rubric revision (with a note)"),
        ("G", "record a gold answer for this item and criterion (then its key)"),
        ("n p", "next / previous entry"),
        ("d", "live agreement dashboard (d, Esc or q returns)"),
        ("← →", "one frame back / forward"),
    ] + ClipPane.keyHelp + [
        ("Esc", "cancel the decision being keyed in"),
        ("?", "this help (any key closes)"),
        ("q", "quit (every decision is already saved)"),
    ]

    /// What the pane shows besides the model.
    struct Facts {
        /// The item's current votes by criterion (leads see every rater's).
        var votes: [String: [Vote]]
        var player: Player?
        var clipProblem: String?
        var votesProblem: String?
    }

    func draw(model: AdjudicationModel, facts: Facts) {
        grid.clear()
        drawStatus(model: model)
        if model.mode == .help {
            drawHelp(model: model)
        } else if model.isDone {
            let n = model.entries.count
            let text = n == 0 ? "The adjudication queue of batch \(model.batch) is empty: no disagreeing or flagged item awaits a decision."
                              : "All \(n) entr\(n == 1 ? "y" : "ies") of the queue are decided (\(model.decidedCount) this session)."
            grid.text(text, row: layout.preview.row + 1, column: 2, width: layout.columns - 4, bold: true)
            grid.text("p goes back to the last entry · d shows live agreement · q quits", row: layout.preview.row + 3,
                      column: 2, width: layout.columns - 4)
        } else {
            grid.picture = layout.preview
            drawEntry(model: model, facts: facts)
            if let player = facts.player { drawTimeline(player) }
            if let problem = facts.clipProblem { grid.clipProblem(problem, in: layout.preview) }
        }
        drawMessage(model: model)
        // Rows made distinct (see CursesTerminal.signRows) in columns no text uses: the
        // gutter left of the entry pane, or column 0 on the full-width help and end pages.
        let full = model.mode == .help || model.isDone
        grid.sign(columns: (full ? 0 : layout.rubric.column - 1, layout.columns - 1), rows: 1..<(layout.rows - 1))
    }

    private func drawStatus(model: AdjudicationModel) {
        var parts: [String]
        if let entry = model.entry {
            parts = ["entry \(model.index + 1) of \(model.entries.count)", "batch \(model.batch)", entry.criterion, "lead \(lead)", entry.title]
        } else {
            parts = ["\(model.entries.count) entries", "batch \(model.batch)", "lead \(lead)"]
        }
        grid.statusLine(" concord adjudicate · " + parts.joined(separator: " · "))
    }

    // MARK: - The entry pane

    /// Lines of the pane, drawn top to bottom until it is full (the decision block is
    /// drawn at the bottom so it is never cut).
    private func drawEntry(model: AdjudicationModel, facts: Facts) {
        guard let entry = model.entry, let criterion = model.criterion else { return }
        let pane = layout.rubric
        let width = pane.width - 1
        var lines: [(String, CellGrid.Color?, Bool)] = []
        func add(_ text: String, _ color: CellGrid.Color? = nil, bold: Bool = false) { lines.append((text, color, bold)) }
        func wrapped(_ text: String, indent: String = "", _ color: CellGrid.Color? = nil, max: Int = .max) {
            let all = DisplayWidth.wrap(text, width: width - DisplayWidth.of(indent))
            for (i, line) in all.prefix(max).enumerated() {
                add(indent + (i == max - 1 && all.count > max ? DisplayWidth.truncate(line + " …", to: width - DisplayWidth.of(indent)) : line), color)
            }
        }

        add("\(criterion.id) · \(criterion.scale.rawValue)" + (entry.reopened ? " · re-opened (votes changed)" : ""), bold: true)
        wrapped(criterion.question)
        let votes = facts.votes[criterion.id] ?? []
        if let b = entry.clipB {
            // Which clip the picture shows: the lead sees clip a and clip b by name, never
            // a rater's randomised side.
            let onB = model.showsClipB
            add("  a  \(entry.clip)" + (onB ? "" : "  ◂ on screen"), onB ? .dim : nil)
            add("  b  \(b)" + (onB ? "  ◂ on screen" : ""), onB ? nil : .dim)
            add("  Tab shows clip \(onB ? "a" : "b")", .dim)
            let counts = Dictionary(grouping: votes.filter { $0.role != .model }, by: { AdjudicationQueue.winner($0.value) }).mapValues(\.count)
            let keys = [("1 a better", "a"), ("2 b better", "b")] + (criterion.preference?.tie == true ? [("3 tie", "tie")] : [])
            wrapped(keys.map { $0.0 + (counts[$0.1].map { " (\($0))" } ?? "") }.joined(separator: " · "), indent: "  ", .dim)
        } else if criterion.scale.hasOptions {
            let counts = Dictionary(grouping: votes.filter { $0.role != .model }, by: \.value).mapValues(\.count)
            wrapped(criterion.options.map { "\($0.key) \($0.label)" + (counts[$0.value].map { " (\($0))" } ?? "") }.joined(separator: " · "),
                    indent: "  ", .dim)
        } else if let range = criterion.range {
            add("  a number \(Self.number(range.lowerBound))–\(Self.number(range.upperBound))" + (criterion.step.map { " in steps of \(Self.number($0))" } ?? ""), .dim)
        }
        add("")
        add("Votes", bold: true)
        if let problem = facts.votesProblem { wrapped(problem, indent: "  ", .warning) }
        let nameWidth = min(14, max(5, votes.map { DisplayWidth.of($0.rater) }.max() ?? 5))
        for vote in votes where criterion.isPairwise {
            // "ann   a better (b was left)", then the timing and display under it.
            let name = DisplayWidth.truncate(vote.rater, to: nameWidth).padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let side = vote.leftIsA.map { " (\($0 ? "a" : "b") was left)" } ?? ""
            add("  \(name) \(AdjudicationModel.pairText(vote.value))\(side)" + (vote.role == .model ? " · model" : ""),
                vote.role == .model ? .dim : nil)
            let dwell = vote.dwellMs.map { Self.duration(ms: $0) } ?? "—"
            let seen = vote.watchedShare.map { "\(Int(($0 * 100).rounded()))%" } ?? "—"
            add("  " + String(repeating: " ", count: nameWidth + 1) + "dwell \(dwell) · seen \(seen)" + (vote.display.map { " · on \($0)" } ?? ""), .dim)
        }
        for vote in votes where !criterion.isPairwise {
            let name = DisplayWidth.truncate(vote.rater, to: nameWidth).padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let value = DisplayWidth.truncate(vote.value, to: 10).padding(toLength: 10, withPad: " ", startingAt: 0)
            let dwell = vote.dwellMs.map { Self.duration(ms: $0) } ?? "—"
            let seen = vote.watchedShare.map { "\(Int(($0 * 100).rounded()))%" } ?? "—"
            add("  \(name) \(value) dwell \(dwell) · seen \(seen)" + (vote.role == .model ? " · model" : ""),
                vote.role == .model ? .dim : nil)
            // What the vote was judged on, under it (the entry pane has no room beside it):
            // a 256-colour or half-block picture explains some disagreements.
            if let display = vote.display {
                add("  " + String(repeating: " ", count: nameWidth + 1) + "on \(display)", .dim)
            }
        }
        if votes.isEmpty { add("  (no current vote)", .dim) }
        add("  spread \(Self.number(entry.spread)) · priority \(String(format: "%.3f", entry.priority)) · α gain "
            + (entry.alphaGain.map { String(format: "%+.3f", $0) } ?? "—"), .dim)
        // In the posterior order (adjudicate --order posterior): the consensus it was ordered by.
        if let c = entry.consensus { add("  consensus · \(c.methodName) \(c.shown)", .dim) }
        if !entry.flags.isEmpty {
            add("")
            add("Flags", bold: true)
            for flag in entry.flags { wrapped("⚑ " + flag, indent: "  ", .warning, max: 2) }
        }
        let notes = model.rubric.criteria.filter { $0.scale == .text }.flatMap { c in (facts.votes[c.id] ?? []).map { (c.id, $0) } }
        if !notes.isEmpty {
            add("")
            add("Notes", bold: true)
            for (_, vote) in notes { wrapped("\(vote.rater): \(vote.value)", indent: "  ", max: 3) }
        }
        if let help = criterion.help {
            add("")
            add("Rubric help", bold: true)
            wrapped(help, indent: "  ", .dim, max: 4)
        }
        let described = criterion.options.filter { $0.description != nil }
        for option in described { wrapped("\(option.key) \(option.label): \(option.description ?? "")", indent: "  ", .dim, max: 2) }

        let decision = decisionLines(model: model, criterion: criterion)
        let end = pane.row + pane.height
        let room = max(0, end - pane.row - decision.count - 1)
        var row = pane.row
        let cut = lines.count > room
        for (text, color, bold) in lines.prefix(cut ? max(0, room - 1) : room) {
            grid.text(text, row: row, column: pane.column, width: width, color: color, bold: bold)
            row += 1
        }
        if cut, room > 0 { grid.text("  …", row: row, column: pane.column, width: width, color: .dim) }
        row = end - decision.count
        for (text, color, bold) in decision {
            grid.text(text, row: row, column: pane.column, width: width, color: color, bold: bold, reverse: bold && !grid.colors)
            row += 1
        }
    }

    /// The decision block: the entry's status, or the step being keyed in.
    private func decisionLines(model: AdjudicationModel, criterion: Criterion) -> [(String, CellGrid.Color?, Bool)] {
        var out: [(String, CellGrid.Color?, Bool)] = []
        switch model.status[model.index] {
        case .open: out.append(("Decision: open", nil, true))
        case .resolved(let value, let reason):
            out.append(("Decision: \(shown(value, criterion)) (\(AdjudicationModel.reasonTitle(reason))) — a new key revises it", .answered, true))
        case .sentBack(let raters): out.append(("Decision: sent back to \(raters.joined(separator: ", "))", .answered, true))
        }
        if model.markedForRevision.contains(model.index) { out.append(("  rubric: \(criterion.id) marked as needing revision", .warning, false)) }
        switch model.mode {
        case .number(let buffer): out.append(("  final value = \(buffer)▏", nil, false))
        case .reason(let value):
            out.append(("  final value \(shown(value, criterion)) — why?", nil, false))
            for (i, reason) in DecisionReason.allCases.enumerated() { out.append(("    \(i + 1) \(AdjudicationModel.reasonTitle(reason))", nil, false)) }
        case .rationale(let value, let reason, let text):
            out.append(("  final value \(shown(value, criterion)) · \(AdjudicationModel.reasonTitle(reason))", nil, false))
            out.append(("  rationale: \(text)▏", nil, false))
        case .sendBack(let selected):
            out.append(("  send back to (numbers toggle, Enter):", nil, false))
            for (i, rater) in model.senders.enumerated() {
                out.append(("    \(i + 1) [\(selected.contains(i) ? "x" : " ")] \(rater)", nil, false))
            }
        case .sendBackNote(let raters, let text):
            out.append(("  send back to \(raters.joined(separator: ", "))", nil, false))
            out.append(("  note: \(text)▏", nil, false))
        case .revisionNote(let text): out.append(("  revision note: \(text)▏", nil, false))
        case .goldValue(let text): out.append(("  gold answer: \(text)▏", nil, false))
        case .strength(let winner, let gold):
            out.append(("  \(gold ? "gold answer" : "final value") \(winner) better — how much?", nil, false))
            for (i, word) in (criterion.preference?.strengths ?? []).enumerated() { out.append(("    \(i + 1) \(winner) \(word)", nil, false)) }
        default: break
        }
        return out
    }

    // MARK: - Timeline, message, help

    private func drawTimeline(_ player: Player) {
        let pane = layout.preview
        let state = player.playing ? "▶ playing" : "❚❚ paused"
        let info = "frame \(player.frame)/\(player.frameCount - 1) · \(String(format: "%.2f", player.seconds)) s / \(String(format: "%.2f", player.duration)) s · \(state) · \(Self.number(player.speed))×"
        grid.text(info, row: layout.timelineRow, column: pane.column, width: pane.width)
        let barWidth = max(10, pane.width - 2)
        let position = player.frameCount > 1 ? player.frame * (barWidth - 1) / (player.frameCount - 1) : 0
        let bar = (0..<barWidth).map { $0 == position ? "●" : "─" }.joined()
        grid.text(bar, row: layout.timelineRow + 1, column: pane.column, width: pane.width, color: .bar)
    }

    private func drawMessage(model: AdjudicationModel) {
        let text: String
        var warning = false
        switch model.mode {
        case .number: text = "Type the final number, Enter to confirm, Esc to cancel"
        case .reason: text = "Reason: " + AdjudicationModel.reasonKeys + " (Esc cancels)"
        case .rationale: text = "Rationale (optional): Enter saves the decision, Esc cancels"
        case .sendBack: text = "Send back: toggle raters by number, Enter to continue, Esc cancels"
        case .sendBackNote: text = "Note for the raters: Enter sends the item back, Esc cancels"
        case .revisionNote: text = "What in the rubric misled raters? Enter saves, Esc cancels"
        case .goldValue: text = model.message ?? "Gold answer: the option's key (or digits, Enter); Esc cancels"
        case .strength: text = model.message ?? "How much better: the strength's number; Esc cancels"
        case .gotoFrame(let b): text = "Go to frame: \(b)▏ (Enter goes, Esc cancels)"
        default:
            if let message = model.message {
                text = message
                warning = message.hasPrefix("not saved") || message.contains("needs") || message.contains("is not")
            } else if let criterion = model.criterion, criterion.isPairwise {
                text = AdjudicationModel.pairKeys(criterion) + " · Tab clip a/b · b send back · x rubric needs revision · n/p next/prev · d dashboard · ? help · q quit"
            } else {
                text = "keys pick the final value · b send back · x rubric needs revision · n/p next/prev · d dashboard · space play · ? help · q quit"
            }
        }
        grid.text(text, row: layout.messageRow, column: 0, width: layout.columns, color: warning ? .warning : .dim)
    }

    private func drawHelp(model: AdjudicationModel) {
        let row = grid.keyTable(Self.keyHelp) + 1
        if row < layout.rows - 2 {
            grid.text("Reasons: " + AdjudicationModel.reasonKeys, row: row, column: 2, width: layout.columns - 4, color: .dim)
        }
    }

    /// A final value as the decision block shows it: "a better", "b much-better", "tie" on a
    /// pairwise criterion (as the votes read); the value itself otherwise.
    private func shown(_ value: String, _ criterion: Criterion) -> String {
        criterion.isPairwise ? AdjudicationModel.pairText(value) : value
    }

    static func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x) }

    /// 83 000 ms → "1:23".
    static func duration(ms: Int) -> String {
        let seconds = max(0, ms) / 1000
        return String(format: "%d:%02d", seconds / 60, seconds % 60)
    }
}
