import Foundation
import OpinionScores
@testable import Reports
import Rubric
import Testing

/// The report's Scores section from results built by hand: the ranking, the interval
/// numbers, the rejected raters' reasons, the SVG bars where the numbers put them, and
/// users' names made inert in HTML and Markdown.
@Suite struct ScoresSectionRenderTests {
    static let clips = ["1:a.mp4", "2:<b>&.mp4", "3:c.mp4", "4:d.mp4"]
    static let raters = ["ann", "bo<b>", "cy"]

    /// mle-like figures: clip 3 best, clip 2 second, clip 1 third, clip 4 unrated (NaN).
    /// bo<b> rejected. Axis 1…5 from the rubric's range.
    static func mleCriterion(violations: [ScoresSection.Violation]? = []) -> ScoresSection.Criterion {
        let units = [
            UnitScore(unit: 0, score: 2.5, standardError: 0.3, ci95: Interval(low: 1.9, high: 3.1), n: 3),
            UnitScore(unit: 1, score: 3.5, standardError: 0.4, ci95: Interval(low: 2.7, high: 4.3), n: 3),
            UnitScore(unit: 2, score: 4.3, standardError: 0.2, ci95: Interval(low: 3.8, high: 4.7), n: 2),
            UnitScore(unit: 3, score: .nan, standardError: nil, ci95: nil, n: 0),
        ]
        let raters = [
            RaterFigures(rater: 0, bias: 0.5, biasCI95: Interval(low: 0.2, high: 0.8), inconsistency: 0.4,
                         inconsistencyCI95: Interval(low: 0.3, high: 0.6)),
            RaterFigures(rater: 1, bias: -0.3, biasCI95: Interval(low: -0.6, high: 0), inconsistency: 1.0,
                         inconsistencyCI95: Interval(low: 0.8, high: 1.2), rejected: true, reason: "P/Q rule: P = 3, Q = 0"),
            RaterFigures(rater: 2, bias: -0.2, biasCI95: Interval(low: -0.5, high: 0.1), inconsistency: 0.5,
                         inconsistencyCI95: Interval(low: 0.4, high: 0.7)),
        ]
        return ScoresSection.Criterion(id: "quality", scale: .ordinal, unitNames: clips, raterNames: Self.raters, method: .mle,
                                       fallbackReason: nil, outcome: .scored(OpinionResult(method: .mle, units: units, raters: raters)),
                                       violations: violations, range: 1...5)
    }

