import Foundation
import Rubric
import Store
import Testing

/// What a lead reads of a pair item to adjudicate it (docs/adjudication.md "Pairwise
/// batches"): clip b's file and the group (`AdjudicationContext.pairs`), and the side each
/// rater saw clip a on — per rater in the context, per vote in `votes(item:)` — equal to the
/// side the rater's own queue showed. The same on both stores.
@Suite struct PairAdjudicationTests {
    /// PairsStoreTests' project with pairs p1–p3 (group g1) and p2–p4 assigned to alice and
    /// bob, who answer the first pair a and b. Returns the project, the pair's item and each
    /// rater's side as their own queue shows it.
    static func answered(_ kind: StoreKind) throws -> (TestProject, Int64, [String: Bool]) {
        let project = try PairsStoreTests.project(kind)
        let lee = try project.session("lee")
        let added = try lee.addPairs([PairRequest(a: "p1.mp4", b: "p3.mp4", group: "g1"), PairRequest(a: "p2.mp4", b: "p4.mp4")],
                                     batch: "pb", rubric: nil)
        let item = added[0].item
        _ = try project.admin.assign(batch: "pb", raters: ["alice", "bob"], overlap: nil, goldRate: nil)
        var sides: [String: Bool] = [:]
        for (rater, value) in [("alice", "a"), ("bob", "b")] {
            let session = try project.session(rater)
            let entry = try #require(try session.ratingQueue(batch: "pb").entries.first { $0.item == item })
            sides[rater] = try #require(entry.pair).leftIsA
            try session.submitItem(ItemSubmission(item: item, answers: ["better": value], frame: 0, pts: 0, dwellMs: 4_000, watchedShare: 1))
        }
        return (project, item, sides)
    }

    @Test(arguments: StoreKind.all)
    func theLeadReadsClipBAndEachRatersSide(kind: StoreKind) throws {
        let (project, item, sides) = try Self.answered(kind)
        let lee = try project.session("lee")
        let context = try lee.adjudicationContext(batch: "pb")
        let p3 = PairsStoreTests.clip(3)
        #expect(context.pairs[item] == PairFacts(clipB: ClipFile(name: "p3.mp4", sha256: p3.sha256, sizeBytes: 1003, recordedPath: "/clips/p3.mp4"),
                                                 group: "g1", leftIsA: sides))
        // The clip a of the item is the item's own clip, as for any item.
        #expect(context.clipFiles[item]?.name == "p1.mp4")
        // Both pairs are in the context, each with a side for every rater it is assigned to,
        // answered or not (the side is the assignment's).
        #expect(context.pairs.count == 2)
        #expect(context.pairs.values.allSatisfy { Set($0.leftIsA.keys) == ["alice", "bob"] })
        let votes = try #require(try lee.votes(item: item)["better"])
        #expect(votes.map(\.rater) == ["alice", "bob"])
        #expect(votes.map(\.value) == ["a", "b"])
        #expect(votes.map(\.leftIsA) == [sides["alice"], sides["bob"]])
        // A one-clip batch has no pairs, and its votes no side.
        #expect(try lee.adjudicationContext(batch: "b").pairs.isEmpty)
        try project.session("alice").submitItem(ItemSubmission(item: 1, answers: ["present": "yes", "severity": "low"], frame: 0, pts: 0,
                                                               dwellMs: 1_000, watchedShare: 1))
        #expect(try lee.votes(item: 1)["present"]?.map(\.leftIsA) == [nil])
    }

    /// A clip's name is its pool item and the pairs it is clip a of: `resolve` by name says
    /// to give the item number; the number works, and a send-back of a pair works as of any item.
    @Test(arguments: StoreKind.all)
    func aPairIsNamedByItsNumberAndSentBackAsAnyItem(kind: StoreKind) throws {
        let (project, item, _) = try Self.answered(kind)
        let lee = try project.session("lee")
        #expect(throws: StoreError.self) { _ = try lee.item("p1.mp4", batch: "pb") }
        do { _ = try lee.item("p1.mp4", batch: nil) } catch let error as StoreError {
            #expect(error.message == "the clip 'p1.mp4' is in 2 items of batch 'pb' (its pool item and the pairs it is clip a of); give the item number concord queue prints")
        }
        #expect(try lee.item(String(item), batch: nil) == item)
        try lee.sendBack(item: item, raters: ["bob"], note: "play both to the end")
        #expect(try lee.pendingSendBacks(batch: "pb") == [item: ["bob"]])
        try lee.resolve(item: item, criterion: "better", value: "b", reason: .genuineDisagreement, note: nil)
        #expect(try lee.adjudicationContext(batch: "pb").resolutions[ItemCriterion(item: item, criterion: "better")]?.value == "b")
    }
}
