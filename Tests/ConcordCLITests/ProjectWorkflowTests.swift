import Foundation
import Testing

/// Every project command end to end, as a lead sets up a real study: init → rubric add →
/// rater add → clip add → assign → label import → label export → status → agreement →
/// audit verify, each checked against values worked out by hand.
@Suite struct ProjectWorkflowTests {
    /// The labels of batch b1. Present (alice | bob): a yes|yes, b no|no, c yes|no,
    /// d yes|yes. Severity pairs: a minor|moderate, d minor|severe (c: alice only).
    /// TTC pairs: a 2.5|3, d 4.0|4 (equal as numbers). m1 is a model.
    static func labels(aSHA: String) -> String {
        """
        clip,rater,criterion,value,frame,submitted_at
        \(aSHA.prefix(12)),alice,present,yes,12,2026-03-04T05:06:07+01:00
        a.mp4,alice,severity,minor,,
        a.mp4,alice,ego-response,good,,
        a.mp4,alice,ttc,2.5,,
        a.mp4,alice,notes,"cut-in from the right, then ""hard"" braking",,
        a.mp4,bob,present,yes,,
        a.mp4,bob,severity,moderate,,
        a.mp4,bob,ttc,3,,
        b.mp4,alice,present,no,,
        b.mp4,bob,present,no,,
        c.mp4,alice,present,yes,,
        c.mp4,alice,severity,moderate,,
        c.mp4,bob,present,no,,
        d.mp4,alice,present,yes,0,2026-03-04 10:00:00
        d.mp4,alice,severity,minor,,
        d.mp4,alice,ttc,4.0,,
        d.mp4,bob,present,yes,24,
        d.mp4,bob,severity,severe,,
        d.mp4,bob,ttc,4,,
        a.mp4,m1,present,no,,
        b.mp4,m1,present,yes,,
        c.mp4,m1,present,unclear,,
        d.mp4,m1,present,no,,

        """
    }

