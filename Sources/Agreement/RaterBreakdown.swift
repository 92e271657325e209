/// Fast rater breakdowns: every rater pair and every leave-one-rater-out, built from counts
/// instead of from a transformed copy of the data.
///
/// Why: a batch report over 1,000 clips × 250 raters has 31,125 rater pairs. Copying the
/// data for each pair (`restricted(toRaters:)`) and recounting it costs O(pairs × ratings),
/// over 30 s per report. The tallies of a two-rater data set are fully fixed by the pair's
/// table of jointly rated units and each rater's category counts. The tallies without one
/// rater are the full tallies with that rater's units replaced by their one-smaller
/// versions. Both rebuild exactly the integers the slow path counts. So every statistic
/// comes out identical (==), not just close. The tests check this on random data against
/// the definition (`AgreementSummary(data.restricted(toRaters:))`).
extension Breakdown {
    /// Raters × units cells above which the pair tables are not built from a dense raters ×
    /// units matrix; the pairs then fall back to the definition, one copy per pair.
    static let denseCellLimit = 32 * 1024 * 1024

    static func fastPairRows(_ data: ReliabilityData, metrics: [Metric], denseLimit: Int = denseCellLimit) -> [RaterPairRow]? {
        let r = data.raterCount, u = data.unitCount, k = data.categories.count
        guard r >= 2, r * u <= denseLimit, k < Int(UInt16.max) else { return nil }
        // cell[rater * u + unit] = category, or `missing`.
        let missing = UInt16.max
        var cell = [UInt16](repeating: missing, count: r * u)
        var raterCounts = [Int](repeating: 0, count: r * k)
        var raterRatings = [Int](repeating: 0, count: r)
        for unit in 0..<u {
            for slot in data.unitStart[unit]..<data.unitStart[unit + 1] {
                let rater = Int(data.raterOf[slot]), c = Int(data.categoryOf[slot])
                cell[rater * u + unit] = UInt16(c)
                raterCounts[rater * k + c] += 1
                raterRatings[rater] += 1
            }
        }
        var rows: [RaterPairRow] = []
        rows.reserveCapacity(r * (r - 1) / 2)
        var table = [Int](repeating: 0, count: k * k)
        cell.withUnsafeBufferPointer { cell in
            for a in 0..<r {
                for b in (a + 1)..<r {
                    for i in table.indices { table[i] = 0 }
                    table.withUnsafeMutableBufferPointer { t in
                        let rowA = a * u, rowB = b * u
                        for unit in 0..<u {
                            let ca = cell[rowA + unit], cb = cell[rowB + unit]
                            if ca != missing && cb != missing { t[Int(ca) * k + Int(cb)] += 1 }
                        }
                    }
                    let stats = pairStatistics(table: table, k: k, countsA: raterCounts[(a * k)..<(a * k + k)],
                                               countsB: raterCounts[(b * k)..<(b * k + k)],
                                               ratings: raterRatings[a] + raterRatings[b], categories: data.categories)
                    rows.append(RaterPairRow(first: data.raterNames[a], second: data.raterNames[b],
                                             summary: AgreementSummary(stats, units: u, metrics: metrics)))
                }
            }
        }
        return rows
    }

