import Agreement
import Rubric

/// Alpha with its bootstrap interval on small, hand-built reliability data: the judge's
/// repeated samples (self-agreement), the judge beside the golden set, and the human raters
/// on the same items — all at the criterion's level (docs/release-gate-and-judges.md),
/// resampled over units exactly as Agreement's `Bootstrap` does for every other alpha.
public enum JudgeAgreement {
    public struct Estimate: Sendable, Equatable {
        public let metric: Metric
        public let outcome: Outcome
        /// The 95% percentile interval's ends, or why there is none.
        public let lower: Double?
        public let upper: Double?
        public let intervalProblem: String?
        /// Units with two or more values (the only ones alpha reads).
        public let pairableUnits: Int
        public let raters: Int

        /// Why the estimate or its interval is undefined, or nil.
        public var undefinedReason: String? {
            outcome.undefinedReason ?? intervalProblem.map { "no interval: \($0)" }
        }

        static func undefined(_ metric: Metric, _ reason: String, raters: Int) -> Estimate {
            Estimate(metric: metric, outcome: .undefined(reason: reason), lower: nil, upper: nil, intervalProblem: reason,
                     pairableUnits: 0, raters: raters)
        }
    }

    /// Units × raters of values (nil: no value) as reliability data of `criterion`: the
    /// rubric's options in order (nominal, ordinal) or the observed numbers (numeric), as
    /// BatchReliability builds a batch's. A value off the scale is left out.
    public static func data(_ values: [[String?]], raters: [String], criterion: Criterion) -> ReliabilityData? {
        var labels: [String] = [], index: [String: Int32] = [:]
        var ratings: [ReliabilityData.Rating] = []
        for (u, row) in values.enumerated() {
            for (r, value) in row.enumerated() {
                guard let value else { continue }
                let v: Int32
                if let known = index[value] { v = known } else { v = Int32(labels.count); index[value] = v; labels.append(value) }
                ratings.append(.init(unit: Int32(u), rater: Int32(r), category: v))
            }
        }
        let categories: CategorySet, map: [Int32]
        if criterion.scale.hasOptions {
            categories = CategorySet(ordered: criterion.options.map(\.value))
            let options = criterion.options.map(\.value)
            map = labels.map { options.firstIndex(of: $0).map(Int32.init) ?? -1 }
        } else {
            (categories, map) = CategorySet.observed(labels)
        }
        ratings = ratings.compactMap { r in
            let c = map[Int(r.category)]
            return c < 0 ? nil : .init(unit: r.unit, rater: r.rater, category: c)
        }
        return try? ReliabilityData(unitNames: values.indices.map(String.init), raterNames: raters, categories: categories, ratings: ratings)
    }

    /// Alpha at the criterion's level, with its interval (`resamples`, `seed`, 95%).
    public static func alpha(_ values: [[String?]], raters: [String], criterion: Criterion, resamples: Int, seed: UInt64) -> Estimate {
        let metric = BatchReliability.alpha(for: criterion.scale) ?? .krippendorffAlphaNominal
        guard let data = data(values, raters: raters, criterion: criterion) else {
            return .undefined(metric, "the values cannot be read as reliability data", raters: raters.count)
        }
        let summary = AgreementSummary(data, metrics: [metric])
        let outcome = summary.outcomes[metric] ?? .undefined(reason: "not computed")
        var lower: Double?, upper: Double?, problem: String? = "not computed"
        switch Bootstrap.intervals(data, metrics: [metric], resamples: resamples, seed: seed, confidence: 0.95)[metric] {
        case .success(let interval)?: (lower, upper, problem) = (interval.lower, interval.upper, nil)
        case .failure(let undefined)?: problem = undefined.reason
        case nil: break
        }
        return Estimate(metric: metric, outcome: outcome, lower: lower, upper: upper, intervalProblem: problem,
                        pairableUnits: summary.pairableUnits, raters: raters.count)
    }

    /// The judge's repeated samples of one criterion as units (items) × samples: per item and
    /// sample number the latest revision (`rows` in the order written); a label without a
    /// sample number is sample 1. Items answered once are kept (alpha skips them).
    public static func samples(_ rows: [(item: Int64, value: String, sample: Int?)]) -> (values: [[String?]], samples: [String]) {
        var latest: [Int64: [Int: String]] = [:], order: [Int64] = []
        var numbers = Set<Int>()
        for row in rows {
            if latest[row.item] == nil { order.append(row.item) }
            latest[row.item, default: [:]][row.sample ?? 1] = row.value
            numbers.insert(row.sample ?? 1)
        }
        let sorted = numbers.sorted()
        return (order.map { item in sorted.map { latest[item]![$0] } }, sorted.map { "sample \($0)" })
    }
}
