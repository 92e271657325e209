import Foundation
import Testing

/// Issue 9, security: every command that reads project data, run by every role, with the
/// real outcome of each cell (docs/security.md has the matrix as a table).
///
/// - allowed: exit 0 and the content that role may see — a rater's labels and status are
///   their own and name no other rater's value; an auditor's agreement, gate and report hold
///   aggregates (the same numbers a lead gets) but no decision, no clip hash, no clip name;
/// - refused: exit 2, nothing on standard output, exactly one line naming the role and what
///   it cannot do, no file written for `--out`;
/// - and no cell writes to the project (its audit chain is unchanged).
///
/// The project is the standard one (ProjectFixture.swift) with one decision by the lead
/// (a.mp4 present = yes, note "bob missed the truck"): raters alice and bob, lead lena,
/// auditor aud, admin adm2, model m1. On PostgreSQL every role runs one command of each kind
/// (`postgresReads`), connected as its own login: what the database lets each login read
/// must give the same cells (psql's view of it: PostgresRoleTests).
@Suite struct SecurityMatrixTests {
    enum Member: String, CaseIterable, Sendable {
        case rater = "alice", lead = "lena", auditor = "aud", admin = "adm2", model = "m1"
        var role: String { "\(self)" }
    }

    /// Every command that reads project data (Concord.swift's subcommands; the writing
    /// ones are ProjectRoleTests' and AdjudicationCommandTests'). `preview` reads only a
    /// clip file and takes no project (see `previewTakesNoProject`).
    enum Read: String, CaseIterable, Sendable {
        case status, statusJSON
        case labelExportCSV, labelExportJSONL, labelExportLabelStudio, labelExportOut
        case agreementBatch, agreementJSON, agreementByCriterion, agreementByRaterPair, agreementByCategory, agreementByGold,
             agreementIncludeModels
        case queue, queueJSON, goldenExportJSONL, goldenExportCSV, judge, judgeJSON
        case gate, gateJSON
        case reportHTML, reportMD, reportCSV, reportJSON
        case raterList, raterListJSON, auditVerify
        case rate, adjudicate

        /// The file a command writes with --out, relative to the project's directory.
        var out: String? {
            switch self {
            case .labelExportOut: return "labels-out.csv"
            case .reportHTML: return "report.html"
            case .reportMD: return "report.md"
            case .reportCSV: return "report.csv"
            case .reportJSON: return "report.json"
            default: return nil
            }
        }

        func arguments(_ dir: String) -> [String] {
            let out = self.out.map { dir + "/" + $0 } ?? ""
            switch self {
            case .status: return ["status"]
            case .statusJSON: return ["status", "--format", "json"]
            case .labelExportCSV: return ["label", "export"]
            case .labelExportJSONL: return ["label", "export", "--format", "jsonl"]
            case .labelExportLabelStudio: return ["label", "export", "--format", "labelstudio"]
            case .labelExportOut: return ["label", "export", "--out", out]
            case .agreementBatch: return ["agreement", "--batch", "b1"]
            case .agreementJSON: return ["agreement", "--batch", "b1", "--format", "json"]
            case .agreementByCriterion: return ["agreement", "--batch", "b1", "--by", "criterion"]
            case .agreementByRaterPair: return ["agreement", "--batch", "b1", "--by", "rater-pair", "--criterion", "present"]
            case .agreementByCategory: return ["agreement", "--batch", "b1", "--by", "category", "--criterion", "present"]
            case .agreementByGold: return ["agreement", "--batch", "b1", "--by", "gold"]
            case .agreementIncludeModels: return ["agreement", "--batch", "b1", "--include-models", "--criterion", "present",
                                                  "--metric", "percent_agreement"]
            case .queue: return ["queue"]
            case .queueJSON: return ["queue", "--format", "json"]
            case .goldenExportJSONL: return ["golden", "export"]
            case .goldenExportCSV: return ["golden", "export", "--format", "csv"]
            case .judge: return ["judge", "m1", "--bootstrap", "20"]
            case .judgeJSON: return ["judge", "m1", "--bootstrap", "20", "--format", "json"]
            // --min-units 0: the fixture has two pairable units, and this test is about who
            // reads what, not about the small-sample warning (GateCommandTests has that).
            case .gate: return ["gate", "--criterion", "present", "--min-alpha", "0.1", "--min-units", "0"]
            case .gateJSON: return ["gate", "--criterion", "present", "--min-alpha", "0.1", "--min-units", "0", "--format", "json"]
            case .reportHTML: return ["report", "--format", "html", "--out", out, "--bootstrap", "20"]
            case .reportMD: return ["report", "--format", "md", "--out", out, "--bootstrap", "20"]
            case .reportCSV: return ["report", "--format", "csv", "--out", out, "--bootstrap", "20"]
            case .reportJSON: return ["report", "--format", "json", "--out", out, "--bootstrap", "20"]
            case .raterList: return ["rater", "list"]
            case .raterListJSON: return ["rater", "list", "--format", "json"]
            case .auditVerify: return ["audit", "verify"]
            case .rate: return ["rate"]
            case .adjudicate: return ["adjudicate"]
            }
        }

