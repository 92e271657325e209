import Reports

/// The Ranking panel of the adjudicate dashboard, for a focused pairwise criterion: in
/// place of the Scores panel (a pairwise criterion has no opinion scores), the best
/// systems — or clips, when no clip carries a system tag — by Bradley–Terry score with the
/// 95% interval and the number of comparisons behind each. Nothing is computed here:
/// `LiveRanking` (Reports) fits, the panel picks lines. The whole ranking is `concord
/// pairwise --batch B --criterion C` (and `--by system`).
struct RankingPanel {
    /// Rows shown: the best ones (the screen cuts the panel short on a small terminal).
    static let shown = 5

    /// The panel's lines for criterion `id` (nil ranking: not fitted yet, or `problem`).
    static func lines(criterion id: String, ranking: PairwiseRanking?, problem: String?, updating: Bool) -> [ScoresPanel.Line] {
        if let problem { return [.init(text: "\(id): \(problem)", color: .warning, bold: false)] }
        guard let ranking else { return [.init(text: "\(id): ranking: computing…", color: .dim, bold: false)] }
        guard !ranking.rows.isEmpty else {
            return [.init(text: "\(id): ranking · \(ranking.note ?? "nothing compared yet")", color: .dim, bold: false)]
        }
        let what = ranking.subject == .systems ? "system" : "clip"
        var head = "\(id): \(what)s by Bradley–Terry score · \(plural(ranking.rows.count, what)) · \(plural(ranking.comparisons, "comparison"))"
        if ranking.groups > 1 { head += " · \(ranking.groups) groups (scores compare within one)" }
        if updating { head += " · updating…" }
        var out = [ScoresPanel.Line(text: head, color: nil, bold: true)]
        if let note = ranking.note { out.append(.init(text: "  " + note, color: .dim, bold: false)) }
        let top = ranking.rows.prefix(shown)
        let width = min(24, max(4, top.map { DisplayWidth.of($0.name) }.max() ?? 4))
        for (i, row) in top.enumerated() {
            let name = DisplayWidth.truncate(row.name, to: width)
            let padded = name + String(repeating: " ", count: max(0, width - DisplayWidth.of(name)))
            let score = row.score.map { String(format: "%+.3f", $0) } ?? "—"
            let interval = row.regularised ? "regularised (no ML score)"
                : zip2(row.low, row.high).map { "[\(fixed($0, 3)), \(fixed($1, 3))]" } ?? "[—]"
            out.append(.init(text: "  \(i + 1). \(padded) \(score) \(interval) · \(plural(row.comparisons, "comparison"))",
                             color: row.regularised ? .dim : nil, bold: false))
        }
        if ranking.rows.count > shown {
            out.append(.init(text: "  … \(ranking.rows.count - shown) more: concord pairwise --batch … --criterion \(id)"
                             + (ranking.subject == .systems ? " --by system" : ""), color: .dim, bold: false))
        }
        return out
    }

    private static func zip2(_ a: Double?, _ b: Double?) -> (Double, Double)? {
        guard let a, let b else { return nil }
        return (a, b)
    }
}
