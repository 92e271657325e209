import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 14, "Files concord writes": every `--out` (label export, golden export, report) is
/// complete or absent, never replaces what it must not, and cannot be redirected by a rater
/// who can write the directory. File systems for real: a 64 KiB tmpfs, `prlimit --fsize`,
/// FIFOs, sockets, device nodes and hard links made here, another OS user's symlinks.
@Suite struct OutputFileTests {
    /// The three commands that take --out, each with the arguments it needs.
    enum Writer: String, CaseIterable, Sendable {
        case labelExport, goldenExport, report
        func arguments(_ out: String) -> [String] {
            switch self {
            case .labelExport: return ["label", "export", "--out", out]
            case .goldenExport: return ["golden", "export", "--out", out]
            case .report: return ["report", "--format", "md", "--out", out]
            }
        }
    }

    // MARK: - Complete or absent

    @Test(.enabled(if: SmallDisk.available, "needs root to mount a tmpfs"))
    func aFullDiskLeavesThePreviousFileAsItWas() throws {
        let project = try BigExport.project()
        defer { project.remove() }
        let disk = try SmallDisk(size: "64k")
        defer { disk.unmount() }
        let out = disk.dir + "/labels.csv"
        let previous = Data(String(repeating: "the previous export\n", count: 1000).utf8)   // 20 KB
        try writeFile(out, previous)

        let full = try project.run(["label", "export", "--out", out])
        #expect(full.status == 2)
        #expect(full.stdout == "")
        #expect(full.stderr == "concord: cannot write \(out): no space left on the device; \(out) is unchanged — free some space and try again\n")
        #expect(FileFacts.bytes(out) == previous)
        #expect(try FileFacts.names(disk.dir) == ["labels.csv"], "a temporary file was left behind")

        // A new file that does not fit is not created at all.
        let fresh = disk.dir + "/fresh.csv"
        let absent = try project.run(["label", "export", "--out", fresh])
        #expect(absent.status == 2)
        #expect(absent.stderr == "concord: cannot write \(fresh): no space left on the device; no file was created — free some space and try again\n")
        #expect(try FileFacts.names(disk.dir) == ["labels.csv"])

        // With room, the same export is whole: the bytes standard output gets.
        let roomy = project.dir + "/labels.csv"
        try project.ok(["label", "export", "--out", roomy])
        #expect(FileFacts.bytes(roomy) == Data(try project.ok(["label", "export"]).utf8))
    }

    @Test(.enabled(if: Tool.which("prlimit") != nil, "prlimit (util-linux) caps the file size"))
    func aFileSizeLimitLeavesThePreviousFileAsItWas() throws {
        let project = try BigExport.project()
        defer { project.remove() }
        let dir = try scratchDirectory("fsize")
        let out = dir + "/labels.csv"
        try writeFile(out, "the previous export\n")
        // 64 KiB: room for SQLite's 32 KiB shared-memory index, not for the 120 KB export.
        let limited = try Tool.run(try #require(Tool.which("prlimit")),
                                   ["--fsize=65536", CLI.binary.path, "label", "export", "--out", out, "--project", project.db])
        #expect(limited.status == 2)
        #expect(concordMessage(limited.stderr) == "concord: cannot write \(out): the file-size limit is reached; \(out) is unchanged — raise the file-size limit (ulimit -f) or write elsewhere\n")
        #expect(FileFacts.bytes(out) == Data("the previous export\n".utf8))
        #expect(try FileFacts.names(dir) == ["labels.csv"])
    }

    // MARK: - What --out may replace

    enum Target: String, CaseIterable, Sendable {
        case projectFile, projectWAL, projectSHM, projectJournal, hardLinkToProject, otherDatabase, otherWAL,
             fifo, directory, socket, characterDevice, symlinkToFile, danglingSymlink
    }

