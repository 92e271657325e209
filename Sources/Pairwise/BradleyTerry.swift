import Foundation

/// Bradley–Terry by maximum likelihood with Newton's method (docs/pairwise.md "Speed"). The
/// log-likelihood is concave in the log-scores θ (and in log ν with Davidson ties: it is a
/// log-linear model), its Hessian is a weighted graph Laplacian, and each Newton step solves
/// it by conjugate gradients over the pairs — a few dozen passes over the pairs in all,
/// where Hunter's MM (BradleyTerry+MM.swift, sureal's fixed point) needs hundreds. The
/// optimum is the same; the step is halved until the likelihood does not fall.
enum BradleyTerry {
    struct Fit { var theta: [Double]; var nu: Double?; var iterations: Int; var converged: Bool }

    /// Fits the items with `group[i] >= 0` (every pair must join two such items), each group
    /// centred. `anchor`, when given, is an item held at θ = 0 (the regularised fit's pivot):
    /// then no centring. `parallel`: threads may share the passes over the pairs.
    static func fit(_ pairs: PairTable, items m: Int, group: [Int32], groups: Int, anchor: Int? = nil,
                    options: PairwiseOptions, parallel: Bool = true) -> Fit {
        let totalTies = pairs.t.reduce(0, +)
        let total = totalTies + pairs.wLo.reduce(0, +) + pairs.wHi.reduce(0, +)
        let davidson = totalTies > 0
        var lap = Laplacian(pairs, items: m, parallel: parallel)
        let active = group.map { $0 >= 0 }
        let pairBlocks = Blocks.of(pairs.count)
        // ν starts where equal scores would give the observed share of ties.
        var theta = [Double](repeating: 0, count: m)
        var lambda = davidson && total > totalTies ? log(2 * totalTies / (total - totalTies)) : 0
        var state = Terms(pairs, theta: theta, lambda: lambda, davidson: davidson, blocks: pairBlocks, parallel: lap.parallel)
        var iterations = 0, converged = false
        while iterations < min(options.maxIterations, 200) {
            iterations += 1
            let g = lap.antisymmetricRowSums(state.g)
            lap.setWeights(state.w)
            var size = 0.0
            for i in 0..<m where active[i] && i != anchor { size = max(size, abs(g[i])) }
            let relTol = min(1e-2, max(size, 1e-10))
            var step = lap.solve(g, group: group, groups: groups, grounded: anchor, relTol: relTol).x
            var dl = 0.0
            if davidson {
                let c = lap.antisymmetricRowSums(state.c)
                let v = lap.solve(c, group: group, groups: groups, grounded: anchor, relTol: relTol).x
                var cu = 0.0, cv = 0.0
                for i in 0..<m where active[i] { cu += c[i] * step[i]; cv += c[i] * v[i] }
                if state.s - cv > 0 { dl = (state.gLambda - cu) / (state.s - cv) }
                for i in 0..<m { step[i] -= v[i] * dl }
            }
            if anchor == nil { centre(&step, group: group, groups: groups) }
            var t = 1.0, next = theta, nextLambda = lambda, trial = state
            while true {
                for i in 0..<m { next[i] = theta[i] + t * step[i] }
                nextLambda = lambda + t * dl
                trial = Terms(pairs, theta: next, lambda: nextLambda, davidson: davidson, blocks: pairBlocks, parallel: lap.parallel)
                if trial.logLikelihood >= state.logLikelihood - 1e-13 * abs(state.logLikelihood) || t < 1e-10 { break }
                t /= 2
            }
            var change = t * abs(dl)
            for i in 0..<m where active[i] { change = max(change, t * abs(step[i])) }
            theta = next; lambda = nextLambda; state = trial
            if change < options.tolerance { converged = true; break }
        }
        if !converged && iterations < options.maxIterations {
            return mm(pairs, items: m, group: group, groups: groups, anchor: anchor, options: options)
        }
        return Fit(theta: theta, nu: davidson ? exp(lambda) : nil, iterations: iterations, converged: converged)
    }

    /// The per-pair terms of one point: gradient g (for the lower-numbered item of the pair;
    /// the other's is −g), Hessian weight w, Davidson's θ–log ν cross term c (antisymmetric
    /// like g), and the log ν gradient, its Hessian s and the log-likelihood, summed per
    /// fixed block of pairs and then in block order.
    struct Terms {
        var g: [Double], w: [Double], c: [Double]
        var gLambda = 0.0, s = 0.0, logLikelihood = 0.0

