import Foundation
import Testing

/// A batch rated on a 1–5 ACR scale by six raters, with the numbers hand-worked in
/// docs/quality-rules.md's terms: r1's 1 on s0000.mp4 is an outlier (the others 4, 4, 5, 5,
/// 3: mean 4.2, SD √0.7, z = −3.2/0.83666 = −3.8247), r6 gives every clip a 3
/// (straight-lining), the model m1's 1 is left out; s0005.mp4 has one rating (pooled SD).
enum QualityProject {
    static let rubric = """
    name: acr
    criteria:
      - id: quality
        question: Overall quality?
        scale: ordinal
        options: ["1", "2", "3", "4", "5"]
      - id: mos
        question: Quality from 0 to 100?
        scale: interval
        range: [0, 100]
        required: false
      - id: kind
        question: Kind of clip?
        scale: nominal
        options: [a, b]
        required: false
    """

    /// Scores by clip, for raters r1…r6 (s0005.mp4: r1 only).
    static let scores: [[Int]] = [[1, 4, 4, 5, 5, 3], [2, 3, 2, 3, 2, 3], [4, 5, 4, 4, 5, 3], [3, 3, 4, 2, 3, 3], [5, 4, 5, 4, 4, 3], [2]]

    /// The project; r7 and r8 assigned every other clip (r7: s0000, s0002, s0004).
    static func make(_ kind: StoreKind) throws -> Project {
        let project = try Project.create("quality", kind: kind)
        try writeFile(project.dir + "/acr.yaml", rubric)
        try project.ok(["rubric", "add", project.dir + "/acr.yaml"])
        for r in 1...9 { try project.ok(["rater", "add", "r\(r)", "--role", "rater"]) }
        try project.ok(["rater", "add", "m1", "--role", "model"])
        try project.ok(["rater", "add", "aud", "--role", "auditor"])
        let clips = try Clips.many(6, in: project.dir)
        try project.ok(["clip", "add"] + clips + ["--batch", "b", "--rubric", "acr"])
        var csv = "clip,rater,criterion,value\n"
        for (c, row) in scores.enumerated() {
            for (r, score) in row.enumerated() { csv += "\(Clips.name(of: c)),r\(r + 1),quality,\(score)\n" }
        }
        csv += "s0000.mp4,m1,quality,1\ns0000.mp4,r1,mos,50\n"
        try writeFile(project.dir + "/labels.csv", csv)
        try project.ok(["label", "import", project.dir + "/labels.csv"])
        try project.ok(["assign", "--batch", "b", "--raters", "r7,r8", "--overlap", "1"])
        return project
    }

    /// A refusal: exit 2, one line on standard error containing `words`, nothing on standard
    /// output, and no audit event written.
    static func refused(_ project: Project, _ arguments: [String], as actor: String? = nil, _ words: String,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try project.auditEventCount()
        let result = try project.run(arguments, as: actor)
        #expect(result.status == 2, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(arguments): \(result.stdout)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("concord: ") && result.stderr.contains(words),
                "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(try project.auditEventCount() == before, sourceLocation: sourceLocation)
    }
}

