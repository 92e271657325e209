import Foundation
import Testing

/// `concord mos --batch B`: a project's current labels on its ordinal and numeric criteria,
/// through the Store API (so on SQLite and PostgreSQL alike); models left out unless asked;
/// nominal criteria refused; undefined criteria said why.
@Suite struct MosBatchTests {
    /// A project on the 1–5 ACR rubric (genvideo-quality, every criterion ordinal "1"…"5"),
    /// the standard project's raters, clips a, b, c in batch g1:
    /// prompt-adherence: a 2, 3, 4; b 1, 2; c 4, 5, 5 (alice, bob, lena), and the model m1's 5 on a;
    /// realism: only alice; artifacts and temporal-consistency: nobody.
    static let labels = """
        clip,rater,criterion,value
        a.mp4,alice,prompt-adherence,2
        a.mp4,bob,prompt-adherence,3
        a.mp4,lena,prompt-adherence,4
        b.mp4,alice,prompt-adherence,1
        b.mp4,bob,prompt-adherence,2
        c.mp4,alice,prompt-adherence,4
        c.mp4,bob,prompt-adherence,5
        c.mp4,lena,prompt-adherence,5
        a.mp4,m1,prompt-adherence,5
        a.mp4,alice,realism,3
        b.mp4,alice,realism,4

        """
    static let expected: [[Double]] = [[2, 3, 4], [1, 2], [4, 5, 5]]

    static func template() throws -> Project {
        // The standard template's clips, made outside this build (the cache's lock is not re-entrant).
        let standard = try Standard.template()
        return try TemplateCache.shared.project("mos-acr") {
            let project = try Project.create("mos-acr")
            try project.ok(["rubric", "add", CLI.packageRoot.appendingPathComponent("rubrics/genvideo-quality.yaml").path])
            for (name, role) in Standard.raters { try project.ok(["rater", "add", name, "--role", role]) }
            try project.ok(["clip", "add", standard.dir + "/a.mp4", standard.dir + "/b.mp4", standard.dir + "/c.mp4",
                            "--batch", "g1", "--rubric", "genvideo-quality"])
            try project.ok(["assign", "--batch", "g1", "--raters", "alice,bob,lena"])
            try writeFile(project.dir + "/labels.csv", labels)
            try project.ok(["label", "import", project.dir + "/labels.csv"])
            return project
        }
    }

    static func project(_ kind: StoreKind) throws -> Project {
        let template = try template()
        guard kind == .postgres else { return try template.copy() }
        let source = try TemplateCache.shared.project("mos-acr-migration-source") { try template.copy("migration-source") }
        return try Standard.migrated(from: source)
    }

    static func criteria(_ json: String) throws -> [String: [String: Any]] {
        let root = try CLI.json(json)
        #expect(root["batch"] as? String == "g1")
        return try #require(root["criteria"] as? [String: [String: Any]])
    }

    @Test(arguments: StoreKind.available)
    func everyOrdinalCriterionIsScoredFromItsOptionValues(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        let criteria = try Self.criteria(try project.ok(["mos", "--batch", "g1", "--method", "mos", "--format", "json"], as: "lena"))
        // notes is text (left out); realism has one rater; the other two no label yet.
        #expect(Set(criteria.keys) == ["prompt-adherence", "temporal-consistency", "artifacts", "realism"])
        #expect(criteria["artifacts"]?["undefined"] as? String == "no rater has labelled artifacts yet")
        #expect(criteria["realism"]?["undefined"] as? String == "needs ratings from at least 2 raters; only 'alice' has labelled realism")
        let prompt = try #require(criteria["prompt-adherence"])
        let units = try #require(prompt["units"] as? [[String: Any]])
        #expect(units.compactMap { ($0["unit"] as? String)?.split(separator: ":").last.map(String.init) } == ["a.mp4", "b.mp4", "c.mp4"])
        for (unit, ratings) in zip(units, Self.expected) {
            let hand = MosCommandTests.handMOS(ratings)
            #expect(abs((unit["score"] as? Double ?? .nan) - hand.score) < 1e-12, "\(unit)")
            let ci = try #require(unit["ci95"] as? [Double])
            #expect(abs(ci[0] - hand.low) < 1e-12 && abs(ci[1] - hand.high) < 1e-12)
            #expect(unit["n"] as? Int == ratings.count)
        }
        // Raters in the project's order; the model m1 is not among them.
        #expect((prompt["raters"] as? [[String: Any]])?.map { $0["rater"] as? String } == ["alice", "bob", "lena"])
        // An auditor reads the same numbers, the clips by item number alone (docs/security.md).
        let audited = try Self.criteria(try project.ok(["mos", "--batch", "g1", "--method", "mos", "--format", "json"], as: "aud"))
        let auditorUnits = try #require(audited["prompt-adherence"]?["units"] as? [[String: Any]])
        #expect(auditorUnits.map { $0["unit"] as? String } == units.map { ($0["unit"] as? String)?.split(separator: ":").first.map(String.init) })
        #expect(auditorUnits.map { $0["score"] as? Double } == units.map { $0["score"] as? Double })
        #expect(!(try project.ok(["mos", "--batch", "g1", "--method", "mos"], as: "aud")).contains(".mp4"))
    }

