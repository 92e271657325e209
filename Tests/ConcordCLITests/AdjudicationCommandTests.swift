import Foundation
import Testing

/// `concord queue`, `resolve`, `send-back`, `gold add`, `golden export`, `assign
/// --gold-rate` and `agreement --by gold`, as a lead runs them; and what raters may not do.
/// The standard project's only human disagreement: a.mp4 present (alice yes, bob no, lena yes).
@Suite struct AdjudicationCommandTests {
    @Test(arguments: StoreKind.available)
    func queueResolveAndTheGoldenSet(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        let queue = try project.ok(["queue", "--format", "json"], as: "lena")
        #expect(queue.contains(#""clip": "a.mp4", "criterion": "present", "scale": "nominal", "votes": [{"rater": "alice", "value": "yes"}, {"rater": "bob", "value": "no"}, {"rater": "lena", "value": "yes"}]"#))
        #expect(queue.components(separatedBy: "\"item\":").count == 2)   // one entry
        let text = try project.ok(["queue"], as: "lena")
        #expect(text.hasPrefix("batch b1: 1 entry awaiting a decision\n"))
        #expect(text.contains("alice=yes bob=no lena=yes"))

        let before = try project.ok(["golden", "export"], as: "lena")
        #expect(before == (try project.ok(["golden", "export"], as: "lena")))   // stable
        #expect(!before.contains("\"source\":\"adjudicated\""))
        #expect(try project.ok(["resolve", "a.mp4", "--criterion", "present", "--value", "yes", "--reason", "rater_error",
                                "--note", "bob missed the cut-in"], as: "lena")
                == "item 1 present: resolved as 'yes' (rater_error)\n")
        #expect(try project.lastEvent() == "lena|decision.resolve")
        #expect(try project.ok(["queue"], as: "lena")
                == "batch b1: the adjudication queue is empty (no disagreeing or flagged item awaits a decision)\n")
        let after = try project.ok(["golden", "export"], as: "lena")
        let header = try #require(after.split(separator: "\n").first)
        #expect(header != before.split(separator: "\n").first)   // a new version
        #expect(after.contains(#"{"adjudicator":"lena","clip":"a.mp4","#))
        #expect(after.contains(#""criterion":"present","item":1,"rationale":"bob missed the cut-in","reason":"rater_error","#))
        // The header's version is the SHA-256 of the lines after it.
        let body = after.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
        try writeFile(project.dir + "/golden-body.jsonl", body)
        #expect(header.contains("\"version\":\"\(try Tool.sha256(project.dir + "/golden-body.jsonl"))\""))
        let csv = try project.ok(["golden", "export", "--format", "csv"], as: "lena")
        #expect(csv.hasPrefix("golden_version,item,clip,clip_sha256,criterion,value,source,votes,adjudicator,reason,rationale,rubric_hash\n"))
        #expect(csv.contains(",1,a.mp4,"))
        #expect(csv.contains(",present,yes,adjudicated,alice=yes;bob=no;lena=yes,lena,rater_error,bob missed the cut-in,"))
    }

    @Test(arguments: StoreKind.available)
    func badDecisionsAreRefusedAndChangeNothing(_ kind: StoreKind) throws {
        let project = try Standard.forReading(kind)
        let before = try project.snapshot()
        for (args, message) in [
            (["resolve", "a.mp4", "--criterion", "colour", "--value", "red", "--reason", "other"],
             "concord: the rubric 'av-cut-in' has no criterion 'colour'; criteria: present, severity, ego-response, ttc, notes\n"),
            (["resolve", "a.mp4", "--criterion", "present", "--value", "maybe", "--reason", "other"],
             "concord: present: expected one of yes, no, unclear; found 'maybe'\n"),
            (["resolve", "a.mp4", "--criterion", "notes", "--value", "x", "--reason", "other"],
             "concord: 'notes' is a text criterion: notes are not resolved\n"),
            (["resolve", "zz.mp4", "--criterion", "present", "--value", "yes", "--reason", "other"],
             "concord: no item with the clip 'zz.mp4'\n"),
            (["resolve", "99", "--criterion", "present", "--value", "yes", "--reason", "other"],
             "concord: no item 99; concord queue and concord label export print item numbers\n"),
            (["send-back", "a.mp4", "--raters", "aud"],
             "concord: item 1 is not assigned to aud; send it back only to raters who had it\n"),
            (["gold", "add", "a.mp4", "--criterion", "present", "--value", "perhaps"],
             "concord: present: expected one of yes, no, unclear; found 'perhaps'\n"),
        ] {
            let result = try project.run(args, as: "lena")
            #expect(result.status == 2, "\(args)")
            #expect(concordMessage(result.stderr) == message, "\(args)")
        }
        let badReason = try project.run(["resolve", "a.mp4", "--criterion", "present", "--value", "yes", "--reason", "because"], as: "lena")
        #expect(badReason.status == 2 && badReason.stderr.contains("because"))
        #expect(try project.snapshot() == before)
    }

    @Test(arguments: StoreKind.available)
    func ratersAuditorsAndModelsCanUseNoneOfIt(_ kind: StoreKind) throws {
        let project = try Standard.forReading(kind)
        let before = try project.snapshot()
        let commands: [[String]] = [
            ["queue"], ["queue", "--format", "json"],
            ["resolve", "a.mp4", "--criterion", "present", "--value", "yes", "--reason", "other"],
            ["send-back", "a.mp4", "--raters", "bob"],
            ["gold", "add", "a.mp4", "--criterion", "present", "--value", "yes"],
            ["golden", "export"], ["agreement", "--batch", "b1", "--by", "gold"], ["adjudicate"],
        ]
        for who in ["alice", "aud", "m1"] {
            // Gold accuracy is an aggregate: auditors read it (issue 8's reports need it).
            for args in commands where !(who == "aud" && args.contains("gold") && args.first == "agreement") {
                let result = try project.run(args, as: who)
                #expect(result.status == 2, "\(who) \(args)")
                #expect(result.stdout.isEmpty, "\(who) \(args) printed \(result.stdout)")
                #expect(concordMessage(result.stderr).hasPrefix("concord: \(who) is \(withArticle(["alice": "rater", "aud": "auditor", "m1": "model"][who]!)) and cannot "),
                        "\(who) \(args): \(result.stderr)")
            }
        }
        #expect(try project.snapshot() == before)
    }

    @Test(arguments: StoreKind.available)
    func goldAnswersGoldRateAndAccuracy(_ kind: StoreKind) throws {
        let project = try Project.create("gold", kind: kind)
        try project.ok(["rubric", "add", Standard.rubric])
        for name in ["alice", "bob"] { try project.ok(["rater", "add", name, "--role", "rater"]) }
        for clip in ["a.mp4", "b.mp4", "c.mp4", "d.mp4"] { try writeFile(project.dir + "/" + clip, try Data(contentsOf: URL(fileURLWithPath: try Standard.clip(clip)))) }
        try project.ok(["clip", "add"] + ["a.mp4", "b.mp4", "c.mp4", "d.mp4"].map { project.dir + "/" + $0 } + ["--batch", "g", "--rubric", "av-cut-in"])
        #expect(try project.ok(["gold", "add", "a.mp4", "--criterion", "present", "--value", "yes"]) == "item 1 present: gold answer 'yes'\n")
        // Overlap 1: alice a, c; bob b, d. At a gold rate of 0.5 bob gets the gold item a too.
        #expect(try project.ok(["assign", "--raters", "alice,bob", "--overlap", "1", "--gold-rate", "0.5", "--gold-threshold", "0.75"])
                == "batch 'g': gold accuracy below 0.75 is flagged\n5 new assignments in batch 'g'\n")
        let status = try project.ok(["status", "--format", "json"])
        #expect(status.contains(#""rater": "alice", "role": "rater", "assigned": 2"#))
        #expect(status.contains(#""rater": "bob", "role": "rater", "assigned": 3"#))
        let labels = project.dir + "/l.csv"
        try writeFile(labels, "clip,rater,criterion,value\na.mp4,alice,present,yes\na.mp4,bob,present,no\nb.mp4,bob,present,no\n")
        try project.ok(["label", "import", labels])
        let json = try project.ok(["agreement", "--batch", "g", "--by", "gold", "--format", "json"])
        #expect(json.contains(#"{"rater": "alice", "role": "rater", "answered": 1, "correct": 1, "accuracy": 1.0"#))
        #expect(json.contains(#"{"rater": "bob", "role": "rater", "answered": 1, "correct": 0, "accuracy": 0.0"#))
        #expect(json.contains(#""drift": null, "flagged": true}"#))
        let text = try project.ok(["agreement", "--batch", "g", "--by", "gold"])
        #expect(text.contains("⚑ below threshold"))
        let missing = try project.run(["assign", "--raters", "alice", "--gold-rate", "0.2", "--batch", "g"])
        #expect(missing.status == 0)   // gold exists now: fine
    }
}
