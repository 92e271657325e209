import Foundation
import GRDB
import PostgresClient
import PostgresTestSupport
import Rubric
@testable import Store

/// A concord project installed in a private cluster as a DBA and a project admin would make
/// it (docs/server.md): a login with CREATEROLE owning an empty database, then
/// `PostgresSchema.install` as that login. Connections go over the cluster's socket.
struct InstalledProject {
    let cluster: PostgresCluster
    let database: String
    /// The login that ran init: the project's first admin.
    let admin: String

    /// The DBA's part (`createuser --createrole ADMIN; createdb -O ADMIN DATABASE`), as the
    /// bootstrap superuser.
    static func prepare(_ cluster: PostgresCluster, database: String = "concord_t", admin: String = "ada") throws {
        let superuser = try PostgresConnection(uri: cluster.uri())
        try superuser.execute("CREATE ROLE \(PostgresSchema.quoteIdentifier(admin)) LOGIN CREATEROLE")
        try superuser.execute("CREATE DATABASE \(PostgresSchema.quoteIdentifier(database)) OWNER \(PostgresSchema.quoteIdentifier(admin))")
    }

    /// The DBA's part, then `concord init` as the admin login.
    static func install(_ cluster: PostgresCluster, database: String = "concord_t", admin: String = "ada",
                        name: String = "t") throws -> InstalledProject {
        try prepare(cluster, database: database, admin: admin)
        let project = InstalledProject(cluster: cluster, database: database, admin: admin)
        try PostgresSchema.install(connection: try project.connect(as: admin), database: database, projectName: name)
        return project
    }

    func connect(as user: String = PostgresCluster.superuser) throws -> PostgresConnection {
        try PostgresConnection(uri: cluster.uri(database: database, user: user))
    }

    /// A login role for a person, as the DBA makes one (`createuser NAME`).
    func createLogin(_ name: String) throws {
        try connect().execute("CREATE ROLE \(PostgresSchema.quoteIdentifier(name)) LOGIN")
    }

    /// The first column of every row of `sql` run as the superuser (NULL as nil).
    func column(_ sql: String, _ parameters: [String?] = []) throws -> [String?] {
        try connect().execute(sql, parameters).rows.map { $0[0] }
    }
}

/// A project file written through the Swift Store with two raters' work on it, whose rows
/// the PostgreSQL tests copy into a database (`copy(_:to:)`): the same rows on both
/// stores, so digests can be compared and blind reads checked against known values. Every
/// value a rater, lead or note writes carries its writer's marker (AAA for the first rater,
/// BBB for the second, LLL for the lead), so a dump shows whose values it holds.
enum SeededProject {
    static let rubricYAML = """
    name: seed
    criteria:
      - id: present
        question: Is there a cut-in?
        scale: nominal
        options: ["yes", "no"]
      - id: notes
        question: Notes for the lead
        scale: text
    """

    /// The raters, in the order they are added (so their ids are 2, 3… after the admin's 1).
    struct People {
        var admin = "admin", first = "alice", second = "bob", lead = "lena", auditor = "aud"
        var added: [(String, Role)] { [(first, .rater), (second, .rater), (lead, .lead), (auditor, .auditor)] }
    }

