import Foundation

/// `o` in the workbench: the clip in mpv, at the frame on screen, for a rater who needs full
/// fidelity (24-bit colour at the clip's own size, real-time playback) and has a graphical
/// display (docs/rubrics.md, "Display"). The workbench waits until mpv is quit, then takes
/// mpv's position back.
///
/// mpv is driven through its JSON IPC socket (`--input-ipc-server`): one `seek … absolute+exact`
/// to the frame (its `--start` alone lands late in MPEG-TS), then `observe_property time-pos`,
/// whose every change is a position the rater saw. Times are on the container's own clock
/// (`--rebase-start-time=no`), so they map back to frames through
/// `VideoDecoder.firstFrameSeconds` whatever the container's start time. mpv's output goes
/// to /dev/null and it never reads the terminal (`--no-terminal`): the workbench's screen
/// stays as it was. Its process is `PlayerProcess`'s, reaped by pid.
struct ExternalPlayer {
    /// Why `o` cannot open a player here, for the message line; nil when it can.
    static func unavailable(environment: [String: String]) -> String? {
        let display = ["DISPLAY", "WAYLAND_DISPLAY"].contains { !(environment[$0] ?? "").isEmpty }
        guard display else {
            return "o opens the clip in mpv on a graphical display; this session has none (no DISPLAY or WAYLAND_DISPLAY)"
        }
        guard executable(environment: environment) != nil else {
            return "o opens the clip in mpv, which is not installed here (Debian: apt-get install mpv)"
        }
        return nil
    }

    /// mpv on the PATH, or nil.
    static func executable(environment: [String: String]) -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/mpv" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// What mpv showed: every position it reported, in order (seconds on the container's
    /// clock). The last one is where the rater left it.
    struct Watch: Equatable {
        var positions: [Double]
        /// The speeds mpv played at: the speed in effect whenever the position moved
        /// forward while mpv was not paused (a seek while paused plays nothing), for the
        /// submission's display record as the terminal's own playback records them.
        var speeds: Set<Double> = []
        /// mpv's `speed` and `pause` as last reported.
        var speed = 1.0
        var paused: Bool

        init(positions: [Double] = [], paused: Bool) {
            self.positions = positions
            self.paused = paused
        }

        /// A `speed` or `pause` property change.
        mutating func note(_ name: String, _ value: Any?) {
            if name == "speed", let v = (value as? NSNumber)?.doubleValue, v > 0 { speed = v }
            if name == "pause", let v = value as? Bool { paused = v }
        }

