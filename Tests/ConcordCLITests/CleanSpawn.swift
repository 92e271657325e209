import Foundation

/// Starts helper programs (tmux, Xvfb, xterm) the way a shell would, not the way the test
/// process happens to be: an empty signal mask and default dispositions
/// (`POSIX_SPAWN_SETSIGMASK`, `POSIX_SPAWN_SETSIGDEF`), standard input from /dev/null,
/// output to a file, and no other descriptor of the test process.
///
/// Tests run on threads that block signals, SIGTERM among them, and a child inherits that
/// mask across exec: tmux's `kill-server` (which signals itself), Foundation's
/// `Process.terminate()` on Xvfb, and SIGTERM to a concord TUI under them all did nothing,
/// and those processes outlived the tests (or hung them in `waitUntilExit`).
enum CleanSpawn {
    /// Starts `path` with `arguments`; standard output and error go to `output` (or
    /// /dev/null). Returns the child's pid, to be reaped with `wait`.
    static func start(_ path: String, _ arguments: [String], environment: [String: String]? = nil,
                      output: String? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the test process may leak: a daemon (the tmux server) would hold
        // inherited pipe ends open, and another test's child would never see end of file.
        closeFrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { env?.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = env.map { posix_spawn(&pid, path, &actions, &attributes, argv, $0) }
            ?? posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw TmuxFailed(message: "cannot start \(path): \(String(cString: strerror(spawned)))") }
        return pid
    }

    /// The child's exit status (128 + N when signal N ended it), once it has ended; nil
    /// when it is still running after `timeout` seconds (nil timeout: wait for ever).
    static func wait(_ pid: pid_t, timeout: Double? = nil) -> Int32? {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        var status: Int32 = 0
        while true {
            let done = waitpid(pid, &status, timeout == nil ? 0 : WNOHANG)
            if done == pid { break }
            if done < 0 && errno != EINTR { return -1 }
            if let deadline, Date() >= deadline { return nil }
            if timeout != nil { Thread.sleep(forTimeInterval: 0.02) }
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), which Swift's Glibc module
    /// does not export; looked up once.
    private static let closeFrom: @Sendable (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Void = {
        typealias Function = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            return { _, _ in }
        }
        let function = unsafeBitCast(symbol, to: Function.self)
        return { _ = function($0, $1) }
    }()
}
