import GRDB

/// Who was assigned what in a batch, and how much of each clip raters watched: the inputs of
/// a report's completion and per-rater columns that the labels themselves do not carry.
public struct BatchActivity: Sendable {
    /// Assigned item ids per rater name (raters with no label yet included).
    public let assigned: [String: Set<Int64>]
    public let roles: [String: Role]
    /// Per rater, the median watched share over their latest workbench submission of each
    /// item (absent for raters whose labels were all imported).
    public let medianWatchedShare: [String: Double]
}

extension ProjectSession {
    /// Aggregate-level (leads, auditors, admins): assignments and per-rater medians only, no
    /// label values. One scan of the batch's assignments and one of its submissions, instead
    /// of `status`'s grouped scans over every label.
    public func activity(batch: String) throws -> BatchActivity {
        try require(.readAggregates)
        return try store.read { db in
            let batchID = try Self.batchID(db, batch)
            var names: [Int64: String] = [:], roles: [String: Role] = [:]
            func name(_ id: Int64) throws -> String {
                if let known = names[id] { return known }
                let actor = try Self.actor(db, id: id)
                names[id] = actor.name; roles[actor.name] = actor.role
                return actor.name
            }
            var assigned: [String: Set<Int64>] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT a.rater_id, a.item_id FROM assignment a JOIN item i ON i.id = a.item_id WHERE i.batch_id = ?",
                                           arguments: [batchID])
            while let row = try rows.next() { assigned[try name(row[0]), default: []].insert(row[1]) }
            // The latest submission of each (item, rater): the highest id.
            var shares: [String: [Double]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT s.rater_id, s.watched_share FROM submission s JOIN item i ON i.id = s.item_id
                WHERE i.batch_id = ? AND s.id = (SELECT max(id) FROM submission t WHERE t.item_id = s.item_id AND t.rater_id = s.rater_id)
                """, arguments: [batchID]) {
                shares[try name(row[0]), default: []].append(row[1])
            }
            return BatchActivity(assigned: assigned, roles: roles, medianWatchedShare: shares.compactMapValues(Self.median))
        }
    }

    static func median(_ xs: [Double]) -> Double? {
        guard !xs.isEmpty else { return nil }
        let s = xs.sorted(), n = s.count
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }
}
