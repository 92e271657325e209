import Foundation
import Testing

/// `concord adjudicate` and `concord queue` on a pairwise batch a new user made
/// (docs/adjudication.md "Pairwise batches"), in a real terminal (tmux, 120×40): two raters
/// answer a pair in `concord rate`, ann preferring clip a and ben clip b whatever side each
/// saw them on; the lead's queue names both clips and each vote's side; the vote list reads
/// "a better (b was left)"; Tab shows clip b; `2` resolves to b, stored relative to the pair;
/// `d` shows the systems' ranking; the golden set names both clips of the resolved pair.
@Suite(.serialized, .tmuxLeftoverCheck) struct AdjudicatePairTmuxTests {
    /// The side each rater saw clip a on, by the sqlite3 CLI: "a" (clip a left) or "b".
    static func side(_ project: Project, _ rater: String) throws -> String {
        try project.sql("""
            SELECT s.left_clip FROM assignment_side s JOIN assignment a ON a.id = s.assignment_id JOIN rater r ON r.id = a.rater_id
            WHERE r.name = '\(rater)' AND a.item_id = 5;
            """).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `rater` answers the pair's three criteria for `winner` in `concord rate`: key 1 is the
    /// left clip, so the key depends on the rater's side.
    static func answer(_ project: Project, _ rater: String, winner: String) throws {
        let key = try side(project, rater) == winner ? "1" : "2"
        let tui = try TmuxSession("'\(CLI.binary.path)' rate --project '\(project.db)' --as \(rater)", columns: 120, rows: 40, label: "rate")
        try tui.wait(for: "item 1 of 1")
        try tui.send(key, key, key)
        try tui.wait(for: "Enter: submit this item")
        try tui.send("Enter")
        try tui.wait(for: "the end of the queue") { $0.contains("All 1 items in your queue are done") || $0.contains("1 of 1 done") }
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
    }

    @Test func theLeadSeesBothClipsEachSideAndResolvesToClipB() throws {
        let project = try PairCommandTests.project(.sqlite)
        defer { project.remove() }
        let pairs = project.dir + "/pairs.csv"
        try writeFile(pairs, "clip_a,clip_b,group\nm1.mp4,m3.mp4,cat\n")
        #expect(try project.ok(["pair", "add", "--batch", "pv", "--file", pairs]) == "item 5: m1.mp4 vs m3.mp4\nadded 1 pair to batch 'pv'\n")
        #expect(try project.ok(["assign", "--batch", "pv", "--raters", "ann,ben"]) == "2 new assignments in batch 'pv'\n")
        try project.ok(["rater", "add", "lena", "--role", "lead"])
        try Self.answer(project, "ann", winner: "a")
        try Self.answer(project, "ben", winner: "b")
        let ann = try Self.side(project, "ann"), ben = try Self.side(project, "ben")
        #expect(try project.sql("SELECT group_concat(value, ',') FROM label WHERE item_id = 5 GROUP BY rater_id ORDER BY rater_id;")
                == "a,a,a\nb,b,b\n")

        // aggregate --batch names the pair's unit by its item and both clips; for an auditor,
        // by its number only (docs/security.md).
        try project.ok(["rater", "add", "audrey", "--role", "auditor"])
        let mv = try CLI.json(try project.ok(["aggregate", "--batch", "pv", "--criterion", "overall", "--method", "mv", "--format", "json"], as: "lena"))
        #expect((mv["units"] as? [[String: Any]])?.map { $0["unit"] as? String } == ["5:m1.mp4 vs m3.mp4"], "\(mv)")
        let blind = try CLI.json(try project.ok(["aggregate", "--batch", "pv", "--criterion", "overall", "--method", "mv", "--format", "json"], as: "audrey"))
        #expect((blind["units"] as? [[String: Any]])?.map { $0["unit"] as? String } == ["5"], "\(blind)")

        // The queue: one entry per pairwise criterion (all three split a/b), both clips named,
        // each vote with the side its rater saw clip a on.
        let queue = try project.ok(["queue"], as: "lena")
        #expect(queue.hasPrefix("batch pv: 3 entries awaiting a decision\n"))
        #expect(queue.contains("m1.mp4 vs m3.mp4") && queue.contains("ann=a(\(ann) left) ben=b(\(ben) left)"), "\(queue)")
        let json = try CLI.json(try project.ok(["queue", "--format", "json"], as: "lena"))
        let entries = try #require(json["entries"] as? [[String: Any]])
        #expect(entries.map { $0["clip_b"] as? String } == ["m3.mp4", "m3.mp4", "m3.mp4"])
        let votes = try #require(entries.first?["votes"] as? [[String: Any]])
        #expect(votes.map { "\($0["rater"] ?? "")=\($0["value"] ?? "")/\($0["left"] ?? "")" } == ["ann=a/\(ann)", "ben=b/\(ben)"])
        let first = try #require(entries.first?["criterion"] as? String)

        let tui = try TmuxSession("'\(CLI.binary.path)' adjudicate --project '\(project.db)' --as lena", columns: 120, rows: 40, label: "adjudicate")
        let screen = try tui.wait(for: "entry 1 of 3 with clip a") { $0.contains("entry 1 of 3") && $0.contains("frame 0/24") }
        #expect(screen.contains("batch pv · \(first) · lead lena · m1.mp4 vs m3.mp4"), "\(screen)")
        #expect(screen.contains("a  m1.mp4  ◂ on screen") && !screen.contains("m3.mp4  ◂ on screen"), "\(screen)")
        #expect(screen.contains("1 a better (1) · 2 b better (1)"), "\(screen)")
        #expect(screen.contains("ann   a better (\(ann) was left)") && screen.contains("ben   b better (\(ben) was left)"), "\(screen)")
        // Tab: clip b on screen, at the same time.
        try tui.send("Tab")
        let flipped = try tui.wait(for: "clip b on screen") { $0.contains("b  m3.mp4  ◂ on screen") }
        #expect(flipped.contains("Tab shows clip a") && flipped.contains("frame 0/24"))
        // 2: b better; reason 4 (genuine disagreement); no rationale.
        try tui.send("2")
        try tui.wait(for: "final value b better — why?")
        try tui.send("4")
        try tui.wait(for: "rationale: ")
        try tui.send("Enter")
        let second = try tui.wait(for: "entry 2 of 3")
        #expect(second.contains("resolved m1.mp4 vs m3.mp4 \(first) as b better (genuine disagreement)"), "\(second)")
        // The next entry shows clip a again.
        #expect(second.contains("a  m1.mp4  ◂ on screen"))
        // The dashboard: the focused pairwise criterion's Ranking panel, by system (old made
        // m1, new made m3), each with one win and one loss.
        try tui.send("d")
        let dashboard = try tui.wait(for: "the Ranking panel") { $0.contains("prompt-adherence: systems by Bradley–Terry score · 2 systems · 2 comparisons") }
        #expect(dashboard.contains("1. new") && dashboard.contains("2. old") || dashboard.contains("1. old") && dashboard.contains("2. new"), "\(dashboard)")
        #expect(dashboard.contains("· 2 comparisons\n") || dashboard.contains("· 2 comparisons "), "\(dashboard)")
        try tui.send("d")
        try tui.wait(for: "entry 2 of 3")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        #expect(try project.sql("SELECT item_id || '|' || criterion || '|' || value || '|' || reason FROM decision;")
                == "5|\(first)|b|genuine_disagreement\n")
        #expect(try project.ok(["queue"], as: "lena").hasPrefix("batch pv: 2 entries awaiting a decision\n"))

