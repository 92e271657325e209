import Foundation
import Testing

/// Sixel pictures in a real xterm (`-ti vt340`: sixel, XTSMGRAPHICS, DA1 with 4) on a
/// virtual X display. xterm drops a sixel image larger than the largest it reports
/// (1000×650 px in a 200×50 window here), and concord once sent one: forcing a mode
/// skipped the probe, so 10×20 px cells were assumed and the picture came out 1190 px
/// wide — an empty pane, exit 0. concord runs under script(1) inside xterm, so every byte
/// it writes is recorded while xterm answers its questions.
@Suite(.serialized, .enabled(if: XtermDisplay.available, "needs Xvfb and xterm (Debian packages xvfb and xterm)"))
struct XtermSixelTests {
    /// "terminal: … · cell 6×13 px · sixel at most 1000×650 px · …" → (6, 13, 1000, 650).
    static func terminalLine(_ info: String) throws -> (cellWidth: Int, cellHeight: Int, maxWidth: Int, maxHeight: Int) {
        let line = try #require(info.split(separator: "\n").first { $0.hasPrefix("terminal: ") }, "no terminal line in \(info)")
        let cell = try #require(line.firstMatch(of: /cell (\d+)×(\d+) px/), "\(line)")
        let max = try #require(line.firstMatch(of: /sixel at most (\d+)×(\d+) px/), "\(line)")
        return (Int(cell.1)!, Int(cell.2)!, Int(max.1)!, Int(max.2)!)
    }

    /// The first sixel image in a recorded stream, decoded: its width and height.
    static func firstSixel(_ stream: Data, in dir: String) throws -> (width: Int, height: Int) {
        let begin = try #require(stream.range(of: Data("\u{1B}P".utf8)), "no sixel image in the stream")
        let end = try #require(stream.range(of: Data("\u{1B}\\".utf8), in: begin.upperBound..<stream.endIndex))
        try writeFile(dir + "/frame.six", Data(stream[begin.lowerBound..<end.upperBound]))
        try Tool.run("/usr/bin/sixel2png", ["-i", dir + "/frame.six", "-o", dir + "/frame.png"])
        let probe = try Tool.run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", dir + "/frame.png"])
        let size = probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
        try #require(size.count == 2, "\(probe.stdout) \(probe.stderr)")
        return (size[0], size[1])
    }

    @Test(arguments: [[], ["--mode", "sixel"]])
    func previewInA200ColumnXtermStaysWithinItsLargestPicture(mode: [String]) throws {
        let dir = try scratchDirectory("xterm-preview")
        let clip = dir + "/wide.mp4"
        try Tool.ffmpeg(["-f", "lavfi", "-i", "testsrc=s=320x180:r=25:d=1", "-pix_fmt", "yuv420p", clip])
        let display = try XtermDisplay()
        let command = (["'\(CLI.binary.path)'", "preview", "'\(clip)'", "--info"] + mode).joined(separator: " ")
        let status = try display.run("\(command) 2>'\(dir)/info.txt'", record: dir + "/out.bin", columns: 200, rows: 50)
        #expect(status == 0)
        let info = try String(contentsOfFile: dir + "/info.txt", encoding: .utf8)
        let terminal = try Self.terminalLine(info)
        #expect(info.hasPrefix("terminal: " + (mode.isEmpty ? "DA1 lists 4: sixel" : "forced sixel") + " · cell "), "\(info)")
        // 200 columns of real cells are wider than xterm's largest picture: cut to it, 16:9 kept.
        #expect(200 * terminal.cellWidth > terminal.maxWidth)
        let picture = try Self.firstSixel(try Data(contentsOf: URL(fileURLWithPath: dir + "/out.bin")), in: dir)
        #expect(picture.width == terminal.maxWidth, "\(picture) in \(terminal)")
        #expect(picture.height <= terminal.maxHeight)
        #expect(abs(Double(picture.width) / Double(picture.height) - 16.0 / 9.0) < 0.01)
        #expect(info.contains("· \(picture.width)×\(picture.height) px sixel ·"), "\(info)")
    }

