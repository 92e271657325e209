import Foundation
import Testing
@testable import Pairwise

/// Intervals (docs/pairwise.md "Intervals"): the blocked Cholesky and the inverse's diagonal
/// against plain arithmetic, the series approximation worked by hand on a complete design and
/// measured against the exact inverse, and the output saying which an interval is.
@Suite struct IntervalsTests {
    /// A 150 × 150 SPD matrix (three panels of 64): L Lᵀ gives A back, and diag(A⁻¹) equals
    /// the diagonal of A⁻¹ built column by column from plain solves; threads change no bit.
    @Test func blockedCholeskyAndInverseDiagonal() throws {
        let n = 150
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { a[i * n + j] = 1 / Double(1 + abs(i - j)) + (i == j ? Double(n) : 0) + Double((i * 7 + j * 7) % 5) / 10 } }
        let l = try #require(Dense.cholesky(a, n))
        #expect(l == Dense.cholesky(a, n, parallel: false))
        var worst = 0.0
        for i in 0..<n { for j in 0..<n {
            var s = 0.0
            for k in 0...min(i, j) { s += l[i * n + k] * l[j * n + k] }
            worst = max(worst, abs(s - a[i * n + j]))
        } }
        #expect(worst < 1e-10)
        let diag = Dense.inverseDiagonal(l, n)
        for j in stride(from: 0, to: n, by: 7) {
            var e = [Double](repeating: 0, count: n); e[j] = 1
            #expect(abs(Dense.solve(l, n, e)[j] - diag[j]) < 1e-14)
        }
        var notSPD = a; notSPD[5 * n + 5] = -1
        #expect(Dense.cholesky(notSPD, n) == nil)
    }

    /// Every pair of m = 10 items played 4 times, split 2–2: θ = 0, every weight n p(1 − p) = 1.
    /// Exact: L = mI − J, L⁺ᵢᵢ = (m − 1)/m² = 0.09. The series: d = m − 1, Σⱼ w²/(d dⱼ) = 1/(m − 1),
    /// Gᵢᵢ = m/(m − 1)², (G1)ᵢ = 3/(m − 1), so L⁺ᵢᵢ ≈ m/(m − 1)² − 6/(m(m − 1)) + 3/(m(m − 1))
    /// = 10/81 − 1/30 = 0.0901234…
    @Test func seriesOnACompleteDesignByHand() {
        let m = 10
        var pairs = PairTable()
        for i in 0..<m { for j in (i + 1)..<m { pairs.append(i, j, wLo: 2, wHi: 2, t: 0) } }
        let group = [Int32](repeating: 0, count: m), weights = [Double](repeating: 1, count: pairs.count)
        let exact = Intervals.standardErrors(pairs: pairs, weights: weights, items: m, group: group, groups: 1, fitted: [true], limit: m)
        let approx = Intervals.standardErrors(pairs: pairs, weights: weights, items: m, group: group, groups: 1, fitted: [true], limit: m - 1)
        let mm = Double(m)
        for i in 0..<m {
            #expect(abs(exact.se[i]! * exact.se[i]! - (mm - 1) / (mm * mm)) < 1e-14 && !exact.approximate[i])
            #expect(abs(approx.se[i]! * approx.se[i]! - (mm / ((mm - 1) * (mm - 1)) - 3 / (mm * (mm - 1)))) < 1e-14 && approx.approximate[i])
        }
    }

    /// 400 items and 40,000 comparisons (about 100 per item), half-win and Davidson ties: the
    /// approximate standard errors within 0.1% of the exact.
    @Test func seriesAgainstTheExactInverse() throws {
        let d = PairwiseReference.random(seed: 21, items: 400, count: 40_000, tieShare: 0.2)
        for ties in TieModel.allCases {
            let exact = Pairwise.fit(d, options: PairwiseOptions(ties: ties, intervalLimit: 400))
            let approx = Pairwise.fit(d, options: PairwiseOptions(ties: ties, intervalLimit: 399))
            var worst = 0.0
            for (e, a) in zip(exact.items, approx.items) {
                let se = try #require(e.standardError), sa = try #require(a.standardError)
                worst = max(worst, abs(sa / se - 1))
                #expect(e.interval == .exact && e.note == nil)
                #expect(a.interval == .approximate && a.note?.hasPrefix("approximate interval: its group has 400 items, more than the 399") == true)
                #expect(e.score == a.score)
            }
            #expect(worst < 1e-3 && worst > 0, "\(ties): \(worst)")
        }
    }
}
