import Foundation
import Testing

/// Shared helpers of the Project*Tests: temporary projects built with the real `concord`
/// binary, clips made with the ffmpeg CLI, the sqlite3 CLI for looking (and tampering)
/// behind concord's back, and snapshots that say whether a command changed a project.

/// Runs any program, its output captured in files (so many can run at once without pipes).
enum Tool {
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], cwd: String? = nil,
                    environment: [String: String] = [:]) throws -> CLIResult {
        let launched = try launch(executable, arguments, cwd: cwd, environment: environment)
        return launched.wait()
    }

    /// A started process whose output goes to temporary files; `wait()` collects it.
    final class Launched: @unchecked Sendable {
        let process: Process
        let outPath: String, errPath: String
        init(process: Process, outPath: String, errPath: String) {
            self.process = process; self.outPath = outPath; self.errPath = errPath
        }

        func wait() -> CLIResult {
            process.waitUntilExit()
            let out = (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data()
            let err = (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data()
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
            return CLIResult(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                             stderr: String(decoding: err, as: UTF8.self))
        }

        var killedBySignal: Bool { process.terminationReason == .uncaughtSignal }
    }

    static func launch(_ executable: String, _ arguments: [String], cwd: String? = nil,
                       environment: [String: String] = [:]) throws -> Launched {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cwd ?? CLI.packageRoot.path)
        var env = ProcessInfo.processInfo.environment
        env["COLUMNS"] = "120"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("concord-out-\(UUID().uuidString)").path
        let outPath = base + ".out", errPath = base + ".err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Launched(process: process, outPath: outPath, errPath: errPath)
    }

    /// `concord ARGS` as a separate process that has not been waited for.
    static func launchConcord(_ arguments: [String]) throws -> Launched {
        try launch(CLI.binary.path, arguments)
    }

    static func which(_ name: String) -> String? {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin", "/usr/sbin", "/sbin"] {
            let path = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func ffmpeg(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = try #require(which("ffmpeg"), "the ffmpeg CLI is needed to make test clips (scripts/deps.sh test)")
        let result = try run(path, ["-nostdin", "-loglevel", "error", "-y"] + arguments)
        try #require(result.status == 0, "ffmpeg \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
    }

    /// The sqlite3 CLI on a project file, bypassing concord.
    @discardableResult
    static func sqlite(_ db: String, _ sql: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let path = try #require(which("sqlite3"), "the sqlite3 CLI is needed (apt-get install sqlite3)")
        let result = try run(path, ["-batch", db, sql])
        try #require(result.status == 0 && result.stderr.isEmpty, "sqlite3 \(sql): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    static func sha256(_ path: String) throws -> String {
        let result = try run(try #require(which("sha256sum")), [path])
        return String(result.stdout.prefix(64))
    }
}

/// Every scratch directory of this test process lives under one root, removed when the
/// process exits (templates are shared by tests until then).
let scratchRoot: String = {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("concord-project-tests-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: scratchRoot) }
    return root
}()

/// A fresh directory under the scratch root.
func scratchDirectory(_ label: String = "project") throws -> String {
    let dir = scratchRoot + "/\(label)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

func writeFile(_ path: String, _ text: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

func writeFile(_ path: String, _ bytes: Data) throws {
    try bytes.write(to: URL(fileURLWithPath: path))
}

/// "a rater", "an auditor", "an admin": the article a role takes in a sentence.
func withArticle(_ role: String) -> String {
    ("aeiou".contains(role.first ?? "x") ? "an " : "a ") + role
}

/// The OS login running the tests (who `concord init` makes the admin).
let testLogin: String = {
    if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
    return "root"
}()

/// Clips made with the ffmpeg CLI's lavfi sources.
enum Clips {
    /// One H.264 clip of `seconds` at 25 fps (so 25 frames a second).
    @discardableResult
    static func make(_ path: String, source: String = "testsrc", size: String = "160x120", seconds: Double = 1,
                     faststart: Bool = false) throws -> String {
        let input = source + (source.contains("=") ? ":" : "=") + "size=\(size):rate=25"
        var args = ["-f", "lavfi", "-i", input, "-t", "\(seconds)", "-c:v", "libx264",
                    "-pix_fmt", "yuv420p"]
        if faststart { args += ["-movflags", "+faststart"] }
        try Tool.ffmpeg(args + [path])
        return path
    }

    /// `count` distinct one-frame 32×32 clips named s0000.mp4, s0001.mp4, … made by one
    /// ffmpeg run (noise makes every frame, hence every file, different).
    static func many(_ count: Int, in dir: String) throws -> [String] {
        try Tool.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=32x32:rate=25", "-frames:v", "\(count)",
                         "-vf", "noise=alls=60:allf=t+u", "-c:v", "libx264", "-g", "1", "-pix_fmt", "yuv420p",
                         "-f", "segment", "-segment_time", "0.04", "-reset_timestamps", "1", dir + "/s%04d.mp4"])
        return (0..<count).map { dir + "/" + name(of: $0) }
    }

    static func name(of index: Int) -> String {
        let digits = String(index)
        return "s" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits + ".mp4"
    }
}

/// A project driven through the `concord` binary: a SQLite file in its own directory, or a
/// PostgreSQL database (`kind`) with a directory of its own for the files a test writes.
struct Project: Sendable {
    let dir: String
    /// What `--project` names: the file, or the URI connecting as the project's admin.
    let db: String
    var kind: StoreKind = .sqlite
    /// The PostgreSQL database's name (nil for a file).
    var database: String? = nil
    /// A database other tests use too (`Standard.forReading`): `remove` leaves it.
    var shared = false

    /// Where a project can be made and none is yet: the path `file` in a new directory, or a
    /// new empty database on the shared cluster (and a new directory for the test's files).
    static func unmade(_ label: String = "project", file: String = "p.db", kind: StoreKind = .sqlite) throws -> Project {
        let dir = try scratchDirectory(label)
        guard kind == .postgres else { return Project(dir: dir, db: dir + "/" + file) }
        let database = try PostgresProjects.freshDatabase()
        return Project(dir: dir, db: PostgresProjects.uri(database), kind: .postgres, database: database)
    }

    /// `concord init` in a new directory, or in a new database on the shared cluster.
    static func create(_ label: String = "project", name: String? = nil, kind: StoreKind = .sqlite) throws -> Project {
        let project = try unmade(label, kind: kind)
        let result = try CLI.run(["init", "--project", project.db] + (name.map { ["--name", $0] } ?? []))
        try #require(result.status == 0, "init: \(result.stderr)")
        return project
    }

    /// The `--project` (and, on SQLite, `--as`) arguments that act as `actor` (nil: the admin
    /// who made the project). On PostgreSQL the acting rater is the connection's login, so
    /// acting as alice is connecting as alice, whose concord role the database then enforces;
    /// a test about `--as` itself passes `--as` among its arguments.
    func location(as actor: String?) throws -> [String] {
        guard kind == .postgres, let database else { return ["--project", db] + (actor.map { ["--as", $0] } ?? []) }
        guard let actor else { return ["--project", db] }
        try PostgresProjects.ensureLogin(actor)
        return ["--project", PostgresProjects.uri(database, as: actor)]
    }

    /// `concord ARGS --project DB [--as NAME]`.
    @discardableResult
    func run(_ arguments: [String], as actor: String? = nil) throws -> CLIResult {
        if kind == .postgres, arguments.starts(with: ["rater", "add"]), arguments.count > 2 {
            try PostgresProjects.ensureLogin(arguments[2])
        }
        return try CLI.run(arguments + (try location(as: actor)))
    }

    /// Runs a command that must succeed; returns its standard output.
    @discardableResult
    func ok(_ arguments: [String], as actor: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(arguments, as: actor)
        try #require(result.status == 0, "concord \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)",
                     sourceLocation: sourceLocation)
        #expect(result.stderr.isEmpty, "concord \(arguments.joined(separator: " ")) wrote to stderr: \(result.stderr)",
                sourceLocation: sourceLocation)
        return result.stdout
    }

    /// SQL behind concord's back: sqlite3 on the file, or psql as PostgreSQL's superuser.
    @discardableResult
    func sql(_ query: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        if kind == .postgres, let database { return try PostgresProjects.run(database, query, sourceLocation: sourceLocation) }
        return try Tool.sqlite(db, query, sourceLocation: sourceLocation)
    }

    /// A copy of the project file (and its WAL, if a process left one) in a new directory.
    /// Clip paths in the copy still point at the original's clips.
    func copy(_ label: String = "copy") throws -> Project {
        precondition(kind == .sqlite, "a PostgreSQL project is copied by migrating a file (Standard.copy(.postgres))")
        let dir = try scratchDirectory(label)
        let copy = Project(dir: dir, db: dir + "/p.db")
        try FileManager.default.copyItem(atPath: db, toPath: copy.db)
        if FileManager.default.fileExists(atPath: db + "-wal") {
            try FileManager.default.copyItem(atPath: db + "-wal", toPath: copy.db + "-wal")
        }
        return copy
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: dir)
        if let database, !shared { PostgresProjects.drop(database) }
    }

    /// Everything a command could change, as the admin sees it through concord, plus the
    /// audit chain and every table's row count as sqlite3 sees them.
    func snapshot() throws -> Snapshot {
        let tables = ["rater", "rater_role", "rubric_version", "clip", "batch", "batch_setting", "item", "assignment",
                      "label", "label_current", "item_mark", "audit_event"]
        return Snapshot(
            labelsCSV: try ok(["label", "export"]),
            labelsJSONL: try ok(["label", "export", "--format", "jsonl"]),
            raters: try ok(["rater", "list", "--format", "json"]),
            status: try ok(["status", "--format", "json"]),
            audit: try ok(["audit", "verify"]),
            database: try sql(tables.map { "SELECT '\($0)', count(*) FROM \($0);" }.joined()
                              + "SELECT seq, hash FROM audit_event ORDER BY seq;"))
    }

    /// The last audit event: "actor|action".
    func lastEvent() throws -> String {
        try sql("SELECT actor || '|' || action FROM audit_event ORDER BY seq DESC LIMIT 1;")
            .trimmingCharacters(in: .newlines)
    }

    func auditEventCount() throws -> Int {
        Int(try sql("SELECT count(*) FROM audit_event;").trimmingCharacters(in: .newlines)) ?? -1
    }
}

