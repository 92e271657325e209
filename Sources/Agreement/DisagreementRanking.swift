/// Which units (item × criterion) need a lead's decision, and in what order.
///
/// A unit enters when its ratings disagree by more than `threshold` — nominal: any two
/// different values; ordinal: a spread of more than `threshold` steps of the order;
/// interval and ratio: a spread (max − min) of more than `threshold` — or when a rater
/// flagged it (with one rating or more).
///
/// The order is how much resolving a unit matters: its priority, the magnitude of the
/// disagreement (the spread as a share of the scale — ordinal distance, not only a count —
/// or for nominal data the share of ratings outside the most common value) plus the
/// unit's effect on the criterion's alpha when that is positive (how much Krippendorff's
/// alpha at the criterion's level rises when the unit is left out: how much of the
/// criterion's disagreement it carries). Then the alpha gain, then the unit's position.
/// The gain alone can be negative in small samples (a unit's values also set the expected
/// disagreement), which is why it adds to the magnitude rather than replacing it.
public enum DisagreementRanking {
    public struct Entry: Sendable, Equatable {
        /// Index into the data's units.
        public let unit: Int
        public let ratings: Int
        /// nominal: distinct values − 1; ordinal: steps between the lowest and highest;
        /// numeric: max − min.
        public let spread: Double
        /// 0…1: spread ÷ (categories − 1) for ordinal, ÷ the scale's width for numeric
        /// scales, 1 − (modal share) for nominal.
        public let magnitude: Double
        /// α without the unit − α with it; nil when either is undefined.
        public let alphaGain: Double?
        public let flagged: Bool

        /// magnitude + max(0, alpha gain): the queue's order.
        public var priority: Double { magnitude + max(0, alphaGain ?? 0) }
    }

    /// The queue for one criterion's data (`level` its scale), in order.
    /// `scaleWidth` is max − min of a numeric criterion's range (for the magnitude).
    public static func rank(_ data: ReliabilityData, level: AlphaLevel, threshold: Double = 0,
                            flagged: Set<Int> = [], scaleWidth: Double? = nil) -> [Entry] {
        let categories = data.categories
        let statistics = BatchStatistics(data)
        let alphaAll = statistics.tallies.coincidences().krippendorffAlpha(level, categories: categories).value
        var entries: [Entry] = []
        var counts = [Int](repeating: 0, count: categories.count)
        for u in 0..<data.unitCount {
            let ratings = data.ratings(ofUnit: u)
            let isFlagged = flagged.contains(u)
            guard ratings.count >= 2 || (isFlagged && !ratings.isEmpty) else { continue }
            let values = ratings.map(\.category)
            let (spread, magnitude) = measure(values, level: level, categories: categories, scaleWidth: scaleWidth,
                                              counts: &counts)
            guard spread > threshold || isFlagged else { continue }
            // α without this unit: remove its contribution from a copy of the tallies.
            var tallies = statistics.tallies
            let present = Array(Set(values.map(Int32.init)))
            for v in values { counts[v] += 1 }
            tallies.add(present: present, count: { counts[$0] }, m: values.count, weight: -1)
            for v in values { counts[v] = 0 }
            let alphaWithout = tallies.coincidences().krippendorffAlpha(level, categories: categories).value
            let gain = alphaAll.flatMap { all in alphaWithout.map { $0 - all } }
            entries.append(Entry(unit: u, ratings: values.count, spread: spread, magnitude: magnitude,
                                 alphaGain: gain, flagged: isFlagged))
        }
        return entries.sorted(by: Self.precedes)
    }

    /// The queue's order (also across criteria): priority, alpha gain, then position.
    public static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        let ga = a.alphaGain ?? -.infinity, gb = b.alphaGain ?? -.infinity
        if ga != gb { return ga > gb }
        return a.unit < b.unit
    }

    /// Spread and magnitude of one unit's values (category indices).
    static func measure(_ values: [Int], level: AlphaLevel, categories: CategorySet, scaleWidth: Double?,
                        counts: inout [Int]) -> (spread: Double, magnitude: Double) {
        switch level {
        case .nominal:
            for v in values { counts[v] += 1 }
            let distinct = counts.filter { $0 > 0 }.count
            let modal = counts.max() ?? 0
            for v in values { counts[v] = 0 }
            return (Double(distinct - 1), 1 - Double(modal) / Double(values.count))
        case .ordinal:
            let lo = values.min()!, hi = values.max()!
            let steps = Double(hi - lo)
            return (steps, categories.count > 1 ? steps / Double(categories.count - 1) : 0)
        case .interval, .ratio:
            guard let numbers = categories.numericValues else { return (0, 0) }
            let v = values.map { numbers[$0] }
            // Rounded to 12 significant decimals: 1.6 − 1.3 is 0.30000000000000004 in binary.
            let spread = ((v.max()! - v.min()!) * 1e12).rounded() / 1e12
            let width = scaleWidth ?? ((numbers.max() ?? 0) - (numbers.min() ?? 0))
            return (spread, width > 0 ? min(1, spread / width) : 0)
        }
    }
}
