import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Shared by OutputFileTests and StandardOutputTests: real small disks, file facts, and
/// concord run with its standard output on a given file descriptor.

/// A private tmpfs of `size` mounted in a fresh scratch directory (root only): a disk that
/// is full for real, for this test alone. `unmount()` removes it.
final class SmallDisk {
    let dir: String

    static var available: Bool { getuid() == 0 && Tool.which("mount") != nil && Tool.which("umount") != nil }

    init(size: String = "64k") throws {
        dir = try scratchDirectory("small-disk")
        let mounted = try Tool.run(try #require(Tool.which("mount")), ["-t", "tmpfs", "-o", "size=\(size),mode=0755", "tmpfs", dir])
        try #require(mounted.status == 0, "mount tmpfs: \(mounted.stderr)")
    }

    func unmount() {
        if let umount = Tool.which("umount") { _ = try? Tool.run(umount, [dir]) }
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// lstat(2) facts, and file contents, for asserting that a command left a path alone.
enum FileFacts {
    static func lstatMode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode : nil
    }

    static func owner(_ path: String) -> uid_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_uid : nil
    }

    static func isSymlink(_ path: String) -> Bool { lstatMode(path).map { $0 & S_IFMT == S_IFLNK } ?? false }

    static func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    static func names(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    }

    /// The process's umask (read and put back).
    static var umask: mode_t {
        let mask = Glibc.umask(0)
        Glibc.umask(mask)
        return mask
    }
}

/// How a process ended: its exit status, or the signal that killed it.
struct Ending: Equatable, CustomStringConvertible {
    let status: Int32
    let signaled: Bool
    static func exit(_ status: Int32) -> Ending { Ending(status: status, signaled: false) }
    var description: String { signaled ? "killed by signal \(status)" : "exit \(status)" }
}

enum StandardOutputRun {
    /// `concord ARGS` with standard output on `output` (left open for the caller to close),
    /// standard error captured; waits at most `timeout` seconds, then kills it and fails.
    static func run(_ arguments: [String], output: FileHandle, timeout: TimeInterval = 60,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> (ending: Ending, stderr: String) {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.currentDirectoryURL = CLI.packageRoot
        var env = ProcessInfo.processInfo.environment
        env["COLUMNS"] = "120"
        process.environment = env
        let errPath = try scratchDirectory("stderr") + "/err"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = output
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try err.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("concord \(arguments.joined(separator: " ")) still ran after \(Int(timeout)) s", sourceLocation: sourceLocation)
        }
        process.waitUntilExit()
        let stderr = String(decoding: FileFacts.bytes(errPath) ?? Data(), as: UTF8.self)
        return (Ending(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal), stderr)
    }
}

/// The standard project plus one 120 KB note, so that an export is bigger than a 64 KiB
/// disk or a 4 KiB file-size limit.
enum BigExport {
    static func project() throws -> Project {
        // Outside the cache's lock, which is not reentrant.
        let standard = try Standard.template()
        let project = try TemplateCache.shared.project("big-export") {
            let project = try standard.copy("big-export")
            let csv = project.dir + "/note.csv"
            try writeFile(csv, "clip,rater,criterion,value\na.mp4,bob,notes,\"\(String(repeating: "n", count: 120_000))\"\n")
            try project.ok(["label", "import", csv])
            return project
        }
        return try project.copy("big")
    }
}