struct Snapshot: Equatable, CustomStringConvertible {
    var labelsCSV: String
    var labelsJSONL: String
    var raters: String
    var status: String
    var audit: String
    var database: String

    var description: String {
        "labels:\n\(labelsCSV)\nraters: \(raters)\nstatus: \(status)\naudit: \(audit)\ndatabase:\n\(database)"
    }
}

/// Parses CSV text (RFC 4180 quoting) into rows of fields; the header is row 0.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
            } else { field.append(c) }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(field); field = ""
        } else if c == "\n" || c == "\r\n" {
            row.append(field); field = ""
            rows.append(row); row = []
        } else {
            field.append(c)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}

/// Rows of a labels export as dictionaries keyed by the header's column names.
func exportedRows(_ csv: String) -> [[String: String]] {
    let rows = parseCSV(csv)
    guard let header = rows.first else { return [] }
    return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
}

/// "clip rater criterion=value" for each exported row, in export order.
func labelKeys(_ csv: String) -> [String] {
    exportedRows(csv).map { "\($0["clip"]!) \($0["rater"]!) \($0["criterion"]!)=\($0["value"]!)" }
}

/// Builds each template project once per test run (tests copy it), whatever the order
/// or parallelism the tests run in.
struct TemplateFailed: Error, CustomStringConvertible {
    let key: String
    let reason: String
    var description: String { "the \(key) template project could not be built: \(reason)" }
}

