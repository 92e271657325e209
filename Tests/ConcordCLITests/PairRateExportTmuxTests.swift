import Foundation
import Testing

/// The last steps of a new user's pairwise batch (docs/pairwise.md "Projects"): a rater
/// answers a pair in `concord rate` (tmux), the export names clip b and the side clip a was
/// shown on (in the labels CSV and in Label Studio's JSON), the stored answers are relative
/// to the pair whatever that side, and importing either export back is refused.
@Suite(.serialized, .tmuxLeftoverCheck) struct PairRateExportTmuxTests {
    @Test func aRatedPairIsExportedWithClipBAndItsSide() throws {
        let project = try PairCommandTests.project(.sqlite)
        defer { project.remove() }
        let pairs = project.dir + "/pairs.csv"
        try writeFile(pairs, "clip_a,clip_b,group\nm1.mp4,m3.mp4,cat\n")
        #expect(try project.ok(["pair", "add", "--batch", "pv", "--file", pairs]) == "item 5: m1.mp4 vs m3.mp4\nadded 1 pair to batch 'pv'\n")
        #expect(try project.ok(["assign", "--batch", "pv", "--raters", testLogin, "--pairs", "all-within-group"])
                == "6 new assignments of 6 pairs in batch 'pv' (all-within-group)\n")
        let tui = try TmuxSession("'\(CLI.binary.path)' rate --project '\(project.db)'", columns: 120, rows: 40)
        try tui.wait(for: "item 1 of 6")
        // Left better on prompt adherence, right better on motion, left better overall.
        try tui.send("1", "2", "1")
        try tui.wait(for: "Enter: submit this item")
        try tui.send("Enter")
        try tui.wait(for: "item 2 of 6")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        let rows = exportedRows(try project.ok(["label", "export"]))
        #expect(rows.map { "\($0["clip"]!) \($0["clip_b"]!) \($0["item"]!) \($0["criterion"]!)" }
                == ["m1.mp4 m3.mp4 5 motion", "m1.mp4 m3.mp4 5 overall", "m1.mp4 m3.mp4 5 prompt-adherence"])
        let left = try #require(rows.first?["left"])
        #expect(left == "a" || left == "b")
        #expect(rows.allSatisfy { $0["left"] == left })
        // "left better" is the clip on the left: a when a was there, else b.
        let right = left == "a" ? "b" : "a"
        #expect(rows.map { $0["value"]! } == [right, left, left])
        #expect(try project.sql("SELECT left_clip FROM assignment_side s JOIN assignment a ON a.id = s.assignment_id WHERE a.item_id = 5;")
                == left + "\n")
        // The export read back: refused, each line named, nothing imported.
        let exported = project.dir + "/labels.csv"
        try writeFile(exported, try project.ok(["label", "export"]))
        let result = try project.run(["label", "import", exported])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("concord: \(exported): 3 problems; nothing was imported\n\(exported):2: batch 'pv' compares pairs of clips; "))
        // Label Studio's JSON: the pair's task shows both clips, each result keeps the side.
        let studio = try project.ok(["label", "export", "--format", "labelstudio"])
        let tasks = try #require(try JSONSerialization.jsonObject(with: Data(studio.utf8)) as? [[String: Any]])
        #expect(tasks.count == 1)
        let data = try #require(tasks.first?["data"] as? [String: Any])
        #expect(data["video"] as? String == "m1.mp4" && data["video_b"] as? String == "m3.mp4" && data["batch"] as? String == "pv")
        let results = try #require(((tasks.first?["annotations"] as? [[String: Any]])?.first?["result"]) as? [[String: Any]])
        #expect(results.map { "\($0["from_name"]!) \((($0["value"] as? [String: Any])?["choices"] as? [String])?.first ?? "?")" }
                == ["motion \(right)", "overall \(left)", "prompt-adherence \(left)"])
        #expect(results.allSatisfy { ($0["meta"] as? [String: Any])?["left"] as? String == left })
        let studioFile = project.dir + "/labels.json"
        try writeFile(studioFile, studio)
        let back = try project.run(["label", "import", studioFile])
        #expect(back.status == 2)
        #expect(back.stderr.contains("batch 'pv' compares pairs of clips"), "\(back.stderr)")
        #expect(try project.ok(["audit", "verify"]).contains("intact"))
    }
}
