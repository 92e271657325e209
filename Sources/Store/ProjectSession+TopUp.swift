import Foundation
import GRDB

/// One assignment to add: an item of the batch to a rater, by name.
public struct ItemAssignment: Sendable, Hashable {
    public let item: Int64
    public let rater: String
    public init(item: Int64, rater: String) { self.item = item; self.rater = rater }
}

extension ProjectSession {
    /// Adds exactly these assignments to `batch` (`assign --until-ci` chose them: only the
    /// clips that need more ratings, to the raters it picked). Existing assignments are kept;
    /// returns the number of new ones. All or nothing: an item of another batch, an unknown
    /// rater or an auditor refuses the whole list. Audited as `assign.items`.
    public func assign(batch: String, items pairs: [ItemAssignment]) throws -> Int {
        try require(.assign)
        guard !pairs.isEmpty else { return 0 }
        if let postgres = store.postgres {
            let result: String?
            do {
                result = try postgres.call("assign_items", [batch, "{" + pairs.map { String($0.item) }.joined(separator: ",") + "}",
                                                            Self.textArray(pairs.map(\.rater)), actingAsArgument])
            } catch let error as StoreError where error.kind == .project && error.message.contains("SQLSTATE 42883") {
                // A database installed before this function existed (same layout otherwise).
                throw StoreError(.project, "this PostgreSQL project was made before assign --until-ci existed (its schema has no concord.assign_items); "
                                 + "move it into a new database with two migrates through a project file (docs/server.md §13), or assign with --raters")
            }
            guard let created = (try Self.jsonObject(result, "assign_items")["created"] as? NSNumber)?.intValue else {
                throw Self.unexpected("assign_items", result)
            }
            return created
        }
        return try audited("assign.items", tables: ["assignment"]) { db in
            let reads = store.sql(db)
            let batchID = try Self.batchID(reads, batch)
            let items = Set(try reads.values(Int64.self, "SELECT id FROM item WHERE batch_id = ?", [batchID]))
            var raterIDs: [String: Int64] = [:]
            for name in Set(pairs.map(\.rater)).sorted() {
                guard let rater = try Self.actor(reads, named: name) else {
                    throw StoreError.input("no rater named \(quoted(name)); add them with: concord rater add \(printableCut(name)) --role rater")
                }
                guard rater.role != .auditor else {
                    throw StoreError.input("\(quoted(name)) is an auditor; auditors read reports and do not label")
                }
                raterIDs[name] = rater.id
            }
            let at = Clock.now()
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO assignment (item_id, rater_id, created_at) VALUES (?, ?, ?)")
            var created = 0
            for pair in pairs {
                guard items.contains(pair.item) else { throw StoreError.input("item \(pair.item) is not in batch \(quoted(batch))") }
                try insert.execute(arguments: [pair.item, raterIDs[pair.rater]!, at])
                created += db.changesCount
            }
            return (created, ["batch": batch, "items": pairs.map(\.item), "raters": pairs.map(\.rater)])
        }
    }
}
