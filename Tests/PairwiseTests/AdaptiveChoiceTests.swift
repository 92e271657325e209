import Testing
@testable import Pairwise

/// `Adaptive.choose`: the most informative pair first, never a pair a rater has, within
/// groups, raters in turns, and the same plan for the same seed.
@Suite struct AdaptiveChoiceTests {
    typealias Belief = Adaptive.Belief

    static func beliefs(_ means: [Double], variance: Double = 0.3) -> [Belief] {
        means.map { Belief(mean: $0, variance: variance, component: 0) }
    }

    @Test func picksTheClosestPair() {
        let picks = Adaptive.choose(Self.beliefs([0, 2, 0.1, 4]), group: [0, 0, 0, 0], had: [[]], perRater: 1, seed: 7)
        #expect(picks == [Adaptive.Pick(rater: 0, a: 0, b: 2)])
    }

    @Test func picksTheLeastCertainPairAmongEquals() {
        let beliefs = [0.2, 0.9, 0.2, 0.8].map { Belief(mean: 0, variance: $0, component: 0) }
        let picks = Adaptive.choose(beliefs, group: [0, 0, 0, 0], had: [[]], perRater: 1, seed: 7)
        #expect(picks == [Adaptive.Pick(rater: 0, a: 1, b: 3)])
    }

    @Test func picksTheLeastComparedItemFromRealAnswers() {
        // p, q and r met ten times each pair, s twice (with p); every answer split evenly,
        // so every score is 0 and the item compared least is the one to compare next.
        var a = [Int32](), b = [Int32](), o = [Comparisons.Outcome]()
        func met(_ x: Int32, _ y: Int32, _ times: Int) {
            for k in 0..<times { a.append(x); b.append(y); o.append(k % 2 == 0 ? .a : .b) }
        }
        met(0, 1, 10); met(0, 2, 10); met(1, 2, 10); met(0, 3, 2)
        let data = Comparisons(items: ["p", "q", "r", "s"], raters: ["x"], rater: Array(repeating: 0, count: a.count), a: a, b: b, outcome: o)
        let beliefs = Adaptive.beliefs(data)
        #expect(beliefs.allSatisfy { abs($0.mean) < 1e-9 })
        #expect(beliefs[3].variance > 2 * beliefs[0].variance)
        let picks = Adaptive.choose(beliefs, group: [0, 0, 0, 0], had: [[]], perRater: 1, seed: 1)
        #expect(picks.count == 1 && picks[0].b == 3)
        // With p–s already the rater's, s goes with q or r.
        let next = Adaptive.choose(beliefs, group: [0, 0, 0, 0], had: [[Adaptive.pairKey(0, 3)]], perRater: 1, seed: 1)
        #expect(next.count == 1 && next[0].b == 3 && next[0].a != 0)
    }

    @Test func neverGivesARaterAPairTheyHave() {
        let beliefs = Self.beliefs([0, 0.1, 3, 6])
        let picks = Adaptive.choose(beliefs, group: [0, 0, 0, 0], had: [[Adaptive.pairKey(1, 0)]], perRater: 1, seed: 3)
        #expect(picks.count == 1 && Set([picks[0].a, picks[0].b]) != [0, 1])
        // Asked for more pairs than there are: each of the 6 once, then no more.
        let all = Adaptive.choose(beliefs, group: [0, 0, 0, 0], had: [[]], perRater: 10, seed: 3)
        #expect(all.count == 6)
        #expect(Set(all.map { Adaptive.pairKey($0.a, $0.b) }).count == 6)
        let fewer = Adaptive.choose(beliefs, group: [0, 0, 0, 0], had: [[Adaptive.pairKey(2, 3)]], perRater: 10, seed: 3)
        #expect(fewer.count == 5 && !fewer.contains { Set([$0.a, $0.b]) == [2, 3] })
    }

    @Test func pairsStayWithinGroups() {
        let beliefs = Self.beliefs([0, 0, 0, 0, 0, 0, 0])
        let group: [Int32] = [0, 1, 0, 1, 2, 1, -1]
        let picks = Adaptive.choose(beliefs, group: group, had: [[], []], perRater: 5, seed: 11)
        #expect(picks.count == 8)   // 1 pair in group 0, 3 in group 1, none in group 2 or for item 6: 4 per rater
        for pick in picks { #expect(group[pick.a] == group[pick.b] && group[pick.a] >= 0) }
        #expect(Adaptive.pairsWithinGroups(group).count == 1 + 3)
    }

    @Test func ratersTakeTurnsAndSpreadOverItems() {
        let picks = Adaptive.choose(Self.beliefs(Array(repeating: 0, count: 8), variance: 1),
                                    group: Array(repeating: 0, count: 8), had: [[], [], []], perRater: 2, seed: 5)
        #expect(picks.count == 6)
        for rater in 0..<3 { #expect(picks.filter { $0.rater == rater }.count == 2) }
        // Before any answer every pair is equal; once planned, a pair's items are less
        // uncertain, so the first four picks cover all 8 items.
        #expect(Set(picks.prefix(4).flatMap { [$0.a, $0.b] }).count == 8)
    }

    @Test func theSameSeedGivesTheSamePlanAndSeedsDiffer() {
        let beliefs = Self.beliefs(Array(repeating: 0, count: 10), variance: 1)
        let group = [Int32](repeating: 0, count: 10)
        func plan(_ seed: UInt64) -> [Adaptive.Pick] { Adaptive.choose(beliefs, group: group, had: [[], []], perRater: 3, seed: seed) }
        #expect(plan(42) == plan(42))
        let firsts = Set((UInt64(1)...10).map { seed -> UInt64 in let p = plan(seed)[0]; return Adaptive.pairKey(p.a, p.b) })
        #expect(firsts.count > 3)
    }

    @Test func shuffledIsAPermutationAndReproducible() {
        let list = Array(0..<50)
        #expect(Adaptive.shuffled(list, seed: 9) == Adaptive.shuffled(list, seed: 9))
        #expect(Adaptive.shuffled(list, seed: 9).sorted() == list)
        #expect(Adaptive.shuffled(list, seed: 9) != Adaptive.shuffled(list, seed: 10))
    }
}
