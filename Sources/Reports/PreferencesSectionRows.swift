import Pairwise

/// The Preferences section's tables, shared by the Markdown and HTML renderings (`text`
/// makes a user's value safe for the format; HTML's table escapes every cell itself).
/// Rounded to three decimals as the rest of those reports; JSON and CSV are exact.
extension ReportRender {
    static let preferencesNote = "Per pairwise criterion: Bradley–Terry with Davidson ties fitted to the current answers, as concord pairwise --batch fits them (docs/pairwise.md). Scores are log-strengths, centred in each connected group and comparable only within it; intervals are 95% Fisher-information intervals."

    /// What an entry of the matrix is called.
    static func entryNoun(_ m: WinMatrix) -> String { m.axis == .system ? "system" : "clip" }

    /// The sentence over a matrix: what a cell is, and which entries are shown.
    static func matrixText(_ c: PreferencesSection.Criterion) -> String {
        let m = c.matrix, noun = entryNoun(m)
        var s = "Each cell: the share of the decisive comparisons the row's \(noun) won against the column's, then wins of decisive comparisons; ties are counted apart and move no share."
        if m.axis == .system, let board = c.systems, board.sameSystem > 0 {
            s += " \(plural(board.sameSystem, "comparison")) of two clips of the same system \(board.sameSystem == 1 ? "is" : "are") left out."
        }
        if m.omitted > 0 {
            s += " The \(WinMatrix.shownEntries / 2) best and the \(WinMatrix.shownEntries / 2) worst of \(plural(m.entries.count, noun)) by score (\(m.omitted) more between them); every pair is in the JSON and CSV."
        }
        return s
    }

    /// A cell as text: "0.750 (6/8)", with ", 2 ties" when there were ties; "ties only (2)"
    /// when every comparison was a tie; "" for a pair never compared, "—" on the diagonal.
    static func cellText(_ cell: WinMatrix.Cell?, diagonal: Bool = false) -> String {
        if diagonal { return "—" }
        guard let cell else { return "" }
        let ties = cell.ties > 0 ? ", \(plural(cell.ties, "tie"))" : ""
        guard let share = cell.share else { return "ties only (\(cell.ties))" }
        return "\(fixed(share, 3)) (\(cell.wins)/\(cell.wins + cell.losses))\(ties)"
    }

    /// The matrix as a table: a header of the shown entries, then one row per shown entry.
    static func matrixRows(_ m: WinMatrix, text: (String) -> String = { $0 }) -> [[String]] {
        let shown = m.shown, cells = m.cells(among: shown), n = m.entries.count
        return [["row beats column"] + shown.map { text(m.entries[$0]) }] + shown.map { i in
            [text(m.entries[i])] + shown.map { j in cellText(cells[i * n + j], diagonal: i == j) }
        }
    }

    /// Scored items listed at most in Markdown and HTML: the best and the worst half each.
    static let shownPreferenceItems = 50

    /// The scored items as shown: (rank from 1, the item) or nil for the gap between.
    static func shownScored(_ c: PreferencesSection.Criterion) -> [(rank: Int, item: ItemScore)?] {
        let all = c.scored.enumerated().map { (rank: $0.offset + 1, item: $0.element) }
        guard all.count > shownPreferenceItems else { return all }
        let half = shownPreferenceItems / 2
        return Array(all.prefix(half)) + [nil] + Array(all.suffix(half))
    }

    static func preferenceGapText(_ c: PreferencesSection.Criterion) -> String {
        "… \(plural(c.scored.count - 2 * (shownPreferenceItems / 2), "clip")) between (all are in the JSON and CSV) …"
    }

    static func ciText(_ ci: (Double, Double)?) -> String {
        ci.map { "[\(fixed($0.0, 3)), \(fixed($0.1, 3))]" } ?? "—"
    }

    static func preferenceScoreRows(_ c: PreferencesSection.Criterion, text: (String) -> String = { $0 }) -> [[String]] {
        [["rank", "clip", "score", "95% CI", "wins", "losses", "ties", "group"]] + shownScored(c).map { row in
            guard let row else { return ["…", preferenceGapText(c), "", "", "", "", "", ""] }
            let i = row.item
            return ["\(row.rank)", text(c.data.items[i.item]), fixed(i.score ?? 0, 3), ciText(i.ci95), "\(i.wins)", "\(i.losses)",
                    "\(i.ties)", "\(i.group + 1)"]
        }
    }

