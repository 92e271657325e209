import Foundation
import Testing
@testable import Pairwise

/// Small examples worked by hand (docs/pairwise.md).
@Suite struct HandWorkedTests {
    /// A beats B 3–1, B beats C 2–1, A beats C 2–0: strongly connected (C → B → A → C).
    static let abc: Comparisons = {
        let games: [(Int32, Int32)] = [(0, 1), (0, 1), (0, 1), (1, 0), (1, 2), (1, 2), (2, 1), (0, 2), (0, 2)]
        return Comparisons(items: ["A", "B", "C"], raters: ["r"], rater: games.map { _ in 0 },
                           a: games.map(\.0), b: games.map(\.1), outcome: games.map { _ in .a })
    }()

    /// One MM step from π = (1, 1, 1): πi ← Wi / Σj nij/(πi + πj) = Wi / (Ni/2).
    /// A: W = 5, N = 4 + 2 = 6 → 5/3. B: W = 1 + 2 = 3, N = 4 + 3 = 7 → 6/7. C: W = 1, N = 2 + 3 = 5 → 2/5.
    /// Centred logs: log(5/3) − m, log(6/7) − m, log(2/5) − m, m = (log(5/3) + log(6/7) + log(2/5)) / 3.
    /// (Hunter's MM, kept beside Newton as sureal's fixed point: BradleyTerry+MM.swift.)
    @Test func oneMMStep() {
        let f = BradleyTerry.mm(PairTable(Self.abc), items: 3, group: [0, 0, 0], groups: 1, options: PairwiseOptions(ties: .halfWin, maxIterations: 1))
        let logs = [log(5.0 / 3), log(6.0 / 7), log(2.0 / 5)], m = logs.reduce(0, +) / 3
        for i in 0..<3 { #expect(abs(f.theta[i] - (logs[i] - m)) < 1e-15) }
        #expect(!f.converged)
        let r = Pairwise.fit(Self.abc, options: PairwiseOptions(ties: .halfWin))
        #expect(r.items.map(\.wins) == [5, 3, 1] && r.items.map(\.losses) == [1, 4, 4])
    }

    /// At the ML point the expected wins equal the observed: Wi = Σj nij πi/(πi + πj).
    @Test func scoreEquationsHoldAtTheFit() {
        let r = Pairwise.fit(Self.abc, options: PairwiseOptions(ties: .halfWin))
        let p = r.items.map { exp($0.score!) }
        let n = [[0.0, 4, 2], [4, 0, 3], [2, 3, 0]]
        for i in 0..<3 {
            let expected = (0..<3).reduce(0.0) { $0 + n[i][$1] * p[i] / (p[i] + p[$1]) }
            #expect(abs(expected - Double(r.items[i].wins)) < 1e-9)
        }
        #expect(r.items[0].score! > r.items[1].score! && r.items[1].score! > r.items[2].score!)
    }

    /// A never loses: no ML score, the reason says so, and the regularised score is finite and
    /// above the others'.
    @Test func neverLosesIsUndefinedWithAReason() {
        var d = Self.abc
        d.outcome[3] = .b   // B's one win over A becomes A's: A never loses.
        let r = Pairwise.fit(d)
        guard case .undefined(let reason, let reg)? = r.items.first?.fit else { Issue.record("A scored"); return }
        #expect(reason.hasPrefix("never loses (6 wins)"))
        let others = r.items.dropFirst().compactMap { if case .undefined(_, let x) = $0.fit { return x } else { return nil } }
        #expect(others.count == 2 && reg! > others.max()!)
        #expect(r.items[2].ci95 == nil)
    }
}

/// Per-rater figures worked by hand.
@Suite struct RaterFiguresTests {
    /// Rater 0 judges A>B, B>C, C>A (one circular triad among 3 items: d_max = (27−3)/24 = 1,
    /// ζ = 0) always picking the left clip; rater 1 judges A>B, B>C, A>C (ζ = 1), always the
    /// right clip. Consensus (BT, half-win): A 2 wins, B 2, C 1 …
    @Test func triadsZetaAndLeftWins() {
        let games: [(Int32, Int32, Int32, Int8)] = [(0, 0, 1, 0), (0, 1, 2, 0), (0, 2, 0, 0), (1, 0, 1, 1), (1, 1, 2, 1), (1, 0, 2, 1)]
        let d = Comparisons(items: ["A", "B", "C"], raters: ["r0", "r1"], rater: games.map(\.0), a: games.map(\.1),
                            b: games.map(\.2), outcome: games.map { _ in .a }, shownLeft: games.map(\.3))
        let r = Pairwise.fit(d)
        #expect(r.raters.map(\.circularTriads) == [1, 0])
        #expect(r.raters.map { try? $0.zeta.get() } == [0, 1])
        // Left wins: rater 0 3 of 3; Wilson at k = n = 3: centre (1 + z²/6)/(1 + z²/3), half z/(1 + z²/3)·√(z²/36).
        let z = 1.959963984540054, low = (1 + z * z / 6) / (1 + z * z / 3) - z / (1 + z * z / 3) * (z * z / 36).squareRoot()
        let l0 = try? r.raters[0].leftWins.get(), l1 = try? r.raters[1].leftWins.get()
        #expect(l0?.share == 1 && abs((l0?.low ?? 0) - low) < 1e-12 && l0?.high == 1)
        #expect(l1?.share == 0 && l1?.n == 3)
        // Scores: A > B > C, so rater 1 agrees 3 of 3, rater 0 2 of 3 (C>A disagrees).
        #expect(r.raters.map { (try? $0.agreement.get())?.share } == [2.0 / 3, 1])
    }

    @Test func zetaNeedsACompleteDesign() {
        let d = Comparisons(items: ["A", "B", "C"], raters: ["r"], rater: [0, 0], a: [0, 1], b: [1, 2], outcome: [.a, .a])
        guard case .failure(let u) = Pairwise.fit(d).raters[0].zeta else { Issue.record("ζ defined"); return }
        #expect(u.reason == "2 of the 3 pairs of its 3 items have a preference; Kendall's ζ needs every pair")
        guard case .failure(let l) = Pairwise.fit(d).raters[0].leftWins else { Issue.record("left defined"); return }
        #expect(l.reason == "which clip was on the left is not recorded")
    }
}
