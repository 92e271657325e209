import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PostgresClient

/// A private PostgreSQL 15 cluster for one test: `initdb` into a fresh 0700 directory owned
/// by the unprivileged OS user `concord-pg` (initdb and postgres refuse to run as root, and
/// tests run as root here), a Unix socket in that same directory, no TCP
/// (`listen_addresses=''`). `PostgresCluster.with { }` stops it with `pg_ctl stop -m fast`
/// and deletes the directory whatever the body does; `deinit` does the same as a last resort.
public final class PostgresCluster {
    public static let binaries = "/usr/lib/postgresql/15/bin"   // Debian's; not on PATH
    public static let osUser = "concord-pg"
    /// The bootstrap superuser (`initdb -U`); the tests connect as it.
    public static let superuser = "postgres"
    /// A role that must give a password (SCRAM), for the authentication-failure case.
    public static let passwordUser = "concord_pw"

    /// What the cluster needs: root (to become `concord-pg`), runuser and Debian's binaries.
    public static var available: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "\(binaries)/initdb")
            && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")
    }

    /// Holds `data/`, the socket `.s.PGSQL.5432` and `server.log`.
    public let directory: String
    public var dataDirectory: String { directory + "/data" }
    private var running = false

    public static func with<T>(_ body: (PostgresCluster) throws -> T) throws -> T {
        let cluster = try PostgresCluster()
        defer { cluster.stop() }
        return try body(cluster)
    }

    public init() throws {
        try Self.ensureOSUser()
        let temporary = NSTemporaryDirectory().hasSuffix("/") ? String(NSTemporaryDirectory().dropLast()) : NSTemporaryDirectory()
        var template = Array((temporary + "/concord-pg-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw HarnessError("mkdtemp: \(String(cString: strerror(errno)))") }
        directory = String(cString: made)
        guard let account = getpwnam(Self.osUser),
              chown(directory, account.pointee.pw_uid, account.pointee.pw_gid) == 0, chmod(directory, 0o700) == 0
        else { throw HarnessError("cannot give \(directory) to \(Self.osUser): \(String(cString: strerror(errno)))") }
        do {
            try asOSUser("initdb", ["-D", dataDirectory, "-U", Self.superuser, "--auth=trust", "--no-locale",
                                    "--encoding=UTF8", "--no-sync"])
            // The cluster is private to this test: its directory, socket included, is 0700 and
            // owned by concord-pg, so only concord-pg and root can reach the socket, and trust
            // for local connections is as safe as that directory. One role must give a password
            // (first matching line wins), so the refused-password case is real.
            let hba = "local all \(Self.passwordUser) scram-sha-256\nlocal all all trust\n"
            try hba.write(toFile: dataDirectory + "/pg_hba.conf", atomically: false, encoding: .utf8)
            try asOSUser("pg_ctl", ["-D", dataDirectory, "-l", directory + "/server.log", "-w", "-t", "60",
                                    "-o", "-k \(directory) -c listen_addresses=''", "start"])
            running = true
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// A libpq URI for `database` over this cluster's socket.
    public func uri(database: String = "postgres", user: String = PostgresCluster.superuser, extra: String = "") -> String {
        "postgresql://\(user)@/\(database)?host=\(directory)\(extra)"
    }

    public func createDatabase(_ name: String) throws {
        let admin = try PostgresConnection(uri: uri())
        try admin.execute("CREATE DATABASE \"\(name)\"")   // a test's own fixed name
    }

    /// Stops the server (fast: active sessions are cut) and removes the directory; idempotent.
    public func stop() {
        if running {
            running = false
            _ = try? asOSUser("pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"])
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The PIDs of any process still running this cluster's postgres (`postgres -D <data>`).
    public static func serverProcesses(dataDirectory: String) throws -> [String] {
        let output = try run("/usr/bin/pgrep", ["-f", "postgres -D \(dataDirectory)"], allowFailure: true)
        return output.split(whereSeparator: \.isNewline).map(String.init)
    }

    @discardableResult
    private func asOSUser(_ program: String, _ arguments: [String]) throws -> String {
        try Self.run("/bin/bash", ["-c", Self.closeInheritedDescriptors, "close-fds",
                                   "/usr/sbin/runuser", "-u", Self.osUser, "--", "\(Self.binaries)/\(program)"] + arguments,
                     cwd: directory)
    }

    /// Closes every descriptor above stderr, then runs the arguments. Foundation's Process on
    /// Linux learns that a child exited when a socket the child inherited closes; the server
    /// pg_ctl starts would inherit it too and keep it open, so `waitUntilExit` would never
    /// return (and descriptors of other tests' children must not leak into the server either).
    public static let closeInheritedDescriptors = #"""
        for fd in /proc/self/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done; exec "$@"
        """#

    private static let userLock = NSLock()

    /// Creates the system account `concord-pg` (no home, no login shell) when it is missing.
    /// Tests in parallel may race here; a lost race ("already exists") is fine.
    private static func ensureOSUser() throws {
        userLock.lock()
        defer { userLock.unlock() }
        if getpwnam(osUser) != nil { return }
        _ = try? run("/usr/sbin/useradd", ["--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                                          "--shell", "/usr/sbin/nologin", osUser])
        guard getpwnam(osUser) != nil else { throw HarnessError("useradd \(osUser) failed") }
    }

    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], cwd: String = "/", allowFailure: Bool = false) throws -> String {
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
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        if process.terminationStatus != 0 && !allowFailure {
            throw HarnessError("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(text)")
        }
        return text
    }
}

public struct HarnessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
