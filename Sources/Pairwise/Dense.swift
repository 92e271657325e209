/// Dense linear algebra (row-major) for one group's information matrix: a blocked Cholesky
/// factorisation and the diagonal of the inverse, with rows shared among threads in fixed
/// blocks (each entry is computed by one thread in one order: the same bits on any core count).
enum Dense {
    static let panel = 64

    /// Cholesky factor L (lower, row-major; the upper triangle is left as zeros) of a
    /// symmetric positive-definite matrix, nil if it is not. Right-looking by panels of 64
    /// columns, so the trailing update reads each panel from cache.
    static func cholesky(_ a: [Double], _ n: Int, parallel: Bool = true) -> [Double]? {
        var l = a
        var ok = true
        l.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let p = buffer.baseAddress!
            for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { p[i * n + j] = 0 } }
            let threads = parallel && n >= 256
            for k0 in stride(from: 0, to: n, by: panel) {
                let k1 = min(n, k0 + panel)
                // The diagonal block, column by column.
                for j in k0..<k1 {
                    var d = p[j * n + j]
                    for k in k0..<j { d -= p[j * n + k] * p[j * n + k] }
                    guard d > 0 else { ok = false; return }
                    let ljj = d.squareRoot(); p[j * n + j] = ljj
                    for i in (j + 1)..<k1 {
                        var s = p[i * n + j]
                        for k in k0..<j { s -= p[i * n + k] * p[j * n + k] }
                        p[i * n + j] = s / ljj
                    }
                }
                guard k1 < n else { break }
                // The panel below it, then (once every row of it is done) the trailing matrix.
                let below = Blocks.of(n - k1).map { ($0.lowerBound + k1)..<($0.upperBound + k1) }
                Blocks.run(below, parallel: threads) { rows in
                    for i in rows {
                        let ri = p + i * n
                        for j in k0..<k1 {
                            var s = ri[j]
                            let rj = p + j * n
                            for k in k0..<j { s -= ri[k] * rj[k] }
                            ri[j] = s / rj[j]
                        }
                    }
                }
                Blocks.run(below, parallel: threads) { rows in
                    for i in rows {
                        let ri = p + i * n
                        for j in k1...i {
                            let rj = p + j * n
                            var s = 0.0
                            for k in k0..<k1 { s += ri[k] * rj[k] }
                            ri[j] -= s
                        }
                    }
                }
            }
        }
        return ok ? l : nil
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

    /// diag(A⁻¹) from A's Cholesky factor: A⁻¹ = L⁻ᵀL⁻¹, so entry i is the squared length of
    /// column i of T = L⁻¹. T is built a row at a time (row i of T is (eᵢ − Σₖ Lᵢₖ Tₖ) / Lᵢᵢ,
    /// contiguous row operations), four rows together so each earlier row is read once per four.
    static func inverseDiagonal(_ l: [Double], _ n: Int) -> [Double] {
        var t = [Double](repeating: 0, count: n * n)
        l.withUnsafeBufferPointer { lb in
            t.withUnsafeMutableBufferPointer { tb in
                let lp = lb.baseAddress!, tp = tb.baseAddress!
                for i0 in stride(from: 0, to: n, by: 4) {
                    let i1 = min(n, i0 + 4)
                    for i in i0..<i1 { tp[i * n + i] = 1 }
                    // Earlier rows (below i0) first, then within the four.
                    for k in 0..<i0 {
                        let tk = tp + k * n
                        for i in i0..<i1 {
                            let c = lp[i * n + k]
                            if c == 0 { continue }
                            let ti = tp + i * n
                            for j in 0...k { ti[j] -= c * tk[j] }
                        }
                    }
                    for i in i0..<i1 {
                        let ti = tp + i * n
                        for k in i0..<i {
                            let c = lp[i * n + k], tk = tp + k * n
                            for j in 0...k { ti[j] -= c * tk[j] }
                        }
                        let d = 1 / lp[i * n + i]
                        for j in 0...i { ti[j] *= d }
                    }
                }
            }
        }
        var diag = [Double](repeating: 0, count: n)
        for i in 0..<n { for j in 0...i { diag[j] += t[i * n + j] * t[i * n + j] } }
        return diag
    }
}
