import Pairwise

/// The Preferences section in HTML: the win-rate matrix as an SVG heat map with the numbers
/// in its cells (readable in black and white), the scores as dots with their interval bars,
/// and the tables under them as in Markdown. Inline SVG like the report's other charts.
extension ReportRender {
    static let matrixCellWidth = 56, matrixCellHeight = 44

    /// A share's colour: red for 0 through white at 0.5 to blue for 1, pale enough for the
    /// dark numbers on it to read.
    static func shareColour(_ share: Double) -> String {
        let t = max(0, min(1, share))
        func mix(_ from: Double, _ to: Double, _ u: Double) -> Int { Int((from + (to - from) * u).rounded()) }
        if t < 0.5 {
            let u = t * 2
            return "rgb(\(mix(235, 255, u)),\(mix(130, 255, u)),\(mix(120, 255, u)))"
        }
        let u = (t - 0.5) * 2
        return "rgb(\(mix(255, 125, u)),\(mix(255, 165, u)),\(mix(255, 225, u)))"
    }

    /// The matrix: rows and columns are the shown entries best first; each cell holds the
    /// row's share of decisive wins, its wins of the decisive comparisons and its ties.
    static func winMatrixChart(_ m: WinMatrix, id: String) -> String {
        let shown = m.shown, cells = m.cells(among: shown), n = m.entries.count, k = shown.count
        let w = matrixCellWidth, h = matrixCellHeight
        let longest = shown.map { min(heatMapNameLength, m.entries[$0].unicodeScalars.count) }.max() ?? 0
        let textLength = longest * 7, slant = textLength * 71 / 100
        // The turned headers rise by their slant plus the text's height; the legend under
        // the cells needs 420 pixels whatever the number of columns.
        let left = textLength + 10, top = slant + 22
        var s = svgOpen(width: max(420, left + k * w + slant), height: top + k * h + 20, label: "win rates of \(esc(id))")
        for (j, e) in shown.enumerated() {
            let (text, title) = heatMapLabel(m.entries[e])
            let x = left + j * w + w / 2 - 4, y = top - 6
            s += "<text x=\"\(x)\" y=\"\(y)\" font-size=\"11\" transform=\"rotate(-45 \(x) \(y))\">\(title)\(text)</text>"
        }
        for (r, i) in shown.enumerated() {
            let (text, title) = heatMapLabel(m.entries[i])
            let y0 = top + r * h
            s += "<text x=\"0\" y=\"\(y0 + h / 2 + 4)\" font-size=\"11\">\(title)\(text)</text>"
            for (col, j) in shown.enumerated() {
                let x0 = left + col * w
                let cell = cells[i * n + j]
                let fill = i == j ? "#bbb" : cell.flatMap(\.share).map(shareColour) ?? (cell == nil ? "#f4f4f4" : "#e4e4e4")
                s += "<rect x=\"\(x0)\" y=\"\(y0)\" width=\"\(w - 2)\" height=\"\(h - 2)\" fill=\"\(fill)\"/>"
                guard i != j, let cell else { continue }
                let lines: [(String, Int)] = [(cell.share.map { fixed($0, 2) } ?? "ties", 12), ("\(cell.wins)/\(cell.wins + cell.losses)", 10)]
                    + (cell.ties > 0 ? [("\(cell.ties) tie\(cell.ties == 1 ? "" : "s")", 9)] : [])
                for (l, (line, size)) in lines.enumerated() {
                    s += "<text x=\"\(x0 + 5)\" y=\"\(y0 + 13 + l * 12)\" font-size=\"\(size)\">\(line)</text>"
                }
            }
        }
        s += "<text x=\"0\" y=\"\(top + k * h + 14)\" font-size=\"11\">row against column: share of decisive wins, wins/decisive, ties</text>"
        return s + "</svg>"
    }

