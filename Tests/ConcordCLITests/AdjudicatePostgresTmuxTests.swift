import Foundation
import PostgresTestSupport
import Testing

/// The lead's queue and live dashboard on a PostgreSQL project (issue 16): they hear of
/// another process's commit through LISTEN (every write function notifies channel `concord`
/// at COMMIT) and show the new vote and the new agreement without a key pressed, the latter
/// equal to what `concord agreement --batch` prints. The lead and the raters log in as themselves.
@Suite(.serialized, .tmuxLeftoverCheck, .enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct AdjudicatePostgresTmuxTests {
    /// Alice and bob disagree on three of the six clips (quality 1 against 3).
    static func project() throws -> PrivatePostgresProject {
        let project = try PrivatePostgresProject("dash-pg")
        try project.addRubric(RatePostgresTmuxTests.rubric, name: "quality")
        try project.addRaters(["alice", "bob"], role: "rater")
        try project.addRaters(["lena"], role: "lead")
        try project.addDemoClips(batch: "b1", rubric: "quality", raters: ["alice", "bob"])
        let clips = ["cutin-left-close.mp4", "cutin-right-far.mp4", "cutin-truck-moderate.mp4", "lead-brakes.mp4",
                     "no-cutin-adjacent.mp4", "occluded-unclear.mp4"]
        var csv = "clip,rater,criterion,value\n"
        for (i, clip) in clips.enumerated() {
            csv += "\(clip),alice,quality,\(i < 3 ? "1" : "2")\n\(clip),bob,quality,\(i < 3 ? "3" : "2")\n"
        }
        try writeFile(project.dir + "/labels.csv", csv)
        try project.ok(["label", "import", project.dir + "/labels.csv"])
        return project
    }

    /// `concord agreement --batch b1`'s ordinal alpha for quality, as the dashboard prints it.
    static func agreementAlpha(_ project: PrivatePostgresProject) throws -> String {
        let json = try project.ok(["agreement", "--batch", "b1", "--format", "json"], as: "lena")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let quality = try #require((root["criteria"] as? [String: Any])?["quality"] as? [String: Any])
        let alpha = try #require(((quality["metrics"] as? [String: Any])?["krippendorff_alpha_ordinal"] as? [String: Any])?["value"] as? Double,
                                 "no ordinal alpha in \(json)")
        return String(format: "%.4f", alpha)
    }

    /// Bob, in another process, submits his first item (cutin-left-close.mp4, the queue's
    /// first entry) with `value`, through the workbench's path (store-bench commit: submitItem).
    static func bobSubmits(_ project: PrivatePostgresProject, quality value: String) throws {
        let driver = CLI.binary.deletingLastPathComponent().appendingPathComponent("store-bench").path
        let commit = try Tool.run(driver, ["commit", "--project", project.uri(as: "bob"), "--as", "bob", "--count", "1",
                                           "--criterion", "quality", "--values", value])
        try #require(commit.status == 0, "store-bench: \(commit.stderr)")
    }

    @Test func theQueueAndTheDashboardFollowARatersSubmissionsByListen() throws {
        let project = try Self.project()
        let tui = try TmuxSession("'\(CLI.binary.path)' adjudicate --project '\(project.uri(as: "lena"))' --preview ascii")
        let queue = try tui.wait(for: "entry 1 of 3")
        #expect(queue.contains("cutin-left-close.mp4") && queue.contains("bob   3 "))

        // The queue: the entry on screen shows bob's new vote, no key pressed.
        try Self.bobSubmits(project, quality: "1")
        let revoted = try tui.wait(for: "bob's new vote") { $0.contains("bob   1 ") && $0.contains("1 bad (2)") }
        #expect(revoted.contains("entry 1 of 3"))

        try tui.send("d")
        let dashboard = try tui.wait(for: "live agreement")
        let before = try Self.agreementAlpha(project)
        #expect(AdjudicateTmuxTests.dashboardAlpha(dashboard, criterion: "quality") == before, "\(dashboard)")

        // The dashboard: bob changes his answer again; the alpha follows.
        try Self.bobSubmits(project, quality: "2")
        let after = try Self.agreementAlpha(project)
        #expect(after != before)
        let updated = try tui.wait(for: "quality α \(after)", timeout: 15) {
            AdjudicateTmuxTests.dashboardAlpha($0, criterion: "quality") == after && $0.contains("label revisions applied live")
        }
        #expect(updated.contains("updated "))
        try tui.send("q")
        try tui.wait(for: "entry 1 of")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
    }

    /// A server restart cuts the dashboard's LISTEN connection too: it listens again by
    /// itself and follows the next commit (a notification sent while it was away is not
    /// lost either: the reconnect counts as a change, so it reads once).
    @Test func theDashboardListensAgainAfterARestart() throws {
        let project = try Self.project()
        let tui = try TmuxSession("'\(CLI.binary.path)' adjudicate --project '\(project.uri(as: "lena"))' --preview ascii")
        try tui.wait(for: "entry 1 of 3")
        try tui.send("d")
        try tui.wait(for: "live agreement")
        try project.cluster.restartImmediately()
        try Self.bobSubmits(project, quality: "2")
        let after = try Self.agreementAlpha(project)
        let updated = try tui.wait(for: "quality α \(after)", timeout: 15) {
            AdjudicateTmuxTests.dashboardAlpha($0, criterion: "quality") == after
        }
        #expect(!updated.contains("WARNING") && !updated.contains("FATAL"), "libpq wrote on the screen:\n\(updated)")
        try tui.send("q")
        try tui.wait(for: "entry 1 of")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
    }
}