    /// Makes `target` in the project's directory; returns its path and the line refusing it.
    static func make(_ target: Target, in project: Project) throws -> (path: String, message: String) {
        let dir = project.dir
        let projectLine = { (path: String, what: String) in "--out \(path): that is \(what); choose another file for the output" }
        let notRegular = { (path: String, what: String) in
            "--out \(path): that is \(what), not a regular file; give the path of a file, or --out - for standard output"
        }
        let linkLine = { (path: String) in
            "--out \(path): that is a symbolic link; concord does not write through links (a link in a shared directory may point anywhere): give the path of the file itself, or remove the link"
        }
        switch target {
        case .projectFile: return (project.db, projectLine(project.db, "the project file"))
        case .projectWAL: return (project.db + "-wal", projectLine(project.db + "-wal", "the project file's write-ahead log"))
        case .projectSHM: return (project.db + "-shm", projectLine(project.db + "-shm", "the project file's shared-memory index"))
        case .projectJournal:
            return (project.db + "-journal", projectLine(project.db + "-journal", "the project file's rollback journal"))
        case .hardLinkToProject:
            let path = dir + "/also-the-project.csv"
            try #require(link(project.db, path) == 0)
            return (path, projectLine(path, "the project file"))
        case .otherDatabase:
            let path = dir + "/other-app.db"
            try Tool.sqlite(path, "CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            return (path, "--out \(path): that is an SQLite database, which concord never replaces; choose another file for the output")
        case .otherWAL:
            let path = dir + "/other-app.db-wal"
            try writeFile(path, Data([0x37, 0x7f, 0x06, 0x82, 0, 0x2d, 0xe2, 0x18] + [UInt8](repeating: 0, count: 24)))
            return (path, "--out \(path): that is an SQLite write-ahead log, which concord never replaces; choose another file for the output")
        case .fifo:
            let path = dir + "/fifo"
            try #require(mkfifo(path, 0o644) == 0)
            return (path, notRegular(path, "a named pipe (FIFO)"))
        case .directory:
            let path = dir + "/sub"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            return (path, notRegular(path, "a directory"))
        case .socket:
            let path = dir + "/sock"
            try #require(Self.bindSocket(path))
            return (path, notRegular(path, "a socket"))
        case .characterDevice:
            // A null device node of our own, in the scratch directory (never /dev's).
            let path = dir + "/null"
            // Device 1:3 is /dev/null's number (makedev(1, 3), a C macro Swift does not import).
            try #require(mknod(path, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0, "mknod: \(String(cString: strerror(errno)))")
            return (path, notRegular(path, "a character device"))
        case .symlinkToFile:
            let victim = dir + "/victim.txt"
            try writeFile(victim, "precious\n")
            let path = dir + "/link.csv"
            try #require(symlink(victim, path) == 0)
            return (path, linkLine(path))
        case .danglingSymlink:
            let path = dir + "/dangling.csv"
            try #require(symlink(dir + "/not-yet", path) == 0)
            return (path, linkLine(path))
        }
    }

    /// A listening-less Unix socket bound at `path` (the file stays after close).
    static func bindSocket(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
        }
    }

