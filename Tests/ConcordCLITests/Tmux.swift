import Foundation
import Testing

/// A real terminal for TUI tests: a detached tmux session on its own server socket (so
/// tests running at once never share a server), driven with `send-keys` and read with
/// `capture-pane -p`. The command runs under `sh` with the terminal's `stty -g` recorded
/// before and after it and its exit status saved, so a test can check the terminal was
/// restored.
final class TmuxSession {
    let socket: String
    let dir: String
    private static let tmux = Tool.which("tmux") ?? "/usr/bin/tmux"

    /// Starts `command` (a shell command line) in a `columns`×`rows` terminal.
    init(_ command: String, columns: Int = 120, rows: Int = 40, label: String = "tui") throws {
        dir = try scratchDirectory("tmux-\(label)")
        socket = "concord-\(UUID().uuidString.prefix(8))"
        // A crash prints Swift's backtrace and ends; interactive, it would wait 30 s for a key.
        let script = """
        export SWIFT_BACKTRACE=interactive=no
        # The workbench remembers clip hashes in the user's cache: the session's own, not ~/.cache.
        export XDG_CACHE_HOME='\(dir)/cache'
        stty -g > '\(dir)/stty-before'
        \(command)
        echo $? > '\(dir)/status.tmp' && mv '\(dir)/status.tmp' '\(dir)/status'
        stty -g > '\(dir)/stty-after'
        sleep 600
        """
        try writeFile(dir + "/run.sh", script)
        try run(["-u", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(columns)", "-y", "\(rows)", "-s", "t",
                 "sh '\(dir)/run.sh'"])
        _ = try? run(["-L", socket, "set-option", "-g", "status", "off"])
        let server = (try? run(["-L", socket, "display-message", "-p", "#{pid}"]))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        TmuxLeftovers.started(socket: socket, server: server)
    }

    /// Ends the server and everything under it. What was running is recorded first, so the
    /// suite's leftover check (`TmuxLeftovers`) can tell whether `kill-server` really ended it.
    deinit {
        let tree = TmuxLeftovers.tree(socket: socket)
        _ = try? run(["-L", socket, "kill-server"])
        TmuxLeftovers.closed(socket: socket, processes: tree)
    }

    /// Runs tmux with posix_spawn and waitpid (`CleanSpawn`: an empty signal mask, or
    /// `kill-server` does nothing). Not Foundation's Process: the first call starts the
    /// tmux server, a daemon that outlives its client, and Process then never saw the
    /// client exit (it stayed a zombie and the test hung).
    @discardableResult
    private func run(_ arguments: [String]) throws -> String {
        let out = dir + "/tmux-\(UUID().uuidString.prefix(8)).out"
        let pid = try CleanSpawn.start(Self.tmux, arguments, output: out)
        let status = CleanSpawn.wait(pid)
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: out)
        guard status == 0 else {
            throw TmuxFailed(message: "tmux \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }

    /// Keys by tmux name ("Enter", "Left", "C-c") or literal characters ("1", "q").
    func send(_ keys: String...) throws {
        for key in keys { try run(["-L", socket, "send-keys", "-t", "t", key]) }
    }

    /// Literal text, character by character as a person types it.
    func type(_ text: String) throws {
        try run(["-L", socket, "send-keys", "-t", "t", "-l", text])
    }

    func screen() throws -> String {
        try run(["-L", socket, "capture-pane", "-p", "-t", "t"])
    }

    /// Polls the screen until `predicate` holds; fails the test with the screen otherwise.
    @discardableResult
    func wait(for description: String, timeout: Double = 20, sourceLocation: SourceLocation = #_sourceLocation,
              _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if predicate(last) { return try settled(last, predicate) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out waiting for \(description); the screen was:\n\(last)", sourceLocation: sourceLocation)
        throw TmuxFailed(message: "timed out waiting for \(description)")
    }

    /// The first capture that shows what a test waits for can be a half-painted screen:
    /// curses writes one repaint in several pieces and tmux can be read between them (CI
    /// once saw the rubric pane without the clip pane beside it). So a match is only
    /// returned once two captures 50 ms apart agree; a screen that keeps changing (a clip
    /// playing) is returned as last seen after a second.
    private func settled(_ first: String, _ predicate: (String) -> Bool) throws -> String {
        var last = first
        let deadline = Date().addingTimeInterval(1)
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            let next = try screen()
            if next == last { return next }
            if predicate(next) { last = next }
        }
        return last
    }

    @discardableResult
    func wait(for text: String, timeout: Double = 20, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try wait(for: "'\(text)'", timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    func resize(columns: Int, rows: Int) throws {
        try run(["-L", socket, "resize-window", "-t", "t", "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// The command's exit status, once it has ended.
    func exitStatus(timeout: Double = 20) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: dir + "/status", encoding: .utf8),
               let status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                Thread.sleep(forTimeInterval: 0.1)   // let the shell record stty-after
                return status
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TmuxFailed(message: "the command did not end; the screen was:\n\((try? screen()) ?? "")")
    }

    /// `stty -g` before the command and after it ended.
    func sttyBeforeAndAfter() throws -> (String, String) {
        (try String(contentsOfFile: dir + "/stty-before", encoding: .utf8),
         try String(contentsOfFile: dir + "/stty-after", encoding: .utf8))
    }

    /// The pid of the command running in the pane (the shell's child).
    func commandPID() throws -> Int32 {
        let shell = try run(["-L", socket, "list-panes", "-t", "t", "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try Tool.run("/usr/bin/pgrep", ["-P", shell]).stdout
            .split(separator: "\n").compactMap { Int32($0) }
        guard let pid = children.first(where: { pid in
            let cmd = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
            return cmd.contains("concord")
        }) else { throw TmuxFailed(message: "no concord process under the pane's shell \(shell)") }
        return pid
    }
}

struct TmuxFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