final class TemplateCache: @unchecked Sendable {
    static let shared = TemplateCache()
    private let lock = NSLock()
    private var built: [String: Result<Project, Error>] = [:]
    private var snapshots: [String: Snapshot] = [:]

    func project(_ key: String, build: () throws -> Project) throws -> Project {
        lock.lock()
        defer { lock.unlock() }
        if let done = built[key] {
            // Another test built it; fail this one too if that failed (an error from
            // #require alone would pass silently here, its issue recorded elsewhere).
            do { return try done.get() } catch { throw TemplateFailed(key: key, reason: "\(error)") }
        }
        let result = Result { try build() }
        built[key] = result
        return try result.get()
    }

    func snapshot(_ key: String, of project: Project) throws -> Snapshot {
        lock.lock()
        defer { lock.unlock() }
        if let done = snapshots[key] { return done }
        if project.kind == .postgres {
            let snapshot = try project.snapshot()
            snapshots[key] = snapshot
            return snapshot
        }
        // Of a copy: concord's readers would create and remove WAL files beside the
        // template while other tests copy it.
        let copy = try project.copy("snapshot")
        defer { copy.remove() }
        let snapshot = try copy.snapshot()
        snapshots[key] = snapshot
        return snapshot
    }
}

/// The project most tests start from (copy it with `Standard.copy()`):
///
/// - rubric av-cut-in; clips a.mp4 (testsrc 160×120), b.mp4 (testsrc2 176×144),
///   c.mp4 (mandelbrot 160×120), 1 s at 25 fps each (frames 0–24), batch b1;
///   d.mp4 (color, not added) beside them for commands that add a clip
/// - raters alice, bob (rater), lena (lead), aud (auditor), adm2 (admin), m1 (model);
///   alice, bob and lena assigned every item
/// - audit events: 1 init, 2 rubric.add, 3–8 rater.add (in the order above), 9 clip.add,
///   10 assign, 11 label.import (label ids 1–10, `Standard.labels`)
enum Standard {
    static let labels = """
    clip,rater,criterion,value,frame,submitted_at
    a.mp4,alice,present,yes,10,2026-03-04T05:06:07Z
    a.mp4,alice,severity,minor,,
    a.mp4,bob,present,no,,
    b.mp4,alice,present,no,,
    b.mp4,bob,present,no,,
    c.mp4,bob,present,yes,,
    c.mp4,bob,ttc,3.5,,
    a.mp4,lena,present,yes,,
    a.mp4,m1,present,yes,,
    b.mp4,m1,present,no,,

    """

