import Crypto
import Foundation
import GRDB
import JSONWriter

/// The hash-chained audit log (docs/security.md "Tamper detection").
///
/// Every write appends one event (who, what, when, and a JSON payload) whose hash covers
/// the previous event's hash, so an edited, removed or reordered event breaks the chain.
/// The payload also names the rows the write inserted, per table, with a SHA-256 digest of
/// their contents: `audit verify` recomputes those digests, so a row changed, removed or
/// added behind concord's back (sqlite3 with the triggers dropped) is caught too.
enum Audit {
    static let genesis = String(repeating: "0", count: 64)

    /// The rows one write inserted into a table: ids first...last, and their digest.
    struct RowRange {
        var table: String
        var first: Int64
        var last: Int64
        /// Known already (computed while writing), or nil to read the rows back.
        var digest: String? = nil
    }

    /// Appends an event for a write whose inserted rows are `ranges`. Call inside the
    /// write's transaction, after the inserts.
    static func append(_ db: Database, actor: String, action: String, details: [String: Any],
                       ranges: [RowRange]) throws {
        var payload = details
        payload["rows"] = try ranges.map { range -> [String: Any] in
            ["table": range.table, "first": range.first, "last": range.last,
             "digest": try range.digest ?? digest(SQLiteDatabase(db), table: range.table, first: range.first, last: range.last)]
        }
        let payloadText = JSON.encode(payload)
        let previous = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1"))
        let seq: Int64 = (previous?["seq"] as Int64? ?? 0) + 1
        let prevHash: String = previous?["hash"] ?? genesis
        let at = Clock.now()
        let hash = eventHash(prev: prevHash, seq: seq, at: at, actor: actor, action: action, payload: payloadText)
        try db.cachedStatement(sql: "INSERT INTO audit_event (seq, at, actor, action, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [seq, at, actor, action, payloadText, prevHash, hash])
    }

    static func eventHash(prev: String, seq: Int64, at: String, actor: String, action: String, payload: String) -> String {
        hex(SHA256.hash(data: Data("\(prev)\n\(seq)\n\(at)\n\(actor)\n\(action)\n\(payload)".utf8)))
    }

    /// SHA-256 over the audited columns of rows first...last, one canonical line per row.
    static func digest(_ db: any SQLDatabase, table: String, first: Int64, last: Int64) throws -> String {
        guard let columns = Schema.auditedTables.first(where: { $0.table == table })?.columns else {
            preconditionFailure("\(table) is not an audited table")
        }
        var digest = RowDigest()
        var values: [RowDigest.Value] = []
        try db.forEachRow("SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE id BETWEEN ? AND ? ORDER BY id",
                          [first, last]) { row in
            values.removeAll(keepingCapacity: true)
            for column in columns {
                switch row.value(column) {
                case .null: values.append(.null)
                case .integer(let v): values.append(.int(v))
                case .real(let v): values.append(.real(v))
                case .text(let v): values.append(.text(v))
                }
            }
            digest.row(values)
        }
        return digest.finish()
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Inclusive id range of rows inserted into `table` after `before` (the max id before
    /// the write), or nil when none were.
    static func inserted(_ db: Database, table: String, after before: Int64) throws -> RowRange? {
        let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM \(table)")) ?? 0
        return last > before ? RowRange(table: table, first: before + 1, last: last) : nil
    }

    static func maxID(_ db: Database, _ table: String) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM \(table)")) ?? 0
    }
}
