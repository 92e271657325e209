import Rubric

/// A batch's current labels for the agreement engine, in columns (a million labels are a
/// few arrays, not a million objects).
public struct BatchLabels: Sendable {
    public let batch: String
    public let rubric: Rubric
    public let rubricHash: String
    /// Item numbers and clip names, by item index.
    public let items: [Int64]
    public let clipNames: [String]
    /// Rater names, by rater index, with their roles.
    public let raters: [String]
    public let roles: [Role]
    /// One entry per current label: item index, rater index, criterion, value.
    public let itemIndex: [Int32]
    public let raterIndex: [Int32]
    public let criterion: [String]
    public let value: [String]
    /// When each label was submitted (ISO 8601), aligned with `value`.
    public let submittedAt: [String]
    /// Time on the item when the label was submitted (ms; −1 when not recorded), aligned
    /// with `value`. Reports only ever show it as a per-rater median.
    public let dwellMs: [Int32]
    /// By item index: a pair item's clip b (`clipNames` holds its clip a), nil for an item
    /// about one clip; empty when built without it.
    public var clipBNames: [String?] = []

    /// The unit's name for a lead: "item:clip", or "item:clip a vs clip b" for a pair.
    public func unitName(_ index: Int) -> String {
        let b = index < clipBNames.count ? clipBNames[index] : nil
        return "\(items[index]):\(clipNames[index])" + (b.map { " vs \($0)" } ?? "")
    }
}

public struct BatchStatus: Sendable, Equatable {
    public struct RaterProgress: Sendable, Equatable {
        public let rater: String
        public let role: Role
        public let assigned: Int
        /// Assigned items with at least one current label by this rater.
        public let labeled: Int
        public let labels: Int
        public let skipped: Int
        public let flagged: Int
    }
    public let batch: String
    public let rubric: String
    public let rubricHash: String
    /// The items raters work on: for a pairwise batch its pairs, else its clips.
    public let items: Int
    /// For a pairwise batch, the clips of its pool (docs/pairwise.md "Projects"); nil else.
    public let pool: Int?
    public let raters: [RaterProgress]
}

extension ProjectSession {
    /// The current labels of a batch, for agreement: aggregates only leave the caller, so
    /// leads, auditors and admins may ask; raters may not (they would learn others' votes).
    public func labelsForAgreement(batch: String) throws -> BatchLabels {
        try require(.readAggregates)
        return try store.read { db in try Self.batchLabels(db, batch: batch, batchID: Self.batchID(db, batch)) }
    }

    /// `labelsForAgreement` inside a read the caller holds (a report reads everything in one).
    static func batchLabels(_ db: any SQLDatabase, batch: String, batchID: Int64) throws -> BatchLabels {
        let rubricRow = try db.row("""
            SELECT r.canonical_json, r.hash FROM batch b JOIN rubric_version r ON r.id = b.rubric_version_id WHERE b.id = ?
            """, [batchID])!
        var items: [Int64] = [], clipNames: [String] = [], clipBNames: [String?] = [], indexOfItem: [Int64: Int32] = [:]
        // A pairwise batch's units are its pairs: the clips of its pool are never answered
        // about (docs/pairwise.md "Projects"), so they are no units of agreement. A pair
        // item has one item_pair row (item_id is unique), which names its clip b.
        try db.forEachRow("""
            SELECT i.id AS item, c.name AS clip, cb.name AS clip_b FROM item i JOIN clip c ON c.id = i.clip_id
            LEFT JOIN item_pair ip ON ip.item_id = i.id LEFT JOIN clip cb ON cb.id = ip.clip_b_id
            WHERE i.batch_id = ? AND (ip.item_id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM item_pair p WHERE p.batch_id = ?))
            ORDER BY i.position
            """, [batchID, batchID]) { row in
            indexOfItem[row["item"]] = Int32(items.count)
            items.append(row["item"])
            clipNames.append(row["clip"])
            clipBNames.append(row["clip_b"])
        }
        var columns = CurrentLabelColumns()
        try columns.read(db, batchID: batchID, indexOfItem: indexOfItem)
        var raters = [String](repeating: "", count: columns.raterIDs.count), roles = [Role](repeating: .rater, count: columns.raterIDs.count)
        let everyone = try Self.actors(db)
        for (index, id) in columns.raterIDs.enumerated() {
            let actor = try everyone[id] ?? Self.actor(db, id: id)
            raters[index] = actor.name
            roles[index] = actor.role
        }
        var labels = BatchLabels(batch: batch, rubric: try Rubric.fromCanonicalJSON(rubricRow["canonical_json"]), rubricHash: rubricRow["hash"],
                                 items: items, clipNames: clipNames, raters: raters, roles: roles,
                                 itemIndex: columns.itemIndex, raterIndex: columns.raterIndex, criterion: columns.criteria,
                                 value: columns.values, submittedAt: columns.times, dwellMs: columns.dwell)
        labels.clipBNames = clipBNames
        return labels
    }

