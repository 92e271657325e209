import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

/// `concord migrate` end to end (docs/server.md "Moving a project"): the standard project
/// into PostgreSQL and back into a file, which `audit verify --anchor` accepts with the
/// anchor the original printed; refusals are one line, exit 2, and leave no target.
@Suite struct MigrateCommandTests {
    /// What `migrate` prints for the standard project (Standard: 11 events, 10 labels).
    static func copied(_ source: String, _ target: String, anchor: String) -> String {
        """
        copied \(source) into \(target):
          project             1
          rater               7
          rater_role          7
          rubric_version      1
          clip                3
          batch               1
          batch_setting       0
          item                3
          assignment          9
          label               10
          item_mark           0
          submission          0
          decision            0
          gold                0
          batch_rule          0
          training_item       0
          decision_rater      0
          submission_display  0
          label_prediction    0
          item_pair           0
          clip_tag            0
          assignment_side     0
          label_current       10
          audit_event         11
        the copy's audit log verified intact and ends at the source's newest event
        anchor \(anchor)   (the same in both; keep it outside the project, pass it to audit verify --anchor later)

        """
    }

    static func anchor(_ location: String) throws -> String {
        let verify = try CLI.run(["audit", "verify", "--project", location])
        try #require(verify.status == 0, "\(verify.stderr)")
        let line = try #require(verify.stdout.split(separator: "\n").first { $0.hasPrefix("anchor ") })
        return String(line.split(separator: " ")[1])
    }

    @Test(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
    func toPostgreSQLAndBackKeepsTheLabelsAndTheAnchor() throws {
        let project = try Standard.copy()
        let anchor = try Self.anchor(project.db)
        let labels = try project.ok(["label", "export"])
        try PostgresCluster.with { cluster in
            // The DBA's part (docs/server.md §2): the admin's login, owning an empty database.
            let superuser = try PostgresConnection(uri: cluster.uri())
            try superuser.execute("CREATE ROLE root LOGIN CREATEROLE")
            try superuser.execute("CREATE DATABASE concord_cli OWNER root")
            let uri = cluster.uri(database: "concord_cli", user: "root")
            let shown = try PostgresConnection(uri: uri).displayURI

            let there = try CLI.run(["migrate", "--from", project.db, "--to", uri])
            #expect(there.stderr == "" && there.status == 0)
            #expect(there.stdout == Self.copied(project.db, shown, anchor: anchor))
            #expect(try Self.anchor(uri) == anchor)
            #expect(try CLI.run(["label", "export", "--project", uri]).stdout == labels)

            let back = project.dir + "/archive.db"
            let archived = try CLI.run(["migrate", "--from", uri, "--to", back])
            #expect(archived.stderr == "" && archived.status == 0)
            #expect(archived.stdout == Self.copied(shown, back, anchor: anchor))
            let verify = try CLI.run(["audit", "verify", "--anchor", anchor, "--project", back])
            #expect(verify.status == 0)
            #expect(verify.stdout == "audit log intact: 11 events, chain and 41 audited rows verified; 1 anchor matched\n"
                    + "anchor \(anchor)   (keep it outside the project file; pass it to --anchor later)\n")
            #expect(try CLI.run(["label", "export", "--project", back]).stdout == labels)

            // A database holding a project is not empty: refused, nothing changed.
            let again = try CLI.run(["migrate", "--from", back, "--to", uri])
            #expect(again.status == 2 && again.stdout == "")
            #expect(concordMessage(again.stderr) == "concord: the PostgreSQL database 'concord_cli' is not empty: concord migrate needs an empty database; ask the DBA for a new one (createdb -O root NAME)\n")
            #expect(try Self.anchor(uri) == anchor)
        }
    }

    @Test func refusalsAreOneLineAndLeaveNoTarget() throws {
        let project = try Standard.copy()
        let before = try project.snapshot()
        let taken = project.dir + "/taken.db"
        try writeFile(taken, "keep me")
        let notProject = project.dir + "/notes.txt"
        try writeFile(notProject, "not a project")
        let cases: [([String], String)] = [
            (["--from", project.db, "--to", taken],
             "\(taken) already exists; concord migrate writes a new project file and never touches an existing one: pass a path that does not exist"),
            (["--from", project.db, "--to", project.db],
             "--from and --to name the same project (\(project.db)); concord migrate copies a project into a new file or an empty database: pass another --to"),
            (["--from", notProject, "--to", project.dir + "/new.db"],
             "\(notProject) is not a concord project file (it is not an SQLite database); create one with: concord init --project PATH"),
            (["--from", project.dir + "/none.db", "--to", project.dir + "/new.db"],
             "no project at \(project.dir)/none.db (--from): pass a project file or a postgresql:// URI"),
        ]
        for (arguments, message) in cases {
            let result = try CLI.run(["migrate"] + arguments)
            #expect(result.status == 2 && result.stdout == "", "\(arguments)")
            #expect(concordMessage(result.stderr) == "concord: \(message)\n")
        }
        #expect(try String(contentsOfFile: taken, encoding: .utf8) == "keep me")
        #expect(!FileManager.default.fileExists(atPath: project.dir + "/new.db"))
        #expect(try project.snapshot() == before)
    }

    /// A disk that fills up during the copy: one line, exit 2, no file left (a private tmpfs).
    @Test(.enabled(if: getuid() == 0, "mounts a private tmpfs"))
    func aFullDiskLeavesNoFile() throws {
        let project = try Standard.copy()
        let dir = try scratchDirectory("full")
        // Room for the schema, not for the rows: 160 KiB.
        #expect(try Tool.run("/bin/mount", ["-t", "tmpfs", "-o", "size=160k", "tmpfs", dir]).status == 0)
        defer { _ = try? Tool.run("/bin/umount", [dir]) }
        let target = dir + "/copy.db"
        let result = try CLI.run(["migrate", "--from", project.db, "--to", target])
        #expect(result.status == 2 && result.stdout == "")
        #expect(concordMessage(result.stderr) == "concord: concord migrate could not write \(target): database or disk is full (the disk may be full, or a quota or file-size limit reached); \(target) was not created; free space and try again\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
    }
}
