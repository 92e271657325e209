import Foundation
import PostgresTestSupport
import Rubric
import Store
import Testing

/// The two stores a project can live in (issue 16): the Store suite runs each of its tests on
/// both, so the PostgreSQL store is held to the very assertions the project file is.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// The kinds this machine can run: PostgreSQL needs root and Debian's PostgreSQL 15
    /// (`scripts/deps.sh test` installs it), else the suite runs on SQLite alone.
    static let all: [StoreKind] = SharedCluster.available ? allCases : [.sqlite]
}

/// A fresh project of either kind, and sessions in it as given people: on SQLite one store
/// and `session(login:)` (the OS login it would be); on PostgreSQL a store per person,
/// connected with that person's login role in the URI, so the server's `session_user` — what
/// the database's functions and row security go by — is that person, as with peer
/// authentication in production (docs/server.md).
final class TestProject {
    static let adminName = "admin"

    let kind: StoreKind
    /// The project file's path, or the PostgreSQL database's name.
    let location: String
    /// The admin's store and session.
    let store: ProjectStore
    let admin: ProjectSession
    private var stores: [String: ProjectStore] = [:]

    private init(kind: StoreKind, location: String, store: ProjectStore) throws {
        self.kind = kind
        self.location = location
        self.store = store
        admin = try store.session(login: Self.adminName)
        stores[Self.adminName] = store
    }

    /// A new project holding only its admin (`admin`); on PostgreSQL in a database whose
    /// default collation is `icuLocale`'s when given (`SharedCluster.freshDatabase`).
    static func empty(_ kind: StoreKind, name: String = "t", icuLocale: String? = nil) throws -> TestProject {
        switch kind {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString).db").path
            return try TestProject(kind: kind, location: path, store: try ProjectStore.create(path: path, name: name, admin: adminName))
        case .postgres:
            let database = try SharedCluster.freshDatabase(owner: adminName, icuLocale: icuLocale)
            let uri = SharedCluster.uri(database: database, user: adminName)
            return try TestProject(kind: kind, location: database, store: try ProjectStore.create(path: uri, name: name, admin: adminName))
        }
    }

    /// Where a new project of this kind would go that is not this one: a file path beside it,
    /// or a fresh empty database's URI (for tests that expect `create` to refuse).
    func otherLocation() throws -> String {
        switch kind {
        case .sqlite: return location + "-other"
        case .postgres: return SharedCluster.uri(database: try SharedCluster.freshDatabase(owner: Self.adminName), user: Self.adminName)
        }
    }

    /// The URI `person` opens a PostgreSQL project with (messages name it).
    func uri(as person: String) -> String {
        precondition(kind == .postgres, "a project file has no URI")
        return SharedCluster.uri(database: location, user: person)
    }

    /// The store as `person` opens it (the same store on SQLite, where the login is an
    /// argument; their own connection on PostgreSQL, where it is the server's session user).
    func store(as person: String) throws -> ProjectStore {
        if let store = stores[person] { return store }
        switch kind {
        case .sqlite:
            return store
        case .postgres:
            try SharedCluster.ensureLogin(person)
            let opened = try ProjectStore.open(path: uri(as: person))
            stores[person] = opened
            return opened
        }
    }

    /// A session as `person` (and, for an admin, acting as `actingAs`).
    func session(_ person: String, actingAs: String? = nil) throws -> ProjectSession {
        try store(as: person).session(login: person, actingAs: actingAs)
    }

    /// Adds a rater as the admin. On PostgreSQL the person's login role is made first, as a
    /// DBA makes it before `concord rater add` (which grants it the concord role's group role).
    func addRater(_ name: String, role: Role) throws {
        if kind == .postgres { try SharedCluster.ensureLogin(name) }
        try admin.addRater(name, role: role)
    }

    static let rubricYAML = """
    name: demo
    criteria:
      - id: present
        question: Is there a cut-in?
        scale: nominal
        options: ["yes", "no"]
      - id: severity
        question: How severe?
        scale: ordinal
        options: [low, high]
        when: {present: "yes"}
    """

    /// The demo rubric, raters alice and bob, the auditor aud, two clips in batch b, all
    /// assigned to alice and bob.
    static func demo(_ kind: StoreKind, icuLocale: String? = nil) throws -> TestProject {
        let project = try empty(kind, icuLocale: icuLocale)
        _ = try project.admin.addRubric(try Rubric.parse(rubricYAML, file: "demo.yaml"), sourcePath: "demo.yaml")
        try project.addRater("alice", role: .rater)
        try project.addRater("bob", role: .rater)
        try project.addRater("aud", role: .auditor)
        let clips = (1...2).map { i in
            ClipFacts(path: "/clips/c\(i).mp4", name: "c\(i).mp4", sha256: String(repeating: "\(i)", count: 64), sizeBytes: 100,
                      codec: "h264", duration: 1, frameRate: 25, frameCount: 25, width: 64, height: 48, rotation: 0)
        }
        _ = try project.admin.addClips(clips, batch: "b", rubric: "demo")
        _ = try project.admin.assign(batch: "b", raters: ["alice", "bob"], overlap: nil, goldRate: nil)
        return project
    }
}
