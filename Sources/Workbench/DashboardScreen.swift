import Agreement
import Foundation
import Reports

/// Draws the live agreement dashboard (`d` in `concord adjudicate`) into a grid: a table of
/// every agreement criterion with the statistics its scale calls for, their bootstrap intervals
/// and readings; under it the focused criterion's rater pairs and leave-one-rater-out
/// alpha; then each rater against the gold answers. Values have four decimals, as
/// `concord agreement` prints them.
struct DashboardScreen {
    let grid: CellGrid
    let columns: Int
    let rows: Int

    struct Facts {
        let batch: String
        let lead: String
        let items: Int
        let views: [LiveAgreement.CriterionView]
        let gold: GoldAccuracy
        let focus: Int
        /// "updated 12:03:04" or similar.
        let updated: String
        let appliedChanges: Int
        /// The focused criterion's Scores panel (`ScoresPanel`) from `LiveScores`; nil: no panel.
        var scores: (section: ScoresSection?, problem: String?, updating: Bool)? = nil
        /// Each criterion's alpha per day as a sparkline, with the drift warning (`LiveOverTime`); nil: none.
        var overTime: [LiveOverTime.Line]? = nil
        /// The pairwise criteria's rankings (`LiveRanking`), shown for a focused pairwise
        /// criterion in place of the Scores panel; nil: no panel.
        var rankings: (byCriterion: [String: PairwiseRanking], problem: String?, updating: Bool)? = nil
    }

    func draw(_ facts: Facts) {
        grid.clear()
        grid.statusLine(" concord adjudicate · live agreement · batch \(facts.batch) · \(facts.items) items · lead \(facts.lead) · \(facts.updated)")
        var row = 2
        let end = rows - 1
        func line(_ text: String, color: CellGrid.Color? = nil, bold: Bool = false, reverse: Bool = false) {
            guard row < end else { return }
            grid.text(text, row: row, column: 1, width: columns - 2, color: color, bold: bold, reverse: reverse)
            row += 1
        }

        // Under 110 columns (an 80-column terminal) the scale, ratings and pairable columns
        // give way to the numbers.
        let narrow = columns < 110
        let keep: (Int) -> Bool = { !narrow || ![1, 3, 4].contains($0) }
        let widths = Self.tableWidths.enumerated().filter { keep($0.offset) }.map(\.element)
        func table(_ cells: [String]) -> String {
            Self.columnsText(cells.enumerated().filter { keep($0.offset) }.map(\.element), widths: widths)
        }
        line(" " + table(["criterion", "scale", "raters", "ratings", "pairable", "statistic", "value", "95% CI", "reading"]), bold: true)
        for (i, view) in facts.views.enumerated() {
            let focused = i == facts.focus
            let counts = [view.criterion.id, view.criterion.scale.rawValue, String(view.summary.raters), String(view.summary.ratings),
                          String(view.summary.pairableUnits)]
            for (n, metric) in view.shown.enumerated() {
                let left = n == 0 ? counts : Array(repeating: "", count: counts.count)
                let marker = n == 0 && focused ? "›" : " "
                line(marker + table(left + Self.metricCells(metric, view: view)), bold: focused && n == 0)
            }
        }
        let stale = facts.views.contains { !$0.intervalsCurrent }
        line("  CI: percentile \(Bootstrap.method(resamples: LiveAgreement.resamples, seed: LiveAgreement.seed)), items resampled"
             + (stale ? " · updating…" : "") + " · AC1 shown when one category holds > \(String(format: "%.0f", LiveAgreement.skewThreshold * 100))% of the ratings", color: .dim)
        line("  reading: a band only when the whole CI lies in it; q: share of resamples with α below 0.800", color: .dim)
        for l in Self.overTimeLines(facts.overTime ?? []) { line(l.text, color: l.color) }
        row += 1

        // The Scores (or, for a pairwise criterion, Ranking) panel first: a batch with many
        // raters fills the screen with its pairs.
        if let rankings = facts.rankings, facts.views.indices.contains(facts.focus), facts.views[facts.focus].criterion.isPairwise {
            let id = facts.views[facts.focus].criterion.id
            for l in RankingPanel.lines(criterion: id, ranking: rankings.byCriterion[id], problem: rankings.problem, updating: rankings.updating) {
                line(l.text, color: l.color, bold: l.bold)
            }
            row += 1
        } else if let scores = facts.scores, facts.views.indices.contains(facts.focus) {
            for l in ScoresPanel.lines(criterion: facts.views[facts.focus].criterion.id, section: scores.section, problem: scores.problem,
                                       updating: scores.updating) {
                line(l.text, color: l.color, bold: l.bold)
            }
            row += 1
        }
        if facts.views.indices.contains(facts.focus) { drawDetails(facts.views[facts.focus], line: line) }
        row += 1
        drawGold(facts.gold, line: line)
        grid.text("j/k criterion · d, Esc or q: back to the queue · \(facts.appliedChanges) label revisions applied live",
                  row: rows - 1, column: 0, width: columns, color: .dim)
        grid.sign(columns: (0, columns - 1), rows: 1..<(rows - 1))
    }

