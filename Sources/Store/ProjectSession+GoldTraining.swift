/// A rater's first submitted answer to a gold question: the one gold accuracy counts.
///
/// Only the first counts, because a later revision may have been made after seeing the
/// gold answer (`rate --training` shows it after a submit, and `u` reopens the item): such
/// an answer must never improve accuracy. A later change is kept visible as `revised`.
public struct GoldResponse: Sendable, Equatable {
    public let rater: String
    public let role: Role
    /// The first non-empty answer and when it was submitted.
    public let value: String
    public let at: String
    /// A later revision changed the answer (it is not counted).
    public let revised: Bool
}

extension ProjectSession {
    /// Items a lead marked as training (`gold add --training`): the workbench's training
    /// mode shows their gold answers after a submit, and they never count toward accuracy.
    static func trainingItems(_ db: any SQLDatabase, batchID: Int64) throws -> Set<Int64> {
        Set(try db.values(Int64.self, """
            SELECT DISTINCT t.item_id FROM training_item t JOIN item i ON i.id = t.item_id WHERE i.batch_id = ?
            """, [batchID]))
    }

    /// Every rater's first answer to each gold question of the batch, from the label history
    /// (not the current labels), with whether they changed it later.
    ///
    /// The batch's gold questions (few) are found first and the label history joined to
    /// them: both stores then scan the labels once against a small hash (PostgreSQL) or
    /// index (SQLite), and not at all when the batch has no gold. Asked per label instead
    /// (`EXISTS`), PostgreSQL under row security probed gold a million times (0.8 s).
    static func goldResponses(_ db: any SQLDatabase, batchID: Int64) throws -> [ItemCriterion: [GoldResponse]] {
        var first: [ItemCriterion: [Int64: (value: String, at: String, revised: Bool)]] = [:]
        var order: [ItemCriterion: [Int64]] = [:]
        try db.forEachRow("""
            SELECT l.item_id, l.criterion, l.rater_id, l.value, l.submitted_at
            FROM (SELECT DISTINCT g.item_id, g.criterion FROM gold g JOIN item i ON i.id = g.item_id WHERE i.batch_id = ?) q
            JOIN label l ON l.item_id = q.item_id AND l.criterion = q.criterion
            WHERE l.value <> ''
            ORDER BY l.id
            """, [batchID]) { row in
            let key = ItemCriterion(item: row["item_id"], criterion: row["criterion"])
            let rater: Int64 = row["rater_id"], value: String = row["value"]
            if let earlier = first[key]?[rater] {
                if value != earlier.value { first[key]![rater]!.revised = true }
            } else {
                first[key, default: [:]][rater] = (value, row["submitted_at"], false)
                order[key, default: []].append(rater)
            }
        }
        var actors: [Int64: Actor] = [:]
        var out: [ItemCriterion: [GoldResponse]] = [:]
        for (key, raters) in order {
            out[key] = try raters.map { id in
                let who = try actors[id] ?? Self.actor(db, id: id)
                actors[id] = who
                let answer = first[key]![id]!
                return GoldResponse(rater: who.name, role: who.role, value: answer.value, at: answer.at, revised: answer.revised)
            }
        }
        return out
    }
}
