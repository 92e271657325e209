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
///
/// By default every local connection is trusted (the 0700 directory keeps everyone but root
/// and `concord-pg` from the socket). With `peerAuthentication`, the socket is in a
/// directory of its own that every OS user can reach, and each connection is peer-checked:
/// the server asks the kernel which OS user is on the other end and lets it in only as the
/// role of the same name, as a production server does (docs/server.md); `root` and
/// `concord-pg` map to the bootstrap superuser. Such tests run `psql` as real OS users
/// (`createOSUser`, `psql(as:database:_:)`).
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

    /// Holds `data/`, `server.log` and (unless `peerAuthentication`) the socket `.s.PGSQL.5432`.
    public let directory: String
    /// Where the socket is: `directory`, or with `peerAuthentication` a 0755 directory of its own.
    public let socketDirectory: String
    public let peerAuthentication: Bool
    public var dataDirectory: String { directory + "/data" }
    private var running = false

    public static func with<T>(peerAuthentication: Bool = false, _ body: (PostgresCluster) throws -> T) throws -> T {
        let cluster = try PostgresCluster(peerAuthentication: peerAuthentication)
        defer { cluster.stop() }
        return try body(cluster)
    }

    public init(peerAuthentication: Bool = false) throws {
        try Self.ensureOSUser()
        self.peerAuthentication = peerAuthentication
        directory = try Self.makeDirectory("concord-pg", mode: 0o700)
        socketDirectory = peerAuthentication ? try Self.makeDirectory("concord-pg-socket", mode: 0o755) : directory
        do {
            try asOSUser("initdb", ["-D", dataDirectory, "-U", Self.superuser, "--auth=trust", "--no-locale",
                                    "--encoding=UTF8", "--no-sync"])
            // The cluster is private to this test: its directory, socket included, is 0700 and
            // owned by concord-pg, so only concord-pg and root can reach the socket, and trust
            // for local connections is as safe as that directory. One role must give a password
            // (first matching line wins), so the refused-password case is real.
            let hba = "local all \(Self.passwordUser) scram-sha-256\nlocal all all \(peerAuthentication ? "peer map=concord" : "trust")\n"
            try hba.write(toFile: dataDirectory + "/pg_hba.conf", atomically: false, encoding: .utf8)
            // The first line that matches both names lets the connection in.
            let ident = "concord root \(Self.superuser)\nconcord \(Self.osUser) \(Self.superuser)\nconcord /^(.*)$ \\1\n"
            try ident.write(toFile: dataDirectory + "/pg_ident.conf", atomically: false, encoding: .utf8)
            try asOSUser("pg_ctl", ["-D", dataDirectory, "-l", directory + "/server.log", "-w", "-t", "60",
                                    "-o", "-k \(socketDirectory) -c listen_addresses=''", "start"])
            running = true
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// A libpq URI for `database` over this cluster's socket.
    public func uri(database: String = "postgres", user: String = PostgresCluster.superuser, extra: String = "") -> String {
        "postgresql://\(user)@/\(database)?host=\(socketDirectory)\(extra)"
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
        if socketDirectory != directory { try? FileManager.default.removeItem(atPath: socketDirectory) }
    }

    /// A fresh directory under the temporary directory, owned by `concord-pg`.
    private static func makeDirectory(_ prefix: String, mode: mode_t) throws -> String {
        let temporary = NSTemporaryDirectory().hasSuffix("/") ? String(NSTemporaryDirectory().dropLast()) : NSTemporaryDirectory()
        var template = Array((temporary + "/\(prefix)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw HarnessError("mkdtemp: \(String(cString: strerror(errno)))") }
        let path = String(cString: made)
        guard let account = getpwnam(osUser),
              chown(path, account.pointee.pw_uid, account.pointee.pw_gid) == 0, chmod(path, mode) == 0
        else { throw HarnessError("cannot give \(path) to \(osUser): \(String(cString: strerror(errno)))") }
        return path
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

    /// One useradd or userdel at a time in this process (they lock /etc/passwd).
    static let userLock = NSLock()

    /// Creates the system account `concord-pg` (no home, no login shell) when it is missing.
    /// Tests in parallel may race here; a lost race ("already exists") is fine.
    private static func ensureOSUser() throws {
        userLock.lock()
        defer { userLock.unlock() }
        if getpwnam(osUser) != nil { return }
        try? patiently {
            if getpwnam(osUser) != nil { return }
            try run("/usr/sbin/useradd", ["--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                                          "--shell", "/usr/sbin/nologin", osUser])
        }
        guard getpwnam(osUser) != nil else { throw HarnessError("useradd \(osUser) failed") }
    }

    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], cwd: String = "/", allowFailure: Bool = false) throws -> String {
        let (status, text) = try runWithStatus(executable, arguments, cwd: cwd)
        if status != 0 && !allowFailure {
            throw HarnessError("\(executable) \(arguments.joined(separator: " ")) exited \(status): \(text)")
        }
        return text
    }
}

public struct HarnessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
