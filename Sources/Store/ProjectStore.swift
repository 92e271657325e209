import Foundation
import CSQLiteConfig
import GRDB
#if canImport(Glibc)
import Glibc
#endif
import Rubric

/// The project file: one SQLite database in WAL mode that several rater processes on one
/// machine read and write at once (docs/project-file.md "Invariants").
///
/// Its public API names no GRDB type, so a PostgreSQL-backed store can stand beside it for
/// teams that outgrow one machine. Each user action is one IMMEDIATE transaction: it waits
/// its turn (busy timeout, then a bounded retry) and commits entirely or not at all, audit
/// event included. Reads and writes go through a `ProjectSession`, which knows who is acting
/// and enforces what they may see and do.
public final class ProjectStore: Sendable {
    public let path: String
    /// Which database holds the project. Reads go through `read`, which hands every store
    /// the same `SQLDatabase`; what only one store can do (SQLite's bulk C-API loops, its
    /// `PRAGMA data_version`, its IMMEDIATE write transactions) switches on this.
    let engine: Engine
    /// Rubric versions are immutable, so each is parsed once per process: the workbench
    /// commits a label per keystroke and must not re-read YAML-derived JSON each time.
    let rubrics = RubricCache()
    /// Items' rubric versions and clips as acting raters have opened them (never change).
    let itemContexts = ItemContextCache()
    /// Records the SQL of every read while a test asks (PortableSQLTests); idle otherwise.
    let trace = SQLTrace()

    enum Engine: Sendable {
        /// The project file, through GRDB.
        case sqlite(DatabaseQueue)
        /// A PostgreSQL database (docs/server.md): reads as the SQLite store's, writes as calls
        /// of the database's own functions.
        case postgres(PostgresProject)
    }

    private init(path: String, queue: DatabaseQueue) {
        self.path = path
        self.engine = .sqlite(queue)
    }

    private init(postgres: PostgresProject) {
        self.path = postgres.displayURI
        self.engine = .postgres(postgres)
    }

    /// The PostgreSQL project, or nil for a project file.
    var postgres: PostgresProject? {
        if case .postgres(let project) = engine { return project }
        return nil
    }

    /// SQLite set up for this process once, before its first connection (CSQLiteConfig): no
    /// memory statistics, whose global mutex took 0.28 s of a million-row import. Read
    /// before every SQLite open in Store (`configuration()`, ProjectFileCheck); false when
    /// something else in the process had opened SQLite first (a test's own connection),
    /// which leaves SQLite's defaults.
    static let sqliteConfigured = concord_sqlite_configure() == 1

    static func configuration() -> Configuration {
        _ = sqliteConfigured
        var config = Configuration()
        // Writers queue behind each other for up to 30 s before the retry below takes over.
        // SQLite's own busy timeout sleeps in growing steps up to 100 ms, so a writer that
        // just committed keeps winning the lock while the others sleep (seen: 2.7 s waits
        // with 8 writers). Polling every 100–300 µs instead gives each waiter its turn.
        config.busyMode = .callback { tries in
            guard tries < 150_000 else { return false }     // ≈ 30 s of polling
            // A wait this long is news (another process holds a long write): say so once a
            // second, so operators can see contention that users only feel.
            if tries > 0 && tries % 5_000 == 0 { StoreLog.write("project file busy: waited about \(tries / 5_000) s for another writer") }
            usleep(useconds_t(100 + Int.random(in: 0..<200)))
            return true
        }
        config.prepareDatabase { db in
            // WAL: readers never block the writer. synchronous=FULL: a commit survives power
            // loss, not only a crashed process ("nothing acknowledged is ever lost").
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // A page cache of up to 128 MiB: a large import otherwise spills and rewrites the
            // same pages to the WAL many times. Memory is used only as pages are touched.
            try db.execute(sql: "PRAGMA cache_size = -131072")
        }
        return config
    }

