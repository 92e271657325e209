import Glibc

extension DawidSkeneEM {
    /// L_ic = Σ over item i's labels of log₂ e_w[c][given] for the confusion just estimated,
    /// which the next E step starts from; with `objective`, also crowd-kit's
    /// `_evidence_lower_bound` (not yet divided by the number of labels):
    /// Σ_labels Σ_c T_ic (ln e_w[c][given] + ln max(p_c, ε)) − Σ_i Σ_c T'_ic ln T'_ic, T' = max(T, ε).
    /// The prior term counts once per label, as crowd-kit's does; ln e is ln 2 · log₂ e.
    mutating func sweepLogSums(objective: Bool) -> Double {
        let k = self.k, blocks = layout.itemBlocks, start = layout.itemStart, codes = layout.byItemCode
        let logPrior = priors.map { log(max($0, DawidSkene.eps)) }
        var partial = [Double](repeating: 0, count: blocks.count)
        logConfusion.withUnsafeBufferPointer { le in
            posterior.withUnsafeBufferPointer { t in
                logSum.withUnsafeMutableBufferPointer { l in
                    partial.withUnsafeMutableBufferPointer { p in
                        nonisolated(unsafe) let (l, p) = (l, p)
                        layout.forEach(blocks) { b in
                            var total = 0.0
                            for i in blocks[b] {
                                let row = l.baseAddress! + i * k
                                for c in 0..<k { row[c] = 0 }
                                let range = start[i]..<start[i + 1]
                                guard !range.isEmpty else { continue }
                                for a in range {
                                    let entry = le.baseAddress! + Int(codes[a]) * k
                                    for c in 0..<k { row[c] += entry[c] }
                                }
                                guard objective else { continue }
                                let n = Double(range.count)
                                for c in 0..<k {
                                    let posterior = t[i * k + c], clipped = max(posterior, DawidSkene.eps)
                                    total += posterior * (M_LN2 * row[c] + n * logPrior[c]) - clipped * log(clipped)
                                }
                            }
                            p[b] = total
                        }
                    }
                }
            }
        }
        return partial.reduce(0, +)
    }

    /// The fitted model in the data's terms: posteriors and confusion matrices over every
    /// option of `data` (0 for options nobody gave), each item's label or its tie, each
    /// rater's accuracy — one-coin's skill, or for ds Σ_c p_c · e_w[c][c] (docs/aggregation.md).
    func result(_ data: LabelData, method: AggregationMethod, iterations: Int, converged: Bool) -> AggregationResult {
        let k = self.k, all = data.classCount, options = layout.options
        var fullPriors = [Double](repeating: 0, count: all)
        for c in 0..<k { fullPriors[options[c]] = priors[c] }
        var items: [ItemConsensus] = []
        items.reserveCapacity(layout.items)
        for i in 0..<layout.items {
            let n = layout.itemStart[i + 1] - layout.itemStart[i]
            var p = fullPriors
            if n > 0 { for c in 0..<k { p[options[c]] = posterior[i * k + c] } }
            items.append(ItemConsensus(item: i, posterior: p, n: n))
        }
        var raters: [RaterSkill] = []
        raters.reserveCapacity(layout.raters)
        for r in 0..<layout.raters {
            let n = layout.raterStart[r + 1] - layout.raterStart[r]
            guard n > 0 else { raters.append(RaterSkill(rater: r, n: 0)); continue }
            var matrix = [[Double]](repeating: [Double](repeating: 0, count: all), count: all)
            var accuracy = 0.0
            for t in 0..<k {
                for g in 0..<k { matrix[options[t]][options[g]] = confusion[(r * k + g) * k + t] }
                accuracy += priors[t] * confusion[(r * k + t) * k + t]
            }
            raters.append(RaterSkill(rater: r, accuracy: oneCoin ? skill[r] : accuracy, confusion: matrix, n: n))
        }
        return AggregationResult(method: method, items: items, raters: raters, iterations: iterations, converged: converged)
    }
}
