import Foundation

/// Starts a program the way a shell would, not the way the calling process happens to be:
/// standard input from /dev/null, standard output and error to a file (or /dev/null), no
/// other descriptor of the caller (`closefrom(3)`: not the terminal, not a project's
/// connection, not a pipe a waiter watches), default signal dispositions and an empty
/// signal mask. The caller reaps the pid with `waitpid`.
///
/// Why each: a descendant that outlives the child keeps every descriptor it inherited open,
/// so a waiter watching one for end of file (Foundation's `Process` does) waits as long as
/// that descendant lives; and a child inherits the caller's signal mask across exec, so
/// one started from a thread that blocks SIGTERM (Swift Testing's threads do) ignores it.
/// Used for mpv (`PlayerProcess`) and by the CLI tests for tmux, Xvfb and xterm.
public enum CleanSpawn {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The child's pid. `environment` nil: the caller's own.
    public static func start(_ path: String, _ arguments: [String], environment: [String: String]? = nil,
                             output: String? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output ?? "/dev/null", output == nil ? O_WRONLY : O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
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
        guard spawned == 0 else { throw Failure(description: "cannot start \(path): \(String(cString: strerror(spawned)))") }
        return pid
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