    /// Every rater by id, with their current role, in one statement: a batch names hundreds
    /// of raters, and one statement each was a round trip each on PostgreSQL.
    static func actors(_ db: any SQLDatabase) throws -> [Int64: Actor] {
        var out: [Int64: Actor] = [:]
        try db.forEachRow("""
            SELECT r.id, r.name, (SELECT role FROM rater_role WHERE rater_id = r.id ORDER BY id DESC LIMIT 1) AS role FROM rater r
            """) { row in
            let id: Int64 = row["id"]
            out[id] = Actor(id: id, name: row["name"], role: Role(rawValue: row["role"]) ?? .rater)
        }
        return out
    }

    static func actor(_ db: any SQLDatabase, id: Int64) throws -> Actor {
        let row = try db.row("""
            SELECT r.id, r.name, (SELECT role FROM rater_role WHERE rater_id = r.id ORDER BY id DESC LIMIT 1) AS role FROM rater r WHERE r.id = ?
            """, [id])!
        return Actor(id: row["id"], name: row["name"], role: Role(rawValue: row["role"]) ?? .rater)
    }

    /// Progress per batch and rater: every line for those who read the project's aggregates,
    /// else (raters) only their own.
    public func status(batch: String? = nil) throws -> [BatchStatus] {
        let onlyMine = !allows(.readAggregates)
        if onlyMine { try require(.readOwnLabels) }
        return try store.read { db in
            var batchRows = try db.rows("""
                SELECT b.id, b.name AS batch, r.name AS rubric, r.hash, (SELECT count(*) FROM item WHERE batch_id = b.id) AS items,
                       (SELECT count(*) FROM item_pair WHERE batch_id = b.id) AS pairs
                FROM batch b JOIN rubric_version r ON r.id = b.rubric_version_id ORDER BY b.name
                """)
            if let batch {
                let id = try Self.batchID(db, batch)
                batchRows = batchRows.filter { $0["id"] as Int64 == id }
            }
            return try batchRows.map { b in
                let batchID: Int64 = b["id"]
                // One grouped scan per measure (not one query per rater): fast at a million labels.
                func perRater(_ sql: String) throws -> [Int64: Int] {
                    var counts: [Int64: Int] = [:]
                    for row in try db.rows(sql, [batchID]) { counts[row["rater_id"]] = row["n"] }
                    return counts
                }
                let assigned = try perRater("SELECT a.rater_id, count(*) AS n FROM assignment a JOIN item i ON i.id = a.item_id WHERE i.batch_id = ? GROUP BY a.rater_id")
                let labels = try perRater("SELECT c.rater_id, count(*) AS n FROM label_current c JOIN item i ON i.id = c.item_id JOIN label l ON l.id = c.label_id WHERE i.batch_id = ? AND l.value <> '' GROUP BY c.rater_id")
                let labeled = try perRater("""
                    SELECT c.rater_id, count(DISTINCT c.item_id) AS n FROM label_current c JOIN item i ON i.id = c.item_id
                    JOIN label l ON l.id = c.label_id
                    JOIN assignment a ON a.item_id = c.item_id AND a.rater_id = c.rater_id WHERE i.batch_id = ? AND l.value <> '' GROUP BY c.rater_id
                    """)
                let skipped = try perRater("SELECT m.rater_id, count(DISTINCT m.item_id) AS n FROM item_mark m JOIN item i ON i.id = m.item_id WHERE i.batch_id = ? AND m.kind = 'skip' GROUP BY m.rater_id")
                let flagged = try perRater("SELECT m.rater_id, count(DISTINCT m.item_id) AS n FROM item_mark m JOIN item i ON i.id = m.item_id WHERE i.batch_id = ? AND m.kind = 'flag' GROUP BY m.rater_id")
                var progress: [BatchStatus.RaterProgress] = []
                for id in Set(assigned.keys).union(labels.keys) where !onlyMine || id == actor.id {
                    let who = try Self.actor(db, id: id)
                    progress.append(BatchStatus.RaterProgress(rater: who.name, role: who.role, assigned: assigned[id] ?? 0,
                                                              labeled: labeled[id] ?? 0, labels: labels[id] ?? 0,
                                                              skipped: skipped[id] ?? 0, flagged: flagged[id] ?? 0))
                }
                progress.sort { $0.rater < $1.rater }
                // A pairwise batch's items are its pairs; its other items are the pool of clips
                // (never assigned). Told apart by the pairs, as a batch without pairs yet
                // has only its pool to show.
                let all: Int = b["items"], pairs: Int = b["pairs"]
                return BatchStatus(batch: b["batch"], rubric: b["rubric"], rubricHash: b["hash"],
                                   items: pairs > 0 ? pairs : all, pool: pairs > 0 ? all - pairs : nil, raters: progress)
            }
        }
    }
}

