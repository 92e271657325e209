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
        var tallies = Tallies(categoryCount: k)
        var table: PairTable? = data.raterCount == 2 ? PairTable(categoryCount: k) : nil
        var counts = [Int](repeating: 0, count: k)
        var present: [Int32] = []
        present.reserveCapacity(k)
        data.categoryOf.withUnsafeBufferPointer { categoryOf in
            data.raterOf.withUnsafeBufferPointer { raterOf in
                for u in 0..<data.unitCount {
                    let start = data.unitStart[u], end = data.unitStart[u + 1]
                    guard end > start else { continue }
                    for slot in start..<end {
                        let c = Int(categoryOf[slot])
                        if counts[c] == 0 { present.append(Int32(c)) }
                        counts[c] += 1
                    }
                    tallies.add(present: present, count: { counts[$0] }, m: end - start, weight: 1)
                    for c in present { counts[Int(c)] = 0 }
                    present.removeAll(keepingCapacity: true)
                    if table != nil && end - start == 2 {
                        // Two raters, both rated: rows are rater 0.
                        let (a, b) = raterOf[start] == 0 ? (start, start + 1) : (start + 1, start)
                        table!.cells[Int(categoryOf[a]) * k + Int(categoryOf[b])] += 1
                    }
                }
            }
        }
        self.tallies = tallies
        self.pairTable = table
        self.categories = data.categories
        self.raterCount = data.raterCount
        self.ratingCount = data.ratingCount
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
