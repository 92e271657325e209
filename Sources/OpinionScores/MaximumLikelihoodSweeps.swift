/// The state of sureal's belief-propagation solver for `mle` / `mle_co` and its sweeps
/// (docs/mos.md). Names follow sureal (`subjective_model.py`, MaximumLikelihoodEstimationModel,
/// gradient_method 'simplified'): x_e quality of unit e, b_s bias and v_s inconsistency of
/// rater s, a_c ambiguity of content c; d_es = v_s² + a_c(e)², r_es = x_es − x_e − b_s.
///
/// One iteration, in sureal's order, each step a damped Newton step (refresh rate 0.1):
/// (12) b_s ← Σ_e (x_es − x_e)/d_es ÷ Σ_e 1/d_es
/// (14) v_s ← v_s − Σ_e v_s/d (r²/d − 1) ÷ Σ_e [(v_s² − a²)/d² + r² (a⁴ − 3v_s⁴ − 2v_s²a²)/d⁴], ≥ 0
/// (15) a_c ← a_c − Σ_{e∈c,s} a_c/d (r²/d − 1) ÷ Σ [−(v² − a_c²)/d² + r² (v⁴ − 3a_c⁴ − 2v²a_c²)/d⁴], ≥ 0
/// (11) x_e ← Σ_s (x_es − b_s)/d_es ÷ Σ_s 1/d_es
/// Sweeps: (14), (15) (mle only), then (11) fused with the sums (12) of the next iteration,
/// which use the same d_es — three passes over the ratings per iteration, two for mle_co.
///
/// Speed: everything that depends only on (content, rater) — 1/d and the coefficients of
/// r² above — is computed once per row of raters and reused while consecutive units share a
/// content (always, for mle_co), so a cell costs a few multiply-adds and no division; the
/// state lives in flat buffers the sweeps read without bounds checks or copies.
final class MaximumLikelihoodState: @unchecked Sendable {
    // @unchecked Sendable: the sweeps' blocks write disjoint slots (RatingSweeps.forEachBlock).
    let m: RatingSweeps
    let contentOfUnit: [Int]
    let modelsContent: Bool
    let units: Int, raters: Int, contents: Int
    let x: Buffer, xStd: Buffer, b: Buffer, bStd: Buffer, v: Buffer, vStd: Buffer, a: Buffer, aStd: Buffer
    /// Σ_e (x_es − x_e)/d_es and Σ_e 1/d_es for the next (12), per rater.
    let biasNumerator: Buffer, biasDenominator: Buffer
    /// Per-block partial sums of the rater sweeps, `[block * raters + rater]`.
    let partialNumerator: Buffer, partialDenominator: Buffer
    /// Per-unit sums of the content sweep and squared changes of x_e (added in unit order).
    let rowNumerator: Buffer, rowDenominator: Buffer, rowChange: Buffer
    /// Per-block caches of the (content, rater) coefficients: 4 rows of `raters`.
    let cache: Buffer

    static let refreshRate = 0.1

    /// Flat storage owned by the state.
    typealias Buffer = UnsafeMutablePointer<Double>

    init(_ m: RatingSweeps, contentOfUnit: [Int], x: [Double], v: [Double], a: [Double], modelsContent: Bool) {
        self.m = m
        self.contentOfUnit = contentOfUnit
        self.modelsContent = modelsContent
        units = m.units; raters = m.raters; contents = a.count
        func buffer(_ n: Int, _ value: Double = 0) -> Buffer {
            let p = Buffer.allocate(capacity: Swift.max(1, n))
            p.initialize(repeating: value, count: Swift.max(1, n))
            return p
        }
        self.x = buffer(units); self.x.update(from: x, count: units)
        self.v = buffer(raters); self.v.update(from: v, count: raters)
        self.a = buffer(contents); self.a.update(from: a, count: contents)
        b = buffer(raters)
        xStd = buffer(units, .nan); bStd = buffer(raters, .nan); vStd = buffer(raters, .nan); aStd = buffer(contents, .nan)
        biasNumerator = buffer(raters); biasDenominator = buffer(raters)
        partialNumerator = buffer(m.blocks.count * raters); partialDenominator = buffer(m.blocks.count * raters)
        rowNumerator = buffer(units); rowDenominator = buffer(units); rowChange = buffer(units)
        cache = buffer(m.blocks.count * 4 * raters)
        sweepScoresAndBiasSums(updatingScores: false)
    }

    deinit {
        for p in [x, xStd, b, bStd, v, vStd, a, aStd, biasNumerator, biasDenominator, partialNumerator,
                  partialDenominator, rowNumerator, rowDenominator, rowChange, cache] { p.deallocate() }
    }

