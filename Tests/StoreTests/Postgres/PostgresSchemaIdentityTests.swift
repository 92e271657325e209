import Foundation
import PostgresClient
import PostgresTestSupport
@testable import Rubric
@testable import Store
import Testing

/// Who acts and what they may do, decided in the database by the same table and in the same
/// words as the Swift Store: the two cannot drift apart unnoticed.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresSchemaIdentityTests {
    /// Runs `sql` with session_user set to `login` (as a connection of that login would
    /// have it), with the internal functions callable for the moment; rolled back.
    static func asLogin(_ project: InstalledProject, _ login: String, _ sql: String, _ parameters: [String?] = []) throws -> PostgresResult {
        let connection = try project.connect()
        return try connection.transactionRolledBack {
            try connection.execute("GRANT USAGE ON SCHEMA concord TO PUBLIC")
            try connection.execute("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA concord TO PUBLIC")
            try connection.execute("SET LOCAL SESSION AUTHORIZATION \(PostgresSchema.quoteIdentifier(login))")
            return try connection.execute(sql, parameters)
        }
    }

    static func refusal(_ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as PostgresError {
            return "\(error.sqlState ?? "-") \(error.serverMessage)"
        } catch {
            return "\(error)"
        }
    }

    @Test func thePermissionTableIsRolesSwiftCellForCell() throws {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster)
            let connection = try project.connect()
            let rows = try connection.execute("SELECT permission, array_to_string(roles, ','), sentence FROM concord.permissions()").rows
            #expect(rows.map { $0[0]! }.sorted() == Permission.allCases.map { "\($0)" }.sorted())
            for permission in Permission.allCases {
                let row = try #require(rows.first { $0[0] == "\(permission)" })
                #expect(row[2] == permission.sentence)
                for role in Role.allCases {
                    let allowed = try connection.execute("SELECT concord.allowed($1, $2)", ["\(permission)", role.rawValue]).rows[0][0]
                    #expect(allowed == (permission.allowed(for: role) ? "t" : "f"), "\(permission) for \(role)")
                    let refused = Self.refusal {
                        try connection.execute("SELECT concord.require(ROW(7, 'kim', $2, NULL)::concord.acting, $1)", ["\(permission)", role.rawValue])
                    }
                    let swift = Self.refusal { try Self.swiftSession(role: role).require(permission) }
                    #expect(refused == swift.map { "42501 " + $0 }, "\(permission) for \(role)")
                }
            }
            // Who may call the functions of this part: the roles the table allows.
            let functions: [(String, Permission)] = [("add_rater(text, text, text)", .addRater),
                                                     ("add_rubric(text, text, text, text, text)", .addRubric),
                                                     ("current_labels(text)", .readAggregates), ("row_digest(text, bigint, bigint)", .verifyAudit)]
            for (function, permission) in functions {
                for role in Role.allCases {
                    let may = try connection.execute("SELECT has_function_privilege($1, $2, 'EXECUTE')", ["concord_t_\(role)", "concord.\(function)"]).rows[0][0]
                    #expect(may == (permission.allowed(for: role) ? "t" : "f"), "\(function) for \(role)")
                }
            }
        }
    }

    /// A SQLite session of `kim` with `role`, for Swift's own refusal.
    static func swiftSession(role: Role) throws -> ProjectSession {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kim-\(UUID().uuidString).db").path
        let store = try ProjectStore.create(path: path, name: "t", admin: "admin")
        try store.session(login: "admin").addRater("kim", role: role)
        return try store.session(login: "kim")
    }

    @Test func quotedShowsValuesAsSwiftDoes() throws {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster)
            let connection = try project.connect()
            let values = ["alice", "", "it's", "back\\slash", "tab\there", "line\nbreak\r", "\u{1B}[2J", "\u{7F}\u{01}", "\u{85}",
                          "\u{202E}evil", "zero\u{200B}width", "\u{FEFF}bom", "é ü 漢字 😀", "\u{2028}",
                          String(repeating: "x", count: 80), String(repeating: "x", count: 81), String(repeating: "é", count: 100)]
            for value in values {
                #expect(try connection.execute("SELECT concord.quoted($1)", [value]).rows[0][0] == quoted(value), "\(quoted(value))")
            }
        }
    }

    /// concord.actor's three refusals, in ProjectStore.session's words, and who it returns.
    @Test func theActorIsTheSessionUserInSwiftsWords() throws {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster)
            for login in ["zed", "alice"] { try project.createLogin(login) }
            let ada = try project.connect(as: "ada")
            try ada.execute("SELECT concord.add_rater('alice', 'rater')")
            let swift = try Self.swiftStore()
            func swiftRefusal(_ login: String, _ acting: String?) -> String? {
                Self.refusal { try swift.session(login: login, actingAs: acting) }
            }
            #expect(Self.refusal { try Self.asLogin(project, "zed", "SELECT concord.actor(NULL)") }
                    == "42501 zed is not a rater in this project; an admin can add you with: concord rater add zed --role rater")
            #expect(swiftRefusal("zed", nil) == "zed is not a rater in this project; an admin can add you with: concord rater add zed --role rater")
            #expect(Self.refusal { try Self.asLogin(project, "alice", "SELECT concord.actor('alice')") } == "42501 --as is for admins; alice is a rater")
            #expect(swiftRefusal("alice", "alice") == "--as is for admins; alice is a rater")
            #expect(Self.refusal { try Self.asLogin(project, "ada", "SELECT concord.actor('nobody')") } == "22023 no rater named 'nobody'; see: concord rater list")
            #expect(swiftRefusal("ada", "nobody") == "no rater named 'nobody'; see: concord rater list")
            #expect(try Self.asLogin(project, "ada", "SELECT (concord.actor('alice')).*").rows == [["2", "alice", "rater", "ada"]])
            #expect(try Self.asLogin(project, "ada", "SELECT (concord.actor('ada')).*").rows == [["1", "ada", "admin", nil]])
            #expect(try Self.asLogin(project, "alice", "SELECT (concord.actor(NULL)).*").rows == [["2", "alice", "rater", nil]])
        }
    }

    /// The SQLite project Swift's refusals come from: admin ada, rater alice.
    static func swiftStore() throws -> ProjectStore {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("who-\(UUID().uuidString).db").path
        let store = try ProjectStore.create(path: path, name: "t", admin: "ada")
        try store.session(login: "ada").addRater("alice", role: .rater)
        return store
    }

    /// add_rater writes what ProjectSession.addRater writes (the same rows and audit
    /// details), and moves the login between the group roles with the concord role.
    @Test func addRaterWritesSwiftsRowsAndMovesTheLoginsGroup() throws {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster)
            try project.createLogin("alice")
            let ada = try project.connect(as: "ada")
            func groups(_ login: String) throws -> [String?] {
                try project.column("""
                    SELECT coalesce(string_agg(g.rolname, ',' ORDER BY g.rolname), '') FROM pg_auth_members m
                    JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = $1::regrole
                    """, [login])
            }
            func add(_ name: String, _ role: String, as acting: String? = nil) throws -> String? {
                try ada.execute("SELECT concord.add_rater($1, $2, $3)", [name, role, acting]).rows[0][0]
            }
            #expect(try add("alice", "rater") == "t")
            #expect(try groups("alice") == ["concord_t_rater"])
            #expect(try add("alice", "rater") == "f")
            #expect(try add("alice", "lead") == "t")
            #expect(try groups("alice") == ["concord_t_lead"])
            #expect(try add("carl", "model", as: "ada") == "t")   // no login role: nothing to grant
            #expect(Self.refusal { try add("bad name", "rater") }
                    == "22023 'bad name' is not a valid rater name; use letters, digits, '.', '_' or '-' (like a login name)")
            // The same calls through the Swift Store, and the audit details of both.
            let swift = try ProjectStore.create(path: FileManager.default.temporaryDirectory.appendingPathComponent("r-\(UUID().uuidString).db").path,
                                                name: "t", admin: "ada")
            let session = try swift.session(login: "ada")
            try session.addRater("alice", role: .rater)
            try session.addRater("alice", role: .rater)
            try session.addRater("alice", role: .lead)
            try swift.session(login: "ada", actingAs: "ada").addRater("carl", role: .model)
            #expect(Self.refusal { try session.addRater("bad name", role: .rater) }
                    == "'bad name' is not a valid rater name; use letters, digits, '.', '_' or '-' (like a login name)")
            let database = try project.column("SELECT action || ' ' || actor || ' ' || (payload::jsonb - 'rows')::text FROM concord.audit_event ORDER BY seq")
            let file = try SeededProject.sqlite(swift).read { db in
                try String.fetchAll(db, sql: "SELECT action || ' ' || actor || ' ' || json_remove(payload, '$.rows') FROM audit_event ORDER BY seq")
            }
            #expect(database.count == file.count)
            for (d, f) in zip(database, file) { #expect(try Self.sameJSONTail(d!, f)) }
            #expect(try project.column("SELECT r.name || ' ' || rr.role FROM concord.rater_role rr JOIN concord.rater r ON r.id = rr.rater_id ORDER BY rr.id")
                    == ["ada admin", "alice rater", "alice lead", "carl model"])
        }
    }

    /// "action actor {json}" lines equal, the JSON compared as values (key order and
    /// spacing differ between jsonb and Swift's writer).
    static func sameJSONTail(_ a: String, _ b: String) throws -> Bool {
        func split(_ s: String) throws -> (String, NSDictionary) {
            let brace = s.firstIndex(of: "{")!
            return (String(s[..<brace]), try JSONSerialization.jsonObject(with: Data(s[brace...].utf8)) as! NSDictionary)
        }
        let (x, y) = (try split(a), try split(b))
        return x.0 == y.0 && x.1 == y.1
    }

    /// Every audited write tells the live dashboard and queues, at COMMIT, on channel
    /// `concord` with its action; a no-op write tells nobody.
    @Test func anAuditedWriteNotifiesListenersAtCommit() throws {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster)
            let listener = try project.connect(as: "ada")
            try listener.listen(to: "concord")
            let ada = try project.connect(as: "ada")
            try ada.execute("SELECT concord.add_rater('alice', 'rater')")
            let first = try listener.nextNotification(timeout: .seconds(10))
            #expect(first.map { "\($0.channel) \($0.payload)" } == "concord rater.add")
            try ada.execute("SELECT concord.add_rater('alice', 'rater')")   // already so: nothing written
            try ada.transaction {
                try ada.execute("SELECT concord.add_rater('bob', 'lead')")
                #expect(try listener.nextNotification(timeout: .milliseconds(200)) == nil)   // not before COMMIT
            }
            #expect(try listener.nextNotification(timeout: .seconds(10)).map(\.payload) == "rater.add")
        }
    }

    @Test func addRubricChecksTheHashAndWritesOnce() throws {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster)
            let ada = try project.connect(as: "ada")
            let rubric = try Rubric.parse(SeededProject.rubricYAML, file: "seed.yaml")
            func add(_ name: String, _ hash: String, _ json: String) throws -> String? {
                try ada.execute("SELECT concord.add_rubric($1, $2, $3, $4)", [name, hash, json, "rubrics/seed.yaml"]).rows[0][0]
            }
            #expect(try add(rubric.name, rubric.contentHash, rubric.canonicalJSON) == "t")
            #expect(try add(rubric.name, rubric.contentHash, rubric.canonicalJSON) == "f")
            let forged = rubric.canonicalJSON.replacingOccurrences(of: "cut-in", with: "cut-out")
            #expect(Self.refusal { try add(rubric.name, rubric.contentHash, forged) }
                    == "22023 the rubric 'seed' does not match its hash '\(rubric.contentHash)': its canonical JSON hashes to \(CanonicalJSON.sha256Hex(forged))")
            #expect(try project.column("SELECT action || ' ' || (payload::jsonb - 'rows')::text FROM concord.audit_event WHERE seq > 1")
                    == ["rubric.add {\"hash\": \"\(rubric.contentHash)\", \"rubric\": \"seed\", \"source\": \"rubrics/seed.yaml\"}"])
        }
    }
}

extension PostgresConnection {
    /// Runs `body` in a transaction that is always rolled back.
    func transactionRolledBack<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        defer { _ = try? execute("ROLLBACK") }
        return try body()
    }
}
