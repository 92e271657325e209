import Foundation
import PostgresClient
import PostgresTestSupport
@testable import Store
import Testing

/// The PostgreSQL side of Store's one SQL interface and its connection: placeholders,
/// values typed as SQLite's storage classes, read snapshots, and reconnecting after the
/// server restarts.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresProjectTests {
    @Test func placeholdersAreNumberedOutsideQuotesAndComments() {
        #expect(PlaceholderCache.number("SELECT a FROM t WHERE a = ? AND b = ?") == "SELECT a FROM t WHERE a = $1 AND b = $2")
        #expect(PlaceholderCache.number("SELECT '?' AS q, \"x?\" FROM t WHERE a = ?") == "SELECT '?' AS q, \"x?\" FROM t WHERE a = $1")
        #expect(PlaceholderCache.number("SELECT 1 -- what?\nFROM t WHERE a IN (?, ?)") == "SELECT 1 -- what?\nFROM t WHERE a IN ($1, $2)")
        #expect(PlaceholderCache.number("SELECT 'it''s ?' WHERE a = ?") == "SELECT 'it''s ?' WHERE a = $1")
    }

    @Test func valuesComeBackAsTheSameKindsSQLiteStores() throws {
        try PostgresCluster.with { cluster in
            let connection = try PostgresConnection(uri: cluster.uri())
            let db = PostgresDatabase(connection: connection, statements: PlaceholderCache())
            try db.execute("CREATE TABLE t (i bigint, r double precision, s text, n bigint)", [])
            let reals = [0.1, 1e300, -0.0, 2.0, 5e-324, -123.456]
            for (i, r) in reals.enumerated() {
                try db.execute("INSERT INTO t (i, r, s, n) VALUES (?, ?, ?, ?)", [Int64(i) - 3, r, "text \(i) '?'", SQLValue.null])
            }
            let rows = try db.rows("SELECT i, r, s, n FROM t ORDER BY i")
            #expect(rows.map { $0.value("i") } == (0..<reals.count).map { SQLValue.integer(Int64($0) - 3) })
            // Bit-exact reals (the audit digest hashes the bit pattern).
            #expect(rows.map { ($0["r"] as Double).bitPattern } == reals.map(\.bitPattern))
            #expect(rows.map { $0.value("s") } == (0..<reals.count).map { SQLValue.text("text \($0) '?'") })
            #expect(rows.allSatisfy { ($0["n"] as Int64?) == nil })
            // Aggregates: count is bigint, sum of integers numeric, a comparison boolean.
            let totals = try #require(try db.row("SELECT count(*) AS c, sum(i) AS s, avg(i) AS a, bool_or(i > 1) AS b FROM t"))
            #expect(totals.value("c") == .integer(6))
            #expect(totals.value("s") == .integer(-3))
            #expect(totals["a"] as Double == -0.5)
            #expect(totals["b"] as Bool == true)
            #expect(try db.value(String.self, "SELECT s FROM t WHERE i = ?", [Int64(-3)]) == "text 0 '?'")
        }
    }

    @Test func aDatabaseWithoutTheConcordSchemaIsNotAProject() throws {
        try PostgresCluster.with { cluster in
            try cluster.createDatabase("plain")
            let error = #expect(throws: StoreError.self) { try PostgresProject(uri: cluster.uri(database: "plain")) }
            #expect(error?.kind == .project)
            #expect(error?.message == "\(redacted(cluster.uri(database: "plain"))) is not a concord project: its database has no concord schema; create one in an empty database with: concord init --project URI")
        }
    }

    /// `pg_ctl restart -m immediate` under an open connection: the next read reconnects, says
    /// so through StoreLog, and returns the committed value; a non-idempotent call that lost
    /// its connection says its outcome is unknown instead of repeating it.
    @Test func readsReconnectAfterAnImmediateRestart() throws {
        try PostgresCluster.with { cluster in
            let project = try PostgresProject(uri: cluster.uri(), reconnectWindow: .seconds(60), requireProject: false)
            try project.transaction { connection in
                try connection.execute("CREATE TABLE public.kept (v text)")
                try connection.execute("INSERT INTO public.kept VALUES ('committed')")
            }
            let messages = LogLines()
            StoreLog.setSink { messages.append($0) }
            defer { StoreLog.setSink(nil) }
            try restart(cluster)
            let value = try project.read { db in try db.value(String.self, "SELECT v FROM public.kept") }
            #expect(value == "committed")
            #expect(messages.lines.contains { $0.hasPrefix("reconnecting to PostgreSQL at 'postgresql://postgres@/postgres?host=") })

            try restart(cluster)
            let lost = #expect(throws: StoreError.self) { try project.call("no_such_function", []) }
            #expect(lost?.message.contains("before it answered: the change may or may not have been saved") == true)
        }
    }

    private func restart(_ cluster: PostgresCluster) throws {
        try PostgresCluster.run("/bin/bash", ["-c", PostgresCluster.closeInheritedDescriptors, "close-fds",
                                              "/usr/sbin/runuser", "-u", PostgresCluster.osUser, "--",
                                              "\(PostgresCluster.binaries)/pg_ctl", "-D", cluster.dataDirectory, "-m", "immediate",
                                              "-w", "-t", "60", "-o", "-k \(cluster.directory) -c listen_addresses=''", "-l",
                                              cluster.directory + "/server.log", "restart"], cwd: cluster.directory)
    }
}

final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.lock(); stored.append(line); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}