    /// The two-rater statistics of raters a (table rows) and b (columns): units both rated
    /// have m = 2, units only one rated have m = 1.
    private static func pairStatistics(table: [Int], k: Int, countsA: ArraySlice<Int>, countsB: ArraySlice<Int>,
                                       ratings: Int, categories: CategorySet) -> BatchStatistics {
        var units = [0, 0, 0]
        var pairs = [Int](repeating: 0, count: 3 * k * k)
        var counts = [Int](repeating: 0, count: 3 * k)
        var rowSum = [Int](repeating: 0, count: k), columnSum = [Int](repeating: 0, count: k)
        var joint = 0
        for c in 0..<k {
            for d in 0..<k where table[c * k + d] != 0 {
                let n = table[c * k + d]
                joint += n
                rowSum[c] += n; columnSum[d] += n
                // One unit (c, d) holds the ordered pairs (c, d) and (d, c); (c, c) twice.
                pairs[2 * k * k + c * k + d] += n
                pairs[2 * k * k + d * k + c] += n
            }
        }
        units[2] = joint
        var single = 0
        for c in 0..<k {
            counts[2 * k + c] = rowSum[c] + columnSum[c]
            let alone = (countsA[countsA.startIndex + c] - rowSum[c]) + (countsB[countsB.startIndex + c] - columnSum[c])
            counts[k + c] = alone
            single += alone
        }
        units[1] = single
        var pairTable = PairTable(categoryCount: k)
        pairTable.cells = table
        return BatchStatistics(tallies: Tallies(categoryCount: k, units: units, pairs: pairs, counts: counts),
                               pairTable: pairTable, categories: categories, raterCount: 2, ratingCount: ratings)
    }

    /// Leave-one-rater-out from the full tallies (needs ≥ 4 raters: with 3 left out to 2 the
    /// pair table is needed, and the caller takes the definition).
    static func fastLeaveOneOutRows(_ data: ReliabilityData, metrics: [Metric]) -> [LeaveOneOutRow]? {
        let r = data.raterCount, u = data.unitCount, k = data.categories.count
        guard r >= 4 else { return nil }
        let full = BatchStatistics(data).tallies
        // Per unit: m and category counts; per rater: the units they rated, with the category.
        var unitCounts = [Int](repeating: 0, count: u * k)
        var byRater = [[(unit: Int32, category: Int32)]](repeating: [], count: r)
        var raterRatings = [Int](repeating: 0, count: r)
        for unit in 0..<u {
            for slot in data.unitStart[unit]..<data.unitStart[unit + 1] {
                let c = Int(data.categoryOf[slot]), rater = Int(data.raterOf[slot])
                unitCounts[unit * k + c] += 1
                byRater[rater].append((Int32(unit), Int32(c)))
                raterRatings[rater] += 1
            }
        }
        var present: [Int32] = []
        present.reserveCapacity(k)
        return (0..<r).map { rater in
            var tallies = full
            for (unit32, c32) in byRater[rater] {
                let base = Int(unit32) * k, c = Int(c32)
                present.removeAll(keepingCapacity: true)
                var m = 0
                for d in 0..<k where unitCounts[base + d] != 0 { present.append(Int32(d)); m += unitCounts[base + d] }
                tallies.add(present: present, count: { unitCounts[base + $0] }, m: m, weight: -1)
                if m > 1 {
                    let reduced = present.filter { Int($0) != c || unitCounts[base + c] > 1 }
                    tallies.add(present: reduced, count: { unitCounts[base + $0] - ($0 == c ? 1 : 0) }, m: m - 1, weight: 1)
                }
            }
            let stats = BatchStatistics(tallies: tallies, pairTable: nil, categories: data.categories,
                                        raterCount: r - 1, ratingCount: data.ratingCount - raterRatings[rater])
            return LeaveOneOutRow(rater: data.raterNames[rater], summary: AgreementSummary(stats, units: u, metrics: metrics))
        }
    }
}

extension Breakdown {
    /// Pooled confusion counts: every ordered pair of ratings by different raters within a
    /// unit, [c][k] (symmetric; with two raters, their pair table counted both ways). This is
    /// Σ_m of the tallies' pair counts, so it costs O(ratings + units · categories²) rather
    /// than O(Σ m²) per unit.
    public static func pooledPairCounts(_ data: ReliabilityData) -> [[Int]] {
        let t = BatchStatistics(data).tallies, k = data.categories.count
        var m = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for units in 0...t.maxM { for c in 0..<k { for d in 0..<k { m[c][d] += t.pairs[(units * k + c) * k + d] } } }
        return m
    }
}
