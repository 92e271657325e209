import Foundation
import Testing

/// The Scores panel of `concord adjudicate`'s dashboard in a real terminal (tmux, 120×40):
/// on the numeric criterion `ttc` it shows the clips `concord report` ranks first and last,
/// with the same scores and intervals, and follows another process's import by itself.
@Suite(.serialized, .tmuxLeftoverCheck) struct ScoresPanelTmuxTests {
    /// The standard project plus ttc (seconds, 0–10; asked when a cut-in is present, so
    /// everyone says one is) from alice, bob and lena on every clip:
    /// a 2, 3, 4; b 6, 7, 8.5; c 4, 3.5 (bob's, already there), 4.5 — no score |z| ≥ 3.29 from
    /// the clip's other two, so no quality rule is broken (imported labels have no viewing).
    static func project() throws -> Project {
        let project = try Standard.copy()
        try writeFile(project.dir + "/ttc.csv", """
            clip,rater,criterion,value
            a.mp4,alice,present,yes
            a.mp4,bob,present,yes
            a.mp4,lena,present,yes
            b.mp4,alice,present,yes
            b.mp4,bob,present,yes
            b.mp4,lena,present,yes
            c.mp4,alice,present,yes
            c.mp4,lena,present,yes
            a.mp4,alice,ttc,2
            a.mp4,bob,ttc,3
            a.mp4,lena,ttc,4
            b.mp4,alice,ttc,6
            b.mp4,bob,ttc,7
            b.mp4,lena,ttc,8.5
            c.mp4,alice,ttc,4
            c.mp4,lena,ttc,4.5

            """)
        try project.ok(["label", "import", project.dir + "/ttc.csv"])
        return project
    }

    /// The report's ttc scores as the panel writes a clip: "NAME 1.234 [0.123, 2.345]",
    /// highest first; and the method the report used.
    static func reportedClips(_ project: Project) throws -> (method: String, clips: [String]) {
        let root = try CLI.json(try project.ok(["report", "--batch", "b1", "--format", "json", "--out", "-"], as: "lena"))
        let ttc = try #require((root["scores"] as? [String: Any])?["ttc"] as? [String: Any])
        let units = try #require(ttc["units"] as? [[String: Any]])
        let clips = try units.map { u in
            let name = try #require(u["unit"] as? String), score = try #require(u["score"] as? Double)
            let ci = (u["ci95"] as? [Double]).map { String(format: "[%.3f, %.3f]", $0[0], $0[1]) } ?? "[—]"
            return "\(name) \(String(format: "%.3f", score)) \(ci)"
        }
        return (try #require(ttc["method"] as? String), clips)
    }

    @Test func thePanelShowsTheReportsRankingAndFollowsAnImport() throws {
        let project = try Self.project()
        let (method, clips) = try Self.reportedClips(project)
        #expect(clips.count == 3 && clips[0].hasPrefix("2:b.mp4 ") && clips[1].hasPrefix("3:c.mp4 ") && clips[2].hasPrefix("1:a.mp4 "))
        let tui = try TmuxSession("'\(CLI.binary.path)' adjudicate --project '\(project.db)' --as lena", columns: 120, rows: 40, label: "scores")
        try tui.wait(for: "entry 1 of")
        try tui.send("d")
        try tui.wait(for: "live agreement")
        // present, severity, ego-response, ttc: three steps down to ttc.
        for _ in 0..<3 { try tui.send("j") }
        let panel = try tui.wait(for: "ttc's Scores panel") { $0.contains("ttc: scores by \(method)") && $0.contains("  highest  ") }
        #expect(panel.contains("· 3 clips · 0 rejected raters · 0 quality violations"), "\(panel)")
        #expect(panel.contains("  highest  " + clips.joined(separator: "   ")), "\(panel)")
        #expect(panel.contains("Gold accuracy:"))

        // Another process re-scores a.mp4 high for everyone: a is now first in the report,
        // and the panel follows without a key.
        try writeFile(project.dir + "/more.csv", "clip,rater,criterion,value\na.mp4,alice,ttc,9.5\na.mp4,bob,ttc,9\na.mp4,lena,ttc,10\n")
        try project.ok(["label", "import", project.dir + "/more.csv"])
        let (_, after) = try Self.reportedClips(project)
        #expect(after[0].hasPrefix("1:a.mp4 ") && after != clips)
        let updated = try tui.wait(for: "the panel after the import", timeout: 15) { $0.contains("  highest  " + after.joined(separator: "   ")) }
        #expect(updated.contains("ttc: scores by"))
        try tui.send("q")
        try tui.wait(for: "entry 1 of")
        // Changed while the queue is on screen: the panel is scored again when d opens it.
        try writeFile(project.dir + "/low.csv", "clip,rater,criterion,value\na.mp4,alice,ttc,0.5\na.mp4,bob,ttc,1\na.mp4,lena,ttc,0\n")
        try project.ok(["label", "import", project.dir + "/low.csv"])
        let (_, low) = try Self.reportedClips(project)
        #expect(low[2].hasPrefix("1:a.mp4 ") && low != after)
        try tui.send("d")
        // (Three clips: all on the highest line; the focus stayed on ttc.)
        let reopened = try tui.wait(for: "the panel after d", timeout: 15) { $0.contains("  highest  " + low.joined(separator: "   ")) }
        #expect(reopened.contains("ttc: scores by") && !reopened.contains("  lowest "))
        try tui.send("q")
        try tui.wait(for: "entry 1 of")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
    }
}
