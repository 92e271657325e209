import Foundation
import Testing

/// Who may read and do what (docs/security.md "Identity", "Who reads what"), enforced whatever
/// the caller: each role × each reading and writing command, blind exports, `--as`, and the
/// OS login as the identity; on both stores (on PostgreSQL the identity is the connection's
/// login role, and the database enforces the role: docs/server.md).
@Suite struct ProjectRoleTests {
    /// The standard project's member of each role.
    enum Member: String, CaseIterable, Sendable {
        case rater = "alice", lead = "lena", auditor = "aud", admin = "adm2", model = "m1"
        var role: String { "\(self)" }
    }

    enum Command: String, CaseIterable, Sendable {
        // Reading
        case labelExport, status, agreement, raterList, auditVerify
        // Writing
        case raterAdd, rubricAdd, clipAdd, assign, labelImport

        var isWrite: Bool {
            switch self {
            case .labelExport, .status, .agreement, .raterList, .auditVerify: return false
            default: return true
            }
        }

        /// What the denial says the role cannot do (Store's Permission sentences).
        var sentence: String {
            switch self {
            case .labelExport, .status: return "read labels (raters see their own; leads and admins all)"
            case .agreement: return "read agreement and progress of the whole project (leads, auditors and admins)"
            case .raterList: return "list raters (leads, auditors and admins)"
            case .auditVerify: return "verify the audit log (leads, auditors and admins)"
            case .raterAdd: return "add raters or change roles (admins only)"
            case .rubricAdd: return "add rubrics (admins and leads)"
            case .clipAdd: return "add clips (admins and leads)"
            case .assign: return "assign work (admins and leads)"
            case .labelImport: return "import labels (admins and leads)"
            }
        }

        func allowed(for member: Member) -> Bool {
            switch (self, member) {
            case (_, .admin): return true
            case (_, .model): return false
            case (.labelExport, .rater), (.status, .rater): return true
            case (_, .rater): return false
            case (.raterAdd, .lead): return false
            case (_, .lead): return true
            case (.labelExport, .auditor): return false
            case (_, .auditor): return !isWrite
            }
        }

