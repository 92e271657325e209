/// The statistics of a whole data set in one pass over its units: the integer tallies of
/// the multi-rater coefficients and, with exactly two raters, their pair table.
///
/// This is the batch computation. It keeps none of the per-unit state the live
/// `AgreementAccumulator` needs for edits (so it allocates nothing per unit), and it reads
/// its numbers through the same `evaluate`: the accumulator after any edits must produce
/// exactly (==) what this produces on the final data, which the tests check.
struct BatchStatistics: Sendable {
    let tallies: Tallies
    let pairTable: PairTable?
    let categories: CategorySet
    let raterCount: Int
    let ratingCount: Int

    init(_ data: ReliabilityData) {
        let k = data.categories.count
        var maxM = 0
        for u in 0..<data.unitCount { maxM = max(maxM, data.unitStart[u + 1] - data.unitStart[u]) }
        // Flat [m][c][k] and [m][c] arrays filled through raw pointers: this loop is the whole
        // cost of a batch computation, so it avoids per-unit bounds checks and closures.
        var units = [Int](repeating: 0, count: maxM + 1)
        var pairs = [Int](repeating: 0, count: (maxM + 1) * k * k)
        var counts = [Int](repeating: 0, count: (maxM + 1) * k)
        var table: PairTable? = data.raterCount == 2 ? PairTable(categoryCount: k) : nil
        var scratch = [Int](repeating: 0, count: k)
        var present = [Int](repeating: 0, count: max(k, 1))
        units.withUnsafeMutableBufferPointer { units in
        pairs.withUnsafeMutableBufferPointer { pairs in
        counts.withUnsafeMutableBufferPointer { counts in
        scratch.withUnsafeMutableBufferPointer { count in
        present.withUnsafeMutableBufferPointer { present in
        data.unitStart.withUnsafeBufferPointer { unitStart in
        data.categoryOf.withUnsafeBufferPointer { categoryOf in
            for u in 0..<data.unitCount {
                let start = unitStart[u], end = unitStart[u + 1]
                let m = end - start
                guard m > 0 else { continue }
                var distinct = 0
                for slot in start..<end {
                    let c = Int(categoryOf[slot])
                    if count[c] == 0 { present[distinct] = c; distinct += 1 }
                    count[c] += 1
                }
                units[m] += 1
                let pairBase = m * k * k, countBase = m * k
                for i in 0..<distinct {
                    let c = present[i], nc = count[c]
                    counts[countBase + c] += nc
                    pairs[pairBase + c * k + c] += nc * (nc - 1)
                    for j in 0..<distinct where j != i {
                        pairs[pairBase + c * k + present[j]] += nc * count[present[j]]
                    }
                }
                for i in 0..<distinct { count[present[i]] = 0 }
            }
        } } } } } } }
        if table != nil {
            // Two raters: the table of units both rated, rows rater 0.
            for u in 0..<data.unitCount where data.unitStart[u + 1] - data.unitStart[u] == 2 {
                let s = data.unitStart[u]
                let (a, b) = data.raterOf[s] == 0 ? (s, s + 1) : (s + 1, s)
                table!.cells[Int(data.categoryOf[a]) * k + Int(data.categoryOf[b])] += 1
            }
        }
        self.tallies = Tallies(categoryCount: k, units: units, pairs: pairs, counts: counts)
        self.pairTable = table
        self.categories = data.categories
        self.raterCount = data.raterCount
        self.ratingCount = data.ratingCount
    }

    /// Statistics whose tallies were built another way (the fast rater breakdowns).
    init(tallies: Tallies, pairTable: PairTable?, categories: CategorySet, raterCount: Int, ratingCount: Int) {
        self.tallies = tallies
        self.pairTable = pairTable
        self.categories = categories
        self.raterCount = raterCount
        self.ratingCount = ratingCount
    }

    func outcomes(_ metrics: [Metric]) -> [Metric: Outcome] {
        let coincidences = tallies.coincidences()
        var result: [Metric: Outcome] = [:]
        for metric in metrics {
            result[metric] = evaluate(metric, coincidences: { coincidences },
                                      pairTable: { pairTable ?? PairTable(categoryCount: categories.count) },
                                      categories: categories, raterCount: raterCount)
        }
        return result
    }
}
