import Foundation
import ReferenceTestSupport
import Testing
@testable import Pairwise

/// The expected information gain of a pair (docs/pairwise.md "Choosing pairs") against the
/// `trueskill` package's belief updates (Tests/Reference/adaptive_reference.py), and by hand.
@Suite struct AdaptiveGainTests {
    typealias Belief = Adaptive.Belief

    @Test func equalBeliefsGainMinusLogOfOneMinusTwoOverThreePi() {
        // t = 0: v = 2φ(0) = √(2/π), w = 2/π, c² = 3; each side's KL is −½ ln(1 − w/3) and
        // the two outcomes are alike, so EIG = −ln(1 − 2/(3π)).
        let x = Belief(mean: 0.4, variance: 1, component: 0)
        #expect(abs(Adaptive.expectedInformationGain(x, x) - -log(1 - 2 / (3 * Double.pi))) < 1e-14)
        let after = Adaptive.gain(x, x)
        #expect(abs(after.varianceI - (1 - 2 / (3 * Double.pi))) < 1e-14)
        #expect(after.varianceI == after.varianceJ)
    }

    @Test func closerAndMoreUncertainPairsGainMore() {
        let a = Belief(mean: 0, variance: 0.5, component: 0)
        func gain(mean: Double, variance: Double) -> Double {
            Adaptive.expectedInformationGain(a, Belief(mean: mean, variance: variance, component: 0))
        }
        #expect(gain(mean: 0.1, variance: 0.5) > gain(mean: 1, variance: 0.5))
        #expect(gain(mean: 1, variance: 0.5) > gain(mean: 3, variance: 0.5))
        #expect(gain(mean: 0.1, variance: 0.9) > gain(mean: 0.1, variance: 0.5))
        // Symmetric in the two items.
        let b = Belief(mean: 0.7, variance: 0.3, component: 0)
        #expect(abs(Adaptive.expectedInformationGain(a, b) - Adaptive.expectedInformationGain(b, a)) < 1e-15)
    }

    @Test func matchesTrueSkillUpdatesOnRandomBeliefs() throws {
        try #require(ReferenceScript.pythonExists, "no reference python at \(ReferenceScript.python)")
        var state: UInt64 = 2020
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var cases: [(Belief, Belief)] = []
        for k in 0..<60 {
            let i = Belief(mean: uniform() * 6 - 3, variance: 0.01 + uniform() * 2, component: 0)
            let j = Belief(mean: uniform() * 6 - 3, variance: 0.01 + uniform() * 2, component: k % 3 == 0 ? 1 : 0)
            cases.append((i, j))
        }
        let extra = Adaptive.priorVariance / 2
        let input = cases.map { i, j in
            let e = i.component == j.component ? 0 : extra
            return "{\"mi\": \(i.mean), \"vi\": \(i.variance + e), \"mj\": \(j.mean), \"vj\": \(j.variance + e)}"
        }.joined(separator: "\n") + "\n"
        let answers = try ReferenceScript.run("adaptive_reference.py", input: input).map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Double]
        }
        try #require(answers.count == cases.count)
        for ((i, j), reference) in zip(cases, answers) {
            let e = i.component == j.component ? 0 : extra
            let ours = Adaptive.gain(i, j)
            #expect(abs(ours.eig - reference["eig"]!) <= 1e-9 * max(1, reference["eig"]!), "\(i) \(j)")
            #expect(abs(ours.varianceI - reference["vi_after"]! * i.variance / (i.variance + e)) <= 1e-9, "\(i) \(j)")
            #expect(abs(ours.varianceJ - reference["vj_after"]! * j.variance / (j.variance + e)) <= 1e-9, "\(i) \(j)")
        }
    }

    @Test func beliefsShrinkTheMaximumLikelihoodScoreByThePrior() throws {
        // Two items, 3 wins each way: ML scores 0, 0 with a standard error; an item never
        // compared keeps the prior.
        var a = [Int32](), b = [Int32](), o = [Comparisons.Outcome]()
        for k in 0..<6 { a.append(0); b.append(1); o.append(k < 3 ? .a : .b) }
        let data = Comparisons(items: ["x", "y", "z"], raters: ["r"], rater: Array(repeating: 0, count: 6), a: a, b: b, outcome: o)
        let beliefs = Adaptive.beliefs(data)
        let fit = Pairwise.fit(data, options: PairwiseOptions(model: .thurstone, ties: .halfWin))
        let se = try #require(fit.items[0].standardError)
        #expect(abs(beliefs[0].variance - 1 / (1 / (se * se) + 1 / Adaptive.priorVariance)) < 1e-12)
        #expect(abs(beliefs[0].mean) < 1e-9 && beliefs[0].component == beliefs[1].component)
        #expect(beliefs[2] == Belief(mean: 0, variance: Adaptive.priorVariance, component: 3 + 2))
    }
}
