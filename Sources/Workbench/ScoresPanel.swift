import Reports

/// The Scores panel of the adjudicate dashboard, for the focused criterion: which method
/// scored it (and why not the preferred one), how many clips, how many raters the method
/// rejected and how many quality-rule violations there are; then the highest and lowest
/// clips with their 95% intervals. Three lines (four with the reason the preferred method
/// was undefined), so it fits an 80×24 dashboard beside the agreement numbers; the whole
/// ranking, the reasons and the rater figures are in `concord report`'s Scores section,
/// from the same `ScoresSection`. Nothing is computed
/// here: `LiveScores` (Reports) scores, the panel picks lines.
struct ScoresPanel {
    /// Clips shown at each end of the ranking.
    static let shownEachEnd = 3

    struct Line: Equatable {
        let text: String
        let color: CellGrid.Color?
        let bold: Bool
    }

    /// The panel's lines for criterion `id` of `section` (nil: not scored yet, or `problem`);
    /// `updating`: newer labels are being scored, so the numbers shown are about to change.
    static func lines(criterion id: String, section: ScoresSection?, problem: String?, updating: Bool = false) -> [Line] {
        if let problem { return [Line(text: "\(id): \(problem)", color: .warning, bold: false)] }
        guard let section else { return [Line(text: "\(id): scores: computing…", color: .dim, bold: false)] }
        if let skipped = section.skipped.first(where: { $0.id == id }) {
            return [Line(text: "\(id): no scores · \(skipped.reason)", color: .dim, bold: false)]
        }
        guard let c = section.criteria.first(where: { $0.id == id }) else { return [] }
        var head = "\(id): scores by \(c.method.rawValue)"
        // The preferred method's reason can be long: on a line of its own, under the counts.
        let fallback = c.fallbackReason.map { Line(text: "  \(c.preferredMethod.rawValue) undefined: \($0)", color: .dim, bold: false) }
        guard c.outcome.result != nil else {
            return [Line(text: head, color: nil, bold: true)] + [fallback].compactMap { $0 }
                + [Line(text: "  undefined: \(c.outcome.undefinedReason ?? "")", color: .dim, bold: false)]
        }
        let ranked = c.ranked
        head += " · \(plural(ranked.count, "clip")) · \(plural(c.rejected.count, "rejected rater"))"
        if let vs = c.violations {
            let raters = Set(vs.map(\.rater)).count
            head += " · \(plural(vs.reduce(0) { $0 + $1.count }, "quality violation"))"
                + (raters > 0 ? " (\(plural(raters, "rater")))" : "")
        } else {
            head += " · quality rules not evaluated"
        }
        if updating { head += " · updating…" }
        var out = [Line(text: head, color: nil, bold: true)] + [fallback].compactMap { $0 }
        // The clip at rank i (from 0): name, score, interval, as the report writes them.
        let cell: (Int) -> String = { i in
            let u = ranked[i]
            return "\(c.unitNames[u.unit]) \(fixed(u.score, 3)) " + (u.ci95.map { "[\(fixed($0.low, 3)), \(fixed($0.high, 3))]" } ?? "[—]")
        }
        let highest = 0..<min(shownEachEnd, ranked.count)
        out.append(Line(text: "  highest  " + highest.map(cell).joined(separator: "   "), color: nil, bold: false))
        if ranked.count > shownEachEnd {
            let lowest = max(shownEachEnd, ranked.count - shownEachEnd)..<ranked.count
            out.append(Line(text: "  lowest   " + lowest.reversed().map(cell).joined(separator: "   "), color: nil, bold: false))
        }
        return out
    }
}
