/// The state of sureal's belief-propagation solver for `mle` / `mle_co` and its sweeps
/// (docs/mos.md). Names follow sureal (`subjective_model.py`, MaximumLikelihoodEstimationModel,
/// gradient_method 'simplified'): x_e quality of unit e, b_s bias and v_s inconsistency of
/// rater s, a_c ambiguity of content c; d_es = v_s² + a_c(e)².
///
/// One iteration, in sureal's order, each step a damped Newton step (refresh rate 0.1):
/// (12) b_s ← Σ_e (x_es − x_e)/d_es ÷ Σ_e 1/d_es
/// (14) v_s ← v_s − Σ_e ∂ℓ/∂v_s ÷ Σ_e ∂²ℓ/∂v_s², then max(v_s, 0)
/// (15) a_c ← a_c − Σ_{e∈c,s} ∂ℓ/∂a_c ÷ Σ_{e∈c,s} ∂²ℓ/∂a_c², then max(a_c, 0)   (mle only)
/// (11) x_e ← Σ_s (x_es − b_s)/d_es ÷ Σ_s 1/d_es
/// Sweeps: (14), (15), then (11) fused with the sums (12) of the next iteration, which use
/// the same d_es — three passes over the ratings per iteration (two for mle_co).
struct MaximumLikelihoodState {
    let m: RatingSweeps
    let contentOfUnit: [Int]
    let modelsContent: Bool
    var x: [Double], b: [Double], v: [Double], a: [Double]
    var xStd: [Double], bStd: [Double], vStd: [Double], aStd: [Double]
    /// Σ_e (x_es − x_e)/d_es and Σ_e 1/d_es for the next (12), per rater.
    var biasNumerator: [Double], biasDenominator: [Double]
    /// Per-block partial sums of the rater sweeps: `[block * raters + rater]`.
    var partialNumerator: [Double], partialDenominator: [Double]
    /// Per-unit sums of the content sweep and of the change in x_e (added in unit order).
    var rowNumerator: [Double], rowDenominator: [Double], rowChange: [Double]

    static let refreshRate = 0.1

    init(_ m: RatingSweeps, contentOfUnit: [Int], x: [Double], v: [Double], a: [Double], modelsContent: Bool) {
        self.m = m
        self.contentOfUnit = contentOfUnit
        self.modelsContent = modelsContent
        self.x = x; self.v = v; self.a = a
        b = [Double](repeating: 0, count: m.raters)
        xStd = [Double](repeating: .nan, count: m.units)
        bStd = [Double](repeating: .nan, count: m.raters)
        vStd = bStd
        aStd = [Double](repeating: .nan, count: a.count)
        biasNumerator = b; biasDenominator = b
        partialNumerator = [Double](repeating: 0, count: m.blocks.count * m.raters)
        partialDenominator = partialNumerator
        rowNumerator = [Double](repeating: 0, count: m.units)
        rowDenominator = rowNumerator; rowChange = rowNumerator
        sweepScoresAndBiasSums(updatingScores: false)
    }

    /// One iteration; returns ‖x_prev − x‖₂, sureal's stopping quantity.
    mutating func iterate() -> Double {
        let r = Self.refreshRate
        for s in 0..<m.raters {                                               // (12)
            let next = biasNumerator[s] / biasDenominator[s]
            b[s] = b[s] * (1 - r) + next * r
            bStd[s] = 1 / atLeastZero(biasDenominator[s]).squareRoot()
        }
        sweepInconsistency()                                                 // (14)
        if modelsContent { sweepAmbiguity() }                                // (15)
        return sweepScoresAndBiasSums(updatingScores: true)                  // (11) + next (12)
    }

    /// (14): Newton step on each v_s from Σ_e over its ratings, a_c(e) and x_e held.
    private mutating func sweepInconsistency() {
        let raters = m.raters, r = Self.refreshRate
        let v2 = v.map { $0 * $0 }, v4 = v2.map { $0 * $0 }
        m.scores.withUnsafeBufferPointer { scores in
            partialNumerator.withUnsafeMutableBufferPointer { pn in
                partialDenominator.withUnsafeMutableBufferPointer { pd in
                    nonisolated(unsafe) let (pn, pd) = (pn, pd)
                    m.forEachBlock { k in
                        let num = pn.baseAddress! + k * raters, den = pd.baseAddress! + k * raters
                        for s in 0..<raters { num[s] = 0; den[s] = 0 }
                        for e in m.blocks[k] {
                            let xe = x[e], ac = modelsContent ? a[contentOfUnit[e]] : 0
                            let ac2 = ac * ac, ac4 = ac2 * ac2
                            let row = scores.baseAddress! + e * raters
                            for s in 0..<raters {
                                let score = row[s]
                                let res = score - xe - b[s]
                                let inv = 1 / (v2[s] + ac2), inv2 = inv * inv, res2 = res * res
                                let poly = ac4 - 3 * v4[s] - 2 * v2[s] * ac2
                                let first = -v[s] * inv + v[s] * res2 * inv2
                                let second = (v2[s] - ac2) * inv2 + res2 * poly * inv2 * inv2
                                let rated = !score.isNaN
                                num[s] += rated ? first : 0
                                den[s] += rated ? second : 0
                            }
                        }
                    }
                }
            }
        }
        var num = [Double](repeating: 0, count: raters), den = num
        m.addBlocks(partialNumerator, into: &num)
        m.addBlocks(partialDenominator, into: &den)
        for s in 0..<raters {
            let next = v[s] - num[s] / den[s]
            v[s] = atLeastZero(v[s] * (1 - r) + next * r)
            vStd[s] = 1 / atLeastZero(-den[s]).squareRoot()
        }
    }

