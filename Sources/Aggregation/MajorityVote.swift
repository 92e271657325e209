/// Majority vote: each item's posterior is its vote shares (crowd-kit `MajorityVote`'s
/// `probas_`); the label is the option with most votes, or a tie. A rater's accuracy is the
/// share of their labels that equal the consensus label, over items that have one
/// (crowd-kit's `skills_` counts tied items against the option it picked at random; concord
/// leaves them out: docs/aggregation.md).
enum MajorityVote {
    static func aggregate(_ data: LabelData) -> AggregationOutcome {
        let k = data.classCount
        var votes = [Int](repeating: 0, count: data.itemCount * k)
        for l in 0..<data.labelCount { votes[Int(data.item[l]) * k + Int(data.label[l])] += 1 }
        var items: [ItemConsensus] = []
        items.reserveCapacity(data.itemCount)
        for i in 0..<data.itemCount {
            let row = votes[(i * k)..<(i * k + k)]
            let n = row.reduce(0, +)
            // Equal counts give equal shares (and no votes, all zeros: a tie of every option).
            let posterior = n == 0 ? [Double](repeating: 0, count: k) : row.map { Double($0) / Double(n) }
            items.append(ItemConsensus(item: i, posterior: posterior, n: n))
        }
        return .aggregated(AggregationResult(method: .mv, items: items, raters: agreementWithConsensus(data, items)))
    }

    /// Each rater's share of labels equal to the item's consensus label (items without one,
    /// ties, are left out); nil accuracy when none of the rater's items has one.
    static func agreementWithConsensus(_ data: LabelData, _ items: [ItemConsensus]) -> [RaterSkill] {
        var hits = [Int](repeating: 0, count: data.raterCount)
        var counted = [Int](repeating: 0, count: data.raterCount)
        var given = [Int](repeating: 0, count: data.raterCount)
        for l in 0..<data.labelCount {
            let r = Int(data.rater[l])
            given[r] += 1
            guard let consensus = items[Int(data.item[l])].label else { continue }
            counted[r] += 1
            if consensus == Int(data.label[l]) { hits[r] += 1 }
        }
        return (0..<data.raterCount).map {
            RaterSkill(rater: $0, accuracy: counted[$0] == 0 ? nil : Double(hits[$0]) / Double(counted[$0]), n: given[$0])
        }
    }
}