    @Test func rateWithForcedSixelUsesTheRealCellSize() throws {
        let dir = try scratchDirectory("xterm-rate")
        let project = try RateTmuxTests.project()
        let display = try XtermDisplay()
        // What this xterm says about itself, from preview --info in the same window.
        try Tool.ffmpeg(["-f", "lavfi", "-i", "testsrc=s=160x120:r=25:d=1", "-pix_fmt", "yuv420p", dir + "/c.mp4"])
        _ = try display.run("'\(CLI.binary.path)' preview '\(dir)/c.mp4' --mode sixel --info 2>'\(dir)/info.txt'",
                            record: dir + "/probe.bin", columns: 200, rows: 50)
        let terminal = try Self.terminalLine(try String(contentsOfFile: dir + "/info.txt", encoding: .utf8))

        // rate --preview sixel until its first picture is recorded, then SIGTERM.
        let rate = "echo $$ > '\(dir)/pid'; exec '\(CLI.binary.path)' rate --project '\(project.db)' --preview sixel"
        let stream = try display.run(rate, record: dir + "/rate.bin", columns: 200, rows: 50) { recorded in
            guard let begin = recorded.range(of: Data("\u{1B}P".utf8)),
                  recorded.range(of: Data("\u{1B}\\".utf8), in: begin.upperBound..<recorded.endIndex) != nil,
                  let text = try? String(contentsOfFile: dir + "/pid", encoding: .utf8),
                  let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return false }
            kill(pid, SIGTERM)
            return true
        }
        #expect(stream == 128 + SIGTERM)
        let picture = try Self.firstSixel(try Data(contentsOf: URL(fileURLWithPath: dir + "/rate.bin")), in: dir)
        // The preview pane is 119 columns at 200×50 (RateLayout); 4:3 in it is width-bound.
        let paneWidth = 119 * terminal.cellWidth
        #expect(picture.width <= paneWidth && picture.width > paneWidth - terminal.cellWidth, "\(picture), cells \(terminal)")
        #expect(picture.width <= terminal.maxWidth && picture.height <= terminal.maxHeight)
        #expect(abs(Double(picture.width) / Double(picture.height) - 4.0 / 3.0) < 0.02)
    }

    /// A VT220 has no sixel (its DA1 lists no 4): forcing sixel is refused in one line
    /// with exit 2 by `preview`, and `rate` says so and shows half-blocks.
    @Test func forcedSixelOnATerminalWithoutItIsRefused() throws {
        let dir = try scratchDirectory("xterm-vt220")
        try Tool.ffmpeg(["-f", "lavfi", "-i", "testsrc=s=160x120:r=25:d=1", "-pix_fmt", "yuv420p", dir + "/c.mp4"])
        let display = try XtermDisplay()
        let status = try display.run("'\(CLI.binary.path)' preview '\(dir)/c.mp4' --mode sixel 2>'\(dir)/err.txt'",
                                     record: dir + "/out.bin", columns: 100, rows: 30, emulation: "vt220")
        #expect(status == 2)
        #expect(try String(contentsOfFile: dir + "/err.txt", encoding: .utf8)
                == "concord: --mode sixel: this terminal does not draw sixel (its reply to DA1 lists no 4); use --mode blocks or ascii\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/out.bin")).range(of: Data("\u{1B}P".utf8)) == nil)

        let project = try RateTmuxTests.project()
        let rate = "echo $$ > '\(dir)/pid'; exec '\(CLI.binary.path)' rate --project '\(project.db)' --preview sixel"
        let notice = "--preview sixel: this terminal does not draw sixel (its reply to DA1 lists no 4); showing half-blocks"
        _ = try display.run(rate, record: dir + "/rate.bin", columns: 120, rows: 40, emulation: "vt220") { recorded in
            guard String(decoding: recorded, as: UTF8.self).contains("▀"),
                  let text = try? String(contentsOfFile: dir + "/pid", encoding: .utf8),
                  let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return false }
            kill(pid, SIGTERM)
            return true
        }
        let recorded = String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/rate.bin")), as: UTF8.self)
        #expect(recorded.contains(notice))
        #expect(!recorded.contains("\u{1B}P"))
    }
}

/// A virtual X display (Xvfb) for the test's xterms, ended when the value goes. Both are
/// started by `CleanSpawn`: with the test thread's signal mask, Xvfb ignored SIGTERM and
/// the test hung waiting for it.
final class XtermDisplay {
    static let available = Tool.which("Xvfb") != nil && Tool.which("xterm") != nil && Tool.which("sixel2png") != nil

