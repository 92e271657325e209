import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `psql` printed and how it exited.
public struct PsqlResult: Sendable, Equatable {
    public let status: Int32
    /// Standard output and error together, as a user at a terminal sees them.
    public let output: String
    /// The rows of an unaligned, tuples-only result: lines, fields split at `|`.
    public var rows: [[String]] {
        output.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
            .map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    }
}

extension PostgresCluster {
    /// Runs `sql` through `psql` as the OS user `osUser` over this cluster's socket: peer
    /// authentication (`PostgresCluster(peerAuthentication: true)`) makes it the role of the
    /// same name, so the test sees exactly what that person at a shell sees. Unaligned,
    /// tuples only, `ON_ERROR_STOP`, no `~/.psqlrc`.
    public func psql(as osUser: String, database: String, _ sql: String) throws -> PsqlResult {
        try psql(as: osUser, database: database, commands: [sql], stopOnError: true)
    }

    /// Runs each command as its own `-c` (its own transaction): with `stopOnError` false,
    /// every one runs and each refusal is printed (`ERROR:  …`), one process for all.
    public func psql(as osUser: String, database: String, commands: [String], stopOnError: Bool) throws -> PsqlResult {
        let (status, output) = try Self.runWithStatus("/bin/bash", [
            "-c", Self.closeInheritedDescriptors, "close-fds",
            "/usr/sbin/runuser", "-u", osUser, "--", "\(Self.binaries)/psql", "-X", "-q", "-A", "-t",
            "-v", "ON_ERROR_STOP=\(stopOnError ? 1 : 0)", "-h", socketDirectory, "-d", database,
        ] + commands.flatMap { ["-c", $0] })
        return PsqlResult(status: status, output: output)
    }

    /// Creates OS users for one test (no home, no login shell): `names` prefixed by `cpg-`
    /// and a random tag, so tests in parallel never share one. Returns the full names, in
    /// order; `deleteOSUsers` removes them.
    public static func createOSUsers(_ names: [String]) throws -> [String] {
        let tag = String(UInt32.random(in: 0..<UInt32.max), radix: 36)
        userLock.lock()
        defer { userLock.unlock() }
        var made: [String] = []
        do {
            for name in names {
                let full = "cpg-\(tag)-\(name)"
                try patiently {
                    try run("/usr/sbin/useradd", ["--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                                                  "--user-group", full])
                }
                made.append(full)
            }
        } catch {
            for name in made { _ = try? run("/usr/sbin/userdel", [name], allowFailure: true) }
            throw error
        }
        return made
    }

    public static func deleteOSUsers(_ names: [String]) {
        userLock.lock()
        defer { userLock.unlock() }
        for name in names where name.hasPrefix("cpg-") {
            try? patiently {
                _ = try run("/usr/sbin/userdel", [name], allowFailure: true)
                if getpwnam(name) != nil { throw HarnessError("userdel \(name) failed") }
            }
        }
    }

    /// useradd and userdel give up at once when another process holds /etc/passwd's lock;
    /// `userLock` orders this process's calls, but `ServerDocCheckTests`' script makes users
    /// too. So try again for up to 10 s, as that script does.
    static func patiently(_ body: () throws -> Void) throws {
        var tries = 0
        while true {
            do {
                return try body()
            } catch {
                tries += 1
                if tries >= 50 { throw error }
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
    }

    /// Runs a program with `LC_ALL=C` and returns its exit status and output (standard
    /// output and error together).
    public static func runWithStatus(_ executable: String, _ arguments: [String], cwd: String = "/") throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cwd)
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        process.environment = environment
        // Output goes to a file, not a pipe: the server pg_ctl starts outlives pg_ctl and would
        // hold a pipe's write end open, so reading it to the end would never return.
        let outputPath = NSTemporaryDirectory() + "/concord-pg-run-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil),
              let output = FileHandle(forWritingAtPath: outputPath) else {
            throw HarnessError("cannot create \(outputPath)")
        }
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        try output.close()
        return (process.terminationStatus, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
    }
}
