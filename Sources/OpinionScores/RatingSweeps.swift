import Dispatch

/// The ratings as the iterative models (`mle`, `mle_co`, `p910`) sweep them, checked once.
///
/// Every iteration of those models is a few sweeps over the whole units × raters matrix that
/// sum per unit and per rater. At 10,000 units × 100 raters and hundreds of iterations the
/// sweeps are all the time there is, so they run over the flat row-major scores (NaN =
/// missing, selected away rather than branched on) in fixed blocks of rows. The blocks depend
/// only on the matrix's size, each block writes only its own partial sums, and partial sums
/// are added in block order — so a result is the same bit for bit on one core or many.
struct RatingSweeps {
    let units: Int
    let raters: Int
    /// `data.scores`: row-major, NaN where missing.
    let scores: [Double]
    /// Ratings per unit and per rater.
    let perUnit: [Int]
    let perRater: [Int]
    /// Consecutive row ranges covering 0..<units.
    let blocks: [Range<Int>]

    /// Why a model has no answer on these data, in words that say what to change.
    struct Undefined: Error { let reason: String }

    /// Checks what every iterative model needs: two raters or more, and every unit and every
    /// rater with a rating, and some spread in the scores. sureal runs on such data and gives
    /// NaN everywhere (an unrated unit's mean is NaN, a constant matrix leaves no residual).
    init(_ data: OpinionData, method: OpinionMethod) throws(Undefined) {
        let e = data.unitCount, s = data.raterCount
        let name = method.rawValue
        guard e > 0, s > 0, data.ratingCount > 0 else {
            throw Undefined(reason: "no ratings: \(name) needs units rated by at least two raters")
        }
        guard s >= 2 else {
            throw Undefined(reason: "only one rater (\(data.raterNames[0])): \(name) estimates each rater's bias and inconsistency against the others, so it needs at least two raters")
        }
        var perUnit = [Int](repeating: 0, count: e), perRater = [Int](repeating: 0, count: s)
        var first = Double.nan, constant = true
        for u in 0..<e {
            for r in 0..<s {
                let v = data.scores[u * s + r]
                if v.isNaN { continue }
                perUnit[u] += 1
                perRater[r] += 1
                if first.isNaN { first = v } else if v != first { constant = false }
            }
        }
        if let u = perUnit.firstIndex(of: 0) {
            throw Undefined(reason: "unit \(data.unitNames[u]) has no ratings: \(name) needs every unit rated; remove it or rate it")
        }
        if let r = perRater.firstIndex(of: 0) {
            throw Undefined(reason: "rater \(data.raterNames[r]) has no ratings: \(name) needs every rater to have rated something; remove the rater")
        }
        guard !constant else {
            throw Undefined(reason: "every rating is \(first == first.rounded() && abs(first) < 1e15 ? String(Int(first)) : String(first)): with no spread there is no bias or inconsistency for \(name) to estimate; use mos")
        }
        self.units = e
        self.raters = s
        self.scores = data.scores
        self.perUnit = perUnit
        self.perRater = perRater
        // About 16 blocks: enough for any core count here to share the work evenly, few
        // enough that adding the per-block partial sums costs nothing.
        let size = Swift.max(1, (e + 15) / 16)
        self.blocks = stride(from: 0, to: e, by: size).map { $0..<Swift.min(e, $0 + size) }
    }

    /// Runs `body` on every block, in parallel once the matrix is large enough to pay for the
    /// threads. `body` must write only what belongs to its block.
    func forEachBlock(_ body: (Int) -> Void) {
        if units * raters >= 1 << 15 {
            // Each block touches only its own slots (the caller's contract), so the closure
            // may run on several threads although Swift cannot see that.
            withoutActuallyEscaping(body) { body in
                nonisolated(unsafe) let work = body
                DispatchQueue.concurrentPerform(iterations: blocks.count) { work($0) }
            }
        } else {
            for k in blocks.indices { body(k) }
        }
    }

    /// Per-rater sums from per-block partials (`partial[k * raters + r]`), added in block
    /// order.
    func addBlocks(_ partial: UnsafePointer<Double>, into sums: UnsafeMutablePointer<Double>) {
        for r in 0..<raters { sums[r] = 0 }
        for k in blocks.indices {
            for r in 0..<raters { sums[r] += partial[k * raters + r] }
        }
    }

    /// sureal's inconsistency interval: v·(1 − √(n/χ²₀.₉₇₅(n))) below and v·(√(n/χ²₀.₀₂₅(n)) − 1)
    /// above, n = the rater's ratings — the interval of a standard deviation estimated from n
    /// normal residuals, not the Fisher-information one sureal computes and leaves unused.
    func inconsistencyIntervals(_ v: [Double]) -> [Interval] {
        var factors: [Int: (below: Double, above: Double)] = [:]
        for n in Set(perRater) {
            factors[n] = (1 - (Double(n) / ChiSquared.quantile(0.975, degreesOfFreedom: n)).squareRoot(),
                          (Double(n) / ChiSquared.quantile(0.025, degreesOfFreedom: n)).squareRoot() - 1)
        }
        return (0..<raters).map { r in
            let f = factors[perRater[r]]!
            return Interval(low: v[r] - f.below * v[r], high: v[r] + f.above * v[r])
        }
    }
}

/// numpy's `maximum(x, 0)`: NaN stays NaN (Swift's `max(0, .nan)` is 0), so a model that
/// broke down is seen as broken instead of reading as a clean 0.
@inline(__always) func atLeastZero(_ x: Double) -> Double { x.isNaN ? x : (x < 0 ? 0 : x) }

/// An estimate ± 1.95996 standard errors (sureal's normal interval), or nil when the
/// standard error is not a finite number (sureal's 1/√0).
func normalInterval(_ estimate: Double, standardError: Double) -> Interval? {
    guard standardError.isFinite else { return nil }
    return Interval(low: estimate - 1.95996 * standardError, high: estimate + 1.95996 * standardError)
}


/// Four lanes of a row of raters. The sweeps' inner loops run over raters four at a time
/// with a missing rating masked to 0 (`rated(_:)`), so the compiler emits vector arithmetic
/// and no branch; the last `raters % 4` go one by one.
typealias Lanes = SIMD4<Double>

@inline(__always) func lanes(_ p: UnsafePointer<Double>) -> Lanes {
    UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
}

@inline(__always) func store(_ v: Lanes, _ p: UnsafeMutablePointer<Double>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
}

/// `term` where the score is a rating, 0 where it is missing (NaN).
@inline(__always) func rated(_ score: Lanes, _ term: Lanes) -> Lanes {
    term.replacing(with: 0, where: score .!= score)
}
