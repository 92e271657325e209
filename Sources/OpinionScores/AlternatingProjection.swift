/// `p910`: ITU-T P.910 (2021) Annex E's subject model solved by alternating projection, as
/// Netflix sureal 0.9.0 implements it — `P910AnnexEModel` = `SubjectMLEModelProjectionSolver2`
/// (`MLE_CO_AP2`). sureal's source is the definition; docs/mos.md says where it departs
/// from the Annex.
///
/// Goals, in order: sureal's numbers to 1e-6 with sureal's own stopping rule; never NaN;
/// speed: one pass over the ratings per iteration (RatingSweeps).
///
/// Model: x_ji = s_j + b_i + N(0, v_i²) for unit j, rater i. Start: s_j = MOS,
/// b_i = mean_j (x_ji − s_j). Each iteration:
///     v_i = std_j (x_ji − s_j − b_i)                         (ddof 0)
///     s_j = Σ_i w_i (x_ji − b_i) ÷ Σ_i w_i,  w_i = 1/(v_i² + 1e-8)
///     b_i = mean_j (x_ji − s_j)
/// until ‖Δs‖₂ < 1e-8 or after 1,000 iterations; then b is shifted to mean 0 and s by the
/// same amount. The std of v_i is the std of y = x − s_j about its mean b_i, so the pass that
/// gives b_i also gives the next v_i (Σy and Σy² per rater).
///
/// Intervals: s_j ± 1.95996·v_j/√n_j with v_j = std_i (x_ji − s_j − b_i) of the last
/// iteration's start (the "2" of Solver2: the unit's residual spread, not the raters'),
/// b_i ± 1.95996·v_i/√n_i, v_i by χ² (RatingSweeps.inconsistencyIntervals).
enum AlternatingProjection {
    static let deltaThreshold = 1e-8
    static let maxIterations = 1000
    static let epsilon = 1e-8

    static func score(_ data: OpinionData) -> OpinionOutcome {
        let m: RatingSweeps
        do { m = try RatingSweeps(data, method: .p910) } catch { return .undefined(reason: error.reason) }
        var s = [Double](repeating: 0, count: m.units)
        for e in 0..<m.units {
            var sum = 0.0
            for r in 0..<m.raters where !m.scores[e * m.raters + r].isNaN { sum += m.scores[e * m.raters + r] }
            s[e] = sum / Double(m.perUnit[e])
        }
        let sweep = ProjectionSweep(m)
        var (b, nextV) = sweep.run(s: &s, weights: nil)
        var v = nextV, sPrevious = s, bPrevious = b
        var iterations = 0
        while true {
            v = nextV
            sPrevious = s
            bPrevious = b
            (b, nextV) = sweep.run(s: &s, weights: v.map { 1 / ($0 * $0 + epsilon) })
            iterations += 1
            var change = 0.0
            for e in 0..<m.units { change += (sPrevious[e] - s[e]) * (sPrevious[e] - s[e]) }
            if change.squareRoot() < deltaThreshold || iterations >= maxIterations { break }
        }
        let unitSpread = residualSpreadPerUnit(m, s: sPrevious, b: bPrevious)
        let meanBias = b.reduce(0, +) / Double(m.raters)
        let bias = b.map { $0 - meanBias }
        let scores = s.map { $0 + meanBias }
        guard scores.allSatisfy(\.isFinite), bias.allSatisfy(\.isFinite), v.allSatisfy(\.isFinite) else {
            return .undefined(reason: "p910 has no finite fit on these ratings (sureal's iteration gives NaN here); use mos")
        }
        let units = (0..<m.units).map { e in
            // sureal: 1/√(Σ_i 1/v_j²) — infinite information (v_j = 0: one rating, or all
            // agree after bias removal) gives a zero-width interval.
            let se = 1 / (Double(m.perUnit[e]) * (1 / (unitSpread[e] * unitSpread[e]))).squareRoot()
            return UnitScore(unit: e, score: scores[e], standardError: se,
                             ci95: normalInterval(scores[e], standardError: se), n: m.perUnit[e])
        }
        let inconsistency = m.inconsistencyIntervals(v)
        let raters = (0..<m.raters).map { i in
            let se = 1 / (Double(m.perRater[i]) * (1 / (v[i] * v[i]))).squareRoot()
            return RaterFigures(rater: i, bias: bias[i], biasCI95: normalInterval(bias[i], standardError: se),
                                inconsistency: v[i], inconsistencyCI95: inconsistency[i])
        }
        return .scored(OpinionResult(method: .p910, units: units, raters: raters, iterations: iterations))
    }