        /// A position mpv showed.
        mutating func add(_ position: Double) {
            if !paused, let last = positions.last, position > last { speeds.insert(speed) }
            positions.append(position)
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let mpv: String
    let environment: [String: String]

    /// Plays `clip` from `seconds` (container clock) until mpv quits, or `stop` says so
    /// (a signal for the workbench: then mpv is asked to quit, and killed if it does not).
    func watch(clip: String, title: String, from seconds: Double, playing: Bool, stop: () -> Bool) throws -> Watch {
        // The socket drives mpv: it lives in a directory of its own, mode 0700, so no other
        // login on a shared machine can connect to it. Under TMPDIR when its path fits a
        // Unix socket's 108 bytes, else under /tmp.
        let base = environment["TMPDIR"].flatMap { $0.isEmpty || $0.utf8.count > 60 ? nil : $0 } ?? "/tmp"
        var template = Array(((base as NSString).appendingPathComponent("concord-mpv-XXXXXX")).utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure(description: "cannot open mpv: no private directory for its socket in \(base): \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: made)
        let socketPath = directory + "/mpv.sock"
        defer {
            unlink(socketPath)
            rmdir(directory)
        }
        let start = String(format: "%.6f", seconds)
        let arguments = ["--no-terminal", "--input-ipc-server=" + socketPath, "--rebase-start-time=no",
                         "--start=" + start, "--hr-seek=yes", "--keep-open=yes", "--force-window=yes",
                         "--title=" + title] + (playing ? [] : ["--pause"]) + ["--", clip]
        var process = try PlayerProcess(mpv, arguments, environment: environment)
        defer { process.end() }
        let socket = try connect(socketPath, while: &process)
        defer { close(socket) }
        var ipc = IPCLines(socket: socket)
        try ipc.send(#"{"command":["observe_property",1,"time-pos"]}"#)
        try ipc.send(#"{"command":["observe_property",2,"speed"]}"#)
        try ipc.send(#"{"command":["observe_property",3,"pause"]}"#)
        var watch = Watch(paused: !playing)
        var quitSent = false
        var sought = false
        while true {
            if !quitSent && stop() {
                try? ipc.send(#"{"command":["quit"]}"#)
                quitSent = true
            }
            // mpv closed the socket, or ended: it quit.
            guard let lines = ipc.read(timeoutMs: 250), process.isRunning() || !lines.isEmpty else { break }
            for line in lines {
                if let change = Self.change(in: line), change.name != "time-pos" {
                    watch.note(change.name, change.value)
                    continue
                }
                guard let position = Self.position(in: line) else { continue }
                // The first position means the file is loaded: only now can a seek be
                // exact. What mpv showed before it (`--start`'s guess) is not counted.
                if !sought {
                    try? ipc.send(#"{"command":["seek",\#(start),"absolute+exact"]}"#)
                    sought = true
                    continue
                }
                watch.add(position)
            }
        }
        // mpv has closed its socket: it is ending. One that does not within 5 s is ended
        // (the deferred `end`), and what it showed is kept.
        _ = process.wait(seconds: 5)
        return watch
    }

    /// A property-change event line's property name and value; nil for any other line.
    static func change(in line: String) -> (name: String, value: Any?)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              object["event"] as? String == "property-change", let name = object["name"] as? String
        else { return nil }
        return (name, object["data"])
    }

    /// The `time-pos` of a property-change event line; nil for any other line (replies,
    /// other events, a time-pos without data while no file is loaded).
    static func position(in line: String) -> Double? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              object["event"] as? String == "property-change", object["name"] as? String == "time-pos"
        else { return nil }
        return (object["data"] as? NSNumber)?.doubleValue
    }

    /// Connects to mpv's socket once mpv has made it (within 10 s), or says why not.
    private func connect(_ path: String, while process: inout PlayerProcess) throws -> Int32 {
        let deadline = Date().addingTimeInterval(10)
        while true {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure(description: "cannot open mpv: socket: \(String(cString: strerror(errno)))") }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                let bytes = Array(path.utf8)
                raw.copyBytes(from: bytes)
                raw[bytes.count] = 0
            }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            if connected == 0 { return fd }
            close(fd)
            if !process.isRunning() {
                let status = process.status ?? 0
                let ended = status & 0x7F == 0 ? "status \((status >> 8) & 0xFF)" : "signal \(status & 0x7F)"
                throw Failure(description: "mpv ended (\(ended)) before it opened the clip; try `mpv` on the clip yourself")
            }
            if Date() >= deadline { throw Failure(description: "mpv did not open its control socket within 10 s") }
            usleep(20_000)
        }
    }
}

/// Newline-separated JSON messages over mpv's socket.
struct IPCLines {
    let socket: Int32
    private var pending: [UInt8] = []

    init(socket: Int32) { self.socket = socket }

    func send(_ message: String) throws {
        var bytes = Array((message + "\n").utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.send(socket, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw ExternalPlayer.Failure(description: "mpv's control socket closed") }
            sent += n
        }
    }

    /// The complete lines that arrived within `timeoutMs` (possibly none); nil once mpv has
    /// closed the socket.
    mutating func read(timeoutMs: Int32) -> [String]? {
        var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, timeoutMs)
        if ready <= 0 { return ready < 0 && errno != EINTR ? nil : [] }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress!, $0.count, 0) }
        if n < 0 { return errno == EINTR || errno == EAGAIN ? [] : nil }
        if n == 0 { return nil }
        pending += buffer[0..<n]
        var lines: [String] = []
        while let newline = pending.firstIndex(of: 10) {
            lines.append(String(decoding: pending[..<newline], as: UTF8.self))
            pending.removeSubrange(...newline)
        }
        return lines
    }
}
