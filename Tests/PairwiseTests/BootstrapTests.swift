import Foundation
import Testing
@testable import Pairwise

/// The bootstrap over raters (docs/pairwise.md "Bootstrap"): worked by hand on two raters,
/// reproducible from its seed, close to the Fisher interval when raters do not differ, and
/// silent on no item without saying why.
@Suite struct BootstrapTests {
    /// Rater r0: A beats B 3–1; rater r1: A beats B 1–3. A replicate draws r0 c0 times and r1
    /// c1 = 2 − c0 times; with half-win Bradley–Terry on two items A's centred score is
    /// log(WA/WB)/2, WA = 3c0 + c1, WB = c0 + 3c1: +log 3/2, 0 or −log 3/2.
    static let twoRaters: Comparisons = {
        let games: [(Int32, Comparisons.Outcome)] = [(0, .a), (0, .a), (0, .a), (0, .b), (1, .a), (1, .b), (1, .b), (1, .b)]
        return Comparisons(items: ["A", "B"], raters: ["r0", "r1"], rater: games.map(\.0),
                           a: games.map { _ in 0 }, b: games.map { _ in 1 }, outcome: games.map(\.1))
    }()

    /// Each replicate's draw redone here with SplitMix64, the scores by the formula above,
    /// and the 2.5th/97.5th percentiles by linear interpolation (numpy's default).
    @Test func twoRatersByHand() throws {
        let replicates = 57, seed: UInt64 = 42
        var a = [Double]()
        for b in 0..<replicates {
            var rng = SplitMix64.stream(seed: seed, index: b)
            var c = [0.0, 0.0]
            for _ in 0..<2 { c[Int(rng.next().multipliedFullWidth(by: 2).high)] += 1 }
            a.append(log((3 * c[0] + c[1]) / (c[0] + 3 * c[1])) / 2)
        }
        a.sort()
        func q(_ p: Double) -> Double {
            let h = 56 * p, lo = Int(h)
            return a[lo] + (h - Double(lo)) * (a[min(lo + 1, 56)] - a[lo])
        }
        let opts = PairwiseOptions(ties: .halfWin)
        let r = Pairwise.bootstrapIntervals(Self.twoRaters, options: opts, replicates: replicates, seed: seed)
        let ciA = try #require(r.ci95[0]), ciB = try #require(r.ci95[1])
        #expect(abs(ciA.lowerBound - q(0.025)) < 1e-12 && abs(ciA.upperBound - q(0.975)) < 1e-12)
        #expect(abs(ciB.lowerBound + q(0.975)) < 1e-12 && abs(ciB.upperBound + q(0.025)) < 1e-12)
        #expect(r.used == [57, 57] && r.reason == [nil, nil])
        // Both extremes occur among 57 replicates (each has chance 1/4), so the interval is ±log 3/2.
        #expect(abs(ciA.upperBound - log(3) / 2) < 1e-12 && abs(ciA.lowerBound + log(3) / 2) < 1e-12)
    }

    @Test func theSameSeedGivesTheSameIntervalsAndAnotherSeedOthers() {
        let d = PairwiseReference.random(seed: 7, items: 12, count: 900, tieShare: 0.2)
        let one = Pairwise.bootstrap(d, replicates: 60, seed: 5)
        #expect(one == Pairwise.bootstrap(d, replicates: 60, seed: 5))
        #expect(one != Pairwise.bootstrap(d, replicates: 60, seed: 6))
        #expect(one.allSatisfy { $0 != nil })
        let thurstone = Pairwise.bootstrap(d, options: PairwiseOptions(model: .thurstone), replicates: 30, seed: 5)
        #expect(thurstone.allSatisfy { $0 != nil } && thurstone != one)
    }

    /// 200 raters who share one taste: resampling raters is then close to resampling
    /// comparisons, whose spread the Fisher interval describes. Widths agree within 25% per
    /// item and 10% on average (200 clusters estimate a spread to about ±5%, and 400
    /// replicates place a percentile to a few % more).
    @Test func coversTheFisherIntervalWhenRatersAgree() throws {
        var d = PairwiseReference.random(seed: 11, items: 25, count: 6000, tieShare: 0)
        d.raters = (0..<200).map { "r\($0)" }
        d.rater = (0..<d.count).map { Int32($0 % 200) }
        let opts = PairwiseOptions(ties: .halfWin)
        let fit = Pairwise.fit(d, options: opts)
        let boot = Pairwise.bootstrap(d, options: opts, replicates: 400, seed: 3)
        var ratios = [Double]()
        for item in fit.items {
            let ci = try #require(item.ci95), b = try #require(boot[item.item])
            let ratio = (b.upperBound - b.lowerBound) / (ci.1 - ci.0)
            #expect(abs(ratio - 1) < 0.25, "item \(item.item): bootstrap width / Fisher width \(ratio)")
            #expect(b.contains(item.score!))
            ratios.append(ratio)
        }
        #expect(abs(ratios.reduce(0, +) / Double(ratios.count) - 1) < 0.1)
    }

    /// Three raters, one comparison each, A > B > C > A: a replicate without one of them
    /// leaves an item that never loses (or never wins), which is most replicates.
    @Test func fragileGroupsAndSingleRatersSayWhy() {
        let d = Comparisons(items: ["A", "B", "C"], raters: ["x", "y", "z"], rater: [0, 1, 2],
                            a: [0, 1, 2], b: [1, 2, 0], outcome: [.a, .a, .a])
        let r = Pairwise.bootstrapIntervals(d, replicates: 100, seed: 1)
        #expect(r.ci95 == [nil, nil, nil])
        #expect(r.reason[0]?.hasPrefix("in ") == true && r.reason[0]!.contains("of 100 resamples of raters"))
        var one = HandWorkedTests.abc
        one.raters = ["solo"]
        let s = Pairwise.bootstrapIntervals(one, options: PairwiseOptions(ties: .halfWin), replicates: 10, seed: 1)
        #expect(s.ci95 == [nil, nil, nil] && s.reason[0]?.contains("1 rater") == true)
        let none = Pairwise.bootstrapIntervals(Self.twoRaters, replicates: 0, seed: 1)
        #expect(none.reason[0] == "no bootstrap replicates asked for")
    }
}
