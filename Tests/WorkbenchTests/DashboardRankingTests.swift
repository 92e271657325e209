import Foundation
import Reports
import Store
import Testing
@testable import Workbench

/// The dashboard of a pairwise batch: agreement of a pairwise criterion as for a nominal one,
/// and for the focused pairwise criterion the Ranking panel in place of the Scores panel —
/// systems by Bradley–Terry score when the clips are tagged, the numbers `LiveRanking` fits
/// (snapshots at 80×24 and 120×40, recorded as `ScreenSnapshot` says).
@Suite struct DashboardRankingTests {
    /// AdjudicatePairTests' project with p1, p3 made by system x and p2, p4 by y: on
    /// `overall`, x beats y twice and loses once on the first pair, and ties three times on the
    /// second.
    static func tagged() throws -> (ProjectSession, AdjudicationModel) {
        let (store, lead, model) = try AdjudicatePairTests.project()
        let admin = try store.session(login: "admin")
        _ = try admin.tagClips((1...4).map { ClipTag(clip: "p\($0).mp4", group: "g1", system: $0 % 2 == 1 ? "x" : "y") })
        return (lead, model)
    }

    @Test func theFocusedPairwiseCriterionShowsItsRanking() throws {
        let (lead, model) = try Self.tagged()
        let live = try LiveAgreement(session: lead, batch: "pb")
        _ = try live.refreshSlow(now: 0, force: true)
        let ranking = LiveRanking(session: lead, batch: "pb", rubric: live.context.labels.rubric)
        ranking.refresh()
        ranking.finish()
        let overall = try #require(ranking.rankings["overall"])
        #expect(overall.subject == .systems && overall.rows.map(\.name) == ["x", "y"] && overall.comparisons == 6)
        // The live numbers are those of a fit on the same answers.
        let criterion = try #require(live.context.labels.rubric.criterion("overall"))
        let read = try #require(LiveRanking.input(try lead.comparisons(batch: "pb", criterion: "overall"), criterion: criterion))
        #expect(PairwiseRanking(read) == overall)
        #expect(live.views.map(\.criterion.id) == ["overall", "motion"])
        for (columns, rows) in ScreenSnapshotTests.sizes {
            let grid = CellGrid(columns: columns, rows: rows, colors: true)
            DashboardScreen(grid: grid, columns: columns, rows: rows).draw(.init(
                batch: model.batch, lead: "lee", items: live.context.labels.items.count, views: live.views,
                gold: live.goldAccuracy, focus: 0, updated: "updated 12:00:00", appliedChanges: 0,
                rankings: (ranking.rankings, ranking.problem, false)))
            ScreenSnapshot.check(grid, name: "dashboard-ranking-\(columns)x\(rows)", title: "concord adjudicate: dashboard of a pairwise batch")
            #expect(grid.lines.contains { $0.contains("overall: systems by Bradley–Terry score · 2 systems · 6 comparisons") })
        }
    }

    /// Live: a rater's new answer is picked up by the live numbers' poll, the slow refresh
    /// that follows is what refits the ranking (as the app wires it), and the panel's numbers
    /// are then those of the answers with the new one.
    @Test func aNewAnswerChangesTheRankingAfterTheSlowRefresh() throws {
        let (first, _, _) = try AdjudicatePairTests.project()
        // The lead's own connection: the poll hears commits of other connections (as in the app).
        let lead = try ProjectStore.open(path: first.path).session(login: "admin", actingAs: "lee")
        let store = try ProjectStore.open(path: first.path)
        let admin = try store.session(login: "admin")
        let live = try LiveAgreement(session: lead, batch: "pb")
        let ranking = LiveRanking(session: lead, batch: "pb", rubric: live.context.labels.rubric)
        _ = try live.refreshSlow(now: 0, force: true)
        ranking.refresh()
        ranking.finish()
        #expect(ranking.rankings["overall"]?.comparisons == 6)
        // dan joins and prefers p2 in the first pair, from another session.
        try admin.addRater("dan", role: .rater)
        _ = try admin.assign(batch: "pb", raters: ["dan"], overlap: nil, goldRate: nil)
        _ = try store.session(login: "admin", actingAs: "dan").submitItem(ItemSubmission(
            item: 5, answers: ["overall": "b", "motion": "b/better"], frame: 0, pts: 0, dwellMs: 2_000, watchedShare: 1))
        #expect(try live.poll(now: 10).items == [5])
        #expect(try live.refreshSlow(now: 10))
        ranking.refresh()
        ranking.finish()
        let overall = try #require(ranking.rankings["overall"])
        #expect(overall.comparisons == 7)
        let criterion = try #require(live.context.labels.rubric.criterion("overall"))
        let read = try #require(LiveRanking.input(try lead.comparisons(batch: "pb", criterion: "overall"), criterion: criterion))
        let fresh = PairwiseRanking(read)
        #expect(overall == fresh)
        #expect(ranking.refreshes == 2)
    }

    /// Before the first fit the panel says it is computing; a one-clip batch has no panel.
    @Test func thePanelSaysComputingFirstAndOneClipBatchesHaveNone() throws {
        #expect(RankingPanel.lines(criterion: "overall", ranking: nil, problem: nil, updating: false).map(\.text) == ["overall: ranking: computing…"])
        #expect(RankingPanel.lines(criterion: "overall", ranking: nil, problem: "ranking: no batch", updating: false).map(\.text)
                == ["overall: ranking: no batch"])
        let (lead, _) = try AdjudicateModelTests.model()
        let ranking = LiveRanking(session: lead, batch: "b", rubric: try lead.adjudicationContext(batch: "b").labels.rubric)
        #expect(ranking.isEmpty)
        ranking.refresh()
        #expect(ranking.refreshes == 0 && ranking.rankings.isEmpty)
    }
}
