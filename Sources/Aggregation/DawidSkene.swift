import Glibc

/// Dawid–Skene (full confusion matrices) and one-coin Dawid–Skene, as crowd-kit 1.4.2's
/// `DawidSkene(n_iter=100, tol=1e-5)` and `OneCoinDawidSkene(n_iter=100, tol=1e-5)` do them
/// (crowdkit/aggregation/classification/dawid_skene.py; docs/aggregation.md).
///
/// Goals, in order: the posteriors equal crowd-kit's to 1e-6 — same start (majority-vote
/// shares), same update order (M step, then E step / priors / M step / objective per
/// iteration), same 1e-10 clips, same objective and stopping rule; then speed: flat arrays
/// swept by item and by rater (`DawidSkeneLayout`), on fixed blocks so the result is the same
/// bit for bit on any core count.
///
/// E step: log₂ T_ic = log₂ max(p_c, ε) + Σ_labels log₂ e_w[c][given], shifted by the row's
/// maximum, exp₂, normalised. M step (ds): e_w[t][g] = max(Σ_{i: w gave g} T_it, ε) / Σ_g (…).
enum DawidSkene {
    /// crowd-kit's `_EPS`: the floor of priors, confusion entries and (in the objective)
    /// posteriors, so no logarithm is of 0.
    static let eps = 1e-10

    /// `mStepByItem` forces one of the M step's two sweeps (tests); nil lets the sizes decide.
    /// `serial`: no threads (tests: the same bits as with them).
    static func aggregate(_ data: LabelData, options: AggregationOptions, oneCoin: Bool, mStepByItem: Bool? = nil,
                          serial: Bool = false) -> AggregationOutcome {
        let name = oneCoin ? "one-coin" : "ds"
        guard data.classCount >= 2 else {
            let only = data.classNames.first.map { " (\($0))" } ?? ""
            return .undefined(reason: "there is only one option\(only): \(name) weighs raters' disagreements between options, and with one option every item's consensus is that option; give the criterion's full option list")
        }
        let layout = DawidSkeneLayout(data, mStepByItem: mStepByItem, serial: serial)
        var em = DawidSkeneEM(layout, oneCoin: oneCoin)
        let (iterations, converged) = em.run(maxIterations: options.maxIterations, tolerance: options.tolerance)
        return .aggregated(em.result(data, method: oneCoin ? .oneCoin : .ds, iterations: iterations, converged: converged))
    }
}

/// The EM's state: posteriors, priors, confusion matrices and their logarithms, all flat.
struct DawidSkeneEM {
    let layout: DawidSkeneLayout
    let oneCoin: Bool
    let k: Int
    /// T[i·K + c]: P(item i's answer is c | labels); rows of unlabelled items stay unused.
    var posterior: [Double]
    /// L[i·K + c]: Σ over item i's labels of log₂ e_w[c][given] (the current confusion).
    var logSum: [Double]
    var priors: [Double]
    /// e[(w·K + g)·K + t] = e_w[t][g], crowd-kit's `errors_` rows (worker, given) × true;
    /// 0 where w never gave g (crowd-kit has no such row).
    var confusion: [Double]
    var logConfusion: [Double]
    /// One-coin: each rater's skill of the last M step.
    var skill: [Double]
    /// Labels of rater w with option g, [w·K + g].
    let givenCount: [Int32]
    /// The M step's sums per item block, when it sweeps by item: [block][w·K + g][t] (ds) or
    /// [block][w·K + g] (one-coin: the posterior of the option given).
    var partial: [Double]

    init(_ layout: DawidSkeneLayout, oneCoin: Bool) {
        self.layout = layout; self.oneCoin = oneCoin
        k = layout.k
        let k = layout.k
        posterior = [Double](repeating: 0, count: layout.items * k)
        logSum = [Double](repeating: 0, count: layout.items * k)
        priors = [Double](repeating: 0, count: k)
        confusion = [Double](repeating: 0, count: layout.raters * k * k)
        logConfusion = [Double](repeating: 0, count: layout.raters * k * k)
        skill = [Double](repeating: 0, count: layout.raters)
        var counts = [Int32](repeating: 0, count: layout.raters * k)
        for code in layout.byItemCode { counts[Int(code)] += 1 }
        givenCount = counts
        partial = layout.mStepByItem
            ? [Double](repeating: 0, count: layout.itemBlocks.count * layout.raters * k * (oneCoin ? 1 : k)) : []
        // The start: majority-vote shares (crowd-kit's MajorityVote probas).
        for i in 0..<layout.items {
            let range = layout.itemStart[i]..<layout.itemStart[i + 1]
            guard !range.isEmpty else { continue }
            let share = 1 / Double(range.count)
            for a in range { posterior[i * k + Int(layout.byItemGiven[a])] += 1 }
            for c in 0..<k { posterior[i * k + c] *= share }
        }
    }

    /// crowd-kit's `fit`: start, then at most `maxIterations` of E step, priors, M step and
    /// objective, stopping after the iteration whose objective rose by less than `tolerance`.
    mutating func run(maxIterations: Int, tolerance: Double) -> (iterations: Int, converged: Bool) {
        updatePriors()
        mStep()
        _ = sweepLogSums(objective: false)
        var loss = -Double.infinity
        for iteration in 1...max(1, maxIterations) where maxIterations > 0 {
            eStep()
            updatePriors()
            mStep()
            let newLoss = sweepLogSums(objective: true) / Double(layout.labels)
            if newLoss - loss < tolerance { return (iteration, true) }
            loss = newLoss
        }
        return (maxIterations, false)
    }

    /// priors_c = mean of T_ic over labelled items, partial sums added in block order.
    mutating func updatePriors() {
        let k = self.k, blocks = layout.itemBlocks, start = layout.itemStart
        var partial = [Double](repeating: 0, count: blocks.count * k)
        posterior.withUnsafeBufferPointer { t in
            partial.withUnsafeMutableBufferPointer { p in
                nonisolated(unsafe) let p = p
                layout.forEach(blocks) { b in
                    for i in blocks[b] where start[i + 1] > start[i] {
                        for c in 0..<k { p[b * k + c] += t[i * k + c] }
                    }
                }
            }
        }
        for c in 0..<k { priors[c] = 0 }
        for b in blocks.indices { for c in 0..<k { priors[c] += partial[b * k + c] } }
        for c in 0..<k { priors[c] /= Double(layout.labelledItems) }
    }

    /// T_ic ∝ 2^(log₂ max(p_c, ε) + L_ic), computed as crowd-kit does: minus the row's
    /// maximum, exp₂, divided by the row's sum.
    mutating func eStep() {
        let k = self.k, blocks = layout.itemBlocks, start = layout.itemStart
        let logPrior = priors.map { log2(max($0, DawidSkene.eps)) }
        logSum.withUnsafeBufferPointer { l in
            posterior.withUnsafeMutableBufferPointer { t in
                nonisolated(unsafe) let t = t
                layout.forEach(blocks) { b in
                    for i in blocks[b] where start[i + 1] > start[i] {
                        var top = -Double.infinity
                        for c in 0..<k { top = max(top, logPrior[c] + l[i * k + c]) }
                        var sum = 0.0
                        for c in 0..<k {
                            let v = exp2(logPrior[c] + l[i * k + c] - top)
                            t[i * k + c] = v
                            sum += v
                        }
                        for c in 0..<k { t[i * k + c] /= sum }
                    }
                }
            }
        }
    }
}
