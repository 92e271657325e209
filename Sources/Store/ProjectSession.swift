import Foundation
import GRDB
import Rubric

/// The Store as seen by one acting person: every read returns only what their role may
/// see, every write checks their role, and every write is audited under their name.
public struct ProjectSession: Sendable {
    let store: ProjectStore
    public let actor: Actor
    /// The admin's own login when acting as someone else (`--as`): recorded in every audit
    /// event this session writes (`"via"`), so an impersonated write is never anonymous.
    public let via: String?
    /// Who may do what: every check of this session, reads included, asks this table.
    let permissions: PermissionTable

    init(store: ProjectStore, actor: Actor, via: String? = nil, permissions: PermissionTable = .standard) {
        self.store = store
        self.actor = actor
        self.via = via
        self.permissions = permissions
    }

    /// The same session deciding by another table (tests: one cell changed).
    func with(_ permissions: PermissionTable) -> ProjectSession {
        ProjectSession(store: store, actor: actor, via: via, permissions: permissions)
    }

    public func allows(_ permission: Permission) -> Bool { permissions.allows(permission, actor.role) }

    /// An audit event's details, with the impersonating admin's login when there is one.
    func auditDetails(_ details: [String: Any]) -> [String: Any] {
        guard let via else { return details }
        var d = details
        d["via"] = via
        return d
    }

    static func actor(_ db: any SQLDatabase, named name: String) throws -> Actor? {
        guard let row = try db.row("""
            SELECT r.id, r.name, (SELECT role FROM rater_role WHERE rater_id = r.id ORDER BY id DESC LIMIT 1) AS role
            FROM rater r WHERE r.name = ?
            """, [name]) else { return nil }
        return Actor(id: row["id"], name: row["name"], role: Role(rawValue: row["role"]) ?? .rater)
    }

    func require(_ permission: Permission) throws {
        guard allows(permission) else {
            throw StoreError.permission("\(actor.name) is \(actor.role.withArticle) and cannot \(permission.sentence)")
        }
    }

    /// One audited write: `body` inserts rows; the rows it inserted into `tables` are
    /// recorded in one audit event with `details`, unless it inserted nothing (a no-op,
    /// which writes nothing at all).
    func audited<T>(_ action: String, tables: [String], _ body: (Database) throws -> (T, [String: Any])) throws -> T {
        try store.write { db in
            var before: [String: Int64] = [:]
            for table in tables { before[table] = try Audit.maxID(db, table) }
            let (result, details) = try body(db)
            let ranges = try tables.compactMap { try Audit.inserted(db, table: $0, after: before[$0]!) }
            if !ranges.isEmpty {
                try Audit.append(db, actor: actor.name, action: action, details: auditDetails(details), ranges: ranges)
            }
            return result
        }
    }

    public var projectPath: String { store.path }
}

// MARK: - Raters

public struct RaterInfo: Sendable, Equatable {
    public let name: String
    public let role: Role
    public let since: String
}

extension ProjectSession {
    /// Adds a rater with a role, or changes an existing rater's role (a new revision).
    /// Returns false when the rater already has that role (nothing written).
    @discardableResult
    public func addRater(_ name: String, role: Role) throws -> Bool {
        try require(.addRater)
        guard Self.isValidName(name) else {
            throw StoreError.input("\(quoted(name)) is not a valid rater name; use letters, digits, '.', '_' or '-' (like a login name)")
        }
        if let postgres = store.postgres { return try addRater(name, role: role, on: postgres) }
        return try audited("rater.add", tables: ["rater", "rater_role"]) { db in
            let at = Clock.now()
            if let existing = try Self.actor(store.sql(db), named: name) {
                guard existing.role != role else { return (false, [:]) }
                try db.execute(sql: "INSERT INTO rater_role (rater_id, role, created_at) VALUES (?, ?, ?)",
                               arguments: [existing.id, role.rawValue, at])
                return (true, ["rater": name, "role": role.rawValue, "previous_role": existing.role.rawValue])
            }
            try db.execute(sql: "INSERT INTO rater (name, created_at) VALUES (?, ?)", arguments: [name, at])
            try db.execute(sql: "INSERT INTO rater_role (rater_id, role, created_at) VALUES (?, ?, ?)",
                           arguments: [db.lastInsertedRowID, role.rawValue, at])
            return (true, ["rater": name, "role": role.rawValue])
        }
    }

    public func raters() throws -> [RaterInfo] {
        try require(.listRaters)
        return try store.read { db in
            try db.rows("""
                SELECT r.name, rr.role, rr.created_at FROM rater r
                JOIN rater_role rr ON rr.id = (SELECT max(id) FROM rater_role WHERE rater_id = r.id)
                ORDER BY r.name
                """).map { RaterInfo(name: $0["name"], role: Role(rawValue: $0["role"]) ?? .rater, since: $0["created_at"]) }
        }
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-"
        }
    }
}

// MARK: - Rubrics

public struct RubricVersionInfo: Sendable, Equatable {
    public let name: String
    public let hash: String
    public let added: Bool
}

extension ProjectSession {
    /// Stores an immutable rubric version; the same content again is a no-op that says so.
    public func addRubric(_ rubric: Rubric, sourcePath: String) throws -> RubricVersionInfo {
        try require(.addRubric)
        if let postgres = store.postgres { return try addRubric(rubric, sourcePath: sourcePath, on: postgres) }
        return try audited("rubric.add", tables: ["rubric_version"]) { db in
            if try store.sql(db).value(Bool.self, "SELECT 1 FROM rubric_version WHERE hash = ?", [rubric.contentHash]) == true {
                return (RubricVersionInfo(name: rubric.name, hash: rubric.contentHash, added: false), [:])
            }
            try db.execute(sql: "INSERT INTO rubric_version (name, hash, canonical_json, source_path, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [rubric.name, rubric.contentHash, rubric.canonicalJSON, sourcePath, Clock.now()])
            return (RubricVersionInfo(name: rubric.name, hash: rubric.contentHash, added: true),
                    ["rubric": rubric.name, "hash": rubric.contentHash, "source": sourcePath])
        }
    }

    /// The latest version of the rubric called `name`.
    static func latestRubric(_ db: any SQLDatabase, named name: String) throws -> (id: Int64, rubric: Rubric)? {
        guard let row = try db.row("SELECT id, canonical_json FROM rubric_version WHERE name = ? ORDER BY id DESC LIMIT 1",
                                   [name]) else { return nil }
        return (row["id"], try Rubric.fromCanonicalJSON(row["canonical_json"]))
    }

    static func rubric(_ db: any SQLDatabase, id: Int64) throws -> Rubric {
        try Rubric.fromCanonicalJSON(try db.value(String.self, "SELECT canonical_json FROM rubric_version WHERE id = ?", [id])!)
    }
}
