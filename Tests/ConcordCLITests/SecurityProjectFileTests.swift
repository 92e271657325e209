import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 9, security, the project file itself: created 0660 whatever the umask; shared
/// among a raters' group as docs/security.md says (run for real as other OS users with
/// setpriv); hostile names stored as data; and tampering with sqlite3 caught by
/// `concord audit verify`, naming the first bad event.
/// SQLite only: the file's mode and group, and sqlite3 (PostgreSQL's counterparts: PostgresRoleTests).
@Suite struct SecurityProjectFileTests {
    static func mode(_ path: String) throws -> Int {
        var info = stat()
        try #require(stat(path, &info) == 0, "stat \(path): \(String(cString: strerror(errno)))")
        return Int(info.st_mode & 0o7777)
    }

    static func group(_ path: String) throws -> gid_t {
        var info = stat()
        try #require(stat(path, &info) == 0, "stat \(path): \(String(cString: strerror(errno)))")
        return info.st_gid
    }

    static func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// `sh -c "umask MASK; exec PROGRAM ARGS"`: the spawned process's own umask.
    static func withUmask(_ mask: String, _ program: String, _ arguments: [String], cwd: String? = nil) throws -> CLIResult {
        let command = "umask \(mask); exec " + ([program] + arguments).map(shellQuote).joined(separator: " ")
        return try Tool.run("/bin/sh", ["-c", command], cwd: cwd)
    }

    // MARK: - Mode 0660

