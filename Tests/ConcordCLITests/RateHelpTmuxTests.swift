import Foundation
import Testing

/// The help overlay of `concord rate` against the picture (half-blocks inside tmux: a
/// picture tmux can capture), and the warning of a terminal below the minimum size.
@Suite(.serialized, .tmuxLeftoverCheck) struct RateHelpTmuxTests {
    static func hasPicture(_ screen: String) -> Bool { screen.contains("▀") || screen.contains("▄") }

    @Test func helpIsDrawnOnAClearedScreenAndThePictureComesBackWhole() throws {
        let project = try RateTmuxTests.project()
        let tui = try RateTmuxTests.rate(project)
        let rating = try tui.wait(for: "the first frame") { $0.contains("frame 0/24") && Self.hasPicture($0) }
        let pictureRows = rating.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.contains("▀") }.count
        try tui.send("?")
        let help = try tui.wait(for: "play / pause")
        // Nothing of the picture shows through the help.
        #expect(!Self.hasPicture(help), "\(help)")
        // The focused criterion's option descriptions, whole: no column blanked at the
        // rubric pane's gutter (column 71 at 120 columns cut "impossible" into "im ossible").
        #expect(help.contains("3 unclear: Occlusion, glare, camera angle or clip length make it impossible to tell. Explain in notes."))
        try tui.send("x")
        let back = try tui.wait(for: "the picture again") { $0.contains("1–9 answer") && Self.hasPicture($0) }
        #expect(back.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.contains("▀") }.count == pictureRows,
                "the picture came back cut:\n\(back)")
        #expect(!back.contains("play / pause"))
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
    }

    @Test func theTooSmallWarningIsWrappedWhole() throws {
        let project = try RateTmuxTests.project()
        let tui = try TmuxSession("'\(CLI.binary.path)' rate --project '\(project.db)'", columns: 40, rows: 12, label: "small")
        let screen = try tui.wait(for: "the whole warning") { $0.contains("q to quit.") }
        let lines = screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(lines == ["concord rate needs a terminal of at", "least 80×24; this one is 40×12. Enlarge", "it, or q to quit."])
        try tui.resize(columns: 120, rows: 40)
        try tui.wait(for: "item 1 of 3")
        try tui.resize(columns: 40, rows: 12)
        try tui.wait(for: "the warning again") { $0.contains("q to quit.") }
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
    }
}