    /// Dots at the scores and bars over their 95% intervals, best first; `rows` as shown
    /// (nil: the gap between the best and the worst), `names` the row labels.
    static func preferenceScoreChart(_ rows: [(rank: Int, item: ItemScore)?], names: [String], gap: String, label: String) -> String {
        let values = rows.compactMap { $0 }.flatMap { r in [r.item.score, r.item.ci95?.0, r.item.ci95?.1].compactMap { $0 } }
        guard let lo = values.min(), let hi = values.max() else { return "" }
        let axis = lo < hi ? lo...hi : (lo - 1)...(hi + 1)
        let rowH = scoreRowHeight, left = scoreChartLeft, plotW = scoreChartWidth
        let x: (Double) -> Int = { chartX($0, axis: axis, left: left, width: plotW) }
        var s = svgOpen(width: left + plotW + 190, height: rowH * rows.count + 40, label: label)
        if axis.contains(0) {
            s += "<line x1=\"\(x(0))\" y1=\"0\" x2=\"\(x(0))\" y2=\"\(rowH * rows.count)\" stroke=\"#ccc\"/>"
        }
        for (i, row) in rows.enumerated() {
            let y = i * rowH + 12
            guard let row else {
                s += "<text x=\"\(left)\" y=\"\(y + 4)\" font-size=\"11\" fill=\"#666\">\(esc(gap))</text>"
                continue
            }
            s += rowLabel("\(row.rank). \(names[row.item.item])", y: y)
            if let ci = row.item.ci95 {
                s += "<line x1=\"\(x(ci.0))\" y1=\"\(y)\" x2=\"\(x(ci.1))\" y2=\"\(y)\" stroke=\"#36c\" stroke-width=\"3\"/>"
            }
            guard let score = row.item.score else { continue }
            s += "<circle cx=\"\(x(score))\" cy=\"\(y)\" r=\"4\" fill=\"#036\"/>"
            s += "<text x=\"\(left + plotW + 10)\" y=\"\(y + 4)\" font-size=\"12\">\(fixed(score, 3)) \(ciText(row.item.ci95))</text>"
        }
        let axisY = rowH * rows.count + 14
        for t in [axis.lowerBound, axis.upperBound] {
            s += "<text x=\"\(x(t) - 6)\" y=\"\(axisY)\" font-size=\"11\">\(fixed(t, 2))</text>"
        }
        s += "<text x=\"0\" y=\"\(axisY + 16)\" font-size=\"11\">Bradley–Terry log-strength; bars: 95% Fisher-information intervals</text>"
        return s + "</svg>"
    }

    static func preferencesHTML(_ s: PreferencesSection?) -> String {
        guard let s, !s.criteria.isEmpty else { return "" }
        var b = "<h2>Preferences</h2>\n<p>\(esc(preferencesNote))</p>\n"
        for c in s.criteria {
            b += "<h3>Preferences: \(esc(c.id))</h3>\n"
            if let why = c.undefinedReason { b += "<p>No scores: \(esc(why)).</p>\n"; continue }
            b += "<p>\(esc(preferenceCountsText(c)))</p>\n"
            b += "<h4>Win rates</h4>\n<p>\(esc(matrixText(c)))</p>\n" + winMatrixChart(c.matrix, id: c.id) + "\n"
            if let note = leaderboardText(c) {
                b += "<h4>Leaderboard</h4>\n<p>\(esc(note))</p>\n"
                if let board = c.systems {
                    let rows = board.rows.enumerated().map { Optional((rank: $0.offset + 1, item: $0.element.score)) }
                    b += preferenceScoreChart(rows, names: board.systems, gap: "", label: "systems of \(esc(c.id))") + "\n"
                    b += htmlTable(systemRows(board))
                }
            }
            b += "<h4>Scores</h4>\n"
            if c.scored.isEmpty { b += "<p>No clip has a maximum-likelihood score.</p>\n" } else {
                b += preferenceScoreChart(shownScored(c), names: c.data.items, gap: preferenceGapText(c), label: "scores of \(esc(c.id))") + "\n"
                b += htmlTable(preferenceScoreRows(c))
            }
            if !c.unscored.isEmpty { b += "<p>Without a maximum-likelihood score:</p>\n" + htmlTable(unscoredRows(c)) }
            b += "<h4>Raters</h4>\n<p>\(esc(preferenceRaterNote))</p>\n" + htmlTable(preferenceRaterRows(c))
        }
        return b
    }
}
