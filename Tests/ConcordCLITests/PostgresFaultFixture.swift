import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

/// A concord project in a PostgreSQL cluster of its own, for the tests that stop or restart
/// the server under concord (the other PostgreSQL tests share one cluster, which must never
/// go down under them). Trust on the cluster's private socket: a test connects as any role
/// by naming it in the URI, which is how each rater logs in here. The cluster is stopped and
/// removed when the fixture goes.
final class PrivatePostgresProject {
    let cluster: PostgresCluster
    let database = "concord_faults"
    /// The test's own files (rubrics, acknowledgement files).
    let dir: String

    /// `concord init` by the cluster's superuser, who becomes the project's admin.
    init(_ label: String) throws {
        cluster = try PostgresCluster()
        dir = try scratchDirectory(label)
        try cluster.createDatabase(database)
        try ok(["init"])
    }

    deinit { cluster.stop() }

    /// `--project` connecting as `role` (nil: the admin).
    func uri(as role: String? = nil) -> String {
        cluster.uri(database: database, user: role ?? PostgresCluster.superuser)
    }

    /// `concord ARGS --project URI` as `role`; must succeed; its standard output.
    @discardableResult
    func ok(_ arguments: [String], as role: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try CLI.run(arguments + ["--project", uri(as: role)])
        try #require(result.status == 0, "concord \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)",
                     sourceLocation: sourceLocation)
        return result.stdout
    }

    /// A login role per name (what the DBA makes) and its concord role (what the admin gives).
    func addRaters(_ names: [String], role: String) throws {
        let admin = try PostgresConnection(uri: uri())
        for name in names {
            try admin.execute("CREATE ROLE \"\(name)\" LOGIN")   // the test's own plain names
            try ok(["rater", "add", name, "--role", role])
        }
    }

    /// Rows of `sql` run as the superuser, behind concord's back.
    func rows(_ sql: String) throws -> [[String?]] {
        try PostgresConnection(uri: uri()).execute(sql).rows
    }

    /// A rubric file in the test's directory, added to the project.
    func addRubric(_ yaml: String, name: String) throws {
        let path = dir + "/\(name).yaml"
        try writeFile(path, yaml)
        try ok(["rubric", "add", path])
    }

    /// The demo's six clips as batch `batch`, assigned to `raters` (everyone rates every clip).
    func addDemoClips(batch: String, rubric: String, raters: [String]) throws {
        let demo = CLI.packageRoot.appendingPathComponent("assets/demo").path
        let clips = try FileManager.default.contentsOfDirectory(atPath: demo).filter { $0.hasSuffix(".mp4") }.sorted()
        try ok(["clip", "add"] + clips.map { demo + "/" + $0 } + ["--batch", batch, "--rubric", rubric])
        try ok(["assign", "--batch", batch, "--raters", raters.joined(separator: ",")])
    }
}
