import PostgresClient

extension PostgresSchema {
    /// Creates a project in the connected, empty database (`concord init --project URI`):
    /// the roles, the schema owned by `<database>_owner`, tables, functions (these files'
    /// and `PostgresOperations.sql`), privileges, row-level security, the project row and the
    /// login running init as its first admin, with the `init` audit event. One transaction:
    /// a failure anywhere leaves the database and the cluster's roles as they were.
    ///
    /// The login must own the database and have CREATEROLE (what the DBA gives the project's
    /// admin: `createuser --createrole NAME; createdb -O NAME DATABASE`, docs/server.md).
    static func install(connection: PostgresConnection, database: String, projectName: String) throws {
        try StoredText.check(projectName, "the project name")
        try install(connection: connection, database: database, command: "concord init", failure: "concord init could not create the project in") {
            try connection.execute("SELECT concord.init_project($1)", [projectName])
        }
    }

    /// For `concord migrate --to URI`: the same install into an empty database, but instead
    /// of a new project's first admin and init event, `copy` fills the tables with another
    /// project's rows (ids, `project` and `audit_event` included, as they are, so the chain
    /// and its anchor carry over). It runs as the owner, the only role that may insert,
    /// inside the one transaction. Then each identity moves past the copied ids, the version
    /// row is written, and every rater whose name is a login joins their role's group.
    static func install(connection: PostgresConnection, database: String,
                        copyingRows copy: (PostgresConnection) throws -> Void) throws {
        try install(connection: connection, database: database, command: "concord migrate", failure: "concord migrate could not copy the project into") {
            try copy(connection)
            try run(adoptCopiedRows, connection, database)
        }
    }

    private static func install(connection: PostgresConnection, database: String, command: String, failure: String,
                                rows: () throws -> Void) throws {
        if let problem = databaseNameProblem(database) { throw StoreError(.project, problem) }
        do {
            try connection.transaction {
                let login = try checkEmpty(connection, database: database, command: command)
                // The login briefly joins the owner role, to create the schema as the owner
                // and act as it; it leaves again at the end, so no person holds the owner's rights.
                try run(roles + "\nGRANT {owner} TO \(quoteIdentifier(login));", connection, database)
                try run("CREATE SCHEMA concord AUTHORIZATION {owner};\nSET LOCAL ROLE {owner};", connection, database)
                try run(ownerDefaults, connection, database)
                try run(tables, connection, database)
                try run(submissionDisplayFunction, connection, database)
                try run(appendOnlyTriggers, connection, database)
                try run(identity, connection, database)
                try run(canonicalJSON, connection, database)
                try run(auditCore, connection, database)
                try run(raters, connection, database)
                try run(PostgresOperations.sql, connection, database)
                try run(clipIndex, connection, database)
                try run(grants, connection, database)
                try run(submissionDisplayGrants, connection, database)
                try run(labelPredictionGrants, connection, database)
                try run(pairGrants, connection, database)
                try run(training, connection, database)
                try rows()
                try connection.execute("DROP FUNCTION concord.init_project(text)")
                try connection.execute("RESET ROLE")
                try run(databaseGrants + "\nREVOKE {owner} FROM \(quoteIdentifier(login));", connection, database)
            }
        } catch let error as PostgresError {
            throw StoreError(.project, "\(failure) \(connection.displayURI): \(error.serverMessage); nothing was created")
        }
    }

    /// After `install(copyingRows:)`'s copy, as the owner.
    static var adoptCopiedRows: String {
        """
        DO $$
        DECLARE
            v_table text;
            v_rater record;
        BEGIN
            FOREACH v_table IN ARRAY ARRAY[\(Schema.auditedTables.map { "'\($0.table)'" }.joined(separator: ", "))] LOOP
                EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, ''id''), coalesce(max(id), 0) + 1, false) FROM concord.%I',
                               'concord.' || v_table, v_table);
            END LOOP;
            INSERT INTO concord.schema_version (version, installed_at) VALUES ('\(version)', concord.now_text());
            FOR v_rater IN SELECT r.name, (SELECT role FROM concord.rater_role WHERE rater_id = r.id ORDER BY id DESC LIMIT 1) AS role
                             FROM concord.rater r LOOP
                PERFORM concord.sync_membership(v_rater.name, coalesce(v_rater.role, 'rater'));
            END LOOP;
        END
        $$;
        """
    }

