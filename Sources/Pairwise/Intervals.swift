/// Standard errors of centred scores from the Fisher (observed) information: per group, the
/// information is a weighted graph Laplacian L, singular along "add a constant"; the centred
/// scores' covariance is its pseudo-inverse L⁺ = (L + J/m)⁻¹ − J/m (J all ones), which is
/// what sureal's bordered-matrix inverse gives once moved to centred scores.
enum Intervals {
    /// Standard errors per item (nil where the group is larger than `limit` or not fitted).
    /// `c`/`nuInfo`: a nuisance parameter's cross information (Davidson's ν), removed by the
    /// Schur complement via Sherman–Morrison across all groups.
    static func standardErrors(pairs: PairTable, weights: [Double], items m: Int, group: [Int32],
                               groups: Int, fitted: [Bool], limit: Int,
                               c: [Double]? = nil, nuInfo: Double = 0) -> [Double?] {
        var members = [[Int]](repeating: [], count: groups)
        for i in 0..<m where group[i] >= 0 && fitted[Int(group[i])] { members[Int(group[i])].append(i) }
        var local = [Int](repeating: -1, count: m)
        var blocks = [Int: [Double]]()
        var us = [Int: [Double]](), cu = 0.0
        for g in 0..<groups where !members[g].isEmpty && members[g].count <= limit {
            for (x, i) in members[g].enumerated() { local[i] = x }
            let n = members[g].count
            var a = [Double](repeating: 1 / Double(n), count: n * n)
            for k in 0..<pairs.count {
                let i = Int(pairs.lo[k]), j = Int(pairs.hi[k])
                guard group[i] == Int32(g) else { continue }
                let x = local[i], y = local[j], w = weights[k]
                a[x * n + x] += w; a[y * n + y] += w; a[x * n + y] -= w; a[y * n + x] -= w
            }
            guard var inv = Dense.inverseSPD(a, n) else { continue }
            for x in 0..<(n * n) { inv[x] -= 1 / Double(n) }
            blocks[g] = inv
            if let c {
                let cg = members[g].map { c[$0] }
                let u = (0..<n).map { x in (0..<n).reduce(0.0) { $0 + inv[x * n + $1] * cg[$1] } }
                us[g] = u; cu += zip(cg, u).reduce(0) { $0 + $1.0 * $1.1 }
            }
        }
        var se = [Double?](repeating: nil, count: m)
        for (g, inv) in blocks {
            let n = members[g].count
            for (x, i) in members[g].enumerated() {
                var v = inv[x * n + x]
                if let u = us[g], nuInfo - cu > 0 { v += u[x] * u[x] / (nuInfo - cu) }
                se[i] = max(v, 0).squareRoot()
            }
        }
        return se
    }
}

/// Small dense linear algebra (row-major), enough for one group's information matrix.
enum Dense {
    /// Cholesky factor L (lower) of a symmetric positive-definite matrix, nil if not.
    static func cholesky(_ a: [Double], _ n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var d = a[j * n + j]
            for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
            guard d > 0 else { return nil }
            let ljj = d.squareRoot(); l[j * n + j] = ljj
            for i in (j + 1)..<max(n, j + 1) {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = s / ljj
            }
        }
        return l
    }

    /// Solves A x = b with A's Cholesky factor.
    static func solve(_ l: [Double], _ n: Int, _ b: [Double]) -> [Double] {
        var y = b
        for i in 0..<n { for k in 0..<i { y[i] -= l[i * n + k] * y[k] }; y[i] /= l[i * n + i] }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<max(n, i + 1) { y[i] -= l[k * n + i] * y[k] }
            y[i] /= l[i * n + i]
        }
        return y
    }

    static func inverseSPD(_ a: [Double], _ n: Int) -> [Double]? {
        guard let l = cholesky(a, n) else { return nil }
        var inv = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n); e[j] = 1
            let x = solve(l, n, e)
            for i in 0..<n { inv[i * n + j] = x[i] }
        }
        return inv
    }
}
