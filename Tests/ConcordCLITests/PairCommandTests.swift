import Foundation
import Testing

/// A pairwise batch as a new user makes one (docs/pairwise.md "Projects"): the shipped
/// video-preference rubric, clips tagged with their prompt and model, pairs from a CSV and
/// planned within groups, sides balanced per rater, and every bad input one line, exit 2,
/// nothing written — on both stores.
@Suite struct PairCommandTests {
    static let rubric = CLI.packageRoot.appendingPathComponent("rubrics/video-preference.yaml").path

    /// A project with the rubric, raters ann and ben, and clips m1–m4 in batch pv: m1 and m2
    /// made by the model old, m3 and m4 by new, all rendering the prompt cat.
    static func project(_ kind: StoreKind) throws -> Project {
        let project = try Project.create("pairs", kind: kind)
        #expect(try project.ok(["rubric", "add", rubric]).hasPrefix("added rubric 'video-preference' version "))
        try project.ok(["rater", "add", "ann", "--role", "rater"])
        try project.ok(["rater", "add", "ben", "--role", "rater"])
        for (i, source) in ["testsrc", "testsrc2", "smptebars", "rgbtestsrc"].enumerated() {
            try Clips.make(project.dir + "/m\(i + 1).mp4", source: source)
        }
        let old = try project.ok(["clip", "add", project.dir + "/m1.mp4", project.dir + "/m2.mp4", "--batch", "pv",
                                  "--rubric", "video-preference", "--group", "cat", "--system", "old"])
        #expect(old == "item 1: m1.mp4\nitem 2: m2.mp4\nadded 2 clips to batch 'pv'\ntagged 2 clips with group 'cat', system 'old'\n")
        let new = try project.ok(["clip", "add", project.dir + "/m3.mp4", project.dir + "/m4.mp4", "--batch", "pv",
                                  "--group", "cat", "--system", "new"])
        #expect(new == "item 3: m3.mp4\nitem 4: m4.mp4\nadded 2 clips to batch 'pv'\ntagged 2 clips with group 'cat', system 'new'\n")
        return project
    }

