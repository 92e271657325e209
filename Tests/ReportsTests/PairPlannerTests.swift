import Foundation
import Pairwise
import Rubric
import Store
import Testing
@testable import Reports

/// `PairPlanner` (docs/pairwise.md "Choosing pairs"): all-within-group gives every rater
/// every pair of each group; adaptive gives each rater new pairs within groups, never one
/// they have; both refuse what cannot be planned with a message saying what to do.
@Suite struct PairPlannerTests {
    static func pool(_ groups: [String: Int], untagged: [String] = []) -> [PoolClip] {
        groups.keys.sorted().flatMap { g in (1...groups[g]!).map { PoolClip(clip: "\(g)-\($0)", group: g, system: "s\($0 % 2)") } }
            + untagged.map { PoolClip(clip: $0, group: nil, system: nil) }
    }

    static func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    @Test func allWithinGroupGivesEveryRaterNChooseTwoPairsPerGroup() throws {
        let pool = Self.pool(["p1": 4, "p2": 3, "p3": 1, "p4": 5])
        let plan = try PairPlanner.allWithinGroup(pool, batch: "pb", raters: ["ann", "bob"], seed: 1)
        let perRater = 4 * 3 / 2 + 3 * 2 / 2 + 0 + 5 * 4 / 2
        #expect(plan.count == 2 * perRater)
        for rater in ["ann", "bob"] {
            let mine = plan.filter { $0.rater == rater }
            #expect(mine.count == perRater)
            #expect(Set(mine.map { [$0.a, $0.b].sorted() }).count == perRater)
        }
        for group in ["p1", "p2", "p4"] {
            #expect(plan.filter { $0.group == group && $0.rater == "ann" }.count == pool.filter { $0.group == group }.count.choose2)
        }
        // Two clips of a group always: a and b share the entry's group, a earlier in the pool.
        let index = Dictionary(uniqueKeysWithValues: pool.enumerated().map { ($1.clip, $0) })
        for entry in plan {
            #expect(entry.a.hasPrefix(entry.group! + "-") && entry.b.hasPrefix(entry.group! + "-"))
            #expect(index[entry.a]! < index[entry.b]!)
        }
        // p1-1 and p1-3 are both system s1: still a pair.
        #expect(plan.contains { $0.a == "p1-1" && $0.b == "p1-3" })
        // Each pair's raters are next to each other; the order of pairs is the seed's.
        #expect(zip(plan, plan.dropFirst()).filter { $0.0.rater == "ann" }.allSatisfy { $0.1.rater == "bob" && $0.0.a == $0.1.a && $0.0.b == $0.1.b })
        let again = try PairPlanner.allWithinGroup(pool, batch: "pb", raters: ["ann", "bob"], seed: 1)
        let other = try PairPlanner.allWithinGroup(pool, batch: "pb", raters: ["ann", "bob"], seed: 2)
        #expect(again == plan && other != plan && Set(other.map { "\($0.rater) \($0.a) \($0.b)" }) == Set(plan.map { "\($0.rater) \($0.a) \($0.b)" }))
    }

