import Foundation
import Testing

/// Going back to an item with `u` keeps what was watched of it: the timeline's "seen"
/// share, and the share the revision records (it was reset to one frame, 4 %).
@Suite(.serialized, .tmuxLeftoverCheck) struct RateSeenTmuxTests {
    @Test func uKeepsTheSeenShareOfTheItem() throws {
        let project = try RateTmuxTests.project()
        let tui = try RateTmuxTests.rate(project)
        try tui.wait(for: "frame 0/24")
        for _ in 0..<5 { try tui.send("Right") }
        try tui.wait(for: "seen 24%")                 // frames 0–5 of 25
        try tui.send("2", "Enter")
        try tui.wait(for: "item 2 of 3") { $0.contains("item 2 of 3") && $0.contains("seen 4%") }
        try tui.send("u")
        let back = try tui.wait(for: "revising a.mp4")
        #expect(back.contains("frame 0/24") && back.contains("seen 24%"), "\(back)")
        try tui.send("Enter")
        try tui.wait(for: "item 2 of 3")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        #expect(try project.sql("SELECT watched_share FROM submission ORDER BY id;") == "0.24\n0.24\n")
    }
}