        // The report's open disagreements name both clips: in JSON clip_b, in Markdown "a vs b".
        let report = try CLI.json(try project.ok(["report", "--format", "json", "--out", "-"], as: "lena"))
        let open = try #require(report["open_disagreements"] as? [[String: Any]],
                                "\(report.keys.sorted())")
        #expect(open.count == 2 && open.allSatisfy { $0["clip"] as? String == "m1.mp4" && $0["clip_b"] as? String == "m3.mp4" })
        let markdown = try project.ok(["report", "--format", "md", "--out", "-"], as: "lena")
        #expect(markdown.contains("| 5 | m1\\.mp4 vs m3\\.mp4 | motion |"), "\(markdown)")   // Markdown escapes the dots

        // The golden set: the resolved entry says which pair "b" is about, by name and SHA-256.
        let sha = { (name: String) in try project.sql("SELECT sha256 FROM clip WHERE name = '\(name)';").trimmingCharacters(in: .whitespacesAndNewlines) }
        let (a, b) = (try sha("m1.mp4"), try sha("m3.mp4"))
        let lines = try project.ok(["golden", "export"], as: "lena").split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let entry = try CLI.json(lines[1])
        #expect(entry["item"] as? Int == 5 && entry["criterion"] as? String == first && entry["value"] as? String == "b")
        #expect(entry["clip"] as? String == "m1.mp4" && entry["clip_sha256"] as? String == a)
        #expect(entry["clip_b"] as? String == "m3.mp4" && entry["clip_b_sha256"] as? String == b)
        #expect(lines[1].contains("\"clip\":\"m1.mp4\",\"clip_b\":\"m3.mp4\",\"clip_b_sha256\":\"\(b)\",\"clip_sha256\":\"\(a)\""), "\(lines[1])")
        let csv = try project.ok(["golden", "export", "--format", "csv"], as: "lena").split(separator: "\n").map(String.init)
        #expect(csv.first?.hasPrefix("golden_version,item,clip,clip_b,clip_sha256,clip_b_sha256,criterion,value,source,") == true, "\(csv)")
        #expect(csv.count == 2 && csv[1].contains(",5,m1.mp4,m3.mp4,\(a),\(b),\(first),b,adjudicated,"), "\(csv)")
    }
}
