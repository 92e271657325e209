import PostgresClient
import PostgresTestSupport
@testable import Store
import Testing

/// A database holding a concord project of another layout (one made by an earlier concord,
/// before `clip_index` and `submission_display`) is not opened as if it were this one's:
/// its writes would fail half way. The message names both layouts and the way across
/// (docs/server.md, §13).
@Suite struct PostgresLayoutTests {
    @Test func anOlderLayoutIsRefusedWithTheWayToMoveIt() throws {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster)
            let uri = cluster.uri(database: "concord_t", user: "ada")
            #expect(PostgresSchema.layout(connection: try project.connect(as: "ada")) == .current)
            _ = try PostgresProject(uri: uri)
            // The version row as a pg3 project (before the pair tables) has it (the table is append-only: as the
            // superuser, with its triggers off for the one statement).
            let superuser = try project.connect()
            try superuser.execute("ALTER TABLE concord.schema_version DISABLE TRIGGER USER")
            try superuser.execute("UPDATE concord.schema_version SET version = 'pg3'")
            try superuser.execute("ALTER TABLE concord.schema_version ENABLE TRIGGER USER")
            #expect(PostgresSchema.layout(connection: try project.connect(as: "ada")) == .other(["pg3"]))
            #expect(!PostgresSchema.isProject(connection: try project.connect(as: "ada")))
            let error = #expect(throws: StoreError.self) { try PostgresProject(uri: uri) }
            #expect(error?.kind == .project)
            #expect(error?.message == "\(redacted(uri)) holds a concord project of layout pg3, made by another version of concord; "
                    + "this one reads and writes layout pg4. Move it with concord migrate: with the concord that made it, "
                    + "--from URI --to FILE.db; then with this one, --from FILE.db --to a new empty database")
        }
    }
}
