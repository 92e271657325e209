import Foundation
import GRDB
import PostgresClient
import PostgresTestSupport
@testable import Store
import Testing

/// `concord init --project URI`'s part in the database: everything in one transaction, in an
/// empty database only, under role names the database's name can carry.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresSchemaInstallTests {
    @Test func installMakesTheProjectItsAdminAndTheInitEvent() throws {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster, name: "week 48")
            #expect(PostgresSchema.isProject(connection: try project.connect(as: "ada")))
            #expect(try project.column("SELECT name FROM concord.project") == ["week 48"])
            #expect(try project.column("SELECT version FROM concord.schema_version") == ["pg4"])
            #expect(try project.column("SELECT r.name || ':' || rr.role FROM concord.rater r JOIN concord.rater_role rr ON rr.rater_id = r.id")
                    == ["ada:admin"])
            // The init event: Swift's details, the rows it wrote, hashed as Audit.eventHash.
            let event = try #require(try project.connect().execute("SELECT seq, at, actor, action, payload, prev_hash, hash FROM concord.audit_event").rows.first)
            #expect(event[0] == "1" && event[2] == "ada" && event[3] == "init" && event[5] == Audit.genesis)
            #expect(event[6] == Audit.eventHash(prev: event[5]!, seq: 1, at: event[1]!, actor: event[2]!, action: event[3]!, payload: event[4]!))
            let payload = try #require(try JSONSerialization.jsonObject(with: Data(event[4]!.utf8)) as? [String: Any])
            #expect(payload["project"] as? String == "week 48" && payload["admin"] as? String == "ada")
            let rows = try #require(payload["rows"] as? [[String: Any]])
            #expect(rows.map { "\($0["table"]!) \($0["first"]!)-\($0["last"]!)" } == ["rater 1-1", "rater_role 1-1"])
            #expect(Clock.canonical(event[1]!) == event[1]!)
            // Roles: the owner owns everything, and the login is in the admin group, not the owner.
            #expect(try project.column("SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class WHERE relnamespace = 'concord'::regnamespace")
                    == ["concord_t_owner"])
            #expect(try project.column("SELECT DISTINCT pg_get_userbyid(proowner) FROM pg_proc WHERE pronamespace = 'concord'::regnamespace")
                    == ["concord_t_owner"])
            #expect(try project.column("""
                SELECT string_agg(g.rolname, ',' ORDER BY g.rolname) FROM pg_auth_members m
                JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = 'ada'::regrole
                """) == ["concord_t_admin"])
            #expect(try project.column("SELECT rolname FROM pg_roles WHERE rolname LIKE 'concord\\_t\\_%' ORDER BY rolname")
                    == ["concord_t_admin", "concord_t_auditor", "concord_t_lead", "concord_t_model", "concord_t_owner", "concord_t_rater"])
            #expect(try project.column("SELECT bool_or(rolcanlogin) FROM pg_roles WHERE rolname LIKE 'concord\\_t\\_%'") == ["f"])
            // No function is anyone's but by name (PUBLIC executes none).
            #expect(try project.column("""
                SELECT count(*) FROM pg_proc p WHERE pronamespace = 'concord'::regnamespace
                   AND (proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(proacl) a WHERE a.grantee = 0))
                """) == ["0"])
        }
    }

    @Test func aDatabaseHoldingAnythingIsRefusedAndLeftAsItWas() throws {
        try PostgresCluster.with { cluster in
            try InstalledProject.prepare(cluster)
            let project = InstalledProject(cluster: cluster, database: "concord_t", admin: "ada")
            try project.connect(as: "ada").execute("CREATE TABLE notes (line text)")
            let error = #expect(throws: StoreError.self) {
                try PostgresSchema.install(connection: try project.connect(as: "ada"), database: "concord_t", projectName: "t")
            }
            #expect(error?.message == "the PostgreSQL database 'concord_t' is not empty: concord init needs an empty database; ask the DBA for a new one (createdb -O ada NAME)")
            #expect(try project.column("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'concord\\_t\\_%'") == ["0"])
            #expect(try project.column("SELECT count(*) FROM pg_namespace WHERE nspname = 'concord'") == ["0"])
            // A project is not empty either: a second init is refused the same way.
            let installed = try InstalledProject.install(cluster, database: "concord_u", admin: "ulla")
            let again = #expect(throws: StoreError.self) {
                try PostgresSchema.install(connection: try installed.connect(as: "ulla"), database: "concord_u", projectName: "t")
            }
            #expect(again?.message == "the PostgreSQL database 'concord_u' is not empty: concord init needs an empty database; ask the DBA for a new one (createdb -O ulla NAME)")
            #expect(try installed.column("SELECT count(*) FROM concord.audit_event") == ["1"])
        }
    }

    /// The other databases init cannot use, each refused in one line before anything is made.
    @Test func aDatabaseInitCannotUseIsRefusedInOneLine() throws {
        try PostgresCluster.with { cluster in
            let superuser = try PostgresConnection(uri: cluster.uri())
            func refusal(_ database: String, as login: String) -> String? {
                do {
                    let connection = try PostgresConnection(uri: cluster.uri(database: database, user: login))
                    try PostgresSchema.install(connection: connection, database: database, projectName: "t")
                    return nil
                } catch let error as StoreError {
                    return error.message
                } catch {
                    return "\(error)"
                }
            }
            // Not UTF-8: the digests hash UTF-8.
            try superuser.execute("CREATE ROLE ada LOGIN CREATEROLE")
            try superuser.execute("CREATE DATABASE latin OWNER ada ENCODING 'LATIN1' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'")
            #expect(refusal("latin", as: "ada") == "the PostgreSQL database 'latin' is encoded in LATIN1, not UTF8: concord init needs a UTF-8 database; ask the DBA for one (createdb -E UTF8 -T template0 -O ada NAME)")
            // A login that cannot create the project's roles.
            try superuser.execute("CREATE ROLE bea LOGIN")
            try superuser.execute("CREATE DATABASE plain OWNER bea")
            #expect(refusal("plain", as: "bea") == "bea cannot create roles, which concord init needs for the project's roles; ask the DBA to run: ALTER ROLE \"bea\" CREATEROLE")
            // Roles of the project's names left behind by a dropped database of the same name.
            try superuser.execute("CREATE ROLE concord_t_rater NOLOGIN")
            try superuser.execute("CREATE DATABASE concord_t OWNER ada")
            #expect(refusal("concord_t", as: "ada") == "the roles concord_t_rater already exist (left by an earlier project in a database named 'concord_t'?); ask the DBA to drop them (DROP ROLE …) or to create a database of another name")
            #expect(try superuser.execute("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'concord\\_t\\_%' OR rolname LIKE 'latin\\_%' OR rolname LIKE 'plain\\_%'").rows == [["1"]])
        }
    }

    @Test func aNameTooLongForItsRolesIsRefused() throws {
        let name = String(repeating: "w", count: 49)
        #expect(PostgresSchema.databaseNameProblem(name) == "the database name '\(name)' is 49 bytes long; concord names its roles after it (\(name)_owner, …_rater…) and PostgreSQL cuts role names at 63 bytes, so it may have at most 48: ask the DBA for a database with a shorter name")
        #expect(PostgresSchema.databaseNameProblem(String(repeating: "w", count: 48)) == nil)
        #expect(PostgresSchema.databaseNameProblem("week\"48") == "the database name 'week\"48' is not one concord can name roles after; ask the DBA for a database named with letters, digits, '_', '-' or '.' only")
    }

    @Test func aLongNameIsRefusedBeforeAnythingIsCreated() throws {
        try PostgresCluster.with { cluster in
            let name = String(repeating: "w", count: 49)
            try InstalledProject.prepare(cluster, database: name)
            let project = InstalledProject(cluster: cluster, database: name, admin: "ada")
            let error = #expect(throws: StoreError.self) {
                try PostgresSchema.install(connection: try project.connect(as: "ada"), database: name, projectName: "t")
            }
            #expect(error?.kind == .project)
            #expect(error?.message == PostgresSchema.databaseNameProblem(name))
            #expect(try project.column("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'www%'") == ["0"])
        }
    }

    /// A failure after most of the schema exists (an event trigger refuses the last
    /// function made) rolls everything back: no schema, no roles, no membership.
    @Test func aFailureMidwayLeavesTheDatabaseAndClusterAsTheyWere() throws {
        try PostgresCluster.with { cluster in
            try InstalledProject.prepare(cluster)
            let project = InstalledProject(cluster: cluster, database: "concord_t", admin: "ada")
            let superuser = try project.connect()
            try superuser.execute("""
                CREATE FUNCTION public.refuse_current_labels() RETURNS event_trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() WHERE object_identity LIKE 'concord.current_labels%') THEN
                        RAISE EXCEPTION 'refused by the test';
                    END IF;
                END $$
                """)
            try superuser.execute("CREATE EVENT TRIGGER refuse ON ddl_command_end EXECUTE FUNCTION public.refuse_current_labels()")
            let error = #expect(throws: StoreError.self) {
                try PostgresSchema.install(connection: try project.connect(as: "ada"), database: "concord_t", projectName: "t")
            }
            #expect(error?.message == "concord init could not create the project in 'postgresql://ada@/concord_t?host=\(cluster.directory)': refused by the test; nothing was created")
            #expect(try project.column("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'concord\\_t\\_%'") == ["0"])
            #expect(try project.column("SELECT count(*) FROM pg_namespace WHERE nspname = 'concord'") == ["0"])
            #expect(try project.column("SELECT count(*) FROM pg_auth_members WHERE member = 'ada'::regrole") == ["0"])
            #expect(!PostgresSchema.isProject(connection: try project.connect(as: "ada")))
        }
    }

    /// migrate's install: the source's rows as they are, inserted as the owner; afterwards
    /// the chain goes on from the source's head, new ids follow the copied ones, and the
    /// logins are in their roles' groups.
    @Test func aCopiedProjectCarriesOnItsChainAndIds() throws {
        try PostgresCluster.with { cluster in
            let store = try SeededProject.make(SeededProject.People(admin: "ada"))
            try InstalledProject.prepare(cluster)
            let project = InstalledProject(cluster: cluster, database: "concord_t", admin: "ada")
            for login in ["alice", "aud"] { try project.createLogin(login) }
            try PostgresSchema.install(connection: try project.connect(as: "ada"), database: "concord_t") { connection in
                try SeededProject.copyHistory(store, to: connection)
                try SeededProject.copy(store, to: connection)
            }
            let head = try SeededProject.sqlite(store).read { db in
                try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1")!
            }
            #expect(PostgresSchema.isProject(connection: try project.connect(as: "ada")))
            #expect(try project.connect(as: "ada").execute("SELECT concord.add_rater('zoe', 'rater')").rows == [["t"]])
            #expect(try project.column("SELECT id FROM concord.rater WHERE name = 'zoe'") == ["6"])
            let event = try #require(try project.connect().execute("SELECT seq, at, actor, action, payload, prev_hash, hash FROM concord.audit_event ORDER BY seq DESC LIMIT 1").rows.first)
            #expect(event[0] == String((head["seq"] as Int64) + 1) && event[5] == head["hash"] as String)
            #expect(event[6] == Audit.eventHash(prev: event[5]!, seq: Int64(event[0]!)!, at: event[1]!, actor: event[2]!, action: event[3]!, payload: event[4]!))
            #expect(try project.column("""
                SELECT m.member::regrole::text || ' ' || m.roleid::regrole::text FROM pg_auth_members m
                 WHERE m.roleid::regrole::text LIKE 'concord\\_t\\_%' AND m.member::regrole::text NOT LIKE 'concord\\_t\\_%' ORDER BY 1
                """) == ["ada concord_t_admin", "alice concord_t_rater", "aud concord_t_auditor"])
            #expect(try project.column("SELECT version FROM concord.schema_version") == ["pg4"])
        }
    }

    @Test func statementsSplitOutsideLiteralsBodiesAndComments() {
        let sql = """
            CREATE TABLE t (a text DEFAULT 'x;y''z;'); -- a comment; with a semicolon
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$;
            SELECT "a;b" FROM t WHERE a = $1;
            DO $$ BEGIN PERFORM 1; END $$;
            -- only a comment;
            """
        #expect(PostgresSchema.statements(sql) == [
            "CREATE TABLE t (a text DEFAULT 'x;y''z;')",
            "-- a comment; with a semicolon\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$",
            "SELECT \"a;b\" FROM t WHERE a = $1",
            "DO $$ BEGIN PERFORM 1; END $$",
        ])
    }
}