    let display: String
    private let server: pid_t

    /// Another suite may pick the same free-looking number between our look and Xvfb's start;
    /// then our Xvfb exits ("server already active") while the other's socket appears. So a
    /// display is ours only when its lock file names our Xvfb; otherwise try another number.
    init() throws {
        for _ in 0..<8 {
            let used = Set((try? FileManager.default.contentsOfDirectory(atPath: "/tmp/.X11-unix")) ?? [])
            guard let number = (90..<190).shuffled().first(where: { !used.contains("X\($0)") && !FileManager.default.fileExists(atPath: "/tmp/.X\($0)-lock") })
            else { throw TmuxFailed(message: "no free X display number") }
            let display = ":\(number)"
            let server = try CleanSpawn.start(Tool.which("Xvfb")!, [display, "-screen", "0", "1920x1200x24", "-nolisten", "tcp"])
            if try Self.started(server, number: number) {
                self.display = display
                self.server = server
                return
            }
        }
        throw TmuxFailed(message: "Xvfb found no display number of its own in 8 tries")
    }

    /// Waits for display `number`'s socket; true when it is `server`'s (its lock file holds
    /// the pid), false when another X server holds the number (ours is ended and reaped).
    private static func started(_ server: pid_t, number: Int) throws -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while true {
            if FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(number)") {
                let lock = (try? String(contentsOfFile: "/tmp/.X\(number)-lock", encoding: .ascii)) ?? ""
                if Int32(lock.trimmingCharacters(in: .whitespacesAndNewlines)) == server && CleanSpawn.wait(server, timeout: 0) == nil {
                    return true
                }
            }
            let ended = CleanSpawn.wait(server, timeout: 0) != nil
            if ended || Date() >= deadline {
                if !ended {
                    kill(server, SIGKILL)
                    _ = CleanSpawn.wait(server, timeout: 5)
                }
                if ended { return false }
                throw TmuxFailed(message: "Xvfb :\(number) did not start")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    deinit {
        kill(server, SIGTERM)
        if CleanSpawn.wait(server, timeout: 5) == nil {
            kill(server, SIGKILL)
            _ = CleanSpawn.wait(server, timeout: 5)
        }
    }

    /// Runs `command` (a shell line) in a `columns`×`rows` xterm under script(1), which
    /// records everything it writes to `record`; returns its exit status. `until`, polled
    /// with the recording so far, may end the command (by signal) and return true.
    @discardableResult
    func run(_ command: String, record: String, columns: Int, rows: Int, emulation: String = "vt340",
             timeout: Double = 30, until: ((Data) -> Bool)? = nil) throws -> Int32 {
        let dir = (record as NSString).deletingLastPathComponent
        let status = record + ".status"
        let inner = dir + "/xterm-\(UUID().uuidString.prefix(8)).sh"
        try writeFile(inner, command + "\n")
        let outer = inner + ".outer"
        try writeFile(outer, "script -q -e -f -c \"sh '\(inner)'\" '\(record)'\necho $? > '\(status)'\n")
        var environment = ProcessInfo.processInfo.environment
        environment["DISPLAY"] = display
        environment["TMUX"] = nil
        environment["TERM"] = nil
        let xterm = try CleanSpawn.start(Tool.which("xterm")!, ["-ti", emulation, "-geometry", "\(columns)x\(rows)", "-e", "sh", outer],
                                         environment: environment)
        let deadline = Date().addingTimeInterval(timeout)
        var stopped = until == nil
        var ended: Int32?
        while ended == nil && Date() < deadline {
            if !stopped, let until, let data = try? Data(contentsOf: URL(fileURLWithPath: record)), until(data) { stopped = true }
            ended = CleanSpawn.wait(xterm, timeout: 0.05)
        }
        if ended == nil {
            // script(1) and the command outlive a killed xterm: end the whole tree.
            let tree = TmuxLeftovers.tree(of: xterm)
            for process in tree { kill(process.pid, SIGKILL) }
            _ = CleanSpawn.wait(xterm, timeout: 5)
            throw TmuxFailed(message: "xterm running '\(command)' did not end within \(Int(timeout)) s")
        }
        let text = try String(contentsOfFile: status, encoding: .utf8)
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}