    /// The items without a maximum-likelihood score, each with why and its regularised score.
    static func unscoredRows(_ c: PreferencesSection.Criterion, text: (String) -> String = { $0 }) -> [[String]] {
        [["clip", "wins", "losses", "ties", "regularised score", "why no score"]] + c.unscored.map { i in
            [text(c.data.items[i.item]), "\(i.wins)", "\(i.losses)", "\(i.ties)",
             PreferencesSection.Criterion.regularised(i).map { fixed($0, 3) } ?? "—", PreferencesSection.Criterion.reason(i) ?? ""]
        }
    }

    /// The leaderboard's lines, best first within each group, as `Leaderboard` orders them.
    static func systemRows(_ board: Leaderboard, text: (String) -> String = { $0 }) -> [[String]] {
        [["rank", "system", "score", "95% CI", "wins", "losses", "ties", "P(above the next)"]] + board.rows.enumerated().map { rank, row in
            let i = row.score
            let score = i.score.map { fixed($0, 3) } ?? "— (\(PreferencesSection.Criterion.reason(i) ?? ""))"
            var above = "—"
            switch row.aboveNext {
            case .success(let d)?: above = fixed(d.probabilityAbove, 3)
            case .failure(let u)?: above = "— (\(u.reason))"
            case nil: break
            }
            return ["\(rank + 1)", text(board.systems[i.item]), score, ciText(i.ci95), "\(i.wins)", "\(i.losses)", "\(i.ties)", above]
        }
    }

    /// What the leaderboard leaves out, or why there is none; nil when nothing to say.
    static func leaderboardText(_ c: PreferencesSection.Criterion) -> String? {
        switch c.leaderboard {
        case .failure(let u)?: return "No leaderboard: \(u.reason)."
        case .success(let board)?:
            var s = "Bradley–Terry on the comparisons between clips of two different systems, over every group; P(above the next): the normal approximation's probability that the system's score is above the next one's down (docs/pairwise.md, \"Leaderboard\")."
            if board.sameSystem > 0 { s += " Left out: \(plural(board.sameSystem, "comparison")) of two clips of the same system." }
            if board.untagged > 0 { s += " Left out: \(plural(board.untagged, "comparison")) with a clip that has no system tag." }
            return s
        case nil: return nil
        }
    }

    /// A proportion's cells: the share, its interval, its count; "— (why)" and blanks when
    /// it is undefined.
    static func proportionCells(_ p: Result<RaterFigures.Proportion, RaterFigures.Undefined>) -> [String] {
        switch p {
        case .success(let x): return [fixed(x.share, 3), "[\(fixed(x.low, 3)), \(fixed(x.high, 3))]", "\(x.n)"]
        case .failure(let u): return ["— (\(u.reason))", "—", "—"]
        }
    }

    /// Per rater: comparisons, the share of decisive answers that went to the left clip
    /// (0.5 is no position bias) with its Wilson interval and count, circular triads and
    /// Kendall's ζ.
    static func preferenceRaterRows(_ c: PreferencesSection.Criterion, text: (String) -> String = { $0 }) -> [[String]] {
        [["rater", "comparisons", "left wins", "95% CI", "decisive", "circular triads", "Kendall's ζ"]] + c.result.raters.map { r in
            let zeta: String
            switch r.zeta { case .success(let z): zeta = fixed(z, 3); case .failure(let u): zeta = "— (\(u.reason))" }
            return [text(c.data.raters[r.rater]), "\(r.comparisons)"] + proportionCells(r.leftWins) + ["\(r.circularTriads)", zeta]
        }
    }

    static let preferenceRaterNote = "Left wins: the share of the rater's decisive answers (those with the side recorded) that chose the clip shown on the left (0.5 is no position bias), with its Wilson 95% interval. Circular triads: three clips the rater ordered in a circle (a over b, b over c, c over a)."
}
