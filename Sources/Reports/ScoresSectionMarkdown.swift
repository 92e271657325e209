/// The Scores section in Markdown: per criterion, the method sentence, the clips ranked by
/// score with their intervals, the rejected raters with reasons, each rater's bias and
/// inconsistency, and the quality rules' violations — tables where HTML has charts.
extension ReportRender {
    static func scoresMarkdown(_ s: ScoresSection) -> String {
        let md = MarkdownText.escape, mdTable = MarkdownText.table
        var out = "## Scores\n\n\(scoresNote)\n\n"
        if s.criteria.isEmpty { out += "No numeric or ordinal criterion in this batch, so no scores.\n\n" }
        // Reasons are concord's words around users' names (a rater, a criterion): escaped.
        for (id, why) in s.skipped { out += "- \(md(id)): \(md(why))\n" }
        if !s.skipped.isEmpty { out += "\n" }
        for c in s.criteria {
            out += "### Scores: \(md(c.id)) (\(c.scale.rawValue))\n\n\(c.methodText(md))\n\n"
            guard c.outcome.result != nil else {
                out += "No scores: \(c.method.rawValue) is undefined too (\(md(c.outcome.undefinedReason ?? ""))).\n\n"
                continue
            }
            out += mdTable(scoreRows(c, text: md))
            if let note = unscoredText(c) { out += "\n\(note)\n" }
            out += "\n#### Rejected raters\n\n" + (rejectedText(c).map { "\($0)\n" } ?? mdTable(rejectedRows(c, text: md)))
            out += "\n#### Rater bias and inconsistency\n\n"
                + (c.hasRaterModel ? mdTable(raterFigureRows(c, text: md)) : "\(noRaterModelText(c))\n")
            out += "\n#### Quality rules\n\n"
                + (violationsText(c).map { "\($0)\n" } ?? "\(qualityRulesNote)\n\n" + mdTable(violationRows(c.violations ?? [], text: md)))
            out += "\n"
        }
        return out
    }
}
