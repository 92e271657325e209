import Foundation
import PostgresClient
import PostgresTestSupport
import Printable
import Testing

/// The four usual ways a connection fails, each one line naming what, where and what to do;
/// and the harness's own promise: no server is left running after a test.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct ConnectionFailureTests {
    func failure(_ uri: String) -> PostgresError? {
        #expect(throws: PostgresError.self) { _ = try PostgresConnection(uri: uri) }
    }

    @Test func eachBadConnectionGivesItsOwnOneLine() throws {
        try PostgresCluster.with { cluster in
            let malformed = failure("postgresql:///concord_w48?hots=/tmp")
            #expect(malformed?.kind == .malformedURI)
            #expect(malformed?.description == #"not a PostgreSQL connection URI: 'postgresql:///concord_w48?hots=/tmp': invalid URI query parameter: "hots"; write postgresql:///DBNAME?host=/SOCKET/DIR or postgresql://USER@HOST/DBNAME"#)

            let noDatabase = failure(cluster.uri(database: "concord_w48"))
            #expect(noDatabase?.kind == .noSuchDatabase)
            #expect(noDatabase?.description == "the PostgreSQL server for \(quoted(cluster.uri(database: "concord_w48"))) has no database 'concord_w48'; ask its administrator to create it (createdb), or correct the database name in the URI")

            let admin = try PostgresConnection(uri: cluster.uri())
            try admin.execute("CREATE ROLE \(PostgresCluster.passwordUser) LOGIN PASSWORD 'right horse'")
            let wrongPassword = failure(cluster.uri(user: PostgresCluster.passwordUser, extra: "&password=wrong"))
            #expect(wrongPassword?.kind == .authenticationFailed)
            // The password is never shown: the URI appears with "***" in its place.
            let shown = quoted(cluster.uri(user: PostgresCluster.passwordUser, extra: "&password=***"))
            #expect(wrongPassword?.description == #"the PostgreSQL server for \#(shown) refused user 'concord_pw': password authentication failed for user "concord_pw"; check the user name and password (~/.pgpass or PGPASSWORD), or ask its administrator for a login role"#)
            // The right password gets in: the refusal above was about the password alone.
            _ = try PostgresConnection(uri: cluster.uri(user: PostgresCluster.passwordUser, extra: "&password=right%20horse"))

            let noRole = failure(cluster.uri(user: "mallory"))
            #expect(noRole?.kind == .authenticationFailed)
            #expect(noRole?.description == #"the PostgreSQL server for \#(quoted(cluster.uri(user: "mallory"))) refused user 'mallory': role "mallory" does not exist; check the user name and password (~/.pgpass or PGPASSWORD), or ask its administrator for a login role"#)
        }
        // A socket directory where no server runs.
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-server-\(getpid())").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let nowhere = "postgresql:///concord_w48?host=\(empty)"
        let unreachable = failure(nowhere)
        #expect(unreachable?.kind == .unreachable)
        #expect(unreachable?.description == #"no PostgreSQL server answers for \#(quoted(nowhere)): connection to server on socket "\#(empty)/.s.PGSQL.5432" failed: No such file or directory; start the server, or correct the host, port or socket directory in the URI"#)
    }

    /// A password in the user-info part or as `password=` never reaches a message.
    @Test func passwordsAreRedactedFromMessages() {
        let error = failure("postgresql://alice:s3cret@db.example.org/w48?password=x&bogus=1")
        #expect(error?.kind == .malformedURI)
        #expect(error?.description == #"not a PostgreSQL connection URI: 'postgresql://alice:***@db.example.org/w48?password=***&bogus=1': invalid URI query parameter: "bogus"; write postgresql:///DBNAME?host=/SOCKET/DIR or postgresql://USER@HOST/DBNAME"#)
    }

    struct Failed: Error {}

    @Test func theServerStopsEvenWhenTheTestFails() throws {
        var dataDirectory = ""
        #expect(throws: Failed.self) {
            try PostgresCluster.with { cluster in
                dataDirectory = cluster.dataDirectory
                #expect(try PostgresCluster.serverProcesses(dataDirectory: dataDirectory).count == 1)
                throw Failed()
            }
        }
        #expect(!dataDirectory.isEmpty)
        #expect(try PostgresCluster.serverProcesses(dataDirectory: dataDirectory) == [])
        #expect(!FileManager.default.fileExists(atPath: dataDirectory))
    }
}
