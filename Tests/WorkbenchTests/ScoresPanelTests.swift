import Foundation
import OpinionScores
import Reports
import Store
import Testing
@testable import Workbench

/// The adjudicate dashboard's Scores panel: its lines from a section built by hand, its
/// place on the dashboard at 80×24 and 120×40 (snapshots), and `LiveScores` on a real
/// project file equal to the report's section computed afresh, before and after a rater
/// changes a score.
@Suite struct ScoresPanelTests {
    /// gap scored by mle: i3 highest, then i2, i4, i1, i5 (five clips); cat rejected; ann
    /// broke a quality rule twice.
    static func section() -> ScoresSection {
        let names = ["1:i1.mp4", "2:i2.mp4", "3:i3.mp4", "4:i4.mp4", "5:i5.mp4"]
        let scores = [12.5, 20, 31.25, 15, 2]
        let units = scores.enumerated().map { i, s in
            UnitScore(unit: i, score: s, standardError: 1, ci95: i == 4 ? nil : Interval(low: s - 1.96, high: s + 1.96), n: 3)
        }
        let raters = [RaterFigures(rater: 0, bias: 0.1), RaterFigures(rater: 1, bias: -0.1),
                      RaterFigures(rater: 2, bias: 0, rejected: true, reason: "P/Q rule")]
        let gap = ScoresSection.Criterion(
            id: "gap", scale: .ratio, unitNames: names, raterNames: ["ann", "ben", "cat"], method: .mle, fallbackReason: nil,
            outcome: .scored(OpinionResult(method: .mle, units: units, raters: raters)),
            violations: [.init(rater: "ann", rule: "watched_to_end", count: 2, detail: "")], range: 0...100)
        return ScoresSection(criteria: [gap], skipped: [(id: "kind", reason: "a nominal criterion has no mean")])
    }

