import PostgresClient

/// A second connection of the same login that sees exactly what one read transaction sees:
/// its own REPEATABLE READ READ ONLY transaction, started on the snapshot the read exports
/// (`pg_export_snapshot()`, then `SET TRANSACTION SNAPSHOT` before its first query).
///
/// A read can then run two big statements at once, one per connection, and the server's
/// two backends (and the client's two parsing threads) work side by side while the read
/// still describes one moment. The login is the same, so row security is the same: the
/// second connection reads nothing the first could not. Made only when a read asks for
/// it (`CurrentLabelColumns.readCopy`); every other read never opens it.
final class SnapshotSibling {
    private let main: PostgresConnection
    private let connect: () throws -> PostgresConnection
    private var joined: PostgresConnection?
    /// The connection was made but failed on the way: the project must not keep it.
    private var broken = false
    private var unavailable = false

    init(main: PostgresConnection, connect: @escaping () throws -> PostgresConnection) {
        self.main = main
        self.connect = connect
    }

    /// The second connection inside the read's snapshot, or nil when there is none to be had
    /// (no connection slot left, say): the caller then runs its statements one after another
    /// on the read's own connection, with the same result. An error of the read's own
    /// connection (exporting its snapshot) is thrown, as any statement's would be.
    func connection() throws -> PostgresConnection? {
        if let joined { return joined }
        if unavailable { return nil }
        guard let other = try? connect() else {
            unavailable = true
            return nil
        }
        // The server names the snapshot (hex digits and dashes: 00000003-0000001B-1); SET
        // TRANSACTION SNAPSHOT takes only a literal, so anything else is not spliced in.
        let id = try main.execute("SELECT pg_export_snapshot()").rows.first?.first ?? nil
        guard let id, !id.isEmpty, id.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            unavailable = true
            return nil
        }
        do {
            try other.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try other.execute("SET TRANSACTION SNAPSHOT '\(id)'")
        } catch {
            _ = try? other.execute("ROLLBACK")
            unavailable = true
            broken = true
            return nil
        }
        joined = other
        return other
    }

    /// Is the second connection open in the snapshot (a read asked for it and got it)?
    var isJoined: Bool { joined != nil }

    /// Ends the second connection's transaction (it changed nothing); false when that
    /// connection failed and must be made anew next time.
    func end() -> Bool {
        guard let joined else { return !broken }
        self.joined = nil
        do {
            try joined.execute("COMMIT")
            return !broken
        } catch {
            return false
        }
    }
}
