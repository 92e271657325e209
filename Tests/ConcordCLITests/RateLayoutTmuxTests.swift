import Foundation
import Testing

/// The rating screen uses its height: the timeline right under the picture (it once sat at
/// the bottom with 16 empty rows above it), the clip's name and seen share in the rows
/// left, and a rubric that scrolls only when it does not fit (it showed "↑ 1 more" with
/// room to spare). Half-blocks inside tmux: a picture tmux can capture.
@Suite(.serialized, .tmuxLeftoverCheck) struct RateLayoutTmuxTests {
    static func lines(_ screen: String) -> [String] { screen.components(separatedBy: "\n") }

    @Test(arguments: [(120, 40), (80, 24)])
    func theTimelineSitsUnderThePictureAndTheClipIsNamed(size: (Int, Int)) throws {
        let project = try RateTmuxTests.project()
        let tui = try RateTmuxTests.rate(project, columns: size.0, rows: size.1)
        let screen = try tui.wait(for: "the first frame") { $0.contains("frame 0/24") && $0.contains("▀") }
        let lines = Self.lines(screen)
        let lastPicture = try #require(lines.lastIndex { $0.contains("▀") || $0.contains("▄") })
        let timeline = try #require(lines.firstIndex { $0.contains("frame 0/24") })
        #expect(timeline > lastPicture && timeline - lastPicture <= 2, "\(screen)")
        // The seen share is on the timeline even at 80 columns, and the rows under it name the clip.
        #expect(lines[timeline].hasPrefix("frame 0/24 · seen 4% · 0.00 s / 1.00 s"), "\(lines[timeline])")
        #expect(lines[timeline + 2].hasPrefix("a.mp4 "), "\(screen)")
        #expect(lines[timeline + 3].hasPrefix("item 1 of 3 · batch b1 "))
        #expect(lines[timeline + 4].hasPrefix("seen 4% of the clip · 0:0"))
        #expect(lines[0].hasPrefix(" concord rate · item 1 of 3 · a.mp4 · batch b1"))
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
    }

    @Test func theRubricScrollsOnlyWhenItMustShowTheFocus() throws {
        let project = try RateTmuxTests.project()
        let tui = try RateTmuxTests.rate(project)
        try tui.wait(for: "frame 0/24")
        try tui.send("1", "4", "4")                   // present yes, severity, ego's response
        try tui.type("1.5")
        try tui.send("Enter")                         // ttc: the focus moves to the notes
        let screen = try tui.wait(for: "the notes focused") { $0.contains("(e to write a note)") && $0.contains("= 1.5") }
        #expect(screen.contains("Does another road user cut in ahead of ego?"))
        #expect(!screen.contains("more"), "\(screen)")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
    }
}
