import Foundation
import Testing

/// A rubric's `display:` in the real workbench: tmux draws no sixel or kitty graphics, so
/// `concord rate` there shows half-blocks, and a criterion judged on kitty or sixel only is
/// refused on screen with where to rate it, while the item can still be skipped.
@Suite(.serialized, .tmuxLeftoverCheck) struct RateDisplayTmuxTests {
    static let rubric = """
    name: banding
    criteria:
      - id: banding
        question: Any visible banding?
        scale: nominal
        options: ["yes", "no"]
        display: [kitty, sixel]
    """

    @Test func aCriterionForKittyOrSixelIsRefusedOnBlocks() throws {
        let project = try Project.create("display")
        try writeFile(project.dir + "/banding.yaml", Self.rubric)
        try project.ok(["rubric", "add", project.dir + "/banding.yaml"])
        try Clips.make(project.dir + "/a.mp4", source: "testsrc", size: "160x120")
        try project.ok(["clip", "add", project.dir + "/a.mp4", "--batch", "b1", "--rubric", "banding"])
        try project.ok(["assign", "--batch", "b1", "--raters", testLogin])
        let tui = try RateTmuxTests.rate(project)
        try tui.wait(for: "Any visible banding?")
        try tui.send("1")
        let refused = try tui.wait(for: "the refusal") { $0.contains("banding needs kitty or sixel, not blocks: open concord in kitty/WezTerm/Ghostty/Konsole or xterm -ti vt340/mlterm/foot") }
        #expect(refused.contains("item 1 of 1"))
        try tui.send("Enter")
        try tui.wait(for: "banding needs kitty or sixel, not blocks: s skips this item (say why), or rate it in another terminal")
        try tui.send("s")
        try tui.type("needs a sixel terminal")
        try tui.send("Enter")
        try tui.wait(for: "All 1 item in your queue are done")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        #expect(try project.sql("SELECT count(*) FROM label;") == "0\n")
        #expect(try project.sql("SELECT kind || '|' || note FROM item_mark;") == "skip|needs a sixel terminal\n")
    }
}
