import Foundation
import GRDB
import PostgresClient
import PostgresTestSupport
@testable import Store
import Testing

/// The audit core in the database computes what Swift computes: `concord.row_digest` is
/// `Audit.digest` byte for byte, and `concord.audit_append`'s hash is `Audit.eventHash` of the
/// stored fields, so `audit verify` and `migrate` check either store with the same code and
/// the same anchors.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresSchemaDigestTests {
    /// The tables and the audit core alone, in a plain database (no init: the copied rows
    /// are the project file's, ids included).
    static func auditDatabase(_ cluster: PostgresCluster) throws -> PostgresConnection {
        try cluster.createDatabase("digest")
        let connection = try PostgresConnection(uri: cluster.uri(database: "digest"))
        try connection.execute("CREATE SCHEMA concord")
        for part in [PostgresSchema.tables, PostgresSchema.identity, PostgresSchema.canonicalJSON, PostgresSchema.auditCore, PostgresOperations.helpers] {
            for statement in PostgresSchema.statements(PostgresSchema.render(part, database: "digest")) {
                try connection.execute(statement)
            }
        }
        return connection
    }

    /// Rows the Store cannot write (StoredText refuses 0x1F; no command writes -0.0 or a
    /// negative frame), added to the project file behind its back.
    static func addAwkwardRows(_ store: ProjectStore) throws {
        let queue = try DatabaseQueue(path: store.path)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO clip (sha256, name, path, codec, duration, frame_rate, frame_count, width, height, rotation, size_bytes, created_at)
                VALUES ('fff', 'awkward \u{1F} unit \\ back', '/p\nq', '', 1e300, 2.0, -42, 9223372036854775807, -1, 0, 0, 't')
                """)
            try db.execute(sql: """
                INSERT INTO label (item_id, criterion, rater_id, value, rubric_version_id, frame, pts, dwell_ms, submitted_at, recorded_at, revision, source)
                VALUES (1, 'notes', 2, ?, 1, -5, ?, -1, 'a', 'b', 9, 'import')
                """, arguments: ["\\\\ \u{1F}\u{1F} \n\n é \u{202E} \u{1F600} \\u \\n", 5e-324])
            try db.execute(sql: """
                INSERT INTO decision (item_id, criterion, lead_id, kind, value, reason, note, raters, created_at)
                VALUES (1, NULL, 4, 'send_back', NULL, NULL, '', 'alice,bob', '')
                """)
            try db.execute(sql: "INSERT INTO batch_setting (batch_id, overlap, gold_rate, created_at) VALUES (1, -3, 0.1, 'x')")
            // A confidence with a sample and a sample alone (label_prediction, which no seeded write fills).
            try db.execute(sql: "INSERT INTO label_prediction (label_id, confidence, sample, created_at) VALUES (1, 0.1, 2, 'c'), (2, NULL, 1, 'd')")
            // A pair, tags with a missing group or system, and both sides (the pair tables, which no seeded write fills).
            try db.execute(sql: "INSERT INTO item_pair (item_id, batch_id, clip_a_id, clip_b_id, pair_group, created_at) VALUES (2, 1, 2, 1, ?, 'e')",
                           arguments: ["a \u{1F} prompt \\ é\n"])
            try db.execute(sql: "INSERT INTO clip_tag (clip_id, pair_group, system, created_at) VALUES (1, NULL, 'model\n1', 'f'), (2, 'cat', NULL, 'g')")
            try db.execute(sql: "INSERT INTO assignment_side (assignment_id, left_clip, created_at) VALUES (1, 'a', 'h'), (2, 'b', '')")
        }
    }

    @Test func rowDigestIsAuditDigestForEveryAuditedTable() throws {
        try PostgresCluster.with { cluster in
            let store = try SeededProject.make()
            try Self.addAwkwardRows(store)
            let connection = try Self.auditDatabase(cluster)
            try SeededProject.copy(store, to: connection)
            try SeededProject.sqlite(store).read { db in
                for (table, _) in Schema.auditedTables {
                    let last = try Audit.maxID(db, table)
                    #expect(last > 0, "\(table) has rows")
                    // The whole table, and each row alone (a mismatch names the row).
                    var ranges = [(Int64(1), last)]
                    ranges += (1...last).map { ($0, $0) }
                    for (first, last) in ranges {
                        let database = try connection.execute("SELECT concord.row_digest($1, $2, $3)", [table, String(first), String(last)]).rows[0][0]
                        #expect(database == (try Audit.digest(SQLiteDatabase(db), table: table, first: first, last: last)), "\(table) \(first)...\(last)")
                    }
                }
                // An empty range hashes nothing, on both sides.
                let none = try connection.execute("SELECT concord.row_digest('label', 1000, 2000)").rows[0][0]
                #expect(none == (try Audit.digest(SQLiteDatabase(db), table: "label", first: 1000, last: 2000)))
            }
        }
    }

    /// Values SQLite cannot keep (it stores -0.0 and 2.0 as integers in a REAL column): the
    /// database's encoding against RowDigest's over the very values inserted.
    @Test func realsHashTheirBitPattern() throws {
        try PostgresCluster.with { cluster in
            let connection = try Self.auditDatabase(cluster)
            let reals = [0.1, 1e300, -0.0, 0.0, 2.0, -2.5, 5e-324, .greatestFiniteMagnitude]
            try connection.execute("INSERT INTO concord.rubric_version (id, name, hash, canonical_json, created_at) VALUES (1, 'r', 'h', '{}', 't')")
            try connection.execute("INSERT INTO concord.batch (id, name, rubric_version_id, created_at) VALUES (1, 'b', 1, 't')")
            for real in reals {
                try connection.execute("INSERT INTO concord.batch_rule (batch_id, spread_threshold, gold_threshold, created_at) VALUES (1, $1, NULL, 'when')",
                                       [PostgresDatabase.text(.real(real))])
            }
            var digest = RowDigest()
            for (i, real) in reals.enumerated() {
                digest.row([.int(Int64(i + 1)), .int(1), .real(real), .null, .text("when")])
            }
            let database = try connection.execute("SELECT concord.row_digest('batch_rule', 1, $1)", [String(reals.count)]).rows[0][0]
            #expect(database == digest.finish())
        }
    }

    /// Each table's generated digest function (`concord.row_digest_<table>`) against RowDigest
    /// over the very values inserted, and against the generic `concord.row_digest`: NULL in
    /// every nullable column, text with backslashes, 0x1F, LF and characters beyond ASCII,
    /// reals whose bits are awkward (-0.0, 1e300, the smallest subnormal), extreme integers.
    @Test func eachTablesDigestFunctionIsRowDigest() throws {
        try PostgresCluster.with { cluster in
            let connection = try Self.auditDatabase(cluster)
            // Checks, keys and the derived criteria would refuse most of these rows; digests do not care.
            try connection.execute("DROP TRIGGER rubric_version_criteria ON concord.rubric_version")
            try connection.execute("""
                DO $$ DECLARE c record; BEGIN
                    FOR c IN SELECT conrelid::regclass AS t, conname FROM pg_constraint
                              WHERE connamespace = 'concord'::regnamespace AND contype IN ('c', 'f', 'u') ORDER BY contype DESC LOOP
                        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.t, c.conname);
                    END LOOP;
                END $$
                """)
            // ... and the unique indexes that back no constraint (a pair once per batch, either order).
            try connection.execute("""
                DO $$ DECLARE i record; BEGIN
                    FOR i IN SELECT x.indexrelid::regclass AS name FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
                              WHERE c.relnamespace = 'concord'::regnamespace AND x.indisunique AND NOT x.indisprimary
                                AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) LOOP
                        EXECUTE format('DROP INDEX %s', i.name);
                    END LOOP;
                END $$
                """)
            let integers: [Int64?] = [.max, -5, 0, .min, nil]
            let reals: [Double?] = [-0.0, 1e300, 5e-324, 0.1, nil, .greatestFiniteMagnitude]
            let texts: [String?] = ["\\ \u{1F}\u{1F} \n\n é \u{202E} \u{1F600} \\u \\n", "", "plain", nil, "\u{1F}", "\\"]
            let rows = 6
            for (table, columns) in Schema.auditedTables {
                var digest = RowDigest()
                for row in 0..<rows {
                    var values: [RowDigest.Value] = []
                    var parameters: [String?] = []
                    for (index, column) in columns.enumerated() {
                        let (type, notNull) = PostgresSchema.columnType(table: table, column: column)
                        let pick = row + index
                        func sample<T>(_ samples: [T?]) -> T? {
                            let nonNull = samples.compactMap { $0 }
                            return notNull ? nonNull[pick % nonNull.count] : samples[pick % samples.count]
                        }
                        switch (column, type) {
                        case ("id", _):
                            values.append(.int(Int64(row + 1)))
                            parameters.append(String(row + 1))
                        case (_, "bigint"):
                            let value = sample(integers)
                            values.append(value.map { .int($0) } ?? .null)
                            parameters.append(value.map { String($0) })
                        case (_, "double precision"):
                            let value = sample(reals)
                            values.append(value.map { .real($0) } ?? .null)
                            parameters.append(value.flatMap { PostgresDatabase.text(.real($0)) })
                        default:
                            let value = sample(texts)
                            values.append(value.map { .text($0) } ?? .null)
                            parameters.append(value)
                        }
                    }
                    digest.row(values)
                    let placeholders = (1...columns.count).map { "$\($0)" }.joined(separator: ", ")
                    try connection.execute("INSERT INTO concord.\(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))", parameters)
                }
                let generated = try connection.execute("SELECT concord.row_digest_\(table)(1, $1)", [String(rows)]).rows[0][0]
                #expect(generated == digest.finish(), "\(table)")
                #expect(generated == (try connection.execute("SELECT concord.row_digest($1, 1, $2)", [table, String(rows)]).rows[0][0]), "\(table)")
                #expect(try connection.execute("SELECT concord.row_digest_\(table)(7, 9)").rows[0][0] == RowDigest().finish(), "\(table)")
            }
        }
    }

    @Test func auditAppendChainsEventsAsAuditAppendDoes() throws {
        try PostgresCluster.with { cluster in
            let store = try SeededProject.make()
            let connection = try Self.auditDatabase(cluster)
            try SeededProject.copy(store, to: connection)
            // The copied chain's head, then two events of the database's own.
            try SeededProject.sqlite(store).read { db in
                for row in try Row.fetchAll(db, sql: "SELECT seq, at, actor, action, payload, prev_hash, hash FROM audit_event ORDER BY seq") {
                    try connection.execute("INSERT INTO concord.audit_event VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                           [String(row["seq"] as Int64), row["at"], row["actor"], row["action"], row["payload"], row["prev_hash"], row["hash"]])
                }
            }
            let before = try connection.execute("SELECT max(seq), (SELECT hash FROM concord.audit_event ORDER BY seq DESC LIMIT 1) FROM concord.audit_event").rows[0]
            let ids = try #require(try connection.execute("SELECT concord.max_ids(ARRAY['item_mark', 'label', 'gold'])").rows[0][0])
            #expect(ids == "{2,6,1}")
            let marksAndLabels = "{2,6}"
            try connection.execute("""
                INSERT INTO concord.item_mark (item_id, rater_id, kind, note, created_at) VALUES (1, 2, 'flag', 'later', 't1'), (2, 2, 'skip', 'x', 't2')
                """)
            try connection.execute("""
                SELECT concord.audit_append(ROW(2, 'alice', 'rater', NULL)::concord.acting, 'item.flag', '{"item": 1, "note": "é \\\\ \\"q\\""}',
                                            ARRAY['item_mark', 'label'], $1::bigint[])
                """, [marksAndLabels])
            // Nothing new anywhere: no event (a no-op writes nothing, like Swift's `audited`).
            try connection.execute("""
                SELECT concord.audit_append(ROW(2, 'alice', 'rater', NULL)::concord.acting, 'item.flag', '{}', ARRAY['item_mark', 'label'], '{4,6}')
                """)
            try connection.execute("INSERT INTO concord.gold (item_id, criterion, value, added_by, source, created_at) VALUES (1, 'present', 'no', 1, 'manual', 't')")
            try connection.execute("""
                SELECT concord.audit_append(ROW(4, 'lena', 'lead', 'admin')::concord.acting, 'gold.add', '{"item": 1}', ARRAY['gold'], ARRAY[1]::bigint[])
                """)
            let events = try connection.execute("SELECT seq, at, actor, action, payload, prev_hash, hash FROM concord.audit_event WHERE seq > $1 ORDER BY seq",
                                                [before[0]]).rows
            #expect(events.count == 2)
            var previous = before[1]!
            for event in events {
                #expect(event[5] == previous)
                #expect(event[6] == Audit.eventHash(prev: event[5]!, seq: Int64(event[0]!)!, at: event[1]!, actor: event[2]!,
                                                    action: event[3]!, payload: event[4]!))
                #expect(Clock.canonical(event[1]!) == event[1]!)
                previous = event[6]!
            }
            #expect(events.map { $0[2]! + " " + $0[3]! } == ["alice item.flag", "lena gold.add"])
            let first = try JSONSerialization.jsonObject(with: Data(events[0][4]!.utf8)) as! [String: Any]
            #expect(first["note"] as? String == "é \\ \"q\"" && first["via"] == nil)
            let second = try JSONSerialization.jsonObject(with: Data(events[1][4]!.utf8)) as! [String: Any]
            #expect(second["via"] as? String == "admin")
            // The rows each event names, and their digests as Swift computes them from the
            // database's rows (read back typed).
            let named = (first["rows"] as! [[String: Any]]) + (second["rows"] as! [[String: Any]])
            #expect(named.map { "\($0["table"]!) \($0["first"]!)-\($0["last"]!)" } == ["item_mark 3-4", "gold 2-2"])
            for range in named {
                let table = range["table"] as! String, first = (range["first"] as! NSNumber).int64Value, last = (range["last"] as! NSNumber).int64Value
                #expect(range["digest"] as? String == (try Self.swiftDigest(connection, table: table, first: first, last: last)))
            }
        }
    }

    /// RowDigest over rows read from the database, each value typed by its column's type.
    static func swiftDigest(_ connection: PostgresConnection, table: String, first: Int64, last: Int64) throws -> String {
        let columns = Schema.auditedTables.first { $0.table == table }!.columns
        let rows = try PostgresDatabase(connection: connection, statements: PlaceholderCache())
            .rows("SELECT \(columns.joined(separator: ", ")) FROM concord.\(table) WHERE id BETWEEN ? AND ? ORDER BY id", [first, last])
        var digest = RowDigest()
        for row in rows {
            digest.row(row.values.map {
                switch $0 {
                case .null: return .null
                case .integer(let v): return .int(v)
                case .real(let v): return .real(v)
                case .text(let v): return .text(v)
                }
            })
        }
        return digest.finish()
    }
}
