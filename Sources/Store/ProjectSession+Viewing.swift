/// How raters watched a batch's clips: the viewing record the crowd-test quality rules judge
/// (docs/quality-rules.md). Labels imported from elsewhere have no viewing record; only
/// workbench submissions do.
public struct BatchViewing: Sendable, Equatable {
    public let batch: String
    /// By item number: the clip's duration in seconds, as `clip add` probed it (0 when the
    /// probe found none).
    public let durations: [Int64: Double]
    /// The latest workbench submission of each (item, rater), oldest first: what the rater's
    /// current answers were given after.
    public let records: [Record]

    public struct Record: Sendable, Equatable {
        public let item: Int64
        public let rater: String
        /// The share of the clip's frames the rater had seen (0–1).
        public let watchedShare: Double
        /// Time on the item in that visit (ms), nil when the workbench recorded none.
        public let dwellMs: Int64?

        public init(item: Int64, rater: String, watchedShare: Double, dwellMs: Int64?) {
            self.item = item; self.rater = rater; self.watchedShare = watchedShare; self.dwellMs = dwellMs
        }
    }

    public init(batch: String, durations: [Int64: Double], records: [Record]) {
        self.batch = batch; self.durations = durations; self.records = records
    }
}

extension ProjectSession {
    /// Aggregate-level (leads, auditors, admins), like `activity`: per rater how much of each
    /// clip they saw and for how long, no label values. Two scans in one read (one snapshot).
    public func viewing(batch: String) throws -> BatchViewing {
        try require(.readAggregates)
        return try store.read { db in try Self.viewing(db, batch: batch, batchID: Self.batchID(db, batch)) }
    }

    /// `viewing` inside a read the caller holds (a report reads everything in one).
    static func viewing(_ db: any SQLDatabase, batch: String, batchID: Int64) throws -> BatchViewing {
        var durations: [Int64: Double] = [:]
        try db.forEachRow("SELECT i.id AS item, c.duration FROM item i JOIN clip c ON c.id = i.clip_id WHERE i.batch_id = ?",
                          [batchID]) { row in
            durations[row["item"]] = row["duration"]
        }
        var records: [BatchViewing.Record] = []
        // The latest submission of each (item, rater) is the one with the highest id; ordered
        // by id, which both stores number the same way, so the list is the same on both.
        try db.forEachRow("""
            SELECT s.item_id, r.name AS rater, s.watched_share, s.dwell_ms FROM submission s JOIN item i ON i.id = s.item_id
            JOIN rater r ON r.id = s.rater_id
            WHERE i.batch_id = ? AND s.id = (SELECT max(id) FROM submission t WHERE t.item_id = s.item_id AND t.rater_id = s.rater_id)
            ORDER BY s.id
            """, [batchID]) { row in
            records.append(BatchViewing.Record(item: row["item_id"], rater: row["rater"], watchedShare: row["watched_share"],
                                               dwellMs: row["dwell_ms"]))
        }
        return BatchViewing(batch: batch, durations: durations, records: records)
    }
}
