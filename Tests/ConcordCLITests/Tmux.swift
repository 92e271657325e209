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

    /// Runs tmux with posix_spawn and waitpid. Not Foundation's Process: the first call
    /// starts the tmux server, a daemon that outlives its client, and Process then never
    /// saw the client exit (it stayed a zombie and the test hung).
    @discardableResult
    private func run(_ arguments: [String]) throws -> String {
        let out = dir + "/tmux-\(UUID().uuidString.prefix(8)).out"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the test process may leak into tmux: the first call forks the
        // server, a daemon that would hold inherited pipe ends open (another test's child
        // then never sees end of file on its standard input, and hangs).
        Self.closeFrom(&actions, 3)
        // An empty signal mask and default dispositions: tests run on threads that block
        // signals (SIGTERM among them), and the tmux server inherited that mask, so its
        // `kill-server` (which signals itself) did nothing and every server outlived its test.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([Self.tmux] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, Self.tmux, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw TmuxFailed(message: "cannot start tmux: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: out)
        guard status == 0 else {
            throw TmuxFailed(message: "tmux \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
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