    @Test func modelsCountOnlyWhenAsked() throws {
        let project = try Self.project(.sqlite)
        let json = try project.ok(["mos", "--batch", "g1", "--criterion", "prompt-adherence", "--method", "mos", "--format", "json", "--include-models"])
        let prompt = try #require(try Self.criteria(json)["prompt-adherence"])
        let a = try #require((prompt["units"] as? [[String: Any]])?.first)
        #expect(abs((a["score"] as? Double ?? .nan) - MosCommandTests.handMOS([2, 3, 4, 5]).score) < 1e-12)
        #expect(a["n"] as? Int == 4)
        #expect((prompt["raters"] as? [[String: Any]])?.map { $0["rater"] as? String } == ["alice", "bob", "lena", "m1"])
    }

    @Test func textAndCSVNameEachCriterion() throws {
        let project = try Self.project(.sqlite)
        let text = try project.ok(["mos", "--batch", "g1", "--method", "mos"])
        #expect(text.hasPrefix("batch g1: rubric genvideo-quality ("))
        #expect(text.contains(", 3 items; model raters excluded\n\nconcord mos: batch g1 · prompt-adherence (ordinal) · mos (mean opinion score)\n"
                              + "3 units · 3 raters · 8 ratings · no rater rejected\n"))
        #expect(text.contains("\nconcord mos: batch g1 · artifacts: mos undefined: no rater has labelled artifacts yet\n"))
        let csv = try project.ok(["mos", "--batch", "g1", "--method", "mos", "--format", "csv"]).split(separator: "\n").map(String.init)
        #expect(csv[0] == "criterion,unit,score,ci95_lower,ci95_upper,n")
        #expect(csv.count == 4)
        #expect(csv[1].hasPrefix("prompt-adherence,") && csv[1].hasSuffix(":a.mp4,3.0,\(MosCommandTests.handMOS([2, 3, 4]).low),\(MosCommandTests.handMOS([2, 3, 4]).high),3"))
    }

    @Test func refusalsAndUndefinedCriteria() throws {
        let project = try Self.project(.sqlite)
        let text = try project.run(["mos", "--batch", "g1", "--criterion", "notes", "--method", "mos"])
        #expect(text.status == 2 && text.stdout.isEmpty)
        #expect(text.stderr == "concord: 'notes' is a text criterion: notes have no score\n")
        let unknown = try project.run(["mos", "--batch", "g1", "--criterion", "speed", "--method", "mos"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "concord: the rubric 'genvideo-quality' has no criterion 'speed'; criteria: prompt-adherence, temporal-consistency, artifacts, realism, notes\n")
        let one = try project.run(["mos", "--batch", "g1", "--criterion", "realism", "--method", "mos", "--format", "json"])
        #expect(one.status == 1 && one.stdout.isEmpty)
        #expect(one.stderr == "concord: mos is undefined on batch g1 · realism: needs ratings from at least 2 raters; only 'alice' has labelled realism\n")
        // Aggregates are for leads, auditors and admins.
        for who in ["alice", "m1"] {
            let refused = try project.run(["mos", "--batch", "g1", "--method", "mos"], as: who)
            #expect(refused.status == 2 && refused.stdout.isEmpty)
            #expect(refused.stderr.hasSuffix("read agreement and progress of the whole project (leads, auditors and admins)\n"), "\(refused.stderr)")
        }
        // A nominal criterion has no order, so no score (the standard project's present).
        let standard = try Standard.copy()
        let nominal = try standard.run(["mos", "--batch", "b1", "--criterion", "present", "--method", "mos"])
        #expect(nominal.status == 2 && nominal.stdout.isEmpty)
        #expect(nominal.stderr == "concord: 'present' is a nominal criterion: its options are not ordered, so they have no mean opinion score; choose an ordinal or numeric criterion\n")
    }
}