    @Test(arguments: StoreKind.available)
    func aNewUserAddsPairsAndPlansTheRestWithinTheGroup(kind: StoreKind) throws {
        let project = try Self.project(kind)
        defer { project.remove() }
        let pairs = project.dir + "/pairs.csv"
        try writeFile(pairs, "clip_a,clip_b,group\nm1.mp4,m3.mp4,cat\nm4.mp4,m2.mp4,\n")
        #expect(try project.ok(["pair", "add", "--batch", "pv", "--file", pairs])
                == "item 5: m1.mp4 vs m3.mp4\nitem 6: m4.mp4 vs m2.mp4\nadded 2 pairs to batch 'pv'\n")
        // The same pairs again, one of them the other way round: already in the batch.
        try writeFile(pairs, "clip_b,clip_a\nm1.mp4,m3.mp4\nm2.mp4,m4.mp4\n")
        #expect(try project.ok(["pair", "add", "--batch", "pv", "--file", pairs]) == "added 0 pairs to batch 'pv'; 2 pairs already in it\n")
        // Every pair of the group's four clips (six) to each rater: the two above and four more.
        #expect(try project.ok(["assign", "--batch", "pv", "--raters", "ann,ben", "--pairs", "all-within-group"])
                == "12 new assignments of 6 pairs in batch 'pv' (all-within-group)\n")
        #expect(try project.sql("SELECT count(*) FROM item_pair;").trimmingCharacters(in: .newlines) == "6")
        // Each rater sees clip a on the left in three of their six pairs.
        let sides = try project.sql("""
            SELECT r.name, s.left_clip, count(*) FROM assignment_side s JOIN assignment a ON a.id = s.assignment_id
            JOIN rater r ON r.id = a.rater_id GROUP BY r.name, s.left_clip ORDER BY r.name, s.left_clip;
            """)
        #expect(sides == "ann|a|3\nann|b|3\nben|a|3\nben|b|3\n")
        // The tags as given, the latest applying; the pool never assigned.
        #expect(try project.sql("SELECT count(*) FROM assignment a JOIN item_pair p ON p.item_id = a.item_id;") == "12\n")
        #expect(try project.sql("SELECT count(*) FROM assignment;") == "12\n")
        #expect(try project.ok(["audit", "verify"]).hasPrefix("audit log intact: "))
        // status counts the pairs raters work on, and the pool apart.
        let status = try project.ok(["status", "--batch", "pv"])
        #expect(status.hasPrefix("batch pv: 6 pairs of 4 clips, rubric video-preference ("), "\(status)")
        let json = try JSONSerialization.jsonObject(with: Data(try project.ok(["status", "--batch", "pv", "--format", "json"]).utf8))
        let batch = (json as? [[String: Any]])?.first
        #expect(batch?["items"] as? Int == 6 && batch?["pool"] as? Int == 4, "\(String(describing: batch))")
        // Agreement's units are the six pairs, not the pool's clips as well.
        let agreement = try JSONSerialization.jsonObject(with: Data(try project.ok(["agreement", "--batch", "pv", "--format", "json"]).utf8)) as? [String: Any]
        #expect(agreement?["items"] as? Int == 6)
        #expect(((agreement?["criteria"] as? [String: Any])?["motion"] as? [String: Any])?["units"] as? Int == 6)
        // Nothing answered yet: the export is its header, without the pair columns.
        #expect(try project.ok(["label", "export"])
                == "clip,rater,criterion,value,frame,submitted_at,batch,item,rubric_hash,revision,pts,dwell_ms,watched,display,display_size,colors,speeds,confidence,sample\n")
    }

    @Test(arguments: StoreKind.available)
    func badInputIsOneLineExitTwoAndNothingWritten(kind: StoreKind) throws {
        let project = try Self.project(kind)
        defer { project.remove() }
        try project.ok(["rubric", "add", Standard.rubric])
        try project.ok(["clip", "add", project.dir + "/m1.mp4", "--batch", "single", "--rubric", "av-cut-in"])
        let before = try project.snapshot()
        let file = project.dir + "/pairs.csv"
        func refused(_ csv: String?, _ arguments: [String], _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            if let csv { try writeFile(file, csv) }
            let result = try project.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stdout)", sourceLocation: sourceLocation)
            #expect(result.stderr == "concord: \(message.replacingOccurrences(of: "$F", with: file))\n", sourceLocation: sourceLocation)
            #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        }
        let add = ["pair", "add", "--batch", "pv", "--file", file]
        try refused("clip_a,clip_b\nm1.mp4,m2.mp4\nm1.mp4,zz.mp4\n", add,
                    "$F:3: no clip named 'zz.mp4' in the project; add it first with: concord clip add FILE --batch pv; nothing was added")
        try refused("clip_a,clip_b\nm2.mp4,m2.mp4\n", add,
                    "$F:2: the clip 'm2.mp4' is paired with itself; a pair needs two different clips; nothing was added")
        try refused("clip_a,clip_b\nm1.mp4,m2.mp4\nm3.mp4,m4.mp4\nm2.mp4,m1.mp4\n", add,
                    "$F:4: the pair 'm2.mp4', 'm1.mp4' again (first at $F:2); list each pair once, in either order; nothing was added")
        try refused("a,b\nm1.mp4,m2.mp4\n", add,
                    "$F:1: the header lacks clip_a and clip_b; the first row must name the columns clip_a,clip_b (and optionally group)")
        try refused("clip_a,clip_b\nm1.mp4,\n", add, "$F:2: clip_b is empty; every row names the two clips of a pair")
        try refused("", add, "$F: empty file; give a CSV with the header clip_a,clip_b[,group] and one pair per row")
        try refused("clip_a,clip_b\n", add, "$F: no pairs after the header; add rows clip_a,clip_b[,group]")
        try refused("clip_a,clip_b\nm1.mp4,m2.mp4\n", ["pair", "add", "--batch", "single", "--file", file],
                    "batch 'single' rates one clip at a time (its rubric 'av-cut-in' has no pairwise criterion); put pairs in a batch whose rubric has a criterion of type: pairwise")
        try refused(nil, ["clip", "add", project.dir + "/m1.mp4", "--batch", "other", "--rubric", "video-preference", "--group", ""],
                    "--group is empty; give a name or leave it out")
        try refused(nil, ["assign", "--batch", "pv", "--raters", "ann", "--pairs", "everything"],
                    "unknown --pairs 'everything'; choose from: all-within-group, adaptive")
        try refused(nil, ["assign", "--batch", "pv", "--raters", "ann", "--pairs", "all-within-group", "--per-rater", "3"],
                    "--per-rater goes with --pairs adaptive; all-within-group gives every pair of each group")
        try refused(nil, ["assign", "--batch", "pv", "--pairs", "all-within-group"], "--pairs needs --raters a,b,c: who gets the pairs")
        try refused(nil, ["assign", "--batch", "pv", "--raters", "ann", "--pairs", "adaptive", "--overlap", "1"],
                    "--pairs plans pairs itself; it does not take --overlap")
        try refused(nil, ["assign", "--batch", "pv", "--raters", "ann", "--overlap", "1"],
                    "batch 'pv' has no pairs yet; add them with: concord pair add --batch pv --file pairs.csv, or plan them with: concord assign --batch pv --raters a,b --pairs all-within-group")
        #expect(try project.snapshot() == before)
    }
}
