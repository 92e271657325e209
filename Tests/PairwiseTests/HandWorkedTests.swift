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
    @Test func oneMMStep() {
        let r = Pairwise.fit(Self.abc, options: PairwiseOptions(ties: .halfWin, maxIterations: 1))
        let logs = [log(5.0 / 3), log(6.0 / 7), log(2.0 / 5)], m = logs.reduce(0, +) / 3
        for i in 0..<3 { #expect(abs(r.items[i].score! - (logs[i] - m)) < 1e-15) }
        #expect(!r.converged)
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
