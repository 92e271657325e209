import Foundation
import Testing
import PostgresTestSupport

/// `--project postgresql://…` that cannot be used (issue 16): a malformed URI, no server, a
/// refused password, a missing database, a database that is not a concord project, `init` on
/// one that is not empty, and a login with no concord role each print exactly one line that
/// says what to do, exit 2, and change nothing, for a reading command and a writing one. And
/// what works: CONCORD_PROJECT takes a URI, and `init` names the admin it made (the server's
/// session_user, docs/server.md).
@Suite(.enabled(if: SharedCluster.available, "needs root and Debian's postgresql package (scripts/deps.sh test)"))
struct PostgresURITests {
    enum Bad: String, CaseIterable, Sendable {
        case malformed, malformedWithPassword, unreachable, wrongPassword, noPassword, missingDatabase
        case emptyDatabase, foreignDatabase, noConcordRole
    }

    /// A reading and a writing command.
    static let commands: [[String]] = [["status"], ["rater", "add", "zed", "--role", "rater"]]

    static let cases: [(Bad, [String])] = Bad.allCases.flatMap { bad in commands.map { (bad, $0) } }

    /// A role that must give its password (the cluster's pg_hba.conf asks it for SCRAM).
    /// The two commands' cases run at once on the shared cluster: both may find no role and
    /// create it, so the loser's duplicate is taken as done (a make test run saw the unique violation).
    static func ensurePasswordUser() throws {
        try PostgresProjects.run("postgres", """
            DO $$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(PostgresCluster.passwordUser)') THEN
                    CREATE ROLE \(PostgresCluster.passwordUser) LOGIN PASSWORD 'right';
                END IF;
            EXCEPTION WHEN unique_violation OR duplicate_object THEN
                NULL;
            END $$;
            """)
    }

    /// A database with a table of someone else's in it, and no concord schema.
    static func foreignDatabase() throws -> String {
        let database = try PostgresProjects.freshDatabase()
        try PostgresProjects.run(database, "CREATE TABLE public.invoices (id bigint PRIMARY KEY, total numeric);")
        return database
    }

    /// The schemas and tables a database holds outside the system's, to show nothing was made.
    static func contents(_ database: String) throws -> String {
        try PostgresProjects.run(database, """
            SELECT n.nspname || '.' || coalesce(c.relname, '') FROM pg_namespace n
            LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind = 'r'
            WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' ORDER BY 1;
            """)
    }

    /// A URI as concord's messages show it (see StoreKind.shown).
    func shown(_ uri: String) -> String { StoreKind.postgres.shown(uri) }

