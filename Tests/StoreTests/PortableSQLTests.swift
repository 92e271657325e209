import Foundation
import PostgresClient
import PostgresTestSupport
import Rubric
@testable import Store
import Testing

/// Issue 16, "one SQL for two stores": every statement a read runs — and every check a
/// write shares with reads — is written once and must mean the same on SQLite and on
/// PostgreSQL 15. The store records the SQL it runs through `SQLDatabase` (`SQLTrace`)
/// while a scenario calls every read on a SQLite project; each recorded text is then
/// PREPAREd, with its `?` numbered as the PostgreSQL store numbers them, on a private
/// cluster holding a project `concord init` made, and then run there on a copy of the
/// same rows. PREPARE parses and plans the statement, so SQLite-only functions, a subquery
/// in FROM without an alias, `IS NOT` between values, DISTINCT with an ORDER BY on another
/// column, or text compared with integers all fail; running it finds different results.
@Suite struct PortableSQLTests {
    /// Every read of the Store's public API, and the writes whose checks read (as a lead, an
    /// admin and three raters), on one project; returns it and the statements they ran.
    static func scenario() throws -> (ProjectStore, [SQLTrace.Statement]) {
        let (store, admin) = try StoreTests.project()
        // A name whose order depends on case (by bytes "Zoe" comes before "alice").
        try admin.addRater("Zoe", role: .rater)
        _ = try admin.assign(batch: "b", raters: ["Zoe"], overlap: nil, goldRate: nil)
        store.trace.start()
        let alice = try store.session(login: "admin", actingAs: "alice")
        let bob = try store.session(login: "admin", actingAs: "bob")
        try admin.addRater("lee", role: .lead)
        let lead = try store.session(login: "admin", actingAs: "lee")
        _ = try admin.addRubric(try Rubric.parse(StoreTests.rubricYAML, file: "demo.yaml"), sourcePath: "demo.yaml")   // the same again
        let zoe = try store.session(login: "admin", actingAs: "Zoe")
        // Alice's and Zoe's submissions record their display (export, votes and the report's
        // display mix read it), Bob's none (an older client's).
        let displays = [DisplayRecord(mode: .kitty, width: 640, height: 360, colors: "24-bit", speeds: [0.5, 1]), nil,
                        DisplayRecord(mode: .sixel, width: 630, height: 354, colors: "256")]
        for ((rater, present), display) in zip([(alice, "yes"), (bob, "no"), (zoe, "yes")], displays) {
            try rater.submitItem(ItemSubmission(item: 1, answers: ["present": present, "severity": present == "yes" ? "low" : ""],
                                                frame: 2, pts: 0.08, dwellMs: 900, watchedShare: 1, display: display))
        }
        try alice.markItem(2, kind: .flag, note: "too dark")
        try bob.markItem(2, kind: .skip, note: "no picture")
        try lead.addGold(item: 1, criterion: "present", value: "yes", training: true)
        try lead.setBatchRule(batch: "b", spreadThreshold: 1, goldThreshold: 0.5)
        try lead.setBatchRule(batch: "b", spreadThreshold: nil, goldThreshold: 0.6)
        _ = try admin.assign(batch: "b", raters: ["alice", "bob"], overlap: 2, goldRate: 0.5)
        try lead.resolve(item: 1, criterion: "present", value: "yes", reason: .raterError, note: nil)
        try lead.sendBack(item: 1, raters: ["bob"], note: "look again")
        try lead.markNeedsRevision(item: 2, criterion: "severity", note: "unclear")
        _ = try admin.importLabels([LabelImportRow(line: 2, clip: "c2.mp4", rater: "bob", criterion: "present", value: "no",
                                                   confidence: 0.75, sample: 2)],
                                   file: "labels.csv", fileSHA256: String(repeating: "a", count: 64), batch: "b")

        _ = try admin.raters()
        _ = try admin.status()
        _ = try alice.status(batch: "b")
        _ = try admin.labelsForAgreement(batch: "b")
        _ = try admin.currentLabelVersions(batch: "b")
        _ = try admin.labelVersions(batch: "b", after: 0, through: 1_000)
        _ = try alice.assignedItems()
        _ = try alice.assignedItems(batch: "b")
        _ = try admin.rubric(forClip: "c1.mp4")
        _ = try admin.rubricsByHash()
        _ = try alice.ratingQueue()
        _ = try bob.ratingQueue(batch: "b")
        _ = try admin.exportLabels()
        _ = try alice.exportLabels(batch: "b")
        _ = try admin.item("1", batch: nil)
        _ = try admin.item("c1.mp4", batch: nil)
        _ = try admin.item("c1.mp4", batch: "b")
        _ = try lead.adjudicationContext(batch: "b")
        _ = try lead.predictions(batch: "b", rater: "alice")
        _ = try lead.votes(item: 1)
        _ = try lead.goldAnswers(batch: "b")
        _ = try alice.goldFeedback(item: 1)
        _ = try lead.labelChanges(batch: "b", after: 0)
        _ = try lead.lastLabelID()
        _ = try lead.activity(batch: "b")
        _ = try lead.viewing(batch: "b")
        _ = try lead.assign(batch: "b", items: [ItemAssignment(item: 2, rater: "Zoe")])
        _ = try lead.pendingSendBacks(batch: "b")
        _ = try admin.auditHead()
        _ = try admin.defaultBatch()
        _ = try alice.clipFile(named: "c1.mp4")
        try admin.keepClipIndexes([ClipFrameIndex(sha256: String(repeating: "1", count: 64), format: "frames-1", frames: [1, 2, 3])])
        _ = alice.clipIndex(sha256: String(repeating: "1", count: 64), format: "frames-1")
        // A pairwise batch (docs/pairwise.md "Projects"): pairs, tags, sides, the pool, the answers.
        _ = try admin.addRubric(try Rubric.parse(PairsStoreTests.rubricYAML, file: "pref.yaml"), sourcePath: "pref.yaml")
        _ = try lead.addPairs([PairRequest(a: "c1.mp4", b: "c2.mp4", group: "g")], batch: "pb", rubric: "pref")
        _ = try lead.tagClips([ClipTag(clip: "c1.mp4", group: "g", system: "x"), ClipTag(clip: "c2.mp4", group: nil, system: "y")])
        _ = try lead.assignPairs(batch: "pb", plan: [PairPlanEntry(rater: "alice", a: "c2.mp4", b: "c1.mp4", group: "g")])
        _ = try admin.assign(batch: "pb", raters: ["bob"], overlap: nil, goldRate: nil)
        let pair = try #require(try alice.ratingQueue(batch: "pb").entries.first)
        try alice.submitItem(ItemSubmission(item: pair.item, answers: ["better": "a"], frame: 0, pts: 0, dwellMs: 700, watchedShare: 1))
        _ = try lead.pairPool(batch: "pb")
        _ = try lead.comparisons(batch: "pb", criterion: "better")
        _ = try lead.pairAssignments(batch: "pb")
        _ = try lead.adjudicationContext(batch: "pb")
        _ = try lead.exportLabels(batch: "pb")
        // A row no event wrote, so verify also looks for where the unaudited rows start.
        try store.write { db in
            try db.execute(sql: "INSERT INTO rater (name, created_at) VALUES ('mallory', '2026-01-01T00:00:00.000Z')")
        }
        #expect(!(try admin.verifyAudit().intact))
        // Bob's answer on item 1 made again under a second version of the rubric (as a batch
        // moved to a new version records it): the versions read finds it, past its first check.
        try store.write { db in
            try db.execute(sql: """
                INSERT INTO rubric_version (name, hash, canonical_json, source_path, created_at)
                  SELECT name, 'f00d' || hash, canonical_json, source_path, created_at FROM rubric_version WHERE id = 1
                """)
            try db.execute(sql: """
                INSERT INTO label (item_id, criterion, rater_id, value, rubric_version_id, submitted_at, recorded_at, revision, source)
                  SELECT l.item_id, l.criterion, l.rater_id, 'yes', (SELECT max(id) FROM rubric_version), l.submitted_at, l.recorded_at,
                         l.revision + 1, 'import'
                  FROM label l JOIN rater r ON r.id = l.rater_id WHERE r.name = 'bob' AND l.item_id = 1 AND l.criterion = 'present'
                  ORDER BY l.revision DESC LIMIT 1
                """)
            try db.execute(sql: """
                UPDATE label_current SET label_id = (SELECT max(id) FROM label)
                 WHERE item_id = 1 AND criterion = 'present' AND rater_id = (SELECT id FROM rater WHERE name = 'bob')
                """)
        }
        let versions = try admin.currentLabelVersions(batch: "b")
        #expect(versions.others.count == 1 && versions.others.values.allSatisfy { $0.hasPrefix("f00d") }, "\(versions)")
        _ = try? admin.item("c9.mp4", batch: nil)
        _ = try? admin.addClips([], batch: "nope", rubric: "missing")
        // addClips' look-ups: a new clip, then a known one again under its name and another.
        func clip(_ name: String, _ digit: Int) -> ClipFacts {
            ClipFacts(path: "/clips/\(name)", name: name, sha256: String(repeating: "\(digit)", count: 64), sizeBytes: 100,
                      codec: "h264", duration: 1, frameRate: 25, frameCount: 25, width: 64, height: 48, rotation: 0)
        }
        _ = try admin.addClips([clip("c3.mp4", 3)], batch: "b", rubric: nil)
        _ = try? admin.addClips([clip("c1.mp4", 1)], batch: "b", rubric: nil)
        _ = try? admin.addClips([clip("renamed.mp4", 1)], batch: "b", rubric: nil)
        return (store, store.trace.stop())
    }

