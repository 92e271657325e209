import Foundation

/// Per-rater figures (docs/pairwise.md): consistency, position bias, agreement with the consensus.
public struct RaterFigures: Sendable, Equatable {
    public var rater: Int
    public var comparisons: Int
    /// Circular triads among the triples of items whose three pairs this rater judged
    /// decisively (a tie or a split pair is no preference, so joins no triad).
    public var circularTriads: Int
    /// Kendall's ζ = 1 − d / d_max, or why it is undefined.
    public var zeta: Result<Double, Undefined>
    /// Position bias: the share of decisive judgements (with the side recorded) won by the
    /// clip shown on the left, with a Wilson 95% interval and the exact binomial test of
    /// "no bias" (share 1/2).
    public var leftWins: Result<Proportion, Undefined>
    /// Agreement with the consensus: the share of decisive judgements between two items with
    /// a maximum-likelihood score whose winner is the fitted model's favourite (the higher
    /// score), with the count, the interval and the test against a coin (1/2).
    public var agreement: Result<Proportion, Undefined>

    public struct Undefined: Error, Sendable, Equatable { public var reason: String }
    /// k of n, as a share with its Wilson 95% interval (low, high) and the two-sided exact
    /// binomial p-value of share = 1/2: small when the share is beyond chance.
    public struct Proportion: Sendable, Equatable {
        public var share: Double, low: Double, high: Double, n: Int
        public var k: Int
        public var pValue: Double
    }

    static func compute(_ data: Comparisons, items: [ItemScore]) -> [RaterFigures] {
        var rows = [[Int]](repeating: [], count: data.raters.count)
        for k in 0..<data.count { rows[Int(data.rater[k])].append(k) }
        return rows.enumerated().compactMap { rater, rows in
            rows.isEmpty ? nil : figures(data, rater: rater, rows: rows, items: items)
        }
    }

    static func figures(_ data: Comparisons, rater: Int, rows: [Int], items: [ItemScore]) -> RaterFigures {
        // Net preference per pair (lo, hi): > 0 lo preferred, < 0 hi preferred.
        var net = [Int: Int](), seen = Set<Int32>()
        let m = data.items.count
        var left = (n: 0, k: 0), agree = (n: 0, k: 0)
        for k in rows {
            let a = Int(data.a[k]), b = Int(data.b[k])
            seen.insert(data.a[k]); seen.insert(data.b[k])
            guard data.outcome[k] != .tie else { continue }
            let winner = data.outcome[k] == .a ? a : b, loser = winner == a ? b : a
            net[min(a, b) * m + max(a, b), default: 0] += winner < loser ? 1 : -1
            if !data.shownLeft.isEmpty, data.shownLeft[k] >= 0 {
                left.n += 1
                if (data.shownLeft[k] == 0) == (data.outcome[k] == .a) { left.k += 1 }
            }
            if let sw = items[winner].score, let sl = items[loser].score, sw != sl {
                agree.n += 1; if sw > sl { agree.k += 1 }
            }
        }
        var out = [Int: [Int]](), edges = Set<Int>()
        for (key, v) in net where v != 0 {
            let (l, h) = (key / m, key % m), (w, x) = v > 0 ? (l, h) : (h, l)
            out[w, default: []].append(x); edges.insert(w * m + x)
        }
        var cycles = 0
        for (i, js) in out { for j in js { for k in out[j] ?? [] where edges.contains(k * m + i) { cycles += 1 } } }
        let triads = cycles / 3, n = seen.count
        let zeta: Result<Double, Undefined>
        if n < 3 { zeta = .failure(Undefined(reason: "fewer than 3 items judged")) }
        else if edges.count < n * (n - 1) / 2 {
            zeta = .failure(Undefined(reason: "\(edges.count) of the \(n * (n - 1) / 2) pairs of its \(n) items have a preference; Kendall's ζ needs every pair"))
        } else {
            let dMax = n % 2 == 1 ? Double(n * n * n - n) / 24 : Double(n * n * n - 4 * n) / 24
            zeta = .success(1 - Double(triads) / dMax)
        }
        return RaterFigures(rater: rater, comparisons: rows.count, circularTriads: triads, zeta: zeta,
                            leftWins: data.shownLeft.isEmpty ? .failure(Undefined(reason: "which clip was on the left is not recorded"))
                                : wilson(left.k, left.n, none: "no decisive judgement with the left side recorded"),
                            agreement: wilson(agree.k, agree.n, none: "no decisive judgement between two scored items"))
    }

    /// Share k/n with the Wilson 95% score interval (sound at 0 and n, unlike the Wald one).
    static func wilson(_ k: Int, _ n: Int, none: String) -> Result<Proportion, Undefined> {
        guard n > 0 else { return .failure(Undefined(reason: none)) }
        let z = 1.959963984540054, p = Double(k) / Double(n), nn = Double(n)
        let centre = (p + z * z / (2 * nn)) / (1 + z * z / nn)
        let half = z / (1 + z * z / nn) * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()
        return .success(Proportion(share: p, low: max(0, centre - half), high: min(1, centre + half), n: n,
                                   k: k, pValue: binomialTest(k, n)))
    }

    /// Two-sided exact binomial test of share 1/2: P(X ≤ min(k, n − k)) + P(X ≥ max(k, n − k)),
    /// X ~ Binomial(n, 1/2) — with the symmetric null the same as summing every outcome no
    /// likelier than k (scipy's `binomtest`). Terms in logs, so n in the millions is fine.
    static func binomialTest(_ k: Int, _ n: Int) -> Double {
        let m = min(k, n - k)
        guard 2 * m < n else { return 1 }
        let logHalf = Double(n) * log(0.5), nn = Double(n)
        var tail = 0.0
        for i in 0...m {
            tail += exp(lgamma(nn + 1) - lgamma(Double(i) + 1) - lgamma(nn - Double(i) + 1) + logHalf)
        }
        return min(1, 2 * tail)
    }
}
