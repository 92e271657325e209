import Foundation

/// The external player's process (`o`, `ExternalPlayer`): started with `posix_spawn` and
/// reaped with `waitpid` on its own pid, not with Foundation's `Process`.
///
/// Foundation on Linux learns that a child ended when a socket the child inherited reaches
/// end of file, so any descendant that outlives the child with that descriptor keeps
/// `waitUntilExit` waiting, and the workbench with it (`sh -c 'sleep 8 & exit 0'` under
/// `Process` returns after 8 s; mpv does start helpers: it runs `dbus-launch --autolaunch`
/// when there is no session bus). Here the child gets standard
/// input and output on /dev/null and no other descriptor of the workbench (the terminal,
/// the project's connection), default signal dispositions and an empty mask; `waitpid`
/// sees mpv itself end whatever it left behind.
struct PlayerProcess {
    let pid: pid_t
    private(set) var status: Int32?

    /// Starts `path` with `arguments` in `environment`.
    init(_ path: String, _ arguments: [String], environment: [String: String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        Self.closeFrom(&actions, 3)
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
        let env = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, env)
        guard spawned == 0 else { throw ExternalPlayer.Failure(description: "cannot start \(path): \(String(cString: strerror(spawned)))") }
        self.pid = pid
    }

    /// Whether the process still runs; reaps it once it has ended.
    mutating func isRunning() -> Bool {
        guard status == nil else { return false }
        var raw: Int32 = 0
        let done = waitpid(pid, &raw, WNOHANG)
        if done == pid || (done < 0 && errno == ECHILD) {
            status = raw
            return false
        }
        return true
    }

    /// Waits up to `seconds` for the process to end; true when it has.
    mutating func wait(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning() {
            if Date() >= deadline { return false }
            usleep(10_000)
        }
        return true
    }

    /// Ends the process: SIGTERM, then SIGKILL if it is still there after `grace` seconds.
    mutating func end(grace: Double = 2) {
        guard isRunning() else { return }
        kill(pid, SIGTERM)
        if wait(seconds: grace) { return }
        kill(pid, SIGKILL)
        _ = wait(seconds: 5)
    }

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), which Swift's Glibc module
    /// does not export; looked up once (without it, descriptors opened close-on-exec, as
    /// Foundation and SQLite open theirs, still do not reach the child).
    private static let closeFrom: @Sendable (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Void = {
        typealias Function = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            return { _, _ in }
        }
        let function = unsafeBitCast(symbol, to: Function.self)
        return { _ = function($0, $1) }
    }()
}