    @Test func linesNameTheMethodCountsAndBothEndsOfTheRanking() {
        let lines = ScoresPanel.lines(criterion: "gap", section: Self.section(), problem: nil)
        #expect(lines.map(\.text) == [
            "gap: scores by mle · 5 clips · 1 rejected rater · 2 quality violations (1 rater)",
            "  highest  3:i3.mp4 31.250 [29.290, 33.210]   2:i2.mp4 20.000 [18.040, 21.960]   4:i4.mp4 15.000 [13.040, 16.960]",
            "  lowest   5:i5.mp4 2.000 [—]   1:i1.mp4 12.500 [10.540, 14.460]",
        ])
        #expect(lines.map(\.bold) == [true, false, false])
        // While newer labels are being scored the numbers shown say so.
        #expect(ScoresPanel.lines(criterion: "gap", section: Self.section(), problem: nil, updating: true).first?.text
                == "gap: scores by mle · 5 clips · 1 rejected rater · 2 quality violations (1 rater) · updating…")
        #expect(ScoresPanel.lines(criterion: "kind", section: Self.section(), problem: nil).map(\.text)
                == ["kind: no scores · a nominal criterion has no mean"])
        #expect(ScoresPanel.lines(criterion: "gap", section: nil, problem: nil).map(\.text) == ["gap: scores: computing…"])
        let failed = ScoresPanel.lines(criterion: "gap", section: nil, problem: "scores: the project file is busy")
        #expect(failed == [.init(text: "gap: scores: the project file is busy", color: .warning, bold: false)])
    }

    @Test func fallbackAndUndefinedSayWhy() {
        let undefined = ScoresSection.Criterion(id: "gap", scale: .ratio, unitNames: ["a"], raterNames: ["solo"], method: .mos,
                                                fallbackReason: "needs 2 raters", outcome: .undefined(reason: "needs 2 raters; 1 has rated"),
                                                violations: nil)
        #expect(ScoresPanel.lines(criterion: "gap", section: ScoresSection(criteria: [undefined]), problem: nil).map(\.text) == [
            "gap: scores by mos",
            "  p910 undefined: needs 2 raters",
            "  undefined: needs 2 raters; 1 has rated",
        ])
        let two = ScoresSection.Criterion(id: "gap", scale: .ratio, unitNames: ["a", "b"], raterNames: ["r", "s"], method: .mos,
                                          fallbackReason: nil, outcome: .scored(OpinionResult(method: .mos, units: [
                                              UnitScore(unit: 0, score: 1, standardError: nil, ci95: nil, n: 1),
                                              UnitScore(unit: 1, score: 2, standardError: nil, ci95: nil, n: 1)], raters: [])),
                                          violations: nil)
        // Two clips: both on the highest line, no lowest line; rules not evaluated.
        #expect(ScoresPanel.lines(criterion: "gap", section: ScoresSection(criteria: [two]), problem: nil).map(\.text) == [
            "gap: scores by mos · 2 clips · 0 rejected raters · quality rules not evaluated",
            "  highest  b 2.000 [—]   a 1.000 [—]",
        ])
    }

    @Test func dashboardWithThePanel() throws {
        let (lead, model, _) = try AdjudicateModelTests.modelAndStore()
        let live = try LiveAgreement(session: lead, batch: "b")
        _ = try live.refreshSlow(now: 0, force: true)
        for (columns, rows) in ScreenSnapshotTests.sizes {
            let grid = CellGrid(columns: columns, rows: rows, colors: true)
            DashboardScreen(grid: grid, columns: columns, rows: rows).draw(.init(
                batch: model.batch, lead: "lee", items: live.context.labels.items.count, views: live.views,
                gold: live.goldAccuracy, focus: 1, updated: "updated 12:00:00", appliedChanges: 0, scores: (Self.section(), nil, false)))
            ScreenSnapshot.check(grid, name: "dashboard-scores-\(columns)x\(rows)", title: "concord adjudicate: dashboard with scores")
        }
    }

    /// The panel's lines from `LiveScores` and from the report's section computed afresh
    /// from the same project file.
    static func panels(_ live: LiveScores, _ lead: ProjectSession) throws -> ([String], [String]) {
        let fresh = try ScoresSection(labels: lead.labelsForAgreement(batch: "b"), viewing: lead.viewing(batch: "b"))
        return (ScoresPanel.lines(criterion: "gap", section: live.section, problem: live.problem).map(\.text),
                ScoresPanel.lines(criterion: "gap", section: fresh, problem: nil).map(\.text))
    }

    @Test func liveScoresEqualTheReportsSectionBeforeAndAfterARaterChangesAScore() throws {
        let (lead, _, store) = try AdjudicateModelTests.modelAndStore()
        let live = LiveScores(session: lead, batch: "b")
        #expect(live.section == nil && ScoresPanel.lines(criterion: "gap", section: nil, problem: nil).map(\.text) == ["gap: scores: computing…"])
        live.refresh()
        live.finish()
        #expect(!live.isUpdating)
        let (before, expected) = try Self.panels(live, lead)
        #expect(live.problem == nil && before == expected)
        // Imported labels have no viewing record: nothing broke a rule yet.
        #expect(before.first?.contains("· 3 clips · ") == true && before.first?.contains("· 0 quality violations") == true)
        // ann re-rates i3 from the workbench with half the clip seen: a score and a violation.
        let ann = try store.session(login: "admin", actingAs: "ann")
        try ann.submitItem(ItemSubmission(item: 3, answers: ["kind": "car", "gap": "95"], frame: 0, pts: 0, dwellMs: 900, watchedShare: 0.5))
        #expect(try Self.panels(live, lead).0 == before)   // until refreshed
        live.refresh()
        // Scored on a thread of its own: the old numbers stay until collected.
        #expect(try Self.panels(live, lead).0 == before)
        live.finish()
        let (after, again) = try Self.panels(live, lead)
        #expect(after == again && after != before && live.refreshes == 2)
        #expect(after.first?.contains("· 1 quality violation (1 rater)") == true)
        // By p910 (the default), as sureal 0.9.0's P910 gives them (sureal_reference.py): cat,
        // the one consistent rater, anchors the scores; ann's 95 for i3 (5, 5, 5 → 95, 5, 5)
        // goes mostly into her bias (−3.333 → +16.667), so i3 rises by 10 but stays lowest.
        #expect(before.first { $0.hasPrefix("  highest") }
                == "  highest  1:i1.mp4 23.333 [17.999, 28.668]   2:i2.mp4 13.333 [2.665, 24.002]   3:i3.mp4 8.333 [2.999, 13.668]")
        #expect(after.first { $0.hasPrefix("  highest") }
                == "  highest  1:i1.mp4 33.333 [19.220, 47.447]   2:i2.mp4 23.333 [0.082, 46.585]   3:i3.mp4 18.333 [-16.646, 53.313]")
    }
}
