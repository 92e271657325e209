import Foundation
import Rubric
import Store
import Testing

/// Pair assignments (docs/pairwise.md "Projects", "Position"): planned pairs and `assign
/// --overlap` in a pairwise batch give raters pairs, never the pool, each with the side the
/// rater sees clip a on, half a and half b per rater; the queue carries clip b and the side;
/// `comparisons` reads the answers back with those sides — on both stores.
@Suite struct PairAssignmentTests {
    typealias P = PairsStoreTests

    static func plan(_ rater: String, _ pairs: [(String, String)]) -> [PairPlanEntry] {
        pairs.map { PairPlanEntry(rater: rater, a: $0.0, b: $0.1, group: "g1") }
    }

    @Test(arguments: StoreKind.all)
    func plannedPairsGetBalancedSidesAndTheQueueShowsClipB(kind: StoreKind) throws {
        let project = try P.project(kind)
        let lee = try project.session("lee")
        let four = [("p1.mp4", "p2.mp4"), ("p3.mp4", "p4.mp4"), ("p1.mp4", "p3.mp4"), ("p2.mp4", "p4.mp4")]
        #expect(try lee.assignPairs(batch: "pb", plan: Self.plan("alice", four)) == 4)
        #expect(try lee.assignPairs(batch: "pb", plan: Self.plan("alice", four)) == 0)   // kept, not doubled
        #expect(try lee.assignPairs(batch: "pb", plan: Self.plan("bob", Array(four.prefix(3)))) == 3)
        let alice = try project.session("alice").ratingQueue(batch: "pb").entries
        #expect(alice.map(\.clip) == ["p1.mp4", "p3.mp4", "p1.mp4", "p2.mp4"])
        #expect(alice.map { $0.pair?.clipB } == ["p2.mp4", "p4.mp4", "p3.mp4", "p4.mp4"])
        #expect(alice.filter { $0.pair!.leftIsA }.count == 2)   // 4 pairs: a on the left in two
        let first = try #require(alice.first?.pair)
        #expect(first.clipBPath == "/clips/p2.mp4" && first.clipBSHA256 == String(format: "%064x", 502))
        #expect(first.clipBSizeBytes == 1002 && first.frameCountB == 52 && first.frameRateB == 25 && first.group == "g1")
        #expect(alice[0].frameCount == 51)   // the entry's own fields are clip a's
        let bob = try project.session("bob").ratingQueue(batch: "pb").entries
        #expect(bob.count == 3 && (1...2).contains(bob.filter { $0.pair!.leftIsA }.count))
        // A plan adding more for alice balances her whole batch: 4 + 2 = 6 → three a-left in all.
        #expect(try lee.assignPairs(batch: "pb", plan: Self.plan("alice", [("p1.mp4", "p4.mp4"), ("p2.mp4", "p3.mp4")])) == 2)
        let six = try project.session("alice").ratingQueue(batch: "pb").entries
        #expect(six.count == 6 && six.filter { $0.pair!.leftIsA }.count == 3)
        #expect(try project.admin.verifyAudit(anchors: []).intact)
    }

    @Test(arguments: StoreKind.all)
    func assignWithOverlapGivesPairsNotThePool(kind: StoreKind) throws {
        let project = try P.project(kind)
        P.refused("batch 'pb' has no pairs yet; add them with: concord pair add --batch pb --file pairs.csv") {
            _ = try project.admin.assign(batch: "pb", raters: ["alice"], overlap: nil, goldRate: nil)
        }
        _ = try project.admin.addPairs([PairRequest(a: "p1.mp4", b: "p2.mp4"), PairRequest(a: "p3.mp4", b: "p4.mp4"),
                                        PairRequest(a: "p1.mp4", b: "p4.mp4")], batch: "pb", rubric: nil)
        P.refused("batch 'pb' compares pairs; --gold-rate mixes gold questions into batches of single clips only: leave it out") {
            _ = try project.admin.assign(batch: "pb", raters: ["alice"], overlap: nil, goldRate: 0.1)
        }
        #expect(try project.admin.assign(batch: "pb", raters: ["alice", "bob"], overlap: 1, goldRate: nil) == 3)
        let alice = try project.session("alice").ratingQueue(batch: "pb").entries
        let bob = try project.session("bob").ratingQueue(batch: "pb").entries
        #expect(alice.map { "\($0.clip)-\($0.pair!.clipB)" } == ["p1.mp4-p2.mp4", "p1.mp4-p4.mp4"])
        #expect(bob.map { "\($0.clip)-\($0.pair!.clipB)" } == ["p3.mp4-p4.mp4"])
        #expect(alice.filter { $0.pair!.leftIsA }.count == 1)
        // batch b (one clip per item) is as before: no pair in its queue entries.
        #expect(try project.session("alice").ratingQueue(batch: "b").entries.allSatisfy { $0.pair == nil })
        #expect(try project.admin.verifyAudit(anchors: []).intact)
    }