    /// (15): Newton step on each a_c from Σ over its units' ratings, v_s (new) and x_e held.
    private mutating func sweepAmbiguity() {
        let raters = m.raters, r = Self.refreshRate
        let v2 = v.map { $0 * $0 }, v4 = v2.map { $0 * $0 }
        m.scores.withUnsafeBufferPointer { scores in
            rowNumerator.withUnsafeMutableBufferPointer { rn in
                rowDenominator.withUnsafeMutableBufferPointer { rd in
                    nonisolated(unsafe) let (rn, rd) = (rn, rd)
                    m.forEachBlock { k in
                        for e in m.blocks[k] {
                            let xe = x[e], ac = a[contentOfUnit[e]]
                            let ac2 = ac * ac, ac4 = ac2 * ac2
                            let row = scores.baseAddress! + e * raters
                            var num = 0.0, den = 0.0
                            for s in 0..<raters {
                                let score = row[s]
                                let res = score - xe - b[s]
                                let inv = 1 / (v2[s] + ac2), inv2 = inv * inv, res2 = res * res
                                let poly = v4[s] - 3 * ac4 - 2 * v2[s] * ac2
                                let first = -ac * inv + ac * res2 * inv2
                                let second = -(v2[s] - ac2) * inv2 + res2 * poly * inv2 * inv2
                                let rated = !score.isNaN
                                num += rated ? first : 0
                                den += rated ? second : 0
                            }
                            rn[e] = num
                            rd[e] = den
                        }
                    }
                }
            }
        }
        var num = [Double](repeating: 0, count: a.count), den = num
        for e in 0..<m.units {
            num[contentOfUnit[e]] += rowNumerator[e]
            den[contentOfUnit[e]] += rowDenominator[e]
        }
        for c in a.indices where !a[c].isNaN {
            let next = a[c] - num[c] / den[c]
            a[c] = atLeastZero(a[c] * (1 - r) + next * r)
            aStd[c] = 1 / atLeastZero(-den[c]).squareRoot()
        }
    }

    /// (11) for every unit (unless `updatingScores` is false: the sums before the first
    /// iteration), then the sums of (12) with the new x_e; returns ‖x_prev − x‖₂.
    @discardableResult
    private mutating func sweepScoresAndBiasSums(updatingScores: Bool) -> Double {
        let raters = m.raters, r = Self.refreshRate
        let v2 = v.map { $0 * $0 }
        let aOfUnit = modelsContent ? contentOfUnit.map { a[$0] } : []
        m.scores.withUnsafeBufferPointer { scores in
            x.withUnsafeMutableBufferPointer { xb in
                xStd.withUnsafeMutableBufferPointer { sb in
                    rowChange.withUnsafeMutableBufferPointer { cb in
                        partialNumerator.withUnsafeMutableBufferPointer { pn in
                            partialDenominator.withUnsafeMutableBufferPointer { pd in
                                nonisolated(unsafe) let (xb, sb, cb, pn, pd) = (xb, sb, cb, pn, pd)
                                m.forEachBlock { k in
                                    let num = pn.baseAddress! + k * raters, den = pd.baseAddress! + k * raters
                                    for s in 0..<raters { num[s] = 0; den[s] = 0 }
                                    for e in m.blocks[k] {
                                        let ac = modelsContent ? aOfUnit[e] : 0, ac2 = ac * ac
                                        let row = scores.baseAddress! + e * raters
                                        var xe = xb[e]
                                        if updatingScores {
                                            var rowNum = 0.0, rowDen = 0.0
                                            for s in 0..<raters {
                                                let score = row[s], inv = 1 / (v2[s] + ac2)
                                                let rated = !score.isNaN
                                                rowNum += rated ? (score - b[s]) * inv : 0
                                                rowDen += rated ? inv : 0
                                            }
                                            let previous = xe
                                            xe = xe * (1 - r) + (rowNum / rowDen) * r
                                            xb[e] = xe
                                            sb[e] = 1 / atLeastZero(rowDen).squareRoot()
                                            cb[e] = (previous - xe) * (previous - xe)
                                        }
                                        for s in 0..<raters {
                                            let score = row[s], inv = 1 / (v2[s] + ac2)
                                            let rated = !score.isNaN
                                            num[s] += rated ? (score - xe) * inv : 0
                                            den[s] += rated ? inv : 0
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        m.addBlocks(partialNumerator, into: &biasNumerator)
        m.addBlocks(partialDenominator, into: &biasDenominator)
        guard updatingScores else { return .nan }
        var change = 0.0
        for e in 0..<m.units { change += rowChange[e] }
        return change.squareRoot()
    }
}