    /// One iteration; returns ‖x_prev − x‖₂, sureal's stopping quantity.
    func iterate() -> Double {
        let r = Self.refreshRate
        for s in 0..<raters {                                                 // (12)
            let next = biasNumerator[s] / biasDenominator[s]
            b[s] = b[s] * (1 - r) + next * r
            bStd[s] = 1 / atLeastZero(biasDenominator[s]).squareRoot()
        }
        sweepInconsistency()                                                  // (14)
        if modelsContent { sweepAmbiguity() }                                 // (15)
        return sweepScoresAndBiasSums(updatingScores: true)                   // (11) + next (12)
    }

    /// The ambiguity of unit e's content (0 for mle_co).
    @inline(__always) private func ambiguity(ofUnit e: Int) -> Double { modelsContent ? a[contentOfUnit[e]] : 0 }

    /// Whether block `k`'s cache must be refilled for unit e (its content differs from the
    /// previous unit's in the block).
    @inline(__always) private func needsCache(_ e: Int, block k: Int) -> Bool {
        e == m.blocks[k].lowerBound || (modelsContent && contentOfUnit[e] != contentOfUnit[e - 1])
    }

    /// (14): Newton step on each v_s from Σ_e over its ratings, a_c(e) and x_e held.
    private func sweepInconsistency() {
        let raters = self.raters
        m.scores.withUnsafeBufferPointer { scores in
            nonisolated(unsafe) let scores = scores.baseAddress!
            m.forEachBlock { k in
                let num = partialNumerator + k * raters, den = partialDenominator + k * raters
                let inv = cache + 4 * k * raters, vInv = inv + raters, p = vInv + raters, q = p + raters
                for s in 0..<raters { num[s] = 0; den[s] = 0 }
                for e in m.blocks[k] {
                    if needsCache(e, block: k) {
                        let ac = ambiguity(ofUnit: e), ac2 = ac * ac, ac4 = ac2 * ac2
                        for s in 0..<raters {
                            let v2 = v[s] * v[s], i = 1 / (v2 + ac2), i2 = i * i
                            inv[s] = i; vInv[s] = v[s] * i; p[s] = (v2 - ac2) * i2
                            q[s] = (ac4 - 3 * v2 * v2 - 2 * v2 * ac2) * i2 * i2
                        }
                    }
                    let row = scores + e * raters, xe = x[e]
                    var s = 0
                    while s + 4 <= raters {
                        let score = lanes(row + s), res = score - xe - lanes(b + s), r2 = res * res
                        store(lanes(num + s) + rated(score, lanes(vInv + s) * (r2 * lanes(inv + s) - 1)), num + s)
                        store(lanes(den + s) + rated(score, lanes(p + s) + r2 * lanes(q + s)), den + s)
                        s += 4
                    }
                    while s < raters {
                        let score = row[s], res = score - xe - b[s], r2 = res * res
                        if !score.isNaN {
                            num[s] += vInv[s] * (r2 * inv[s] - 1)
                            den[s] += p[s] + r2 * q[s]
                        }
                        s += 1
                    }
                }
            }
        }
        var num = [Double](repeating: 0, count: raters), den = num
        m.addBlocks(partialNumerator, into: &num)
        m.addBlocks(partialDenominator, into: &den)
        let r = Self.refreshRate
        for s in 0..<raters {
            let next = v[s] - num[s] / den[s]
            v[s] = atLeastZero(v[s] * (1 - r) + next * r)
            vStd[s] = 1 / atLeastZero(-den[s]).squareRoot()
        }
    }

