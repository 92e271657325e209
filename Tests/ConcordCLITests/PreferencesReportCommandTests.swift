import Foundation
import Testing

/// `concord report`'s Preferences section (docs/reports.md, "Preferences") on both stores:
/// on the pairwise arena of `PairwiseBatchCommandTests` (v2 preferred 30 times of 40, whose
/// leaderboard has a closed form) its numbers are `concord pairwise --batch`'s and the closed
/// form's, an auditor's names no clip; a batch without a pairwise criterion has no section.
@Suite struct PreferencesReportCommandTests {
    static func report(_ project: Project, _ format: String, as who: String) throws -> String {
        let out = project.dir + "/\(who).\(format)"
        try project.ok(["report", "--format", format, "--out", out, "--bootstrap", "20"], as: who)
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    @Test(arguments: StoreKind.available)
    func theSectionIsTheCommandsFitAndTheClosedForm(_ kind: StoreKind) throws {
        let project = try PairwiseBatchCommandTests.project(kind)
        let report = try CLI.json(try Self.report(project, "json", as: "lee"))
        let motion = try #require((report["preferences"] as? [String: Any])?["motion"] as? [String: Any])
        #expect(motion["comparisons"] as? Int == 40 && motion["groups"] as? Int == 10)
        // The clips' fit is the one concord pairwise --batch prints.
        let command = try CLI.json(try project.ok(["pairwise"] + PairwiseBatchCommandTests.arena + ["--format", "json"], as: "lee"))
        let fit = try #require(motion["fit"] as? [String: Any])
        let ours = try #require(fit["items"] as? [[String: Any]]), theirs = try #require(command["items"] as? [[String: Any]])
        #expect(ours.count == 20 && ours.map { $0["item"] as? String } == theirs.map { $0["item"] as? String })
        for (a, b) in zip(ours, theirs) {
            #expect(abs((a["score"] as? Double ?? .nan) - (b["score"] as? Double ?? .nan)) < 1e-12, "\(a["item"]!)")
        }
        #expect((fit["raters"] as? [[String: Any]])?.map { $0["rater"] as? String } == PairwiseBatchCommandTests.judges)
        // Systems on the matrix: v2 beat v1 in 30 of the 40 answers.
        let winRate = try #require(motion["win_rate"] as? [String: Any])
        #expect(winRate["by"] as? String == "system" && winRate["entries"] as? [String] == ["v2", "v1"])
        let cell = try #require((winRate["pairs"] as? [[String: Any]])?.first)
        #expect(cell["row"] as? String == "v2" && cell["wins"] as? Int == 30 && cell["losses"] as? Int == 10 && cell["share"] as? Double == 0.75)
        // The leaderboard: d = ln 3, SE = √(1/30 + 1/10), P(v2 above v1) = Φ(d/SE).
        let order = try #require((motion["leaderboard"] as? [String: Any])?["order"] as? [[String: Any]])
        #expect(order.map { $0["system"] as? String } == ["v2", "v1"] && order[0]["next"] as? String == "v1")
        #expect(abs((order[0]["difference"] as? Double ?? .nan) - 1.0986122886681096) < 1e-9)
        #expect(abs((order[0]["se"] as? Double ?? .nan) - 0.3651483716701107) < 1e-9)
        #expect(abs((order[0]["probability_above"] as? Double ?? .nan) - 0.9986880460339543) < 1e-9)
        // Markdown and HTML carry the same, rounded; the Scores section points here.
        let md = try Self.report(project, "md", as: "lee")
        #expect(md.contains("| v2 | — | 0.750 (30/40) |") && md.contains("| 1 | v2 | 0.549 | "))
        #expect(md.contains("'motion' is a pairwise criterion"))
        let html = try Self.report(project, "html", as: "lee")
        #expect(html.contains("<h2>Preferences</h2>") && html.contains(">30/40</text>") && html.contains("<td>0.999</td>"))
        // An auditor's report: the same numbers, clips by number.
        let audited = try Self.report(project, "json", as: "aud")
        let audMotion = try #require((try CLI.json(audited)["preferences"] as? [String: Any])?["motion"] as? [String: Any])
        let audItems = try #require((audMotion["fit"] as? [String: Any])?["items"] as? [[String: Any]])
        #expect(audItems.map { $0["item"] as? String } == ours.map { ($0["item"] as? String)?.split(separator: ":").first.map(String.init) })
        #expect(!(try Self.report(project, "md", as: "aud")).contains(".mp4"))
        let csv = try Self.report(project, "csv", as: "lee")
        #expect(csv.contains("preferences.motion,win.v2|v1.wins,30\n") && csv.contains("preferences.motion,system.v2.probability_above_next,0.99868804603"))
    }

    @Test(arguments: StoreKind.available)
    func aBatchWithoutAPairwiseCriterionHasNoSection(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        let json = try CLI.json(try Self.report(project, "json", as: "lena"))
        #expect(json["preferences"] == nil && json["scores"] != nil)
        #expect(!(try Self.report(project, "html", as: "lena")).contains("Preferences"))
        #expect(!(try Self.report(project, "md", as: "lena")).contains("Preferences"))
        #expect(!(try Self.report(project, "csv", as: "lena")).contains("preferences."))
    }
}
