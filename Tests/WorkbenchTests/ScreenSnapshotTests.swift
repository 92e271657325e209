import Foundation
import Reports
import Store
import Testing
@testable import Workbench

/// Every screen of both workbenches drawn from a model state into a grid at 80×24 and
/// 120×40 and compared with its text in `Snapshots/` (see `ScreenSnapshot` for recording
/// them again). The tmux tests check the same screens end to end, on a real terminal.
@Suite struct ScreenSnapshotTests {
    static let sizes = [(80, 24), (120, 40)]

    /// A rubric with guidance to show on the help screen, and a question and a clip name of
    /// wide characters (each takes two cells).
    static let rubricYAML = """
    name: cutin
    criteria:
      - id: present
        question: 車線変更 — is there a cut-in into the ego lane?
        scale: nominal
        options:
          - {value: "yes", label: "yes", description: "a vehicle enters the ego lane ahead"}
          - {value: "no", label: "no"}
          - {value: unclear, label: unclear, description: "the view does not say"}
        help: A cut-in is a vehicle from a neighbouring lane ending up ahead of the ego vehicle within 3 s.
      - id: severity
        question: How severe was it?
        scale: ordinal
        options: [none, minor, severe]
        when: {present: "yes"}
      - id: ttc
        question: Time to collision, in seconds?
        scale: ratio
        range: [0, 10]
        step: 0.1
        when: {present: "yes"}
      - id: notes
        question: Notes
        scale: text
    """

    static func rating(_ keys: String) throws -> RatingModel {
        let session = try RatingModelTests.session(rubric: rubricYAML, clipName: { $0 == 1 ? "交差点-0\($0).mp4" : "highway-0\($0).mp4" })
        var model = RatingModel(queue: try session.ratingQueue())
        // A submission is saved by the app; here it is taken as saved.
        for key in RatingModelTests.keys(keys) {
            if case .submit(let answers) = model.handle(key) { model.didSubmit(answers) }
        }
        return model
    }

    /// Frame 12 of 50, frames 0–12 seen: the timeline's bar shows the seen share.
    static var player: Player {
        var player = Player(frameCount: 50, frameRate: 25)
        for _ in 0..<12 { player.step(1, now: 0) }
        return player
    }

    static func rate(_ name: String, keys: String, player: Player? = ScreenSnapshotTests.player) throws {
        let model = try rating(keys)
        for (columns, rows) in sizes {
            let grid = CellGrid(columns: columns, rows: rows, colors: true)
            let layout = try #require(PaneLayout(columns: columns, rows: rows, pictureAspect: 16.0 / 9.0 * 2))
            RateScreen(grid: grid, layout: layout, rater: "ann").draw(model: model, player: player, secondsOnItem: 83, clipProblem: nil)
            ScreenSnapshot.check(grid, name: "\(name)-\(columns)x\(rows)", title: "concord rate: \(name)")
        }
    }

    @Test func rate() throws { try Self.rate("rate", keys: "1") }
    @Test func rateHelp() throws { try Self.rate("rate-help", keys: "?") }
    @Test func rateSkipPrompt() throws { try Self.rate("rate-skip", keys: "sblurry") }
    @Test func rateFlagPrompt() throws { try Self.rate("rate-flag", keys: "fcheck 3 s") }
    @Test func rateQueueDone() throws {
        // Three items answered "no" and submitted: the end of the queue.
        try Self.rate("rate-done", keys: "2\n2\n2\n", player: nil)
    }

    static func adjudicate(_ name: String, keys: String) throws {
        let (lead, start, _) = try AdjudicateModelTests.modelAndStore()
        var model = start
        AdjudicateModelTests.press(&model, AdjudicateModelTests.keys(keys))
        let votes = try model.entry.map { try lead.votes(item: $0.item) } ?? [:]
        for (columns, rows) in sizes {
            let grid = CellGrid(columns: columns, rows: rows, colors: true)
            let layout = try #require(PaneLayout(columns: columns, rows: rows))
            AdjudicateScreen(grid: grid, layout: layout, lead: "lee")
                .draw(model: model, facts: .init(votes: votes, player: player, clipProblem: nil, votesProblem: nil))
            ScreenSnapshot.check(grid, name: "\(name)-\(columns)x\(rows)", title: "concord adjudicate: \(name)")
        }
    }

    @Test func adjudicate() throws { try Self.adjudicate("adjudicate", keys: "") }
    /// The next entry (a nominal criterion) and a final value keyed in: the decision block asks for the reason.
    @Test func adjudicateReason() throws { try Self.adjudicate("adjudicate-reason", keys: "n1") }
    @Test func adjudicateHelp() throws { try Self.adjudicate("adjudicate-help", keys: "?") }

    @Test func dashboard() throws {
        let (lead, model, _) = try AdjudicateModelTests.modelAndStore()
        let live = try LiveAgreement(session: lead, batch: "b")
        _ = try live.refreshSlow(now: 0, force: true)   // the intervals, pairs and leave-one-out computed
        for (columns, rows) in Self.sizes {
            let grid = CellGrid(columns: columns, rows: rows, colors: true)
            DashboardScreen(grid: grid, columns: columns, rows: rows).draw(.init(
                batch: model.batch, lead: "lee", items: live.context.labels.items.count, views: live.views,
                gold: live.goldAccuracy, focus: 0, updated: "updated 12:00:00", appliedChanges: 0))
            ScreenSnapshot.check(grid, name: "dashboard-\(columns)x\(rows)", title: "concord adjudicate: dashboard")
        }
    }

    /// Below 80×24 neither workbench draws: the warning, wrapped to what there is.
    @Test func tooSmall() {
        for (program, columns, rows) in [("rate", 40, 12), ("adjudicate", 79, 24)] {
            let grid = CellGrid(columns: columns, rows: rows, colors: true)
            PaneLayout.drawTooSmall(program: program, into: grid)
            ScreenSnapshot.check(grid, name: "too-small-\(program)-\(columns)x\(rows)", title: "concord \(program): too small")
        }
    }
}
