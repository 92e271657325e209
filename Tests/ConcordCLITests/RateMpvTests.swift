import Foundation
import Testing

/// `o` in `concord rate`: the clip in a real mpv on a real (virtual) X display, driven the
/// way a rater would, through mpv's own control socket: the workbench waits, then takes the
/// frame mpv showed last, counts what mpv played as seen, and lets a criterion that needs
/// `display: [player]` be answered. A clip whose container clock starts at 1.5 s checks that
/// frames and mpv's times are matched on the container's clock.
@Suite(.serialized, .tmuxLeftoverCheck,
       .enabled(if: XtermDisplay.available && Tool.which("mpv") != nil && Tool.which("python3") != nil,
                "needs Xvfb, mpv and python3 (Debian packages xvfb, mpv, python3)"))
struct RateMpvTests {
    static let rubric = """
    name: player-only
    criteria:
      - id: banding
        question: Any visible banding?
        scale: nominal
        options: ["yes", "no"]
        display: [player]
    """

    /// Sends mpv, through its socket, an exact seek to `seconds` (container clock) until it
    /// shows that time, then quits it: what a rater does with the keyboard in mpv's window.
    /// The seek goes only once mpv has a file (time-pos set) and is sent again every half
    /// second until it holds: on a loaded machine mpv may still be loading, or concord's own
    /// first seek (to the frame it opened at) may land after this one.
    static let drive = """
    import json, select, socket, sys, time
    target = float(sys.argv[2])
    # Sends block (up to 20 s): a loaded mpv may be slow to read its socket, and a short
    # send timeout failed CI. Reads wait in select, so the loop never blocks on a reply.
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(20)
    def ask(command):
        s.sendall((json.dumps({"command": command}) + "\\n").encode())
    shown, sought, pending, asked = None, 0.0, b"", 0.0
    deadline = time.time() + 90
    while time.time() < deadline:
        # One question in flight at a time (asked again after 2 s without a reply).
        if asked == 0.0 or time.time() - asked > 2:
            ask(["get_property", "time-pos"]); asked = time.time()
        if select.select([s], [], [], 0.1)[0]:
            data = s.recv(65536)
            if not data: break
            pending += data
        *lines, pending = pending.split(b"\\n")
        for line in lines:
            m = json.loads(line)
            if "request_id" in m:
                asked = 0.0
                if isinstance(m.get("data"), (int, float)): shown = float(m["data"])
        if shown is None: continue
        if abs(shown - target) < 0.002: break
        if time.time() - sought > 0.5:
            ask(["seek", target, "absolute+exact"]); sought = time.time()
    # mpv drops a command whose client has gone before the command ran: under load, a quit
    # sent just before closing was lost in 3 of 15 tries (mpv kept running, and the
    # workbench kept waiting for it). So the socket stays open until mpv closes it.
    ask(["quit"])
    s.settimeout(30)
    try:
        while s.recv(65536): pass
    except OSError: pass
    print(shown)
    """

