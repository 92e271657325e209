import Glibc

extension DawidSkeneEM {
    /// The M step: ds sums each rater's posteriors per option given, one-coin the posterior
    /// of the option given; then each rater's confusion entries and their log₂. The sums come
    /// from a sweep by item (`layout.mStepByItem`) or by rater; either is in a fixed order.
    mutating func mStep() {
        if layout.mStepByItem { sumByItem() }
        let k = self.k, blocks = layout.raterBlocks, oneCoin = self.oneCoin, byItem = layout.mStepByItem
        let itemBlocks = layout.itemBlocks.count, width = layout.raters * k * (oneCoin ? 1 : k)
        let start = layout.raterStart, items = layout.byRaterItem, given = layout.byRaterGiven, counts = givenCount
        posterior.withUnsafeBufferPointer { t in
            partial.withUnsafeBufferPointer { sums in
                confusion.withUnsafeMutableBufferPointer { e in
                    logConfusion.withUnsafeMutableBufferPointer { le in
                        skill.withUnsafeMutableBufferPointer { s in
                            nonisolated(unsafe) let (e, le, s) = (e, le, s)
                            layout.forEach(blocks) { b in
                                for r in blocks[b] {
                                    let rows = r * k * k, n = start[r + 1] - start[r]
                                    for x in 0..<(k * k) { e[rows + x] = 0 }
                                    guard n > 0 else { continue }
                                    if oneCoin {
                                        var hit = 0.0
                                        if byItem {
                                            for g in 0..<k { for blk in 0..<itemBlocks { hit += sums[blk * width + r * k + g] } }
                                        } else {
                                            for a in start[r]..<start[r + 1] { hit += t[Int(items[a]) * k + Int(given[a])] }
                                        }
                                        s[r] = hit / Double(n)
                                        DawidSkeneEM.oneCoinRows(skill: s[r], k: k, into: e.baseAddress! + rows)
                                    } else {
                                        if byItem {
                                            for blk in 0..<itemBlocks {
                                                for x in 0..<(k * k) { e[rows + x] += sums[blk * width + rows + x] }
                                            }
                                        } else {
                                            for a in start[r]..<start[r + 1] {
                                                let from = Int(items[a]) * k, to = rows + Int(given[a]) * k
                                                for c in 0..<k { e[to + c] += t[from + c] }
                                            }
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
    }

    /// The sweep by item: each item block adds its items' posteriors into its own table,
    /// ds the whole row at [w·K + g][·], one-coin the given option's entry at [w·K + g].
    private mutating func sumByItem() {
        let k = self.k, blocks = layout.itemBlocks, oneCoin = self.oneCoin
        let width = layout.raters * k * (oneCoin ? 1 : k)
        let start = layout.itemStart, codes = layout.byItemCode, given = layout.byItemGiven
        posterior.withUnsafeBufferPointer { t in
            partial.withUnsafeMutableBufferPointer { sums in
                nonisolated(unsafe) let sums = sums
                layout.forEach(blocks) { b in
                    let table = sums.baseAddress! + b * width
                    table.update(repeating: 0, count: width)
                    for i in blocks[b] {
                        let row = t.baseAddress! + i * k
                        for a in start[i]..<start[i + 1] {
                            if oneCoin {
                                table[Int(codes[a])] += row[Int(given[a])]
                            } else {
                                let to = table + Int(codes[a]) * k
                                for c in 0..<k { to[c] += row[c] }
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
