/// Who was assigned what in a batch, and how much of each clip raters watched: the inputs of
/// a report's completion and per-rater columns that the labels themselves do not carry.
public struct BatchActivity: Sendable {
    /// Assigned item ids per rater name (raters with no label yet included).
    public let assigned: [String: Set<Int64>]
    public let roles: [String: Role]
    /// Per rater, the median watched share over their latest workbench submission of each
    /// item (absent for raters whose labels were all imported).
    public let medianWatchedShare: [String: Double]
    /// Per rater, their workbench time: the distinct items they submitted through the
    /// workbench and the summed dwell of every such submission, revisits included (absent
    /// for raters whose labels were all imported).
    public let work: [String: Work]
    /// Per rater, how many items their latest workbench submission judged on each display
    /// mode ("kitty"…"player"; DisplayRecord): the report's display mix. Absent for raters
    /// with no recorded display.
    public let displays: [String: [String: Int]]

    /// A rater's time in the workbench, for throughput.
    public struct Work: Sendable, Equatable {
        public let items: Int
        public let dwellMs: Int64
        public init(items: Int, dwellMs: Int64) { self.items = items; self.dwellMs = dwellMs }
        /// Items per hour of dwell (nil when no time was recorded). Time between items
        /// (breaks, logins) is not dwell, so this is the pace while working, not per shift.
        public var itemsPerHour: Double? { dwellMs > 0 ? Double(items) * 3_600_000 / Double(dwellMs) : nil }
    }
}

extension ProjectSession {
    /// Aggregate-level (leads, auditors, admins): assignments and per-rater medians only, no
    /// label values. One scan of the batch's assignments and one of its submissions, instead
    /// of `status`'s grouped scans over every label.
    public func activity(batch: String) throws -> BatchActivity {
        try require(.readAggregates)
        return try store.read { db in try Self.activity(db, batchID: Self.batchID(db, batch)) }
    }

    /// `activity` inside a read the caller holds (a report reads everything in one).
    static func activity(_ db: any SQLDatabase, batchID: Int64) throws -> BatchActivity {
        var names: [Int64: String] = [:], roles: [String: Role] = [:]
        let everyone = try Self.actors(db)
        func name(_ id: Int64) throws -> String {
            if let known = names[id] { return known }
            let actor = try everyone[id] ?? Self.actor(db, id: id)
            names[id] = actor.name; roles[actor.name] = actor.role
            return actor.name
        }
        var assigned: [String: Set<Int64>] = [:]
        try db.forEachRow("SELECT a.rater_id, a.item_id FROM assignment a JOIN item i ON i.id = a.item_id WHERE i.batch_id = ?",
                          [batchID]) { row in
            assigned[try name(row["rater_id"]), default: []].insert(row["item_id"])
        }
        // The latest submission of each (item, rater): the highest id.
        var shares: [String: [Double]] = [:]
        try db.forEachRow("""
            SELECT s.rater_id, s.watched_share FROM submission s JOIN item i ON i.id = s.item_id
            WHERE i.batch_id = ? AND s.id = (SELECT max(id) FROM submission t WHERE t.item_id = s.item_id AND t.rater_id = s.rater_id)
            """, [batchID]) { row in
            shares[try name(row["rater_id"]), default: []].append(row["watched_share"])
        }
        var work: [String: BatchActivity.Work] = [:]
        try db.forEachRow("""
            SELECT s.rater_id, count(DISTINCT s.item_id) AS items, sum(s.dwell_ms) AS dwell_ms FROM submission s JOIN item i ON i.id = s.item_id
            WHERE i.batch_id = ? AND s.dwell_ms IS NOT NULL GROUP BY s.rater_id
            """, [batchID]) { row in
            work[try name(row["rater_id"])] = BatchActivity.Work(items: row["items"], dwellMs: row["dwell_ms"])
        }
        var displays: [String: [String: Int]] = [:]
        try db.forEachRow("""
            SELECT s.rater_id, d.mode, count(*) AS items FROM submission s JOIN item i ON i.id = s.item_id
            JOIN submission_display d ON d.submission_id = s.id
            WHERE i.batch_id = ? AND s.id = (SELECT max(id) FROM submission t WHERE t.item_id = s.item_id AND t.rater_id = s.rater_id)
            GROUP BY s.rater_id, d.mode
            """, [batchID]) { row in
            displays[try name(row["rater_id"]), default: [:]][row["mode"]] = row["items"]
        }
        return BatchActivity(assigned: assigned, roles: roles, medianWatchedShare: shares.compactMapValues(Self.median), work: work,
                             displays: displays)
    }

    static func median(_ xs: [Double]) -> Double? {
        guard !xs.isEmpty else { return nil }
        let s = xs.sorted(), n = s.count
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }
}
