import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PostgresClient

/// One private PostgreSQL cluster for the whole test process, for suites that run the same
/// test on both stores (issue 16: "parameterised, not copied"). Starting a cluster costs about
/// a second, so a cluster per test would dominate a suite of hundreds of small cases; instead
/// every test gets a fresh, empty database of its own in one cluster (`freshDatabase`), which
/// keeps tests as isolated as separate clusters would for everything but roles, which are
/// cluster-wide (tests share login roles such as `alice`; each database's own group roles
/// carry its name, so two projects never share one).
///
/// The cluster is a `PostgresCluster` (trust on a 0700 socket directory: the test process,
/// running as root, connects as any role by naming it in the URI), started on first use
/// (thread-safe: Swift Testing runs tests in parallel) and stopped by an `atexit` handler
/// when the process exits normally.
///
/// A test process that crashes or is killed cannot run `atexit`: its server keeps running
/// with its data under `$TMPDIR/concord-pg-XXXXXX/data`. `make test` runs the tests in a fresh
/// TMPDIR and stops any server left there before removing it:
/// `for d in $TMPDIR/concord-pg-*/data; do [ -f $d/postmaster.pid ] && runuser -u concord-pg -- /usr/lib/postgresql/15/bin/pg_ctl -D $d -m immediate -w stop; done`.
public enum SharedCluster {
    /// What the cluster needs (root, runuser, Debian's PostgreSQL 15); suites skip without it.
    public static var available: Bool { PostgresCluster.available }

    /// Creates a login role `owner` with CREATEROLE when missing (what a DBA gives the person
    /// who runs `concord init`) and an empty database it owns, with C collation so text sorts
    /// by bytes as SQLite's does. Returns the database's name: unique in this process and at
    /// most 48 bytes (the longest name `concord init` accepts).
    ///
    /// `icuLocale` (e.g. "en-US") makes the database's default collation that ICU locale's
    /// instead, as a DBA's `createdb` on a server set up for English would: "Zoe" then sorts
    /// after "alice", so a test can show that concord's order does not depend on the
    /// server's locale (ICU needs no OS locale installed).
    public static func freshDatabase(owner: String, icuLocale: String? = nil) throws -> String {
        try state.withAdmin { admin, number in
            let name = "concord_t\(number)"
            try createRoleIfMissing(owner, attributes: "LOGIN CREATEROLE", admin: admin)
            let locale = icuLocale.map { "LOCALE_PROVIDER icu ICU_LOCALE '\($0.replacingOccurrences(of: "'", with: "''"))'" } ?? ""
            try admin.execute("CREATE DATABASE \(identifier(name)) OWNER \(identifier(owner)) TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C' \(locale) ENCODING 'UTF8'")
            return name
        }
    }

    /// A libpq URI for `database` as the role `user` over the shared cluster's socket. Call it
    /// after `freshDatabase` (which starts the cluster); before, it is a programmer error.
    public static func uri(database: String, user: String) -> String {
        guard let cluster = state.startedCluster else {
            preconditionFailure("SharedCluster.uri before the cluster started: call SharedCluster.freshDatabase first")
        }
        return cluster.uri(database: database, user: user.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? user)
    }

    /// `CREATE ROLE name LOGIN` when missing. Roles are cluster-wide: every test database sees
    /// the same `alice`, which is what lets two tests use the same person.
    public static func ensureLogin(_ name: String) throws {
        _ = try state.withAdmin { admin, _ in try createRoleIfMissing(name, attributes: "LOGIN", admin: admin) }
    }

    private static func createRoleIfMissing(_ name: String, attributes: String, admin: PostgresConnection) throws {
        let exists = try admin.execute("SELECT 1 FROM pg_roles WHERE rolname = $1", [name])
        if exists.rows.isEmpty { try admin.execute("CREATE ROLE \(identifier(name)) \(attributes)") }
    }

    /// A quoted SQL identifier: test names are fixed strings, but a quote must not end one.
    private static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static let state = State()

    /// The cluster and one superuser connection, both behind one lock: libpq connections are
    /// for one thread at a time, and role creation must not race (two tests adding `alice`).
    private final class State: @unchecked Sendable {
        private let lock = NSLock()
        private var cluster: PostgresCluster?
        private var startFailure: Error?
        private var admin: PostgresConnection?
        private var databases = 0

        var startedCluster: PostgresCluster? {
            lock.lock()
            defer { lock.unlock() }
            return cluster
        }

        /// Runs `body` with the superuser connection and a new database number, starting the
        /// cluster on first use. A failed start is remembered and rethrown: one slow failure,
        /// not one per test.
        func withAdmin<T>(_ body: (PostgresConnection, Int) throws -> T) throws -> T {
            lock.lock()
            defer { lock.unlock() }
            if let startFailure { throw startFailure }
            if cluster == nil {
                do {
                    let started = try PostgresCluster()
                    cluster = started
                    atexit { SharedCluster.state.stopAtExit() }
                } catch {
                    startFailure = error
                    throw error
                }
            }
            if admin == nil, let cluster { admin = try PostgresConnection(uri: cluster.uri()) }
            databases += 1
            return try body(admin!, databases)
        }

        /// Closes the connection, then stops the server and removes its directory.
        func stopAtExit() {
            lock.lock()
            defer { lock.unlock() }
            admin = nil
            cluster?.stop()
            cluster = nil
        }
    }
}
