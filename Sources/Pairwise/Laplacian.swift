import Dispatch

/// A weighted graph Laplacian over the compared pairs, stored by row (each pair twice), so a
/// product with a vector is one pass over 2 × pairs entries with no scattered writes: rows
/// are split into fixed blocks that threads share, and every row sums in the same order on
/// any number of cores — the results are bit-identical (docs/pairwise.md "Speed").
struct Laplacian {
    let m: Int
    let start: [Int32]
    let col: [Int32]
    /// The pair of each entry, to spread per-pair weights and gradients into rows.
    let pair: [Int32]
    var w: [Double]
    var diag: [Double]
    let rowBlocks: [Range<Int>]
    let parallel: Bool

    init(_ pairs: PairTable, items m: Int, parallel: Bool) {
        var count = [Int32](repeating: 0, count: m + 1)
        for k in 0..<pairs.count { count[Int(pairs.lo[k]) + 1] += 1; count[Int(pairs.hi[k]) + 1] += 1 }
        for i in 0..<m { count[i + 1] += count[i] }
        var fill = count, col = [Int32](repeating: 0, count: 2 * pairs.count), pair = col
        for k in 0..<pairs.count {
            let l = Int(pairs.lo[k]), h = Int(pairs.hi[k])
            col[Int(fill[l])] = Int32(h); pair[Int(fill[l])] = Int32(k); fill[l] += 1
            col[Int(fill[h])] = Int32(l); pair[Int(fill[h])] = Int32(k); fill[h] += 1
        }
        self.m = m; start = count; self.col = col; self.pair = pair
        w = [Double](repeating: 0, count: col.count); diag = [Double](repeating: 0, count: m)
        rowBlocks = Blocks.of(m)
        self.parallel = parallel && pairs.count >= 1 << 15
    }

    /// Sets the weight of every pair (and the diagonal, their row sums).
    mutating func setWeights(_ perPair: [Double]) {
        let start = start, pair = pair
        w.withUnsafeMutableBufferPointer { w in
            diag.withUnsafeMutableBufferPointer { diag in
                nonisolated(unsafe) let w = w, diag = diag
                Blocks.run(rowBlocks, parallel: parallel) { rows in
                    for i in rows {
                        var s = 0.0
                        for e in Int(start[i])..<Int(start[i + 1]) { let x = perPair[Int(pair[e])]; w[e] = x; s += x }
                        diag[i] = s
                    }
                }
            }
        }
    }

    /// Per item, the sum over its pairs of `perPair` (for the lower-numbered item of a pair)
    /// or its negative (for the higher): a gradient from per-pair terms.
    func antisymmetricRowSums(_ perPair: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: m)
        let start = start, col = col, pair = pair
        out.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            Blocks.run(rowBlocks, parallel: parallel) { rows in
                for i in rows {
                    var s = 0.0
                    for e in Int(start[i])..<Int(start[i + 1]) {
                        let x = perPair[Int(pair[e])]
                        s += Int(col[e]) > i ? x : -x
                    }
                    out[i] = s
                }
            }
        }
        return out
    }

    /// y = L x.
    func multiply(_ x: [Double], into y: inout [Double]) {
        let start = start, col = col
        w.withUnsafeBufferPointer { w in
            diag.withUnsafeBufferPointer { diag in
                x.withUnsafeBufferPointer { x in
                    y.withUnsafeMutableBufferPointer { y in
                        nonisolated(unsafe) let w = w, diag = diag, x = x, y = y
                        Blocks.run(rowBlocks, parallel: parallel) { rows in
                            for i in rows {
                                var s = diag[i] * x[i]
                                for e in Int(start[i])..<Int(start[i + 1]) { s -= w[e] * x[Int(col[e])] }
                                y[i] = s
                            }
                        }
                    }
                }
            }
        }
    }

    /// x dotted with y, in index order (m is small next to the pairs; threads would cost more).
    func dot(_ x: [Double], _ y: [Double]) -> Double {
        var s = 0.0
        for i in 0..<m { s += x[i] * y[i] }
        return s
    }

    /// Solves L x = b by conjugate gradients preconditioned with the diagonal (Jacobi), on
    /// the items with `group[i] >= 0`; `b` sums to zero over each connected group (the system is
    /// consistent), and the answer is defined up to a constant per group, which the caller
    /// removes. `grounded`, when given, is an item held at 0 (the regularised fit's pivot).
    /// Stops when ‖r‖ ≤ relTol ‖b‖ or after maxIterations.
    /// Without `grounded`, the residual is kept summing to zero per group: rounding in b (a
    /// gradient near the optimum is a difference of nearly equal sums) would otherwise leave
    /// a part no step can remove, and CG would chase it.
    func solve(_ b: [Double], group: [Int32], groups: Int, grounded: Int?, relTol: Double,
               maxIterations: Int = 2000) -> (x: [Double], iterations: Int) {
        var x = [Double](repeating: 0, count: m), r = b
        for i in 0..<m where group[i] < 0 || i == grounded { r[i] = 0 }
        let active = group.map { $0 >= 0 }
        func project() { if grounded == nil { BradleyTerry.centre(&r, group: group, groups: groups) } }
        project()
        let target = relTol * dot(r, r).squareRoot()
        var z = [Double](repeating: 0, count: m)
        func precondition() { for i in 0..<m { z[i] = diag[i] > 0 && active[i] && i != grounded ? r[i] / diag[i] : 0 } }
        precondition()
        var p = z, q = [Double](repeating: 0, count: m), rz = dot(r, z), iterations = 0
        while iterations < maxIterations && dot(r, r).squareRoot() > target {
            iterations += 1
            multiply(p, into: &q)
            if let grounded { q[grounded] = 0 }
            let pq = dot(p, q)
            guard pq > 0 else { break }
            let alpha = rz / pq
            for i in 0..<m { x[i] += alpha * p[i]; r[i] -= alpha * q[i] }
            project()
            precondition()
            let next = dot(r, z)
            let beta = next / rz
            rz = next
            for i in 0..<m { p[i] = z[i] + beta * p[i] }
        }
        return (x, iterations)
    }
}

/// About 16 consecutive ranges covering 0..<count, decided by the size alone, so the same
/// partial sums are added in the same order on any number of cores (Aggregation does the same).
enum Blocks {
    static func of(_ count: Int) -> [Range<Int>] {
        let size = max(1, (count + 15) / 16)
        return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
    }

    /// Runs `body` on every block, on several threads when `parallel`; `body` writes only
    /// what belongs to its block.
    static func run(_ blocks: [Range<Int>], parallel: Bool, _ body: (Range<Int>) -> Void) {
        if parallel && blocks.count > 1 {
            withoutActuallyEscaping(body) { body in
                nonisolated(unsafe) let work = body
                DispatchQueue.concurrentPerform(iterations: blocks.count) { work(blocks[$0]) }
            }
        } else {
            for b in blocks { body(b) }
        }
    }
}
