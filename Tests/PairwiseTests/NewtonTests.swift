import Foundation
import Testing
@testable import Pairwise

/// Newton's method for Bradley–Terry (docs/pairwise.md "Speed"): a step worked by hand, the
/// same optimum as Hunter's MM, and the same bits on one thread as on several.
@Suite struct NewtonTests {
    /// From θ = 0 on HandWorkedTests.abc every p is ½: gradient W − N/2 = (2, −½, −3⁄2);
    /// Laplacian weights n/4 = 1 (AB), ¾ (BC), ½ (AC). Solving L δ = g with Σδ = 0:
    /// 2δA − ½δB = 2 and −¼δA + 5⁄2 δB = −½ give δ = (38, −4, −34)/39, which raises the
    /// log-likelihood from 9 log ½ = −6.24 to −4.48, so the whole step is taken.
    @Test func oneNewtonStepByHand() {
        let f = BradleyTerry.fit(PairTable(HandWorkedTests.abc), items: 3, group: [0, 0, 0], groups: 1,
                                 options: PairwiseOptions(ties: .halfWin, maxIterations: 1))
        for (x, e) in zip(f.theta, [38.0, -4, -34]) { #expect(abs(x - e / 39) < 1e-12) }
        #expect(!f.converged && f.iterations == 1)
    }

    /// MM run far past the default tolerance, against Newton at the default: scores and ν to
    /// 1e-9 on tied and untied sets with several groups, Davidson and half-win ties, and the
    /// regularised fit (a pivot held at 0).
    @Test func newtonReachesMMsOptimum() {
        var compared = 0
        for (seed, items, count, ties, blocks) in [(1, 5, 40, 0.0, 1), (2, 30, 900, 0.2, 1), (3, 60, 3000, 0.3, 3), (4, 12, 30, 0.1, 2)] as [(UInt64, Int, Int, Double, Int)] {
            let d = PairwiseReference.random(seed: seed, items: items, count: count, tieShare: ties, blocks: blocks)
            for tieModel in TieModel.allCases {
                var pairs = PairTable(d)
                if tieModel == .halfWin { pairs = pairs.halvingTies() }
                let groups = Groups(pairs, items: items)
                let decisive = pairs.wLo.reduce(0, +) + pairs.wHi.reduce(0, +) > 0
                let fitted = groups.strong.map { $0 && decisive }
                let (group, ml) = Pairwise.mlPart(pairs, groups: groups, fitted: fitted)
                let tight = PairwiseOptions(ties: tieModel, maxIterations: 10_000_000, tolerance: 1e-14)
                let newton = BradleyTerry.fit(ml, items: items, group: group, groups: groups.count, options: PairwiseOptions(ties: tieModel))
                let mm = BradleyTerry.mm(ml, items: items, group: group, groups: groups.count, options: tight)
                #expect(newton.converged && newton.iterations < 30)
                for i in 0..<items where group[i] >= 0 {
                    #expect(abs(newton.theta[i] - mm.theta[i]) < 1e-9, "seed \(seed) \(tieModel) item \(i)")
                    compared += 1
                }
                #expect((newton.nu == nil) == (mm.nu == nil))
                if let a = newton.nu, let b = mm.nu { #expect(abs(a - b) < 1e-9) }
                // The regularised fit of the other groups: Newton grounded at the pivot against MM.
                if fitted.contains(false) {
                    let opts = PairwiseOptions(ties: tieModel)
                    let viaNewton = Pairwise.regularisedFit(pairs, groups: groups, fitted: fitted, items: items, options: opts)!
                    let viaMM = Self.regularisedByMM(pairs, groups: groups, fitted: fitted, items: items, options: tight)
                    for i in 0..<items where groups.of[i] >= 0 && !fitted[Int(groups.of[i])] {
                        #expect(abs(viaNewton[i] - viaMM[i]) < 1e-9); compared += 1
                    }
                }
            }
        }
        #expect(compared > 200)
    }

    /// 400 items, 60,000 comparisons (more pairs than the threshold for threads): the fit on
    /// several threads equals the one-thread fit bit for bit, with and without Davidson ties.
    @Test func threadsChangeNoBit() {
        let d = PairwiseReference.random(seed: 9, items: 400, count: 60_000, tieShare: 0.15)
        for tieModel in TieModel.allCases {
            var pairs = PairTable(d)
            if tieModel == .halfWin { pairs = pairs.halvingTies() }
            #expect(pairs.count >= 1 << 15)
            let group = [Int32](repeating: 0, count: 400), opts = PairwiseOptions(ties: tieModel)
            let one = BradleyTerry.fit(pairs, items: 400, group: group, groups: 1, options: opts, parallel: false)
            let many = BradleyTerry.fit(pairs, items: 400, group: group, groups: 1, options: opts, parallel: true)
            #expect(one.theta == many.theta && one.nu == many.nu && one.converged)
        }
    }

    /// Pairwise.regularisedFit with MM in place of Newton (the same augmented data).
    static func regularisedByMM(_ pairs: PairTable, groups: Groups, fitted: [Bool], items m: Int, options: PairwiseOptions) -> [Double] {
        let group = groups.of.map { $0 >= 0 && !fitted[Int($0)] ? $0 : -1 }
        var sub = PairTable()
        for k in 0..<pairs.count where group[Int(pairs.lo[k])] >= 0 {
            sub.append(Int(pairs.lo[k]), Int(pairs.hi[k]), wLo: pairs.wLo[k], wHi: pairs.wHi[k], t: pairs.t[k])
        }
        for i in 0..<m where group[i] >= 0 { sub.append(i, m, wLo: 1, wHi: 1, t: 0) }
        var theta = BradleyTerry.mm(sub, items: m + 1, group: group + [Int32(groups.count)], groups: groups.count + 1,
                                    anchor: m, options: options).theta
        theta.removeLast()
        BradleyTerry.centre(&theta, group: group, groups: groups.count)
        return theta
    }
}
