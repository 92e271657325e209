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

    static func aggregate(_ data: LabelData, options: AggregationOptions, oneCoin: Bool) -> AggregationOutcome {
        let name = oneCoin ? "one-coin" : "ds"
        guard data.classCount >= 2 else {
            let only = data.classNames.first.map { " (\($0))" } ?? ""
            return .undefined(reason: "there is only one option\(only): \(name) weighs raters' disagreements between options, and with one option every item's consensus is that option; give the criterion's full option list")
        }
        let layout = DawidSkeneLayout(data)
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
        for r in 0..<layout.raters {
            for b in layout.raterStart[r]..<layout.raterStart[r + 1] { counts[r * k + Int(layout.byRaterGiven[b])] += 1 }
        }
        givenCount = counts
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

    /// The M step for every rater (each rater's rows are its own, so raters run in parallel):
    /// ds sums its posteriors per given option, one-coin averages the posterior of the
    /// option it gave; then the confusion entries and their log₂.
    mutating func mStep() {
        let k = self.k, blocks = layout.raterBlocks, oneCoin = self.oneCoin
        let start = layout.raterStart, items = layout.byRaterItem, given = layout.byRaterGiven, counts = givenCount
        posterior.withUnsafeBufferPointer { t in
            confusion.withUnsafeMutableBufferPointer { e in
                logConfusion.withUnsafeMutableBufferPointer { le in
                    skill.withUnsafeMutableBufferPointer { s in
                        nonisolated(unsafe) let (e, le, s) = (e, le, s)
                        layout.forEach(blocks) { b in
                            for r in blocks[b] {
                                let rows = r * k * k
                                for x in 0..<(k * k) { e[rows + x] = 0 }
                                let range = start[r]..<start[r + 1]
                                guard !range.isEmpty else { continue }
                                if oneCoin {
                                    var hit = 0.0
                                    for a in range { hit += t[Int(items[a]) * k + Int(given[a])] }
                                    s[r] = hit / Double(range.count)
                                    DawidSkeneEM.oneCoinRows(skill: s[r], k: k, into: e.baseAddress! + rows)
                                } else {
                                    for a in range {
                                        let from = Int(items[a]) * k, to = rows + Int(given[a]) * k
                                        for c in 0..<k { e[to + c] += t[from + c] }
                                    }
                                    DawidSkeneEM.normalise(rows: e.baseAddress! + rows, used: counts, rater: r, k: k)
                                }
                                for x in 0..<(k * k) { le[rows + x] = log2(e[rows + x]) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// ds: each summed entry clipped below at ε, then every column t divided by its sum over
    /// the options the rater gave (crowd-kit's `errors /= errors.groupby("worker").sum()`).
    static func normalise(rows e: UnsafeMutablePointer<Double>, used counts: [Int32], rater r: Int, k: Int) {
        for g in 0..<k where counts[r * k + g] > 0 {
            for t in 0..<k { e[g * k + t] = max(e[g * k + t], DawidSkene.eps) }
        }
        for t in 0..<k {
            var sum = 0.0
            for g in 0..<k where counts[r * k + g] > 0 { sum += e[g * k + t] }
            for g in 0..<k where counts[r * k + g] > 0 { e[g * k + t] /= sum }
        }
    }

    /// One-coin: e[t][g] = s when g = t, (1 − s)/(K − 1) otherwise, clipped to [ε, 1 − ε] and
    /// not renormalised (crowd-kit's `_process_skills_to_errors`); every (given, true) entry.
    static func oneCoinRows(skill s: Double, k: Int, into e: UnsafeMutablePointer<Double>) {
        let off = k > 1 ? (1 - s) / Double(k - 1) : 0
        for g in 0..<k {
            for t in 0..<k { e[g * k + t] = min(max(g == t ? s : off, DawidSkene.eps), 1 - DawidSkene.eps) }
        }
    }
}
