import Agreement

/// The Markdown rendering of a `BatchReport`. Every value that comes from a user (batch,
/// rater, clip and criterion names, votes, decisions' values, reasons and notes) goes
/// through `MarkdownText.escape`, so it is shown as text and stays in its table cell;
/// concord's own words and numbers are written as they are.
extension ReportRender {
    /// The CI column's heading: how the intervals were made, beside every interval.
    static func ciHeading(_ r: BatchReport) -> String {
        "95% CI (\(Bootstrap.method(resamples: r.resamples, seed: r.seed)))"
    }

    /// One criterion's metric rows: metric, value, interval, reading (or why undefined).
    static func metricRows(_ c: BatchReport.CriterionSection, _ r: BatchReport) -> [[String]] {
        var rows = [["metric", "value", ciHeading(r), "interpretation"]]
        for m in c.metrics {
            var ci = "—"
            if case .success(let i)? = m.interval { ci = "[\(fixed(i.lower, 3)), \(fixed(i.upper, 3))]" }
            rows.append([m.metric.rawValue, m.outcome.value.map { fixed($0, 3) } ?? "undefined", ci, m.interpretation ?? m.outcome.undefinedReason ?? ""])
        }
        return rows
    }

    /// The decisions table (Markdown and HTML), values through `text`.
    static func decisionRows(_ ds: [ReportExtras.Decision], text: (String) -> String = { $0 }) -> [[String]] {
        [["item", "criterion", "decision", "value", "lead", "reason", "note"]]
            + ds.map { ["\($0.item)", text($0.criterion), $0.kind, text($0.value), text($0.lead), $0.reason, text($0.note)] }
    }

    public static func markdown(_ r: BatchReport, _ e: ReportExtras) -> String {
        let md = MarkdownText.escape, mdTable = MarkdownText.table
        let s = r.summary
        var out = "# Audit report: batch \(md(r.batch))\n\n## Summary\n\n"
        out += mdTable([["items", "raters (humans / models)", "labels", "completion", "first submission", "last submission"],
                        ["\(s.items)", "\(s.humanRaters) / \(s.modelRaters)", "\(s.labels)", s.completion.map(percentText) ?? "—",
                         s.firstSubmission ?? "—", s.lastSubmission ?? "—"]])
        out += "\n## Agreement per criterion\n\n"
        for c in r.criteria {
            // Metric rows are concord's own names, numbers and words (no user value, no "|").
            out += "### \(md(c.id)) (\(c.scale.rawValue))\n\n" + mdTable(metricRows(c, r)) + "\n"
        }
        out += "Readings follow the interval: a band only when the whole CI lies in it, else \"not established\"; "
            + "q is the share of bootstrap resamples with α below 0.800 (docs/statistics.md).\n\n"
        out += scoresMarkdown(r.scores)
        out += preferencesMarkdown(r.preferences)
        out += overTimeMarkdown(r.overTime)
        out += "## Raters\n\n"
        out += mdTable(raterRows(r, e, text: md))
        if let mix = displayRows(r, text: md) { out += "\n\(displayMixNote)\n\n" + mdTable(mix) }
        out += "\n" + consensusMarkdown(r.consensus)
        out += "\n## Disagreements and adjudication\n\n"
        if let ds = e.decisions {
            out += ds.isEmpty ? "No decisions yet.\n" : mdTable(decisionRows(ds, text: md))
        } else { out += "_\(ReportExtras.unavailable)_\n" }
        out += "\n" + openText(e, markdown: true)
        if let es = e.open, !es.isEmpty { out += mdTable(openRows(es, text: md)) }
        out += "\n## Model judges against the golden set\n\n"
        if let js = e.judges {
            if js.isEmpty { out += "No model raters in this batch.\n" }
            for j in js { for c in j.criteria {
                out += "### \(md(j.judge)): \(md(c.criterion.id))\n\n" + mdTable(ReportExtras.judgeRows(j, c, text: md)) + "\n"
            } }
        } else { out += "_\(ReportExtras.unavailable)_\n" }
        out += "\n## Golden set\n\nVersion: \(e.goldenVersion ?? ReportExtras.unavailable); \(plural(r.goldQuestions, "gold question")).\n"
        out += "\n## Method\n\n- concord \(md(r.version))\n- bootstrap: \(r.resamples) resamples, seed \(r.seed), 95% percentile intervals\n"
        out += "- rubric \(md(r.rubricName)), hash `\(r.rubricHash)`\n- label snapshot SHA-256 `\(r.snapshotSHA256)`\n"
        if let a = r.auditAnchor { out += "- audit anchor `\(a)` (check the log behind these numbers with `concord audit verify --anchor \(a)`)\n" }
        out += "- \(methodNote)\n"
        return out
    }
}