/// `concord status --batch B` lists each rater's quality-rule violations, and with
/// `--target-ci W` the ratings each clip still needs (docs/quality-rules.md).
@Suite struct StatusQualityTests {
    @Test(arguments: StoreKind.available)
    func violationsPerRaterInTextAndJSON(_ kind: StoreKind) throws {
        let project = try QualityProject.make(kind)
        defer { project.remove() }
        let text = try project.ok(["status", "--batch", "b"])
        #expect(text.contains("quality rules on quality (watched ≥ 100% of each clip; time ≤ 3× the clip; straight-lining: variance ≤ 0 over ≥ 5 scores; outliers: |z| ≥ 3.29 against ≥ 2 other ratings):"))
        #expect(text.contains("  r1 · outlier: s0000.mp4 score 1 against 4.20 ± 0.84 (z = -3.82)\n"))
        #expect(text.contains("  r6 · straight-lining: 5 scores, all 3\n"))
        let rules = try #require(text.components(separatedBy: "quality rules on quality").last)
        #expect(!rules.contains("m1"))                 // a model's numbers are not the crowd's
        let rows = text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        // rater, scores, then the four rules' counts (their titles hold spaces: read from the right).
        #expect(rows.contains { $0.first == "r1" && $0.suffix(5) == ["6", "0", "0", "0", "1"] })
        #expect(rows.contains { $0.first == "r6" && $0.suffix(5) == ["5", "0", "0", "1", "0"] })
        #expect(text.contains("quality rules on mos ("))
        // The thresholds are flags: |z| ≥ 3.9 lets r1's −3.82 pass.
        #expect(!(try project.ok(["status", "--batch", "b", "--criterion", "quality", "--outlier-z", "3.9"])).contains("r1 · outlier"))

        let json = try #require(try JSONSerialization.jsonObject(with: Data(project.ok(["status", "--batch", "b", "--format", "json"]).utf8)) as? [[String: Any]])
        let quality = try #require(json.first?["quality"] as? [[String: Any]])
        #expect(quality.map { $0["criterion"] as? String } == ["quality", "mos"])
        let raters = try #require(quality[0]["raters"] as? [[String: Any]])
        #expect(raters.map { $0["rater"] as? String } == ["r1", "r2", "r3", "r4", "r5", "r6"])
        let r1 = try #require(raters[0]["violations"] as? [[String: Any]])
        #expect(r1.count == 1 && r1[0]["rule"] as? String == "outlier" && r1[0]["clip"] as? String == "s0000.mp4")
        #expect(abs((r1[0]["value"] as? Double ?? 0) - (-3.2 / 0.7.squareRoot())) < 1e-9)
        #expect((raters[5]["counts"] as? [String: Int]) == ["watched_to_end": 0, "viewing_time": 0, "straight_lining": 1, "outlier": 0])
        // Without --batch the JSON is as before: no quality.
        let all = try #require(try JSONSerialization.jsonObject(with: Data(project.ok(["status", "--format", "json"]).utf8)) as? [[String: Any]])
        #expect(all.first?["quality"] == nil)
    }

    @Test(arguments: StoreKind.available)
    func ratingsStillNeededPerClip(_ kind: StoreKind) throws {
        let project = try QualityProject.make(kind)
        defer { project.remove() }
        // s² per clip: 2.26667, 0.3, 0.56667, 0.4, 0.56667; pooled (11.3333 + 1.5 + 2.8333 + 2 + 2.8333)/25 = 0.82.
        // n* = ⌈3.8414432·s²/W²⌉ at W = 1: 9, 2, 3, 2, 3, and 4 from the pooled SD.
        let text = try project.ok(["status", "--batch", "b", "--target-ci", "1", "--criterion", "quality"])
        #expect(text.contains("ratings needed on quality for a 95% interval of ±1 (half-width 1.95996·s/√n); the batch's pooled SD is 0.906:"))
        let rows = text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        let planned = rows.filter { $0.first?.hasPrefix("s000") == true && $0.count == 6 }
        #expect(planned.map { $0[0] } == (0..<6).map(Clips.name(of:)))
        #expect(planned.map { $0[4] } == ["9", "2", "3", "2", "3", "4"])
        #expect(planned.map { $0[5] } == ["3", "0", "0", "0", "0", "3"])
        #expect(planned[5][2] == "0.906*" && planned[5][3] == "1.775")      // 1.95996·0.90554/√1
        #expect(text.contains("total still needed: 6 in 2 clips\n"))
        #expect(text.contains("* the batch's pooled SD: the clip has fewer than 2 ratings of its own"))

        let json = try #require(try JSONSerialization.jsonObject(with: Data(project.ok(["status", "--batch", "b", "--target-ci", "0.5", "--criterion", "quality", "--format", "json"]).utf8)) as? [[String: Any]])
        let plan = try #require(json.first?["ratings_needed"] as? [String: Any])
        #expect(plan["criterion"] as? String == "quality" && plan["half_width"] as? Double == 0.5 && plan["total_needed"] as? Int == 48)
        #expect(abs((plan["pooled_sd"] as? Double ?? 0) - 0.82.squareRoot()) < 1e-12)
        let clips = try #require(plan["clips"] as? [[String: Any]])
        // At W = 0.5 four times as many: 35, 5, 9, 7, 9 and ⌈12.6⌉ = 13.
        #expect(clips.map { $0["target"] as? Int } == [35, 5, 9, 7, 9, 13])
        #expect(clips.map { $0["needed"] as? Int } == [29, 0, 3, 1, 3, 12])
        #expect(clips.map { $0["pooled"] as? Bool } == [false, false, false, false, false, true])
    }

