import Foundation

/// Thurstone Case V by maximum likelihood: P(i beats j) = Φ(vi − vj). The negative
/// log-likelihood is convex (log Φ is concave), so Newton's method with step halving, on each
/// group's dense Hessian made definite by adding J/m (the centring), converges to the ML
/// point to machine precision — where sureal's SLSQP stops at ftol 1e-8 (docs/pairwise.md).
enum Thurstone {
    struct Fit { var v: [Double]; var iterations: Int; var converged: Bool }

    static func fit(_ pairs: PairTable, items m: Int, group: [Int32], groups: Int, options: PairwiseOptions) -> Fit {
        var members = [[Int]](repeating: [], count: groups), local = [Int](repeating: -1, count: m)
        for i in 0..<m where group[i] >= 0 { local[i] = members[Int(group[i])].count; members[Int(group[i])].append(i) }
        var byGroup = [[Int]](repeating: [], count: groups)
        for k in 0..<pairs.count { byGroup[Int(group[Int(pairs.lo[k])])].append(k) }
        var v = [Double](repeating: 0, count: m), iterations = 0, converged = true
        for g in 0..<groups where !members[g].isEmpty {
            let n = members[g].count
            var x = [Double](repeating: 0, count: n), ok = false
            for _ in 0..<min(options.maxIterations, 500) {
                iterations += 1
                var grad = [Double](repeating: 0, count: n), h = [Double](repeating: 1 / Double(n), count: n * n)
                for k in byGroup[g] {
                    let i = local[Int(pairs.lo[k])], j = local[Int(pairs.hi[k])], d = x[i] - x[j]
                    let a = pairs.wLo[k], b = pairs.wHi[k]
                    let gd = -a * mills(d) + b * mills(-d)
                    let hd = a * mills(d) * (d + mills(d)) + b * mills(-d) * (-d + mills(-d))
                    grad[i] += gd; grad[j] -= gd
                    h[i * n + i] += hd; h[j * n + j] += hd; h[i * n + j] -= hd; h[j * n + i] -= hd
                }
                guard let l = Dense.cholesky(h, n) else { break }
                let step = Dense.solve(l, n, grad.map { -$0 })
                var t = 1.0, f0 = nll(x, byGroup[g], pairs, local), next = x
                while t > 1e-12 {
                    next = zip(x, step).map { $0 + t * $1 }
                    if nll(next, byGroup[g], pairs, local) <= f0 + 1e-15 * abs(f0) { break }
                    t /= 2
                }
                let mean = next.reduce(0, +) / Double(n)
                let change = zip(next, x).reduce(0.0) { max($0, abs($1.0 - mean - $1.1)) }
                x = next.map { $0 - mean }
                if change < options.tolerance { ok = true; break }
            }
            converged = converged && ok
            for (y, i) in members[g].enumerated() { v[i] = x[y] }
        }
        return Fit(v: v, iterations: iterations, converged: converged)
    }

    /// Observed information weights per pair: −d²/dd² of a log Φ(d) + b log Φ(−d).
    static func information(_ pairs: PairTable, v: [Double]) -> [Double] {
        (0..<pairs.count).map { k in
            let d = v[Int(pairs.lo[k])] - v[Int(pairs.hi[k])]
            return pairs.wLo[k] * mills(d) * (d + mills(d)) + pairs.wHi[k] * mills(-d) * (-d + mills(-d))
        }
    }

    static func nll(_ x: [Double], _ rows: [Int], _ pairs: PairTable, _ local: [Int]) -> Double {
        var s = 0.0
        for k in rows {
            let d = x[local[Int(pairs.lo[k])]] - x[local[Int(pairs.hi[k])]]
            s -= pairs.wLo[k] * logPhi(d) + pairs.wHi[k] * logPhi(-d)
        }
        return s
    }

    /// log Φ(x), accurate far in the lower tail (erfc underflows below about −38).
    static func logPhi(_ x: Double) -> Double {
        if x > -30 { return log(0.5 * erfc(-x / 2.squareRoot())) }
        return -x * x / 2 - log(-x) - 0.5 * log(2 * Double.pi) + log1p(-1 / (x * x) + 3 / (x * x * x * x))
    }

    /// φ(x)/Φ(x) (the inverse Mills ratio of −x).
    static func mills(_ x: Double) -> Double {
        if x > -30 { return exp(-x * x / 2) / (2 * Double.pi).squareRoot() / (0.5 * erfc(-x / 2.squareRoot())) }
        return -x / (1 - 1 / (x * x) + 3 / (x * x * x * x))
    }
}