        /// Store's Permission sentence a refusal ends with, or nil when `member` may run it.
        func refusal(for member: Member) -> String? {
            let labels = "read labels (raters see their own; leads and admins all)"
            let aggregates = "read agreement and progress of the whole project (leads, auditors and admins)"
            let adjudication = "see the adjudication queue or decide items (leads and admins)"
            switch (self, member) {
            case (_, .admin): return nil
            case (.status, .model), (.statusJSON, .model): return labels
            case (.status, _), (.statusJSON, _): return nil
            case (.labelExportCSV, .rater), (.labelExportJSONL, .rater), (.labelExportLabelStudio, .rater), (.labelExportOut, .rater),
                 (.labelExportCSV, .lead), (.labelExportJSONL, .lead), (.labelExportLabelStudio, .lead), (.labelExportOut, .lead):
                return nil
            case (.labelExportCSV, _), (.labelExportJSONL, _), (.labelExportLabelStudio, _), (.labelExportOut, _): return labels
            case (.queue, .lead), (.queueJSON, .lead), (.goldenExportJSONL, .lead), (.goldenExportCSV, .lead),
                 (.judge, .lead), (.judgeJSON, .lead), (.adjudicate, .lead):
                return nil
            case (.queue, _), (.queueJSON, _), (.goldenExportJSONL, _), (.goldenExportCSV, _), (.judge, _), (.judgeJSON, _),
                 (.adjudicate, _):
                return adjudication
            case (.raterList, .lead), (.raterList, .auditor), (.raterListJSON, .lead), (.raterListJSON, .auditor): return nil
            case (.raterList, _), (.raterListJSON, _): return "list raters (leads, auditors and admins)"
            case (.auditVerify, .lead), (.auditVerify, .auditor): return nil
            case (.auditVerify, _): return "verify the audit log (leads, auditors and admins)"
            case (.rate, .rater), (.rate, .lead): return nil
            case (.rate, _): return "has no labeling queue"
            case (_, .lead), (_, .auditor): return nil      // agreement, gate, report: aggregates
            case (_, _): return aggregates
            }
        }
    }

    struct Cell: Sendable, CustomTestStringConvertible {
        var kind: StoreKind = .sqlite
        let member: Member
        let command: Read
        var testDescription: String { "\(kind == .sqlite ? "" : "\(kind) ")\(member.role) \(command.rawValue)" }
    }

    /// One read of each kind (labels, agreement, adjudication, gate, reports, raters, audit).
    static let postgresReads: [Read] = [.status, .labelExportCSV, .labelExportLabelStudio, .agreementJSON, .agreementByGold, .queue,
                                        .goldenExportCSV, .judgeJSON, .gateJSON, .reportHTML, .reportJSON, .raterList, .auditVerify]

    static let matrix: [Cell] = Member.allCases.flatMap { m in Read.allCases.map { Cell(member: m, command: $0) } }
        + StoreKind.postgresIfAvailable.flatMap { kind in
            Member.allCases.flatMap { m in postgresReads.map { Cell(kind: kind, member: m, command: $0) } }
        }

    /// The standard project plus one decision by the lead, built once per store. (On
    /// PostgreSQL every cell reads this one database, with a directory of its own for --out.)
    static func template(_ kind: StoreKind = .sqlite) throws -> Project {
        if kind == .postgres {
            let source = try Standard.migrationSource()
            let shared = try TemplateCache.shared.project("security-postgres") {
                let project = try Standard.migrated(from: source)
                try project.ok(["resolve", "a.mp4", "--criterion", "present", "--value", "yes", "--reason", "rater_error",
                                "--note", "bob missed the truck"], as: "lena")
                return project
            }
            var project = Project(dir: try scratchDirectory("matrix"), db: shared.db, kind: .postgres, database: shared.database)
            project.shared = true
            return project
        }
        // The standard template first: the cache's lock is not re-entrant.
        let standard = try Standard.template()
        return try TemplateCache.shared.project("security") {
            let project = try standard.copy("security")
            try project.ok(["resolve", "a.mp4", "--criterion", "present", "--value", "yes", "--reason", "rater_error",
                            "--note", "bob missed the truck"], as: "lena")
            return project
        }
    }