    @Test(arguments: StoreKind.available)
    func badInputIsOneLineAndExit2(_ kind: StoreKind) throws {
        let project = try QualityProject.make(kind)
        defer { project.remove() }
        let refused = { (arguments: [String], words: String) in try QualityProject.refused(project, arguments, words) }
        try refused(["status", "--batch", "b", "--target-ci", "0", "--criterion", "quality"],
                    "--target-ci must be a positive half-width in the criterion's units; got 0")
        try refused(["status", "--batch", "b", "--target-ci=-1"], "--target-ci must be a positive half-width")
        try refused(["status", "--target-ci", "1"], "--target-ci needs --batch B")
        try refused(["status", "--criterion", "quality"], "--criterion needs --batch B")
        try refused(["status", "--batch", "nope"], "no batch named 'nope'; batches: b")
        try refused(["status", "--batch", "b", "--target-ci", "1"],
                    "the rubric 'acr' has several scored criteria; choose one with --criterion (scored criteria: quality, mos)")
        try refused(["status", "--batch", "b", "--criterion", "kind"], "'kind' is a nominal criterion")
        try refused(["status", "--batch", "b", "--criterion", "nope"], "the rubric 'acr' has no criterion 'nope'; scored criteria: quality, mos")
        try refused(["status", "--batch", "b", "--outlier-z", "0"], "--outlier-z takes a positive |z|; got 0")
        try refused(["status", "--batch", "b", "--min-watched-share", "1.5"], "--min-watched-share takes a share from 0 to 1; got 1.5")
        try refused(["status", "--batch", "b", "--straight-lining-min-scores", "1"], "--straight-lining-min-scores takes a count of at least 2")
        try refused(["status", "--batch", "b", "--max-viewing-factor", "0"], "--max-viewing-factor takes a positive factor; got 0")
        try refused(["status", "--batch", "b", "--straight-lining-variance=-0.5"], "--straight-lining-variance takes a variance of 0 or more; got -0.5")
        try refused(["status", "--batch", "b", "--outlier-min-others", "1"], "--outlier-min-others takes a count of at least 2 (an SD needs two ratings); got 1")
        try refused(["status", "--batch", "b", "--target-ci", "1", "--criterion", "mos"],
                    "batch 'b', mos: no clip has two ratings yet, so there is no spread to plan from")
        // A rater's status is their own progress: the rules (others' behaviour) are left out,
        // and asked for explicitly they are refused.
        let own = try project.ok(["status", "--batch", "b"], as: "r2")
        #expect(own.contains("r2") && !own.contains("quality rules") && !own.contains("r1"))
        try QualityProject.refused(project, ["status", "--batch", "b", "--target-ci", "1", "--criterion", "quality"], as: "r2",
                                   "r2 is a rater and cannot read agreement and progress of the whole project")
    }
}

/// An auditor reads the rules' results and the plan with items by number, never a clip name
/// (docs/security.md: auditors see aggregates, no clip name).
@Suite struct StatusQualityAuditorTests {
    @Test func anAuditorSeesItemNumbersNotClipNames() throws {
        let project = try QualityProject.make(.sqlite)
        defer { project.remove() }
        let lead = try project.ok(["status", "--batch", "b", "--criterion", "quality", "--target-ci", "0.5"])
        #expect(lead.contains("r1 · outlier: s0000.mp4 score 1"))
        let audit = try project.ok(["status", "--batch", "b", "--criterion", "quality", "--target-ci", "0.5"], as: "aud")
        #expect(audit.contains("r1 · outlier: 1 score 1 against 4.20 ± 0.84 (z = -3.82)"), "\(audit)")
        #expect(!audit.contains(".mp4"), "\(audit)")
        let json = try project.ok(["status", "--batch", "b", "--criterion", "quality", "--target-ci", "0.5", "--format", "json"], as: "aud")
        #expect(!json.contains(".mp4") && json.contains("\"clip\": \"1\""), "\(json)")
    }
}
