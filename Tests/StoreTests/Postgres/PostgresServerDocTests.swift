import Foundation
import PostgresClient
import PostgresTestSupport
@testable import Store
import Testing

/// docs/server.md's backups (§9) and standby (§10) with concord's own schema, as `concord
/// init` lays it out (scripts/server-doc-check.sh runs the same steps, and the rest of the
/// page, with the concord binary). `pg_dump -Fc` of a project plus `pg_dumpall --roles-only`, restored
/// on a new cluster, roles first, with `pg_restore -C`, is the same project: every row,
/// owner, privilege, policy, trigger, function and sequence, and the database's own
/// privileges; it then takes writes through concord's functions, its audit chain going on
/// from the last event. A streaming standby answers concord's reads as the primary does and
/// refuses its writes.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresServerDocTests {
    static let database = "concord_w48"

    @Test func aDumpRestoredOnANewClusterAfterTheRolesIsTheSameProject() throws {
        try PostgresCluster.with { source in
            let project = try InstalledProject.install(source, database: Self.database, admin: "dana")
            try SeededProject.copy(try SeededProject.make(), to: try project.connect())
            // §3: once the DBA takes CREATEROLE back, the admin still gives people concord roles.
            try project.connect().execute("ALTER ROLE dana NOCREATEROLE")
            try project.createLogin("erin")
            #expect(try project.connect(as: "dana").execute("SELECT concord.add_rater('erin', 'lead')").rows == [["t"]])
            let before = try Self.snapshot(try project.connect())
            #expect(try project.column("SELECT count(*) FROM concord.audit_event") == ["2"])
            // What the comparison below covers, for instance:
            #expect(before.contains("member concord_w48_lead erin admin=false"))
            #expect(before.contains { $0.hasPrefix("class label r concord_w48_owner {") && $0.hasSuffix("} rls=true force=false") })
            #expect(before.filter { $0.hasPrefix("table ") }.count > 15 && before.contains { $0.hasPrefix("policy label ") })
            let dump = source.directory + "/w48.dump", roles = source.directory + "/roles.sql"
            try Self.asServerUser("pg_dump", ["-Fc", "-f", dump, "-d", source.uri(database: Self.database)])
            try Self.asServerUser("pg_dumpall", ["--roles-only", "-f", roles, "-d", source.uri()])

            try PostgresCluster.with { target in
                // The bootstrap superuser exists on any cluster: the one error the roles file gives.
                let line = try #require(try String(contentsOfFile: roles, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                    .firstIndex(of: "CREATE ROLE postgres;")) + 1
                let (status, rolesOutput) = try Self.asServerUserWithStatus("psql", ["-X", "-q", "-d", target.uri(), "-f", roles])
                #expect(status == 0 && rolesOutput == "psql:\(roles):\(line): ERROR:  role \"postgres\" already exists\n")
                try Self.asServerUser("pg_restore", ["-C", "-d", target.uri(), dump])
                let restored = InstalledProject(cluster: target, database: Self.database, admin: "dana")
                let after = try Self.snapshot(try restored.connect())
                #expect(after == before)
                #expect(PostgresSchema.isProject(connection: try restored.connect(as: "dana")))

                // The restored project is live: the admin adds a rater through concord's
                // function, and the new event chains onto the last restored one.
                let lastHash = try restored.column("SELECT hash FROM concord.audit_event ORDER BY seq DESC LIMIT 1")
                #expect(try restored.connect(as: "dana").execute("SELECT concord.add_rater('carl', 'rater')").rows == [["t"]])
                #expect(try restored.column("SELECT prev_hash FROM concord.audit_event WHERE actor = 'dana' ORDER BY seq DESC LIMIT 1")
                        == lastHash)
                #expect(try restored.column("SELECT r.name || ':' || rr.role FROM concord.rater r JOIN concord.rater_role rr ON rr.rater_id = r.id WHERE r.name = 'carl'")
                        == ["carl:rater"])
            }
        }
    }

    /// The snapshot sees what a restore without `-C` loses: the database's own privileges
    /// (concord's `REVOKE ALL … FROM PUBLIC`, `GRANT CONNECT` to its group roles).
    @Test func aRestoreWithoutCreateLosesTheDatabasesPrivilegesAndTheSnapshotSeesIt() throws {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster, database: Self.database, admin: "dana")
            let before = try Self.snapshot(try project.connect())
            let dump = cluster.directory + "/w48.dump"
            try Self.asServerUser("pg_dump", ["-Fc", "-f", dump, "-d", cluster.uri(database: Self.database)])
            try cluster.createDatabase("concord_w48_check")
            try Self.asServerUser("pg_restore", ["-d", cluster.uri(database: "concord_w48_check"), dump])
            let copy = try Self.snapshot(try PostgresConnection(uri: cluster.uri(database: "concord_w48_check")))
            #expect(copy.filter { !$0.hasPrefix("database ") } == before.filter { !$0.hasPrefix("database ") })
            #expect(before.filter { $0.hasPrefix("database ") }
                    == ["database {dana=CTc/dana,concord_w48_rater=c/dana,concord_w48_lead=Tc/dana,concord_w48_auditor=c/dana,"
                        + "concord_w48_admin=Tc/dana,concord_w48_model=c/dana}"])
            #expect(copy.filter { $0.hasPrefix("database ") } == ["database NULL"])
        }
    }

    /// docs/server.md §10 with concord's own schema: a streaming standby (`pg_basebackup -R`)
    /// follows the primary, answers an auditor's aggregate reads and the audit digests exactly
    /// as the primary does, and refuses concord's write functions.
    @Test func aStandbyServesConcordsReadsAndRefusesItsWrites() throws {
        try PostgresCluster.with { primary in
            let project = try InstalledProject.install(primary, database: Self.database, admin: "dana")
            try SeededProject.copy(try SeededProject.make(), to: try project.connect())
            try project.createLogin("carol")
            #expect(try project.connect(as: "dana").execute("SELECT concord.add_rater('carol', 'auditor')").rows == [["t"]])
            // The harness's pg_hba.conf admits no replication connection; the standby's line:
            let hba = primary.dataDirectory + "/pg_hba.conf"
            try (try String(contentsOfFile: hba, encoding: .utf8) + "local replication all trust\n")
                .write(toFile: hba, atomically: false, encoding: .utf8)
            let loaded = try project.column("SELECT pg_conf_load_time()::text")
            try Self.asServerUser("pg_ctl", ["-D", primary.dataDirectory, "reload"])
            try Self.waitFor("the primary to reload pg_hba.conf") {
                try PostgresConnection(uri: primary.uri()).execute("SELECT pg_conf_load_time()::text").rows.map { $0[0] } != loaded
            }
            let standbyData = primary.directory + "/standby", standbyPort = "5433"
            try Self.asServerUser("pg_basebackup", ["-d", primary.uri(), "-D", standbyData, "-R", "-X", "stream", "--checkpoint=fast"])
            try Self.asServerUser("pg_ctl", ["-D", standbyData, "-l", standbyData + "/server.log", "-w", "-t", "60",
                                             "-o", "-k \(primary.socketDirectory) -p \(standbyPort) -c listen_addresses=''", "start"])
            defer { _ = try? Self.asServerUser("pg_ctl", ["-D", standbyData, "-m", "immediate", "-w", "stop"]) }
            func standby(as user: String) throws -> PostgresConnection {
                try PostgresConnection(uri: primary.uri(database: Self.database, user: user, extra: "&port=\(standbyPort)"))
            }

            // A write on the primary after the copy streams over.
            try project.createLogin("finn")
            #expect(try project.connect(as: "dana").execute("SELECT concord.add_rater('finn', 'rater')").rows == [["t"]])
            try Self.waitFor("finn to reach the standby") {
                try standby(as: "dana").execute("SELECT count(*) FROM concord.rater WHERE name = 'finn'").rows == [["1"]]
            }
            #expect(try standby(as: "dana").execute("SELECT pg_is_in_recovery()").rows == [["t"]])

            // What an auditor's report and audit verify read, the same on both.
            let reads = [
                "SELECT string_agg(concat_ws(' ', item_id, clip, criterion, rater, value), ';' ORDER BY item_id, criterion, rater) FROM concord.current_labels('b')",
                "SELECT concord.row_digest('label', 1, 1000)",
                "SELECT string_agg(seq || ' ' || hash, ';' ORDER BY seq) FROM concord.audit_event",
            ]
            for sql in reads {
                let onPrimary = try project.connect(as: "carol").execute(sql).rows
                #expect(onPrimary.first?.first.flatMap { $0 }?.isEmpty == false)
                #expect(try standby(as: "carol").execute(sql).rows == onPrimary)
            }

            // concord's writes are refused there, whoever calls.
            for (login, sql) in [("dana", "SELECT concord.add_rater('gail', 'rater')"),
                                 ("dana", "SELECT concord.set_batch_rule('b', 0.5, 0.5)")] {
                let error = #expect(throws: PostgresError.self) { try standby(as: login).execute(sql) }
                #expect(error?.sqlState == "25006")
                #expect(error?.serverMessage == "cannot execute INSERT in a read-only transaction")
            }
        }
    }

    /// Polls `condition` (10 times a second, for up to 30 seconds): replication and reloads
    /// happen after the command that asks for them returns. Not a timing check.
    static func waitFor(_ what: String, _ condition: () throws -> Bool) throws {
        for _ in 0..<300 {
            if (try? condition()) == true { return }
            usleep(100_000)
        }
        throw HarnessError("gave up waiting for \(what)")
    }

    /// One line per fact a restore must keep, in a fixed order: each table's rows (a digest
    /// of their text) and each identity sequence's position; each relation's owner,
    /// privileges and row-level security; each policy, trigger, type and function (owner,
    /// privileges, SECURITY DEFINER, settings, body); the memberships of the project's roles
    /// (the login `erin` in the lead group included); the database's privileges.
    static func snapshot(_ connection: PostgresConnection) throws -> [String] {
        var lines: [String] = []
        let tables = try connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'concord' ORDER BY tablename")
            .rows.compactMap { $0[0] }
        for table in tables {   // names from the catalog, quoted
            let rows = try connection.execute("""
                SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-')
                  FROM concord.\(PostgresSchema.quoteIdentifier(table)) t
                """).rows[0]
            lines.append("table \(table) \(rows[0] ?? "") \(rows[1] ?? "")")
        }
        let sequences = try connection.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = 'concord' ORDER BY 1")
            .rows.compactMap { $0[0] }
        for sequence in sequences {
            let position = try connection.execute("SELECT last_value::text || ' ' || is_called::text FROM concord.\(PostgresSchema.quoteIdentifier(sequence))")
            lines.append("sequence \(sequence) \(position.rows[0][0] ?? "")")
        }
        let catalogs = [
            "class": """
                SELECT relname || ' ' || relkind::text || ' ' || pg_get_userbyid(relowner) || ' ' || coalesce(relacl::text, 'NULL')
                       || ' rls=' || relrowsecurity || ' force=' || relforcerowsecurity
                  FROM pg_class WHERE relnamespace = 'concord'::regnamespace ORDER BY relname
                """,
            "policy": """
                SELECT tablename || ' ' || policyname || ' ' || cmd || ' ' || roles::text || ' ' || coalesce(qual, '') || ' '
                       || coalesce(with_check, '') FROM pg_policies WHERE schemaname = 'concord' ORDER BY tablename, policyname
                """,
            "trigger": """
                SELECT tgrelid::regclass::text || ' ' || tgname || ' ' || tgfoid::regproc::text FROM pg_trigger
                 WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'concord'::regnamespace)
                 ORDER BY 1
                """,
            "function": """
                SELECT oid::regprocedure::text || ' ' || pg_get_userbyid(proowner) || ' ' || coalesce(proacl::text, 'NULL')
                       || ' definer=' || prosecdef || ' ' || coalesce(proconfig::text, '') || ' ' || md5(prosrc)
                  FROM pg_proc WHERE pronamespace = 'concord'::regnamespace ORDER BY 1
                """,
            "type": "SELECT typname || ' ' || pg_get_userbyid(typowner) FROM pg_type WHERE typnamespace = 'concord'::regnamespace ORDER BY 1",
            "member": """
                SELECT g.rolname || ' ' || m.rolname || ' admin=' || a.admin_option FROM pg_auth_members a
                  JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
                 WHERE g.rolname LIKE 'concord\\_w48\\_%' ORDER BY 1
                """,
            "database": "SELECT coalesce(datacl::text, 'NULL') FROM pg_database WHERE datname = current_database()",
        ]
        for (kind, sql) in catalogs.sorted(by: { $0.key < $1.key }) {
            lines += try connection.execute(sql).rows.map { "\(kind) \($0[0] ?? "NULL")" }
        }
        return lines
    }

    @discardableResult
    static func asServerUser(_ program: String, _ arguments: [String]) throws -> String {
        let (status, output) = try asServerUserWithStatus(program, arguments)
        if status != 0 { throw HarnessError("\(program) exited \(status): \(output)") }
        return output
    }

    /// `program` from PostgreSQL's binaries run as the cluster's OS user (whose directories
    /// hold the dump files), with inherited descriptors closed (PostgresCluster says why).
    static func asServerUserWithStatus(_ program: String, _ arguments: [String]) throws -> (Int32, String) {
        try PostgresCluster.runWithStatus("/bin/bash", ["-c", PostgresCluster.closeInheritedDescriptors, "close-fds",
                                                        "/usr/sbin/runuser", "-u", PostgresCluster.osUser, "--",
                                                        "\(PostgresCluster.binaries)/\(program)"] + arguments)
    }
}
