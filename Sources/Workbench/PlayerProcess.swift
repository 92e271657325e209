import Foundation

/// The external player's process (`o`, `ExternalPlayer`): started with `posix_spawn` and
/// reaped with `waitpid` on its own pid, not with Foundation's `Process`.
///
/// Foundation on Linux learns that a child ended when a socket the child inherited reaches
/// end of file, so any descendant that outlives the child with that descriptor keeps
/// `waitUntilExit` waiting, and the workbench with it (`sh -c 'sleep 8 & exit 0'` under
/// `Process` returns after 8 s; mpv does start helpers: it runs `dbus-launch --autolaunch`
/// when there is no session bus). Here the child is started by `CleanSpawn` (none of the
/// workbench's descriptors, default signals) and `waitpid` sees mpv itself end whatever it
/// left behind.
struct PlayerProcess {
    let pid: pid_t
    private(set) var status: Int32?

    /// Starts `path` with `arguments` in `environment`.
    init(_ path: String, _ arguments: [String], environment: [String: String]) throws {
        do {
            pid = try CleanSpawn.start(path, arguments, environment: environment)
        } catch {
            throw ExternalPlayer.Failure(description: "\(error)")
        }
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
}
