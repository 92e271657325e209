import Foundation

/// Thurstone Case V by maximum likelihood: P(i beats j) = Φ(vi − vj). The negative
/// log-likelihood is convex (log Φ is concave), so Newton's method with step halving
/// converges to the ML point to machine precision — where sureal's SLSQP stops at ftol 1e-8
/// (docs/pairwise.md). Its Hessian is a weighted graph Laplacian, solved like Bradley–Terry's
/// by conjugate gradients over the pairs (Laplacian.swift), so a group of 10,000 items costs
/// passes over its pairs, not a dense 10,000² factorisation per step.
enum Thurstone {
    struct Fit { var v: [Double]; var iterations: Int; var converged: Bool }

    static func fit(_ pairs: PairTable, items m: Int, group: [Int32], groups: Int, options: PairwiseOptions,
                    parallel: Bool = true) -> Fit {
        var lap = Laplacian(pairs, items: m, parallel: parallel)
        let rows = Array(0..<pairs.count), local = Array(0..<m)
        var v = [Double](repeating: 0, count: m), iterations = 0, converged = false
        var f0 = nll(v, rows, pairs, local)
        while iterations < min(options.maxIterations, 500) {
            iterations += 1
            var gd = [Double](repeating: 0, count: pairs.count), hd = gd
            for k in 0..<pairs.count {
                let d = v[Int(pairs.lo[k])] - v[Int(pairs.hi[k])], a = pairs.wLo[k], b = pairs.wHi[k]
                // Minus the derivative of the pair's negative log-likelihood in d, and its curvature.
                gd[k] = a * StandardNormal.mills(d) - b * StandardNormal.mills(-d)
                hd[k] = a * StandardNormal.mills(d) * (d + StandardNormal.mills(d)) + b * StandardNormal.mills(-d) * (-d + StandardNormal.mills(-d))
            }
            let g = lap.antisymmetricRowSums(gd)
            lap.setWeights(hd)
            var size = 0.0
            for i in 0..<m where group[i] >= 0 { size = max(size, abs(g[i])) }
            var step = lap.solve(g, group: group, groups: groups, grounded: nil, relTol: min(1e-2, max(size, 1e-10))).x
            BradleyTerry.centre(&step, group: group, groups: groups)
            var t = 1.0, next = v, f1 = f0
            while t > 1e-12 {
                for i in 0..<m { next[i] = v[i] + t * step[i] }
                f1 = nll(next, rows, pairs, local)
                if f1 <= f0 + 1e-15 * abs(f0) { break }
                t /= 2
            }
            var change = 0.0
            for i in 0..<m where group[i] >= 0 { change = max(change, abs(next[i] - v[i])) }
            v = next; f0 = f1
            if change < options.tolerance { converged = true; break }
        }
        return Fit(v: v, iterations: iterations, converged: converged)
    }

    /// Observed information weights per pair: −d²/dd² of a log Φ(d) + b log Φ(−d).
    static func information(_ pairs: PairTable, v: [Double]) -> [Double] {
        (0..<pairs.count).map { k in
            let d = v[Int(pairs.lo[k])] - v[Int(pairs.hi[k])]
            return pairs.wLo[k] * StandardNormal.mills(d) * (d + StandardNormal.mills(d)) + pairs.wHi[k] * StandardNormal.mills(-d) * (-d + StandardNormal.mills(-d))
        }
    }

    static func nll(_ x: [Double], _ rows: [Int], _ pairs: PairTable, _ local: [Int]) -> Double {
        var s = 0.0
        for k in rows {
            let d = x[local[Int(pairs.lo[k])]] - x[local[Int(pairs.hi[k])]]
            s -= pairs.wLo[k] * StandardNormal.logCDF(d) + pairs.wHi[k] * StandardNormal.logCDF(-d)
        }
        return s
    }
}
