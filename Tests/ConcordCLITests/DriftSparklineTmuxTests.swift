import Foundation
import Testing

/// The drift sparkline of `concord adjudicate`'s dashboard in a real terminal (tmux,
/// 120×40): per criterion, alpha per day as `agreement --batch --over-time` computes it, one
/// character per window, and it follows another process's labels without a key.
@Suite(.serialized, .tmuxLeftoverCheck) struct DriftSparklineTmuxTests {
    /// The dashboard's line for `present`, from the command's JSON: the sparkline (levels of
    /// alpha from 0 to 1, "·" undefined) and the latest window's alpha.
    static func expectedLine(_ project: Project) throws -> String {
        let root = try CLI.json(try project.ok(["agreement", "--batch", "b1", "--over-time", "--format", "json"], as: "lena"))
        let present = try #require((root["criteria"] as? [String: Any])?["present"] as? [String: Any])
        let alphas = try #require(present["windows"] as? [[String: Any]]).map { $0["alpha"] as? Double }
        let levels = Array("▁▂▃▄▅▆▇█")
        let spark = String(alphas.map { a in a.map { levels[min(7, Int((min(max($0, 0), 1) * 8).rounded(.down)))] } ?? "·" })
        return "α per day (UTC) present      \(spark)" + (alphas.last.flatMap { $0 }.map { String(format: " latest %.4f", $0) } ?? "")
    }

    @Test func theDashboardShowsTheSparklineAndFollowsAnImport() throws {
        let project = try Standard.copy()
        defer { project.remove() }
        let before = try Self.expectedLine(project)
        let tui = try TmuxSession("'\(CLI.binary.path)' adjudicate --project '\(project.db)' --as lena", columns: 120, rows: 40, label: "drift")
        try tui.wait(for: "entry 1 of")
        try tui.send("d")
        let screen = try tui.wait(for: "the sparkline of present") { $0.contains(before) }
        #expect(screen.contains("α per day (UTC) severity"), "\(screen)")

        // Another process labels present on c and b: today's window changes, and so does the line.
        try writeFile(project.dir + "/more.csv", "clip,rater,criterion,value\nc.mp4,alice,present,no\nc.mp4,lena,present,no\nb.mp4,lena,present,yes\n")
        try project.ok(["label", "import", project.dir + "/more.csv"])
        let after = try Self.expectedLine(project)
        #expect(after != before)
        try tui.wait(for: "the sparkline after the import", timeout: 15) { $0.contains(after) }
        try tui.send("q")
        try tui.wait(for: "entry 1 of")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
    }
}
