import Foundation
import Pairwise
@testable import Reports
import Rubric
import Store
import Testing

/// The report's Preferences section on a hand-made pairwise batch with known wins: the
/// win-rate matrix counts them, the scores are `Pairwise.fit`'s, the systems' matrix and
/// leaderboard read clips as their systems, each rater's position bias and circular triads
/// are the hand counts, models and clip names are left out where they must be, and a rubric
/// without a pairwise criterion has no section.
@Suite struct PreferencesSectionTests {
    static let rubric = try! Rubric.parse("""
        name: pref
        criteria:
          - id: overall
            question: Which is better?
            type: pairwise
            tie: true
          - id: notes
            question: Notes
            scale: text
        """, file: "pref.yaml")

    /// Clips x, y, z (and w, in the pool but never compared). Answers (a, b, winner, side):
    /// x–y: x wins 3, y 1, a tie; y–z: y 2, z 1; x–z: x 2, z 1. r1 is consistent (x > y > z);
    /// r2 (x > y, y > z, z > x) and r3 (y > x, x > z, z > y) each answer in a circle. Left
    /// wins of decisive answers: r1 3 of 4, r2 0 of 3, r3 2 of 3. The model m's one answer
    /// (z over x) is left out. Without pool item numbers the clips keep their names.
    static func stored(systems: [String?] = [nil, nil, nil, nil]) -> BatchComparisons {
        var c = BatchComparisons()
        c.clips = ["x", "y", "z", "w"]
        c.system = systems; c.group = [nil, nil, nil, nil]
        c.raters = ["r1", "r2", "r3", "m"]; c.raterIsModel = [false, false, false, true]
        let answers: [(Int32, Int32, Int32, String, Int8)] = [
            (0, 0, 1, "a", 0), (0, 0, 1, "a", 1), (0, 1, 2, "a", 0), (0, 0, 2, "a", 0), (0, 0, 1, "tie", 0),
            (1, 0, 1, "a", 1), (1, 1, 2, "a", 1), (1, 0, 2, "b", 0),
            (2, 1, 0, "a", 0), (2, 1, 2, "b", 0), (2, 2, 0, "b", 1),
            (3, 0, 2, "b", 0),
        ]
        for (r, a, b, v, left) in answers {
            c.rater.append(r); c.a.append(a); c.b.append(b); c.value.append(v); c.shownLeft.append(left); c.dwellMs.append(1000)
        }
        return c
    }

    static func section(_ stored: BatchComparisons = stored(), namingClips: Bool = true) throws -> PreferencesSection.Criterion {
        let s = try #require(try PreferencesSection.make(rubric: rubric, comparisons: ["overall": stored], namingClips: namingClips))
        #expect(s.criteria.map(\.id) == ["overall"])
        return s.criteria[0]
    }

