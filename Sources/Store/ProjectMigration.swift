import Foundation
import GRDB
import GRDBSQLite
#if canImport(Glibc)
import Glibc
#endif

/// What `concord migrate` copied: rows per table, in the order copied, and the anchor the
/// target's audit chain was verified to end at (the source's newest event).
public struct MigrationReport: Sendable, Equatable {
    public struct Table: Sendable, Equatable {
        public let name: String
        public let rows: Int
    }

    /// The source and the target as messages show them (a URI without its password).
    public let source: String
    public let target: String
    public let tables: [Table]
    public let anchor: AuditAnchor?
}

/// `concord migrate --from A --to B` (docs/server.md §13, "Moving a project"): copies a whole
/// project — every row of every table, ids unchanged, the audit log as it is — from a project
/// file or PostgreSQL database into a new project file or an empty PostgreSQL database.
///
/// The source is read in one snapshot; the target is written in one transaction, which is
/// committed only after the target's own audit chain, verified inside that transaction,
/// ends at the source's newest event with the same hash. So every failure — a refusal, a full
/// disk, a dropped connection, a chain that does not verify — leaves no target: a project file
/// never takes the target's name (`intoFile`), a PostgreSQL transaction is rolled back (roles
/// and schema included, since `PostgresSchema.install` creates them in the same transaction).
///
/// Not copied: PostgreSQL's `submission_request`, the memory of client-made submission ids
/// that lets a workbench repeat a submission after a lost connection without writing it
/// twice. It is not history (no audit event covers it) and only matters to a client retrying
/// against the database it was talking to.
public enum ProjectMigration {
    /// A table copied as it is: its columns (all of them), and the key its rows are read in
    /// order of, a page at a time (so a million labels never sit in memory at once).
    struct CopiedTable {
        let name: String
        let columns: [String]
        let key: [String]
    }

    /// In an order that satisfies every foreign key: `project`, the audited tables (in
    /// `Schema.auditedTables`' order, which is the order they refer to each other in), the
    /// current-label cache, and the audit log.
    static let tables: [CopiedTable] =
        [CopiedTable(name: "project", columns: ["id", "name", "created_at"], key: ["id"])]
        + Schema.auditedTables.map { CopiedTable(name: $0.table, columns: $0.columns, key: ["id"]) }
        + [CopiedTable(name: "label_current", columns: ["item_id", "rater_id", "criterion", "label_id"],
                       key: ["item_id", "rater_id", "criterion"]),
           CopiedTable(name: "audit_event", columns: ["seq", "at", "actor", "action", "payload", "prev_hash", "hash"],
                       key: ["seq"])]

    /// Rows per page read from the source and written to the target.
    static let pageSize = 20_000

    /// Copies the project at `source` (a file path or a libpq URI) into `target`, which must
    /// not exist yet (a file) or be an empty database whose owner, with CREATEROLE, is the
    /// URI's login (as for `concord init`). `login` is the OS login; on PostgreSQL the acting
    /// admin is the server's session user. Only an admin of the source may migrate it.
    public static func migrate(from source: String, to target: String, login: String) throws -> MigrationReport {
        try refuseSameLocation(source, target)
        let store = try openSource(source)
        let session = try store.session(login: login)
        guard session.actor.role == .admin else {
            throw StoreError.permission("\(session.actor.name) is \(session.actor.role.withArticle) and cannot migrate the project (admins only)")
        }
        if PostgresProject.isURI(target) {
            return try intoPostgres(store, target, session: session)
        }
        return try intoFile(store, target)
    }

    // MARK: Refusals before anything is touched