    /// The URI, the whole line concord must print, and a check that nothing changed.
    func setUp(_ bad: Bad) throws -> (uri: String, line: String, unchanged: () throws -> Void) {
        let standard = try Standard.forReading(.postgres)
        let projectUnchanged: () throws -> Void = {
            let after = try standard.snapshot(), before = try Standard.snapshot(.postgres)
            #expect(after == before)
        }
        let owner = PostgresProjects.uri(standard.database!)
        let socket = String(owner[owner.range(of: "?host=")!.upperBound...])
        switch bad {
        case .malformed:
            return ("postgresql://[bad", #"not a PostgreSQL connection URI: 'postgresql://[bad': end of string reached when looking for matching "]" in IPv6 host address in URI: "postgresql://[bad"; write postgresql:///DBNAME?host=/SOCKET/DIR or postgresql://USER@HOST/DBNAME"#, {})
        case .malformedWithPassword:
            // libpq repeats the URI in its message: the password must not come with it.
            return ("postgresql://alice:s3cret@[bad/db", #"not a PostgreSQL connection URI: 'postgresql://alice:***@[bad/db': end of string reached when looking for matching "]" in IPv6 host address in URI: "postgresql://alice:***@[bad/db"; write postgresql:///DBNAME?host=/SOCKET/DIR or postgresql://USER@HOST/DBNAME"#, {})
        case .unreachable:
            // Short: a socket path has at most 107 bytes, and the scratch root's is long.
            let empty = "/tmp/concord-no-server-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
            let uri = "postgresql://\(testLogin)@/concord?host=\(empty)"
            return (uri, "no PostgreSQL server answers for \(shown(uri)): connection to server on socket \"\(empty)/.s.PGSQL.5432\" failed: "
                    + "No such file or directory; start the server, or correct the host, port or socket directory in the URI",
                    { try? FileManager.default.removeItem(atPath: empty) })
        case .wrongPassword:
            try Self.ensurePasswordUser()
            let uri = owner.replacingOccurrences(of: "//\(testLogin)@", with: "//\(PostgresCluster.passwordUser):wrong@")
            return (uri, "the PostgreSQL server for \(shown(uri)) refused user '\(PostgresCluster.passwordUser)': password authentication failed for user "
                    + "\"\(PostgresCluster.passwordUser)\"; check the user name and password (~/.pgpass or PGPASSWORD), or ask its administrator for a login role",
                    projectUnchanged)
        case .noPassword:
            try Self.ensurePasswordUser()
            let uri = PostgresProjects.uri(standard.database!, as: PostgresCluster.passwordUser)
            return (uri, "the PostgreSQL server for \(shown(uri)) refused user '\(PostgresCluster.passwordUser)': connection to server on socket "
                    + "\"\(socket)/.s.PGSQL.5432\" failed: fe_sendauth: no password supplied; check the user name and password (~/.pgpass or PGPASSWORD), "
                    + "or ask its administrator for a login role", projectUnchanged)
        case .missingDatabase:
            let uri = PostgresProjects.uri("no_such_project")
            return (uri, "the PostgreSQL server for \(shown(uri)) has no database 'no_such_project'; ask its administrator to create it (createdb), "
                    + "or correct the database name in the URI", {})
        case .emptyDatabase, .foreignDatabase:
            let database = bad == .emptyDatabase ? try PostgresProjects.freshDatabase() : try Self.foreignDatabase()
            let before = try Self.contents(database)
            let uri = PostgresProjects.uri(database)
            return (uri, "\(shown(uri)) is not a concord project: its database has no concord schema; create one in an empty database with: concord init --project URI",
                    { () throws in
                        let after = try Self.contents(database)
                        #expect(after == before)
                    })
        case .noConcordRole:
            try PostgresProjects.ensureLogin("stranger")
            let uri = PostgresProjects.uri(standard.database!, as: "stranger")
            return (uri, "stranger is not a rater in the project at \(shown(uri)); an admin can add you with: concord rater add stranger --role rater",
                    projectUnchanged)
        }
    }

    @Test(arguments: cases)
    func aBadLocationIsOneLineAndExit2(_ bad: Bad, _ command: [String]) throws {
        let (uri, line, unchanged) = try setUp(bad)
        let result = try CLI.run(command + ["--project", uri])
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr == "concord: \(line)\n")
        #expect(!result.stderr.contains(":wrong@") && !result.stderr.contains("s3cret"), "a password was printed")
        try unchanged()
    }

    /// `init` refuses a database that holds anything: someone else's tables, or a project.
    @Test func initRefusesADatabaseThatIsNotEmpty() throws {
        let foreign = try Self.foreignDatabase()
        let before = try Self.contents(foreign)
        let standard = try Standard.forReading(.postgres)
        for database in [foreign, standard.database!] {
            let result = try CLI.run(["init", "--project", PostgresProjects.uri(database)])
            #expect(result.status == 2)
            #expect(result.stdout == "")
            #expect(result.stderr == "concord: the PostgreSQL database '\(database)' is not empty: concord init needs an empty database; "
                    + "ask the DBA for a new one (createdb -O \(testLogin) NAME)\n")
        }
        #expect(try Self.contents(foreign) == before)
        #expect(try standard.snapshot() == (try Standard.snapshot(.postgres)))
    }

    /// The admin is whoever the server says connected (session_user), not the OS login:
    /// here a DBA-made login `dba_anna` that owns the database.
    @Test func initNamesTheSessionUserAsAdmin() throws {
        let database = try SharedCluster.freshDatabase(owner: "dba_anna")
        let uri = PostgresProjects.uri(database, as: "dba_anna")
        let result = try CLI.run(["init", "--project", uri, "--name", "w48"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        #expect(result.stdout == "created project 'w48' at \(shown(uri)); dba_anna is its admin\n")
        let raters = try CLI.run(["rater", "list", "--format", "json", "--project", uri])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(raters.stdout.utf8)) as? [[String: String]])
        #expect(list.map { "\($0["name"]!):\($0["role"]!)" } == ["dba_anna:admin"])
        #expect(try PostgresProjects.run(database, "SELECT actor || '|' || action FROM audit_event ORDER BY seq;") == "dba_anna|init\n")
    }

    /// CONCORD_PROJECT=URI is --project URI, for reading and for writing.
    @Test func theEnvironmentTakesAURI() throws {
        let project = try Standard.copy(.postgres)
        defer { project.remove() }
        let status = try CLI.run(["status"], environment: ["CONCORD_PROJECT": project.db])
        #expect(status.status == 0 && status.stderr == "")
        #expect(status.stdout == (try project.ok(["status"])))
        try PostgresProjects.ensureLogin("zoe")
        let added = try CLI.run(["rater", "add", "zoe", "--role", "rater"], environment: ["CONCORD_PROJECT": project.db])
        #expect(added.status == 0 && added.stderr == "")
        #expect(added.stdout == "zoe is now a rater\n")
        #expect(try project.lastEvent() == "\(testLogin)|rater.add")
        // --project wins over the environment.
        let both = try CLI.run(["status", "--project", project.db], environment: ["CONCORD_PROJECT": "postgresql://[bad"])
        #expect(both.status == 0 && both.stdout == status.stdout)
    }
}
