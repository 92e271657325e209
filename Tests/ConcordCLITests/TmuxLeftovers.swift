import Foundation
import Testing

/// The end-of-suite check that tmux tests leave nothing running: every tmux server a
/// `TmuxSession` started, and every process under it (the shell, `sleep 600`, the concord
/// TUI itself), must be gone once the suite ends. Full runs once left about 29 servers
/// behind, and after a failing run the TUI kept running; nobody noticed, because nothing
/// looked.
///
/// A session records its server when it starts and its whole process tree when it closes
/// (its `deinit`, just before `kill-server`). The trait wraps a suite: afterwards it waits
/// a few seconds for those processes to end, then fails the suite naming each survivor
/// (and kills it, so one failure does not pile up more). A session still open when its
/// suite ends (a test that kept it alive) fails the check too.
struct TmuxLeftovers: SuiteTrait, TestScoping {
    /// Once for the suite, not around each test.
    var isRecursive: Bool { false }

    /// A process as /proc knows it; the start time tells a reused pid from the original.
    struct Process: Hashable, CustomStringConvertible {
        let pid: Int32
        let startTime: UInt64
        let command: String
        var description: String { "\(pid) \(command)" }
    }

    private struct Session {
        var suite: String?
        var server: Int32?
        var processes: [Process] = []
        var closed = false
    }

    @TaskLocal static var suite: String?
    nonisolated(unsafe) private static var sessions: [String: Session] = [:]
    private static let lock = NSLock()

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let name = test.id.description
        try await Self.$suite.withValue(name) { try await function() }
        Self.check(suite: name)
    }

    static func started(socket: String, server: Int32?) {
        lock.withLock { sessions[socket] = Session(suite: suite, server: server) }
    }

    /// The server and everything under it, as running now.
    static func tree(socket: String) -> [Process] {
        guard let server = lock.withLock({ sessions[socket]?.server }) else { return [] }
        return tree(of: server)
    }

    /// `root` and every process under it, as running now.
    static func tree(of root: Int32) -> [Process] {
        let all = running()
        var found = all.filter { $0.pid == root }.map(\.process)
        var frontier: Set<Int32> = [root]
        while !frontier.isEmpty {
            let children = all.filter { frontier.contains($0.parent) && !found.contains($0.process) }
            found += children.map(\.process)
            frontier = Set(children.map(\.pid))
        }
        return found
    }

    static func closed(socket: String, processes: [Process]) {
        lock.withLock {
            sessions[socket, default: Session()].processes = processes
            sessions[socket]?.closed = true
        }
    }

    /// Fails the suite for each session it left open and each process still alive.
    static func check(suite: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let mine = lock.withLock { sessions.filter { $0.value.suite == suite } }
        for (socket, session) in mine where !session.closed {
            Issue.record("tmux session \(socket) was still open when the suite ended", sourceLocation: sourceLocation)
            closed(socket: socket, processes: tree(socket: socket))
        }
        let watched = lock.withLock { sessions.filter { $0.value.suite == suite }.flatMap(\.value.processes) }
        let deadline = Date().addingTimeInterval(10)
        var alive = watched.filter(isAlive)
        while !alive.isEmpty && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            alive = alive.filter(isAlive)
        }
        if !alive.isEmpty {
            Issue.record("tmux tests left \(alive.count) process\(alive.count == 1 ? "" : "es") running: \(alive.map(\.description).joined(separator: "; "))",
                         sourceLocation: sourceLocation)
            for process in alive { kill(process.pid, SIGKILL) }
        }
        lock.withLock { for socket in mine.keys { sessions[socket] = nil } }
    }

    static func isAlive(_ process: Process) -> Bool {
        guard let now = stat(process.pid) else { return false }
        return now.process.startTime == process.startTime && now.state != "Z"
    }

    /// Every process in /proc with its parent.
    private static func running() -> [(pid: Int32, parent: Int32, process: Process)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap(Int32.init).compactMap { pid in
            stat(pid).map { (pid, $0.parent, $0.process) }
        }
    }

    /// /proc/PID/stat: "pid (comm) state ppid …", field 22 the start time in clock ticks.
    /// The command name can hold spaces and parentheses, so fields count from the last ')'.
    private static func stat(_ pid: Int32) -> (process: Process, parent: Int32, state: Character)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let state = fields[0].first, let parent = Int32(fields[1]),
              let start = UInt64(fields[19]) else { return nil }
        let cmdline = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        let command = String(decoding: cmdline.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return (Process(pid: pid, startTime: start, command: command), parent, state)
    }
}

extension Trait where Self == TmuxLeftovers {
    /// Ends the suite with a check that no tmux server or process under one is left running.
    static var tmuxLeftoverCheck: Self { TmuxLeftovers() }
}
