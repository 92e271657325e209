import GRDB

/// The raters a send-back names: `decision_rater` rows (schema v6), one per rater in the
/// order the lead named them. Matching is by rater id, so no name can stand for another
/// (the comma list before v6 was matched with LIKE, where `_` matches any character).
enum SendBackRaters {
    /// Names the raters of the send-back `decision` (already inserted), in order.
    static func insert(_ db: Database, decision: Int64, raters: [Int64], at: String) throws {
        for rater in raters {
            try db.cachedStatement(sql: "INSERT INTO decision_rater (decision_id, rater_id, created_at) VALUES (?, ?, ?)")
                .execute(arguments: [decision, rater, at])
        }
    }

    /// Each send-back of the batch → its raters' names, in the order the lead named them.
    static func names(_ db: any SQLDatabase, batchID: Int64) throws -> [Int64: [String]] {
        var out: [Int64: [String]] = [:]
        for row in try db.rows("""
            SELECT dr.decision_id AS decision, r.name AS rater FROM decision_rater dr JOIN decision d ON d.id = dr.decision_id
            JOIN item i ON i.id = d.item_id JOIN rater r ON r.id = dr.rater_id WHERE i.batch_id = ? ORDER BY dr.id
            """, [batchID]) {
            out[row["decision"], default: []].append(row["rater"])
        }
        return out
    }

    /// Migration v6: copies the comma lists of send-backs written before it into
    /// `decision_rater`, each row dated like its decision, and records the copy in the
    /// audit log (actor `concord`, action `schema.v6`) with the digest of the rows, so
    /// `audit verify` accounts for them as for any other write. A project with no
    /// send-back gets no event. A name with no rater is left out: concord never wrote one
    /// (a send-back checks each rater), and no rater could have matched it.
    static func copyCommaLists(_ db: Database) throws {
        let before = try Audit.maxID(db, "decision_rater")
        var decisions = 0
        for row in try SQLiteDatabase(db).rows("""
            SELECT id, raters, created_at FROM decision WHERE kind = 'send_back' AND raters IS NOT NULL ORDER BY id
            """) {
            let list: String = row["raters"]
            for name in list.split(separator: ",") {
                try db.execute(sql: "INSERT INTO decision_rater (decision_id, rater_id, created_at) SELECT ?, id, ? FROM rater WHERE name = ?",
                               arguments: [row["id"] as Int64, row["created_at"] as String, String(name)])
            }
            decisions += 1
        }
        guard let copied = try Audit.inserted(db, table: "decision_rater", after: before) else { return }
        try Audit.append(db, actor: "concord", action: "schema.v6",
                         details: ["copied": "decision.raters", "decisions": decisions], ranges: [copied])
    }
}
