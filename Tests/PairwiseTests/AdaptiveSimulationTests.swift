import Foundation
import Testing
@testable import Pairwise

/// Adaptive pairs against random pairs on simulated raters (docs/pairwise.md "Choosing
/// pairs"): with the same number of comparisons, adaptive pairs order the items closer to
/// their true order, so they reach a given accuracy with fewer comparisons.
@Suite struct AdaptiveSimulationTests {
    /// A seeded stream: uniform numbers and standard normals (Box–Muller).
    struct Stream {
        var state: UInt64
        mutating func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
        mutating func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
    }

    /// Spearman's ρ: Pearson's correlation of the ranks (ties share their mean rank).
    static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        func ranks(_ v: [Double]) -> [Double] {
            let order = v.indices.sorted { v[$0] < v[$1] }
            var r = [Double](repeating: 0, count: v.count), k = 0
            while k < order.count {
                var end = k
                while end + 1 < order.count && v[order[end + 1]] == v[order[k]] { end += 1 }
                for m in k...end { r[order[m]] = Double(k + end) / 2 }
                k = end + 1
            }
            return r
        }
        let rx = ranks(x), ry = ranks(y), n = Double(x.count)
        let mx = rx.reduce(0, +) / n, my = ry.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices { sxy += (rx[i] - mx) * (ry[i] - my); sxx += (rx[i] - mx) * (rx[i] - mx); syy += (ry[i] - my) * (ry[i] - my) }
        return sxy / (sxx * syy).squareRoot()
    }

    @Test func spearmanByHand() {
        #expect(Self.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1)
        #expect(Self.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
        // Ranks 0,1,2,3 against 1,0,3,2: Σd² = 4, ρ = 1 − 6·4/(4·15) = 0.6.
        #expect(abs(Self.spearman([1, 2, 3, 4], [2, 1, 4, 3]) - 0.6) < 1e-12)
    }

    /// Spearman's ρ between the fitted and the true scores after each round of `perRound`
    /// comparisons (one per simulated rater), pairs chosen adaptively or uniformly at random.
    static func run(adaptive: Bool, seed: UInt64, items: Int, rounds: Int, perRound: Int) -> [Double] {
        var stream = Stream(state: seed)
        let truth = (0..<items).map { _ in 1.5 * stream.normal() }
        var a = [Int32](), b = [Int32](), o = [Comparisons.Outcome](), r = [Int32]()
        var had = [Set<UInt64>](repeating: [], count: perRound)
        var accuracy: [Double] = []
        func data() -> Comparisons {
            Comparisons(items: (0..<items).map { "i\($0)" }, raters: (0..<perRound).map { "r\($0)" }, rater: r, a: a, b: b, outcome: o)
        }
        for round in 0..<rounds {
            var pairs: [(rater: Int, a: Int, b: Int)] = []
            if adaptive {
                let picks = Adaptive.choose(Adaptive.beliefs(data()), group: [Int32](repeating: 0, count: items), had: had,
                                            perRater: 1, seed: seed &+ UInt64(round))
                pairs = picks.map { ($0.rater, $0.a, $0.b) }
            } else {
                for rater in 0..<perRound {
                    let x = Int(stream.uniform() * Double(items))
                    var y = Int(stream.uniform() * Double(items - 1))
                    if y >= x { y += 1 }
                    pairs.append((rater, x, y))
                }
            }
            for pair in pairs {
                had[pair.rater].insert(Adaptive.pairKey(pair.a, pair.b))
                let p = 0.5 * erfc(-(truth[pair.a] - truth[pair.b]) / 2.squareRoot())
                a.append(Int32(pair.a)); b.append(Int32(pair.b)); r.append(Int32(pair.rater))
                o.append(stream.uniform() < p ? .a : .b)
            }
            let fit = Pairwise.fit(data(), options: PairwiseOptions(model: .thurstone, ties: .halfWin))
            let scores = fit.items.map { item -> Double in
                switch item.fit {
                case .scored(let s, _): return s
                case .undefined(_, let regularised): return regularised ?? 0
                }
            }
            accuracy.append(spearman(scores, truth))
        }
        return accuracy
    }

    /// 30 items with true scores from N(0, 1.5²), 10 raters answering one pair each per
    /// round, 30 rounds; ρ averaged over 20 seeded runs of each. Measured (see the report of
    /// issue 20): adaptive reaches a mean ρ of 0.93 after about 120 comparisons, random
    /// pairs after about 200. The assertion leaves a wide margin: at most 80% as many.
    @Test func adaptivePairsReachTheAccuracyOfRandomPairsWithFewerComparisons() {
        let items = 30, rounds = 30, perRound = 10, seeds: [UInt64] = Array(1...20)
        var adaptive = [Double](repeating: 0, count: rounds), random = adaptive
        for seed in seeds {
            for (k, rho) in Self.run(adaptive: true, seed: seed, items: items, rounds: rounds, perRound: perRound).enumerated() {
                adaptive[k] += rho / Double(seeds.count)
            }
            for (k, rho) in Self.run(adaptive: false, seed: seed, items: items, rounds: rounds, perRound: perRound).enumerated() {
                random[k] += rho / Double(seeds.count)
            }
        }
        /// Comparisons until the mean ρ first reaches 0.93 (one round more than run when never).
        func needed(_ curve: [Double]) -> Int { ((curve.firstIndex { $0 >= 0.93 } ?? rounds) + 1) * perRound }
        #expect(needed(adaptive) <= needed(random) * 8 / 10, "adaptive \(adaptive), random \(random)")
        #expect(adaptive[rounds - 1] > random[rounds - 1] + 0.005)
    }
}