    @Test(arguments: StoreKind.all)
    func badPlansAreRefusedWhole(kind: StoreKind) throws {
        let project = try P.project(kind)
        let lee = try project.session("lee")
        P.refused("no rater named 'zed'; add them with: concord rater add zed --role rater") {
            _ = try lee.assignPairs(batch: "pb", plan: Self.plan("alice", [("p1.mp4", "p2.mp4")]) + Self.plan("zed", [("p1.mp4", "p2.mp4")]))
        }
        P.refused("'aud' is an auditor; auditors read reports and do not label") {
            _ = try lee.assignPairs(batch: "pb", plan: Self.plan("aud", [("p1.mp4", "p2.mp4")]))
        }
        P.refused("the pair 'p1.mp4', 'nope.mp4': no clip named 'nope.mp4' in the project") {
            _ = try lee.assignPairs(batch: "pb", plan: Self.plan("alice", [("p1.mp4", "p2.mp4"), ("p1.mp4", "nope.mp4")]))
        }
        P.refused("the clip 'p1.mp4' is paired with itself") {
            _ = try lee.assignPairs(batch: "pb", plan: Self.plan("alice", [("p1.mp4", "p1.mp4")]))
        }
        P.refused("batch 'b' rates one clip at a time") {
            _ = try lee.assignPairs(batch: "b", plan: Self.plan("alice", [("c1.mp4", "c2.mp4")]))
        }
        P.refused(.permission, "alice is a rater and cannot assign work") {
            _ = try project.session("alice").assignPairs(batch: "pb", plan: Self.plan("alice", [("p1.mp4", "p2.mp4")]))
        }
        #expect(try project.session("alice").ratingQueue(batch: "pb").entries.isEmpty)
        #expect(try lee.comparisons(batch: "pb", criterion: "better").pairA.isEmpty)
    }

    @Test(arguments: StoreKind.all)
    func comparisonsReadTheAnswersWithTheirSidesAndDwell(kind: StoreKind) throws {
        let project = try P.project(kind)
        let lee = try project.session("lee")
        _ = try lee.addPairs([PairRequest(a: "p1.mp4", b: "p2.mp4"), PairRequest(a: "p3.mp4", b: "p4.mp4"),
                              PairRequest(a: "p1.mp4", b: "p3.mp4")], batch: "pb", rubric: nil)
        _ = try lee.assign(batch: "pb", raters: ["alice", "bob"], overlap: nil, goldRate: nil)
        var sides: [String: Int8] = [:]
        let answers: [String: [String]] = ["alice": ["a", "tie", "b"], "bob": ["b", "a", ""]]
        for rater in ["alice", "bob"] {
            let session = try project.session(rater)
            for (k, entry) in try session.ratingQueue(batch: "pb").entries.enumerated() {
                sides["\(rater)/\(entry.item)"] = entry.pair!.leftIsA ? 0 : 1
                guard !answers[rater]![k].isEmpty else { continue }
                _ = try session.submitItem(ItemSubmission(item: entry.item, answers: ["better": answers[rater]![k], "notes": "n"],
                                                          frame: 3, pts: 0.12, dwellMs: 1000 + k, watchedShare: 1))
            }
        }
        let read = try lee.comparisons(batch: "pb", criterion: "better")
        #expect(read.clips == ["p1.mp4", "p2.mp4", "p3.mp4", "p4.mp4"])
        #expect(read.items == [3, 4, 5, 6])
        #expect(read.system == ["x", "x", "y", "y"] && read.group == ["g1", "g1", "g1", "g1"])
        #expect(read.pairA == [0, 2, 0] && read.pairB == [1, 3, 2])
        #expect(read.raters == ["alice", "bob"] && read.raterIsModel == [false, false])
        // Pair items 7, 8, 9 in batch order, raters by name within each.
        #expect(read.rater == [0, 1, 0, 1, 0])
        #expect(read.a == [0, 0, 2, 2, 0] && read.b == [1, 1, 3, 3, 2])
        #expect(read.value == ["a", "b", "tie", "a", "b"])
        #expect(read.dwellMs == [1000, 1000, 1001, 1001, 1002])
        #expect(read.shownLeft == ["alice/7", "bob/7", "alice/8", "bob/8", "alice/9"].map { sides[$0]! })
        // Auditors read it as they read mos --batch; raters do not; only pairwise criteria.
        #expect(try project.session("aud").comparisons(batch: "pb", criterion: "better") == read)
        P.refused(.permission, "alice is a rater and cannot read agreement and progress of the whole project") {
            _ = try project.session("alice").comparisons(batch: "pb", criterion: "better")
        }
        P.refused("the rubric 'pref' of batch 'pb' has no pairwise criterion 'notes'; its pairwise criteria: better") {
            _ = try lee.comparisons(batch: "pb", criterion: "notes")
        }
        P.refused("batch 'b' rates one clip at a time") { _ = try lee.comparisons(batch: "b", criterion: "present") }
        P.refused("no batch named 'zz'") { _ = try lee.comparisons(batch: "zz", criterion: "better") }
    }
}
