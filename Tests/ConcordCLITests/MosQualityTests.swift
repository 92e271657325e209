import Foundation
import Testing

/// `--reject quality` on `concord mos --batch` and `concord gate`: the raters a quality rule
/// flags (docs/quality-rules.md) are left out before scoring and listed as rejected with the
/// rule. MosBatchTests' batch g1 plus temporal-consistency where alice gives every clip 3
/// (straight-lining once three scores are enough to judge), bob 2, 4, 5 and lena 1, 3, 4.
@Suite struct MosQualityTests {
    static func project() throws -> Project {
        let project = try MosBatchTests.project(.sqlite)
        try writeFile(project.dir + "/flat.csv", """
            clip,rater,criterion,value
            a.mp4,alice,temporal-consistency,3
            b.mp4,alice,temporal-consistency,3
            c.mp4,alice,temporal-consistency,3
            a.mp4,bob,temporal-consistency,2
            b.mp4,bob,temporal-consistency,4
            c.mp4,bob,temporal-consistency,5
            a.mp4,lena,temporal-consistency,1
            b.mp4,lena,temporal-consistency,3
            c.mp4,lena,temporal-consistency,4

            """)
        try project.ok(["label", "import", project.dir + "/flat.csv"])
        return project
    }

    static let temporal = ["--batch", "g1", "--criterion", "temporal-consistency"]
    static let rule = ["--reject", "quality", "--straight-lining-min-scores", "3"]

    static func scores(_ json: String) throws -> [String: Any] {
        try #require((try CLI.json(json)["criteria"] as? [String: Any])?["temporal-consistency"] as? [String: Any])
    }

    @Test func aStraightLinerIsLeftOutAndListedWithTheRule() throws {
        let project = try Self.project()
        let kept = try Self.scores(try project.ok(["mos"] + Self.temporal + Self.rule + ["--method", "mos", "--format", "json"]))
        let units = try #require(kept["units"] as? [[String: Any]])
        for (unit, ratings) in zip(units, [[2.0, 1], [4, 3], [5, 4]]) {
            #expect(abs((unit["score"] as? Double ?? .nan) - MosCommandTests.handMOS(ratings).score) < 1e-12, "\(unit)")
            #expect(unit["n"] as? Int == 2)
        }
        let raters = try #require(kept["raters"] as? [[String: Any]])
        #expect(raters.map { $0["rater"] as? String } == ["bob", "lena", "alice"])
        #expect(raters[2]["rejected"] as? Bool == true && raters[2]["reason"] as? String == "quality: straight-lining")
        #expect(raters[0]["rejected"] as? Bool == false && raters[0]["reason"] == nil)
        // Without the rule alice counts: a is 3, 2, 1.
        let all = try Self.scores(try project.ok(["mos"] + Self.temporal + ["--method", "mos", "--format", "json"]))
        #expect((all["units"] as? [[String: Any]])?.first?["score"] as? Double == 2)
        // Text and CSV say the same.
        let text = try project.ok(["mos"] + Self.temporal + Self.rule + ["--method", "mos"])
        #expect(text.contains("concord mos: batch g1 · temporal-consistency (ordinal) after quality rules · mos (mean opinion score)\n"
                              + "3 units · 3 raters · 6 ratings · 1 rater rejected\n"))
        #expect(text.contains("\nalice  rejected: quality: straight-lining\n"))
        let csv = try project.ok(["mos"] + Self.temporal + Self.rule + ["--method", "mos", "--format", "csv", "--raters"])
        #expect(csv.hasSuffix("\ntemporal-consistency,alice,,,,,,,true,quality: straight-lining\n"))
    }

    @Test func theGateCountsThemAsRejected() throws {
        let project = try Self.project()
        let gate = try project.run(["gate"] + Self.temporal + Self.rule + ["--max-rejected-raters", "0"], as: "aud")
        #expect(gate.status == 1)
        #expect(gate.stdout.contains("\nFAIL  temporal-consistency  rejected_raters  1 > 0  p910 after quality rules; rejected of 3 raters: 'alice'\n"))
        let within = try project.run(["gate"] + Self.temporal + Self.rule + ["--max-rejected-raters", "1"], as: "aud")
        #expect(within.status == 0, "\(within.stdout)\(within.stderr)")
    }

    @Test func theRuleNeedsABatchAndItsThresholdsTheRule() throws {
        let project = try Self.project()
        let file = try CLI.temporaryFile(MosCommandTests.small)
        for arguments in [["mos", file, "--method", "mos", "--reject", "quality"],
                          ["mos", "--batch", "g1", "--method", "mos", "--straight-lining-min-scores", "3"],
                          ["mos", "--batch", "g1", "--method", "mos", "--reject", "everything"],
                          ["gate", "--batch", "g1", "--min-alpha", "0.5", "--reject", "quality"]] {
            let result = try project.run(arguments)
            #expect(result.status == 2 && result.stdout.isEmpty, "\(arguments)")
        }
        let noBatch = try CLI.run(["mos", file, "--method", "mos", "--reject", "quality"])
        #expect(noBatch.stderr.hasPrefix("concord: --reject quality applies to --batch: the quality rules read what the workbench recorded\n"))
        let bad = try project.run(["mos", "--batch", "g1", "--method", "mos", "--reject", "quality", "--outlier-z", "0"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "concord: --outlier-z takes a positive |z|; got 0\n")
    }
}
