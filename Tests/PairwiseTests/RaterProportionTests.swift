import Foundation
import ReferenceTestSupport
import Testing
@testable import Pairwise

/// Position bias and agreement with the consensus as counts: k of n with the Wilson interval
/// and the exact binomial test of 1/2, by hand and against scipy's `binomtest`.
@Suite struct RaterProportionTests {
    /// 3 of 3: P(X = 3) + P(X = 0) = 2/8; 9 of 10: 2·(1 + 10)/1024; 5 of 10 is no evidence (1).
    @Test func exactBinomialByHand() {
        #expect(abs(RaterFigures.binomialTest(3, 3) - 0.25) < 1e-15)
        #expect(abs(RaterFigures.binomialTest(9, 10) - 22.0 / 1024) < 1e-15)
        #expect(abs(RaterFigures.binomialTest(1, 10) - 22.0 / 1024) < 1e-15)
        #expect(RaterFigures.binomialTest(5, 10) == 1 && RaterFigures.binomialTest(0, 1) == 1)
    }

    @Test func equalsScipy() throws {
        try #require(ReferenceScript.pythonExists, "python missing")
        let cases = [(0, 1), (1, 2), (3, 3), (7, 20), (13, 20), (52, 100), (60, 100), (480, 1000), (530, 1000), (50_600, 100_000), (0, 40)]
        let input = cases.map { "{\"k\": \($0.0), \"n\": \($0.1)}" }.joined(separator: "\n") + "\n"
        let answers = try ReferenceScript.run("proportion_reference.py", input: input)
        for ((k, n), line) in zip(cases, answers) {
            let ref = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Double])
            guard case .success(let p) = RaterFigures.wilson(k, n, none: "") else { Issue.record("\(k)/\(n) undefined"); continue }
            #expect(p.k == k && p.n == n && p.share == Double(k) / Double(n))
            // Relative: the tails of 100,000 trials are sums of terms near 1e-5.
            #expect(abs(p.pValue - ref["p_value"]!) <= 1e-10 * ref["p_value"]! + 1e-15, "\(k)/\(n): p \(p.pValue) vs \(ref["p_value"]!)")
            #expect(abs(p.low - ref["low"]!) < 1e-12 && abs(p.high - ref["high"]!) < 1e-12, "\(k)/\(n): [\(p.low), \(p.high)] vs \(ref)")
        }
    }

    /// A rater who picks the left clip 9 times of 10 and agrees with the consensus 8 times:
    /// both counted, the bias beyond chance (p = 22/1024), the agreement not (p = 2·56/1024).
    @Test func leftWinsAndAgreementCarryTheirCounts() throws {
        // Items 0 > 1 > 2 > 3 by a second rater's many judgements; rater "r" judges 10 pairs.
        var rater = [Int32](), a = [Int32](), b = [Int32](), o = [Comparisons.Outcome](), left = [Int8]()
        for (x, y) in [(0, 1), (1, 2), (2, 3), (0, 2), (1, 3), (0, 3)] {
            for k in 0..<4 { rater.append(1); a.append(Int32(x)); b.append(Int32(y)); o.append(k == 0 ? .b : .a); left.append(-1) }
        }
        // r: 8 judgements with the order (left = winner 7 times), 2 against it (left wins both), 1 tie.
        let judged: [(Int32, Int32, Comparisons.Outcome, Int8)] = [
            (0, 1, .a, 0), (1, 2, .a, 0), (2, 3, .a, 0), (0, 2, .a, 0), (1, 3, .a, 0), (0, 3, .a, 0), (0, 1, .a, 0), (1, 2, .a, 1),
            (2, 3, .b, 1), (0, 3, .b, 1), (0, 1, .tie, 0)]
        for (x, y, out, l) in judged { rater.append(0); a.append(x); b.append(y); o.append(out); left.append(l) }
        let d = Comparisons(items: ["A", "B", "C", "D"], raters: ["r", "s"], rater: rater, a: a, b: b, outcome: o, shownLeft: left)
        let figures = try #require(Pairwise.fit(d).raters.first { $0.rater == 0 })
        let leftWins = try figures.leftWins.get(), agreement = try figures.agreement.get()
        #expect(leftWins.k == 9 && leftWins.n == 10 && abs(leftWins.pValue - 22.0 / 1024) < 1e-15)
        #expect(agreement.k == 8 && agreement.n == 10 && abs(agreement.pValue - 112.0 / 1024) < 1e-15)
    }
}