    /// The table's data rows (after the header and the separator) as cells.
    static func markdownRows(_ text: String, after heading: String) -> [[String]] {
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix(heading) }) else { return [] }
        let table = lines[(start + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }
        return table.dropFirst(2).map { $0.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
            .map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    @Test func markdownRanksByScoreWithIntervalsAndListsRejectedRaters() {
        let md = ReportRender.scoresMarkdown(ScoresSection(criteria: [Self.mleCriterion()]))
        #expect(Self.markdownRows(md, after: "### Scores: quality") == [
            ["1", "3\\:c\\.mp4", "4.300", "[3.800, 4.700]", "2"],
            ["2", "2\\:\\<b\\>\\&\\.mp4", "3.500", "[2.700, 4.300]", "3"],
            ["3", "1\\:a\\.mp4", "2.500", "[1.900, 3.100]", "3"],
        ])
        #expect(md.contains("Scores by mle (maximum likelihood"))
        #expect(md.contains("1 clip without a kept rating is not ranked."))
        #expect(Self.markdownRows(md, after: "#### Rejected raters") == [["bo\\<b\\>", "P/Q rule\\: P = 3, Q = 0"]])
        // A reason naming a rater is inert too.
        let linked = ScoresSection.Criterion(id: "q", scale: .ratio, unitNames: ["a"], raterNames: ["r"], method: .mos,
                                             fallbackReason: "rater '[x](https://e.example)' ran away",
                                             outcome: .undefined(reason: "only '*r*' rated"), violations: nil)
        let inert = ReportRender.scoresMarkdown(ScoresSection(criteria: [linked], skipped: [(id: "k", reason: "'<k>' is nominal")]))
        #expect(!inert.contains("[x](") && !inert.contains("'*r*'") && !inert.contains("<k>"))
        #expect(inert.contains("(rater '\\[x\\]\\(https\\:"))
        #expect(inert.contains("No scores: mos is undefined too (only '\\*r\\*' rated)."))
        #expect(Self.markdownRows(md, after: "#### Rater bias and inconsistency") == [
            ["ann", "0.500", "[0.200, 0.800]", "0.400", "[0.300, 0.600]", "no"],
            ["bo\\<b\\>", "-0.300", "[-0.600, 0.000]", "1.000", "[0.800, 1.200]", "yes"],
            ["cy", "-0.200", "[-0.500, 0.100]", "0.500", "[0.400, 0.700]", "no"],
        ])
        #expect(md.contains("#### Quality rules\n\nQuality rules: no rater broke any.\n"))
    }

    @Test func tiesRankTheNarrowerIntervalFirstThenTheName() {
        let units = [UnitScore(unit: 0, score: 3, standardError: nil, ci95: Interval(low: 2, high: 4), n: 2),
                     UnitScore(unit: 1, score: 3, standardError: nil, ci95: Interval(low: 2.5, high: 3.5), n: 4),
                     UnitScore(unit: 2, score: 3, standardError: nil, ci95: Interval(low: 2, high: 4), n: 2)]
        let c = ScoresSection.Criterion(id: "q", scale: .interval, unitNames: ["z", "y", "x"], raterNames: ["a", "b"], method: .mos,
                                        fallbackReason: nil, outcome: .scored(OpinionResult(method: .mos, units: units, raters: [])),
                                        violations: nil)
        #expect(c.ranked.map { c.unitNames[$0.unit] } == ["y", "x", "z"])
    }

    /// Score chart: axis 1…5 over 360 px from x = 180, so x = 180 + 90·(v − 1); rows 18 px
    /// apart from y = 12.
    @Test func svgScoreBarsSitWhereTheNumbersPutThem() {
        let svg = ReportRender.scoreChart(Self.mleCriterion())
        // 1st: 4.3 [3.8, 4.7] → 477 [432, 513].
        #expect(svg.contains("<line x1=\"432\" y1=\"12\" x2=\"513\" y2=\"12\" stroke=\"#36c\" stroke-width=\"3\"/><circle cx=\"477\" cy=\"12\""))
        // 2nd: 3.5 [2.7, 4.3] → 333, 477; dot 405; y = 30.
        #expect(svg.contains("<line x1=\"333\" y1=\"30\" x2=\"477\" y2=\"30\""))
        #expect(svg.contains("<circle cx=\"405\" cy=\"30\""))
        // 3rd: 2.5 [1.9, 3.1] → 261, 369; dot 315; y = 48.
        #expect(svg.contains("<line x1=\"261\" y1=\"48\" x2=\"369\" y2=\"48\""))
        #expect(svg.contains("<circle cx=\"315\" cy=\"48\""))
        // Beside each bar its numbers; the axis ends 1 and 5.
        #expect(svg.contains(">4.300 [3.800, 4.700]</text>"))
        #expect(svg.contains(">1</text>") && svg.contains(">5</text>"))
        // A long name is cut at 26 scalars in the chart, whole in its title and the table.
        var long = Self.mleCriterion()
        long = ScoresSection.Criterion(id: long.id, scale: long.scale, unitNames: ["1:" + String(repeating: "x", count: 40) + ".mp4"] + Self.clips.dropFirst(),
                                       raterNames: long.raterNames, method: long.method, fallbackReason: nil, outcome: long.outcome,
                                       violations: [], range: 1...5)
        let name = "1:" + String(repeating: "x", count: 40) + ".mp4"
        #expect(ReportRender.scoreChart(long).contains("<title>3. \(name)</title>3. 1:" + String(repeating: "x", count: 20) + "…</text>"))
        #expect(svg.contains("bars: 95% intervals of mle"))
    }

    /// Bias panel: symmetric ±0.8 (the largest |end|) over 240 px from 180, so
    /// x = 180 + 150·(v + 0.8). Inconsistency panel: 0…1.2 over 200 px from 460.
    @Test func svgRaterBiasAndInconsistency() {
        let svg = ReportRender.raterChart(Self.mleCriterion())
        // Raters in name order: ann (y 25), bo<b> (43), cy (61).
        #expect(svg.contains("<line x1=\"330\" y1=\"25\" x2=\"420\" y2=\"25\""))   // ann's bias CI 0.2…0.8
        #expect(svg.contains("<circle cx=\"375\" cy=\"25\""))                       // ann's bias 0.5
        #expect(svg.contains("<circle cx=\"255\" cy=\"43\""))                       // bo<b>: −0.3
        #expect(svg.contains("<circle cx=\"270\" cy=\"61\""))                       // cy: −0.2
        #expect(svg.contains("<line x1=\"300\" y1=\"16\" x2=\"300\""))              // the 0 line
        // Inconsistency bars from x = 460: ann 0.4 → 67 px, bo<b> 1.0 → 167 px, cy 0.5 → 83 px.
        #expect(svg.contains("<rect x=\"460\" y=\"20\" width=\"67\" height=\"10\""))
        #expect(svg.contains("<rect x=\"460\" y=\"38\" width=\"167\" height=\"10\""))
        #expect(svg.contains("<rect x=\"460\" y=\"56\" width=\"83\" height=\"10\""))
        // bo<b>'s interval 0.8…1.2 → 593…660; the rejected name in red, escaped.
        #expect(svg.contains("<line x1=\"593\" y1=\"43\" x2=\"660\" y2=\"43\""))
        #expect(svg.contains("fill=\"#c30\">bo&lt;b&gt; (rejected)</text>"))
    }

    @Test func htmlEscapesClipAndRaterNames() {
        let html = ReportRender.scoresHTML(ScoresSection(criteria: [Self.mleCriterion(violations: [
            .init(rater: "bo<b>", rule: "outlier", count: 2, detail: "2:<b>&.mp4 z = 3.5"),
        ])]))
        #expect(!html.contains("<b>"))
        #expect(html.contains("2. 2:&lt;b&gt;&amp;.mp4</text>"))
        #expect(html.contains("<td>2:&lt;b&gt;&amp;.mp4</td><td>3.500</td><td>[2.700, 4.300]</td><td>3</td>"))
        #expect(html.contains("<td>bo&lt;b&gt;</td><td>P/Q rule: P = 3, Q = 0</td>"))
        #expect(html.contains("<td>bo&lt;b&gt;</td><td>outlier</td><td>2</td><td>2:&lt;b&gt;&amp;.mp4 z = 3.5</td>"))
    }

    @Test func mosShowsNoRaterChartAndSaysWhyP910WasNotUsed() {
        let units = [UnitScore(unit: 0, score: 4, standardError: 0.5, ci95: Interval(low: 3.02002, high: 4.97998), n: 2),
                     UnitScore(unit: 1, score: 2, standardError: nil, ci95: nil, n: 1)]
        let c = ScoresSection.Criterion(id: "q", scale: .interval, unitNames: ["a", "b"], raterNames: ["r1", "r2"], method: .mos,
                                        fallbackReason: "needs at least 2 ratings per rater", outcome: .scored(OpinionResult(method: .mos, units: units, raters: [])),
                                        violations: nil)
        let html = ReportRender.scoresHTML(ScoresSection(criteria: [c]))
        #expect(html.contains("<p>p910 is undefined on these ratings (needs at least 2 ratings per rater), so the scores are by mos (mean opinion score), docs/mos.md.</p>"))
        #expect(html.contains("<td>2</td><td>b</td><td>2.000</td><td>—</td><td>1</td>"))   // one rating: no interval
        #expect(html.contains("<p>mos estimates no rater bias or inconsistency (p910 does).</p>"))
        #expect(!html.contains("rater bias and inconsistency of"))                         // no rater chart
        #expect(html.contains("Quality rules: not evaluated"))
        // The bar of a clip without an interval is only its dot: axis 2…4.97998 from the data.
        #expect(html.contains("<circle cx=\"180\" cy=\"30\""))
    }

    @Test func undefinedEverywhereSaysWhy() throws {
        // One rater: undefined for every method (docs/mos.md), so the fallback is too.
        let data = try OpinionData(unitNames: ["a", "b"], raterNames: ["solo"], scores: [3, 4])
        let c = ScoresSection.Criterion(id: "q", scale: .interval, data: data, violations: nil)
        #expect(c.method == .mos)
        let preferred = try #require(OpinionScores.score(data, method: .p910).undefinedReason)
        let fallback = try #require(OpinionScores.score(data, method: .mos).undefinedReason)
        #expect(c.fallbackReason == preferred && c.outcome.undefinedReason == fallback)
        let md = ReportRender.scoresMarkdown(ScoresSection(criteria: [c]))
        // The reasons name the rater, so they are escaped as every user value is.
        #expect(md.contains("p910 is undefined on these ratings (\(MarkdownText.escape(preferred))), so the scores are by mos"))
        #expect(md.contains("No scores: mos is undefined too (\(MarkdownText.escape(fallback)))."))
        #expect(!md.contains("#### Rejected raters"))
    }

    @Test func manyClipsShowTheHighestAndLowestWithTheGapCounted() {
        let n = 63
        let units = (0..<n).map { UnitScore(unit: $0, score: Double($0) / 10, standardError: nil, ci95: nil, n: 1) }
        let c = ScoresSection.Criterion(id: "q", scale: .ratio, unitNames: (0..<n).map { "c\($0)" }, raterNames: ["a", "b"], method: .mos,
                                        fallbackReason: nil, outcome: .scored(OpinionResult(method: .mos, units: units, raters: [])),
                                        violations: [])
        let rows = Self.markdownRows(ReportRender.scoresMarkdown(ScoresSection(criteria: [c])), after: "### Scores: q")
        #expect(rows.count == 51)
        #expect(rows[0] == ["1", "c62", "6.200", "—", "1"] && rows[24][0...1] == ["25", "c38"])
        #expect(rows[25][0...1] == ["…", "… 13 clips between (all are in the JSON and CSV) …"])
        #expect(rows[26][0...1] == ["39", "c24"] && rows[50][0...1] == ["63", "c0"])
        // JSON has all 63, ranked.
        let json = ReportRender.scoresJSON(ScoresSection(criteria: [c]))
        let root = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let listed = ((root?["q"] as? [String: Any])?["units"] as? [[String: Any]]) ?? []
        #expect(listed.count == 63 && listed.first?["unit"] as? String == "c62" && listed.last?["rank"] as? Int == 63)
    }

    @Test func jsonAndCSVCarryFullPrecisionAndOmitWhatTheMethodDoesNotEstimate() throws {
        let s = ScoresSection(criteria: [Self.mleCriterion()], skipped: [(id: "kind", reason: "nominal")])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(ReportRender.scoresJSON(s).utf8)) as? [String: Any])
        let q = try #require(root["quality"] as? [String: Any])
        #expect(q["method"] as? String == "mle" && q["preferred_undefined"] == nil)
        let units = try #require(q["units"] as? [[String: Any]])
        #expect(units.map { $0["unit"] as? String } == ["3:c.mp4", "2:<b>&.mp4", "1:a.mp4"])
        #expect(units[0]["ci95"] as? [Double] == [3.8, 4.7] && units[0]["score"] as? Double == 4.3 && units[0]["n"] as? Int == 2)
        let raters = try #require(q["raters"] as? [[String: Any]])
        #expect(raters[1]["rater"] as? String == "bo<b>" && raters[1]["rejected"] as? Bool == true
                && raters[1]["reason"] as? String == "P/Q rule: P = 3, Q = 0" && raters[1]["bias_ci95"] as? [Double] == [-0.6, 0])
        #expect(raters[0]["reason"] == nil)
        #expect((root["kind"] as? [String: Any])?["undefined"] as? String == "nominal")
        let csv = ReportRender.scoresCSV(s).map { "\($0.0),\($0.1),\($0.2)" }
        #expect(csv.contains("scores.quality,unit.3:c.mp4.rank,1") && csv.contains("scores.quality,unit.3:c.mp4.ci95_upper,4.7"))
        #expect(csv.contains("scores.quality,rater.bo<b>.reason,P/Q rule: P = 3, Q = 0"))
        #expect(csv.contains("scores.kind,undefined,nominal"))
        // A mos result: no bias key at all.
        let mos = ScoresSection.Criterion(id: "m", scale: .ratio, unitNames: ["a"], raterNames: ["r"], method: .mos, fallbackReason: nil,
                                          outcome: .scored(OpinionResult(method: .mos, units: [], raters: [RaterFigures(rater: 0)])), violations: [])
        #expect(!ReportRender.scoresJSON(ScoresSection(criteria: [mos])).contains("bias"))
    }
}