    /// Each target, by each writer: exit 2, the one line, nothing written or replaced, no
    /// temporary file left, the project file unchanged. A FIFO must not block the writer.
    @Test(.enabled(if: getuid() == 0, "mknod needs root"), arguments: Target.allCases, Writer.allCases)
    func refusedTargetsAreLeftAlone(_ target: Target, _ writer: Writer) throws {
        let project = try Standard.copy()
        defer { project.remove() }
        let (path, message) = try Self.make(target, in: project)
        // The project's own -wal and -shm come and go with every connection.
        let others = { try FileFacts.names(project.dir).filter { !$0.hasPrefix("p.db-") } }
        let namesBefore = try others()
        let modeBefore = FileFacts.lstatMode(path)
        // Contents only of what can be read without blocking (a FIFO would wait for a writer).
        let readable = ![.fifo, .socket, .directory, .characterDevice, .projectWAL, .projectSHM].contains(target)
        let bytesBefore = readable ? FileFacts.bytes(path) : nil
        let dbBefore = try Tool.sha256(project.db)

        let nowhere = try FileHandle(forWritingTo: URL(fileURLWithPath: try CLI.temporaryFile("", name: "stdout")))
        let (ending, stderr) = try StandardOutputRun.run(writer.arguments(path) + ["--project", project.db], output: nowhere, timeout: 30)
        try nowhere.close()
        #expect(ending == .exit(2), "\(target) by \(writer)")
        #expect(stderr == "concord: \(message)\n", "\(target) by \(writer)")
        #expect(try others() == namesBefore, "\(target) by \(writer): files added or removed")
        if ![.projectWAL, .projectSHM].contains(target) {
            #expect(FileFacts.lstatMode(path) == modeBefore, "\(target) by \(writer): replaced")
            if readable { #expect(FileFacts.bytes(path) == bytesBefore) }
        }
        #expect(try Tool.sha256(project.db) == dbBefore)
        if target == .symlinkToFile { #expect(FileFacts.bytes(project.dir + "/victim.txt") == Data("precious\n".utf8)) }
    }

    /// `--out -` is standard output, for the two writers whose --out is optional and for
    /// the report, whose --out is required.
    @Test(arguments: Writer.allCases)
    func dashIsStandardOutput(_ writer: Writer) throws {
        let project = try Standard.copy()
        defer { project.remove() }
        let names = try FileFacts.names(project.dir)
        let dashed = try project.ok(writer.arguments("-"))
        #expect(!dashed.isEmpty)
        #expect(try FileFacts.names(project.dir) == names)
        let file = project.dir + "/written"
        try project.run(writer.arguments(file))
        #expect(FileFacts.bytes(file) == Data(dashed.utf8))
    }

    // MARK: - A rater who can write the directory

    /// The lead (root) exports into a directory the raters' group can write. A rater,
    /// logged in as `nobody`, has planted a symlink at the export's name and, with the old
    /// guessable temporary name `NAME.concord-tmp-PID` in mind, symlinks at that name for
    /// the next thousand process ids, all pointing at a file only root may write. The export
    /// through the planted link is refused; the export beside it is written as a new file;
    /// the victim is untouched either way and every planted link is still a link.
    @Test(.enabled(if: SecurityProjectFileTests.canSwitchUsers, "needs root, setpriv and the nobody account"))
    func aRaterCannotRedirectTheLeadsExport() throws {
        let project = try Standard.copy()
        defer { project.remove() }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratchRoot)
        let shared = try scratchDirectory("shared-out")
        #expect(chown(shared, uid_t.max, SecurityProjectFileTests.group) == 0 && chmod(shared, 0o2770) == 0)
        let safe = try scratchDirectory("victim")
        let victim = safe + "/victim"
        try writeFile(victim, "precious\n")
        #expect(chmod(victim, 0o600) == 0)

        let planted = shared + "/labels.csv"
        let ln = try SecurityProjectFileTests.runAs(65534, member: true, try #require(Tool.which("ln")), ["-s", victim, planted])
        #expect(ln.status == 0, "\(ln.stderr)")
        #expect(FileFacts.owner(planted) == 65534)
        let refused = try project.run(["label", "export", "--out", planted])
        #expect(refused.status == 2)
        #expect(refused.stderr == "concord: --out \(planted): that is a symbolic link; concord does not write through links (a link in a shared directory may point anywhere): give the path of the file itself, or remove the link\n")
        #expect(FileFacts.isSymlink(planted))

        let out = shared + "/export.csv"
        let last = Int(try String(contentsOfFile: "/proc/sys/kernel/ns_last_pid", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let guesses = (last + 1...last + 1000).map { "\(out).concord-tmp-\($0)" }
        for guess in guesses {
            #expect(symlink(victim, guess) == 0)
            #expect(lchown(guess, 65534, 65534) == 0)
        }
        try project.ok(["label", "export", "--out", out])
        #expect(FileFacts.bytes(victim) == Data("precious\n".utf8), "the export went through a planted link")
        #expect(FileFacts.bytes(out) == Data(try project.ok(["label", "export"]).utf8))
        #expect(FileFacts.lstatMode(out).map { $0 & S_IFMT } == S_IFREG)
        #expect(FileFacts.owner(out) == 0)
        #expect(guesses.allSatisfy(FileFacts.isSymlink))
        #expect(try FileFacts.names(shared).count == guesses.count + 2)
    }

    // MARK: - Modes

    @Test(.enabled(if: SecurityProjectFileTests.canSwitchUsers, "chown to nobody needs root"))
    func theModeIsTheUmasksOrOnesOwn() throws {
        let project = try Standard.copy()
        defer { project.remove() }
        let dir = try scratchDirectory("modes")
        let export = { (umask: String, out: String) throws -> CLIResult in
            try SecurityProjectFileTests.withUmask(umask, CLI.binary.path, ["label", "export", "--out", out, "--project", project.db])
        }
        // New: 0644 minus the umask.
        #expect(try export("022", dir + "/a.csv").status == 0)
        #expect(try SecurityProjectFileTests.mode(dir + "/a.csv") == 0o644)
        #expect(try export("077", dir + "/b.csv").status == 0)
        #expect(try SecurityProjectFileTests.mode(dir + "/b.csv") == 0o600)
        // One's own file keeps its bits.
        try writeFile(dir + "/c.csv", "old\n")
        #expect(chmod(dir + "/c.csv", 0o640) == 0)
        #expect(try export("022", dir + "/c.csv").status == 0)
        #expect(try SecurityProjectFileTests.mode(dir + "/c.csv") == 0o640)
        // Someone else's 0666 file does not lend its bits to root's export.
        try writeFile(dir + "/d.csv", "planted\n")
        #expect(chown(dir + "/d.csv", 65534, 65534) == 0 && chmod(dir + "/d.csv", 0o666) == 0)
        #expect(try export("022", dir + "/d.csv").status == 0)
        #expect(try SecurityProjectFileTests.mode(dir + "/d.csv") == 0o644)
        #expect(FileFacts.owner(dir + "/d.csv") == 0)
        #expect(FileFacts.bytes(dir + "/d.csv") == Data(try project.ok(["label", "export"]).utf8))
        #expect(try FileFacts.names(dir) == ["a.csv", "b.csv", "c.csv", "d.csv"])
    }

    @Test func aMissingDirectoryIsNamed() throws {
        let project = try Standard.copy()
        defer { project.remove() }
        let out = project.dir + "/no/such/dir/labels.csv"
        let result = try project.run(["label", "export", "--out", out])
        #expect(result.status == 2)
        #expect(result.stderr == "concord: cannot write \(out): the directory \(project.dir)/no/such/dir does not exist; create it first, or choose another path\n")
        // A path is shown escaped: ESC [ 2 J in it does not clear the screen.
        let hostile = project.dir + "/\u{1B}[2J/labels.csv"
        let escaped = try project.run(["label", "export", "--out", hostile])
        #expect(escaped.status == 2)
        #expect(escaped.stderr == "concord: cannot write \(project.dir)/\\e[2J/labels.csv: the directory \(project.dir)/\\e[2J does not exist; create it first, or choose another path\n")
    }
}