        func arguments(_ project: Project) throws -> [String] {
            switch self {
            case .labelExport: return ["label", "export"]
            case .status: return ["status", "--format", "json"]
            case .agreement: return ["agreement", "--batch", "b1", "--criterion", "present", "--metric", "percent_agreement"]
            case .raterList: return ["rater", "list", "--format", "json"]
            case .auditVerify: return ["audit", "verify"]
            case .raterAdd: return ["rater", "add", "newbie", "--role", "rater"]
            case .rubricAdd: return ["rubric", "add", CLI.packageRoot.appendingPathComponent("rubrics/hazard-detection.yaml").path]
            case .clipAdd: return ["clip", "add", try Standard.clip("d.mp4"), "--batch", "b1"]
            case .assign: return ["assign", "--batch", "b1", "--raters", "m1"]
            case .labelImport:
                let file = project.dir + "/one.csv"
                try writeFile(file, "clip,rater,criterion,value\nb.mp4,lena,present,yes\n")
                return ["label", "import", file]
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let kind: StoreKind
        let member: Member
        let command: Command
        var testDescription: String { "\(kind) \(member.role) \(command.rawValue)" }
    }

    static let matrix: [Case] = StoreKind.available.flatMap { kind in
        Member.allCases.flatMap { m in Command.allCases.map { Case(kind: kind, member: m, command: $0) } }
    }

    /// The current labels of the standard project, "clip rater criterion=value", in export order.
    static let everyone = [
        "a.mp4 alice present=yes", "a.mp4 alice severity=minor", "a.mp4 bob present=no", "a.mp4 lena present=yes", "a.mp4 m1 present=yes",
        "b.mp4 alice present=no", "b.mp4 bob present=no", "b.mp4 m1 present=no",
        "c.mp4 bob present=yes", "c.mp4 bob ttc=3.5",
    ]

    @Test(arguments: matrix)
    func roleMatrix(_ c: Case) throws {
        // Only a write that is allowed changes the project: the others share one on PostgreSQL.
        let project = c.command.isWrite && c.command.allowed(for: c.member) ? try Standard.copy(c.kind) : try Standard.forReading(c.kind)
        defer { project.remove() }
        let before = try project.sql("SELECT seq, hash FROM audit_event ORDER BY seq;")
        let result = try project.run(try c.command.arguments(project), as: c.member.rawValue)
        guard c.command.allowed(for: c.member) else {
            #expect(result.status == 2, "\(result.stdout)")
            #expect(result.stdout == "")
            #expect(result.stderr == "concord: \(c.member.rawValue) is \(withArticle(c.member.role)) and cannot \(c.command.sentence)\n")
            #expect(try project.sql("SELECT seq, hash FROM audit_event ORDER BY seq;") == before, "a refused command wrote")
            return
        }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        let events = try project.auditEventCount()
        switch c.command {
        case .labelExport:
            let rows = labelKeys(result.stdout)
            if c.member == .rater {
                #expect(rows == ["a.mp4 alice present=yes", "a.mp4 alice severity=minor", "b.mp4 alice present=no"])
            } else {
                #expect(rows == Self.everyone)
            }
        case .status:
            let batches = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
            let raters = (batches.first?["raters"] as? [[String: Any]] ?? []).map { "\($0["rater"]!) \($0["assigned"]!) \($0["labels"]!)" }
            #expect(raters == (c.member == .rater ? ["alice 3 3"] : ["alice 3 3", "bob 3 4", "lena 3 1", "m1 0 2"]))
        case .agreement:
            // People only: a yes|no|yes → 1/3, b no|no → 1, c one rating (not pairable): 2/3.
            #expect(result.stdout.hasPrefix("present: 0.666666666666666") && result.stdout.hasSuffix("\n"), "\(result.stdout)")
        case .raterList:
            let raters = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: String]])
            #expect(raters.map { "\($0["name"]!):\($0["role"]!)" }
                    == ["adm2:admin", "alice:rater", "aud:auditor", "bob:rater", "lena:lead", "m1:model", "\(testLogin):admin"].sorted())
        case .auditVerify:
            #expect(result.stdout.hasPrefix("audit log intact: 11 events, chain and 41 audited rows verified\nanchor 11:"))
        case .raterAdd:
            #expect(result.stdout == "newbie is now a rater\n")
        case .rubricAdd:
            #expect(result.stdout.hasPrefix("added rubric 'hazard-detection' version "))
        case .clipAdd:
            #expect(result.stdout == "item 4: d.mp4\nadded 1 clip to batch 'b1'\n")
        case .assign:
            #expect(result.stdout == "3 new assignments in batch 'b1'\n")
        case .labelImport:
            #expect(result.stdout == "\(project.dir)/one.csv: imported 1 new label and 0 revisions\n")
        }
        if c.command.isWrite {
            // Audited under the acting rater's name, not the OS login that ran --as.
            #expect(events == 12)
            #expect(try project.lastEvent().hasPrefix("\(c.member.rawValue)|"))
            #expect(try project.ok(["audit", "verify"]).hasPrefix("audit log intact: 12 events"))
        } else {
            #expect(try project.sql("SELECT seq, hash FROM audit_event ORDER BY seq;") == before, "a read wrote")
        }
    }

    /// Blind by default: each rater's export is exactly their own labels, in both formats,
    /// and stays so after the others label more; a role change is seen at once.
    @Test(arguments: StoreKind.available)
    func ratersSeeOnlyTheirOwnLabels(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        #expect(labelKeys(try project.ok(["label", "export"], as: "bob"))
                == ["a.mp4 bob present=no", "b.mp4 bob present=no", "c.mp4 bob present=yes", "c.mp4 bob ttc=3.5"])
        let jsonl = try project.ok(["label", "export", "--format", "jsonl"], as: "bob")
        let raters = try jsonl.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["rater"] as? String
        }
        #expect(raters == ["bob", "bob", "bob", "bob"])
        #expect(try project.ok(["label", "export", "--batch", "b1"], as: "alice").components(separatedBy: "\n").filter { $0.contains(",bob,") } == [])
        // A rater with no labels exports just the header.
        try project.ok(["rater", "add", "carol", "--role", "rater"])
        #expect(try project.ok(["label", "export"], as: "carol") == "clip,rater,criterion,value,frame,submitted_at,batch,item,rubric_hash,revision,pts,dwell_ms,watched,display,display_size,colors,speeds,confidence,sample\n")
        #expect(try project.ok(["label", "export", "--format", "jsonl"], as: "carol") == "")
        // Promoted to lead, bob reads everyone's labels, models' included.
        #expect(try project.ok(["rater", "add", "bob", "--role", "lead"]) == "bob is now a lead\n")
        #expect(labelKeys(try project.ok(["label", "export"], as: "bob")) == Self.everyone)
        #expect(try project.ok(["rater", "list"], as: "bob").contains("bob    lead"))
        // The role history is kept: bob has two role rows, the latest applies.
        #expect(try project.sql("SELECT rr.role FROM rater_role rr JOIN rater r ON r.id = rr.rater_id WHERE r.name = 'bob' ORDER BY rr.id;")
                == "rater\nlead\n")
    }

    @Test(arguments: StoreKind.available)
    func asNamesAnExistingRater(_ kind: StoreKind) throws {
        let project = try Standard.forReading(kind)
        defer { project.remove() }
        let result = try project.run(["status", "--as", "ghost"])
        #expect(result.status == 2)
        #expect(result.stderr == "concord: no rater named 'ghost'; see: concord rater list\n")
    }

    // MARK: - The OS login is the identity

    /// Runs concord as the OS user `nobody` (setpriv), so that the acting user is not the
    /// admin who made the project: the project's directory and file are opened up to it. On
    /// PostgreSQL, connects as the login role `nobody` (peer authentication making the OS
    /// user that role is PostgresRoleTests' part).
    func runAsNobody(_ project: Project, _ arguments: [String], environment: [String: String] = [:]) throws -> CLIResult {
        if project.kind == .postgres, let database = project.database {
            let nobody = try #require(Self.nobody)
            try PostgresProjects.ensureLogin(nobody)
            return try CLI.run(arguments + ["--project", PostgresProjects.uri(database, as: nobody)], environment: environment)
        }
        let setpriv = try #require(Tool.which("setpriv"), "setpriv (util-linux) runs concord as another OS user")
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: project.dir)
        for file in try FileManager.default.contentsOfDirectory(atPath: project.dir) where file.hasPrefix("p.db") {
            try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: project.dir + "/" + file)
        }
        return try Tool.run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", CLI.binary.path]
                            + arguments + ["--project", project.db], cwd: "/", environment: environment)
    }

    static var nobody: String? { getpwuid(65534).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } }

    @Test(.enabled(if: getuid() == 0, "needs root to run concord as another OS user"), arguments: StoreKind.available)
    func unknownLoginIsToldHowToJoin(_ kind: StoreKind) throws {
        let nobody = try #require(Self.nobody)
        let project = try Standard.copy(kind)
        defer { project.remove() }
        // $USER is not trusted: claiming to be alice (or the admin) changes nothing.
        for environment in [[:], ["USER": "alice"], ["USER": testLogin, "LOGNAME": testLogin]] {
            for arguments in [["status"], ["label", "export"], ["rater", "list"]] {
                let result = try runAsNobody(project, arguments, environment: environment)
                #expect(result.status == 2)
                #expect(result.stdout == "")
                // PostgreSQL names the project: a login may reach several on one server.
                let place = kind == .sqlite ? "this project" : "the project at \(kind.shown(PostgresProjects.uri(project.database!, as: nobody)))"
                #expect(result.stderr == "concord: \(nobody) is not a rater in \(place); an admin can add you with: concord rater add \(nobody) --role rater\n")
            }
        }
        // Once added, the same login works, as a rater.
        #expect(try project.ok(["rater", "add", nobody, "--role", "rater"]) == "\(nobody) is now a rater\n")
        let status = try runAsNobody(project, ["status"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout == "batch b1: 3 items, rubric av-cut-in (\(try project.sql("SELECT substr(hash, 1, 12) FROM rubric_version;").dropLast()))\n"
                + "rater  role  assigned  labeled  labels  skipped  flagged  done\n\n")
    }

    @Test(.enabled(if: getuid() == 0, "needs root to run concord as another OS user"), arguments: StoreKind.available)
    func asIsForAdminsOnly(_ kind: StoreKind) throws {
        let nobody = try #require(Self.nobody)
        let project = try Standard.copy(kind)
        defer { project.remove() }
        for role in ["rater", "lead", "auditor", "model"] {
            try project.ok(["rater", "add", nobody, "--role", role])
            for target in ["adm2", "alice", "ghost"] {
                let result = try runAsNobody(project, ["label", "export", "--as", target])
                #expect(result.status == 2)
                #expect(result.stdout == "")
                #expect(result.stderr == "concord: --as is for admins; \(nobody) is \(withArticle(role))\n")
            }
        }
        // An admin login may act as anyone, and is audited as them, with its own login as "via".
        try project.ok(["rater", "add", nobody, "--role", "admin"])
        let result = try runAsNobody(project, ["label", "export", "--as", "alice"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(labelKeys(result.stdout) == ["a.mp4 alice present=yes", "a.mp4 alice severity=minor", "b.mp4 alice present=no"])
        let added = try runAsNobody(project, ["rater", "add", "newbie", "--role", "rater", "--as", "adm2"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try project.lastEvent() == "adm2|rater.add")
        let via = kind == .sqlite ? "json_extract(payload, '$.via')" : "payload::jsonb ->> 'via'"
        #expect(try project.sql("SELECT \(via) FROM audit_event ORDER BY seq DESC LIMIT 1;") == "\(nobody)\n")
        let own = try runAsNobody(project, ["rater", "add", "newer", "--role", "rater"])
        #expect(own.status == 0, "\(own.stderr)")
        #expect(try project.lastEvent() == "\(nobody)|rater.add")
        #expect(try project.sql("SELECT CASE WHEN \(via) IS NULL THEN 1 ELSE 0 END FROM audit_event ORDER BY seq DESC LIMIT 1;") == "1\n")
    }
}
