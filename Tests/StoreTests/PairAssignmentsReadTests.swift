import Foundation
import Rubric
import Store
import Testing

/// `pairAssignments(batch:)`: every rater's pairs, answered or not, and the batch's rubric —
/// what `assign --pairs` plans from so a rater never gets a pair twice — on both stores.
@Suite struct PairAssignmentsReadTests {
    typealias P = PairsStoreTests

    @Test(arguments: StoreKind.all)
    func listsEachRatersPairsInBatchOrderWithTheRubric(kind: StoreKind) throws {
        let project = try P.project(kind)
        let lee = try project.session("lee")
        #expect(try lee.pairAssignments(batch: "pb").assigned == [])
        let plan = [PairPlanEntry(rater: "bob", a: "p1.mp4", b: "p2.mp4", group: "g1"),
                    PairPlanEntry(rater: "alice", a: "p3.mp4", b: "p4.mp4", group: nil),
                    PairPlanEntry(rater: "alice", a: "p1.mp4", b: "p2.mp4", group: "g1")]
        #expect(try lee.assignPairs(batch: "pb", plan: plan) == 3)
        let read = try lee.pairAssignments(batch: "pb")
        #expect(read.rubric.name == "pref" && read.rubric.isPairwise)
        // Pair p1–p2 was created first; its raters by name. p3–p4 planned without a group
        // has its clips' group (g1), as the batch stored it.
        #expect(read.assigned == [PairPlanEntry(rater: "alice", a: "p1.mp4", b: "p2.mp4", group: "g1"),
                                  PairPlanEntry(rater: "bob", a: "p1.mp4", b: "p2.mp4", group: "g1"),
                                  PairPlanEntry(rater: "alice", a: "p3.mp4", b: "p4.mp4", group: "g1")])
        // An answered pair is still listed.
        let alice = try project.session("alice")
        let entry = try #require(alice.ratingQueue(batch: "pb").entries.first)
        _ = try alice.submitItem(ItemSubmission(item: entry.item, answers: ["better": "a"], frame: nil, pts: nil, dwellMs: 500, watchedShare: 1))
        #expect(try lee.pairAssignments(batch: "pb").assigned.count == 3)
    }

    @Test(arguments: StoreKind.all)
    func refusesRatersAndOneClipBatches(kind: StoreKind) throws {
        let project = try P.project(kind)
        P.refused(.permission, "alice is a rater and cannot assign work") { _ = try project.session("alice").pairAssignments(batch: "pb") }
        P.refused("rates one clip at a time") { _ = try project.admin.pairAssignments(batch: "b") }
        P.refused("no batch") { _ = try project.admin.pairAssignments(batch: "nope") }
    }
}
