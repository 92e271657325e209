import Foundation
import Testing

/// `concord rate` on a pairwise batch in a real terminal (tmux: half-blocks tmux can
/// capture): both clips side by side labelled by side only, one clock for both, 1/2/3 stored
/// as a or b through the side the rater saw clip a on, one clip at a time with Tab when the
/// pictures would be too narrow, and the terminal restored (docs/pairwise.md, "Workbench").
@Suite(.serialized, .tmuxLeftoverCheck) struct RatePairTmuxTests {
    static var rubric: String { CLI.packageRoot.appendingPathComponent("rubrics/video-preference.yaml").path }

    /// Batch prefs (video-preference), pairs of 1 s clips at 25 fps made by ffmpeg, all
    /// assigned to the test's login: landscape a–b and a–c, or (`portrait`) p–q.
    static func project(portrait: Bool = false) throws -> Project {
        let label = portrait ? "rate-pairs-portrait" : "rate-pairs"
        let template = try TemplateCache.shared.project(label) {
            let project = try Project.create(label)
            try project.ok(["rubric", "add", rubric])
            let names = portrait ? ["p.mp4", "q.mp4"] : ["a.mp4", "b.mp4", "c.mp4"]
            for (name, source) in zip(names, ["testsrc", "testsrc2", "mandelbrot"]) {
                try Clips.make(project.dir + "/" + name, source: source, size: portrait ? "90x160" : "160x90")
            }
            try project.ok(["clip", "add"] + names.map { project.dir + "/" + $0 } + ["--batch", "prefs", "--rubric", "video-preference"])
            let pairs = portrait ? "clip_a,clip_b,group\np.mp4,q.mp4,tall\n" : "clip_a,clip_b,group\na.mp4,b.mp4,g1\na.mp4,c.mp4,g1\n"
            try pairs.write(toFile: project.dir + "/pairs.csv", atomically: true, encoding: .utf8)
            try project.ok(["pair", "add", "--batch", "prefs", "--file", project.dir + "/pairs.csv"])
            try project.ok(["assign", "--batch", "prefs", "--raters", testLogin])
            return project
        }
        return try template.copy()
    }

    /// Per pair item in queue order: true when clip a is on the left.
    static func leftIsA(_ project: Project) throws -> [Bool] {
        try project.sql("SELECT s.left_clip FROM assignment_side s JOIN assignment a ON a.id = s.assignment_id ORDER BY a.item_id;")
            .split(separator: "\n").map { $0 == "a" }
    }

    static func lines(_ screen: String) -> [String] { screen.components(separatedBy: "\n") }

