import Foundation
import Testing

/// `--project` naming something that is not a concord project changes nothing: not its
/// bytes, not its journal mode, and no `-wal`, `-shm` or `-journal` appears beside it.
/// (`status --project other-app.db` used to switch another application's database to WAL
/// before saying "not a concord project", and `--project /dev/zero` created
/// `/dev/zero-journal`.) The character device here is a private node made with mknod in a
/// temporary directory, never a real device path.
/// SQLite only: files (a PostgreSQL database that is not a project: PostgresURITests).
@Suite struct ForeignFileTests {
    /// The names in `dir`, sorted.
    static func listing(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    }

    static func refuse(_ path: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for arguments in [["status"], ["label", "export"], ["audit", "verify"], ["label", "import", "-"]] {
            let result = try CLI.run(arguments + ["--project", path], stdin: "clip,rater,criterion,value\n")
            #expect(result.status == 2, "\(arguments)", sourceLocation: sourceLocation)
            #expect(result.stdout == "", sourceLocation: sourceLocation)
            #expect(concordMessage(result.stderr) == "concord: \(message)\n", "\(arguments)", sourceLocation: sourceLocation)
        }
    }

    @Test func anotherApplicationsDatabaseIsLeftAsItWas() throws {
        let dir = try scratchDirectory("foreign")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plain = dir + "/other-app.db", tagged = dir + "/tagged.db"
        try Tool.sqlite(plain, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me');")
        try Tool.sqlite(tagged, "PRAGMA application_id = 42; CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        let bytes = [plain: try Data(contentsOf: URL(fileURLWithPath: plain)), tagged: try Data(contentsOf: URL(fileURLWithPath: tagged))]
        try Self.refuse(plain, "\(plain) is an SQLite database but not a concord project; nothing was changed")
        try Self.refuse(tagged, "\(tagged) is another application's SQLite database (application_id 0x2a), not a concord project; nothing was changed")
        for (path, data) in bytes { #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == data, "\(path)") }
        #expect(try Self.listing(dir) == ["other-app.db", "tagged.db"])
        #expect(try Tool.sqlite(plain, "PRAGMA journal_mode;") == "delete\n")
    }

    @Test func fifosDevicesAndOtherFilesAreRefusedUntouched() throws {
        let dir = try scratchDirectory("special")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/pipe", device = dir + "/zero", text = dir + "/notes.txt", empty = dir + "/empty.db"
        #expect(mkfifo(fifo, 0o600) == 0)
        // The same device as /dev/zero (1, 5), as a private node: nothing can be made beside /dev/zero.
        #expect(mknod(device, S_IFCHR | 0o600, makedev(1, 5)) == 0, "mknod: \(String(cString: strerror(errno)))")
        try writeFile(text, "clip,rater\n")
        try writeFile(empty, "")
        try Self.refuse(fifo, "\(fifo) is not a concord project file: it is a FIFO (named pipe), not a regular file; pass the project's file with --project")
        try Self.refuse(device, "\(device) is not a concord project file: it is a character device, not a regular file; pass the project's file with --project")
        for path in [text, empty] {
            try Self.refuse(path, "\(path) is not a concord project file (it is not an SQLite database); create one with: concord init --project PATH")
        }
        #expect(try Self.listing(dir) == ["empty.db", "notes.txt", "pipe", "zero"])
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "clip,rater\n")
        #expect((try FileManager.default.attributesOfItem(atPath: empty)[.size] as? Int) == 0)
    }

    @Test func projectsAreMarkedAndOlderOnesStillOpen() throws {
        let project = try Standard.copy()
        defer { project.remove() }
        #expect(try project.sql("PRAGMA application_id;") == "1131376227\n")   // "Conc"
        // A project made before the mark (application_id 0) is recognised by its tables.
        try project.sql("PRAGMA application_id = 0;")
        #expect(try project.run(["status"]).status == 0)
        #expect(try project.run(["audit", "verify"]).status == 0)
    }
}

private func makedev(_ major: UInt32, _ minor: UInt32) -> dev_t {
    dev_t(major & 0xfff) << 8 | dev_t(minor & 0xff) | dev_t(minor & ~0xff) << 12 | dev_t(major & ~0xfff) << 32
}
