/// The Preferences section in Markdown: per pairwise criterion, the win-rate matrix, the
/// clips ranked by score with their intervals, the clips without a score and why, the
/// systems' leaderboard when the clips carry system tags, and the raters' position bias and
/// circular triads — tables where HTML has charts. Nothing when the batch has no pairwise
/// criterion.
extension ReportRender {
    static func preferencesMarkdown(_ s: PreferencesSection?) -> String {
        guard let s, !s.criteria.isEmpty else { return "" }
        let md = MarkdownText.escape, mdTable = MarkdownText.table
        var out = "## Preferences\n\n\(preferencesNote)\n\n"
        for c in s.criteria {
            out += "### Preferences: \(md(c.id))\n\n"
            if let why = c.undefinedReason { out += "No scores: \(why).\n\n"; continue }
            out += "\(preferenceCountsText(c, text: md))\n\n"
            out += "#### Win rates\n\n\(matrixText(c))\n\n" + mdTable(matrixRows(c.matrix, text: md))
            if let note = leaderboardText(c) {
                out += "\n#### Leaderboard\n\n\(md(note))\n\n" + (c.systems.map { mdTable(systemRows($0, text: md)) } ?? "")
            }
            out += "\n#### Scores\n\n"
            out += c.scored.isEmpty ? "No clip has a maximum-likelihood score.\n" : mdTable(preferenceScoreRows(c, text: md))
            if !c.unscored.isEmpty { out += "\nWithout a maximum-likelihood score:\n\n" + mdTable(unscoredRows(c, text: md)) }
            out += "\n#### Raters\n\n\(preferenceRaterNote)\n\n" + mdTable(preferenceRaterRows(c, text: md)) + "\n"
        }
        return out
    }

    /// "24 comparisons of 6 clips by 3 raters; 2 connected groups; Davidson ν 0.412".
    static func preferenceCountsText(_ c: PreferencesSection.Criterion, text: (String) -> String = { $0 }) -> String {
        let clips = c.result.items.filter { $0.wins + $0.losses + $0.ties > 0 }.count
        var s = "\(plural(c.data.count, "comparison")) of \(plural(clips, "clip")) by \(plural(c.result.raters.count, "rater")); "
            + "\(plural(c.result.groups, "connected group"))"
        if let nu = c.result.nu { s += "; Davidson ν \(fixed(nu, 3))" }
        if !c.result.converged { s += "; the fit stopped at \(c.result.iterations) iterations without converging" }
        return s + "."
    }
}
