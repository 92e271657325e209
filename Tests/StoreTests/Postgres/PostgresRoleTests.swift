import Foundation
import PostgresClient
import PostgresTestSupport
@testable import Store
import Testing

/// The database enforces the roles, whatever client a person uses: real OS users, each let
/// in by peer authentication as the role of their login name, run `psql` against a project
/// seeded with two raters' work (docs/security.md "Who reads what").
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresRoleTests {
    /// A seeded project in a peer-authenticated cluster; its people are OS users too.
    struct PeerProject {
        let cluster: PostgresCluster
        let people: SeededProject.People
        let database = "concord_t"

        /// Makes the OS users, the DBA's login roles, the project (init as the admin's login),
        /// its raters (add_rater as the admin) and then the rows of a SeededProject file.
        static func make(_ cluster: PostgresCluster, users: [String]) throws -> PeerProject {
            let people = SeededProject.People(admin: users[0], first: users[1], second: users[2], lead: users[3], auditor: users[4])
            let project = PeerProject(cluster: cluster, people: people)
            let store = try SeededProject.make(people)
            try InstalledProject.prepare(cluster, database: project.database, admin: people.admin)
            let superuser = try PostgresConnection(uri: cluster.uri(database: project.database))
            for (name, _) in people.added { try superuser.execute("CREATE ROLE \(PostgresSchema.quoteIdentifier(name)) LOGIN") }
            let admin = try project.connect(actingAs: people.admin)
            try PostgresSchema.install(connection: admin, database: project.database, projectName: "seed")
            for (name, role) in people.added { try admin.execute("SELECT concord.add_rater($1, $2)", [name, role.rawValue]) }
            try SeededProject.copy(store, to: superuser)
            return project
        }

        /// A connection whose session_user is `login` (the superuser's SET SESSION
        /// AUTHORIZATION: root may log in only as the superuser).
        func connect(actingAs login: String) throws -> PostgresConnection {
            let connection = try PostgresConnection(uri: cluster.uri(database: database))
            try connection.execute("SET SESSION AUTHORIZATION \(PostgresSchema.quoteIdentifier(login))")
            return connection
        }

        func psql(_ login: String, _ sql: String) throws -> PsqlResult {
            try cluster.psql(as: login, database: database, sql)
        }

        /// Every ERROR line of the commands, each run on its own.
        func refusals(_ login: String, _ commands: [String]) throws -> [String] {
            try cluster.psql(as: login, database: database, commands: commands, stopOnError: false).output
                .split(separator: "\n").filter { $0.hasPrefix("ERROR:") }.map(String.init)
        }

        /// The relations of schema concord `login` may read, each with the columns it may read.
        func readable(_ login: String) throws -> [String: [String]] {
            let result = try psql(login, """
                SELECT c.relname, string_agg(a.attname, ',' ORDER BY a.attnum)
                  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                 WHERE c.relnamespace = 'concord'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
                   AND has_column_privilege(c.oid, a.attnum, 'SELECT')
                 GROUP BY c.relname ORDER BY c.relname
                """)
            #expect(result.status == 0, "\(result.output)")
            return Dictionary(uniqueKeysWithValues: result.rows.map { ($0[0], $0[1].split(separator: ",").map(String.init)) })
        }

        /// Everything `login` can read in schema concord, as psql prints it.
        func dump(_ login: String) throws -> String {
            let relations = try readable(login)
            let commands = relations.keys.sorted().map { "SELECT \(relations[$0]!.joined(separator: ", ")) FROM concord.\($0)" }
            let result = try cluster.psql(as: login, database: database, commands: commands, stopOnError: true)
            #expect(result.status == 0, "\(login): \(result.output.split(separator: "\n").filter { $0.hasPrefix("ERROR") })")
            return result.output
        }
    }

    static func withProject(_ body: (PeerProject) throws -> Void) throws {
        let users = try PostgresCluster.createOSUsers(["ada", "alice", "bob", "lena", "aud"])
        defer { PostgresCluster.deleteOSUsers(users) }
        try PostgresCluster.with(peerAuthentication: true) { cluster in
            try body(try PeerProject.make(cluster, users: users))
        }
    }

    /// All columns of each table, as the superuser sees them.
    static func allColumns(_ project: PeerProject) throws -> [String: [String]] {
        let rows = try project.connect(actingAs: PostgresCluster.superuser).execute("""
            SELECT c.relname, string_agg(a.attname, ',' ORDER BY a.attnum)
              FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE c.relnamespace = 'concord'::regnamespace AND c.relkind = 'r' GROUP BY c.relname
            """).rows
        return Dictionary(uniqueKeysWithValues: rows.map { ($0[0]!, $0[1]!.split(separator: ",").map(String.init)) })
    }

    @Test func eachLoginReadsWithPsqlOnlyWhatConcordShowsIt() throws {
        try Self.withProject { project in
            let people = project.people
            let all = try Self.allColumns(project)
            // Which relations and columns: the design's lists, exactly.
            let rater = try project.readable(people.first)
            #expect(rater == all.filter { PostgresSchema.raterReadable.contains($0.key) })
            #expect(try project.readable(people.auditor) == all)
            #expect(try project.readable(people.lead) == all)
            #expect(try project.readable(people.admin) == all)

            // A rater's dump holds their own answers and notes and none of anyone else's
            // (markers: AAA the first rater, BBB the second, LLL the lead's notes).
            let first = try project.dump(people.first)
            #expect(first.contains("AAA notes") && first.contains("AAA flag"))
            #expect(!first.contains("BBB") && !first.contains("LLL"))
            let second = try project.dump(people.second)
            #expect(second.contains("BBB notes") && second.contains("BBB skip"))
            #expect(second.contains("LLL to BBB"))   // the send-back naming them
            #expect(!second.contains("AAA") && !second.contains("LLL resolved") && !second.contains("LLL revise"))
            // An auditor reads every row (they recompute digests and numbers themselves).
            let audit = try project.dump(people.auditor)
            #expect(audit.contains("AAA notes") && audit.contains("BBB skip") && audit.contains("LLL resolved"))
            #expect(audit.contains("rater.add"))
            // The lead sees everything (so the dumps above could have shown it).
            let lead = try project.dump(people.lead)
            #expect(lead.contains("AAA notes") && lead.contains("BBB skip") && lead.contains("LLL resolved"))

            // Row by row: each rater-owned table shows a rater only their own rows, all of them.
            for (login, id) in [(people.first, "2"), (people.second, "3")] {
                for table in PostgresSchema.ownedRowTables {
                    let ids = try project.psql(login, "SELECT rater_id FROM concord.\(table)").rows.flatMap { $0 }
                    #expect(ids.allSatisfy { $0 == id }, "\(table) for \(login)")
                    #expect(ids.count == Int(try project.column("SELECT count(*) FROM concord.\(table) WHERE rater_id = \(id)")[0]!),
                            "\(table) for \(login)")
                }
            }
            #expect(try project.psql(people.first, "SELECT count(*) FROM concord.decision").rows == [["0"]])
            #expect(try project.psql(people.second, "SELECT kind FROM concord.decision").rows == [["send_back"]])
        }
    }

    @Test func noLoginCanInsertUpdateOrDeleteAnyTable() throws {
        try Self.withProject { project in
            let all = try Self.allColumns(project)
            let people = project.people
            let forgedEvent = "SELECT concord.audit_append(ROW(1, 'root', 'admin', NULL)::concord.acting, 'init', '{}', "
                + "ARRAY['rater_role'], ARRAY[0]::bigint[])"
            for login in [people.first, people.lead, people.auditor, people.admin] {
                var commands: [String] = [], expected: [String] = []
                for table in all.keys.sorted() {
                    let column = all[table]![0]
                    commands += ["INSERT INTO concord.\(table) DEFAULT VALUES", "UPDATE concord.\(table) SET \(column) = \(column)",
                                 "DELETE FROM concord.\(table)", "TRUNCATE concord.\(table)"]
                    expected += Array(repeating: "ERROR:  permission denied for table \(table)", count: 4)
                }
                commands.append(forgedEvent)
                expected.append("ERROR:  permission denied for function audit_append")
                #expect(try project.refusals(login, commands) == expected, "\(login)")
            }
            #expect(try project.column("SELECT count(*) FROM concord.audit_event") == ["5"])
        }
    }

    /// The attack of issue 16 on a project file: a rater appending a rater_role row making
    /// themselves admin and an audit event signed by someone else. Every way in is closed;
    /// the one write a rater can make is signed with their own login.
    @Test func aRaterCannotMakeThemselvesAdminNorSignAsAnyoneElse() throws {
        try Self.withProject { project in
            let people = project.people
            let me = people.first, admin = people.admin
            let owner = "concord_t_owner", adminGroup = "concord_t_admin"
            let refusals = try project.refusals(me, [
                "INSERT INTO concord.rater_role (rater_id, role, created_at) VALUES (2, 'admin', 'now')",
                "SELECT concord.add_rater('\(me)', 'admin')",
                "SELECT concord.audit_append(ROW(1, '\(admin)', 'admin', NULL)::concord.acting, 'rater.add', '{}', ARRAY['rater_role'], ARRAY[0]::bigint[])",
                "INSERT INTO concord.audit_event VALUES (99, 'now', '\(admin)', 'rater.add', '{}', 'a', 'b')",
                "SET ROLE \(owner)",
                "SET ROLE \(adminGroup)",
                "SET SESSION AUTHORIZATION \"\(admin)\"",
                "GRANT \(adminGroup) TO \"\(me)\"",
                "CREATE FUNCTION concord.mine() RETURNS int LANGUAGE sql AS 'SELECT 1'",
                "SELECT concord.mark_item(1, 'flag', 'forged', '\(admin)')",
            ])
            #expect(refusals == [
                "ERROR:  permission denied for table rater_role",
                "ERROR:  permission denied for function add_rater",
                "ERROR:  permission denied for function audit_append",
                "ERROR:  permission denied for table audit_event",
                "ERROR:  permission denied to set role \"\(owner)\"",
                "ERROR:  permission denied to set role \"\(adminGroup)\"",
                "ERROR:  permission denied to set session authorization \"\(admin)\"",
                "ERROR:  must have admin option on role \"\(adminGroup)\"",
                "ERROR:  permission denied for schema concord",
                "ERROR:  --as is for admins; \(me) is a rater",
            ])
            // What a rater can write is signed by their own login, whatever they pass.
            let flagged = try project.psql(me, "SELECT concord.mark_item(1, 'flag', 'mine')")
            #expect(flagged.status == 0, "\(flagged.output)")
            #expect(try project.column("SELECT actor || ' ' || action FROM concord.audit_event WHERE seq > 5 ORDER BY seq")
                    == ["\(me) item.flag"])
            #expect(try project.column("SELECT role FROM concord.rater_role WHERE rater_id = 2 ORDER BY id") == ["rater"])
            #expect(try project.column("""
                SELECT string_agg(g.rolname, ',' ORDER BY g.rolname) FROM pg_auth_members m
                JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = $1::regrole
                """, [me]) == ["concord_t_rater"])
        }
    }
}

extension PostgresRoleTests.PeerProject {
    /// The first column of every row of `sql`, as the superuser.
    func column(_ sql: String, _ parameters: [String?] = []) throws -> [String?] {
        try connect(actingAs: PostgresCluster.superuser).execute(sql, parameters).rows.map { $0[0] }
    }
}
