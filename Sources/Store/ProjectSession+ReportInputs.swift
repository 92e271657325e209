/// Everything `concord report` reads about one batch, from one snapshot (docs/reports.md).
///
/// One read transaction holds them all, so the labels, the lead's context, the activity,
/// the gold answers, the pairwise answers and the audit anchor describe the same moment: a
/// label committed while the report reads is in all of its numbers or in none. Each is read once — the
/// gold answers come with the lead's context when the actor may see it, instead of being
/// read a second time — which on PostgreSQL saves a scan of the label history.
public struct ReportInputs: Sendable {
    public let labels: BatchLabels
    /// Lead-only parts (decisions, clip hashes, golden set, queue): nil when the actor may
    /// not adjudicate (auditors).
    public let context: AdjudicationContext?
    public let activity: BatchActivity
    public let gold: [GoldAnswer]
    public let goldThreshold: Double?
    /// The newest audit event of the same snapshot: it is at or after every event that
    /// wrote the labels read (`BatchReport.auditAnchor`).
    public let auditAnchor: AuditAnchor?
    /// How raters watched the clips, for the quality rules of the report's Scores section.
    public let viewing: BatchViewing
    /// Every label revision of each model rater, with confidence and sample, for the
    /// judges' calibration (`predictions`); empty without the lead's context.
    public var predictions: [String: [PredictionRow]] = [:]
    /// Per pairwise criterion of the batch's rubric (by id), its current answers, for the
    /// report's Preferences section; empty (nothing read) for a batch without one.
    public var comparisons: [String: BatchComparisons] = [:]
}

extension ProjectSession {
    /// Aggregate-level (leads, auditors, admins), as each of its parts is; the lead-only
    /// context is left out for those who may not adjudicate.
    public func reportInputs(batch: String) throws -> ReportInputs {
        try require(.readAggregates)
        let withContext = allows(.adjudicate)
        return try store.read { db in
            let batchID = try Self.batchID(db, batch)
            let labels = try Self.batchLabels(db, batch: batch, batchID: batchID)
            let context = withContext ? try Self.adjudicationContext(db, batchID: batchID, labels: labels) : nil
            let activity = try Self.activity(db, batchID: batchID)
            let gold = try context.map { ($0.gold, $0.goldThreshold) } ?? Self.goldAnswersAndThreshold(db, batchID: batchID)
            var inputs = ReportInputs(labels: labels, context: context, activity: activity, gold: gold.0, goldThreshold: gold.1,
                                      auditAnchor: try Self.auditHead(db), viewing: try Self.viewing(db, batch: batch, batchID: batchID))
            for (r, name) in labels.raters.enumerated() where withContext && labels.roles[r] == .model {
                inputs.predictions[name] = try Self.predictions(db, batchID: batchID, rater: name)
            }
            for criterion in labels.rubric.criteria where criterion.isPairwise {
                inputs.comparisons[criterion.id] = try Self.comparisons(db, batchID: batchID, criterion: criterion.id)
            }
            return inputs
        }
    }
}
