import OpinionScores

/// The Scores section in HTML: the clips ranked by score with their 95% interval bars, and
/// each rater's bias and inconsistency, as inline SVG like the report's other charts (no
/// scripts, no external assets); the tables beside them are the Markdown's.
extension ReportRender {
    static let scoreChartLeft = 180, scoreChartWidth = 360, scoreRowHeight = 18

    /// Where a value lands on a chart `width` pixels wide starting at `left`, for an axis
    /// from `axis.lowerBound` to `axis.upperBound` (values outside are clamped to its ends).
    static func chartX(_ v: Double, axis: ClosedRange<Double>, left: Int, width: Int) -> Int {
        let t = (min(axis.upperBound, max(axis.lowerBound, v)) - axis.lowerBound) / (axis.upperBound - axis.lowerBound)
        return left + Int((t * Double(width)).rounded())
    }

    /// Scalars of a row label at most: what 12-pixel text fits in the charts' 180-pixel left
    /// column (a clip's "ITEM:NAME" after its rank).
    static let rowLabelLength = 26

    /// A row label: the text cut to `rowLabelLength` scalars with "…", the whole text its
    /// SVG title when cut (every name is whole in the table under the chart).
    static func rowLabel(_ name: String, y: Int, colour: String = "#222") -> String {
        let scalars = Array(name.unicodeScalars)
        var shown = name, title = ""
        if scalars.count > rowLabelLength {
            var cut = String.UnicodeScalarView()
            cut.append(contentsOf: scalars.prefix(rowLabelLength - 1))
            shown = String(cut) + "…"
            title = "<title>\(esc(name))</title>"
        }
        return "<text x=\"0\" y=\"\(y + 4)\" font-size=\"12\" fill=\"\(colour)\">\(title)\(esc(shown))</text>"
    }

    /// The clips, highest score first: a dot at the score and a bar over its interval.
    static func scoreChart(_ c: ScoresSection.Criterion) -> String {
        let rows = shownRanking(c), rowH = scoreRowHeight, left = scoreChartLeft, plotW = scoreChartWidth
        let x: (Double) -> Int = { chartX($0, axis: c.axis, left: left, width: plotW) }
        var s = svgOpen(width: left + plotW + 170, height: rowH * rows.count + 40, label: "scores of \(esc(c.id))")
        for (i, row) in rows.enumerated() {
            let y = i * rowH + 12
            guard let row else {
                s += "<text x=\"\(left)\" y=\"\(y + 4)\" font-size=\"11\" fill=\"#666\">\(esc(gapText(c)))</text>"
                continue
            }
            let u = row.unit
            s += rowLabel("\(row.rank). \(c.unitNames[u.unit])", y: y)
            if let ci = u.ci95 {
                s += "<line x1=\"\(x(ci.low))\" y1=\"\(y)\" x2=\"\(x(ci.high))\" y2=\"\(y)\" stroke=\"#36c\" stroke-width=\"3\"/>"
            }
            s += "<circle cx=\"\(x(u.score))\" cy=\"\(y)\" r=\"4\" fill=\"#036\"/>"
            s += "<text x=\"\(left + plotW + 10)\" y=\"\(y + 4)\" font-size=\"12\">\(fixed(u.score, 3)) \(intervalText(u.ci95))</text>"
        }
        let axisY = rowH * rows.count + 14
        for t in [c.axis.lowerBound, c.axis.upperBound] {
            s += "<text x=\"\(x(t) - 6)\" y=\"\(axisY)\" font-size=\"11\">\(axisText(t))</text>"
        }
        s += "<text x=\"0\" y=\"\(axisY + 16)\" font-size=\"11\">bars: 95% intervals of \(c.method.rawValue)</text>"
        return s + "</svg>"
    }

    /// An axis end: a whole number as such, else two decimals.
    static func axisText(_ v: Double) -> String { v == v.rounded() ? fixed(v, 0) : fixed(v, 2) }

    static let biasChartWidth = 240, inconsistencyChartLeftGap = 40, inconsistencyChartWidth = 200

    /// The axis of the bias panel: symmetric about 0, out to the largest bias or interval end.
    static func biasAxis(_ c: ScoresSection.Criterion) -> ClosedRange<Double> {
        let m = c.raters.flatMap { r in [r.figures.bias, r.figures.biasCI95?.low, r.figures.biasCI95?.high].compactMap { $0 } }
            .map(abs).max() ?? 0
        return m > 0 ? -m...m : -1...1
    }

    /// The axis of the inconsistency panel: 0 to the largest inconsistency or interval end.
    static func inconsistencyAxis(_ c: ScoresSection.Criterion) -> ClosedRange<Double> {
        let m = c.raters.flatMap { r in [r.figures.inconsistency, r.figures.inconsistencyCI95?.high].compactMap { $0 } }.max() ?? 0
        return m > 0 ? 0...m : 0...1
    }

