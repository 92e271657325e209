/// Standard errors of centred scores from the Fisher (observed) information: per group, the
/// information is a weighted graph Laplacian L, singular along "add a constant"; the centred
/// scores' covariance is its pseudo-inverse L⁺ = (L + J/m)⁻¹ − J/m (J all ones), which is
/// what sureal's bordered-matrix inverse gives once moved to centred scores. Exact (a dense
/// Cholesky) for groups up to `limit` items; beyond, the random-walk series of L⁺'s diagonal
/// to its second term (docs/pairwise.md "Intervals" gives it and its measured error).
enum Intervals {
    /// Standard errors per item (nil where the group is not fitted) and, per item, whether
    /// its error is the approximation. `c`/`nuInfo`: a nuisance parameter's cross information
    /// (Davidson's ν), removed by the Schur complement via Sherman–Morrison across all groups.
    static func standardErrors(pairs: PairTable, weights: [Double], items m: Int, group: [Int32],
                               groups: Int, fitted: [Bool], limit: Int,
                               c: [Double]? = nil, nuInfo: Double = 0) -> (se: [Double?], approximate: [Bool]) {
        var members = [[Int]](repeating: [], count: groups)
        for i in 0..<m where group[i] >= 0 && fitted[Int(group[i])] { members[Int(group[i])].append(i) }
        var variance = [Double?](repeating: nil, count: m), approximate = [Bool](repeating: false, count: m)
        var u = [Double](repeating: 0, count: m), cu = 0.0
        let large = (0..<groups).filter { members[$0].count > limit }
        var lap: Laplacian?
        if !large.isEmpty {
            var l = Laplacian(pairs, items: m, parallel: true)
            l.setWeights(weights)
            lap = l
        }
        var local = [Int](repeating: -1, count: m)
        // Pairs by group, so a batch of many small groups (one per prompt) reads each pair once.
        var pairsOf = [[Int32]](repeating: [], count: groups)
        for k in 0..<pairs.count {
            let g = Int(group[Int(pairs.lo[k])])
            if g >= 0 && members[g].count <= limit { pairsOf[g].append(Int32(k)) }
        }
        for g in 0..<groups where !members[g].isEmpty && members[g].count <= limit {
            for (x, i) in members[g].enumerated() { local[i] = x }
            let n = members[g].count
            var a = [Double](repeating: 1 / Double(n), count: n * n)
            for k32 in pairsOf[g] {
                let k = Int(k32), i = Int(pairs.lo[k]), j = Int(pairs.hi[k])
                let x = local[i], y = local[j], w = weights[k]
                a[x * n + x] += w; a[y * n + y] += w; a[x * n + y] -= w; a[y * n + x] -= w
            }
            guard let l = Dense.cholesky(a, n) else { continue }
            let diag = Dense.inverseDiagonal(l, n)
            for (x, i) in members[g].enumerated() { variance[i] = diag[x] - 1 / Double(n) }
            if let c {
                let ug = Dense.solve(l, n, members[g].map { c[$0] })
                for (x, i) in members[g].enumerated() { u[i] = ug[x]; cu += c[i] * ug[x] }
            }
        }
        if let lap {
            let approx = seriesDiagonal(lap, members: large.map { members[$0] })
            for (i, v) in approx { variance[i] = v; approximate[i] = true }
            if let c {
                var inLarge = [Int32](repeating: -1, count: m)
                for (k, g) in large.enumerated() { for i in members[g] { inLarge[i] = Int32(k) } }
                var x = lap.solve(c, group: inLarge, groups: large.count, grounded: nil, relTol: 1e-10).x
                BradleyTerry.centre(&x, group: inLarge, groups: large.count)
                for i in 0..<m where inLarge[i] >= 0 { u[i] = x[i]; cu += c[i] * x[i] }
            }
        }
        var se = [Double?](repeating: nil, count: m)
        for i in 0..<m {
            guard var v = variance[i] else { continue }
            if c != nil, nuInfo - cu > 0 { v += u[i] * u[i] / (nuInfo - cu) }
            se[i] = max(v, 0).squareRoot()
        }
        return (se, approximate)
    }

    /// The diagonal of L⁺ for large groups without inverting L. With D the weighted degrees,
    /// N = D⁻¹W the random walk on the pairs and P = I − J/n the centring, L⁺ = P Z D⁻¹ P for
    /// the fundamental matrix Z = Σₖ (Nᵏ − 1πᵀ), and P removes the 1πᵀ terms, so
    /// L⁺ ≈ P (D⁻¹ + N D⁻¹ + N² D⁻¹) P. Its diagonal is
    /// Gᵢᵢ − 2 (G1)ᵢ / n + 1ᵀG1 / n², Gᵢᵢ = (1 + Σⱼ wᵢⱼ² / (dᵢ dⱼ)) / dᵢ (N has no diagonal).
    /// The terms left out are walks of three or more steps back to i: a share of about
    /// (Σⱼ wᵢⱼ² / (dᵢ dⱼ))² plus triangles, small when each item meets many opponents.
    static func seriesDiagonal(_ lap: Laplacian, members: [[Int]]) -> [(Int, Double)] {
        let m = lap.m
        var ret = [Double](repeating: 0, count: m), u = [Double](repeating: 0, count: m)
        for i in 0..<m where lap.diag[i] > 0 {
            u[i] = 1 / lap.diag[i]
            var s = 0.0
            for e in Int(lap.start[i])..<Int(lap.start[i + 1]) {
                let j = Int(lap.col[e]), w = lap.w[e]
                if lap.diag[j] > 0 { s += w * w / lap.diag[j] }
            }
            ret[i] = s / lap.diag[i]
        }
        func walk(_ x: [Double]) -> [Double] {
            var y = [Double](repeating: 0, count: m)
            for i in 0..<m where lap.diag[i] > 0 {
                var s = 0.0
                for e in Int(lap.start[i])..<Int(lap.start[i + 1]) { s += lap.w[e] * x[Int(lap.col[e])] }
                y[i] = s / lap.diag[i]
            }
            return y
        }
        let nu = walk(u), nnu = walk(nu)
        var out = [(Int, Double)]()
        for items in members {
            let n = Double(items.count)
            let total = items.reduce(0.0) { $0 + u[$1] + nu[$1] + nnu[$1] }
            for i in items {
                let g1 = u[i] + nu[i] + nnu[i]
                out.append((i, u[i] * (1 + ret[i]) - 2 * g1 / n + total / (n * n)))
            }
        }
        return out
    }
}