    private func drawDetails(_ view: LiveAgreement.CriterionView, line: (String, CellGrid.Color?, Bool, Bool) -> Void) {
        let kappa = view.pairKappa, alpha = view.alpha
        line("\(view.criterion.id): rater pairs (units both rated)", nil, true, false)
        if let pairs = view.pairs {
            line("  " + Self.columnsText(["pair", "joint", "agree", "α", kappa == .cohenKappa ? "Cohen's κ" : (kappa == nil ? "" : "weighted κ")],
                                         widths: [24, 7, 8, 9, 10]), .dim, false, false)
            for pair in pairs where pair.summary.pairableUnits > 0 {
                let agree = pair.summary.outcomes[.percentAgreement]?.value.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
                line("  " + Self.columnsText(["\(pair.first)–\(pair.second)", String(pair.summary.pairableUnits), agree,
                                              Self.value(alpha.flatMap { pair.summary.outcomes[$0] }),
                                              kappa.map { Self.value(pair.summary.outcomes[$0]) } ?? ""],
                                             widths: [24, 7, 8, 9, 10]), nil, false, false)
            }
            if !pairs.contains(where: { $0.summary.pairableUnits > 0 }) { line("  no two raters rated the same item yet", .dim, false, false) }
        } else {
            line("  computing…", .dim, false, false)
        }
        line("\(view.criterion.id): leave one rater out (who pulls agreement down)", nil, true, false)
        guard let rows = view.leaveOneOut, let alpha else { line("  computing…", .dim, false, false); return }
        let whole = view.summary.outcomes[alpha]?.value
        let cells = rows.map { row -> String in
            let without = row.summary.outcomes[alpha]?.value
            let change = without.flatMap { w in whole.map { w - $0 } }.map { String(format: " (%+.4f)", $0) } ?? ""
            return "without \(row.rater) α " + Self.value(row.summary.outcomes[alpha]) + change
        }
        for chunk in stride(from: 0, to: cells.count, by: 3) {
            line("  " + cells[chunk..<min(cells.count, chunk + 3)].joined(separator: "   "), nil, false, false)
        }
    }

    private func drawGold(_ gold: GoldAccuracy, line: (String, CellGrid.Color?, Bool, Bool) -> Void) {
        line("Gold accuracy: \(gold.goldQuestions) gold answer\(gold.goldQuestions == 1 ? "" : "s")"
             + (gold.threshold.map { String(format: " · raters below %.2f are flagged", $0) } ?? ""), nil, true, false)
        guard !gold.rows.isEmpty else { line("  no rater has answered a gold question yet", .dim, false, false); return }
        let widths = [16, 9, 8, 9, 8, 8, 8, 18]
        line("  " + Self.columnsText(["rater", "answered", "correct", "accuracy", "earlier", "later", "drift", ""], widths: widths), .dim, false, false)
        let fixed: (Double?) -> String = { $0.map { String(format: "%.3f", $0) } ?? "—" }
        for r in gold.rows {
            line("  " + Self.columnsText([r.rater + (r.role == .model ? " (model)" : ""), String(r.answered), String(r.correct),
                                          fixed(r.accuracy), fixed(r.earlier), fixed(r.later),
                                          r.drift.map { String(format: "%+.3f", $0) } ?? "—", r.flagged ? "⚑ below threshold" : ""],
                                         widths: widths), r.flagged ? .warning : nil, false, false)
        }
    }

