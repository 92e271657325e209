/// Every statistic of one data set, with the counts a reader needs to judge them.
public struct AgreementSummary: Sendable {
    public let units: Int
    public let raters: Int
    /// Non-missing ratings.
    public let ratings: Int
    /// Units with at least two ratings.
    public let pairableUnits: Int
    public let outcomes: [Metric: Outcome]

    /// The batch computation: one pass over the units.
    public init(_ data: ReliabilityData, metrics: [Metric] = Metric.allCases) {
        self.init(BatchStatistics(data), units: data.unitCount, metrics: metrics)
    }

    init(_ batch: BatchStatistics, units: Int, metrics: [Metric]) {
        self.units = units
        raters = batch.raterCount
        ratings = batch.ratingCount
        pairableUnits = batch.tallies.coincidences().pairableUnits
        outcomes = batch.outcomes(metrics)
    }

    /// The live computation: what the accumulator holds now.

    public init(_ accumulator: AgreementAccumulator, units: Int, metrics: [Metric] = Metric.allCases) {
        self.units = units
        raters = accumulator.raterCount
        ratings = accumulator.ratingCount
        pairableUnits = accumulator.pairableUnits
        outcomes = accumulator.outcomes(metrics)
    }
}

/// The breakdowns leads and auditors drill into (docs/statistics.md, "Breakdowns": per
/// category, per rater pair, leave-one-rater-out). Each is the ordinary computation on a transformed data set, so a
/// breakdown can never disagree with the headline number's definition.
public enum Breakdown {
    public struct CategoryRow: Sendable {
        public let category: String
        /// Statistics of the data recoded to "category" vs "not category".
        public let summary: AgreementSummary
    }

    /// Also the row of the lead's live dashboard, whose pairs come from accumulators kept
    /// per pair (hence the public initialiser): one row type for both ways of computing it.
    public struct RaterPairRow: Sendable {
        public let first: String
        public let second: String
        /// Statistics of these two raters alone; `pairableUnits` is their joint units.
        public let summary: AgreementSummary

        public init(first: String, second: String, summary: AgreementSummary) {
            self.first = first
            self.second = second
            self.summary = summary
        }
    }

    /// Also the live dashboard's row (see `RaterPairRow`).
    public struct LeaveOneOutRow: Sendable {
        public let rater: String
        /// Statistics without this rater.
        public let summary: AgreementSummary

        public init(rater: String, summary: AgreementSummary) {
            self.rater = rater
            self.summary = summary
        }
    }

    /// One-vs-rest per category: nominal statistics only (the recoding has no order).
    /// For complete data the Fleiss kappa of a row is Fleiss (1971)'s per-category κ_j.
    public static func perCategory(_ data: ReliabilityData,
                                   metrics: [Metric] = [.krippendorffAlphaNominal, .fleissKappa, .percentAgreement])
        -> [CategoryRow] {
        (0..<data.categories.count).map {
            CategoryRow(category: data.categories.labels[$0], summary: AgreementSummary(data.oneVsRest(category: $0), metrics: metrics))
        }
    }

    /// Every pair of raters, in rater order. Computed from pair tables (RaterBreakdown.swift);
    /// the definition below is the fallback for data too large to hold as a dense matrix.
    public static func perRaterPair(_ data: ReliabilityData, metrics: [Metric] = Metric.allCases) -> [RaterPairRow] {
        fastPairRows(data, metrics: metrics) ?? perRaterPairByDefinition(data, metrics: metrics)
    }

    /// Each pair's statistics on the data restricted to the two raters.
    static func perRaterPairByDefinition(_ data: ReliabilityData, metrics: [Metric]) -> [RaterPairRow] {
        var rows: [RaterPairRow] = []
        for a in 0..<data.raterCount {
            for b in (a + 1)..<max(a + 1, data.raterCount) {
                rows.append(RaterPairRow(first: data.raterNames[a], second: data.raterNames[b],
                                         summary: AgreementSummary(data.restricted(toRaters: [a, b]), metrics: metrics)))
            }
        }
        return rows
    }

    /// The statistics with each rater left out in turn: a rater whose removal raises
    /// agreement a lot is the one to talk to.
    /// Computed from the full tallies (RaterBreakdown.swift) when 4 or more raters.
    public static func leaveOneRaterOut(_ data: ReliabilityData, metrics: [Metric] = Metric.allCases) -> [LeaveOneOutRow] {
        fastLeaveOneOutRows(data, metrics: metrics) ?? (0..<data.raterCount).map {
            LeaveOneOutRow(rater: data.raterNames[$0], summary: AgreementSummary(data.excluding(rater: $0), metrics: metrics))
        }
    }
}
