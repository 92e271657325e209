import Foundation
import Reports
import Rubric
import Store
import Testing
@testable import Workbench

/// `concord adjudicate` on a pairwise batch, on a real project file (docs/adjudication.md
/// "Pairwise batches"): a pair enters the queue when its raters choose different winners
/// (strength words alone do not count); the entry names both clips; `1`/`2`/`3` give a, b and
/// the tie, a strength scale asks for the strength next; `Tab` flips the picture between
/// clip a and clip b; the vote list reads "a better (b was left)".
@Suite struct AdjudicatePairTests {
    static let rubricYAML = """
    name: pref
    criteria:
      - id: overall
        question: Which video would you rather use?
        type: pairwise
        tie: true
      - id: motion
        question: Which moves more naturally?
        type: pairwise
        strength: [much-better, better]
      - id: notes
        question: Notes
        scale: text
    """

    /// Clips p1–p4 in batch pb's pool; pairs p1 vs p2 (item 5) and p3 vs p4 (item 6) assigned
    /// to ann, ben and cat. Pair 1: overall a, b, a (queued); motion a/much-better, a/better,
    /// a/better (one winner: not queued). Pair 2: overall tie ×3 (not queued); motion
    /// b/better, a/better, b/much-better (queued).
    static func project() throws -> (ProjectStore, ProjectSession, AdjudicationModel) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("adjp-\(UUID().uuidString).db").path
        let store = try ProjectStore.create(path: path, name: "t", admin: "admin")
        let admin = try store.session(login: "admin")
        _ = try admin.addRubric(try Rubric.parse(rubricYAML, file: "pref.yaml"), sourcePath: "pref.yaml")
        for name in ["ann", "ben", "cat"] { try admin.addRater(name, role: .rater) }
        try admin.addRater("lee", role: .lead)
        let clips = (1...4).map { i in
            ClipFacts(path: "/c/p\(i).mp4", name: "p\(i).mp4", sha256: String(format: "%064x", 70 + i), sizeBytes: 1, codec: "h264",
                      duration: 1, frameRate: 25, frameCount: 25, width: 8, height: 8, rotation: 0)
        }
        _ = try admin.addClips(clips, batch: "pb", rubric: "pref")
        _ = try admin.addPairs([PairRequest(a: "p1.mp4", b: "p2.mp4"), PairRequest(a: "p3.mp4", b: "p4.mp4")], batch: "pb", rubric: nil)
        _ = try admin.assign(batch: "pb", raters: ["ann", "ben", "cat"], overlap: nil, goldRate: nil)
        let answers: [(String, Int64, String, String)] = [
            ("ann", 5, "a", "a/much-better"), ("ben", 5, "b", "a/better"), ("cat", 5, "a", "a/better"),
            ("ann", 6, "tie", "b/better"), ("ben", 6, "tie", "a/better"), ("cat", 6, "tie", "b/much-better"),
        ]
        for (rater, item, overall, motion) in answers {
            try store.session(login: "admin", actingAs: rater).submitItem(ItemSubmission(
                item: item, answers: ["overall": overall, "motion": motion], frame: 0, pts: 0, dwellMs: 3_000, watchedShare: 1))
        }
        let lead = try store.session(login: "admin", actingAs: "lee")
        let context = try lead.adjudicationContext(batch: "pb")
        return (store, lead, AdjudicationModel(batch: "pb", rubric: context.labels.rubric, entries: try AdjudicationQueue(context).entries))
    }

    static func keys(_ text: String) -> [Key] { AdjudicateModelTests.keys(text) }

    @Test func winnersDisagreeingQueueAPairAndTheEntryNamesBothClips() throws {
        let (_, _, model) = try Self.project()
        #expect(model.entries.map { "\($0.title):\($0.criterion)" }.sorted() == ["p1.mp4 vs p2.mp4:overall", "p3.mp4 vs p4.mp4:motion"])
        let motion = try #require(model.entries.first { $0.criterion == "motion" })
        #expect(motion.clip == "p3.mp4" && motion.clipB == "p4.mp4")
        #expect(motion.votes.map(\.value) == ["b/better", "a/better", "b/much-better"])
        // Nominal on the winners: 1 − 2/3 of the votes on the modal winner.
        #expect(abs(motion.magnitude - 1.0 / 3) < 1e-12)
        #expect(motion.votes.allSatisfy { $0.leftIsA != nil })
    }

    /// The posterior order takes a pairwise batch too: the same entries, each with the
    /// consensus of the criterion's stored values.
    @Test func thePosteriorOrderHoldsTheSameEntries() throws {
        let (_, lead, model) = try Self.project()
        let queue = try AdjudicationQueue(try lead.adjudicationContext(batch: "pb"), order: .posterior(.mv))
        #expect(Set(queue.entries.map(\.title)) == Set(model.entries.map(\.title)))
        #expect(queue.entries.map(\.clipB).allSatisfy { $0 != nil })
        let overall = try #require(queue.entries.first { $0.criterion == "overall" }?.consensus)
        // Majority vote on a, b, a: a with 2/3.
        #expect(overall.label == "a" && abs((overall.posterior.max() ?? 0) - 2.0 / 3) < 1e-12)
    }

    @Test func oneTwoThreeGiveATheBAndTheTie() throws {
        var (_, _, model) = try Self.project()
        while model.criterion?.id != "overall" { AdjudicateModelTests.press(&model, Self.keys("n")) }
        for (key, value) in [("1", "a"), ("2", "b"), ("3", "tie")] {
            #expect(AdjudicateModelTests.press(&model, Self.keys(key)).isEmpty)
            #expect(model.mode == .reason(value: value))
            AdjudicateModelTests.press(&model, [.escape])
        }
        #expect(AdjudicateModelTests.press(&model, Self.keys("4")).isEmpty)
        #expect(model.message == "4 is not an answer of overall; 1 a better · 2 b better · 3 tie")
        #expect(AdjudicateModelTests.press(&model, Self.keys("24\n")) == [.resolve(value: "b", reason: .genuineDisagreement, note: nil)])
        // A gold answer takes the same keys.
        AdjudicateModelTests.press(&model, [.escape])
        #expect(AdjudicateModelTests.press(&model, Self.keys("G1")) == [.addGold(value: "a")])
    }

    @Test func aStrengthScaleAsksForTheStrengthAndHasNoTie() throws {
        var (_, _, model) = try Self.project()
        while model.criterion?.id != "motion" { AdjudicateModelTests.press(&model, Self.keys("n")) }
        #expect(AdjudicateModelTests.press(&model, Self.keys("3")).isEmpty)
        #expect(model.message == "motion has no tie: 1 a better · 2 b better")
        #expect(model.mode == .normal)
        AdjudicateModelTests.press(&model, Self.keys("2"))
        #expect(model.mode == .strength(winner: "b", gold: false))
        #expect(model.message == "how much better is b? 1 much-better · 2 better (Esc cancels)")
        AdjudicateModelTests.press(&model, Self.keys("9"))
        #expect(model.mode == .strength(winner: "b", gold: false))
        AdjudicateModelTests.press(&model, Self.keys("1"))
        #expect(model.mode == .reason(value: "b/much-better"))
        AdjudicateModelTests.press(&model, [.escape])
        AdjudicateModelTests.press(&model, Self.keys("1") + [.escape])
        #expect(model.mode == .normal && model.message == "decision cancelled")
        #expect(AdjudicateModelTests.press(&model, Self.keys("G12")) == [.addGold(value: "a/better")])
    }

    @Test func tabFlipsBetweenClipAAndClipBAndMovingShowsClipA() throws {
        var (_, _, model) = try Self.project()
        let first = try #require(model.entry)
        #expect(model.shownClip == first.clip && !model.showsClipB)
        AdjudicateModelTests.press(&model, [.tab])
        #expect(model.showsClipB && model.shownClip == first.clipB)
        AdjudicateModelTests.press(&model, [.tab])
        #expect(model.shownClip == first.clip)
        AdjudicateModelTests.press(&model, [.tab] + Self.keys("n"))
        #expect(!model.showsClipB && model.shownClip == model.entry?.clip)
    }

    /// The pair entry's screen at 80×24 and 120×40: both clips named with the one on screen
    /// marked, the winners' counts under the keys, each vote with its side, then its dwell.
    @Test func theEntryScreen() throws {
        var (_, lead, model) = try Self.project()
        while model.criterion?.id != "overall" { AdjudicateModelTests.press(&model, Self.keys("n")) }
        let votes = try lead.votes(item: try #require(model.entry?.item))
        for (columns, rows) in ScreenSnapshotTests.sizes {
            let grid = CellGrid(columns: columns, rows: rows, colors: true)
            let layout = try #require(PaneLayout(columns: columns, rows: rows))
            AdjudicateScreen(grid: grid, layout: layout, lead: "lee")
                .draw(model: model, facts: .init(votes: votes, player: ScreenSnapshotTests.player, clipProblem: nil, votesProblem: nil))
            ScreenSnapshot.check(grid, name: "adjudicate-pair-\(columns)x\(rows)", title: "concord adjudicate: a pair")
            let lines = grid.lines.map { $0.trimmingCharacters(in: .whitespaces) }
            let sides = votes["overall"]?.map { $0.leftIsA == true ? "a" : "b" } ?? []
            #expect(lines.contains("ann   a better (\(sides[0]) was left)"))
            #expect(lines.contains("ben   b better (\(sides[1]) was left)"))
            #expect(lines.contains { $0.hasPrefix("1 a better (2) · 2 b better (1) ·") })
        }
    }

    /// The resolved value is stored relative to the pair and read back as the decision.
    @Test func aResolveKeyStoresTheWinnerOfThePair() throws {
        var (_, lead, model) = try Self.project()
        while model.criterion?.id != "overall" { AdjudicateModelTests.press(&model, Self.keys("n")) }
        let entry = try #require(model.entry)
        guard case .resolve(let value, let reason, let note)? = AdjudicateModelTests.press(&model, Self.keys("11ann misclicked\n")).first else {
            Issue.record("no resolve action"); return
        }
        try lead.resolve(item: entry.item, criterion: entry.criterion, value: value, reason: reason, note: note)
        let context = try lead.adjudicationContext(batch: "pb")
        #expect(context.resolutions[ItemCriterion(item: entry.item, criterion: "overall")]?.value == "a")
        #expect(try AdjudicationQueue(context).entries.map(\.criterion) == ["motion"])
    }
}
