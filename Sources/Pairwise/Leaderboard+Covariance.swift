import Foundation

/// The full covariance of the centred ML scores of a (small) fit — the leaderboard's systems —
/// where `Pairwise.fit` reports only each score's standard error. Built here from the
/// comparisons and the fitted scores, independently of the fit's own interval code (its
/// diagonal equals those standard errors squared; LeaderboardTests checks it):
///
/// the observed information of the scores is a weighted graph Laplacian L, one weight per
/// compared pair — Bradley–Terry nij·p(1 − p), p = 1/(1 + e^−(θi − θj)); Thurstone
/// −d²/dd² of a·log Φ(d) + b·log Φ(−d); Davidson's ties add the cross information c with ν
/// and ν's own q. The covariance of centred scores is (L − ccᵀ/q)⁺, computed as
/// (L − ccᵀ/q + Σg Jg/mg)⁻¹ − Σg Jg/mg (Jg the all-ones block of group g of mg fitted items):
/// c sums to 0 in each group, so the added blocks only fill the constant directions.
struct ScoreCovariance: Sendable {
    /// Row of each item in `sigma`, −1 when it has no ML score.
    let row: [Int]
    let n: Int
    let sigma: [Double]

    /// nil when more than `options.intervalLimit` items are fitted, or the matrix is singular.
    init?(_ data: Comparisons, result: PairwiseResult, options: PairwiseOptions) {
        var row = [Int](repeating: -1, count: data.items.count), members = [Int: [Int]]()
        var n = 0
        for item in result.items where item.score != nil {
            row[item.item] = n; n += 1; members[item.group, default: []].append(item.item)
        }
        guard n > 0, n <= options.intervalLimit else { return nil }
        // Comparisons folded per pair (lo < hi): wins of lo, of hi, ties; half-win ties folded.
        var pairs = [Int: (lo: Double, hi: Double, t: Double)]()
        let m = data.items.count
        for k in 0..<data.count {
            let x = Int(data.a[k]), y = Int(data.b[k])
            guard row[x] >= 0, row[y] >= 0 else { continue }
            let (l, h) = (min(x, y), max(x, y))
            var p = pairs[l * m + h] ?? (0, 0, 0)
            switch data.outcome[k] {
            case .tie: p.t += 1
            case .a: if x == l { p.lo += 1 } else { p.hi += 1 }
            case .b: if y == l { p.lo += 1 } else { p.hi += 1 }
            }
            pairs[l * m + h] = p
        }
        let davidson = result.model == .bt && result.ties == .davidson ? result.nu : nil
        let size = n + (davidson == nil ? 0 : 1)
        var a = [Double](repeating: 0, count: size * size)
        for (_, items) in members {
            for i in items { for j in items { a[row[i] * size + row[j]] += 1 / Double(items.count) } }
        }
        var q = 0.0
        for (key, p) in pairs.sorted(by: { $0.key < $1.key }) {
            let i = key / m, j = key % m, x = row[i], y = row[j]
            let d = result.items[i].score! - result.items[j].score!
            var w: Double
            if let nu = davidson {
                // Davidson: the same terms as the fit's information (docs/pairwise.md "Intervals").
                let total = p.lo + p.hi + p.t
                let pi = exp(d / 2), pj = exp(-d / 2), r = 1.0, dd = pi + pj + nu * r
                let ai = (pi + nu * r / 2) / dd, aj = (pj + nu * r / 2) / dd
                w = total * (ai * aj - nu * r / (4 * dd))
                a[x * size + n] += total * r * (0.5 - ai) / dd; a[y * size + n] += total * r * (0.5 - aj) / dd
                q -= total * r * r / (dd * dd)
                q += p.t / (nu * nu)
            } else {
                let lo = p.lo + p.t / 2, hi = p.hi + p.t / 2
                switch result.model {
                case .bt:
                    let s = 1 / (1 + exp(-d))
                    w = (lo + hi) * s * (1 - s)
                case .thurstone:
                    w = lo * StandardNormal.mills(d) * (d + StandardNormal.mills(d)) + hi * StandardNormal.mills(-d) * (-d + StandardNormal.mills(-d))
                }
            }
            a[x * size + x] += w; a[y * size + y] += w; a[x * size + y] -= w; a[y * size + x] -= w
        }
        if davidson != nil {
            for x in 0..<n { a[n * size + x] = a[x * size + n] }
            a[n * size + n] = q
        }
        guard var inverse = Self.inverse(a, size) else { return nil }
        for (_, items) in members {
            for i in items { for j in items { inverse[row[i] * size + row[j]] -= 1 / Double(items.count) } }
        }
        self.row = row; self.n = n
        self.sigma = (0..<(n * n)).map { inverse[($0 / n) * size + $0 % n] }
    }

    /// Cov(score i, score j) of centred scores; nil when either has no ML score.
    func covariance(_ i: Int, _ j: Int) -> Double? {
        guard row[i] >= 0, row[j] >= 0 else { return nil }
        return sigma[row[i] * n + row[j]]
    }

    /// Var(score i − score j) = Σii + Σjj − 2Σij (meaningful within one group).
    func contrastVariance(_ i: Int, _ j: Int) -> Double? {
        guard let ii = covariance(i, i), let jj = covariance(j, j), let ij = covariance(i, j) else { return nil }
        return ii + jj - 2 * ij
    }

    /// Gauss–Jordan inverse with partial pivoting (the matrix is symmetric and, at an ML
    /// point, positive definite; pivoting keeps the bordered ν row safe); nil when singular.
    static func inverse(_ matrix: [Double], _ n: Int) -> [Double]? {
        var a = matrix, inv = [Double](repeating: 0, count: n * n)
        for i in 0..<n { inv[i * n + i] = 1 }
        let scale = matrix.reduce(0) { max($0, abs($1)) }
        for col in 0..<n {
            var pivot = col
            for r in (col + 1)..<max(n, col + 1) where abs(a[r * n + col]) > abs(a[pivot * n + col]) { pivot = r }
            guard abs(a[pivot * n + col]) > 1e-13 * scale else { return nil }
            if pivot != col {
                for k in 0..<n { a.swapAt(pivot * n + k, col * n + k); inv.swapAt(pivot * n + k, col * n + k) }
            }
            let p = a[col * n + col]
            for k in 0..<n { a[col * n + k] /= p; inv[col * n + k] /= p }
            for r in 0..<n where r != col {
                let f = a[r * n + col]
                guard f != 0 else { continue }
                for k in 0..<n { a[r * n + k] -= f * a[col * n + k]; inv[r * n + k] -= f * inv[col * n + k] }
            }
        }
        return inv
    }
}