    static func make(_ people: People = People()) throws -> ProjectStore {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString).db").path
        let store = try ProjectStore.create(path: path, name: "seed", admin: people.admin)
        let admin = try store.session(login: people.admin)
        for (name, role) in people.added { try admin.addRater(name, role: role) }
        _ = try admin.addRubric(try Rubric.parse(rubricYAML, file: "seed.yaml"), sourcePath: "rubrics/seed.yaml")
        let clips = (1...2).map { i in
            ClipFacts(path: "/clips/c\(i).mp4", name: "c\(i).mp4", sha256: String(repeating: "\(i)", count: 64), sizeBytes: 1_000 + Int64(i),
                      codec: "h264", duration: 0.1 * Double(i), frameRate: 29.97, frameCount: 3, width: 64, height: 48, rotation: -90)
        }
        _ = try admin.addClips(clips, batch: "b", rubric: "seed")
        _ = try admin.assign(batch: "b", raters: [people.first, people.second], overlap: nil, goldRate: nil)
        let first = try store.session(login: people.admin, actingAs: people.first)
        let second = try store.session(login: people.admin, actingAs: people.second)
        let lead = try store.session(login: people.admin, actingAs: people.lead)
        _ = try first.submitItem(ItemSubmission(item: 1, answers: ["present": "yes", "notes": "AAA notes \\ back\tslash\nline 2 ünï 漢字"],
                                                frame: 2, pts: 0.1, dwellMs: 1_500, watchedShare: 1,
                                                display: DisplayRecord(mode: .kitty, width: 640, height: 360, colors: "24-bit",
                                                                       speeds: [0.25, 1, 4])))
        _ = try first.submitItem(ItemSubmission(item: 2, answers: ["present": "no", "notes": "AAA second"],
                                                frame: 0, pts: 0, dwellMs: 20, watchedShare: 0.5,
                                                display: DisplayRecord(mode: .sixel, width: 1, height: 100_000, colors: "7")))
        _ = try second.submitItem(ItemSubmission(item: 1, answers: ["present": "no", "notes": "BBB notes"],
                                                 frame: nil, pts: nil, dwellMs: nil, watchedShare: 0))
        try first.markItem(2, kind: .flag, note: "AAA flag")
        try second.markItem(2, kind: .skip, note: "BBB skip")
        try lead.sendBack(item: 1, raters: [people.second], note: "LLL to BBB")
        try lead.resolve(item: 1, criterion: "present", value: "yes", reason: .raterError, note: "LLL resolved")
        try lead.markNeedsRevision(item: 2, criterion: "present", note: "LLL revise")
        try lead.addGold(item: 2, criterion: "present", value: "no", training: true)
        try lead.setBatchRule(batch: "b", spreadThreshold: 1e300, goldThreshold: 0.8)
        return store
    }

    /// The project file itself, read-only, through GRDB (as `audit verify` reads it).
    static func sqlite(_ store: ProjectStore) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: store.path, configuration: configuration)
    }

    /// Copies every row of `store`'s audited tables and `label_current` into the concord
    /// tables of `connection` as they are (ids included; rows whose id is there already are
    /// left, as init's admin is), then moves each identity past the copied ids.
    static func copy(_ store: ProjectStore, to connection: PostgresConnection) throws {
        let tables = Schema.auditedTables + [("label_current", ["item_id", "rater_id", "criterion", "label_id"])]
        try sqlite(store).read { db in
            for (table, columns) in tables {
                let placeholders = (1...columns.count).map { "$\($0)" }.joined(separator: ", ")
                let insert = "INSERT INTO concord.\(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders)) ON CONFLICT DO NOTHING"
                for row in try SQLiteDatabase(db).rows("SELECT \(columns.joined(separator: ", ")) FROM \(table)") {
                    try connection.execute(insert, row.values.map(PostgresDatabase.text))
                }
                if table != "label_current" {
                    try connection.execute("SELECT setval(pg_get_serial_sequence('concord.\(table)', 'id'), coalesce(max(id), 0) + 1, false) FROM concord.\(table)")
                }
            }
        }
    }
}

extension SeededProject {
    /// The rows `copy` leaves out: the project row and the audit log, as they are.
    static func copyHistory(_ store: ProjectStore, to connection: PostgresConnection) throws {
        try sqlite(store).read { db in
            for row in try SQLiteDatabase(db).rows("SELECT id, name, created_at FROM project") {
                try connection.execute("INSERT INTO concord.project (id, name, created_at) VALUES ($1, $2, $3)", row.values.map(PostgresDatabase.text))
            }
            for row in try SQLiteDatabase(db).rows("SELECT seq, at, actor, action, payload, prev_hash, hash FROM audit_event ORDER BY seq") {
                try connection.execute("INSERT INTO concord.audit_event (seq, at, actor, action, payload, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                       row.values.map(PostgresDatabase.text))
            }
        }
    }
}

extension InstalledProject {
    /// A project installed by `ada` whose raters (logins too) and rows are a SeededProject's:
    /// alice and bob rate, lena leads, aud audits; ids as in the project file.
    static func seeded(_ cluster: PostgresCluster) throws -> (InstalledProject, ProjectStore) {
        let people = SeededProject.People(admin: "ada")
        let store = try SeededProject.make(people)
        let project = try install(cluster, name: "seed")
        let admin = try project.connect(as: "ada")
        for (name, role) in people.added {
            try project.createLogin(name)
            try admin.execute("SELECT concord.add_rater($1, $2)", [name, role.rawValue])
        }
        try SeededProject.copy(store, to: try project.connect())
        return (project, store)
    }
}
