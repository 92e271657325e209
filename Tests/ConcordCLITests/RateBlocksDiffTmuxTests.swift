import Foundation
import Testing

/// Half-blocks while playing are written as the cells that changed since the frame on
/// screen (`CellPicture.bytes(over:)`): in a real terminal (tmux) the picture a played clip
/// ends on is, cell for cell and colour for colour, the one a full redraw of that frame
/// draws; and the frames after the first cost less than a whole picture.
@Suite(.serialized, .tmuxLeftoverCheck) struct RateBlocksDiffTmuxTests {
    @Test func aPlayedClipEndsOnTheScreenAFullRedrawDraws() throws {
        let project = try RateTmuxTests.project()
        let trace = project.dir + "/trace.tsv"
        let tui = try RateTmuxTests.rate(project, extra: "--trace '\(trace)'")
        try tui.wait(for: "frame 0/24")
        try tui.send("Space")
        try tui.wait(for: "frame 24/24")
        Thread.sleep(forTimeInterval: 0.5)
        let played = try tui.screenWithColours()
        // A resize and back: the layout is the same, the screen is cleared and every cell
        // of the picture written again.
        try tui.resize(columns: 100, rows: 40)
        try tui.wait(for: "frame 24/24")
        try tui.resize(columns: 120, rows: 40)
        try tui.wait(for: "frame 24/24")
        Thread.sleep(forTimeInterval: 0.5)
        let redrawn = try tui.screenWithColours()
        // The title and status lines hold the time on the item, which moved on.
        let picture = { (screen: String) in
            screen.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains(" on item") && !$0.contains(" on this item") }
        }
        #expect(played.contains("▀"))
        #expect(picture(played) == picture(redrawn))
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)

        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").map { $0.split(separator: "\t") }
        let frames = lines.filter { $0.first == "frame" }.map { (frame: Int($0[1])!, bytes: Int($0[5])!) }
        #expect(frames.first?.frame == 0)
        #expect(frames.contains { $0.frame == 24 })
        // testsrc: colour bars that stay and a few moving parts. Frame 0 was written whole;
        // the frames played after it, only their changed cells.
        let whole = try #require(frames.first).bytes
        let played1to24 = frames.dropFirst().prefix { $0.frame < 24 } + frames.dropFirst().drop { $0.frame < 24 }.prefix(1)
        #expect(!played1to24.isEmpty)
        #expect(played1to24.allSatisfy { $0.bytes < whole / 2 }, "\(frames)")
    }
}

extension TmuxSession {
    /// The screen with its colours and attributes as escape sequences (`capture-pane -e`).
    func screenWithColours() throws -> String {
        let out = dir + "/capture-\(UUID().uuidString.prefix(8)).out"
        let pid = try CleanSpawn.start(Tool.which("tmux") ?? "/usr/bin/tmux", ["-L", socket, "capture-pane", "-e", "-p", "-t", "t"], output: out)
        guard CleanSpawn.wait(pid) == 0 else { throw TmuxFailed(message: "tmux capture-pane -e failed") }
        defer { try? FileManager.default.removeItem(atPath: out) }
        return try String(contentsOfFile: out, encoding: .utf8)
    }
}
