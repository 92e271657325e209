import Foundation
import PostgresClient

/// A project in a PostgreSQL database (docs/server.md): one libpq connection, used by one
/// thread at a time, that reconnects when the server restarts or the network drops (and,
/// made only when a read asks for it, a second one of the same login: `SnapshotSibling`).
///
/// Reads run in a READ ONLY, REPEATABLE READ transaction, so a screen's several queries see
/// one moment, as SQLite's WAL read transaction does. Writes are each one call of a
/// SECURITY DEFINER function in the `concord` schema (one statement, its own transaction):
/// the function takes the actor from `session_user`, checks the role, writes the rows and
/// the audit event, and the call returns only after COMMIT.
final class PostgresProject: @unchecked Sendable {
    let uri: String
    /// The URI with any password hidden, for every message.
    let displayURI: String
    /// The login role the server authenticated: the acting concord rater.
    let sessionUser: String
    let statements = PlaceholderCache()
    /// How long a lost connection is retried before the caller hears about it.
    let reconnectWindow: Duration

    private let lock = NSLock()
    private var connection: PostgresConnection?
    /// The same login's second connection, for a read's statements run beside the first's.
    private var second: PostgresConnection?

    init(uri: String, reconnectWindow: Duration = .seconds(30), requireProject: Bool = true) throws {
        self.uri = uri
        self.reconnectWindow = reconnectWindow
        let connection = try Self.connect(uri)
        displayURI = connection.displayURI
        do {
            sessionUser = try connection.execute("SELECT session_user AS name").rows.first?.first.flatMap { $0 } ?? ""
        } catch {
            throw Self.storeError(error, displayURI: connection.displayURI)
        }
        if requireProject {
            switch PostgresSchema.layout(connection: connection) {
            case .current: break
            case .none:
                throw StoreError(.project, "\(connection.displayURI) is not a concord project: its database has no concord schema; "
                                 + "create one in an empty database with: concord init --project URI")
            case .other(let versions):
                // No layout is changed in place (docs/server.md, §13): the project moves
                // through a project file, which every concord opens and brings up to date.
                throw StoreError(.project, "\(connection.displayURI) holds a concord project of layout \(versions.joined(separator: ", ")), "
                                 + "made by another version of concord; this one reads and writes layout \(PostgresSchema.version). "
                                 + "Move it with concord migrate: with the concord that made it, --from URI --to FILE.db; "
                                 + "then with this one, --from FILE.db --to a new empty database")
            }
        }
        self.connection = connection
    }

    /// The Store's SQL names tables unqualified, as in the project file: they are found in
    /// schema `concord` (and nowhere a user could create a look-alike first: `public` is not
    /// on the path, and pg_temp is searched last for relations, never for functions).
    static func prepare(_ connection: PostgresConnection) throws {
        try connection.execute("SET search_path = concord, pg_catalog, pg_temp")
    }

    /// The connected database's name (the project's roles are named after it).
    static func currentDatabase(_ connection: PostgresConnection) throws -> String {
        do {
            return try connection.execute("SELECT current_database()").rows.first?.first.flatMap { $0 } ?? ""
        } catch {
            throw storeError(error, displayURI: connection.displayURI)
        }
    }