    @Test func winRateMatrixCountsTheAnswers() throws {
        let c = try Self.section()
        let m = c.matrix
        #expect(m.axis == .item && m.entries == ["x", "y", "z"] && m.shown == [0, 1, 2] && m.omitted == 0)
        let cells = Dictionary(uniqueKeysWithValues: m.pairs.map { ("\(m.entries[$0.row])>\(m.entries[$0.column])", $0) })
        #expect(cells.count == 3)
        #expect(cells["x>y"].map { [$0.wins, $0.losses, $0.ties] } == [3, 1, 1])
        #expect(cells["x>z"].map { [$0.wins, $0.losses, $0.ties] } == [2, 1, 0])
        #expect(cells["y>z"].map { [$0.wins, $0.losses, $0.ties] } == [2, 1, 0])
        #expect(cells["x>y"]?.share == 0.75 && cells["y>z"]?.share == 2.0 / 3)
        // Seen from the column: the flipped cell.
        let both = m.cells(among: m.shown)
        #expect(both[1 * 3 + 0]?.share == 0.25 && both[1 * 3 + 0]?.ties == 1)
        #expect(ReportRender.matrixRows(m) == [["row beats column", "x", "y", "z"],
                                               ["x", "—", "0.750 (3/4), 1 tie", "0.667 (2/3)"],
                                               ["y", "0.250 (1/4), 1 tie", "—", "0.667 (2/3)"],
                                               ["z", "0.333 (1/3)", "0.333 (1/3)", "—"]])
    }

    @Test func scoresArePairwiseFitsOnPeoplesAnswers() throws {
        let c = try Self.section()
        // The model's answer is not among those fitted: 11 comparisons, not 12.
        #expect(c.data.count == 11)
        var people = Self.stored()
        people.rater.removeLast(); people.a.removeLast(); people.b.removeLast(); people.value.removeLast()
        people.shownLeft.removeLast(); people.dwellMs.removeLast()
        people.raters.removeLast(); people.raterIsModel.removeLast()
        let overall = try #require(Self.rubric.criterion("overall"))
        let direct = Pairwise.fit(try #require(BatchPairwise(people, criterion: overall)).data)
        #expect(c.data == (try #require(BatchPairwise(people, criterion: overall))).data)
        #expect(c.result == direct)
        #expect(c.scored.map { c.data.items[$0.item] } == ["x", "y", "z"])
        #expect(c.scored.map(\.wins) == [5, 3, 2] && c.scored.map(\.losses) == [2, 4, 4] && c.scored.map(\.ties) == [1, 1, 0])
        #expect(c.unscored.isEmpty)
        // w was never compared: neither ranked nor in the matrix.
        #expect(!c.ranked.contains { c.data.items[$0.item] == "w" })
        let text = ReportRender.preferencesJSON(PreferencesSection(criteria: [c], options: PairwiseOptions()))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let section = try #require(json["overall"] as? [String: Any])
        let fit = try #require(section["fit"] as? [String: Any])
        let items = try #require(fit["items"] as? [[String: Any]])
        for row in items where row["score"] is Double {
            let i = try #require(c.data.items.firstIndex(of: row["item"] as? String ?? ""))
            // Exact in the text; Foundation's parser on Linux may round the last digit.
            let score = try #require(direct.items[i].score), ci = try #require(direct.items[i].ci95)
            #expect(text.contains("\"score\": \(score), ") && text.contains("\"ci95\": [\(ci.0), \(ci.1)]"))
            #expect(abs((row["score"] as? Double ?? .nan) - score) < 1e-12)
        }
        #expect(section["comparisons"] as? Int == 11 && section["leaderboard"] is NSNull)
        let pairs = try #require((section["win_rate"] as? [String: Any])?["pairs"] as? [[String: Any]])
        #expect(pairs.first.map { "\($0["row"]!)|\($0["column"]!)|\($0["wins"]!)|\($0["losses"]!)|\($0["ties"]!)" } == "x|y|3|1|1")
    }

    @Test func ratersPositionBiasAndCircularTriadsAreTheHandCounts() throws {
        let c = try Self.section()
        let byName = Dictionary(uniqueKeysWithValues: c.result.raters.map { (c.data.raters[$0.rater], $0) })
        #expect(byName.keys.sorted() == ["r1", "r2", "r3"])
        #expect(byName["r1"]?.circularTriads == 0 && byName["r2"]?.circularTriads == 1 && byName["r3"]?.circularTriads == 1)
        func left(_ r: String) throws -> RaterFigures.Proportion { try #require(try byName[r]?.leftWins.get()) }
        #expect(try left("r1").share == 0.75 && left("r1").n == 4)
        #expect(try left("r2").share == 0 && left("r2").n == 3)
        #expect(try left("r3").share == 2.0 / 3 && left("r3").n == 3)
        let rows = ReportRender.preferenceRaterRows(c)
        #expect(rows[0] == ["rater", "comparisons", "left wins", "95% CI", "decisive", "circular triads", "Kendall's ζ"])
        // Wilson at 3 of 4 by hand: centre (0.75 + z²/8)/(1 + z²/4) = 0.6275, half-width
        // z/(1 + z²/4)·√(0.75·0.25/4 + z²/64) = 0.3269, so [0.301, 0.954].
        #expect(rows[1] == ["r1", "5", "0.750", "[0.301, 0.954]", "4", "0", "1.000"])
        #expect(rows[2][0] == "r2" && rows[2][2] == "0.000" && rows[2][5] == "1" && rows[2][6] == "0.000")
        let csv = ReportRender.preferencesCSV(PreferencesSection(criteria: [c], options: PairwiseOptions()))
        #expect(csv.contains { $0 == ("preferences.overall", "rater.r1.left_wins", "0.75") })
        #expect(csv.contains { $0 == ("preferences.overall", "rater.r2.circular_triads", "1") })
        #expect(csv.contains { $0 == ("preferences.overall", "win.x|y.ties", "1") })
    }

    /// Clips tagged alpha (x, z) and beta (y): the matrix is by system, x–z (same system) is
    /// left out, and alpha beats beta 4 of 7 decisive times with one tie.
    @Test func systemsWhenEveryClipIsTagged() throws {
        let c = try Self.section(Self.stored(systems: ["alpha", "beta", "alpha", nil]))
        let fit = try #require(c.systems)
        #expect(fit.sameSystem == 3 && fit.data.count == 8)
        #expect(c.matrix.axis == .system && Set(c.matrix.entries) == ["alpha", "beta"])
        let cell = try #require(c.matrix.pairs.first)
        let alphaRow = c.matrix.entries[cell.row] == "alpha"
        #expect((alphaRow ? cell.wins : cell.losses) == 4 && (alphaRow ? cell.losses : cell.wins) == 3 && cell.ties == 1)
        #expect(c.matrix.entries == ["alpha", "beta"])
        #expect(fit.result == Pairwise.fit(fit.data))
        let rows = ReportRender.systemRows(fit)
        #expect(rows.count == 3 && rows[1][1] == "alpha" && rows[2][1] == "beta" && rows[2][7] == "—")
        let above = try #require(try fit.rows[0].aboveNext?.get())
        #expect(rows[1][7] == fixed(above.probabilityAbove, 3) && above.probabilityAbove > 0.5)
        #expect(ReportRender.matrixText(c).contains("3 comparisons of two clips of the same system are left out"))
        // z without a tag: the leaderboard leaves its 6 comparisons out, the matrix is by clip.
        let partly = try Self.section(Self.stored(systems: ["alpha", "beta", nil, nil]))
        #expect(partly.matrix.axis == .item && partly.systems?.untagged == 6 && partly.systems?.data.count == 5)
        #expect(ReportRender.leaderboardText(partly)?.contains("Left out: 6 comparisons with a clip that has no system tag.") == true)
        // No tag at all: no leaderboard and nothing said about one.
        #expect(try Self.section().leaderboard == nil && ReportRender.leaderboardText(try Self.section()) == nil)
    }

    /// 60 clips in a chain, each beating the next twice and losing to it once: scores fall
    /// along the chain, so HTML and Markdown show c00…c14 and c45…c59 in the matrix and the
    /// 25 best and 25 worst scores, saying how many are between; JSON has every pair.
    @Test func beyondThirtyClipsTheBestAndTheWorst() throws {
        var c = BatchComparisons()
        c.clips = (0..<60).map { String(format: "c%02d", $0) }
        c.system = Array(repeating: nil, count: 60); c.group = c.system
        c.raters = ["r"]; c.raterIsModel = [false]
        for i in 0..<59 { for v in ["a", "a", "b"] {
            c.rater.append(0); c.a.append(Int32(i)); c.b.append(Int32(i + 1)); c.value.append(v); c.shownLeft.append(0); c.dwellMs.append(nil)
        } }
        let s = try Self.section(c)
        #expect(s.matrix.entries == c.clips && s.matrix.pairs.count == 59)
        #expect(s.matrix.shown == Array(0..<15) + Array(45..<60) && s.matrix.omitted == 30)
        #expect(ReportRender.matrixText(s).hasSuffix("The 15 best and the 15 worst of 60 clips by score (30 more between them); every pair is in the JSON and CSV."))
        let rows = ReportRender.matrixRows(s.matrix)
        #expect(rows.count == 31 && rows[0].count == 31 && rows[15][0] == "c14" && rows[16][0] == "c45" && rows[1][2] == "0.667 (2/3)")
        let shown = ReportRender.shownScored(s)
        #expect(shown.count == 51 && shown[25] == nil && shown[24]?.rank == 25 && shown[26]?.rank == 36)
        #expect(ReportRender.preferenceGapText(s) == "… 10 clips between (all are in the JSON and CSV) …")
        let html = ReportRender.winMatrixChart(s.matrix, id: "overall")
        #expect(html.contains(">c14</text>") && !html.contains(">c15</text>") && html.contains(">c45</text>"))
    }

    /// With pool item numbers, as Store reads them: a lead's section names clips ITEM:CLIP,
    /// an auditor's by number alone, as `concord pairwise --batch` names them.
    @Test func anAuditorsSectionNumbersTheClips() throws {
        var stored = Self.stored()
        stored.items = [101, 102, 103, 104]
        #expect(try Self.section(stored).matrix.entries == ["101:x", "102:y", "103:z"])
        let c = try Self.section(stored, namingClips: false)
        #expect(c.matrix.entries == ["101", "102", "103"])
        let md = ReportRender.preferencesMarkdown(PreferencesSection(criteria: [c], options: PairwiseOptions()))
        #expect(!md.contains("| x ") && md.contains("| 101 | — | 0.750 (3/4), 1 tie | 0.667 (2/3) |"))
    }

    @Test func noPairwiseCriterionNoSection() throws {
        let plain = try Rubric.parse("name: p\ncriteria:\n  - id: q\n    question: Good?\n    scale: nominal\n    options: [\"yes\", \"no\"]\n", file: "p.yaml")
        #expect(try PreferencesSection.make(rubric: plain, comparisons: [:]) == nil)
        #expect(ReportRender.preferencesMarkdown(nil).isEmpty && ReportRender.preferencesHTML(nil).isEmpty)
        #expect(ReportRender.preferencesField(nil).isEmpty)
    }

    @Test func aCriterionWithoutAnswersSaysSo() throws {
        var none = Self.stored()
        none.rater = []; none.a = []; none.b = []; none.value = []; none.shownLeft = []; none.dwellMs = []
        let c = try Self.section(none)
        #expect(c.undefinedReason == "no answers yet: nothing to scale")
        let s = PreferencesSection(criteria: [c], options: PairwiseOptions())
        #expect(ReportRender.preferencesMarkdown(s).contains("No scores: no answers yet: nothing to scale."))
        #expect(ReportRender.preferencesCSV(s).map { "\($0.1)=\($0.2)" } == ["undefined=no answers yet: nothing to scale"])
    }
}