    static let raters: [(name: String, role: String)] = [
        ("alice", "rater"), ("bob", "rater"), ("lena", "lead"), ("aud", "auditor"), ("adm2", "admin"), ("m1", "model"),
    ]

    static var rubric: String { CLI.packageRoot.appendingPathComponent("rubrics/av-cut-in.yaml").path }

    static func template() throws -> Project {
        try TemplateCache.shared.project("standard") {
            let project = try Project.create("standard")
            try project.ok(["rubric", "add", rubric])
            for (name, role) in raters { try project.ok(["rater", "add", name, "--role", role]) }
            try Clips.make(project.dir + "/a.mp4", source: "testsrc", size: "160x120")
            try Clips.make(project.dir + "/b.mp4", source: "testsrc2", size: "176x144")
            try Clips.make(project.dir + "/c.mp4", source: "mandelbrot", size: "160x120")
            try Clips.make(project.dir + "/d.mp4", source: "color=c=red", size: "160x120")
            try project.ok(["clip", "add", project.dir + "/a.mp4", project.dir + "/b.mp4", project.dir + "/c.mp4",
                            "--batch", "b1", "--rubric", "av-cut-in"])
            try project.ok(["assign", "--batch", "b1", "--raters", "alice,bob,lena"])
            let labels = project.dir + "/labels.csv"
            try writeFile(labels, Self.labels)
            try project.ok(["label", "import", labels])
            return project
        }
    }

    /// A private copy of the standard project: a byte copy of the SQLite template, or on
    /// PostgreSQL the template migrated into a fresh database (`concord migrate`: the same
    /// rows, times and audit chain, so both stores start from the same snapshot; 0.4 s,
    /// where building it again with the same commands took 1.5 s). Its clips are the
    /// template's files, as a SQLite copy's are.
    static func copy(_ kind: StoreKind = .sqlite) throws -> Project {
        guard kind == .postgres else { return try template().copy() }
        return try migrated(from: try migrationSource())
    }

    /// A copy of the template that `concord migrate` reads, so that no reader opens the
    /// template itself while other tests copy its file (and a WAL file it may make). Call it
    /// outside a TemplateCache build (the cache's lock is not re-entrant).
    static func migrationSource() throws -> Project {
        let template = try template()
        return try TemplateCache.shared.project("standard-migration-source") { try template.copy("migration-source") }
    }

    /// `source` in a new database. The raters' login roles exist first (the DBA's
    /// `createuser`), so migrate grants each its role's group as `rater add` does.
    static func migrated(from source: Project) throws -> Project {
        for (name, _) in raters { try PostgresProjects.ensureLogin(name) }
        let project = try Project.unmade("standard", kind: .postgres)
        let result = try CLI.run(["migrate", "--from", source.db, "--to", project.db])
        try #require(result.status == 0, "migrate: \(result.stderr)")
        return project
    }

    /// The standard project for a test that leaves it as it is (reads, and refusals that
    /// check that nothing changed): on SQLite a private copy as before; on PostgreSQL one
    /// database shared by all such tests (each copy costs a migrate), with a directory of the
    /// test's own for the files it writes. A refusal that wrongly wrote would fail its own
    /// test (the snapshot differs) and, with the shared database, the others too.
    static func forReading(_ kind: StoreKind) throws -> Project {
        guard kind == .postgres else { return try copy() }
        let source = try migrationSource()
        let shared = try TemplateCache.shared.project("standard-postgres") { try migrated(from: source) }
        var project = Project(dir: try scratchDirectory("reading"), db: shared.db, kind: .postgres, database: shared.database)
        project.shared = true
        return project
    }

    /// The snapshot every project from `copy(kind)` or `forReading(kind)` starts with.
    static func snapshot(_ kind: StoreKind = .sqlite) throws -> Snapshot {
        guard kind == .postgres else { return try TemplateCache.shared.snapshot("standard", of: try template()) }
        let shared = try forReading(.postgres)
        return try TemplateCache.shared.snapshot("standard-postgres", of: shared)
    }

    /// A clip file of the template directory.
    static func clip(_ name: String) throws -> String { try template().dir + "/" + name }
}

/// Standard error from concord's own first line on: the text concord wrote, without the
/// log lines a library may have printed before it.
func concordMessage(_ stderr: String) -> String {
    guard let range = stderr.range(of: "concord: ") else { return stderr }
    return String(stderr[range.lowerBound...])
}
