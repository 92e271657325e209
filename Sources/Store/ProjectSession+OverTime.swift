/// Which rubric version each label of a batch was made under, for agreement over time
/// (docs/statistics.md, "Agreement over time"): the markers where the version changed.
///
/// Every label row records the rubric version it was checked against. Nearly all of a
/// batch's labels carry the batch's own version, so the reads return only the exceptions:
/// the common case costs one scan of the batch's labels that finds none.
public struct LabelRubricVersions: Sendable, Equatable {
    /// The batch's rubric version (its content hash): the version of every label not in `others`.
    public let batchVersion: String
    /// Current labels made under another version: (item, rater, criterion) → that version's hash.
    public let others: [LabelVersionKey: String]

    public init(batchVersion: String, others: [LabelVersionKey: String] = [:]) {
        self.batchVersion = batchVersion
        self.others = others
    }

    /// The version of the current label of `rater` on `item` and `criterion`.
    public func version(item: Int64, rater: String, criterion: String) -> String {
        others.isEmpty ? batchVersion : others[LabelVersionKey(item: item, rater: rater, criterion: criterion)] ?? batchVersion
    }
}

public struct LabelVersionKey: Hashable, Sendable {
    public let item: Int64
    public let rater: String
    public let criterion: String
    public init(item: Int64, rater: String, criterion: String) { self.item = item; self.rater = rater; self.criterion = criterion }
}

extension ProjectSession {
    /// The rubric versions of a batch's current labels (aggregates: leads, auditors, admins).
    public func currentLabelVersions(batch: String) throws -> LabelRubricVersions {
        try require(.readAggregates)
        return try store.read { db in
            let batchID = try Self.batchID(db, batch)
            let (versionID, batchVersion) = try Self.batchRubricVersion(db, batchID: batchID)
            // Whether any label of the batch is of another version, first: nearly always none,
            // and this scan of the batch's labels answers that alone (85 ms at a million labels
            // on PostgreSQL), where the join below with label_current and the version's hash
            // took 1.2 s to find no row.
            let mixed = try db.value(Int64.self, """
                SELECT 1 WHERE EXISTS (SELECT 1 FROM label l JOIN item i ON i.id = l.item_id
                                       WHERE i.batch_id = ? AND l.value <> '' AND l.rubric_version_id <> ?)
                """, [batchID, versionID]) != nil
            guard mixed else { return LabelRubricVersions(batchVersion: batchVersion) }
            var others: [LabelVersionKey: String] = [:]
            try db.forEachRow("""
                SELECT c.item_id, r.name AS rater, c.criterion, v.hash FROM item i JOIN batch b ON b.id = i.batch_id
                JOIN label_current c ON c.item_id = i.id JOIN label l ON l.id = c.label_id
                JOIN rater r ON r.id = c.rater_id JOIN rubric_version v ON v.id = l.rubric_version_id
                WHERE i.batch_id = ? AND l.value <> '' AND l.rubric_version_id <> b.rubric_version_id
                """, [batchID]) { row in
                others[LabelVersionKey(item: row["item_id"], rater: row["rater"], criterion: row["criterion"])] = row["hash"]
            }
            return LabelRubricVersions(batchVersion: batchVersion, others: others)
        }
    }

    /// The rubric versions of label revisions `after` < id ≤ `through` of a batch that were
    /// made under another version than the batch's (label id → hash), for the live view
    /// that read those revisions with `labelChanges`.
    public func labelVersions(batch: String, after: Int64, through: Int64) throws -> (batchVersion: String, others: [Int64: String]) {
        try require(.readAggregates)
        return try store.read { db in
            let batchID = try Self.batchID(db, batch)
            var others: [Int64: String] = [:]
            try db.forEachRow("""
                SELECT l.id, v.hash FROM label l JOIN item i ON i.id = l.item_id JOIN batch b ON b.id = i.batch_id
                JOIN rubric_version v ON v.id = l.rubric_version_id
                WHERE l.id > ? AND l.id <= ? AND i.batch_id = ? AND l.rubric_version_id <> b.rubric_version_id
                """, [after, through, batchID]) { row in
                others[row["id"]] = row["hash"]
            }
            return (try Self.batchRubricVersion(db, batchID: batchID).hash, others)
        }
    }

    /// The batch's rubric version: its id and content hash.
    private static func batchRubricVersion(_ db: any SQLDatabase, batchID: Int64) throws -> (id: Int64, hash: String) {
        let row = try db.row("SELECT r.id, r.hash FROM batch b JOIN rubric_version r ON r.id = b.rubric_version_id WHERE b.id = ?",
                             [batchID])
        return (row?["id"] ?? 0, row?["hash"] ?? "")
    }
}
