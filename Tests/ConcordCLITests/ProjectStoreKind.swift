import Foundation
import Testing
import PostgresClient
import PostgresTestSupport

/// Which store a CLI test's project lives in. Issue 16: the end-to-end tests run on both
/// (parameterised, not copied), so a suite takes `StoreKind.available` as an argument and
/// `Project`, `Standard` and `sql` do the store-specific part (docs/server.md).
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// The kinds this machine can run: the PostgreSQL cases need root and Debian's
    /// postgresql package (scripts/deps.sh test installs it). Where either is missing the
    /// PostgreSQL cases are not made at all, so they cannot pass by doing nothing.
    /// `CONCORD_TEST_STORES=sqlite` leaves them out on purpose (a quicker run while working).
    static let available: [StoreKind] = SharedCluster.available && ProcessInfo.processInfo.environment["CONCORD_TEST_STORES"] != "sqlite"
        ? [.sqlite, .postgres] : [.sqlite]

    /// `available` minus SQLite: for a case that exists only to check the PostgreSQL store.
    static let postgresIfAvailable: [StoreKind] = available.filter { $0 == .postgres }

    /// SQLite prints a REAL that holds a whole number as "1.0", PostgreSQL's double precision
    /// as "1": the same stored value in each store's own spelling.
    func real(_ sqliteSpelling: String) -> String {
        self == .postgres && sqliteSpelling.hasSuffix(".0") ? String(sqliteSpelling.dropLast(2)) : sqliteSpelling
    }

    /// A project's location as concord prints it: a path as it is; a URI as every PostgreSQL
    /// message shows it (`redacted`: quoted, a password hidden, cut at 80 characters; its
    /// own tests pin that, so these tests need not spell each cut).
    func shown(_ location: String) -> String {
        self == .postgres ? redacted(location) : location
    }

    /// SQLite's `group_concat(x, sep)` over rows in `order`, in this store's dialect.
    func joined(_ expression: String, separator: String, orderBy order: String) -> String {
        self == .sqlite ? "group_concat(\(expression), '\(separator)')" : "string_agg(\(expression), '\(separator)' ORDER BY \(order))"
    }
}

/// The PostgreSQL side of the fixture: each project is a fresh database in the test process's
/// one shared cluster (Tests/PostgresTestSupport/SharedCluster.swift), owned by the test's
/// login with CREATEROLE, as a DBA makes one for `concord init` (docs/server.md). Tests look
/// behind concord's back with `psql` as the cluster's superuser, as sqlite3 does on the file.
enum PostgresProjects {
    static let psql = PostgresCluster.binaries + "/psql"

    /// An empty database for `concord init`, owned by `testLogin` (who thus becomes the
    /// project's admin, as on SQLite).
    static func freshDatabase() throws -> String {
        try SharedCluster.freshDatabase(owner: testLogin)
    }

    /// The URI that connects to `database` as `user`: on PostgreSQL the acting rater is the
    /// server's session_user, so acting as someone is connecting as them.
    static func uri(_ database: String, as user: String = testLogin) -> String {
        SharedCluster.uri(database: database, user: user)
    }

    /// A person has a login role (the DBA's `createuser NAME`) before an admin runs
    /// `concord rater add NAME`, which then grants it the project's group role. Roles are
    /// cluster-wide and shared by every test's database; a name no login may have
    /// (`bad name` in a refusal test) is left alone.
    static func ensureLogin(_ name: String) throws {
        guard !name.isEmpty, name.utf8.count <= 63,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else { return }
        try SharedCluster.ensureLogin(name)
    }

    /// Runs `sql` with psql as the superuser on `database`, schema `concord` first on the
    /// search path (as concord's own connections have it): rows unaligned, `|` between
    /// fields, one line each, as `sqlite3 -batch` prints them.
    @discardableResult
    static func run(_ database: String, _ sql: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let file = try CLI.temporaryFile(sql, name: "query.sql")
        defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
        let result = try Tool.run(psql, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-f", file,
                                         "-d", uri(database, as: PostgresCluster.superuser)],
                                  environment: ["PGOPTIONS": "-c search_path=concord,public -c client_min_messages=warning"])
        try #require(result.status == 0 && result.stderr.isEmpty, "psql \(sql): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Drops a test's database when it is done with it (a hundred would fill the temporary
    /// directory with copies of template0). Connections left by a killed concord are cut.
    static func drop(_ database: String) {
        _ = try? Tool.run(psql, ["-X", "-q", "-c", "DROP DATABASE IF EXISTS \"\(database)\" WITH (FORCE)",
                                 "-d", uri("postgres", as: PostgresCluster.superuser)])
    }
}