        init(_ pairs: PairTable, theta: [Double], lambda: Double, davidson: Bool, blocks: [Range<Int>], parallel: Bool) {
            let n = pairs.count
            g = [Double](repeating: 0, count: n); w = g; c = davidson ? g : []
            var partial = [Double](repeating: 0, count: 3 * blocks.count)
            let nu = exp(lambda)
            g.withUnsafeMutableBufferPointer { g in
                w.withUnsafeMutableBufferPointer { w in
                    c.withUnsafeMutableBufferPointer { c in
                        partial.withUnsafeMutableBufferPointer { partial in
                            nonisolated(unsafe) let g = g, w = w, c = c, partial = partial
                            let index = Dictionary(uniqueKeysWithValues: blocks.enumerated().map { ($0.element.lowerBound, $0.offset) })
                            Blocks.run(blocks, parallel: parallel) { range in
                                var ll = 0.0, gl = 0.0, ss = 0.0
                                for k in range {
                                    let a = pairs.wLo[k], b = pairs.wHi[k], t = pairs.t[k]
                                    let x = theta[Int(pairs.lo[k])] - theta[Int(pairs.hi[k])]
                                    if !davidson {
                                        // p = σ(x) and log p, log(1 − p) without overflow.
                                        let e = exp(-abs(x)), p = x >= 0 ? 1 / (1 + e) : e / (1 + e)
                                        let l1 = log1p(e)
                                        ll += a * (x >= 0 ? -l1 : x - l1) + b * (x >= 0 ? -x - l1 : -l1)
                                        g[k] = a - (a + b) * p; w[k] = (a + b) * p * (1 - p)
                                    } else {
                                        let h = x / 2, big = abs(h)
                                        let el = exp(h - big), eh = exp(-h - big), et = nu * exp(-big)
                                        let sum = el + eh + et, lse = big + log(sum)
                                        let pl = el / sum, ph = eh / sum, pt = et / sum
                                        let nn = a + b + t, al = pl + pt / 2
                                        ll += a * (h - lse) + b * (-h - lse) + (t > 0 ? t * (lambda - lse) : 0)
                                        g[k] = a + t / 2 - nn * al
                                        w[k] = nn * (pl * ph + pt / 4 - pt * pt / 4)
                                        c[k] = nn * pt * (0.5 - al)
                                        gl += t - nn * pt; ss += nn * pt * (1 - pt)
                                    }
                                }
                                let slot = index[range.lowerBound]!
                                partial[3 * slot] = ll; partial[3 * slot + 1] = gl; partial[3 * slot + 2] = ss
                            }
                        }
                    }
                }
            }
            for b in blocks.indices { logLikelihood += partial[3 * b]; gLambda += partial[3 * b + 1]; s += partial[3 * b + 2] }
        }
    }

    /// Subtracts each group's mean, so scores are comparable within a group only (docs/pairwise.md).
    static func centre(_ x: inout [Double], group: [Int32], groups: Int) {
        var sum = [Double](repeating: 0, count: groups), n = [Double](repeating: 0, count: groups)
        for i in 0..<x.count where group[i] >= 0 { sum[Int(group[i])] += x[i]; n[Int(group[i])] += 1 }
        for i in 0..<x.count where group[i] >= 0 { x[i] -= sum[Int(group[i])] / n[Int(group[i])] }
    }

    /// The observed information of θ as a weighted Laplacian: one weight per pair, plus,
    /// with Davidson ties, the cross terms with ν (c, per item) and ν's own information.
    /// Written out in docs/pairwise.md; sureal's `n / pp*2` slip is not repeated.
    static func information(_ pairs: PairTable, theta: [Double], nu: Double?) -> (weights: [Double], c: [Double], nuInfo: Double) {
        var w = [Double](repeating: 0, count: pairs.count), c = [Double](repeating: 0, count: theta.count)
        var nuInfo = 0.0
        for k in 0..<pairs.count {
            let i = Int(pairs.lo[k]), j = Int(pairs.hi[k])
            let n = pairs.wLo[k] + pairs.wHi[k] + pairs.t[k]
            let pi = exp(theta[i]), pj = exp(theta[j])
            guard let nu, nu > 0 else { w[k] = n * pi * pj / ((pi + pj) * (pi + pj)); continue }
            let r = (pi * pj).squareRoot(), d = pi + pj + nu * r
            let ai = (pi + nu * r / 2) / d, aj = (pj + nu * r / 2) / d
            w[k] = n * (ai * aj - nu * r / (4 * d))
            c[i] += n * r * (0.5 - ai) / d; c[j] += n * r * (0.5 - aj) / d
            nuInfo -= n * r * r / (d * d)
        }
        if let nu, nu > 0 {
            nuInfo += pairs.t.reduce(0, +) / (nu * nu)
        }
        return (w, c, nuInfo)
    }
}