    /// The current labels of the standard project, "clip rater criterion=value".
    static let everyone = [
        "a.mp4 alice present=yes", "a.mp4 alice severity=minor", "a.mp4 bob present=no", "a.mp4 lena present=yes", "a.mp4 m1 present=yes",
        "b.mp4 alice present=no", "b.mp4 bob present=no", "b.mp4 m1 present=no",
        "c.mp4 bob present=yes", "c.mp4 bob ttc=3.5",
    ]
    static let alices = ["a.mp4 alice present=yes", "a.mp4 alice severity=minor", "b.mp4 alice present=no"]

    /// Runs `arguments` in a pseudo-terminal (util-linux `script`), so the workbench gets as
    /// far as a real terminal would; its output is the terminal's (standard error included).
    static func inTerminal(_ arguments: [String]) throws -> CLIResult {
        let script = try #require(Tool.which("script"), "util-linux script gives concord rate a terminal")
        let quoted = ([CLI.binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let result = try Tool.run(script, ["-qec", quoted.joined(separator: " "), "/dev/null"], environment: ["TERM": "xterm"])
        return CLIResult(status: result.status, stdout: result.stdout.replacingOccurrences(of: "\r\n", with: "\n"), stderr: result.stderr)
    }

    /// What a command printed or wrote: its --out file, else its standard output.
    static func content(_ cell: Cell, _ result: CLIResult, dir: String) throws -> String {
        guard let out = cell.command.out else { return result.stdout }
        #expect(result.stdout == "", "\(cell.testDescription) printed with --out")
        return try String(contentsOfFile: dir + "/" + out, encoding: .utf8)
    }

    @Test(arguments: matrix)
    func readMatrix(_ cell: Cell) throws {
        let project = cell.kind == .sqlite ? try Self.template().copy("matrix") : try Self.template(cell.kind)
        defer { project.remove() }
        let chain = "SELECT seq, hash FROM audit_event ORDER BY seq;"
        let before = try project.sql(chain)
        let arguments = cell.command.arguments(project.dir) + (try project.location(as: cell.member.rawValue))
        let refusal = cell.command.refusal(for: cell.member)
        // The workbench's refusals are checked with a terminal: without one, every role is
        // first told it needs one.
        let result = try (cell.command == .rate && refusal != nil) ? Self.inTerminal(arguments) : CLI.run(arguments)
        defer { #expect((try? project.sql(chain)) == before, "\(cell.testDescription) wrote to the project") }

        if let refusal {
            #expect(result.status == 2, "\(cell.testDescription): \(result.stdout) \(result.stderr)")
            let who = "\(cell.member.rawValue) is \(withArticle(cell.member.role))"
            let line = refusal.hasPrefix("has ") ? "concord: \(who) and \(refusal)\n" : "concord: \(who) and cannot \(refusal)\n"
            if cell.command == .rate {
                #expect(result.stdout == line)      // the terminal's output: one line, nothing drawn
            } else {
                #expect(result.stdout == "")
                #expect(result.stderr == line)
            }
            if let out = cell.command.out {
                #expect(!FileManager.default.fileExists(atPath: project.dir + "/" + out), "a refused command wrote \(out)")
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: project.dir).filter { $0.contains(".concord-") }
                #expect(leftovers == [])
            }
            return
        }

        switch cell.command {
        case .rate:
            // Allowed, but not without a terminal: exit 2 and how to get one.
            #expect(result.status == 2)
            #expect(result.stdout == "")
            #expect(result.stderr == "concord: rate needs a terminal (standard input and output are not one); run it in a terminal or over ssh -t\n")
            return
        case .adjudicate:
            #expect(result.status == 2)
            #expect(result.stdout == "")
            #expect(result.stderr.hasPrefix("concord: adjudicate needs a terminal (standard input and output are not one);"))
            return
        default: break
        }
        #expect(result.status == 0, "\(cell.testDescription): \(result.stderr)")
        #expect(result.stderr == "")
        let text = try Self.content(cell, result, dir: project.dir)
        try checkContent(cell, text, project)
    }

    /// The content of an allowed cell.
    func checkContent(_ cell: Cell, _ text: String, _ project: Project) throws {
        let member = cell.member
        let others = ["bob", "lena", "m1"]
        switch cell.command {
        case .status:
            let lines = text.split(separator: "\n").map(String.init)
            let raterLines = lines.dropFirst(2).map { String($0.prefix(while: { $0 != " " })) }
            #expect(raterLines == (member == .rater ? ["alice"] : ["alice", "bob", "lena", "m1"]), "\(text)")
        case .statusJSON:
            let batches = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
            let raters = (batches.first?["raters"] as? [[String: Any]] ?? []).map { "\($0["rater"]!) \($0["labels"]!)" }
            #expect(raters == (member == .rater ? ["alice 3"] : ["alice 3", "bob 4", "lena 1", "m1 2"]))
        case .labelExportCSV, .labelExportOut:
            #expect(labelKeys(text) == (member == .rater ? Self.alices : Self.everyone))
        case .labelExportJSONL:
            let rows = try text.split(separator: "\n").map {
                try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
            let keys = rows.map { "\($0["clip"]!) \($0["rater"]!) \($0["criterion"]!)=\($0["value"]!)" }
            #expect(keys == (member == .rater ? Self.alices : Self.everyone))
        case .labelExportLabelStudio:
            let tasks = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
            var keys: [String] = []
            for task in tasks {
                let clip = (task["data"] as? [String: Any])?["video"] as? String ?? "?"
                for annotation in task["annotations"] as? [[String: Any]] ?? [] {
                    let rater = (annotation["completed_by"] as? [String: Any])?["username"] as? String ?? "?"
                    for result in annotation["result"] as? [[String: Any]] ?? [] {
                        let value = result["value"] as? [String: Any] ?? [:]
                        let answer = (value["choices"] as? [String])?.first ?? (value["number"].map { "\($0)" } ?? "?")
                        keys.append("\(clip) \(rater) \(result["from_name"]!)=\(answer)")
                    }
                }
            }
            #expect(keys == (member == .rater ? Self.alices : Self.everyone))
        case .agreementBatch, .agreementJSON, .agreementByCriterion, .agreementByRaterPair, .agreementByCategory, .agreementByGold,
             .agreementIncludeModels, .gate, .gateJSON, .raterList, .raterListJSON, .auditVerify, .queue, .queueJSON,
             .goldenExportJSONL, .goldenExportCSV, .judge, .judgeJSON:
            // Whoever may run it gets the same answer: the admin's.
            if member != .admin {
                let admin = try project.ok(cell.command.arguments(project.dir), as: Member.admin.rawValue)
                #expect(text == admin, "\(cell.testDescription) differs from the admin's")
            }
            #expect(!text.isEmpty)
            try checkAggregate(cell, text, project)
        case .reportHTML, .reportMD, .reportCSV, .reportJSON:
            let hashes = try project.sql("SELECT sha256 FROM clip ORDER BY id;").split(separator: "\n").map(String.init)
            #expect(hashes.count == 3)
            // What only a lead or admin may read: decisions (their note and reason), clip hashes, clip names.
            let secrets = hashes.map { String($0.prefix(12)) } + ["bob missed the truck", "a.mp4", "b.mp4", "c.mp4"]
            if member == .auditor {
                for secret in secrets { #expect(!text.contains(secret), "the auditor's \(cell.command) shows \(secret)") }
                #expect(text.contains("not available to auditors"))
                #expect(!text.lowercased().contains("rater_error") && !text.contains("raterError"))
            } else {
                #expect(hashes.allSatisfy { text.contains($0.prefix(12)) } || cell.command == .reportMD,
                        "a lead's \(cell.command) has the clip hashes")
                #expect(!text.contains("not available to auditors"))
            }
            // Aggregates for everyone allowed: the per-rater table names each human rater.
            for rater in ["alice", "bob", "lena"] { #expect(text.contains(rater), "\(cell.command) lacks \(rater)") }
        case .rate, .adjudicate:
            Issue.record("handled above")
        }
        if member == .rater {
            // Nothing of anyone else's reaches a rater.
            for other in others { #expect(!text.contains(other), "alice's \(cell.command) names \(other)") }
        }
    }

    /// Aggregate reads: fixed figures of the standard project, and no label value of a
    /// single rater (no "alice=yes") where the read is meant to be an aggregate.
    func checkAggregate(_ cell: Cell, _ text: String, _ project: Project) throws {
        switch cell.command {
        case .agreementBatch, .agreementByCriterion:
            #expect(text.contains("Krippendorff's alpha (nominal)"))
            #expect(!text.contains("alice=") && !text.contains("bob="))
        case .agreementJSON:
            let root = try CLI.json(text)
            let criteria = try #require(root["criteria"] as? [String: Any])
            let present = try #require((criteria["present"] as? [String: Any])?["metrics"] as? [String: Any])
            let agreement = try #require((present["percent_agreement"] as? [String: Any])?["value"] as? Double)
            #expect(abs(agreement - 2.0 / 3) < 1e-12)
        case .agreementByRaterPair:
            #expect(text.contains("alice") && text.contains("bob"))
            #expect(!text.contains("alice=") && !text.contains("bob="))
        case .agreementByCategory:
            #expect(text.contains("yes") && text.contains("no"))
        case .agreementByGold:
            #expect(text.hasPrefix("batch b1: 0 gold answers"))
        case .agreementIncludeModels:
            // m1 counted: a yes|no|yes|yes → 1/2, b no|no|no → 1; mean 3/4.
            #expect(text == "present: 0.75\n")
        case .gate:
            #expect(text.contains("PASS  present"))
        case .gateJSON:
            #expect(try CLI.json(text)["passed"] as? Bool == true)
        case .raterList:
            #expect(text.contains("alice  rater") && text.contains("m1     model"))
        case .raterListJSON:
            let raters = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: String]])
            #expect(raters.count == 7)
        case .auditVerify:
            #expect(text.hasPrefix("audit log intact: 12 events, chain and "))
        case .queue:
            // The lead's view: every vote. The resolved entry has left the queue.
            #expect(text.hasPrefix("batch b1: "))
        case .queueJSON:
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(entries["batch"] as? String == "b1")
        case .goldenExportJSONL:
            // The lead's view: the decision's rationale and the clips' hashes.
            #expect(text.contains("\"rationale\":\"bob missed the truck\"") && text.contains("\"clip_sha256\""))
        case .goldenExportCSV:
            #expect(text.contains("a.mp4") && text.contains("b.mp4"))
        case .judge:
            #expect(text.contains("m1 (model)  2  1.000"))
        case .judgeJSON:
            #expect(try CLI.json(text)["golden_version"] is String)
        default:
            Issue.record("not an aggregate: \(cell.command)")
        }
    }

    /// `preview` reads a clip file the OS user can already open, never the project: it
    /// takes neither --project nor --as, so it cannot be used to reach anyone's labels.
    @Test func previewTakesNoProject() throws {
        let clip = try Standard.clip("a.mp4")
        for extra in [["--project", "p.db"], ["--as", "alice"]] {
            let result = try CLI.run(["preview", clip, "--mode", "ascii", "--width", "20", "--frame", "0"] + extra)
            #expect(result.status == 2)
            #expect(result.stdout == "")
            #expect(concordMessage(result.stderr).hasPrefix("concord: Unknown option '\(extra[0])'"))
        }
        let ok = try CLI.run(["preview", clip, "--mode", "ascii", "--width", "20", "--frame", "0"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(!ok.stdout.isEmpty)
    }

    /// Every writing command a model or an auditor might try is refused too: models and
    /// auditors get nothing interactive and write nothing.
    @Test(arguments: [Member.model, Member.auditor])
    func modelsAndAuditorsWriteNothing(_ member: Member) throws {
        let project = try Self.template().copy("nowrite")
        defer { project.remove() }
        let before = try project.sql("SELECT seq, hash FROM audit_event ORDER BY seq;")
        let who = "\(member.rawValue) is \(withArticle(member.role))"
        let adjudication = "see the adjudication queue or decide items (leads and admins)"
        for (arguments, sentence) in [
            (["resolve", "b.mp4", "--criterion", "present", "--value", "no", "--reason", "other"], adjudication),
            (["send-back", "b.mp4", "--raters", "alice"], adjudication),
            (["gold", "add", "b.mp4", "--criterion", "present", "--value", "no"], "add gold answers (leads and admins)"),
            (["rater", "add", "x", "--role", "admin"], "add raters or change roles (admins only)"),
        ] {
            let result = try project.run(arguments, as: member.rawValue)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stdout == "")
            #expect(result.stderr == "concord: \(who) and cannot \(sentence)\n", "\(arguments)")
        }
        // With a terminal, the adjudication workbench refuses before drawing anything.
        let adjudicate = try Self.inTerminal(["adjudicate", "--project", project.db, "--as", member.rawValue])
        #expect(adjudicate.status == 2)
        #expect(adjudicate.stdout == "concord: \(who) and cannot \(adjudication)\n")
        #expect(try project.sql("SELECT seq, hash FROM audit_event ORDER BY seq;") == before)
    }
}
