import Foundation
import GRDB
import PostgresClient
import PostgresTestSupport
import Rubric
@testable import Store
import Testing

/// Issue 16, "`migrate` both ways keeps every row and the anchor": a project file with every
/// table holding rows (a 10,000-label import among them) goes into PostgreSQL and back into a
/// second file; each copy holds the same rows, ids included, in every table, and its audit
/// chain ends at the source's anchor; the PostgreSQL copy then takes a write whose event
/// chains on. Every refusal and failure leaves no target behind.
@Suite struct ProjectMigrationTests {
    /// SeededProject's rows (raters of every role, decisions of every kind, send-back raters,
    /// gold, training, a batch rule, flags and skips), plus label revisions, a batch setting
    /// and 10,000 imported labels.
    static func richProject() throws -> ProjectStore {
        let store = try SeededProject.make(SeededProject.People(admin: "ada"))
        let admin = try store.session(login: "ada")
        let alice = try store.session(login: "ada", actingAs: "alice")
        _ = try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "no", "notes": "AAA changed my mind"],
                                                frame: 1, pts: 0.05, dwellMs: 700, watchedShare: 1,
                                                display: DisplayRecord(mode: .sixel, width: 630, height: 354, colors: "256",
                                                                       speeds: [0.5, 1])))
        let clips = (1...1_250).map { i in
            ClipFacts(path: "/clips/big\(i).mp4", name: "big\(i).mp4", sha256: String(format: "%064x", 10_000 + i), sizeBytes: Int64(i),
                      codec: "h264", duration: 2, frameRate: 25, frameCount: 50, width: 64, height: 48, rotation: 0)
        }
        _ = try admin.addClips(clips, batch: "big", rubric: "seed")
        _ = try admin.assign(batch: "big", raters: ["alice", "bob"], overlap: 2, goldRate: nil)
        var rows: [LabelImportRow] = []
        for (i, clip) in clips.enumerated() {
            for rater in ["alice", "bob", "lena", "ada"] {
                // lena's answers as a model's would come: a confidence, and on every fourth a sample (label_prediction).
                rows.append(LabelImportRow(line: rows.count + 2, clip: clip.name, rater: rater, criterion: "present", value: i % 3 == 0 ? "yes" : "no",
                                           confidence: rater == "lena" ? Double(i % 11) / 10 : nil, sample: rater == "lena" && i % 4 == 0 ? 2 : nil))
                rows.append(LabelImportRow(line: rows.count + 2, clip: clip.name, rater: rater, criterion: "notes", value: "note \(i) \\ \t ü"))
            }
        }
        _ = try admin.importLabels(rows, file: "big.csv", fileSHA256: String(repeating: "b", count: 64), batch: "big")
        try addPairwiseBatch(store)
        return store
    }

    /// A pairwise batch (issue 20): three pool clips tagged with their prompt and model, two
    /// pairs, alice's and bob's assignments of them with the sides they see, alice's answer.
    static func addPairwiseBatch(_ store: ProjectStore) throws {
        let admin = try store.session(login: "ada")
        let rubric = "name: pref\ncriteria:\n  - id: better\n    question: Which is better?\n    type: pairwise\n    tie: true\n"
        _ = try admin.addRubric(try Rubric.parse(rubric, file: "pref.yaml"), sourcePath: "rubrics/pref.yaml")
        let clips = (1...3).map { i in
            ClipFacts(path: "/clips/pair\(i).mp4", name: "pair\(i).mp4", sha256: String(format: "%064x", 90_000 + i), sizeBytes: Int64(i),
                      codec: "h264", duration: 2, frameRate: 25, frameCount: 50, width: 64, height: 48, rotation: 0)
        }
        _ = try admin.addClips(clips, batch: "pairs", rubric: "pref")
        _ = try admin.tagClips(clips.enumerated().map { ClipTag(clip: $1.name, group: "cat", system: "model-\($0 % 2)") })
        let added = try admin.addPairs([PairRequest(a: "pair1.mp4", b: "pair2.mp4"), PairRequest(a: "pair3.mp4", b: "pair1.mp4", group: "cat, again")],
                                       batch: "pairs", rubric: nil)
        _ = try admin.assignPairs(batch: "pairs", plan: ["alice", "bob"].flatMap { rater in
            added.map { PairPlanEntry(rater: rater, a: $0.a, b: $0.b, group: nil) }
        })
        _ = try store.session(login: "ada", actingAs: "alice").submitItem(ItemSubmission(
            item: added[0].item, answers: ["better": "b"], frame: 3, pts: 0.12, dwellMs: 4_200, watchedShare: 1))
    }

    /// Every copied table's rows in key order, each value as the store reads it.
    static func dump(_ store: ProjectStore) throws -> [String: [[SQLValue]]] {
        try store.read { db in
            var tables: [String: [[SQLValue]]] = [:]
            for table in ProjectMigration.tables {
                tables[table.name] = try db.rows("SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) ORDER BY \(table.key.joined(separator: ", "))")
                    .map(\.values)
            }
            return tables
        }
    }

    static func head(_ store: ProjectStore) throws -> AuditAnchor {
        try #require(try store.session(login: "ada").auditHead())
    }

    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("migrate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func everyTableHoldsRows() throws {
        let tables = try Self.dump(try Self.richProject())
        #expect(tables.filter { $0.value.isEmpty }.keys.sorted() == [])
        #expect(tables["label"]?.count == 10_000 + 9)   // SeededProject's 6, alice's 2 revisions, her pair answer
        #expect(Set(ProjectMigration.tables.map(\.name)) == Set(Schema.auditedTables.map(\.table) + ["project", "label_current", "audit_event"]))
    }

    @Test(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
    func bothWaysKeepEveryRowAndTheAnchor() throws {
        try PostgresCluster.with { cluster in
            let source = try Self.richProject()
            let rows = try Self.dump(source)
            let anchor = try Self.head(source)
            try InstalledProject.prepare(cluster, database: "concord_m", admin: "ada")
            let project = InstalledProject(cluster: cluster, database: "concord_m", admin: "ada")
            for login in ["alice", "lena"] { try project.createLogin(login) }
            let uri = cluster.uri(database: "concord_m", user: "ada")

            let there = try ProjectMigration.migrate(from: source.path, to: uri, login: "ada")
            #expect(there.anchor == anchor)
            let shown = try PostgresConnection(uri: uri).displayURI
            #expect(there.source == source.path && there.target == shown)
            #expect(there.tables.map(\.name) == ProjectMigration.tables.map(\.name))
            #expect(there.tables.map(\.rows) == ProjectMigration.tables.map { rows[$0.name]!.count })
            let postgres = try ProjectStore.open(path: uri)
            #expect(try Self.dump(postgres) == rows)
            #expect(try postgres.session(login: "root").verifyAudit(anchors: [anchor]) == AuditReport(
                events: Int(anchor.seq), rows: Schema.auditedTables.reduce(0) { $0 + rows[$1.table]!.count }, problems: [], head: anchor))
            // Logins of the project's raters are in their roles' groups, as rater add leaves them.
            #expect(try project.column("""
                SELECT m.member::regrole::text || ' ' || m.roleid::regrole::text FROM pg_auth_members m
                 WHERE m.roleid::regrole::text LIKE 'concord\\_m\\_%' AND m.member::regrole::text NOT LIKE 'concord\\_m\\_%' ORDER BY 1
                """) == ["ada concord_m_admin", "alice concord_m_rater", "lena concord_m_lead"])

            let back = try Self.scratch() + "/archive.db"
            let archived = try ProjectMigration.migrate(from: uri, to: back, login: "root")
            #expect(archived.anchor == anchor && archived.tables == there.tables)
            let file = try ProjectStore.open(path: back)
            #expect(try Self.dump(file) == rows)
            #expect(try file.session(login: "ada").verifyAudit(anchors: [anchor]).problems == [])
            var info = stat()
            #expect(stat(back, &info) == 0 && info.st_mode & 0o777 == ProjectStore.fileMode)

            // The PostgreSQL copy goes on: alice's submission is the next event, on new ids.
            let alice = try ProjectStore.open(path: cluster.uri(database: "concord_m", user: "alice")).session(login: "root")
            #expect(try alice.submitItem(ItemSubmission(item: 2, answers: ["present": "yes", "notes": "AAA after the move"],
                                                        frame: 0, pts: 0, dwellMs: 10, watchedShare: 1)) == SubmitResult(written: 2, withdrawn: 0))
            let report = try postgres.session(login: "root").verifyAudit(anchors: [anchor])
            #expect(report.problems == [] && report.head?.seq == anchor.seq + 1)
            let event = try #require(try project.connect().execute("SELECT actor, action, prev_hash FROM concord.audit_event ORDER BY seq DESC LIMIT 1").rows.first)
            #expect(event == ["alice", "item.submit", anchor.hash])
            guard case .integer(let lastLabel)? = rows["label"]?.last?.first else { Issue.record("no label id"); return }
            #expect(try project.column("SELECT id FROM concord.label WHERE id > $1 ORDER BY id", [String(lastLabel)])
                    == [String(lastLabel + 1), String(lastLabel + 2)])
            // And the pairwise batch: a pair planned on the copy is a new item with the next
            // ids, alice's assignment of it gets its side, and the chain still verifies.
            let lead = try postgres.session(login: "root")
            #expect(try lead.assignPairs(batch: "pairs", plan: [PairPlanEntry(rater: "alice", a: "pair2.mp4", b: "pair3.mp4", group: nil)]) == 1)
            guard case .integer(let lastPair)? = rows["item_pair"]?.last?.first else { Issue.record("no item_pair id"); return }
            #expect(try project.column("SELECT id FROM concord.item_pair WHERE id > $1", [String(lastPair)]) == [String(lastPair + 1)])
            #expect(try project.column("SELECT count(*) FROM concord.assignment_side") == [String(rows["assignment_side"]!.count + 1)])
            let paired = try postgres.session(login: "root").verifyAudit(anchors: [anchor])
            #expect(paired.problems == [] && paired.head?.seq == anchor.seq + 2)
        }
    }

    @Test func aFileToAFileIsTheSameProject() throws {
        let source = try Self.richProject()
        let target = try Self.scratch() + "/copy.db"
        let report = try ProjectMigration.migrate(from: source.path, to: target, login: "ada")
        #expect(report.anchor == (try Self.head(source)))
        #expect(try Self.dump(try ProjectStore.open(path: target)) == (try Self.dump(source)))
    }

    @Test func refusalsTouchNothing() throws {
        let source = try SeededProject.make(SeededProject.People(admin: "ada"))
        let dir = try Self.scratch()
        let existing = dir + "/taken.db"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: existing))
        #expect(throws: StoreError(.input, "\(existing) already exists; concord migrate writes a new project file and never touches an existing one: pass a path that does not exist")) {
            try ProjectMigration.migrate(from: source.path, to: existing, login: "ada")
        }
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
        #expect(throws: StoreError(.input, "--from and --to name the same project (\(source.path)); concord migrate copies a project into a new file or an empty database: pass another --to")) {
            try ProjectMigration.migrate(from: source.path, to: source.path, login: "ada")
        }
        // The same file by another name is the same project too.
        let link = dir + "/link.db"
        try FileManager.default.linkItem(atPath: source.path, toPath: link)
        #expect(throws: StoreError(.input, "--from and --to name the same project (\(link)); concord migrate copies a project into a new file or an empty database: pass another --to")) {
            try ProjectMigration.migrate(from: source.path, to: link, login: "ada")
        }
        #expect(throws: StoreError(.project, "\(existing) is not a concord project file (it is not an SQLite database); create one with: concord init --project PATH")) {
            try ProjectMigration.migrate(from: existing, to: dir + "/new.db", login: "ada")
        }
        #expect(throws: StoreError(.project, "no project at \(dir)/none.db (--from): pass a project file or a postgresql:// URI")) {
            try ProjectMigration.migrate(from: dir + "/none.db", to: dir + "/new.db", login: "ada")
        }
        #expect(throws: StoreError(.permission, "lena is a lead and cannot migrate the project (admins only)")) {
            try ProjectMigration.migrate(from: source.path, to: dir + "/new.db", login: "lena")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["link.db", "taken.db"])
    }

    /// A source whose log does not verify is not copied: its anchor would not vouch for the copy.
    @Test func aSourceWhoseLogDoesNotVerifyLeavesNoFile() throws {
        let source = try SeededProject.make(SeededProject.People(admin: "ada"))
        try DatabaseQueue(path: source.path).write { db in
            try db.execute(sql: "INSERT INTO rater (name, created_at) VALUES ('mallory', '2026-01-01T00:00:00.000Z')")
        }
        let dir = try Self.scratch()
        #expect(throws: StoreError(.project, "the source's audit log does not verify (rater has 1 row(s) that no audit event wrote: added behind concord's back (from id 6, after every audited row; the newest event is 18: an event after it may have been deleted)): concord migrate copies only a project whose log is intact, so that its anchor means the same in the copy; see concord audit verify; \(dir)/copy.db was not created")) {
            try ProjectMigration.migrate(from: source.path, to: dir + "/copy.db", login: "ada")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
    }

    /// A full disk midway through the copy: the file and its side files are removed.
    @Test(.enabled(if: getuid() == 0, "mounts a private tmpfs"))
    func aFullDiskLeavesNoFile() throws {
        let source = try Self.richProject()
        let dir = try Self.scratch()
        try PostgresCluster.run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir])
        defer { _ = try? PostgresCluster.run("/bin/umount", [dir]) }
        let target = dir + "/copy.db"
        #expect(throws: StoreError(.project, "concord migrate could not write \(target): database or disk is full (the disk may be full, or a quota or file-size limit reached); \(target) was not created; free space and try again")) {
            try ProjectMigration.migrate(from: source.path, to: target, login: "ada")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
    }

    @Test(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
    func postgresRefusalsAndFailuresLeaveTheDatabaseEmpty() throws {
        try PostgresCluster.with { cluster in
            try InstalledProject.prepare(cluster, database: "concord_m", admin: "ada")
            let project = InstalledProject(cluster: cluster, database: "concord_m", admin: "ada")
            let uri = cluster.uri(database: "concord_m", user: "ada")
            func empty() throws -> Bool {
                try project.column("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'concord\\_m\\_%'") == ["0"]
                    && project.column("SELECT count(*) FROM pg_namespace WHERE nspname = 'concord'") == ["0"]
            }
            // A value PostgreSQL's column cannot hold (SQLite's loose typing let it in): the COPY fails midway.
            let broken = try SeededProject.make(SeededProject.People(admin: "ada"))
            try DatabaseQueue(path: broken.path).write { db in
                try db.execute(sql: "INSERT INTO batch_setting (batch_id, overlap, gold_rate, created_at) VALUES (1, 'two', NULL, '2026-01-01T00:00:00.000Z')")
            }
            #expect(throws: StoreError(.project, "concord migrate could not copy the project into '\(uri)': invalid input syntax for type bigint: \"two\"; nothing was created")) {
                try ProjectMigration.migrate(from: broken.path, to: uri, login: "ada")
            }
            #expect(try empty())
            // Then a good one goes in, and a second is refused: the database is no longer empty.
            let source = try SeededProject.make(SeededProject.People(admin: "ada"))
            _ = try ProjectMigration.migrate(from: source.path, to: uri, login: "ada")
            let events = try project.column("SELECT count(*) FROM concord.audit_event")
            #expect(throws: StoreError(.project, "the PostgreSQL database 'concord_m' is not empty: concord migrate needs an empty database; ask the DBA for a new one (createdb -O ada NAME)")) {
                try ProjectMigration.migrate(from: source.path, to: uri, login: "ada")
            }
            #expect(try project.column("SELECT count(*) FROM concord.audit_event") == events)
            // A login that is not one of the project's admins could not run the copy: refused.
            try InstalledProject.prepare(cluster, database: "concord_z", admin: "zed")
            #expect(throws: StoreError(.permission, "zed is not an admin of the project in \(source.path), so after the copy zed could not run it: connect to the target as one of its admins (ada), or first make zed one: concord rater add zed --role admin")) {
                try ProjectMigration.migrate(from: source.path, to: cluster.uri(database: "concord_z", user: "zed"), login: "ada")
            }
            #expect(try InstalledProject(cluster: cluster, database: "concord_z", admin: "zed").column("SELECT count(*) FROM pg_namespace WHERE nspname = 'concord'") == ["0"])
        }
    }
}