    /// Each rater's bias (a dot and its interval about a line at 0) and inconsistency (a
    /// bar from 0, its interval as a line), rejected raters' names in red.
    static func raterChart(_ c: ScoresSection.Criterion) -> String {
        let raters = c.raters, rowH = scoreRowHeight, left = scoreChartLeft
        let bw = biasChartWidth, il = left + bw + inconsistencyChartLeftGap, iw = inconsistencyChartWidth
        let bAxis = biasAxis(c), iAxis = inconsistencyAxis(c)
        let bx: (Double) -> Int = { chartX($0, axis: bAxis, left: left, width: bw) }
        let ix: (Double) -> Int = { chartX($0, axis: iAxis, left: il, width: iw) }
        let top = 16
        var s = svgOpen(width: il + iw + 60, height: top + rowH * raters.count + 24, label: "rater bias and inconsistency of \(esc(c.id))")
        s += "<text x=\"\(left)\" y=\"11\" font-size=\"11\">bias (\(fixed(bAxis.lowerBound, 2)) … \(fixed(bAxis.upperBound, 2)))</text>"
        s += "<text x=\"\(il)\" y=\"11\" font-size=\"11\">inconsistency (0 … \(fixed(iAxis.upperBound, 2)))</text>"
        s += "<line x1=\"\(bx(0))\" y1=\"\(top)\" x2=\"\(bx(0))\" y2=\"\(top + rowH * raters.count)\" stroke=\"#999\"/>"
        for (i, r) in raters.enumerated() {
            let y = top + i * rowH + 9, f = r.figures
            s += rowLabel(r.figures.rejected ? "\(r.name) (rejected)" : r.name, y: y, colour: f.rejected ? "#c30" : "#222")
            if let ci = f.biasCI95 {
                s += "<line x1=\"\(bx(ci.low))\" y1=\"\(y)\" x2=\"\(bx(ci.high))\" y2=\"\(y)\" stroke=\"#36c\" stroke-width=\"3\"/>"
            }
            if let b = f.bias { s += "<circle cx=\"\(bx(b))\" cy=\"\(y)\" r=\"4\" fill=\"#036\"/>" }
            if let v = f.inconsistency {
                s += "<rect x=\"\(il)\" y=\"\(y - 5)\" width=\"\(ix(v) - il)\" height=\"10\" fill=\"#9ab\"/>"
            }
            if let ci = f.inconsistencyCI95 {
                s += "<line x1=\"\(ix(ci.low))\" y1=\"\(y)\" x2=\"\(ix(ci.high))\" y2=\"\(y)\" stroke=\"#036\" stroke-width=\"2\"/>"
            }
        }
        s += "<text x=\"0\" y=\"\(top + rowH * raters.count + 18)\" font-size=\"11\">bars: 95% intervals of \(c.method.rawValue)</text>"
        return s + "</svg>"
    }

    static func scoresHTML(_ s: ScoresSection) -> String {
        var b = "<h2>Scores</h2>\n<p>\(esc(scoresNote))</p>\n"
        if s.criteria.isEmpty { b += "<p>No numeric or ordinal criterion in this batch, so no scores.</p>\n" }
        if !s.skipped.isEmpty { b += "<ul>" + s.skipped.map { "<li>\(esc($0.id)): \(esc($0.reason))</li>" }.joined() + "</ul>\n" }
        for c in s.criteria {
            b += "<h3>Scores: \(esc(c.id)) (\(c.scale.rawValue))</h3>\n<p>\(esc(c.methodText()))</p>\n"
            guard c.outcome.result != nil else {
                b += "<p>No scores: \(c.method.rawValue) is undefined too (\(esc(c.outcome.undefinedReason ?? "")).</p>\n"
                continue
            }
            b += scoreChart(c) + "\n" + htmlTable(scoreRows(c))
            if let note = unscoredText(c) { b += "<p>\(esc(note))</p>\n" }
            b += "<h4>Rejected raters</h4>\n" + (rejectedText(c).map { "<p>\(esc($0))</p>\n" } ?? htmlTable(rejectedRows(c)))
            b += "<h4>Rater bias and inconsistency</h4>\n"
                + (c.hasRaterModel ? raterChart(c) + "\n" + htmlTable(raterFigureRows(c)) : "<p>\(esc(noRaterModelText(c)))</p>\n")
            b += "<h4>Quality rules</h4>\n" + (violationsText(c).map { "<p>\(esc($0))</p>\n" }
                ?? "<p>\(esc(qualityRulesNote))</p>\n" + htmlTable(violationRows(c.violations ?? [])))
        }
        return b
    }
}