    /// Creates a new project file; the OS login `admin` becomes its first admin.
    /// `path` may be a PostgreSQL URI: the project is then created inside that empty database
    /// and its first admin is the login the server authenticated, not `admin`.
    public static func create(path: String, name: String, admin: String) throws -> ProjectStore {
        try StoredText.check(name, "the project name")
        if PostgresProject.isURI(path) {
            let connection = try PostgresProject.connect(path)
            let database = try PostgresProject.currentDatabase(connection)
            try PostgresSchema.install(connection: connection, database: database, projectName: name)
            return ProjectStore(postgres: try PostgresProject(uri: path))
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.project, "\(printableText(path)) already exists; use it, or pass another --project path")
        }
        try createFile(path)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration())
        } catch {
            throw StoreError(.project, "cannot create \(printableText(path)): \(describe(error))")
        }
        let store = ProjectStore(path: path, queue: queue)
        do {
            try Schema.migrator().migrate(queue)
            try store.write { db in
                let at = Clock.now()
                try db.execute(sql: "INSERT INTO project (id, name, created_at) VALUES (1, ?, ?)", arguments: [name, at])
                try db.execute(sql: "INSERT INTO rater (name, created_at) VALUES (?, ?)", arguments: [admin, at])
                try db.execute(sql: "INSERT INTO rater_role (rater_id, role, created_at) VALUES (?, 'admin', ?)",
                               arguments: [db.lastInsertedRowID, at])
                try Audit.append(db, actor: admin, action: "init", details: ["project": name, "admin": admin],
                                 ranges: [Audit.RowRange(table: "rater", first: 1, last: 1),
                                          Audit.RowRange(table: "rater_role", first: 1, last: 1)])
            }
        } catch {
            try? queue.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            throw error
        }
        return store
    }

    /// A new project's name when `init` is given none: the file's base name without `.db`,
    /// or the database's name in a PostgreSQL URI.
    public static func defaultName(_ location: String) -> String {
        var base = location
        if PostgresProject.isURI(location) {
            base = String(location.split(separator: "?", maxSplits: 1).first ?? "")
        }
        let name = String(base.split(separator: "/").last ?? "concord")
        return name.hasSuffix(".db") ? String(name.dropLast(3)) : name.isEmpty ? "concord" : name
    }

    /// The mode of a new project file: read and write for its owner and group, nothing for
    /// others, whatever the umask (docs/security.md: a raters' group shares the file).
    /// SQLite gives the -wal and -shm files it creates beside it the same mode.
    public static let fileMode: mode_t = 0o660

    /// Creates the empty project file with `fileMode` (SQLite then opens it as a new
    /// database). O_EXCL: two `concord init`s racing for one path cannot both succeed.
    static func createFile(_ path: String) throws {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
        guard fd >= 0 else {
            if errno == EEXIST { throw StoreError(.project, "\(printableText(path)) already exists; use it, or pass another --project path") }
            throw StoreError(.project, "cannot create \(printableText(path)): \(String(cString: strerror(errno)))")
        }
        // open() applies the umask; fchmod does not.
        let changed = fchmod(fd, fileMode) == 0
        let reason = String(cString: strerror(errno))
        close(fd)
        guard changed else {
            unlink(path)
            throw StoreError(.project, "cannot set the mode of \(printableText(path)): \(reason)")
        }
    }

    /// Opens an existing project file, applying any newer migrations.
    public static func open(path: String) throws -> ProjectStore {
        if PostgresProject.isURI(path) { return ProjectStore(postgres: try PostgresProject(uri: path)) }
        if let problem = permissionProblem(path) { throw StoreError(.project, problem) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw StoreError(.project, "no project at \(printableText(path)); create one with: concord init (or pass --project PATH)")
        }
        // Before SQLite opens it for writing (WAL, side files): nothing not concord's is touched.
        if let problem = ProjectFileCheck.problem(path) { throw StoreError(.project, problem) }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration())
            let isProject = try queue.read { db in try db.tableExists("project") && db.tableExists("audit_event") }
            guard isProject else {
                throw StoreError(.project, "\(printableText(path)) is not a concord project file")
            }
            try Schema.migrator().migrate(queue)
            return ProjectStore(path: path, queue: queue)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY {
            throw StoreError(.project, ReadOnlyProject.message(path))   // a migration this user cannot write
        } catch {
            throw StoreError(.project, "\(printableText(path)) cannot be opened as a concord project: \(describe(error))")
        }
    }

    /// Why the OS user cannot open a shared project file (docs/security.md), or nil: someone
    /// outside the project's group is told so, not that there is no project or that SQLite
    /// "cannot open a file"; so is a member who finds another member's -wal or -shm file
    /// in a group they are not in (the directory lacks its setgid bit).
    static func permissionProblem(_ path: String) -> String? {
        var info = stat()
        // Read access only: a file that is merely read-only is the read-only path's business.
        if (stat(path, &info) != 0 && errno == EACCES) || (access(path, R_OK) != 0 && errno == EACCES) {
            return "cannot open \(path): permission denied; the project is shared through its group: "
                + "ask its admin to add your login to that group (docs/security.md)"
        }
        for suffix in ["-wal", "-shm"] where stat(path + suffix, &info) == 0 && access(path + suffix, R_OK | W_OK) != 0 && errno == EACCES {
            let directory = (path as NSString).deletingLastPathComponent
            return "cannot open \(path)\(suffix): permission denied; it was created outside the project's group: "
                + "its directory needs the setgid bit (chmod g+s \(directory.isEmpty ? "." : directory); docs/security.md)"
        }
        return nil
    }

    /// A session acting as the OS login, or — for admins only — as `actingAs`.
    /// On PostgreSQL the login is the server's `session_user` (peer authentication maps the OS
    /// login to it locally; SCRAM or a certificate remotely), whatever `login` says.
    public func session(login: String, actingAs: String? = nil) throws -> ProjectSession {
        let login = postgres?.sessionUser ?? login
        return try read { db in
            guard let me = try ProjectSession.actor(db, named: login) else {
                throw StoreError(.permission, "\(login) is not a rater in this project; an admin can add you with: concord rater add \(login) --role rater")
            }
            guard let other = actingAs else { return ProjectSession(store: self, actor: me) }
            // Every non-admin `--as` is refused, one's own name included (docs/security.md):
            // the rule is about the option, not about whom it names.
            guard me.role == .admin else {
                throw StoreError(.permission, "--as is for admins; \(login) is \(me.role.withArticle)")
            }
            guard other != login else { return ProjectSession(store: self, actor: me) }
            guard let them = try ProjectSession.actor(db, named: other) else {
                throw StoreError(.input, "no rater named \(quoted(other)); see: concord rater list")
            }
            return ProjectSession(store: self, actor: them, via: login)
        }
    }

    /// Runs `body` in one IMMEDIATE transaction, retrying a bounded number of times when the
    /// database stays busy (another process's long write), so no "database is locked"
    /// reaches a user.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        let queue = sqliteQueue
        var attempt = 0
        while true {
            do {
                var result: T?
                try queue.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        result = try body(db)
                        return .commit
                    }
                }
                return result!
            } catch let error as DatabaseError where (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) && attempt < 8 {
                attempt += 1
                StoreLog.write("project file still busy after 30 s of waiting; retry \(attempt) of 8 in \((20 << min(attempt, 6))) ms")
                usleep(UInt32(20_000 << min(attempt, 6)))
            } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY {
                throw StoreError(.project, ReadOnlyProject.message(path))
            } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL || error.resultCode == .SQLITE_IOERR {
                // Disk full, quota or file-size limit: the transaction rolled back whole.
                throw StoreError(.project, "the project file refused a write: \(Self.describe(error))\(Self.diskFullAdvice)")
            } catch let error as DatabaseError {
                throw StoreError(.project, "the project file refused a write: \(Self.describe(error))")
            }
        }
    }

    /// Runs `body` in one read transaction: every statement sees the same moment.
    func read<T>(_ body: (any SQLDatabase) throws -> T) throws -> T {
        switch engine {
        case .sqlite(let queue):
            do {
                return try queue.read { db in try body(SQLiteDatabase(db, trace: trace)) }
            } catch let error as DatabaseError {
                throw StoreError(.project, "the project file could not be read: \(Self.describe(error))")
            }
        case .postgres(let project):
            return try project.read(body)
        }
    }

    /// The SQL interface over a write transaction's connection, for the checks a write
    /// shares with reads (recorded like reads while a test traces them).
    func sql(_ db: Database) -> SQLiteDatabase { SQLiteDatabase(db, trace: trace) }

    /// The project file's queue, for what only SQLite does (its writes, `PRAGMA data_version`).
    var sqliteQueue: DatabaseQueue {
        switch engine {
        case .sqlite(let queue): return queue
        case .postgres: preconditionFailure("a SQLite-only path reached a PostgreSQL project: branch on store.postgres first")
        }
    }

    /// Said after a write failed for want of space (SQLITE_FULL, SQLITE_IOERR).
    static let diskFullAdvice = " (the disk may be full, or a quota or file-size limit reached); nothing of this change was saved and everything saved before is intact — free space and try again"

    static func describe(_ error: Error) -> String {
        if let db = error as? DatabaseError { return db.message ?? "\(db.resultCode)" }
        return "\(error)"
    }
}