    /// Source and target are the same place: the same text, or (files) the same file.
    static func refuseSameLocation(_ source: String, _ target: String) throws {
        var a = stat(), b = stat()
        let sameFile = !PostgresProject.isURI(source) && !PostgresProject.isURI(target)
            && stat(source, &a) == 0 && stat(target, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino
        if source == target || sameFile {
            throw StoreError.input("--from and --to name the same project (\(printableText(target))); "
                                   + "concord migrate copies a project into a new file or an empty database: pass another --to")
        }
    }

    static func openSource(_ source: String) throws -> ProjectStore {
        if !PostgresProject.isURI(source) && !FileManager.default.fileExists(atPath: source) {
            throw StoreError(.project, "no project at \(printableText(source)) (--from): pass a project file or a postgresql:// URI")
        }
        return try ProjectStore.open(path: source)
    }

    // MARK: Into a project file

    /// A new file made as `ProjectStore.create` makes one (mode, O_EXCL, every migration) but
    /// without a first admin: every row comes from the source, in one IMMEDIATE transaction.
    /// It is built under a hidden name beside the target and linked to the target's name only
    /// when complete and verified (link(2) refuses a name that appeared meanwhile), so even a
    /// migrate killed midway leaves no half-made project under that name.
    static func intoFile(_ store: ProjectStore, _ path: String) throws -> MigrationReport {
        if FileManager.default.fileExists(atPath: path) {
            throw StoreError.input("\(printableText(path)) already exists; concord migrate writes a new project file "
                                   + "and never touches an existing one: pass a path that does not exist")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let building = (directory.isEmpty ? "" : directory + "/") + ".\((path as NSString).lastPathComponent).migrating-\(getpid())"
        do {
            try ProjectStore.createFile(building)
        } catch let error as StoreError {
            throw StoreError(error.kind, error.message.replacingOccurrences(of: printableText(building), with: printableText(path)))
        }
        var queue: DatabaseQueue?
        var linked = false
        do {
            let made = try DatabaseQueue(path: building, configuration: ProjectStore.configuration())
            queue = made
            try Schema.migrator().migrate(made)
            let report = try store.read { source in
                // The target's own SQLite errors are wrapped: `store.read` would take them for the source's.
                do {
                    return try write(store, source: source, into: made, path)
                } catch let error as DatabaseError {
                    throw TargetFailure(error: error)
                }
            }
            // Every page into the main file, which alone is linked below (its -wal is not).
            let busy = try made.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            guard busy == 0 else { throw StoreError(.project, "concord migrate could not finish \(printableText(path)): its write-ahead log could not be checkpointed") }
            try made.close()
            queue = nil
            guard link(building, path) == 0 else {
                if errno == EEXIST {
                    throw StoreError.input("\(printableText(path)) appeared while concord migrate was copying; it was left as it is")
                }
                throw StoreError(.project, "cannot create \(printableText(path)): \(String(cString: strerror(errno)))")
            }
            linked = true
            for suffix in ["", "-wal", "-shm"] { unlink(building + suffix) }
            // What every command does first: the new file must open as a project.
            _ = try ProjectStore.open(path: path)
            return report
        } catch {
            try? queue?.close()
            for suffix in ["", "-wal", "-shm"] {
                unlink(building + suffix)
                if linked { unlink(path + suffix) }
            }
            throw fileFailure(error, path)
        }
    }

    /// Copies and verifies in one IMMEDIATE transaction of the new file.
    static func write(_ store: ProjectStore, source: any SQLDatabase, into queue: DatabaseQueue, _ path: String) throws -> MigrationReport {
        var report: MigrationReport?
        try queue.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                let counts = try copy(from: source, into: FileTarget(db: db))
                let anchor = try verify(SQLiteDatabase(db), source: source, counts: counts, target: path)
                report = MigrationReport(source: store.path, target: path, tables: counts, anchor: anchor)
                return .commit
            }
        }
        return report!
    }

    /// A failure while writing the file, in one line that says nothing was left behind.
    static func fileFailure(_ error: Error, _ path: String) -> Error {
        let left = "; \(printableText(path)) was not created"
        switch (error as? TargetFailure)?.error ?? error {
        case let error as StoreError where error.kind != .project:
            return error
        case let error as StoreError:
            return StoreError(.project, error.message + left)
        case let error as DatabaseError where error.resultCode == .SQLITE_FULL || error.resultCode == .SQLITE_IOERR:
            return StoreError(.project, "concord migrate could not write \(printableText(path)): \(ProjectStore.describe(error))"
                              + " (the disk may be full, or a quota or file-size limit reached)\(left); free space and try again")
        default:
            return StoreError(.project, "concord migrate could not write \(printableText(path)): \(ProjectStore.describe(error))\(left)")
        }
    }

    /// An SQLite error of the target file, on its way out through the source's read.
    struct TargetFailure: Error {
        let error: DatabaseError
    }