    /// (15): Newton step on each a_c from Σ over its units' ratings, v_s (new) and x_e held.
    private func sweepAmbiguity() {
        let raters = self.raters
        m.scores.withUnsafeBufferPointer { scores in
            nonisolated(unsafe) let scores = scores.baseAddress!
            m.forEachBlock { k in
                let inv = cache + 4 * k * raters, aInv = inv + raters, p = aInv + raters, q = p + raters
                for e in m.blocks[k] {
                    if needsCache(e, block: k) {
                        let ac = ambiguity(ofUnit: e), ac2 = ac * ac, ac4 = ac2 * ac2
                        for s in 0..<raters {
                            let v2 = v[s] * v[s], i = 1 / (v2 + ac2), i2 = i * i
                            inv[s] = i; aInv[s] = ac * i; p[s] = -(v2 - ac2) * i2
                            q[s] = (v2 * v2 - 3 * ac4 - 2 * v2 * ac2) * i2 * i2
                        }
                    }
                    let row = scores + e * raters, xe = x[e]
                    var num = Lanes(), den = Lanes(), s = 0
                    while s + 4 <= raters {
                        let score = lanes(row + s), res = score - xe - lanes(b + s), r2 = res * res
                        num += rated(score, lanes(aInv + s) * (r2 * lanes(inv + s) - 1))
                        den += rated(score, lanes(p + s) + r2 * lanes(q + s))
                        s += 4
                    }
                    var numSum = num.sum(), denSum = den.sum()
                    while s < raters {
                        let score = row[s], res = score - xe - b[s], r2 = res * res
                        if !score.isNaN {
                            numSum += aInv[s] * (r2 * inv[s] - 1)
                            denSum += p[s] + r2 * q[s]
                        }
                        s += 1
                    }
                    rowNumerator[e] = numSum
                    rowDenominator[e] = denSum
                }
            }
        }
        var num = [Double](repeating: 0, count: contents), den = num
        for e in 0..<units {
            num[contentOfUnit[e]] += rowNumerator[e]
            den[contentOfUnit[e]] += rowDenominator[e]
        }
        let r = Self.refreshRate
        for c in 0..<contents where !a[c].isNaN {
            let next = a[c] - num[c] / den[c]
            a[c] = atLeastZero(a[c] * (1 - r) + next * r)
            aStd[c] = 1 / atLeastZero(-den[c]).squareRoot()
        }
    }

    /// (11) for every unit (unless `updatingScores` is false: the sums before the first
    /// iteration), then the sums of (12) with the new x_e; returns ‖x_prev − x‖₂.
    @discardableResult
    private func sweepScoresAndBiasSums(updatingScores: Bool) -> Double {
        let raters = self.raters, r = Self.refreshRate
        m.scores.withUnsafeBufferPointer { scores in
            nonisolated(unsafe) let scores = scores.baseAddress!
            m.forEachBlock { k in
                let num = partialNumerator + k * raters, den = partialDenominator + k * raters
                let inv = cache + 4 * k * raters
                for s in 0..<raters { num[s] = 0; den[s] = 0 }
                for e in m.blocks[k] {
                    if needsCache(e, block: k) {
                        let ac = ambiguity(ofUnit: e), ac2 = ac * ac
                        for s in 0..<raters { inv[s] = 1 / (v[s] * v[s] + ac2) }
                    }
                    let row = scores + e * raters
                    var xe = x[e]
                    if updatingScores {
                        var num = Lanes(), den = Lanes(), s = 0
                        while s + 4 <= raters {
                            let score = lanes(row + s), i = lanes(inv + s)
                            num += rated(score, (score - lanes(b + s)) * i)
                            den += rated(score, i)
                            s += 4
                        }
                        var rowNum = num.sum(), rowDen = den.sum()
                        while s < raters {
                            if !row[s].isNaN {
                                rowNum += (row[s] - b[s]) * inv[s]
                                rowDen += inv[s]
                            }
                            s += 1
                        }
                        let previous = xe
                        xe = xe * (1 - r) + (rowNum / rowDen) * r
                        x[e] = xe
                        xStd[e] = 1 / atLeastZero(rowDen).squareRoot()
                        rowChange[e] = (previous - xe) * (previous - xe)
                    }
                    var s = 0
                    while s + 4 <= raters {
                        let score = lanes(row + s), i = lanes(inv + s)
                        store(lanes(num + s) + rated(score, (score - xe) * i), num + s)
                        store(lanes(den + s) + rated(score, i), den + s)
                        s += 4
                    }
                    while s < raters {
                        if !row[s].isNaN {
                            num[s] += (row[s] - xe) * inv[s]
                            den[s] += inv[s]
                        }
                        s += 1
                    }
                }
            }
        }
        m.addBlocks(partialNumerator, into: biasNumerator)
        m.addBlocks(partialDenominator, into: biasDenominator)
        guard updatingScores else { return .nan }
        var change = 0.0
        for e in 0..<units { change += rowChange[e] }
        return change.squareRoot()
    }

    /// The estimates as arrays, for the result.
    struct Fit {
        var x: [Double], xStd: [Double], b: [Double], bStd: [Double], v: [Double], a: [Double], aStd: [Double]
    }

    var fit: Fit {
        func array(_ p: Buffer, _ n: Int) -> [Double] { Array(UnsafeBufferPointer(start: p, count: n)) }
        return Fit(x: array(x, units), xStd: array(xStd, units), b: array(b, raters), bStd: array(bStd, raters),
                   v: array(v, raters), a: array(a, contents), aStd: array(aStd, contents))
    }
}