    /// v_j: each unit's residual standard deviation over its raters (ddof 0), two passes over
    /// the row as numpy's nanstd.
    static func residualSpreadPerUnit(_ m: RatingSweeps, s: [Double], b: [Double]) -> [Double] {
        (0..<m.units).map { e in
            var sum = 0.0
            for i in 0..<m.raters where !m.scores[e * m.raters + i].isNaN { sum += m.scores[e * m.raters + i] - s[e] - b[i] }
            let mean = sum / Double(m.perUnit[e])
            var squares = 0.0
            for i in 0..<m.raters where !m.scores[e * m.raters + i].isNaN {
                let d = m.scores[e * m.raters + i] - s[e] - b[i] - mean
                squares += d * d
            }
            return (squares / Double(m.perUnit[e])).squareRoot()
        }
    }
}

/// The one pass of an iteration: new s_j per unit (unless `weights` is nil: the start), then
/// per rater Σ y and Σ y² with y = x − s_j, giving b_i and the next v_i. Flat buffers, so the
/// per-rater sums vectorise across raters.
final class ProjectionSweep: @unchecked Sendable {
    // @unchecked Sendable: blocks write disjoint slots (RatingSweeps.forEachBlock).
    let m: RatingSweeps
    let weights: UnsafeMutablePointer<Double>, bias: UnsafeMutablePointer<Double>
    let partialSum: UnsafeMutablePointer<Double>, partialSquares: UnsafeMutablePointer<Double>

    init(_ m: RatingSweeps) {
        self.m = m
        weights = .allocate(capacity: m.raters); weights.initialize(repeating: 0, count: m.raters)
        bias = .allocate(capacity: m.raters); bias.initialize(repeating: 0, count: m.raters)
        partialSum = .allocate(capacity: m.blocks.count * m.raters)
        partialSum.initialize(repeating: 0, count: m.blocks.count * m.raters)
        partialSquares = .allocate(capacity: m.blocks.count * m.raters)
        partialSquares.initialize(repeating: 0, count: m.blocks.count * m.raters)
    }

    deinit { for p in [weights, bias, partialSum, partialSquares] { p.deallocate() } }

    func run(s: inout [Double], weights newWeights: [Double]?) -> (b: [Double], v: [Double]) {
        let raters = m.raters, updating = newWeights != nil
        if let newWeights { weights.update(from: newWeights, count: raters) }
        m.scores.withUnsafeBufferPointer { scores in
            s.withUnsafeMutableBufferPointer { sb in
                nonisolated(unsafe) let (scores, sb) = (scores.baseAddress!, sb.baseAddress!)
                m.forEachBlock { k in
                    let sum = partialSum + k * raters, squares = partialSquares + k * raters
                    for i in 0..<raters { sum[i] = 0; squares[i] = 0 }
                    for e in m.blocks[k] {
                        let row = scores + e * raters
                        if updating {
                            var num = Lanes(), den = Lanes(), i = 0
                            while i + 4 <= raters {
                                let x = lanes(row + i), w = lanes(weights + i)
                                num += rated(x, w * (x - lanes(bias + i)))
                                den += rated(x, w)
                                i += 4
                            }
                            var rowNum = num.sum(), rowDen = den.sum()
                            while i < raters {
                                if !row[i].isNaN {
                                    rowNum += weights[i] * (row[i] - bias[i])
                                    rowDen += weights[i]
                                }
                                i += 1
                            }
                            sb[e] = rowNum / rowDen
                        }
                        let se = sb[e]
                        var i = 0
                        while i + 4 <= raters {
                            let x = lanes(row + i), y = rated(x, x - se)
                            store(lanes(sum + i) + y, sum + i)
                            store(lanes(squares + i) + y * y, squares + i)
                            i += 4
                        }
                        while i < raters {
                            if !row[i].isNaN {
                                let y = row[i] - se
                                sum[i] += y
                                squares[i] += y * y
                            }
                            i += 1
                        }
                    }
                }
            }
        }
        var sums = [Double](repeating: 0, count: raters), squares = sums
        m.addBlocks(partialSum, into: &sums)
        m.addBlocks(partialSquares, into: &squares)
        let newB = (0..<raters).map { sums[$0] / Double(m.perRater[$0]) }
        let newV = (0..<raters).map { i in
            let mean = newB[i]
            return Swift.max(0, squares[i] / Double(m.perRater[i]) - mean * mean).squareRoot()
        }
        bias.update(from: newB, count: raters)
        return (newB, newV)
    }
}
