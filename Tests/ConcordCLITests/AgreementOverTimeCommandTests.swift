import Foundation
import Testing

/// `concord agreement --batch B --over-time` on both stores: each window's alpha is what
/// `concord agreement FILE.csv` says of that window's labels; weeks begin on Monday 00:00
/// UTC; a label made under another rubric version puts a marker on its window; bad
/// spellings are one line and exit 2.
@Suite struct AgreementOverTimeCommandTests {
    /// The standard project with a second batch b2 of the same clips, whose `present` alice,
    /// bob and lena label: a on Monday 2026-03-02 (all yes), b on Tuesday (all no), c at
    /// exactly Monday 2026-03-09 00:00 UTC by lena (alice and bob on Sunday: yes, no) —
    /// weeks 10 and 11.
    static func project(_ kind: StoreKind) throws -> Project {
        let project = try Standard.copy(kind)
        let clips = try Standard.template().dir
        try project.ok(["clip", "add", clips + "/a.mp4", clips + "/b.mp4", clips + "/c.mp4", "--batch", "b2", "--rubric", "av-cut-in"])
        try project.ok(["assign", "--batch", "b2", "--raters", "alice,bob,lena"])
        try writeFile(project.dir + "/b2.csv", """
            clip,rater,criterion,value,submitted_at,batch
            a.mp4,alice,present,yes,2026-03-02T09:00:00Z,b2
            a.mp4,bob,present,yes,2026-03-02T10:00:00Z,b2
            a.mp4,lena,present,yes,2026-03-02T11:00:00Z,b2
            b.mp4,alice,present,no,2026-03-03T09:00:00Z,b2
            b.mp4,bob,present,no,2026-03-03T10:00:00Z,b2
            b.mp4,lena,present,no,2026-03-03T11:00:00Z,b2
            c.mp4,alice,present,yes,2026-03-08T23:00:00Z,b2
            c.mp4,bob,present,no,2026-03-08T23:30:00Z,b2
            c.mp4,lena,present,yes,2026-03-09T00:00:00Z,b2

            """)
        try project.ok(["label", "import", project.dir + "/b2.csv"])
        return project
    }

