import Foundation
import Rubric
import Store
import Testing
@testable import Workbench

/// The adjudication vote list says what each vote was judged on ("kitty 640×360"), and
/// nothing for a vote without a recorded display (an import).
@Suite struct AdjudicateDisplayTests {
    @Test func eachVoteLineShowsItsDisplay() throws {
        let (lead, model, store) = try AdjudicateModelTests.modelAndStore()
        let item = try #require(model.entry?.item)
        // ann resubmits the item from the workbench in kitty, ben through the player; cat's
        // votes stay imported.
        let ann = try store.session(login: "admin", actingAs: "ann"), ben = try store.session(login: "admin", actingAs: "ben")
        try ann.submitItem(ItemSubmission(item: item, answers: ["kind": "bike", "gap": "7"], frame: 0, pts: 0, dwellMs: 1_000,
                                          watchedShare: 1, display: DisplayRecord(mode: .kitty, width: 640, height: 360, colors: "24-bit")))
        try ben.submitItem(ItemSubmission(item: item, answers: ["kind": "car", "gap": "7"], frame: 0, pts: 0, dwellMs: 2_000,
                                          watchedShare: 0.5, display: DisplayRecord(mode: .player, width: 1920, height: 1080, colors: "24-bit")))
        let votes = try lead.votes(item: item)
        #expect(votes[model.entry!.criterion]?.map { "\($0.rater) \($0.display ?? "-")" } == ["ann kitty 640×360", "ben player 1920×1080", "cat -"])
        let grid = CellGrid(columns: 120, rows: 40, colors: false)
        let layout = try #require(PaneLayout(columns: 120, rows: 40))
        AdjudicateScreen(grid: grid, layout: layout, lead: "lee")
            .draw(model: model, facts: .init(votes: votes, player: nil, clipProblem: nil, votesProblem: nil))
        // Each vote line, and the line under it: the display, under the value.
        let lines = grid.lines.map { $0.trimmingCharacters(in: .whitespaces) }
        let start = try #require(lines.firstIndex(of: "Votes"))
        #expect(Array(lines[(start + 1)...(start + 5)]) == [
            "ann   7          dwell 0:01 · seen 100%", "on kitty 640×360",
            "ben   7          dwell 0:02 · seen 50%", "on player 1920×1080",
            "cat   10         dwell — · seen —",
        ])
    }
}
