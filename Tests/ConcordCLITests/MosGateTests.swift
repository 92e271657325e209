import Foundation
import Testing

/// `concord gate --max-mos-ci W --max-rejected-raters N` on a project (MosBatchTests' 1–5
/// ACR batch g1, prompt-adherence: a 2, 3, 4; b 1, 2; c 4, 5, 5): each on both sides of its
/// threshold, the verdict lines saying the numbers, the default method (p910) the same as
/// `concord mos --batch`'s, and the errors — exit 0 pass, 1 fail, 2 error.
@Suite struct MosGateTests {
    static let prompt = ["--batch", "g1", "--criterion", "prompt-adherence"]
    /// a's interval is the widest under mos: 1.95996 · 1 / √3.
    static let widest = 1.95996 / 3.0.squareRoot()

    @Test func maxMosCIOnBothSides() throws {
        let project = try MosBatchTests.project(.sqlite)
        let pass = try project.run(["gate"] + Self.prompt + ["--max-mos-ci", "1.2", "--method", "mos"], as: "lena")
        #expect(pass.status == 0, "\(pass.stderr)")
        #expect(pass.stdout.hasPrefix("gate: batch g1 · rubric "))
        #expect(pass.stdout.contains(" · opinion scores by mos (docs/mos.md)\n"))
        #expect(pass.stdout.contains("\nPASS  prompt-adherence  mos_ci95_half_width  1.1316 ≤ 1.2000  mos; 0 of 3 clips wider; widest "))
        #expect(pass.stdout.contains(":a.mp4\n"))
        #expect(pass.stdout.hasSuffix("\ngate: PASSED (all 1 checks pass)\n"))
        // An auditor gets the same numbers with the item alone: no clip name (docs/security.md).
        let auditor = try project.run(["gate"] + Self.prompt + ["--max-mos-ci", "1.2", "--method", "mos"], as: "aud")
        #expect(auditor.status == 0 && !auditor.stdout.contains(".mp4"))
        #expect(auditor.stdout.contains("\nPASS  prompt-adherence  mos_ci95_half_width  1.1316 ≤ 1.2000  mos; 0 of 3 clips wider; widest "))
        let fail = try project.run(["gate"] + Self.prompt + ["--max-mos-ci", "1", "--method", "mos"], as: "aud")
        #expect(fail.status == 1)
        #expect(fail.stdout.contains("\nFAIL  prompt-adherence  mos_ci95_half_width  1.1316 > 1.0000  mos; 1 of 3 clips wider; widest "))
        #expect(fail.stderr == "concord: gate failed: 1 of 1 check outside its threshold\n")
        let json = try CLI.json(try project.ok(["gate"] + Self.prompt + ["--max-mos-ci", "1.2", "--method", "mos", "--format", "json"]))
        #expect(json["mos_method"] as? String == "mos")
        let check = try #require((json["checks"] as? [[String: Any]])?.first)
        #expect(abs((check["value"] as? Double ?? .nan) - Self.widest) < 1e-12)
        #expect(check["at_most"] as? Bool == true && check["threshold"] as? Double == 1.2)
    }

    @Test func theDefaultMethodIsP910AsConcordMosComputesIt() throws {
        let project = try MosBatchTests.project(.sqlite)
        let json = try CLI.json(try project.ok(["gate"] + Self.prompt + ["--max-mos-ci", "1000", "--format", "json"]))
        #expect(json["mos_method"] as? String == "p910")
        let check = try #require((json["checks"] as? [[String: Any]])?.first)
        let scores = try CLI.json(try project.ok(["mos"] + Self.prompt + ["--method", "p910", "--format", "json"]))
        let units = try #require(((scores["criteria"] as? [String: Any])?["prompt-adherence"] as? [String: Any])?["units"] as? [[String: Any]])
        let halfWidths = units.compactMap { ($0["ci95"] as? [Double]).map { ($0[1] - $0[0]) / 2 } }
        #expect(halfWidths.count == 3)
        #expect(abs((check["value"] as? Double ?? .nan) - halfWidths.max()!) < 1e-9)
    }

    @Test func maxRejectedRatersNeedsAScreeningMethod() throws {
        let project = try MosBatchTests.project(.sqlite)
        let pass = try project.run(["gate"] + Self.prompt + ["--max-rejected-raters", "0", "--method", "bt500"], as: "aud")
        #expect(pass.status == 0, "\(pass.stderr)")
        #expect(pass.stdout.contains("\nPASS  prompt-adherence  rejected_raters  0 ≤ 0  bt500; none of 3 raters rejected\n"))
        let p910 = try project.run(["gate"] + Self.prompt + ["--max-rejected-raters", "0"], as: "aud")
        #expect(p910.status == 2 && p910.stdout.isEmpty)
        #expect(p910.stderr == "concord: --max-rejected-raters counts the raters a screening rejects, and p910 rejects none; add --method bt500 or --method p913, or --reject quality\n")
    }

    @Test func undefinedCriteriaFailAndBadValuesAreErrors() throws {
        let project = try MosBatchTests.project(.sqlite)
        // Every scored criterion: realism has one rater, artifacts none — both fail with the reason.
        let all = try project.run(["gate", "--batch", "g1", "--max-mos-ci", "5", "--method", "mos"], as: "aud")
        #expect(all.status == 1)
        #expect(all.stdout.hasSuffix("\ngate: FAILED (3 of 4 checks fail)\n"))
        #expect(all.stdout.contains("\nFAIL  realism               mos_ci95_half_width  — vs 5.0000      mos undefined: needs ratings from at least 2 raters; only 'alice' has labelled realism\n"))
        #expect(all.stdout.contains("\nPASS  prompt-adherence      mos_ci95_half_width  1.1316 ≤ 5.0000  mos; 0 of 3 clips wider; widest "))
        for (arguments, message) in [(["--max-mos-ci", "0"], "--max-mos-ci must be a positive half-width in the criterion's units (e.g. 0.3 on a 1–5 scale); got 0.0"),
                                     (["--max-rejected-raters=-1", "--method", "bt500"], "--max-rejected-raters must be 0 or more; got -1"),
                                     (["--max-mos-ci", "1", "--method", "median"], "unknown method 'median'; choose from: mos, bt500, p913, mle, mle_co, p910")] {
            let result = try project.run(["gate", "--batch", "g1"] + arguments, as: "aud")
            #expect(result.status == 2 && result.stdout.isEmpty, "\(arguments)")
            #expect(result.stderr.hasPrefix("concord: \(message)\n"), "\(arguments): \(result.stderr)")
        }
        // A nominal criterion alone has no scores to check.
        let standard = try Standard.copy()
        let nominal = try standard.run(["gate", "--batch", "b1", "--criterion", "present", "--max-mos-ci", "1"], as: "aud")
        #expect(nominal.status == 2)
        #expect(nominal.stderr == "concord: nothing to check: no criterion of the rubric has the statistics asked for (kappa applies to nominal and ordinal criteria); opinion scores need an ordinal or numeric criterion\n")
    }
}
