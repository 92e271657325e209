import Foundation
import Pairwise
import Rubric
import Store
import Testing
@testable import Reports

/// `PairPlanner.plan` on a project (SQLite; the Store read it uses runs on both stores,
/// PairAssignmentsReadTests): plans that `assignPairs` writes, and adaptive plans that
/// follow the answers.
@Suite struct PairPlannerProjectTests {
    /// Prompts g1 (x1, y1, z1) and g2 (x2, y2, z2), systems X, Y, Z; raters ann and ben,
    /// the lead lee.
    static func project() throws -> (store: ProjectStore, lead: ProjectSession) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pairplan-\(UUID().uuidString).db").path
        let store = try ProjectStore.create(path: path, name: "t", admin: "admin")
        let admin = try store.session(login: "admin")
        _ = try admin.addRubric(try Rubric.parse(PairwiseBatchTests.rubricYAML, file: "pref.yaml"), sourcePath: "pref.yaml")
        for (name, role) in [("ann", Role.rater), ("ben", .rater), ("lee", .lead)] { try admin.addRater(name, role: role) }
        let names = ["x1.mp4", "y1.mp4", "z1.mp4", "x2.mp4", "y2.mp4", "z2.mp4"]
        _ = try admin.addClips(names.enumerated().map { PairwiseBatchTests.clip($1, $0) }, batch: "pb", rubric: "pref")
        _ = try admin.tagClips(names.map { ClipTag(clip: $0, group: $0.contains("1") ? "g1" : "g2", system: String($0.prefix(1))) })
        return (store, try store.session(login: "admin", actingAs: "lee"))
    }

    @Test func allWithinGroupAssignsEveryPairOfEachPromptToEveryRater() throws {
        let (store, lead) = try Self.project()
        let plan = try PairPlanner.plan(lead, batch: "pb", criterion: nil, raters: ["ann", "ben"], mode: .allWithinGroup, perRater: nil, seed: 3)
        #expect(plan.count == 2 * (3 + 3))
        #expect(try lead.assignPairs(batch: "pb", plan: plan) == 12)
        // Planned again: the same pairs, all kept, none new.
        #expect(try lead.assignPairs(batch: "pb", plan: PairPlanner.plan(lead, batch: "pb", criterion: nil, raters: ["ann", "ben"],
                                                                        mode: .allWithinGroup, perRater: nil, seed: 3)) == 0)
        let queue = try store.session(login: "admin", actingAs: "ann").ratingQueue(batch: "pb").entries
        #expect(queue.count == 6)
        #expect(Set(queue.map { [$0.clip, $0.pair!.clipB].sorted().joined(separator: " ") }) == [
            "x1.mp4 y1.mp4", "x1.mp4 z1.mp4", "y1.mp4 z1.mp4", "x2.mp4 y2.mp4", "x2.mp4 z2.mp4", "y2.mp4 z2.mp4"])
        #expect(queue.allSatisfy { $0.pair!.group == ($0.clip.contains("1") ? "g1" : "g2") })
    }

    @Test func adaptiveFollowsTheAnswersAndNeverRepeatsAPair() throws {
        let (store, lead) = try Self.project()
        #expect(throws: StoreError.self) {
            _ = try PairPlanner.plan(lead, batch: "pb", criterion: nil, raters: ["ann"], mode: .adaptive, perRater: nil, seed: 1)
        }
        // Round one: no answers yet, so any two pairs per rater, each within a prompt.
        let first = try PairPlanner.plan(lead, batch: "pb", criterion: "motion", raters: ["ann", "ben"], mode: .adaptive, perRater: 2, seed: 1)
        #expect(first.count == 4 && first.filter { $0.rater == "ann" }.count == 2)
        #expect(first.allSatisfy { $0.group == ($0.a.contains("1") ? "g1" : "g2") && $0.b.contains($0.a.contains("1") ? "1" : "2") })
        #expect(try lead.assignPairs(batch: "pb", plan: first) == 4)
        // Ann answers her pairs: the first clip always wins.
        let ann = try store.session(login: "admin", actingAs: "ann")
        for entry in try ann.ratingQueue(batch: "pb").entries {
            _ = try ann.submitItem(ItemSubmission(item: entry.item, answers: ["motion": "a"], frame: nil, pts: nil, dwellMs: 700, watchedShare: 1))
        }
        // Everything else, in as many rounds as it takes: 6 pairs per rater in all, never one twice.
        var mine = Set(first.filter { $0.rater == "ann" }.map { [$0.a, $0.b].sorted() })
        for round in 0..<5 {
            let next = try PairPlanner.plan(lead, batch: "pb", criterion: nil, raters: ["ann"], mode: .adaptive, perRater: 1, seed: UInt64(10 + round))
            for entry in next { #expect(mine.insert([entry.a, entry.b].sorted()).inserted, "\(entry) again") }
            _ = try lead.assignPairs(batch: "pb", plan: next)
        }
        #expect(mine.count == 6)
        #expect(try PairPlanner.plan(lead, batch: "pb", criterion: nil, raters: ["ann"], mode: .adaptive, perRater: 3, seed: 99).isEmpty)
    }
}