    /// Checks the database can take a project and returns the login running init. Refuses
    /// one that holds anything (a schema `concord`, or any table in a schema of its own),
    /// one not encoded in UTF-8 (the digests hash UTF-8), a login without CREATEROLE, and
    /// roles of the project's names left by an earlier database of the same name.
    private static func checkEmpty(_ connection: PostgresConnection, database: String, command: String) throws -> String {
        let facts = try connection.execute("""
            SELECT session_user AS login, current_database() AS database,
                   pg_encoding_to_char(d.encoding) AS encoding,
                   (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = session_user) AS can_create_roles,
                   EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'concord')
                   OR EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                               WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                                 AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                                 AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%') AS holds_something
              FROM pg_database d WHERE d.datname = current_database()
            """).rows[0]
        let login = facts[0] ?? ""
        guard facts[1] == database else {
            preconditionFailure("PostgresSchema.install: connected to \(facts[1] ?? "?"), asked for \(database)")
        }
        if facts[4] == "t" {
            throw StoreError(.project, "the PostgreSQL database \(quoted(database)) is not empty: \(command) needs an empty "
                             + "database; ask the DBA for a new one (createdb -O \(login) NAME)")
        }
        if facts[2] != "UTF8" {
            throw StoreError(.project, "the PostgreSQL database \(quoted(database)) is encoded in \(facts[2] ?? "?"), not UTF8: "
                             + "\(command) needs a UTF-8 database; ask the DBA for one (createdb -E UTF8 -T template0 -O \(login) NAME)")
        }
        if facts[3] != "t" {
            throw StoreError(.project, "\(login) cannot create roles, which \(command) needs for the project's roles; "
                             + "ask the DBA to run: ALTER ROLE \(quoteIdentifier(login)) CREATEROLE")
        }
        let names = roleSuffixes.map { roleName($0, database: database) }
        let taken = try connection.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY ($1::text[]) ORDER BY rolname",
                                           ["{" + names.map { "\"\($0)\"" }.joined(separator: ",") + "}"])
            .rows.compactMap { $0.first ?? nil }
        if !taken.isEmpty {
            throw StoreError(.project, "the roles \(taken.joined(separator: ", ")) already exist (left by an earlier project in a database "
                             + "named \(quoted(database))?); ask the DBA to drop them (DROP ROLE …) or to create a database of another name")
        }
        return login
    }

    /// Renders `sql` and runs it statement by statement (libpq runs one per call).
    private static func run(_ sql: String, _ connection: PostgresConnection, _ database: String) throws {
        for statement in statements(render(sql, database: database)) {
            try connection.execute(statement)
        }
    }

    /// `sql` cut at each `;` that ends a statement: not inside a '…' literal, a "…"
    /// identifier, a $tag$…$tag$ body or a -- comment. Empty statements are left out.
    static func statements(_ sql: String) -> [String] {
        let text = Array(sql.utf8)
        var result: [String] = []
        var start = 0
        var i = 0
        func skip(past terminator: [UInt8], from index: Int) -> Int {
            var j = index
            while j < text.count {
                if text[j...].starts(with: terminator) { return j + terminator.count }
                j += 1
            }
            return text.count
        }
        while i < text.count {
            switch text[i] {
            case UInt8(ascii: "'"): i = skip(past: [UInt8(ascii: "'")], from: i + 1)
            case UInt8(ascii: "\""): i = skip(past: [UInt8(ascii: "\"")], from: i + 1)
            case UInt8(ascii: "-") where i + 1 < text.count && text[i + 1] == UInt8(ascii: "-"):
                i = skip(past: [UInt8(ascii: "\n")], from: i + 2)
            case UInt8(ascii: "$"):
                // $tag$ (tag: letters, digits, _) opens a body that ends at the same $tag$.
                var j = i + 1
                while j < text.count, text[j] == UInt8(ascii: "_") || (text[j] >= 48 && text[j] <= 57)
                    || ((text[j] | 0x20) >= 97 && (text[j] | 0x20) <= 122) { j += 1 }
                if j < text.count && text[j] == UInt8(ascii: "$") && !(j > i + 1 && text[i + 1] >= 48 && text[i + 1] <= 57) {
                    i = skip(past: Array(text[i...j]), from: j + 1)
                } else {
                    i += 1   // $1, a parameter
                }
            case UInt8(ascii: ";"):
                let statement = String(decoding: text[start..<i], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                if !isBlank(statement) { result.append(statement) }
                i += 1
                start = i
            default: i += 1
            }
        }
        let rest = String(decoding: text[start...], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if !isBlank(rest) { result.append(rest) }
        return result
    }

    /// Whether a statement is only comments and space.
    private static func isBlank(_ statement: String) -> Bool {
        statement.split(separator: "\n").allSatisfy {
            let line = $0.trimmingCharacters(in: .whitespaces)
            return line.isEmpty || line.hasPrefix("--")
        }
    }
}