    @Test func allWithinGroupRefusesWhatItCannotPair() {
        #expect(Self.message { try PairPlanner.allWithinGroup(Self.pool(["p1": 2], untagged: ["u1.mp4", "u2.mp4"]), batch: "pb", raters: ["ann"], seed: 1) }
            == "all-within-group pairs the clips of each group, and 2 clips ('u1.mp4', 'u2.mp4') of batch 'pb' have no group; "
            + "give each a group with: concord clip add FILE --batch pb --group G, or list the pairs yourself with: concord pair add --batch pb --file pairs.csv")
        #expect(Self.message { try PairPlanner.allWithinGroup(Self.pool([:], untagged: ["u1.mp4"]), batch: "pb", raters: ["ann"], seed: 1) }
            .hasPrefix("all-within-group pairs the clips of each group, and the clip 'u1.mp4' of batch 'pb' has no group;"))
        #expect(Self.message { try PairPlanner.allWithinGroup(Self.pool(["p1": 1, "p2": 1]), batch: "pb", raters: ["ann"], seed: 1) }
            == "no group of batch 'pb' has two clips, so there is nothing to pair; add the other systems' clips of each group with: concord clip add FILE --batch pb --group G --system S")
        #expect(Self.message { try PairPlanner.allWithinGroup([], batch: "pb", raters: ["ann"], seed: 1) }
            == "batch 'pb' has no clips to pair; add them with: concord clip add FILES --batch pb --group G --system S")
        #expect(Self.message { try PairPlanner.listed([]) } == "no raters to plan pairs for; name them with --raters ann,bob")
        #expect((try? PairPlanner.listed(["bob", "ann", "bob"])) == ["bob", "ann"])
    }

    static let rubric = try! Rubric.parse("""
        name: pref
        criteria:
          - {id: motion, question: Which moves better?, type: pairwise, tie: true}
          - {id: overall, question: Which is better?, type: pairwise}
        """, file: "pref.yaml")

    /// A pool of `groups` (nil: untagged) and answers (rater, a, b, value).
    static func answers(_ groups: [String?], _ rows: [(String, Int32, Int32, String)]) -> BatchPairwise {
        var stored = BatchComparisons()
        stored.clips = groups.indices.map { "c\($0)" }
        stored.group = groups
        stored.system = groups.map { _ in nil }
        stored.raters = Array(Set(rows.map(\.0))).sorted()
        for row in rows {
            stored.rater.append(Int32(stored.raters.firstIndex(of: row.0)!)); stored.a.append(row.1); stored.b.append(row.2)
            stored.value.append(row.3); stored.shownLeft.append(-1); stored.dwellMs.append(nil)
        }
        return BatchPairwise(stored, criterion: rubric.criteria[0])!
    }

    @Test func adaptiveStaysWithinGroupsAndSkipsWhatRatersHave() throws {
        let answers = Self.answers(["g1", "g2", "g1", "g2", "g1"], [("ann", 0, 2, "a"), ("ann", 0, 2, "b")])
        let assigned = [PairPlanEntry(rater: "bob", a: "c3", b: "c1", group: "g2"), PairPlanEntry(rater: "zed", a: "c0", b: "c4", group: "g1")]
        let plan = try PairPlanner.adaptive(answers, batch: "pb", raters: ["ann", "bob"], assigned: assigned, perRater: 10, seed: 4)
        // g1 has 3 pairs and g2 one: ann has answered c0–c2, bob has c1–c3.
        let ann = plan.filter { $0.rater == "ann" }.map { "\($0.a)-\($0.b) \($0.group!)" }
        let bob = plan.filter { $0.rater == "bob" }.map { "\($0.a)-\($0.b) \($0.group!)" }
        #expect(Set(ann) == ["c0-c4 g1", "c2-c4 g1", "c1-c3 g2"])
        #expect(Set(bob) == ["c0-c2 g1", "c0-c4 g1", "c2-c4 g1"])
        #expect(try PairPlanner.adaptive(answers, batch: "pb", raters: ["ann", "bob"], assigned: assigned, perRater: 10, seed: 4) == plan)
        // Without groups every pair of the pool is a candidate: 10 pairs, one answered by ann.
        let untagged = Self.answers([nil, nil, nil, nil, nil], [("ann", 0, 2, "a")])
        let all = try PairPlanner.adaptive(untagged, batch: "pb", raters: ["ann"], assigned: [], perRater: 20, seed: 4)
        #expect(all.count == 9 && all.allSatisfy { $0.group == nil } && !all.contains { $0.a == "c0" && $0.b == "c2" })
    }

    @Test func adaptiveRefusesMixedGroupsAndTinyPools() {
        let mixed = Self.answers(["g1", nil, "g1"], [])
        #expect(Self.message { try PairPlanner.adaptive(mixed, batch: "pb", raters: ["ann"], assigned: [], perRater: 1, seed: 1) }
            == "some clips of batch 'pb' have a group and the clip 'c1' has none; adaptive pairs stay within groups, so give each a group with: concord clip add FILE --batch pb --group G")
        #expect(Self.message { try PairPlanner.adaptive(Self.answers(["g1"], []), batch: "pb", raters: ["ann"], assigned: [], perRater: 1, seed: 1) }
            == "batch 'pb' has 1 clip in its pool; adaptive pairs need two or more: add them with: concord clip add FILES --batch pb")
    }

    @Test func theCriterionIsTheNamedPairwiseOneOrTheFirst() throws {
        #expect(try PairPlanner.pairwiseCriterion(Self.rubric, named: nil, batch: "pb").id == "motion")
        #expect(try PairPlanner.pairwiseCriterion(Self.rubric, named: "overall", batch: "pb").id == "overall")
        #expect(Self.message { try PairPlanner.pairwiseCriterion(Self.rubric, named: "looks", batch: "pb") }
            == "the rubric 'pref' of batch 'pb' has no pairwise criterion 'looks'; its pairwise criteria: motion, overall")
    }
}

extension Int {
    /// n(n − 1)/2.
    fileprivate var choose2: Int { self * (self - 1) / 2 }
}
