import Aggregation
import Rubric
import Store

/// The report's consensus section (docs/reports.md, "Rater confusion matrices"): per nominal
/// or ordinal criterion, Dawid–Skene fitted to people's current labels (`BatchConsensus`),
/// and each rater's estimated confusion matrix — P(the rater gives g | the answer is t) —
/// with the accuracy it implies. Where pooled pair counts show that raters disagree, these
/// show who errs and how: a rater who calls every truck a car has a row that says so.
///
/// It names raters and options, never clips or items, so an auditor's report has the same
/// section as a lead's (docs/security.md).
public struct ConsensusSection: Sendable {
    public struct Criterion: Sendable {
        public let id: String
        public let scale: Scale
        /// Options in the rubric's order: the rows (answer) and columns (given) of each matrix.
        public let options: [String]
        public let raterNames: [String]
        public let labels: Int
        public let outcome: AggregationOutcome

        public var result: AggregationResult? {
            if case .aggregated(let r) = outcome { return r }
            return nil
        }

        public var undefinedReason: String? {
            if case .undefined(let why) = outcome { return why }
            return nil
        }
    }

    /// The method of every matrix: `ds`, the one with a full confusion matrix per rater.
    public let method: AggregationMethod
    public let criteria: [Criterion]

    /// Criteria are fitted side by side (they share nothing). Models' labels are left out
    /// unless `includeModels`, as the rest of the report leaves them out.
    public init(labels: BatchLabels, includeModels: Bool = false, method: AggregationMethod = .ds) throws {
        self.method = method
        criteria = try parallelMap(BatchConsensus.criteria(labels.rubric)) { criterion in
            let consensus = try BatchConsensus(labels, criterion: criterion, includeModels: includeModels, namingClips: false)
            return Criterion(id: criterion.id, scale: criterion.scale, options: consensus.data.classNames,
                             raterNames: consensus.data.raterNames, labels: consensus.data.labelCount,
                             outcome: consensus.aggregate(method: method))
        }
    }

    /// At most this many raters' matrices in HTML and Markdown (those with the most labels,
    /// in the fit's rater order); JSON and CSV have every rater.
    public static let shownRaters = 30

    /// The raters HTML and Markdown show, and how many are left out.
    static func shown(_ r: AggregationResult) -> (raters: [RaterSkill], omitted: Int) {
        guard r.raters.count > shownRaters else { return (r.raters, 0) }
        let top = Set(r.raters.indices.sorted { r.raters[$0].n != r.raters[$1].n ? r.raters[$0].n > r.raters[$1].n : $0 < $1 }
            .prefix(shownRaters))
        return (r.raters.indices.filter(top.contains).map { r.raters[$0] }, r.raters.count - shownRaters)
    }
}