    /// Left-aligned columns two spaces apart, the last one unpadded (as concord prints).
    static func table(_ rows: [[String]]) -> String {
        var widths = [Int](repeating: 0, count: rows.map(\.count).max() ?? 0)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.unicodeScalars.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.unicodeScalars.count + 2)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }

    static func metric(_ json: [String: Any], _ criterion: String, _ name: String) -> Any? {
        ((json["criteria"] as? [String: Any])?[criterion] as? [String: Any])
            .flatMap { ($0["metrics"] as? [String: Any])?[name] as? [String: Any] }?["value"]
    }

    @Test(arguments: StoreKind.available)
    func everyCommandEndToEnd(_ kind: StoreKind) throws {
        let project = try Project.unmade("workflow", file: "study.db", kind: kind)
        let dir = project.dir
        defer { project.remove() }
        let rubricPath = Standard.rubric

        // init: the OS login (on PostgreSQL the database's owner) becomes the admin; a
        // second init refuses to overwrite; a project is named after its file or database.
        var r = try CLI.run(["init", "--project", project.db, "--name", "cut-in study"])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        #expect(r.stdout == "created project 'cut-in study' at \(kind.shown(project.db)); \(testLogin) is its admin\n")
        r = try CLI.run(["init", "--project", project.db])
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr == (kind == .sqlite ? "concord: \(project.db) already exists; use it, or pass another --project path\n"
                             : "concord: the PostgreSQL database '\(project.database!)' is not empty: concord init needs an empty database; "
                                + "ask the DBA for a new one (createdb -O \(testLogin) NAME)\n"))
        let other = try Project.unmade("workflow", file: "other.db", kind: kind)
        defer { other.remove() }
        r = try CLI.run(["init", "--project", other.db])
        #expect(r.stdout == "created project '\(other.database ?? "other")' at \(kind.shown(other.db)); \(testLogin) is its admin\n")
        #expect(try project.sql("SELECT name FROM project;") == "cut-in study\n")

        // rubric check, then add; the same content again is a no-op that says so.
        let check = try CLI.run(["rubric", "check", rubricPath])
        #expect(check.status == 0)
        let prefix = "\(rubricPath): ok — rubric 'av-cut-in', 5 criteria, hash "
        #expect(check.stdout.hasPrefix(prefix) && check.stdout.count == prefix.count + 65, "\(check.stdout)")
        let hash = String(check.stdout.dropFirst(prefix.count).prefix(64))
        #expect(hash.count == 64 && hash.allSatisfy(\.isHexDigit))
        #expect(try project.ok(["rubric", "add", rubricPath]) == "added rubric 'av-cut-in' version \(hash)\n")
        let eventsAfterRubric = try project.auditEventCount()
        #expect(try project.ok(["rubric", "add", rubricPath])
                == "rubric 'av-cut-in' version \(hash) is already in the project; nothing added\n")
        #expect(try project.auditEventCount() == eventsAfterRubric)
        #expect(try project.sql("SELECT count(*) FROM rubric_version;") == "1\n")

        // raters
        for (name, role) in [("alice", "rater"), ("bob", "rater"), ("carol", "rater"), ("lena", "lead"), ("m1", "model")] {
            #expect(try project.ok(["rater", "add", name, "--role", role]) == "\(name) is now \(withArticle(role))\n")
        }
        let eventsAfterRaters = try project.auditEventCount()
        #expect(try project.ok(["rater", "add", "alice", "--role", "rater"]) == "alice is already a rater; nothing changed\n")
        #expect(try project.auditEventCount() == eventsAfterRaters)
        r = try project.run(["rater", "add", "bad name", "--role", "rater"])
        #expect(r.status == 2)
        #expect(r.stderr == "concord: 'bad name' is not a valid rater name; use letters, digits, '.', '_' or '-' (like a login name)\n")
        r = try project.run(["rater", "add", "dave", "--role", "boss"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("concord: ") && r.stderr.contains("'boss'"), "\(r.stderr)")
        let ratersJSON = try #require(JSONSerialization.jsonObject(with: Data(try project.ok(["rater", "list", "--format", "json"]).utf8))
                                      as? [[String: String]])
        #expect(ratersJSON.map { "\($0["name"]!):\($0["role"]!)" }
                == ["alice:rater", "bob:rater", "carol:rater", "lena:lead", "m1:model", "\(testLogin):admin"].sorted())
        #expect(ratersJSON.allSatisfy { $0["since"]?.count == 24 && $0["since"]?.hasSuffix("Z") == true })
        #expect(try project.ok(["rater", "list"]) == Self.table([["rater", "role", "since"]] + ratersJSON.map { [$0["name"]!, $0["role"]!, $0["since"]!] }))

        // clips: probed and hashed; a clip can join a second batch.
        let clip = { (name: String) in dir + "/" + name }
        try Clips.make(clip("a.mp4"), source: "testsrc", size: "160x120")
        try Clips.make(clip("b.mp4"), source: "testsrc2", size: "176x144")
        try Clips.make(clip("c.mp4"), source: "mandelbrot", size: "160x120")
        try Clips.make(clip("d.mp4"), source: "color=c=red", size: "128x96")
        try Clips.make(clip("e.mp4"), source: "testsrc", size: "320x240", seconds: 2)
        try Clips.make(clip("f.mp4"), source: "testsrc2", size: "160x120", seconds: 0.4)
        try Clips.make(clip("g.mp4"), source: "color=c=blue", size: "160x120")
        try Clips.make(clip("h.mp4"), source: "mandelbrot", size: "96x64")
        #expect(try project.ok(["clip", "add", clip("a.mp4"), clip("b.mp4"), clip("c.mp4"), clip("d.mp4"), "--batch", "b1", "--rubric", "av-cut-in"])
                == "item 1: a.mp4\nitem 2: b.mp4\nitem 3: c.mp4\nitem 4: d.mp4\nadded 4 clips to batch 'b1'\n")
        #expect(try project.ok(["clip", "add", clip("e.mp4"), clip("f.mp4"), clip("g.mp4"), clip("h.mp4"), clip("a.mp4"), "--batch", "b2", "--rubric", "av-cut-in"])
                == "item 5: e.mp4\nitem 6: f.mp4\nitem 7: g.mp4\nitem 8: h.mp4\nitem 9: a.mp4 (already in the project; added to this batch)\nadded 5 clips to batch 'b2'\n")
        var expectedClips = ""
        for (name, facts) in [("a.mp4", "1.0|25.0|25|160|120"), ("b.mp4", "1.0|25.0|25|176|144"), ("c.mp4", "1.0|25.0|25|160|120"),
                              ("d.mp4", "1.0|25.0|25|128|96"), ("e.mp4", "2.0|25.0|50|320|240"), ("f.mp4", "0.4|25.0|10|160|120"),
                              ("g.mp4", "1.0|25.0|25|160|120"), ("h.mp4", "1.0|25.0|25|96|64")] {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: clip(name))[.size] as? Int)
            let spelled = facts.split(separator: "|").map { kind.real(String($0)) }.joined(separator: "|")
            expectedClips += "\(name)|\(try Tool.sha256(clip(name)))|h264|\(spelled)|0|\(size)|\(clip(name))\n"
        }
        #expect(try project.sql("""
            SELECT name, sha256, codec, duration, frame_rate, frame_count, width, height, rotation, size_bytes, path FROM clip ORDER BY id;
            """) == expectedClips)
        let aSHA = try Tool.sha256(clip("a.mp4"))

        // assign: everyone everything, then again (nothing new, no event).
        #expect(try project.ok(["assign", "--batch", "b1", "--raters", "alice,bob"]) == "8 new assignments in batch 'b1'\n")
        let eventsAfterAssign = try project.auditEventCount()
        #expect(try project.ok(["assign", "--batch", "b1", "--raters", "alice,bob"]) == "0 new assignments in batch 'b1'\n")
        #expect(try project.auditEventCount() == eventsAfterAssign)
        r = try project.run(["assign", "--raters", "alice"])
        #expect(r.status == 2)
        #expect(r.stderr == "concord: the project has 2 batches (b1, b2); choose one with --batch NAME\n")
        r = try project.run(["assign", "--batch", "b2", "--raters", "alice,bob,carol", "--overlap", "4"])
        #expect(r.status == 2)
        #expect(r.stderr == "concord: --overlap must be between 1 and the number of raters (3); got 4\n")
        // --overlap 2 over 3 raters and 5 items: each item exactly 2 raters, loads 4/3/3.
        #expect(try project.ok(["assign", "--batch", "b2", "--raters", "alice,bob,carol", "--overlap", "2"]) == "10 new assignments in batch 'b2'\n")
        #expect(try project.sql("""
            SELECT i.position, count(*), count(DISTINCT a.rater_id) FROM assignment a JOIN item i ON i.id = a.item_id
            JOIN batch b ON b.id = i.batch_id WHERE b.name = 'b2' GROUP BY i.id ORDER BY i.position;
            """) == "1|2|2\n2|2|2\n3|2|2\n4|2|2\n5|2|2\n")
        let loads = try project.sql("""
            SELECT r.name || '=' || count(*) FROM assignment a JOIN item i ON i.id = a.item_id JOIN batch b ON b.id = i.batch_id
            JOIN rater r ON r.id = a.rater_id WHERE b.name = 'b2' GROUP BY r.name ORDER BY r.name;
            """)
        #expect(loads == "alice=4\nbob=3\ncarol=3\n")
        #expect(try project.sql("SELECT overlap FROM batch_setting;") == "2\n")

        // label import: clip a.mp4 is in two batches, so rows naming it need --batch.
        let labels = dir + "/labels.csv"
        try writeFile(labels, Self.labels(aSHA: aSHA))
        r = try project.run(["label", "import", labels])
        #expect(r.status == 2)
        #expect(r.stderr == "concord: \(labels): 9 problems; nothing was imported\n"
                + [2, 3, 4, 5, 6, 7, 8, 9, 21].map { "\(labels):\($0): the clip a.mp4 is in 2 batches (b1, b2); choose one with --batch\n" }.joined())
        let eventsBeforeImport = try project.auditEventCount()
        #expect(try project.ok(["label", "import", labels, "--batch", "b1"]) == "\(labels): imported 23 new labels and 0 revisions\n")
        #expect(try project.auditEventCount() == eventsBeforeImport + 1)
        #expect(try project.lastEvent() == "\(testLogin)|label.import")
        // The same file again adds nothing, not even an audit event.
        #expect(try project.ok(["label", "import", labels, "--batch", "b1"])
                == "\(labels): 23 rows, all equal to the current labels; nothing imported\n")
        #expect(try project.auditEventCount() == eventsBeforeImport + 1)

        // label export, CSV: every current label, in batch, item, rater, criterion order.
        let csv = try project.ok(["label", "export"])
        let rows = parseCSV(csv)
        #expect(rows.first == ["clip", "rater", "criterion", "value", "frame", "submitted_at", "batch", "item", "rubric_hash",
                               "revision", "pts", "dwell_ms", "watched", "display", "display_size", "colors", "speeds", "confidence", "sample"])
        let recordedAt = try #require(exportedRows(csv).first { $0["criterion"] == "severity" }?["submitted_at"])
        #expect(recordedAt.count == 24 && recordedAt.hasSuffix("Z") && recordedAt.dropFirst(10).first == "T", "\(recordedAt)")
        let expected: [[String]] = [
            ["a.mp4", "alice", "ego-response", "good", "", recordedAt, "1"],
            ["a.mp4", "alice", "notes", "cut-in from the right, then \"hard\" braking", "", recordedAt, "1"],
            ["a.mp4", "alice", "present", "yes", "12", "2026-03-04T04:06:07.000Z", "1"],
            ["a.mp4", "alice", "severity", "minor", "", recordedAt, "1"],
            ["a.mp4", "alice", "ttc", "2.5", "", recordedAt, "1"],
            ["a.mp4", "bob", "present", "yes", "", recordedAt, "1"],
            ["a.mp4", "bob", "severity", "moderate", "", recordedAt, "1"],
            ["a.mp4", "bob", "ttc", "3", "", recordedAt, "1"],
            ["a.mp4", "m1", "present", "no", "", recordedAt, "1"],
            ["b.mp4", "alice", "present", "no", "", recordedAt, "2"],
            ["b.mp4", "bob", "present", "no", "", recordedAt, "2"],
            ["b.mp4", "m1", "present", "yes", "", recordedAt, "2"],
            ["c.mp4", "alice", "present", "yes", "", recordedAt, "3"],
            ["c.mp4", "alice", "severity", "moderate", "", recordedAt, "3"],
            ["c.mp4", "bob", "present", "no", "", recordedAt, "3"],
            ["c.mp4", "m1", "present", "unclear", "", recordedAt, "3"],
            ["d.mp4", "alice", "present", "yes", "0", "2026-03-04T10:00:00.000Z", "4"],
            ["d.mp4", "alice", "severity", "minor", "", recordedAt, "4"],
            ["d.mp4", "alice", "ttc", "4", "", recordedAt, "4"],   // imported as 4.0: numbers are stored in one spelling
            ["d.mp4", "bob", "present", "yes", "24", recordedAt, "4"],
            ["d.mp4", "bob", "severity", "severe", "", recordedAt, "4"],
            ["d.mp4", "bob", "ttc", "4", "", recordedAt, "4"],
            ["d.mp4", "m1", "present", "no", "", recordedAt, "4"],
        ].map { Array($0[0..<6]) + ["b1", $0[6], hash, "1", "", "", ""] + ["", "", "", ""] + ["", ""] }   // imported: no display, no confidence or sample
        #expect(Array(rows.dropFirst()) == expected)
        #expect(csv.contains("\"cut-in from the right, then \"\"hard\"\" braking\""))

        // label export --format jsonl: the same labels, typed.
        let jsonl = try project.ok(["label", "export", "--format", "jsonl"])
        let objects = try jsonl.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.count == 23)
        for (object, row) in zip(objects, expected) {
            #expect(object["clip"] as? String == row[0] && object["rater"] as? String == row[1] && object["criterion"] as? String == row[2]
                    && object["value"] as? String == row[3] && object["submitted_at"] as? String == row[5]
                    && object["batch"] as? String == "b1" && object["item"] as? Int == Int(row[7])
                    && object["rubric_hash"] as? String == hash && object["revision"] as? Int == 1
                    && object["pts"] is NSNull && object["dwell_ms"] is NSNull, "\(object)")
            #expect(row[4].isEmpty ? object["frame"] is NSNull : object["frame"] as? Int == Int(row[4]), "\(object)")
        }
        // --out writes the same bytes to a file, nothing to standard output.
        let exported = dir + "/export.csv"
        #expect(try project.ok(["label", "export", "--out", exported]) == "")
        #expect(try String(contentsOfFile: exported, encoding: .utf8) == csv)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".concord-") } == [])
        // export → import round trip adds nothing.
        #expect(try project.ok(["label", "import", exported, "--batch", "b1"])
                == "\(exported): 23 rows, all equal to the current labels; nothing imported\n")
        #expect(try project.auditEventCount() == eventsBeforeImport + 1)
        #expect(try project.ok(["label", "export"]) == csv)

        // A revision: alice changes one answer; the unchanged row is counted, not written.
        let revision = dir + "/revision.csv"
        try writeFile(revision, "clip,rater,criterion,value\nc.mp4,alice,severity,severe\nb.mp4,bob,present,no\nb.mp4,alice,present,no\n")
        #expect(try project.ok(["label", "import", revision]) == "\(revision): imported 0 new labels and 1 revision; 2 rows unchanged\n")
        let revised = try #require(exportedRows(try project.ok(["label", "export"])).first { $0["clip"] == "c.mp4" && $0["criterion"] == "severity" })
        #expect(revised["value"] == "severe" && revised["revision"] == "2")
        #expect(try project.sql("SELECT value, revision FROM label WHERE criterion = 'severity' AND item_id = 3 ORDER BY id;")
                == "moderate|1\nsevere|2\n")

        // status: progress per batch and rater (model raters appear by their labels).
        let short = String(hash.prefix(12))
        let header = ["rater", "role", "assigned", "labeled", "labels", "skipped", "flagged", "done"]
        let status = try project.ok(["status"])
        #expect(status == "batch b1: 4 items, rubric av-cut-in (\(short))\n"
                + Self.table([header, ["alice", "rater", "4", "4", "11", "0", "0", "100%"], ["bob", "rater", "4", "4", "8", "0", "0", "100%"],
                              ["m1", "model", "0", "0", "4", "0", "0", "—"]]) + "\n"
                + "batch b2: 5 items, rubric av-cut-in (\(short))\n"
                + Self.table([header, ["alice", "rater", "4", "0", "0", "0", "0", "0%"], ["bob", "rater", "3", "0", "0", "0", "0", "0%"],
                              ["carol", "rater", "3", "0", "0", "0", "0", "0%"]]) + "\n")
        let statusJSON = try #require(JSONSerialization.jsonObject(with: Data(try project.ok(["status", "--batch", "b2", "--format", "json"]).utf8))
                                      as? [[String: Any]])
        #expect(statusJSON.count == 1)
        #expect(statusJSON.first?["batch"] as? String == "b2" && statusJSON.first?["items"] as? Int == 5
                && statusJSON.first?["rubric_hash"] as? String == hash)
        let progress = try #require(statusJSON.first?["raters"] as? [[String: Any]])
        #expect(progress.map { "\($0["rater"]!)=\($0["assigned"]!)" } == ["alice=4", "bob=3", "carol=3"])

        // agreement --batch: people only by default, each criterion with its scale's metrics.
        let agreement = try CLI.json(try project.ok(["agreement", "--batch", "b1", "--format", "json"]))
        #expect(agreement["batch"] as? String == "b1" && agreement["rubric_hash"] as? String == hash && agreement["items"] as? Int == 4)
        #expect(agreement["include_models"] as? Bool == false)
        #expect(Set(((agreement["criteria"] as? [String: Any]) ?? [:]).keys) == ["present", "severity", "ego-response", "ttc"])
        let present = try #require((agreement["criteria"] as? [String: Any])?["present"] as? [String: Any])
        #expect(present["units"] as? Int == 4 && present["raters"] as? Int == 2 && present["ratings"] as? Int == 8
                && present["pairable_units"] as? Int == 4)
        #expect(present["categories"] as? [String] == ["yes", "no", "unclear"])
        // By hand: coincidences o(yes,yes)=4, o(no,no)=2, o(yes,no)=o(no,yes)=1; n(yes)=5, n(no)=3.
        // alpha = 1 − 7·2/(2·5·3) = 8/15; p_a = 3/4; Cohen: p_e = 3/4·1/2 + 1/4·1/2 = 1/2 → 1/2;
        // Scott/Fleiss: p_e = (5/8)² + (3/8)² = 17/32 → 7/15; AC1 (q = 3): p_e = 15/64 → 33/49.
        let byHand: [(String, Double)] = [("krippendorff_alpha_nominal", 8.0 / 15), ("percent_agreement", 0.75), ("cohen_kappa", 0.5),
                                          ("scotts_pi", 7.0 / 15), ("fleiss_kappa", 7.0 / 15), ("gwet_ac1", 33.0 / 49)]
        for (name, value) in byHand {
            let got = Self.metric(agreement, "present", name) as? Double
            #expect(got.map { abs($0 - value) < 1e-12 } == true, "\(name): \(String(describing: got)) ≠ \(value)")
        }
        // Severity (ordinal, option order none<minor<moderate<severe<critical): pairable units
        // a (minor, moderate) and d (minor, severe): D_o = 17/4, D_e = 3 → alpha = −5/12.
        let severity = Self.metric(agreement, "severity", "krippendorff_alpha_ordinal") as? Double
        #expect(severity.map { abs($0 - (-5.0 / 12)) < 1e-12 } == true, "\(String(describing: severity))")
        // TTC (ratio): a (2.5, 3), d (4.0, 4): alpha = 43686/51967; "4.0" and "4" agree.
        let ttc = Self.metric(agreement, "ttc", "krippendorff_alpha_ratio") as? Double
        #expect(ttc.map { abs($0 - 43686.0 / 51967) < 1e-12 } == true, "\(String(describing: ttc))")
        let ttcInterval = Self.metric(agreement, "ttc", "krippendorff_alpha_interval") as? Double
        #expect(ttcInterval.map { abs($0 - 8.0 / 9) < 1e-12 } == true, "\(String(describing: ttcInterval))")
        #expect(Self.metric(agreement, "ttc", "percent_agreement") as? Double == 0.5)
        #expect(Self.metric(agreement, "ego-response", "krippendorff_alpha_ordinal") is NSNull)

        // --include-models adds m1: 3 raters, alpha = 1 − 11·9/82 = −17/82, p_a = 1/4.
        let withModels = try CLI.json(try project.ok(["agreement", "--batch", "b1", "--criterion", "present", "--include-models", "--format", "json"]))
        #expect(withModels["include_models"] as? Bool == true)
        #expect(Set(((withModels["criteria"] as? [String: Any]) ?? [:]).keys) == ["present"])
        let alphaAll = Self.metric(withModels, "present", "krippendorff_alpha_nominal") as? Double
        #expect(alphaAll.map { abs($0 - (-17.0 / 82)) < 1e-12 } == true, "\(String(describing: alphaAll))")
        #expect(Self.metric(withModels, "present", "percent_agreement") as? Double == 0.25)
        #expect(Self.metric(withModels, "present", "cohen_kappa") is NSNull)

        let text = try project.ok(["agreement", "--batch", "b1", "--criterion", "present"])
        #expect(text.hasPrefix("batch b1: rubric av-cut-in (\(short)), 4 items; model raters excluded\n\n"), "\(text)")
        #expect(text.contains("4 units · 2 raters · 8 ratings · 4 pairable units\n"), "\(text)")
        #expect(text.contains("3 categories: yes, no, unclear\n"), "\(text)")   // nominal: the rubric lists them, unordered
        #expect(try project.ok(["agreement", "--batch", "b1", "--criterion", "present", "--metric", "percent_agreement"]) == "present: 0.75\n")
        let byPair = try project.run(["agreement", "--batch", "b1", "--criterion", "present", "--by", "rater-pair"])
        #expect(byPair.status == 0 && byPair.stdout.contains("alice") && byPair.stdout.contains("bob"), "\(byPair.stderr)")
        r = try project.run(["agreement", "--batch", "b1", "--criterion", "notes"])
        #expect(r.status == 2)
        #expect(r.stderr == "concord: 'notes' is a text criterion: free notes are not part of agreement\n")
        r = try project.run(["agreement", "--batch", "b1", "--criterion", "speed"])
        #expect(r.status == 2)
        #expect(r.stderr == "concord: the rubric 'av-cut-in' has no criterion 'speed'; criteria: present, severity, ego-response, ttc, notes\n")
        r = try project.run(["agreement", "--batch", "b9"])
        #expect(r.status == 2)
        #expect(r.stderr == "concord: no batch named 'b9'; batches: b1, b2\n")

        // A new rubric version: a new hash; the batch keeps the version it was made with.
        let edited = dir + "/av-cut-in.yaml"
        try writeFile(edited, try String(contentsOfFile: rubricPath, encoding: .utf8)
            .replacingOccurrences(of: "title: AV cut-in assessment", with: "title: AV cut-in assessment (v2)"))
        let added = try project.ok(["rubric", "add", edited])
        #expect(added.hasPrefix("added rubric 'av-cut-in' version ") && !added.contains(hash), "\(added)")
        let hash2 = String(added.dropFirst("added rubric 'av-cut-in' version ".count).prefix(64))
        #expect(try project.ok(["status", "--batch", "b1"]).hasPrefix("batch b1: 4 items, rubric av-cut-in (\(short))\n"))
        #expect(try project.ok(["clip", "add", clip("e.mp4"), "--batch", "b3", "--rubric", "av-cut-in"])
                == "item 10: e.mp4 (already in the project; added to this batch)\nadded 1 clip to batch 'b3'\n")
        #expect(try project.ok(["status", "--batch", "b3"]).contains(", rubric av-cut-in (\(hash2.prefix(12)))\n"))
        #expect(exportedRows(try project.ok(["label", "export"])).allSatisfy { $0["rubric_hash"] == hash })

        // audit verify: one event per write that changed something.
        // init, rubric, 5 raters, 2 clip adds, 2 assigns, 2 imports, rubric v2, clip add b3.
        // Rows: rater 6, rater_role 6, rubric_version 2, clip 8, batch 3, batch_setting 1,
        // item 10, assignment 18, label 24.
        #expect(try project.ok(["audit", "verify"]).hasPrefix("audit log intact: 15 events, chain and 78 audited rows verified\nanchor "))
        #expect(try project.sql("SELECT \(kind.joined("action", separator: ",", orderBy: "seq")) FROM (SELECT seq, action FROM audit_event ORDER BY seq) AS events;")
                == "init,rubric.add,rater.add,rater.add,rater.add,rater.add,rater.add,clip.add,clip.add,assign,assign,label.import,label.import,rubric.add,clip.add\n")
    }

    /// `label export` writes a batch column, so importing an export as it is must work even
    /// when a clip is in two batches ("importing the same file twice adds nothing").
    @Test(arguments: StoreKind.available)
    func exportImportRoundTripWithAClipInTwoBatches(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        #expect(try project.ok(["clip", "add", try Standard.clip("a.mp4"), "--batch", "b2", "--rubric", "av-cut-in"])
                == "item 4: a.mp4 (already in the project; added to this batch)\nadded 1 clip to batch 'b2'\n")
        let exported = project.dir + "/export.csv"
        try project.ok(["label", "export", "--out", exported])
        let events = try project.auditEventCount()
        let result = try project.run(["label", "import", exported])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\(exported): 10 rows, all equal to the current labels; nothing imported\n")
        #expect(try project.auditEventCount() == events)
    }

    /// The project comes from --project, else $CONCORD_PROJECT, else ./concord.db. (A
    /// missing or foreign database on PostgreSQL: PostgresURITests.)
    @Test(arguments: StoreKind.available)
    func projectPathFromTheEnvironment(_ kind: StoreKind) throws {
        let project = try Standard.forReading(kind)
        defer { project.remove() }
        let viaEnv = try CLI.run(["status", "--format", "json"], environment: ["CONCORD_PROJECT": project.db])
        #expect(viaEnv.status == 0)
        #expect(viaEnv.stdout == (try project.ok(["status", "--format", "json"])))
        guard kind == .sqlite else { return }
        let missing = try CLI.run(["status", "--project", project.dir + "/none.db"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "concord: no project at \(project.dir)/none.db; create one with: concord init (or pass --project PATH)\n")
        try writeFile(project.dir + "/not.db", "just text\n")
        let notProject = try CLI.run(["status", "--project", project.dir + "/not.db"])
        #expect(notProject.status == 2)
        #expect(notProject.stderr.hasPrefix("concord: \(project.dir)/not.db "), "\(notProject.stderr)")
    }
}