    @Test(arguments: ["022", "077", "000", "002"])
    func projectFileIsCreated0660WhateverTheUmask(_ umask: String) throws {
        let dir = try scratchDirectory("mode")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/p.db"
        let result = try Self.withUmask(umask, CLI.binary.path, ["init", "--project", db])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.mode(db) == 0o660, "umask \(umask)")
        // The -wal and -shm files SQLite makes while a connection is open get the file's
        // mode (SQLite copies it, umask or not); a reader holds them open here.
        let sqlite3 = try #require(Tool.which("sqlite3"))
        let held = try Self.withUmask(umask, sqlite3, ["-batch", db, "BEGIN; SELECT count(*) FROM rater;",
                                                       ".shell stat -c '%n %a' p.db-wal p.db-shm"], cwd: dir)
        #expect(held.status == 0, "\(held.stderr)")
        #expect(held.stdout == "1\np.db-wal 660\np.db-shm 660\n" || held.stdout == "p.db-wal 660\np.db-shm 660\n1\n", "\(held.stdout)")
        // A command run later under the same umask leaves the mode alone.
        let later = try Self.withUmask(umask, CLI.binary.path, ["rater", "add", "alice", "--role", "rater", "--project", db])
        #expect(later.status == 0, "\(later.stderr)")
        #expect(try Self.mode(db) == 0o660)
        // init never replaces a file, and a racing second init cannot either (O_EXCL).
        let again = try CLI.run(["init", "--project", db])
        #expect(again.status == 2)
        #expect(again.stderr == "concord: \(db) already exists; use it, or pass another --project path\n")
        #expect(try Self.mode(db) == 0o660)
    }

    // MARK: - A raters' group, for real

    static let group: gid_t = 48151        // a group id no Debian account uses
    static var canSwitchUsers: Bool {
        getuid() == 0 && Tool.which("setpriv") != nil && getpwuid(1) != nil && getpwuid(65534) != nil
    }
    static func name(_ uid: uid_t) -> String { String(cString: getpwuid(uid)!.pointee.pw_name) }

    /// Runs concord (or any program) as OS user `uid`, in the group or not.
    static func runAs(_ uid: uid_t, member: Bool, _ program: String, _ arguments: [String]) throws -> CLIResult {
        let setpriv = try #require(Tool.which("setpriv"))
        return try Tool.run(setpriv, ["--reuid=\(uid)", "--regid=\(uid == 1 ? 1 : 65534)",
                                      member ? "--groups=\(group)" : "--clear-groups", program] + arguments, cwd: "/")
    }

    static func launchAs(_ uid: uid_t, _ program: String, _ arguments: [String]) throws -> Tool.Launched {
        let setpriv = try #require(Tool.which("setpriv"))
        return try Tool.launch(setpriv, ["--reuid=\(uid)", "--regid=65534", "--groups=\(group)", program] + arguments, cwd: "/")
    }

    /// Holds the project's WAL open as `nobody` (a member), so the -wal and -shm files are
    /// nobody's, until `release` (or 30 s); returns once they exist.
    final class WALHolder {
        let launched: Tool.Launched
        let stop: String
        init(_ db: String) throws {
            let sqlite3 = try #require(Tool.which("sqlite3"))
            let tag = UUID().uuidString.prefix(8)
            stop = (db as NSString).deletingLastPathComponent + "/release-\(tag)"
            // The shell step runs only after the SELECT has opened (and chmodded) -wal and
            // -shm, so waiting for its `ready` file, not for -shm to appear, never catches
            // SQLite between creating a file and setting its mode (CI once saw a mode other than 0o660).
            let ready = (db as NSString).deletingLastPathComponent + "/ready-\(tag)"
            let wait = "touch '\(ready)'; i=0; while [ ! -e '\(stop)' ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; rm -f '\(ready)'"
            launched = try launchAs(65534, sqlite3, ["-batch", db, "BEGIN; SELECT count(*) FROM rater;", ".shell " + wait])
            for _ in 0..<500 where !FileManager.default.fileExists(atPath: ready) { usleep(20_000) }
        }

        func release() {
            _ = FileManager.default.createFile(atPath: stop, contents: nil)
            _ = launched.wait()
            try? FileManager.default.removeItem(atPath: stop)
        }
    }

    /// docs/security.md, step by step: the directory and file in the group, 2770 and 0660;
    /// members read and write (each other's -wal/-shm included, thanks to the setgid bit);
    /// a non-member is refused with one clear line and exit 2; without the setgid bit a
    /// member is told what to fix.
    @Test(.enabled(if: canSwitchUsers, "needs root, setpriv and the daemon and nobody accounts"))
    func aRatersGroupSharesTheProject() throws {
        let (nobody, daemon) = (Self.name(65534), Self.name(1))
        let dir = try scratchDirectory("shared")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The parents must be traversable by others (scratch directories are made 0755).
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratchRoot)
        let db = dir + "/p.db"
        let project = Project(dir: dir, db: db)
        #expect(try Self.withUmask("077", CLI.binary.path, ["init", "--project", db]).status == 0)
        try project.ok(["rater", "add", nobody, "--role", "lead"])
        try project.ok(["rater", "add", daemon, "--role", "lead"])
        // chgrp concord-raters DIR DIR/p.db; chmod 2770 DIR
        #expect(chown(dir, uid_t.max, Self.group) == 0 && chown(db, uid_t.max, Self.group) == 0)
        #expect(chmod(dir, 0o2770) == 0)
        #expect(try Self.mode(db) == 0o660)
        let rubric = dir + "/r.yaml"
        try writeFile(rubric, "name: shared\ncriteria:\n  - id: present\n    question: Is it?\n    scale: nominal\n    options: [\"yes\", \"no\"]\n")
        let rubric2 = dir + "/r2.yaml"
        try writeFile(rubric2, "name: shared2\ncriteria:\n  - id: present\n    question: Is it?\n    scale: nominal\n    options: [\"yes\", \"no\"]\n")
        for file in [rubric, rubric2] { #expect(chown(file, uid_t.max, Self.group) == 0 && chmod(file, 0o640) == 0) }

        // A member writes; the audit log names their login.
        let added = try Self.runAs(65534, member: true, CLI.binary.path, ["rubric", "add", rubric, "--project", db])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.hasPrefix("added rubric 'shared' version "))
        #expect(try project.lastEvent() == "\(nobody)|rubric.add")

        // While nobody holds the WAL, its files are in the group (setgid), 0660, and another
        // member writes through them.
        let holder = try WALHolder(db)
        for suffix in ["-wal", "-shm"] {
            #expect(try Self.group(db + suffix) == Self.group, "\(suffix) not in the project's group")
            #expect(try Self.mode(db + suffix) == 0o660)
        }
        let second = try Self.runAs(1, member: true, CLI.binary.path, ["rubric", "add", rubric2, "--project", db])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.hasPrefix("added rubric 'shared2' version "))
        holder.release()
        #expect(try project.lastEvent() == "\(daemon)|rubric.add")

        // Not in the group: one line, exit 2, for reads and writes alike.
        for arguments in [["status"], ["rater", "add", "mallory", "--role", "admin"], ["audit", "verify"]] {
            let outsider = try Self.runAs(1, member: false, CLI.binary.path, arguments + ["--project", db])
            #expect(outsider.status == 2, "\(arguments)")
            #expect(outsider.stdout == "")
            #expect(outsider.stderr == "concord: cannot open \(db): permission denied; the project is shared through its group: ask its admin to add your login to that group (docs/security.md)\n")
        }

        // Without the setgid bit, nobody's -wal/-shm land in nobody's own group and another
        // member cannot use them: told what to fix, exit 2, no crash.
        #expect(chmod(dir, 0o0770) == 0)
        let stray = try WALHolder(db)
        #expect(try Self.group(db + "-shm") != Self.group)
        let blocked = try Self.runAs(1, member: true, CLI.binary.path, ["status", "--project", db])
        stray.release()
        #expect(blocked.status == 2)
        #expect(blocked.stdout == "")
        #expect(blocked.stderr == "concord: cannot open \(db)-wal: permission denied; it was created outside the project's group: its directory needs the setgid bit (chmod g+s \(dir); docs/security.md)\n")
        #expect(chmod(dir, 0o2770) == 0)

        #expect(try project.ok(["audit", "verify"]).hasPrefix("audit log intact: 5 events"))
    }

    /// `--as` is for admins: the OS login `nobody`, as each other role, is refused on every
    /// reading command of the matrix, whoever it names (an admin, a rater, no one), before
    /// anything is read or written; made an admin, the same login may act as others.
    @Test(.enabled(if: canSwitchUsers, "needs root, setpriv and the nobody account"))
    func asIsRefusedToNonAdminLoginsOnEveryCommand() throws {
        let nobody = Self.name(65534)
        let project = try SecurityMatrixTests.template().copy("as")
        defer { project.remove() }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratchRoot)
        #expect(chown(project.dir, uid_t.max, Self.group) == 0 && chmod(project.dir, 0o2770) == 0)
        for file in try FileManager.default.contentsOfDirectory(atPath: project.dir) {
            #expect(chown(project.dir + "/" + file, uid_t.max, Self.group) == 0)
        }
        let before = try project.sql("SELECT seq, hash FROM audit_event ORDER BY seq;")
        for role in ["rater", "lead", "auditor", "model"] {
            try project.ok(["rater", "add", nobody, "--role", role])
            for command in SecurityMatrixTests.Read.allCases {
                for target in ["adm2", "alice", "ghost"] {
                    let arguments = command.arguments(project.dir) + ["--project", project.db, "--as", target]
                    let result = try Self.runAs(65534, member: true, CLI.binary.path, arguments)
                    #expect(result.status == 2, "\(role) \(command) --as \(target)")
                    #expect(result.stdout == "")
                    #expect(result.stderr == "concord: --as is for admins; \(nobody) is \(withArticle(role))\n", "\(command)")
                    if let out = command.out { #expect(!FileManager.default.fileExists(atPath: project.dir + "/" + out)) }
                }
            }
        }
        // Only the four role changes were written.
        #expect(try project.auditEventCount() == before.split(separator: "\n").count + 4)
        try project.ok(["rater", "add", nobody, "--role", "admin"])
        let asAlice = try Self.runAs(65534, member: true, CLI.binary.path, ["label", "export", "--project", project.db, "--as", "alice"])
        #expect(asAlice.status == 0, "\(asAlice.stderr)")
        #expect(labelKeys(asAlice.stdout) == SecurityMatrixTests.alices)
    }

    // MARK: - Hostile names are data

    static let hostile = "x'); DROP TABLE label; --"

    @Test func hostileNamesAreStoredAsData() throws {
        let dir = try scratchDirectory("hostile")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let project = Project(dir: dir, db: dir + "/p.db")
        #expect(try CLI.run(["init", "--project", project.db, "--name", Self.hostile]).status == 0)
        #expect(try project.sql("SELECT name FROM project;") == Self.hostile + "\n")
        // A rubric whose option is the hostile text; a clip file named with it.
        let rubric = dir + "/r.yaml"
        try writeFile(rubric, """
            name: hostile
            criteria:
              - id: present
                question: Is it?
                scale: nominal
                options: ["\(Self.hostile)", "no"]
              - id: notes
                question: Notes
                scale: text
                required: false

            """)
        try project.ok(["rubric", "add", rubric])
        let clipName = Self.hostile + ".mp4"
        try Clips.make(dir + "/" + clipName)
        #expect(try project.ok(["clip", "add", dir + "/" + clipName, "--batch", "b1", "--rubric", "hostile"])
                == "item 1: \(clipName)\nadded 1 clip to batch 'b1'\n")
        for name in ["alice", "bob"] { try project.ok(["rater", "add", name, "--role", "rater"]) }
        let quoted = "\"" + Self.hostile + "\""
        let csv = dir + "/labels.csv"
        try writeFile(csv, """
            clip,rater,criterion,value
            \("\"" + clipName + "\""),alice,present,\(quoted)
            \("\"" + clipName + "\""),alice,notes,\(quoted)
            \("\"" + clipName + "\""),bob,present,no

            """)
        #expect(try project.ok(["label", "import", csv]) == "\(csv): imported 3 new labels and 0 revisions\n")
        #expect(labelKeys(try project.ok(["label", "export"]))
                == ["\(clipName) alice notes=\(Self.hostile)", "\(clipName) alice present=\(Self.hostile)", "\(clipName) bob present=no"])
        // Resolved with a hostile note: the golden set carries it back verbatim.
        try project.ok(["resolve", "1", "--criterion", "present", "--value", Self.hostile, "--reason", "other", "--note", Self.hostile])
        let golden = try project.ok(["golden", "export", "--format", "jsonl"])
        let entry = try #require(golden.split(separator: "\n").dropFirst().first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(entry.utf8)) as? [String: Any])
        #expect(object["clip"] as? String == clipName && object["value"] as? String == Self.hostile
                && object["rationale"] as? String == Self.hostile)
        // Every table is still there, and the log is whole.
        #expect(try project.sql("SELECT count(*) FROM label;") == "3\n")
        #expect(try project.ok(["audit", "verify"]).hasPrefix("audit log intact: "))

        // Where a name must be a login-like word, the hostile text is refused, not run.
        let before = try project.auditEventCount()
        for (arguments, message) in [
            (["rater", "add", Self.hostile, "--role", "rater"],
             "'\(Self.hostile)' is not a valid rater name; use letters, digits, '.', '_' or '-' (like a login name)"),
            (["clip", "add", try Standard.clip("d.mp4"), "--batch", Self.hostile, "--rubric", "hostile"],
             "'\(Self.hostile)' is not a valid batch name; use letters, digits, '.', '_' or '-'"),
            (["status", "--batch", Self.hostile], "no batch named '\(Self.hostile)'; batches: b1"),
            (["label", "export", "--as", Self.hostile], "no rater named '\(Self.hostile)'; see: concord rater list"),
        ] {
            let result = try project.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stdout == "")
            #expect(result.stderr == "concord: \(message)\n", "\(arguments)")
        }
        // A hostile criterion in a labels file is a line error, not SQL.
        try writeFile(csv, "clip,rater,criterion,value\n\"\(clipName)\",bob,\"\(Self.hostile)\",no\n")
        let bad = try project.run(["label", "import", csv])
        #expect(bad.status == 2)
        #expect(bad.stderr == "concord: \(csv): 1 problem; nothing was imported\n"
                + "\(csv):2: the rubric 'hostile' of batch 'b1' has no criterion '\(Self.hostile)'; criteria: present, notes\n")
        #expect(try project.auditEventCount() == before)
        #expect(try project.sql("SELECT count(*) FROM label;") == "3\n")
    }

    // MARK: - Tampering with the sqlite3 CLI

    enum Tamper: String, CaseIterable, Sendable {
        case eventTimeUpdated, eventHashUpdated, eventActionUpdated, firstEventDeleted, middleEventDeleted, labelValueChanged,
             labelValueChangedAndDigestForged
    }

    /// The standard project's log: 1 init, 2 rubric.add, 3–8 rater.add, 9 clip.add,
    /// 10 assign, 11 label.import (labels 1–10). Each tampering makes `audit verify` exit 1
    /// with the first bad event named on the first line of its message.
    @Test(arguments: Tamper.allCases)
    func tamperingNamesTheFirstBadEvent(_ tamper: Tamper) throws {
        let project = try Standard.copy()
        defer { project.remove() }
        #expect(try project.ok(["audit", "verify"]).hasPrefix("audit log intact: 11 events, chain and 41 audited rows verified\nanchor "))
        let me = testLogin
        let firstLine: String
        switch tamper {
        case .eventTimeUpdated:
            try project.sql("DROP TRIGGER audit_event_no_update; UPDATE audit_event SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 7;")
            firstLine = "event 7 (rater.add by \(me) at 2020-01-01T00:00:00.000Z) was altered: its hash does not match its contents"
        case .eventHashUpdated:
            let hash = try project.sql("SELECT hash FROM audit_event WHERE seq = 4;")
            try project.sql("""
                DROP TRIGGER audit_event_no_update;
                UPDATE audit_event SET hash = (CASE WHEN substr(hash, 1, 1) = 'a' THEN 'b' ELSE 'a' END) || substr(hash, 2) WHERE seq = 4;
                """)
            #expect(try project.sql("SELECT hash FROM audit_event WHERE seq = 4;") != hash)
            let at = try project.sql("SELECT at FROM audit_event WHERE seq = 4;").trimmingCharacters(in: .newlines)
            firstLine = "event 4 (rater.add by \(me) at \(at)) was altered: its hash does not match its contents"
        case .eventActionUpdated:
            try project.sql("DROP TRIGGER audit_event_no_update; UPDATE audit_event SET action = 'rater.list' WHERE seq = 10;")
            let at = try project.sql("SELECT at FROM audit_event WHERE seq = 10;").trimmingCharacters(in: .newlines)
            firstLine = "event 10 (rater.list by \(me) at \(at)) was altered: its hash does not match its contents"
        case .firstEventDeleted:
            try project.sql("DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE seq = 1;")
            firstLine = "event 1 is missing (the next event is 2)"
        case .middleEventDeleted:
            try project.sql("DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE seq = 9;")
            firstLine = "event 9 is missing (the next event is 10)"
        case .labelValueChanged:
            try project.sql("DROP TRIGGER label_no_update; UPDATE label SET value = 'yes' WHERE id = 3;")
            // concord reads the forged value (bob now says yes on a.mp4)...
            #expect(labelKeys(try project.ok(["label", "export"])).contains("a.mp4 bob present=yes"))
            firstLine = "event 11 (label.import by \(me)): rows 1–10 of label were changed or removed since they were written"
        case .labelValueChangedAndDigestForged:
            // The attacker also rewrites the digest the event recorded: the event's own hash
            // then no longer matches.
            try project.sql("""
                DROP TRIGGER label_no_update; DROP TRIGGER audit_event_no_update;
                UPDATE label SET value = 'yes' WHERE id = 3;
                UPDATE audit_event SET payload = json_set(payload, '$.rows[0].digest', '\(String(repeating: "0", count: 64))') WHERE seq = 11;
                """)
            let at = try project.sql("SELECT at FROM audit_event WHERE seq = 11;").trimmingCharacters(in: .newlines)
            firstLine = "event 11 (label.import by \(me) at \(at)) was altered: its hash does not match its contents"
        }
        for actor in [nil, "lena", "aud", "adm2"] as [String?] {
            let result = try project.run(["audit", "verify"], as: actor)
            #expect(result.status == 1, "\(tamper) as \(actor ?? me)")
            #expect(result.stdout == "")
            let lines = result.stderr.split(separator: "\n").map(String.init)
            #expect(lines.first == "concord: audit log BROKEN: " + firstLine, "\(tamper): \(result.stderr)")
        }
    }
}