    @Test func oWatchesInMpvAndComesBackAtItsFrame() throws {
        let display = try XtermDisplay()
        let project = try Project.create("mpv")
        try writeFile(project.dir + "/r.yaml", Self.rubric)
        try project.ok(["rubric", "add", project.dir + "/r.yaml"])
        // A Matroska clip whose clock starts at 1.5 s (MPEG-TS would too, but mpv's exact
        // seeks in TS land on a nearby frame when its demuxer seeks by bytes: mpv's business).
        let ts = project.dir + "/a.mkv"
        try Tool.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "2", "-c:v", "libx264",
                         "-pix_fmt", "yuv420p", "-output_ts_offset", "1.5", ts])
        try project.ok(["clip", "add", ts, "--batch", "b1", "--rubric", "player-only"])
        try project.ok(["assign", "--batch", "b1", "--raters", testLogin])
        // The first frame's time on the container's clock, as ffprobe reads it.
        let probe = try Tool.run(Tool.which("ffprobe")!, ["-v", "error", "-select_streams", "v", "-show_entries", "stream=start_time",
                                                          "-of", "csv=p=0", ts])
        let field = probe.stdout.split(whereSeparator: { $0.isNewline || $0 == "," }).first.map(String.init) ?? ""
        let start = try #require(Double(field), "ffprobe said \(probe.stdout)")
        #expect(start == 1.5)
        // concord makes mpv's socket under TMPDIR when that path is short: a short one here.
        var template = Array("/tmp/cmpv.XXXXXX".utf8CString)
        let sockets = String(cString: try #require(mkdtemp(&template)))
        defer { try? FileManager.default.removeItem(atPath: sockets) }
        let tui = try TmuxSession("DISPLAY=\(display.display) TMPDIR='\(sockets)' HOME='\(sockets)' '\(CLI.binary.path)' rate --project '\(project.db)'")
        try tui.wait(for: "Any visible banding?")
        // On the terminal's half-blocks the criterion is refused, and o is offered.
        try tui.send("1")
        try tui.wait(for: "banding needs player, not blocks: press o to watch it in mpv")
        try tui.send("o")
        try tui.wait(for: "watching a.mkv in mpv from frame 0: quit mpv (q) to come back here")
        var socket: String?
        for _ in 0..<200 where socket == nil {
            socket = (try? FileManager.default.contentsOfDirectory(atPath: sockets))?.first { $0.hasPrefix("concord-mpv-") }
                .map { sockets + "/" + $0 + "/mpv.sock" }.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
            if socket == nil { usleep(50_000) }
        }
        let path = try #require(socket, "concord made no mpv socket in \(sockets)")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: (path as NSString).deletingLastPathComponent)[.posixPermissions] as? Int)
        #expect(mode == 0o700)
        try writeFile(sockets + "/drive.py", Self.drive)
        let target = start + 12.0 / 25
        let driven = try Tool.run(Tool.which("python3")!, [sockets + "/drive.py", path, String(target)])
        #expect(driven.status == 0, "\(driven.stderr)")
        #expect(abs((Double(driven.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) - target) < 0.002, "mpv showed \(driven.stdout)")
        let back: String
        do {
            back = try tui.wait(for: "back from mpv at frame 12 (this item is now judged on the player)")
        } catch {
            // What was still running, and where it waited: the workbench, mpv, or neither.
            let tree = TmuxLeftovers.tree(socket: tui.socket).map { process -> String in
                let state = (try? String(contentsOfFile: "/proc/\(process.pid)/stat", encoding: .utf8))?.split(separator: " ").dropFirst(2).first ?? "?"
                let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.pid)/task")) ?? []
                let waits = tasks.map { (try? String(contentsOfFile: "/proc/\(process.pid)/task/\($0)/wchan", encoding: .utf8)) ?? "?" }
                return "\(process) state \(state) threads waiting in \(waits.joined(separator: ","))"
            }
            Issue.record("drive.py said \(driven.stdout) \(driven.stderr); processes:\n\(tree.joined(separator: "\n"))")
            throw error
        }
        #expect(back.contains("frame 12/49"), "\(back)")
        // The socket's private directory (0700) is removed with it.
        #expect(!FileManager.default.fileExists(atPath: (path as NSString).deletingLastPathComponent))
        // Now the criterion is answered and the item goes.
        try tui.send("1")
        try tui.wait(for: "Enter: submit this item")
        try tui.send("Enter")
        try tui.wait(for: "in your queue are done")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        let row = try #require(exportedRows(try project.ok(["label", "export"])).first)
        #expect(row["value"] == "yes" && row["frame"] == "12")
        #expect(row["watched"] == "0.04")   // frames 0 and 12 of 50: mpv was sought, not played
        // Judged on the player: the clip's own size as shown, in 24-bit; never played in concord.
        #expect(row["display"] == "player" && row["display_size"] == "160x120" && row["colors"] == "24-bit" && row["speeds"] == "")
    }

    @Test func withoutAGraphicalDisplayOSaysWhy() throws {
        let project = try RateTmuxTests.project()
        let tui = try TmuxSession("env -u DISPLAY -u WAYLAND_DISPLAY '\(CLI.binary.path)' rate --project '\(project.db)'")
        try tui.wait(for: "item 1 of 3")
        try tui.send("o")
        try tui.wait(for: "o opens the clip in mpv on a graphical display; this session has none (no DISPLAY or WAYLAND_DISPLAY)")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
    }
}