    /// One line per criterion: "α per day (UTC) quality ▅▆▃ latest 0.4120", then the drift
    /// warning (in the warning colour) or, before the first slow refresh, nothing more.
    static func overTimeLines(_ lines: [LiveOverTime.Line]) -> [(text: String, color: CellGrid.Color?)] {
        guard !lines.isEmpty else { return [] }
        let width = lines.map { DisplayWidth.of($0.criterion) }.max() ?? 0
        return lines.map { l in
            var text = "  α per day (UTC) " + l.criterion + String(repeating: " ", count: width - DisplayWidth.of(l.criterion))
                + " " + (l.sparkline.isEmpty ? "no labels yet" : l.sparkline) + (l.latest.map { " latest " + String(format: "%.4f", $0) } ?? "")
            guard let warning = l.drift.flatMap(AgreementOverTime.shortDriftText) else { return (text, nil) }
            text += " · " + warning
            return (text, .warning)
        }
    }

    // MARK: - Cells

    /// statistic, value, CI, reading.
    static func metricCells(_ metric: Metric, view: LiveAgreement.CriterionView) -> [String] {
        let outcome = view.summary.outcomes[metric]
        guard let value = outcome?.value else {
            // The reason takes the interval's and the reading's columns.
            return [shortName(metric), "—", "undefined: \(outcome?.undefinedReason ?? "not computed")"]
        }
        var ci = "…"
        if let interval = view.intervals?[metric] {
            switch interval {
            case .success(let c): ci = String(format: "[%.4f, %.4f]", c.lower, c.upper) + (view.intervalsCurrent ? "" : "~")
            case .failure: ci = "—"
            }
        }
        // The reading follows the interval (not established while it straddles a threshold).
        return [shortName(metric), String(format: "%.4f", value), ci,
                Interpretation.of(metric, value, bootstrap: view.intervals?[metric], compact: true) ?? ""]
    }

    static func shortName(_ metric: Metric) -> String {
        switch metric {
        case .krippendorffAlphaNominal: return "α (nominal)"
        case .krippendorffAlphaOrdinal: return "α (ordinal)"
        case .krippendorffAlphaInterval: return "α (interval)"
        case .krippendorffAlphaRatio: return "α (ratio)"
        case .cohenKappa: return "Cohen's κ"
        case .weightedKappaQuadratic: return "weighted κ (quad.)"
        case .weightedKappaLinear: return "weighted κ (lin.)"
        case .gwetAC1: return "Gwet's AC1"
        case .fleissKappa: return "Fleiss' κ"
        case .scottsPi: return "Scott's π"
        case .percentAgreement: return "agreement"
        }
    }

    static func value(_ outcome: Outcome?) -> String {
        outcome?.value.map { String(format: "%.4f", $0) } ?? "—"
    }

    static let tableWidths = [14, 9, 7, 8, 9, 19, 8, 19, 30]

    /// Cells padded to fixed widths; the last cell given is not cut (the line is, at the
    /// screen's edge).
    static func columnsText(_ cells: [String], widths: [Int] = tableWidths) -> String {
        var out = ""
        for (i, cell) in cells.enumerated() {
            guard i < widths.count - 1, i < cells.count - 1 else { out += cell; continue }
            let fitted = DisplayWidth.truncate(cell, to: widths[i] - 1)
            out += fitted + String(repeating: " ", count: max(1, widths[i] - DisplayWidth.of(fitted)))
        }
        return out
    }
}