    /// Inserts into the new file through SQLite's C API (`BulkInsert`), one prepared
    /// statement per table.
    struct FileTarget: MigrationTarget {
        let db: Database

        func write(_ table: CopiedTable, _ rows: [[SQLValue]]) throws -> Int {
            let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
            let list = table.columns.joined(separator: ", ")
            let statement = try db.cachedStatement(sql: "INSERT INTO \(table.name) (\(list)) VALUES (\(marks))")
            let bulk = BulkInsert(statement: statement.sqliteStatement, connection: db.sqliteConnection)
            var values: [RowDigest.Value] = []
            for row in rows {
                values.removeAll(keepingCapacity: true)
                for value in row {
                    switch value {
                    case .null: values.append(.null)
                    case .integer(let v): values.append(.int(v))
                    case .real(let v): values.append(.real(v))
                    case .text(let v): values.append(.text(v))
                    }
                }
                do {
                    try bulk.insert(values)
                } catch {
                    // BulkInsert speaks of "the project file"; here the file is the target.
                    let code = sqlite3_errcode(db.sqliteConnection)
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
            }
            return rows.count
        }
    }

    // MARK: Copy and verify, whatever the stores

    /// Reads every table of `source` a page at a time in key order and hands each page to
    /// `target`; returns the rows copied per table.
    static func copy(from source: any SQLDatabase, into target: some MigrationTarget) throws -> [MigrationReport.Table] {
        var counts: [MigrationReport.Table] = []
        for table in tables {
            let list = table.columns.joined(separator: ", ")
            let key = table.key.joined(separator: ", ")
            let marks = Array(repeating: "?", count: table.key.count).joined(separator: ", ")
            let positions = table.key.map { name in table.columns.firstIndex(of: name)! }
            var after: [SQLValue]?
            var copied = 0
            while true {
                let condition = after == nil ? "" : " WHERE (\(key)) > (\(marks))"
                let rows: [SQLRow]
                do {
                    rows = try source.rows("SELECT \(list) FROM \(table.name)\(condition) ORDER BY \(key) LIMIT ?",
                                           (after ?? []) + [pageSize])
                } catch let error as DatabaseError {
                    // Said here, where it is known to be the source's (the target may be a file too).
                    throw StoreError(.project, "the source could not be read: \(ProjectStore.describe(error))")
                }
                guard let last = rows.last else { break }
                let stored = try target.write(table, rows.map(\.values))
                guard stored == rows.count else {
                    throw StoreError(.project, "concord migrate wrote \(stored) of \(rows.count) rows of \(table.name); nothing was saved")
                }
                copied += rows.count
                after = positions.map { last.values[$0] }
                if rows.count < pageSize { break }
            }
            counts.append(MigrationReport.Table(name: table.name, rows: copied))
        }
        return counts
    }

    /// The target's audit chain, verified inside the transaction that wrote it: intact, as
    /// long as the source's, ending at the source's newest event with the same hash. Returns
    /// that anchor. When the copy does not verify because the source itself does not, says so.
    static func verify(_ target: any SQLDatabase, source: any SQLDatabase, counts: [MigrationReport.Table],
                       target name: String) throws -> AuditAnchor? {
        let events = counts.first { $0.name == "audit_event" }?.rows ?? 0
        let head = try source.row("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").map { AuditAnchor(seq: $0["seq"], hash: $0["hash"]) }
        let report = try ProjectSession.verifyAudit(target, anchors: head.map { [$0] } ?? [])
        if report.intact && report.head == head && report.events == events { return head }
        // Only now is the source checked too (a second pass over every row): to say which is at fault.
        let original = try ProjectSession.verifyAudit(source, anchors: [])
        if let problem = original.problems.first {
            throw StoreError(.project, "the source's audit log does not verify (\(problem)): concord migrate copies only a project "
                             + "whose log is intact, so that its anchor means the same in the copy; see concord audit verify")
        }
        let problem = report.problems.first ?? "its log ends at \(report.head?.description ?? "no event"), not at \(head?.description ?? "no event")"
        throw StoreError(.project, "the copy in \(printableText(name)) does not verify (\(problem))")
    }
}

/// Where `ProjectMigration.copy` writes a page of rows: returns how many were stored.
protocol MigrationTarget {
    func write(_ table: ProjectMigration.CopiedTable, _ rows: [[SQLValue]]) throws -> Int
}