    static func present(_ json: String) throws -> (windows: [[String: Any]], drift: [String: Any]) {
        let root = try CLI.json(json)
        let present = try #require((root["criteria"] as? [String: Any])?["present"] as? [String: Any])
        return (try #require(present["windows"] as? [[String: Any]]), try #require(present["drift"] as? [String: Any]))
    }

    @Test(arguments: StoreKind.available)
    func weeksAlphaAndMarkers(kind: StoreKind) throws {
        let project = try Self.project(kind)
        defer { project.remove() }
        let out = try project.ok(["agreement", "--batch", "b2", "--over-time", "--window", "week", "--format", "json"], as: "lena")
        let (windows, drift) = try Self.present(out)
        #expect(windows.map { $0["window"] as? String } == ["2026-W10", "2026-W11"])
        #expect(windows.map { $0["items"] as? Int } == [2, 1])
        // Week 10 is a and b: the alpha `agreement FILE.csv` gives for their labels.
        let csv = try CLI.temporaryFile("unit,rater,value\na,alice,yes\na,bob,yes\na,lena,yes\nb,alice,no\nb,bob,no\nb,lena,no\n")
        let direct = try CLI.json(CLI.run(["agreement", csv, "--order", "yes,no,unclear", "--format", "json"]).stdout)
        let alpha = try #require(((direct["metrics"] as? [String: Any])?["krippendorff_alpha_nominal"] as? [String: Any])?["value"] as? Double)
        #expect(windows[0]["alpha"] as? Double == alpha)
        // Week 11 holds c alone (yes, no, yes): alpha 0 in `agreement FILE.csv` too, and its
        // interval [0, 0] lies wholly below week 10's [1, 1] — drift, with no gold answer to
        // name a rater by.
        let c = try CLI.temporaryFile("unit,rater,value\nc,alice,yes\nc,bob,no\nc,lena,yes\n")
        let directC = try CLI.json(CLI.run(["agreement", c, "--order", "yes,no,unclear", "--format", "json"]).stdout)
        let alphaC = try #require(((directC["metrics"] as? [String: Any])?["krippendorff_alpha_nominal"] as? [String: Any])?["value"] as? Double)
        #expect(windows[1]["alpha"] as? Double == alphaC)
        #expect(windows.map { $0["ci95"] as? [Double] } == [[1, 1], [alphaC, alphaC]])
        #expect(drift["status"] as? String == "drifting")
        #expect((drift["raters"] as? [Any])?.isEmpty == true)
        #expect(windows.allSatisfy { ($0["rubric_changed"] as? [String]) == [] })

        // lena's label on c is made again under a second version of the rubric (as a batch
        // moved to a new version would record it): week 11 carries the marker.
        try project.sql("""
            INSERT INTO rubric_version (name, hash, canonical_json, source_path, created_at)
              SELECT name, 'f00dfeed' || hash, canonical_json, source_path, created_at FROM rubric_version WHERE name = 'av-cut-in';
            INSERT INTO label (item_id, criterion, rater_id, value, rubric_version_id, submitted_at, recorded_at, revision, source)
              SELECT l.item_id, l.criterion, l.rater_id, l.value, (SELECT max(id) FROM rubric_version), l.submitted_at, l.recorded_at, l.revision + 1, 'import'
              FROM label l JOIN label_current c ON c.label_id = l.id JOIN item i ON i.id = l.item_id JOIN clip k ON k.id = i.clip_id
              JOIN batch b ON b.id = i.batch_id JOIN rater r ON r.id = l.rater_id
              WHERE b.name = 'b2' AND k.name = 'c.mp4' AND r.name = 'lena' AND l.criterion = 'present';
            UPDATE label_current SET label_id = (SELECT max(id) FROM label)
              WHERE criterion = 'present' AND rater_id = (SELECT id FROM rater WHERE name = 'lena')
              AND item_id = (SELECT i.id FROM item i JOIN clip k ON k.id = i.clip_id JOIN batch b ON b.id = i.batch_id WHERE b.name = 'b2' AND k.name = 'c.mp4');
            """)
        let marked = try Self.present(try project.ok(["agreement", "--batch", "b2", "--over-time", "--window", "week", "--format", "json"], as: "lena")).windows
        let changed = try #require(marked[1]["rubric_changed"] as? [String])
        #expect(changed.count == 1 && changed[0].hasPrefix("f00dfeed"))
        #expect((marked[0]["rubric_changed"] as? [String]) == [])
        // The report's section: day windows, the chart with its band and marker, the table.
        let html = try project.ok(["report", "--batch", "b2", "--format", "html", "--out", "-"], as: "lena")
        let section = try #require(html.components(separatedBy: "<h2>Agreement over time</h2>").last?.components(separatedBy: "<h2>").first)
        #expect(section.contains("<h3>present over time</h3>") && section.contains("<polygon points="))
        #expect(section.contains("stroke-dasharray=\"4 3\"/><text x=") && section.contains(">rubric f00dfeed</text>"))
        #expect(section.contains("<td>2026-03-09</td>"))
        let md = try project.ok(["report", "--batch", "b2", "--format", "md", "--out", "-"], as: "lena")
        let mdSection = md.components(separatedBy: "## Agreement over time").last?.components(separatedBy: "\n## ").first ?? ""
        #expect(mdSection.contains("| 2026-03-02 | 1 | 3 | — | — | — | undefined: every rating is in the same category")
                && mdSection.contains("| 2026-03-09 | 1 | 3 | 0.0000 | [0.0000, 0.0000] | — | ▲ rubric version f00dfeed"), "\(mdSection)")
        let json = try CLI.json(project.ok(["report", "--batch", "b2", "--format", "json", "--out", "-"], as: "lena"))
        let overTime = try #require((json["over_time"] as? [String: Any])?["criteria"] as? [String: Any])
        #expect(((overTime["present"] as? [String: Any])?["windows"] as? [Any])?.count == 3)
        let text = try project.ok(["agreement", "--batch", "b2", "--over-time", "--window", "week"], as: "lena")
        #expect(text.contains("▲ rubric version f00dfeed"))
        #expect(text.contains("⚠ drift: the latest window's interval [0.0000, 0.0000] lies wholly below the first's [1.0000, 1.0000]; no rater answered gold questions"))
    }

    /// A misspelt window is one line; a misplaced flag is the parser's usage error (exit 2,
    /// the message first, as every command's).
    @Test func badSpellingsAreOneLineAndExit2() throws {
        let project = try Standard.copy()
        defer { project.remove() }
        let cases: [([String], String)] = [
            (["--over-time", "--window", "fortnight"], "concord: --window: unknown window 'fortnight'; write day, week or a number of items such as 20\n"),
            (["--over-time", "--window", "1"], "concord: --window: a window of 1 item has no agreement to measure; give at least 2 items per window (e.g. --window 20)\n"),
            (["--window", "day"], "concord: --window applies to --over-time\n"),
            (["--over-time", "--format", "csv"], "concord: --over-time prints text or json; --format csv is not one of them\n"),
        ]
        for (extra, message) in cases {
            let oneLine = extra.contains("--window") && extra.contains("--over-time")
            let result = try project.run(["agreement", "--batch", "b1"] + extra, as: "lena")
            #expect(result.status == 2, "\(extra)")
            #expect(result.stdout.isEmpty)
            #expect(oneLine ? result.stderr == message : result.stderr.hasPrefix(message), "\(result.stderr)")
        }
        let file = try CLI.temporaryFile("unit,rater,value\nu,a,1\n")
        let noBatch = try CLI.run(["agreement", file, "--over-time"])
        #expect(noBatch.status == 2 && noBatch.stderr.hasPrefix("concord: --over-time applies to --batch: label times live in a project\n"))
    }
}
