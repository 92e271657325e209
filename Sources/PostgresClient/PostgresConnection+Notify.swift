import CLibPQ
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One NOTIFY received on a channel this connection listens to.
public struct PostgresNotification: Equatable, Sendable {
    public let channel: String
    public let payload: String
    /// The server process that sent it (`pg_backend_pid()` of the notifying session).
    public let senderPID: Int32
}

extension PostgresConnection {
    /// Starts receiving NOTIFYs on `channel` (quoted as an identifier, so any name is safe).
    public func listen(to channel: String) throws {
        guard let escaped = PQescapeIdentifier(connection, channel, channel.utf8.count) else { throw lost() }
        defer { PQfreemem(escaped) }
        try execute("LISTEN " + String(cString: escaped))
    }

    /// Sends a NOTIFY through `pg_notify`, so channel and payload are bound parameters. Inside
    /// a transaction it is delivered at COMMIT, and not at all on ROLLBACK.
    public func notify(_ channel: String, payload: String = "") throws {
        try execute("SELECT pg_notify($1, $2)", [channel, payload])
    }

    /// The next notification, waiting at most `timeout` for one; `nil` when none came. It reads
    /// what has arrived (PQconsumeInput), and only when nothing is queued sleeps in `poll` on
    /// the connection's socket until data or the deadline: no busy loop, no thread.
    public func nextNotification(timeout: Duration) throws -> PostgresNotification? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            guard PQconsumeInput(connection) == 1 else { throw lost() }
            if let notice = PQnotifies(connection) {
                defer { PQfreemem(notice) }
                return PostgresNotification(channel: String(cString: notice.pointee.relname),
                                            payload: String(cString: notice.pointee.extra),
                                            senderPID: notice.pointee.be_pid)
            }
            let remaining = deadline - clock.now
            if remaining <= .zero { return nil }
            let socket = PQsocket(connection)
            guard socket >= 0 else { throw lost() }
            // Round up, so a wait of 0.4 ms is not a 0 ms spin.
            let milliseconds = Int32(clamping: remaining.components.seconds * 1000
                + (remaining.components.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, milliseconds) < 0 && errno != EINTR {
                throw PostgresError(.connectionLost, serverMessage: String(cString: strerror(errno)), description:
                    "cannot wait for PostgreSQL notifications at \(displayURI): \(String(cString: strerror(errno)))")
            }
        }
    }
}
