import Agreement
import JSONWriter

/// The report's "Agreement over time" section (docs/reports.md): per criterion, alpha per
/// day (AgreementOverTime's windows) as an inline SVG line with its 95% interval band and a
/// dashed marker where the rubric version changed (HTML), the same numbers as a table
/// (Markdown), the drift line under each. Absent (nil) when the caller did not compute it.
extension ReportRender {
    static let overTimeHeading = "Agreement over time"

    static func overTimeMarkdown(_ o: AgreementOverTime?) -> String {
        guard let o else { return "" }
        let md = MarkdownText.escape
        // The note and the rows are concord's own words and numbers (no user value, no "|");
        // the drift line names raters: escaped.
        var out = "## \(overTimeHeading)\n\n\(o.placementNote); intervals: percentile \(Bootstrap.method(resamples: o.resamples, seed: o.seed)).\n\n"
        for c in o.criteria {
            out += "### \(md(c.criterion.id)) over time\n\n"
            out += c.windows.isEmpty ? "No labels yet.\n\n" : MarkdownText.table(AgreementOverTime.rows(c)) + "\n"
            out += md(AgreementOverTime.driftText(c)) + "\n\n"
        }
        return out
    }

    static func overTimeHTML(_ o: AgreementOverTime?) -> String {
        guard let o else { return "" }
        var b = "<h2>\(overTimeHeading)</h2>\n<p>\(esc(o.placementNote)); intervals: percentile \(esc(Bootstrap.method(resamples: o.resamples, seed: o.seed))).</p>\n"
        for c in o.criteria {
            b += "<h3>\(esc(c.criterion.id)) over time</h3>\n"
            if c.windows.isEmpty { b += "<p>No labels yet.</p>\n"; continue }
            b += overTimeChart(c) + "\n" + htmlTable(AgreementOverTime.rows(c)) + "<p>\(esc(AgreementOverTime.driftText(c)))</p>\n"
        }
        return b
    }

    static func overTimeJSON(_ o: AgreementOverTime?) -> String {
        o.map { $0.json().trimmingSuffixNewline } ?? JSON.null
    }

    /// Alpha per window (dots joined by a line), the interval as a band over the windows
    /// that have one, and a dashed vertical marker before a window whose labels carry a rubric
    /// version the previous window's did not. The y axis runs from the lowest value shown
    /// (at most 0) to 1.
    static func overTimeChart(_ c: AgreementOverTime.CriterionTimeline) -> String {
        let left = 50, top = 10, plotW = 520, plotH = 160, n = c.windows.count
        let intervals: [BootstrapInterval?] = c.windows.map { if case .success(let i) = $0.interval { return i }; return nil }
        let low = min(0, (intervals.compactMap { $0?.lower } + c.windows.compactMap(\.alpha.value)).min() ?? 0)
        let x: (Int) -> Int = { left + (n == 1 ? plotW / 2 : $0 * plotW / (n - 1)) }
        let y: (Double) -> Int = { top + Int((1 - (min(1, max(low, $0)) - low) / (1 - low)) * Double(plotH)) }
        var s = svgOpen(width: left + plotW + 40, height: top + plotH + 46, label: "alpha of \(esc(c.criterion.id)) per window")
        for t in [low, 0, 0.5, 1] where t >= low {
            s += "<line x1=\"\(left)\" y1=\"\(y(t))\" x2=\"\(left + plotW)\" y2=\"\(y(t))\" stroke=\"#ddd\"/>"
                + "<text x=\"0\" y=\"\(y(t) + 4)\" font-size=\"11\">\(fixed(t, 1))</text>"
        }
        // The band: one polygon per run of consecutive windows with an interval.
        var k = 0
        while k < n {
            guard intervals[k] != nil else { k += 1; continue }
            var run: [Int] = []
            while k < n, intervals[k] != nil { run.append(k); k += 1 }
            let upper = run.map { "\(x($0)),\(y(intervals[$0]!.upper))" }, lower = run.reversed().map { "\(x($0)),\(y(intervals[$0]!.lower))" }
            s += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"#36c\" fill-opacity=\"0.2\" stroke=\"none\"/>"
        }
        let points = c.windows.indices.compactMap { i in c.windows[i].alpha.value.map { "\(x(i)),\(y($0))" } }
        if points.count > 1 { s += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#036\" stroke-width=\"2\"/>" }
        for (i, w) in c.windows.enumerated() {
            if let v = w.alpha.value { s += "<circle cx=\"\(x(i))\" cy=\"\(y(v))\" r=\"3\" fill=\"#036\"><title>\(esc(w.name)): \(fixed(v, 4))</title></circle>" }
            if !w.newVersions.isEmpty {
                let mx = x(i) - (n > 1 ? plotW / (n - 1) / 2 : 0)
                s += "<line x1=\"\(mx)\" y1=\"\(top)\" x2=\"\(mx)\" y2=\"\(top + plotH)\" stroke=\"#c60\" stroke-dasharray=\"4 3\"/>"
                    + "<text x=\"\(mx + 3)\" y=\"\(top + 10)\" font-size=\"10\" fill=\"#c60\">rubric \(esc(String(w.newVersions[0].prefix(8))))</text>"
            }
        }
        let names = n <= 2 ? Array(c.windows.indices) : [0, n - 1]
        for i in names { s += "<text x=\"\(x(i) - 30)\" y=\"\(top + plotH + 16)\" font-size=\"11\">\(esc(c.windows[i].name))</text>" }
        s += "<text x=\"0\" y=\"\(top + plotH + 36)\" font-size=\"11\">\(esc(AgreementOverTime.metricName(c.metric))) per window; band: 95% bootstrap intervals; dashed: rubric version changed</text>"
        return s + "</svg>"
    }
}

extension String {
    var trimmingSuffixNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}