    /// The line showing a clip's frame under its picture, by side.
    static func frames(_ screen: String) -> (left: String?, right: String?) {
        func frame(_ side: String) -> String? {
            guard let range = screen.range(of: "\(side) · frame ") else { return nil }
            return String(screen[range.upperBound...].prefix { $0 != " " })
        }
        return (frame("left"), frame("right"))
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func bothClipsSideBySideInSyncAndTheKeysStoreTheClipOnThatSide(size: (Int, Int)) throws {
        let project = try Self.project()
        let sides = try Self.leftIsA(project)
        #expect(sides.count == 2 && Set(sides).count == 2, "sides balanced per rater: \(sides)")
        let tui = try RateTmuxTests.rate(project, columns: size.0, rows: size.1)
        let first = try tui.wait(for: "both pictures") { $0.contains("left · frame 0/24") && $0.contains("right · frame 0/24") }
        // Both pictures: half-blocks in the left half and in the right half of one row.
        let half = (size.0 - 2) / 2
        #expect(Self.lines(first).contains { line in
            let cells = Array(line)
            return cells.count > half + 1 && cells[..<half].contains("▀") && cells[(half + 1)...].contains("▀")
        }, "\(first)")
        #expect(!first.contains("a.mp4") && !first.contains("b.mp4"), "no clip names: \(first)")
        #expect(first.contains("group g1") && first.contains("Which video follows the prompt"))
        // Steps, seeks and play move both playheads.
        try tui.send("Right", "Right", "Right")
        var screen = try tui.wait(for: "frame 3 on both") { Self.frames($0) == ("3/24", "3/24") }
        try tui.send("l")
        screen = try tui.wait(for: "the last frame on both") { Self.frames($0) == ("24/24", "24/24") }
        try tui.send("h")
        screen = try tui.wait(for: "frame 0 on both") { Self.frames($0) == ("0/24", "0/24") }
        try tui.send("Space")
        screen = try tui.wait(for: "both played to the end") {
            Self.frames($0) == ("24/24", "24/24") && $0.contains("❚❚ paused") && $0.contains("seen: left 100%, right 100%")
        }
        #expect(screen.contains("left · frame 24/24 · seen 100%"))
        // 1 left better, 2 right better; overall has no tie: 3 is refused, then 1.
        try tui.send("1", "2", "3")
        try tui.wait(for: "overall has no \"the same\"")
        try tui.send("1")
        try tui.wait(for: "Enter: submit this item")
        try tui.send("Enter")
        try tui.wait(for: "item 2 of 2")
        try tui.send("2", "1", "2", "Enter")
        try tui.wait(for: "All 2 items in your queue are done")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        let (before, after) = try tui.sttyBeforeAndAfter()
        #expect(before == after)
        // Stored relative to the pair: "left" is a where clip a was on the left, else b.
        func clip(_ left: Bool, _ leftIsA: Bool) -> String { left == leftIsA ? "a" : "b" }
        let stored = try project.sql("""
            SELECT l.item_id || ' ' || l.criterion || '=' || l.value FROM label l JOIN label_current c ON c.label_id = l.id
            ORDER BY l.item_id, l.criterion;
            """)
        let items = try project.sql("SELECT item_id FROM item_pair ORDER BY item_id;").split(separator: "\n").map(String.init)
        let expected = [
            "\(items[0]) motion=\(clip(false, sides[0]))", "\(items[0]) overall=\(clip(true, sides[0]))",
            "\(items[0]) prompt-adherence=\(clip(true, sides[0]))",
            "\(items[1]) motion=\(clip(true, sides[1]))", "\(items[1]) overall=\(clip(false, sides[1]))",
            "\(items[1]) prompt-adherence=\(clip(false, sides[1]))",
        ]
        #expect(stored.split(separator: "\n").map(String.init) == expected)
        // The first pair was played whole on both sides; the second was seen at frame 0 only.
        #expect(try project.sql("SELECT watched_share FROM submission ORDER BY id;") == "1.0\n0.04\n")
        #expect(try project.ok(["audit", "verify"]).contains("intact"))
    }

    @Test func aNarrowPairIsShownOneAtATimeAndTabFlips() throws {
        let project = try Self.project(portrait: true)
        let leftIsA = try Self.leftIsA(project)[0]
        let tui = try RateTmuxTests.rate(project, columns: 80, rows: 24)
        let first = try tui.wait(for: "the left clip alone") { $0.contains("left · frame 0/24") && $0.contains("▀") }
        #expect(!first.contains("right · frame"), "\(first)")
        #expect(first.contains("Tab other clip"))
        try tui.send("Tab")
        let flipped = try tui.wait(for: "the right clip alone") { $0.contains("right · frame 0/24") }
        #expect(!flipped.contains("left · frame") && flipped.contains("showing the right clip · Tab shows the left one"))
        // Steps move both clips, the one not on screen too.
        try tui.send("Right", "Right")
        try tui.wait(for: "right · frame 2/24")
        try tui.send("Tab")
        try tui.wait(for: "left · frame 2/24")
        // The keys still mean the side, whichever clip is on screen.
        try tui.send("2", "2", "1", "Enter")
        try tui.wait(for: "All 1 item in your queue are done")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        let (before, after) = try tui.sttyBeforeAndAfter()
        #expect(before == after)
        let b = leftIsA ? "b" : "a"
        #expect(try project.sql("SELECT value FROM label WHERE criterion = 'motion';") == "\(b)\n")
    }
}
