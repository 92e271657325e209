import Agreement

/// The HTML rendering of a `BatchReport`: one self-contained file — inline CSS (with
/// print rules) and inline SVG charts, no scripts and no external references — so it can
/// be mailed, archived and printed as an audit record.
extension ReportRender {
    /// Text for HTML: markup characters as entities, and controls and invisible format
    /// characters (ESC, a bidi override that would reorder what the auditor reads) shown
    /// as `\e`, `\u{202E}` as in the Markdown report.
    static func esc(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "\n", "\t": out.append(scalar)
            case _ where MarkdownText.isHidden(scalar): out.append(contentsOf: ("\\" + MarkdownText.code(scalar)).unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    static func htmlTable(_ rows: [[String]]) -> String {
        guard let head = rows.first else { return "" }
        return "<table><thead><tr>" + head.map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead><tbody>"
            + rows.dropFirst().map { "<tr>" + $0.map { "<td>\(esc($0))</td>" }.joined() + "</tr>" }.joined() + "</tbody></table>\n"
    }

    static let css = """
    body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:60em}
    h1{border-bottom:2px solid #333}h2{margin-top:1.6em;border-bottom:1px solid #aaa}
    table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:.2em .5em;text-align:left}
    th{background:#eee}svg{display:block;margin:.5em 0;max-width:100%;height:auto}code{font-size:.85em;word-break:break-all}
    @media print{body{margin:0;max-width:none}h2{page-break-after:avoid}table,svg{page-break-inside:avoid}}
    """

    /// An SVG that keeps its drawn size on screen but shrinks to the page (a 30-rater heat
    /// map is wider than a printed page): the viewBox scales it, never crops it.
    static func svgOpen(width: Int, height: Int, label: String) -> String {
        "<svg width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(label)\">"
    }

    /// Headline alpha per criterion as a dot with its 95% CI bar, on a −1…1 axis.
    static func ciChart(_ r: BatchReport) -> String {
        let rowH = 28, w = 640, left = 160, plotW = 400
        let x: (Double) -> Int = { left + Int((max(-1, min(1, $0)) + 1) / 2 * Double(plotW)) }
        var s = svgOpen(width: w, height: rowH * r.criteria.count + 46, label: "agreement per criterion")
        s += "<line x1=\"\(x(0))\" y1=\"0\" x2=\"\(x(0))\" y2=\"\(rowH * r.criteria.count)\" stroke=\"#999\"/>"
        for (i, c) in r.criteria.enumerated() {
            let y = i * rowH + 14
            s += "<text x=\"0\" y=\"\(y + 4)\" font-size=\"12\">\(esc(c.id))</text>"
            guard let m = c.metrics.first, let v = m.outcome.value else { continue }
            if case .success(let ci)? = m.interval {
                s += "<line x1=\"\(x(ci.lower))\" y1=\"\(y)\" x2=\"\(x(ci.upper))\" y2=\"\(y)\" stroke=\"#36c\" stroke-width=\"3\"/>"
            }
            s += "<circle cx=\"\(x(v))\" cy=\"\(y)\" r=\"5\" fill=\"#036\"/><text x=\"\(left + plotW + 10)\" y=\"\(y + 4)\" font-size=\"12\">\(fixed(v, 3))</text>"
        }
        let axisY = rowH * r.criteria.count + 20
        for t in [-1.0, 0, 1] { s += "<text x=\"\(x(t) - 6)\" y=\"\(axisY)\" font-size=\"11\">\(Int(t))</text>" }
        // The bars are intervals: say how they were made, as every interval does.
        s += "<text x=\"0\" y=\"\(axisY + 16)\" font-size=\"11\">bars: \(ciHeading(r))</text>"
        return s + "</svg>"
    }

    /// Raters shown in a heat map at most: beyond this a printed page cannot show the cells.
    static let heatMapRaters = 30

    /// Rater names longer than this are cut with "…" in a heat map's headers (the whole
    /// name is the header's tooltip and is in every table).
    static let heatMapNameLength = 16

    /// A heat map header: the name, cut to `heatMapNameLength` scalars with "…", and the
    /// whole name as its SVG title when cut.
    static func heatMapLabel(_ name: String) -> (text: String, title: String) {
        let scalars = Array(name.unicodeScalars)
        guard scalars.count > heatMapNameLength else { return (esc(name), "") }
        var cut = String.UnicodeScalarView()
        cut.append(contentsOf: scalars.prefix(heatMapNameLength - 1))
        return (esc(String(cut)) + "…", "<title>\(esc(name))</title>")
    }

    /// Rater × rater heat map of the pairwise headline alpha of one criterion: every rater
    /// up to `heatMapRaters`, else the raters with the most ratings (all pairs are in the
    /// JSON and CSV). Column headers are turned 45° so names of any length never overlap in
    /// a 44-pixel column; the margins are sized from the longest (cut) name.
    static func heatMap(_ c: BatchReport.CriterionSection, ratings: [String: Int]) -> String {
        var shown = Array(c.raterNames.indices)
        var note = ""
        if shown.count > heatMapRaters {
            shown = Array(shown.sorted { (ratings[c.raterNames[$0]] ?? 0, c.raterNames[$1]) > (ratings[c.raterNames[$1]] ?? 0, c.raterNames[$0]) }
                .prefix(heatMapRaters)).sorted()
            note = "<p>The \(heatMapRaters) raters with the most labels of \(c.raterNames.count); every pair is in the JSON and CSV.</p>\n"
        }
        let n = shown.count, cell = 44
        // 11-pixel text is at most ~7 pixels a character; a 45° header rises and reaches
        // right by its length ÷ √2.
        let longest = shown.map { min(heatMapNameLength, c.raterNames[$0].unicodeScalars.count) }.max() ?? 0
        let textLength = longest * 7, slant = textLength * 71 / 100
        let left = textLength + 10, top = slant + 12
        var s = note + svgOpen(width: left + n * cell + slant, height: top + n * cell, label: "rater heat map")
        for (j, r) in shown.enumerated() {
            let (text, title) = heatMapLabel(c.raterNames[r])
            let x = left + j * cell + cell / 2 - 4, y = top - 6
            s += "<text x=\"\(x)\" y=\"\(y)\" font-size=\"11\" transform=\"rotate(-45 \(x) \(y))\">\(title)\(text)</text>"
        }
        for i in 0..<n {
            let (text, title) = heatMapLabel(c.raterNames[shown[i]])
            s += "<text x=\"0\" y=\"\(top + i * cell + cell / 2 + 4)\" font-size=\"11\">\(title)\(text)</text>"
            for j in 0..<n {
                let v = c.pairAlpha[shown[i]][shown[j]]
                let colour: String
                if let v { let t = max(0, min(1, (v + 1) / 2)); colour = "rgb(\(Int(255 * (1 - t))),\(Int(120 + 100 * t)),\(Int(255 * t)))" } else { colour = "#ddd" }
                s += "<rect x=\"\(left + j * cell)\" y=\"\(top + i * cell)\" width=\"\(cell - 2)\" height=\"\(cell - 2)\" fill=\"\(colour)\"/>"
                if let v { s += "<text x=\"\(left + j * cell + 6)\" y=\"\(top + i * cell + cell / 2 + 4)\" font-size=\"11\">\(fixed(v, 2))</text>" }
            }
        }
        return s + "</svg>"
    }

    /// Cumulative gold accuracy per rater, answer by answer: a line and a dot per answer (a
    /// rater with one answer is a dot, not an invisible one-point line), or a sentence
    /// saying why there is nothing to draw.
    static func goldChart(_ r: BatchReport) -> String {
        guard r.goldQuestions > 0 else {
            return "<p>No gold questions in this batch, so no gold accuracy (<code>concord gold add ITEM --criterion C --value V</code> adds one).</p>"
        }
        let rows = r.raters.filter { !$0.goldTimeline.isEmpty }
        guard !rows.isEmpty else { return "<p>No rater has answered any of the \(plural(r.goldQuestions, "gold question")) yet.</p>" }
        let w = 500, h = 160, pad = 6, maxN = max(2, rows.map(\.goldTimeline.count).max() ?? 2)
        let colours = ["#036", "#c30", "#393", "#939", "#963", "#369"]
        var s = svgOpen(width: w + 2 * pad + 120, height: h + 2 * pad + 20, label: "gold accuracy over time")
            + "<rect x=\"\(pad)\" y=\"\(pad)\" width=\"\(w)\" height=\"\(h)\" fill=\"none\" stroke=\"#999\"/>"
            + "<text x=\"\(pad)\" y=\"\(h + 2 * pad + 14)\" font-size=\"11\">answers in submission order; accuracy 0 (bottom) to 1 (top)</text>"
        for (k, row) in rows.enumerated() {
            var correct = 0
            let pts = row.goldTimeline.enumerated().map { (i, e) -> (Int, Int) in
                if e.correct { correct += 1 }
                let acc = Double(correct) / Double(i + 1)
                return (pad + i * w / (maxN - 1), pad + Int(Double(h) * (1 - acc)))
            }
            let colour = colours[k % colours.count]
            s += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(pts.map { "\($0.0),\($0.1)" }.joined(separator: " "))\"/>"
            for (x, y) in pts { s += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"3\" fill=\"\(colour)\"/>" }
            s += "<text x=\"\(w + 2 * pad + 8)\" y=\"\(14 + k * 14)\" font-size=\"11\" fill=\"\(colour)\">\(heatMapLabel(row.rater).title)\(heatMapLabel(row.rater).text) \(row.goldCorrect)/\(row.goldAnswered)</text>"
        }
        return s + "</svg>"
    }

    public static func html(_ r: BatchReport, _ e: ReportExtras) -> String {
        let s = r.summary
        var b = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Audit report: batch \(esc(r.batch))</title><style>\(css)</style></head><body>\n"
        b += "<h1>Audit report: batch \(esc(r.batch))</h1>\n<h2>Summary</h2>\n"
        b += htmlTable([["items", "raters (humans / models)", "labels", "completion", "first submission", "last submission"],
                        ["\(s.items)", "\(s.humanRaters) / \(s.modelRaters)", "\(s.labels)", s.completion.map(percentText) ?? "—",
                         s.firstSubmission ?? "—", s.lastSubmission ?? "—"]])
        b += "<h2>Agreement per criterion</h2>\n" + ciChart(r) + "\n"
        for c in r.criteria {
            b += "<h3>\(esc(c.id)) (\(c.scale.rawValue))</h3>\n"
            b += htmlTable(metricRows(c, r))
        }
        b += "<p>Readings follow the interval: a band only when the whole CI lies in it, else “not established”; "
            + "q is the share of bootstrap resamples with α below 0.800 (docs/statistics.md).</p>\n"
        b += scoresHTML(r.scores)
        b += preferencesHTML(r.preferences)
        b += overTimeHTML(r.overTime)
        b += "<h2>Raters</h2>\n"
        b += htmlTable(raterRows(r, e))
        if let mix = displayRows(r) { b += "<p>\(esc(displayMixNote))</p>\n" + htmlTable(mix) }
        let ratings = Dictionary(r.raters.map { ($0.rater, $0.labels) }, uniquingKeysWith: { a, _ in a })
        for c in r.criteria { b += "<h3>Rater × rater agreement: \(esc(c.id))</h3>\n" + heatMap(c, ratings: ratings) + "\n" }
        b += "<h3>Gold accuracy over time</h3>\n" + goldChart(r) + "\n"
        b += "<h2>Confusion matrices</h2>\n<p>Pooled over every pair of raters on each item, counted both ways (with two raters: their pair table, symmetrised).</p>\n"
        for c in r.criteria { if let m = c.confusion {
            b += "<h3>\(esc(c.id))</h3>\n" + htmlTable([[""] + c.categories] + c.categories.indices.map { [c.categories[$0]] + m[$0].map { "\($0)" } })
        } }
        b += consensusHTML(r.consensus)
        b += "<h2>Disagreements and adjudication</h2>\n"
        if let ds = e.decisions {
            b += ds.isEmpty ? "<p>No decisions yet.</p>\n" : htmlTable(decisionRows(ds))
        } else { b += "<p><em>\(ReportExtras.unavailable)</em></p>\n" }
        b += "<h3>Open disagreements</h3>\n"
        if let es = e.open {
            b += openText(e, markdown: false)
            if !es.isEmpty { b += htmlTable(openRows(es)) }
        } else { b += "<p><em>\(ReportExtras.unavailable)</em></p>\n" }
        b += "<h2>Model judges against the golden set</h2>\n"
        if let js = e.judges {
            if js.isEmpty { b += "<p>No model raters in this batch.</p>\n" }
            for j in js { for c in j.criteria {
                b += "<h3>\(esc(j.judge)): \(esc(c.criterion.id))</h3>\n" + htmlTable(ReportExtras.judgeRows(j, c))
            } }
            b += JudgeCalibrationSection.html(e.calibrations ?? [])
        } else { b += "<p><em>\(ReportExtras.unavailable)</em></p>\n" }
        b += "<h2>Golden set</h2>\n<p>Version: \(esc(e.goldenVersion ?? ReportExtras.unavailable)); \(plural(r.goldQuestions, "gold question")).</p>\n"
        b += "<h2>Method</h2>\n<ul><li>concord \(esc(r.version))</li><li>bootstrap: \(r.resamples) resamples, seed \(r.seed), 95% percentile intervals</li>"
        b += "<li>rubric \(esc(r.rubricName)), hash <code>\(r.rubricHash)</code></li><li>label snapshot SHA-256 <code>\(r.snapshotSHA256)</code></li>"
        if let a = r.auditAnchor { b += "<li>audit anchor <code>\(a)</code> (check the log behind these numbers with <code>concord audit verify --anchor \(a)</code>)</li>" }
        b += "<li>\(esc(methodNote))</li></ul>\n"
        if let hs = e.clipHashes { b += htmlTable([["item", "clip SHA-256"]] + hs.map { ["\($0.0)", $0.1] }) }
        else { b += "<p>Clip hashes: <em>\(ReportExtras.unavailable)</em></p>\n" }
        return b + "</body></html>\n"
    }
}
