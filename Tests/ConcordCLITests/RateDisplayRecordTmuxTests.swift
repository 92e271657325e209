import Foundation
import Testing

/// What the rater saw, recorded through `concord rate` and read back with `label export`:
/// tmux gets half-blocks, so the mode is blocks, the picture size the preview pane's cells
/// in half-block pixels, the colours the half-block colour mode the environment asks for,
/// and the speeds those at which frames advanced while playing.
@Suite(.serialized, .tmuxLeftoverCheck) struct RateDisplayRecordTmuxTests {
    /// `label export`'s display columns per clip and criterion.
    static func displays(_ project: Project) throws -> [String] {
        exportedRows(try project.ok(["label", "export"])).map {
            "\($0["clip"]!) \($0["criterion"]!): \($0["display"]!) \($0["display_size"]!) \($0["colors"]!) [\($0["speeds"]!)]"
        }
    }

    @Test func blocksWithThePaneSizeColoursAndTheSpeedsPlayed() throws {
        let project = try RateTmuxTests.project()
        // 24-bit half-blocks (COLORTERM). At 120×40 a 160×120 clip's pane: the rubric keeps
        // 120 × 2/5 = 48 columns and the border 1, so the picture is 71 columns wide (the
        // full height, 36 rows at 4:3 in half-blocks' 1×2-pixel cells, would need 96), and
        // 71 / (4/3 × 2) = 26.6 → 27 rows: 71×54 pixels. b.mp4 (176×144, 11:9): 71 columns and
        // 71 / (11/9 × 2) = 29.05 → 30 rows: 71×60.
        let tui = try TmuxSession("env -u NO_COLOR COLORTERM=truecolor '\(CLI.binary.path)' rate --project '\(project.db)'",
                                  columns: 120, rows: 40)
        try tui.wait(for: "frame 0/24")
        try tui.send("]")                                  // 2×
        try tui.wait(for: "paused · 2×")
        try tui.send("Space")                              // plays the 25 frames to the end at 2×
        try tui.wait(for: "frame 24/24 · seen 100%") { $0.contains("frame 24/24") && $0.contains("paused · 2×") }
        try tui.send("[", "[")                             // 0.5×
        try tui.wait(for: "paused · 0.5×")
        try tui.send("Space")                              // from frame 0 again, at 0.5×
        try tui.wait(for: "playing at 0.5×") { $0.contains("playing · 0.5×") }
        try tui.wait(for: "the end again") { $0.contains("frame 24/24") && $0.contains("paused · 0.5×") }
        try tui.send("2", "Enter")
        try tui.wait(for: "item 2 of 3")
        // Item 2: judged without playing, stepping only (a step is not playback).
        try tui.send("Right", "Right")
        try tui.wait(for: "frame 2/24")
        try tui.send("2", "Enter")
        try tui.wait(for: "item 3 of 3")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)

        // The same clip without colour (NO_COLOR): half-blocks on or off, colours none.
        let plain = try TmuxSession("env NO_COLOR=1 '\(CLI.binary.path)' rate --project '\(project.db)'", columns: 120, rows: 40)
        try plain.wait(for: "item 3 of 3")
        try plain.send("2", "Enter")
        try plain.wait(for: "All 3 items in your queue are done")
        try plain.send("q")
        #expect(try plain.exitStatus() == 0)

        #expect(try Self.displays(project) == [
            "a.mp4 present: blocks 71x54 24-bit [0.5,2]",
            "b.mp4 present: blocks 71x60 24-bit []",
            "c.mp4 present: blocks 71x54 none []",
        ])
        // JSON Lines: the same values as strings.
        let first = try #require(try project.ok(["label", "export", "--format", "jsonl"]).split(separator: "\n").first)
        #expect(first.contains(#""display": "blocks", "display_size": "71x54", "colors": "24-bit", "speeds": "0.5,2", "#), "\(first)")
        #expect(try project.ok(["audit", "verify"]).contains("intact"))
    }
}