    /// The distinct SQL texts of the scenario.
    static func recordedStatements() throws -> [String] {
        var seen: Set<String> = []
        return try scenario().1.map(\.sql).filter { seen.insert($0).inserted }
    }

    /// Each statement PostgreSQL refuses to prepare, with its reason; empty when all pass.
    /// The database is a concord project made by `concord init` (`PostgresSchema.install`),
    /// read with the search path the PostgreSQL store reads with (schema `concord`).
    static func refusals(_ statements: [String]) throws -> [String] {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster, database: "portable")
            let connection = try project.connect()
            try connection.execute("SET search_path = concord")
            var refused: [String] = []
            for (i, sql) in statements.enumerated() {
                do {
                    try connection.execute("PREPARE s\(i) AS \(PlaceholderCache.number(sql))")
                } catch let error as PostgresError {
                    refused.append("\(error.serverMessage): \(sql)")
                }
            }
            return refused
        }
    }

    @Test(.enabled(if: PostgresCluster.available, "needs root and Debian's postgresql 15"))
    func everyReadPreparesOnPostgreSQL() throws {
        let statements = try Self.recordedStatements()
        // The scenario reached the reads it is meant to: the bulk read of agreement, the
        // export, the import's look-ups, the queue, verify's digests and its cache check.
        for expected in [CurrentLabelColumns.sql, "SELECT id, name, sha256, frame_count FROM clip",
                         "SELECT seq, at, actor, action, payload, prev_hash, hash FROM audit_event ORDER BY seq",
                         "SELECT id, rater_id, role, created_at FROM rater_role WHERE id BETWEEN ? AND ? ORDER BY id",
                         "SELECT min(id) FROM rater WHERE id >= ?"] {
            #expect(statements.contains(expected), "not run: \(expected)")
        }
        #expect(statements.contains { $0.contains("FROM label_current c JOIN label l ON l.id = c.label_id JOIN item i") })
        #expect(statements.contains { $0.contains("LEFT JOIN label_current c ON c.item_id = m.item_id") })
        // 104 distinct statements when this was written: fewer means the recorder or the scenario broke.
        #expect(statements.count >= 100, "only \(statements.count) statements recorded")
        #expect(try Self.refusals(statements) == [])
    }

    /// Every statement, with the arguments it ran with, gives the same rows on PostgreSQL as
    /// on SQLite once both hold the same rows: the same values of the same kinds (integer,
    /// real, text, NULL), in the same order where the statement orders them. So NULLs, case
    /// and types sort and compare alike, and `SQLRow` reads each column the same way.
    @Test(.enabled(if: PostgresCluster.available, "needs root and Debian's postgresql 15"))
    func everyReadGivesTheSameRowsOnPostgreSQL() throws {
        let (store, statements) = try Self.scenario()
        let differences = try PostgresCluster.with { cluster -> [String] in
            let project = try InstalledProject.install(cluster, database: "portable")
            let connection = try project.connect()
            try Self.copyRows(of: store, to: connection)
            let postgres = PostgresDatabase(connection: connection, statements: PlaceholderCache())
            var differences: [String] = []
            for statement in statements {
                let sqlite = try store.read { db in try db.rows(statement.sql, statement.arguments) }
                let other = try postgres.rows(statement.sql, statement.arguments)
                if let difference = Self.difference(sqlite, other, ordered: Self.isOrdered(statement.sql)) {
                    differences.append("\(difference) for \(statement.arguments) in: \(statement.sql)")
                }
            }
            return differences
        }
        #expect(differences == [], Comment(rawValue: "\n" + differences.joined(separator: "\n")))
    }

    /// Copies every table of the project file into the PostgreSQL project's tables, replacing
    /// what `concord init` put there (the triggers, append-only ones included, are off
    /// for this session only, as for a restore).
    static func copyRows(of store: ProjectStore, to connection: PostgresConnection) throws {
        try connection.execute("SET search_path = concord")
        try connection.execute("SET session_replication_role = replica")
        let tables = try store.read { db in
            try db.values(String.self, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb%' AND name NOT LIKE 'sqlite%' ORDER BY rowid")
        }
        try connection.execute("TRUNCATE " + tables.joined(separator: ", "))
        for table in tables {
            let rows = try store.read { db in try db.rows("SELECT * FROM \(table)") }
            guard let first = rows.first else { continue }
            let columns = first.positions.sorted { $0.value < $1.value }.map(\.key)
            try connection.copyIn("COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN",
                                  rows: rows.map { $0.values.map(PostgresDatabase.text) })
        }
        try connection.execute("SET session_replication_role = origin")
    }

    /// Whether the statement's outermost query has an ORDER BY (the text after its last
    /// closing parenthesis does): then the order of its rows is part of its meaning.
    static func isOrdered(_ sql: String) -> Bool {
        let tail = sql.range(of: ")", options: .backwards).map { String(sql[$0.upperBound...]) } ?? sql
        return tail.contains("ORDER BY")
    }

    /// How two results differ, or nil: values and their kinds, and the names of the columns
    /// a read can name (not expressions, which the two databases name differently).
    static func difference(_ sqlite: [SQLRow], _ postgres: [SQLRow], ordered: Bool) -> String? {
        let names = { (rows: [SQLRow]) in rows.first.map { $0.positions.sorted { $0.value < $1.value }.map(\.key) } ?? [] }
        let sqliteNames = names(sqlite), postgresNames = names(postgres)
        let readable = try! Regex("^[a-z_][a-z0-9_]*$")
        for (a, b) in zip(sqliteNames, postgresNames) where a.wholeMatch(of: readable) != nil && a != b {
            return "column \(a) is called \(b) on PostgreSQL"
        }
        var a = sqlite.map(describe), b = postgres.map(describe)
        if !ordered { a.sort(); b.sort() }
        return a == b ? nil : "SQLite gives \(a), PostgreSQL \(b)"
    }

    /// A row as `1 2.5 'text' NULL`: the kind of each value shows.
    static func describe(_ row: SQLRow) -> String {
        row.values.map { value in
            switch value {
            case .null: return "NULL"
            case .integer(let v): return "\(v)"
            case .real(let v): return "\(v)r"
            case .text(let v): return "'\(v)'"
            }
        }.joined(separator: " ")
    }

    /// SELECTs in Store that only one store runs (SQLite's internals, or PostgreSQL's own
    /// functions), so the scenario does not record them: file and the start of the literal → why.
    static let sqliteOnly: [String: String] = [
        "Audit.swift|SELECT seq, hash FROM audit_event": "Audit.append, inside SQLite writes (PostgreSQL: concord.audit_append)",
        "Audit.swift|SELECT max(id) FROM": "Audit.inserted and maxID, inside SQLite writes (PostgreSQL: concord.max_ids)",
        "ProjectFileCheck.swift|SELECT (SELECT count(*) FROM sqlite_master": "is this file a project? before SQLite opens it",
        "SendBackRaters.swift|SELECT id, raters, created_at FROM decision": "migration v6 of the project file",
        "ProjectSession+Adjudication.swift|SELECT criterion, value FROM concord.training_answers": "PostgreSQL only: raters cannot read gold there, the function applies goldFeedback's rule (PostgresTrainingTests)",
    ]

    /// Every SELECT written in Store's own files (not Postgres/) runs in the scenario: each
    /// part of it between interpolations is in a recorded statement. A new read with no
    /// place in the scenario fails here, so the PostgreSQL checks above cannot miss it.
    @Test func theScenarioRunsEverySelectInStore() throws {
        let folder = SQLParameterTests.sources.appendingPathComponent("Store")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }.sorted()
        #expect(files.count > 20, "Sources/Store was not found at \(folder.path)")
        let squeeze = { (text: String) in text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let recorded = try Self.recordedStatements().map(squeeze)
        var missing: [String] = [], excused: Set<String> = []
        for file in files {
            let text = try String(contentsOfFile: folder.appendingPathComponent(file).path, encoding: .utf8)
            for literal in SQLParameterTests.literals(text) {
                // The parts between interpolations (a table name, a literal fragment).
                var body = literal.body
                for expression in literal.interpolations { body = body.replacingOccurrences(of: "\\(" + expression + ")", with: "\u{1}") }
                let parts = body.components(separatedBy: "\u{1}").map(squeeze)
                guard parts[0].hasPrefix("SELECT ") else { continue }
                if let key = Self.sqliteOnly.keys.first(where: { parts[0].hasPrefix($0.dropFirst(file.count + 1)) && $0.hasPrefix(file + "|") }) {
                    excused.insert(key)
                    continue
                }
                for fragment in parts where fragment.count >= 12 && !recorded.contains(where: { $0.contains(fragment) }) {
                    missing.append("\(file):\(literal.line): \(fragment)")
                }
            }
        }
        #expect(missing == [], "SELECTs the scenario never runs: add a call to PortableSQLTests.scenario")
        #expect(excused == Set(Self.sqliteOnly.keys), "entries no longer used: \(Set(Self.sqliteOnly.keys).subtracting(excused).sorted())")
    }

    /// The check can fail: the statements as they were written for SQLite alone are refused,
    /// each for the reason it was rewritten.
    @Test(.enabled(if: PostgresCluster.available, "needs root and Debian's postgresql 15"))
    func sqliteOnlyStatementsAreRefused() throws {
        let refused = try Self.refusals([
            // verify's cache check: `IS NOT` between two values is SQLite's spelling of IS DISTINCT FROM.
            "SELECT count(*) FROM label_current c WHERE c.label_id IS NOT 1",
            // the queue's and pendingSendBacks' latest answer: a subquery in FROM without an alias.
            "SELECT (SELECT max(t) FROM (SELECT max(l.recorded_at) AS t FROM label l WHERE l.item_id = ?)) AS answered_at",
            // --gold-rate's gold items: DISTINCT ordered by a column it does not select.
            "SELECT DISTINCT g.item_id FROM gold g JOIN item i ON i.id = g.item_id WHERE i.batch_id = ? ORDER BY i.position",
            "SELECT ifnull(note, '') FROM item_mark",
        ])
        #expect(refused.map { $0.components(separatedBy: ": ").first ?? "" } == [
            "syntax error at or near \"1\"",
            "subquery in FROM must have an alias",
            "for SELECT DISTINCT, ORDER BY expressions must appear in select list",
            "function ifnull(text, unknown) does not exist",
        ])
    }
}
