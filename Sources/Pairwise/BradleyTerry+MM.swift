import Foundation

/// Bradley–Terry by maximum likelihood: Hunter's (2004) MM iteration
/// πi ← Wi / Σj nij/(πi + πj), the same fixed point as sureal's `BT_MLE`, extended with
/// Davidson's tie parameter (πi ← (Wi + Ti/2) / Σj nij(πi + ν√(πiπj)/2)/(πi·Dij),
/// ν ← T / Σ nij√(πiπj)/Dij, Dij = πi + πj + ν√(πiπj)). Works on log-scores θ = log π,
/// centred per group after every step, so nothing over- or underflows. Kept beside Newton
/// (BradleyTerry.swift) as the fixed point sureal iterates: the tests hold the two together,
/// and `fit` falls back on it should Newton ever stall.
extension BradleyTerry {
    /// Fits the items with `group[i] >= 0` (every pair must join two such items). `anchor`,
    /// when given, is an item held at θ = 0 (the regularised fit's pivot): then no centring.
    static func mm(_ pairs: PairTable, items m: Int, group: [Int32], groups: Int, anchor: Int? = nil,
                   options: PairwiseOptions) -> Fit {
        var wins = [Double](repeating: 0, count: m), tiesOf = [Double](repeating: 0, count: m)
        var totalTies = 0.0
        for k in 0..<pairs.count {
            let l = Int(pairs.lo[k]), h = Int(pairs.hi[k])
            wins[l] += pairs.wLo[k]; wins[h] += pairs.wHi[k]
            tiesOf[l] += pairs.t[k]; tiesOf[h] += pairs.t[k]; totalTies += pairs.t[k]
        }
        let numerator = (0..<m).map { log(wins[$0] + tiesOf[$0] / 2) }
        var theta = [Double](repeating: 0, count: m), pi = [Double](repeating: 1, count: m)
        var nu = totalTies > 0 ? 1.0 : 0.0
        var s = [Double](repeating: 0, count: m)
        var iterations = 0, converged = false
        while iterations < options.maxIterations {
            iterations += 1
            for i in 0..<m { s[i] = 0 }
            var nuDen = 0.0
            for k in 0..<pairs.count {
                let i = Int(pairs.lo[k]), j = Int(pairs.hi[k])
                let n = pairs.wLo[k] + pairs.wHi[k] + pairs.t[k]
                let pi_ = pi[i], pj = pi[j]
                if nu == 0 {
                    let q = n / (pi_ + pj)
                    s[i] += q; s[j] += q
                } else {
                    let r = (pi_ * pj).squareRoot(), d = pi_ + pj + nu * r
                    s[i] += n * (pi_ + nu * r / 2) / (pi_ * d)
                    s[j] += n * (pj + nu * r / 2) / (pj * d)
                    nuDen += n * r / d
                }
            }
            var next = theta
            for i in 0..<m where group[i] >= 0 && i != anchor { next[i] = numerator[i] - log(s[i]) }
            if anchor == nil { centre(&next, group: group, groups: groups) }
            var change = 0.0
            for i in 0..<m where group[i] >= 0 { change = max(change, abs(next[i] - theta[i])) }
            theta = next
            for i in 0..<m { pi[i] = exp(theta[i]) }
            if nu > 0 {
                let nextNu = totalTies / nuDen
                change = max(change, abs(log(nextNu) - log(nu))); nu = nextNu
            }
            if change < options.tolerance { converged = true; break }
        }
        return Fit(theta: theta, nu: totalTies > 0 ? nu : nil, iterations: iterations, converged: converged)
    }
}
