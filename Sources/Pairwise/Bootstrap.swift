import Dispatch

/// Percentile intervals from resampling raters (docs/pairwise.md "Bootstrap"). The Fisher
/// interval assumes every comparison is independent; a rater's comparisons are not (one
/// rater's taste runs through all of them), so resampling whole raters measures the
/// uncertainty a new panel of raters would bring.
public struct BootstrapIntervals: Sendable, Equatable {
    public var replicates: Int
    public var seed: UInt64
    /// Per item: the 2.5th and 97.5th percentiles of its centred score over the replicates
    /// in which its group had an ML score; nil with `reason`.
    public var ci95: [ClosedRange<Double>?]
    /// Per item: how many replicates the interval is drawn from.
    public var used: [Int]
    public var reason: [String?]
}

extension Pairwise {
    /// 95% percentile intervals of the scores from `replicates` resamples of the raters (with
    /// replacement, as many as rated), each refitted with `options`; the same for a seed on
    /// any number of cores. nil for an item without one (`bootstrapIntervals` says why).
    public static func bootstrap(_ data: Comparisons, options: PairwiseOptions = PairwiseOptions(),
                                 replicates: Int, seed: UInt64) -> [ClosedRange<Double>?] {
        bootstrapIntervals(data, options: options, replicates: replicates, seed: seed).ci95
    }

    /// The bootstrap with, per item, the replicates used and the reason for a missing interval.
    public static func bootstrapIntervals(_ data: Comparisons, options: PairwiseOptions = PairwiseOptions(),
                                          replicates: Int, seed: UInt64) -> BootstrapIntervals {
        let m = data.items.count
        let resample = RaterResample(data, options: options)
        let full = resample.fit(counts: [Int32](repeating: 1, count: data.raters.count), options: options)
        var members = [Int: [Int]]()
        for i in 0..<m where full.group[i] >= 0 { members[Int(full.group[i]), default: []].append(i) }
        let groups = members.keys.sorted().map { members[$0]! }
        var out = BootstrapIntervals(replicates: max(0, replicates), seed: seed, ci95: Array(repeating: nil, count: m),
                                     used: Array(repeating: 0, count: m),
                                     reason: Array(repeating: "no maximum-likelihood score on the full data", count: m))
        guard replicates > 0, resample.active.count >= 2 else {
            let why = replicates > 0 ? "\(resample.active.count) rater: resampling raters cannot show their spread; intervals need at least 2"
                                     : "no bootstrap replicates asked for"
            for g in groups { for i in g { out.reason[i] = why } }
            return out
        }
        // Row b: replicate b's scores; valid[b * G + g]: group g kept one ML group in it.
        var scores = [Double](repeating: 0, count: replicates * m)
        var valid = [Bool](repeating: false, count: replicates * groups.count)
        scores.withUnsafeMutableBufferPointer { s in
            valid.withUnsafeMutableBufferPointer { v in
                nonisolated(unsafe) let s = s, v = v
                let blocks = Swift.max(1, Swift.min(replicates, 64))
                DispatchQueue.concurrentPerform(iterations: blocks) { block in
                    for b in stride(from: block, to: replicates, by: blocks) {
                        let fit = resample.fit(counts: resample.draw(replicate: b, seed: seed), options: options)
                        for (g, items) in groups.enumerated() {
                            let first = fit.group[items[0]]
                            guard first >= 0, items.allSatisfy({ fit.group[$0] == first }) else { continue }
                            v[b * groups.count + g] = true
                            for i in items { s[b * m + i] = fit.theta[i] }
                        }
                    }
                }
            }
        }
        for (g, items) in groups.enumerated() {
            let kept = (0..<replicates).filter { valid[$0 * groups.count + g] }
            let lost = replicates - kept.count
            for i in items {
                out.used[i] = kept.count
                // More than 2.5% of replicates without a finite score: a tail is unbounded.
                guard Double(lost) <= 0.025 * Double(replicates), !kept.isEmpty else {
                    out.reason[i] = "in \(lost) of \(replicates) resamples of raters its group had no maximum-likelihood score (an item never lost or never won): more than 2.5%, so a tail of the interval is unbounded; more raters or comparisons are needed"
                    continue
                }
                let sorted = kept.map { scores[$0 * m + i] }.sorted()
                out.ci95[i] = percentile(sorted, 0.025)...percentile(sorted, 0.975)
                out.reason[i] = nil
            }
        }
        return out
    }

    /// The p-quantile of sorted values by linear interpolation between order statistics
    /// (numpy's default, Hyndman–Fan type 7).
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p, lo = Int(h.rounded(.down))
        let hi = Swift.min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}

/// The comparisons once folded per pair, so a replicate is a reweighting: comparison k counts
/// as many times as its rater was drawn.
struct RaterResample: Sendable {
    let m: Int
    let pairs: PairTable
    let rowPair: [Int32], rater: [Int32]
    /// Per comparison: 0 lo won, 1 hi won, 2 tie.
    let side: [Int8]
    /// Raters with at least one comparison: the population resampled.
    let active: [Int32]
    let raters: Int
    let halving: Bool

    init(_ data: Comparisons, options: PairwiseOptions) {
        (pairs, rowPair) = PairTable.folding(data)
        m = data.items.count; rater = data.rater; raters = data.raters.count
        side = (0..<data.count).map { k in
            switch data.outcome[k] {
            case .tie: return 2
            case .a: return data.a[k] < data.b[k] ? 0 : 1
            case .b: return data.b[k] < data.a[k] ? 0 : 1
            }
        }
        var seen = [Bool](repeating: false, count: data.raters.count)
        for r in data.rater { seen[Int(r)] = true }
        active = seen.indices.filter { seen[$0] }.map(Int32.init)
        halving = options.ties == .halfWin || options.model == .thurstone
    }

    /// How often each rater is drawn in replicate b: as many draws as active raters, from a
    /// SplitMix64 stream of its own (seed, b), so a replicate never depends on another.
    func draw(replicate b: Int, seed: UInt64) -> [Int32] {
        var rng = SplitMix64.stream(seed: seed, index: b)
        var counts = [Int32](repeating: 0, count: raters)
        for _ in active { counts[Int(active[Int(rng.next().multipliedFullWidth(by: UInt64(active.count)).high)])] += 1 }
        return counts
    }

    func fit(counts: [Int32], options: PairwiseOptions) -> (theta: [Double], group: [Int32]) {
        var wLo = [Double](repeating: 0, count: pairs.count), wHi = wLo, t = wLo
        var decisive = false
        for k in 0..<rowPair.count {
            let c = Double(counts[Int(rater[k])])
            guard c > 0 else { continue }
            let p = Int(rowPair[k])
            switch side[k] {
            case 0: wLo[p] += c; decisive = true
            case 1: wHi[p] += c; decisive = true
            default: t[p] += c
            }
        }
        var table = PairTable()
        for p in 0..<pairs.count where wLo[p] + wHi[p] + t[p] > 0 {
            table.append(Int(pairs.lo[p]), Int(pairs.hi[p]), wLo: wLo[p], wHi: wHi[p], t: t[p])
        }
        if halving { table = table.halvingTies() }
        return Pairwise.scores(table, items: m, decisive: decisive, options: options, parallel: false)
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator, the same numbers everywhere.
struct SplitMix64 {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }

    /// Stream `index` of a seed: started at a hashed state, not at seed + index × step, whose
    /// sequences would be the same numbers shifted by one place.
    static func stream(seed: UInt64, index: Int) -> SplitMix64 {
        var base = SplitMix64(seed &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03)
        return SplitMix64(base.next())
    }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