/// An item in the acting rater's queue.
public struct AssignedItem: Sendable, Equatable {
    public let item: Int64
    public let batch: String
    public let clip: String
    public let position: Int
}

extension ProjectSession {
    /// The items assigned to the acting user, in batch order: their queue.
    public func assignedItems(batch: String? = nil) throws -> [AssignedItem] {
        guard allows(.submitLabels) else {
            throw StoreError.permission("\(actor.name) is \(actor.role.withArticle) and has no labeling queue")
        }
        return try store.read { db in
            var sql = """
                SELECT i.id AS item, b.name AS batch, c.name AS clip, i.position FROM assignment a JOIN item i ON i.id = a.item_id
                JOIN batch b ON b.id = i.batch_id JOIN clip c ON c.id = i.clip_id WHERE a.rater_id = ?
                """
            var arguments: [any SQLBindable] = [actor.id]
            if let batch {
                sql += " AND i.batch_id = ?"
                arguments.append(try Self.batchID(db, batch))
            }
            return try db.rows(sql + " ORDER BY b.name, i.position", arguments).map {
                AssignedItem(item: $0["item"], batch: $0["batch"], clip: $0["clip"], position: $0["position"])
            }
        }
    }
}

extension ProjectSession {
    /// The rubric of the (first) batch a clip is an item of, by the clip's name; for
    /// importers that need a criterion's scale (Label Studio ratings).
    public func rubric(forClip name: String) throws -> Rubric? {
        try store.read { db in
            guard let id = try db.value(Int64.self, """
                SELECT b.rubric_version_id FROM clip c JOIN item i ON i.clip_id = c.id JOIN batch b ON b.id = i.batch_id
                WHERE c.name = ? ORDER BY b.id LIMIT 1
                """, [name]) else { return nil }
            return try store.rubrics.rubric(id) { try Self.rubric(db, id: id) }
        }
    }

    /// Every rubric version of the project, by content hash.
    public func rubricsByHash() throws -> [String: Rubric] {
        try store.read { db in
            var out: [String: Rubric] = [:]
            for row in try db.rows("SELECT id, hash FROM rubric_version") {
                let id: Int64 = row["id"]
                out[row["hash"]] = try store.rubrics.rubric(id) { try Self.rubric(db, id: id) }
            }
            return out
        }
    }
}
