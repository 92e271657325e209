/// Integer sufficient statistics of the multi-rater coefficients (Krippendorff's alpha,
/// Fleiss' kappa, Gwet's AC1, percent agreement), grouped by m, the number of ratings a
/// unit has.
///
/// Why integers grouped by m: a unit's contribution to the coincidence matrix is its pair
/// counts divided by (m − 1). Keeping the integer pair counts per m and dividing only when a
/// statistic is read makes every update exact and reversible (add, then remove, leaves no
/// rounding residue), so a live accumulator after any edits holds exactly the state a fresh
/// computation would, and reading costs O(max m · categories²).
struct Tallies: Sendable, Equatable {
    let categoryCount: Int
    /// Units with exactly m ratings, by m.
    private(set) var units: [Int] = [0]
    /// Σ over units with m ratings of n_c n_k − [c = k] n_c (ordered pairs of ratings from
    /// different raters in categories c, k), flattened [m][c][k].
    private(set) var pairs: [Int] = []
    /// Σ over units with m ratings of n_c, flattened [m][c].
    private(set) var counts: [Int] = []

    init(categoryCount: Int) {
        self.categoryCount = categoryCount
        pairs = [Int](repeating: 0, count: categoryCount * categoryCount)
        counts = [Int](repeating: 0, count: categoryCount)
    }

    /// Tallies already summed (by the batch computation).
    init(categoryCount: Int, units: [Int], pairs: [Int], counts: [Int]) {
        precondition(pairs.count == units.count * categoryCount * categoryCount && counts.count == units.count * categoryCount)
        self.categoryCount = categoryCount
        self.units = units
        self.pairs = pairs
        self.counts = counts
    }

    var maxM: Int { units.count - 1 }

    private mutating func ensure(m: Int) {
        let k = categoryCount
        while units.count <= m {
            units.append(0)
            pairs.append(contentsOf: repeatElement(0, count: k * k))
            counts.append(contentsOf: repeatElement(0, count: k))
        }
    }

    /// Adds (weight > 0) or removes (weight < 0) `weight` copies of a unit whose category
    /// counts are `count[c]` for the distinct categories `present`, with m ratings in all.
    mutating func add<C: Collection<Int32>>(present: C, count: (Int) -> Int, m: Int, weight: Int) {
        guard m > 0 else { return }
        ensure(m: m)
        let k = categoryCount
        units[m] += weight
        let pairBase = m * k * k, countBase = m * k
        for c32 in present {
            let c = Int(c32)
            let nc = count(c)
            counts[countBase + c] += weight * nc
            for k32 in present {
                let kk = Int(k32)
                let nk = count(kk)
                pairs[pairBase + c * k + kk] += weight * (c == kk ? nc * (nc - 1) : nc * nk)
            }
        }
    }

    /// Reads the tallies into the quantities the coefficients are written in.
    func coincidences() -> Coincidences {
        let k = categoryCount
        var o = [Double](repeating: 0, count: k * k)
        var nc = [Double](repeating: 0, count: k)
        var observedByCategory = [Int](repeating: 0, count: k)
        var pi = [Double](repeating: 0, count: k)
        var paSum = 0.0
        var unitsWithOne = 0, pairable = 0
        for m in 1..<units.count where units[m] != 0 {
            unitsWithOne += units[m]
            let countBase = m * k
            for c in 0..<k {
                observedByCategory[c] += counts[countBase + c]
                pi[c] += Double(counts[countBase + c]) / Double(m)
            }
            guard m >= 2 else { continue }
            pairable += units[m]
            let pairBase = m * k * k
            var agreeingPairs = 0
            for c in 0..<k {
                nc[c] += Double(counts[countBase + c])
                agreeingPairs += pairs[pairBase + c * k + c]
                for kk in 0..<k where pairs[pairBase + c * k + kk] != 0 {
                    o[c * k + kk] += Double(pairs[pairBase + c * k + kk]) / Double(m - 1)
                }
            }
            paSum += Double(agreeingPairs) / Double(m * (m - 1))
        }
        if unitsWithOne > 0 { for c in 0..<k { pi[c] /= Double(unitsWithOne) } }
        return Coincidences(categoryCount: k, o: o, nc: nc, n: nc.reduce(0, +),
                            pairableUnits: pairable, unitsWithRatings: unitsWithOne,
                            percentAgreementSum: paSum, pi: pi,
                            observedCategories: observedByCategory.filter { $0 > 0 }.count,
                            observed: observedByCategory.map { $0 > 0 })
    }
}

/// The coincidence matrix and marginals of Krippendorff (2011), with the category
/// proportions of Fleiss/Gwet, read from `Tallies`.
struct Coincidences: Sendable {
    let categoryCount: Int
    /// o_ck, flattened [c][k]: coincidences of values c and k within pairable units.
    let o: [Double]
    /// n_c = Σ_k o_ck, and n = Σ_c n_c: pairable values.
    let nc: [Double]
    let n: Double
    /// Units with ≥ 2 ratings, and with ≥ 1.
    let pairableUnits: Int
    let unitsWithRatings: Int
    /// Σ over pairable units of Σ_k r_ik(r_ik − 1) / (r_i(r_i − 1)).
    let percentAgreementSum: Double
    /// π_k: mean over units with ≥ 1 rating of r_ik / r_i.
    let pi: [Double]
    /// How many categories occur in at least one rating, and which.
    let observedCategories: Int
    let observed: [Bool]
}