/// Parsed rubric versions by id (thread-safe; versions never change).
final class RubricCache: @unchecked Sendable {
    private let lock = NSLock()
    private var byID: [Int64: Rubric] = [:]

    func rubric(_ id: Int64, load: () throws -> Rubric) rethrows -> Rubric {
        lock.lock()
        if let cached = byID[id] { lock.unlock(); return cached }
        lock.unlock()
        let rubric = try load()
        lock.lock()
        byID[id] = rubric
        lock.unlock()
        return rubric
    }
}

/// An item's rubric version (id and parsed), its clip's frame count and name.
typealias ItemContext = (rubricID: Int64, rubric: Rubric, frameCount: Int, clip: String)

/// Item contexts by (item, actor) that were found and allowed once. Both never change: an
/// item's batch, rubric and clip are fixed, and an assignment is history (never removed).
/// Only a found, permitted context is kept; a refusal is asked again next time.
final class ItemContextCache: @unchecked Sendable {
    private struct Key: Hashable { let item: Int64; let actor: Int64 }
    private let lock = NSLock()
    private var byKey: [Key: ItemContext] = [:]

    func context(item: Int64, actor: Int64, load: () throws -> ItemContext) rethrows -> ItemContext {
        let key = Key(item: item, actor: actor)
        lock.lock()
        if let cached = byKey[key] { lock.unlock(); return cached }
        lock.unlock()
        let context = try load()
        lock.lock()
        byKey[key] = context
        lock.unlock()
        return context
    }

    /// Contexts read with the rater's queue (its items are their assignments), so that a
    /// commit on PostgreSQL is its one call, with no read before it.
    func remember(_ contexts: [(item: Int64, context: ItemContext)], actor: Int64) {
        lock.lock()
        for (item, context) in contexts { byKey[Key(item: item, actor: actor)] = context }
        lock.unlock()
    }
}