    /// Is `location` a PostgreSQL connection URI rather than a project file path?
    static func isURI(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    static func connect(_ uri: String) throws -> PostgresConnection {
        do {
            let connection = try PostgresConnection(uri: uri)
            try prepare(connection)
            return connection
        } catch let error as PostgresError where error.serverMessage.contains("permission denied for database") {
            // CONNECT belongs to the project's group roles only: this login has no concord role.
            let login = PostgresConnection.user(in: uri) ?? (getpwuid(getuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "this login")
            throw StoreError(.permission, "\(login) is not a rater in the project at \(redacted(uri)); "
                             + "an admin can add you with: concord rater add \(login) --role rater")
        } catch {
            throw storeError(error, displayURI: nil)
        }
    }

    // MARK: Reads and writes

    /// Runs `body` in one read-only snapshot; a connection lost on the way is re-made and the
    /// read repeated (reads change nothing, so repeating one is always safe).
    func read<T>(_ body: (any SQLDatabase) throws -> T) throws -> T {
        try withConnection(retrying: true) { connection in
            try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            let sibling = SnapshotSibling(main: connection) { [self] in try siblingConnection() }
            defer { if !sibling.end() { second = nil } }
            do {
                var db = PostgresDatabase(connection: connection, statements: statements)
                db.sibling = sibling
                let value = try body(db)
                try connection.execute("COMMIT")
                return value
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// The second connection of `SnapshotSibling`, made once and kept (a read holds `lock`).
    private func siblingConnection() throws -> PostgresConnection {
        if let second { return second }
        let made = try Self.connect(uri)
        second = made
        return made
    }

    /// Calls `concord.<function>(arguments…)` and returns its result as text (JSON for most).
    /// `idempotent`: the call may be repeated after a lost connection because the function
    /// recognises a repeat (a submission's client-made id); otherwise a connection lost
    /// before the answer leaves the outcome unknown, and the caller is told exactly that.
    @discardableResult
    func call(_ function: String, _ arguments: [any SQLBindable], idempotent: Bool = false) throws -> String? {
        let placeholders = arguments.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        let sql = "SELECT concord.\(function)(\(placeholders))::text AS result"
        return try withConnection(retrying: idempotent) { connection in
            try connection.execute(sql, arguments.map { PostgresDatabase.text($0.sqlValue) }).rows.first?.first ?? nil
        }
    }

    /// Runs `body` with the connection inside one transaction (bulk import: COPY into a
    /// temporary table, then the function that checks and moves the rows).
    func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection(retrying: false) { connection in try connection.transaction { try body(connection) } }
    }

    /// Readies the connection for the workbench's commits (`concord.warm_up`, which writes
    /// nothing and takes no lock: PostgresOperations+Work.swift says why), now and on every
    /// connection made again after one was lost. `actingAs`: the `p_as` of the commits to
    /// come. Best effort: a failure here costs only the speed it was for, and the commit
    /// itself reports whatever is wrong.
    func warmUpCommits(actingAs: String?) {
        lock.lock()
        defer { lock.unlock() }
        warmUpActingAs = .some(actingAs)
        if let connection { Self.warmUp(connection, actingAs: actingAs) }
    }

    /// Whether `warmUpCommits` was asked for, and for whom (`.some(nil)`: oneself).
    private var warmUpActingAs: String??

    private static func warmUp(_ connection: PostgresConnection, actingAs: String?) {
        _ = try? connection.execute("SELECT concord.warm_up($1)", [actingAs])
    }

    /// A second connection of the same login, for LISTEN (the live dashboard and queue).
    func listener() throws -> PostgresConnection {
        let connection = try Self.connect(uri)
        do {
            try connection.listen(to: "concord")
        } catch {
            throw Self.storeError(error, displayURI: displayURI)
        }
        return connection
    }

    /// How many commits the LISTEN connection has heard of (`pg_notify('concord', …)`, sent
    /// by every write function at COMMIT): the PostgreSQL store's `dataVersion`. The first
    /// call starts listening; each call only drains what arrived, without waiting.
    func changeCount() throws -> Int {
        listenLock.lock()
        defer { listenLock.unlock() }
        if listening == nil {
            // While the server is away there is nothing to hear; ask again next time.
            guard let made = try? listener() else { return heard }
            listening = made
            // Commits made before LISTEN began were not heard: count one change, so a live
            // view reads once after listening (again) and misses none of them.
            heard += 1
        }
        do {
            while try listening!.nextNotification(timeout: .zero) != nil { heard += 1 }
        } catch let error as PostgresError where error.kind == .connectionLost {
            listening = nil
            heard += 1
        }
        return heard
    }

    private let listenLock = NSLock()
    private var listening: PostgresConnection?
    private var heard = 0

    // MARK: The one connection

    private func withConnection<T>(retrying: Bool, _ body: (PostgresConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let deadline = ContinuousClock.now + reconnectWindow
        var attempt = 0
        while true {
            do {
                let connection = try current()
                return try body(connection)
            } catch let error as PostgresError where error.kind == .connectionLost || error.kind == .unreachable || Self.isRestarting(error) {
                connection = nil
                guard retrying else {
                    throw StoreError(.project, "lost the connection to PostgreSQL at \(displayURI) before it answered: "
                                     + "the change may or may not have been saved; check with concord status before repeating it")
                }
                guard ContinuousClock.now < deadline else {
                    throw StoreError(.project, "lost the connection to PostgreSQL at \(displayURI) and could not reconnect for "
                                     + "\(reconnectWindow.components.seconds) s: \(error.serverMessage); nothing unsent was saved; try again when the server is back")
                }
                attempt += 1
                StoreLog.write("reconnecting to PostgreSQL at \(displayURI)… (attempt \(attempt))")
                Thread.sleep(forTimeInterval: min(0.1 * Double(1 << min(attempt, 4)), 1.0))
            } catch let error as PostgresError {
                throw Self.storeError(error, displayURI: displayURI)
            }
        }
    }

    /// A server that is starting up, recovering or shutting down refuses connections for a
    /// moment ("FATAL: the database system is starting up", SQLSTATE 57P03, which libpq
    /// gives only as text): during a restart that is part of being away, not a refusal.
    static func isRestarting(_ error: PostgresError) -> Bool {
        error.kind == .cannotConnect && error.serverMessage.contains("the database system is ")
    }

    /// The live connection, made again when the last one was lost.
    private func current() throws -> PostgresConnection {
        if let connection { return connection }
        let made = try PostgresConnection(uri: uri)
        try Self.prepare(made)
        if let actingAs = warmUpActingAs { Self.warmUp(made, actingAs: actingAs) }
        connection = made
        return made
    }

    /// A PostgreSQL failure in the Store's terms: the functions' refusals (SQLSTATE 42501,
    /// 22023, P0002, 23xxx) carry the same one-line wording as the SQLite store's; anything
    /// else is the server's own line.
    static func storeError(_ error: Error, displayURI: String?) -> Error {
        guard let error = error as? PostgresError else { return error }
        switch (error.kind, error.sqlState) {
        case (.statementFailed, "42501"?):
            return StoreError(.permission, error.serverMessage)
        case (.statementFailed, "22023"?) where !error.detailLines.isEmpty:
            return StoreError(.input, error.primaryMessage, details: error.detailLines)   // an import's problems, one per line
        case (.statementFailed, let state?) where state == "22023" || state == "P0002" || state.hasPrefix("23"):
            return StoreError(.input, error.serverMessage)
        default:
            return StoreError(.project, error.description)
        }
    }
}
