/// One label revision of a rater as `concord judge` reads it: the value with the confidence
/// and repeated sample imported with it (`label_prediction`, docs/release-gate-and-judges.md).
public struct PredictionRow: Sendable, Equatable {
    public let item: Int64
    public let criterion: String
    public let value: String
    public let revision: Int
    public let confidence: Double?
    public let sample: Int?
    /// Whether this revision is the current label (`label_current`).
    public let isCurrent: Bool

    public init(item: Int64, criterion: String, value: String, revision: Int, confidence: Double?, sample: Int?, isCurrent: Bool) {
        self.item = item; self.criterion = criterion; self.value = value; self.revision = revision
        self.confidence = confidence; self.sample = sample; self.isCurrent = isCurrent
    }
}

extension ProjectSession {
    /// Every revision of `rater`'s labels in `batch`, in the order written, with its
    /// confidence and sample: the current ones for calibration, all of them for the
    /// repeated samples' self-agreement. Leads and admins (they read everyone's labels).
    /// Withdrawn answers (empty values) are history, not labels, and are left out.
    public func predictions(batch: String, rater: String) throws -> [PredictionRow] {
        try require(.readAllLabels)
        return try store.read { db in try Self.predictions(db, batchID: Self.batchID(db, batch), rater: rater) }
    }

    /// `predictions` inside a read the caller holds (the report reads everything in one).
    static func predictions(_ db: any SQLDatabase, batchID: Int64, rater: String) throws -> [PredictionRow] {
        var out: [PredictionRow] = []
        try db.forEachRow("""
            SELECT l.item_id, l.criterion, l.value, l.revision, p.confidence, p.sample,
                   CASE WHEN c.label_id = l.id THEN 1 ELSE 0 END AS is_current
            FROM label l JOIN item i ON i.id = l.item_id JOIN rater r ON r.id = l.rater_id
            LEFT JOIN label_prediction p ON p.label_id = l.id
            LEFT JOIN label_current c ON c.item_id = l.item_id AND c.rater_id = l.rater_id AND c.criterion = l.criterion
            WHERE i.batch_id = ? AND r.name = ? AND l.value <> ''
            ORDER BY l.id
            """, [batchID, rater]) { row in
            out.append(PredictionRow(item: row["item_id"], criterion: row["criterion"], value: row["value"], revision: row["revision"],
                                     confidence: row["confidence"], sample: row["sample"], isCurrent: (row["is_current"] as Int) == 1))
        }
        return out
    }
}
