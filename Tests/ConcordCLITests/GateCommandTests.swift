import Foundation
import Testing

/// `concord gate`: each threshold on both sides of the value it checks, the CI lower
/// bound, undefined statistics, gold accuracy, and errors — exit 0 pass, 1 fail, 2 error.
@Suite struct GateCommandTests {
    /// The standard project plus gold on b.mp4 present = no (alice and bob both said no).
    static func project() throws -> Project {
        let project = try Standard.copy()
        try project.ok(["gold", "add", "b.mp4", "--criterion", "present", "--value", "no"], as: "lena")
        return project
    }

    /// `concord agreement --batch b1`'s value of a metric for a criterion (the engine the
    /// gate must agree with).
    static func agreement(_ project: Project, _ criterion: String, _ metric: String) throws -> Double {
        let json = try project.ok(["agreement", "--batch", "b1", "--format", "json", "--criterion", criterion])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let one = try #require((root["criteria"] as? [String: Any])?[criterion] as? [String: Any])
        return try #require(((one["metrics"] as? [String: Any])?[metric] as? [String: Any])?["value"] as? Double)
    }

    static func gate(_ project: Project, _ args: [String], as who: String = "aud") throws -> CLIResult {
        try project.run(["gate"] + args, as: who)
    }

    @Test func alphaAndKappaOnBothSidesOfTheThreshold() throws {
        let project = try Self.project()
        // present: alice yes, bob no, lena yes on a; alice no, bob no on b; bob yes on c.
        let alpha = try Self.agreement(project, "present", "krippendorff_alpha_nominal")
        let kappa = try Self.agreement(project, "present", "fleiss_kappa")
        for (flag, value, statistic) in [("--min-alpha", alpha, "krippendorff_alpha_nominal"), ("--min-kappa", kappa, "fleiss_kappa")] {
            let below = try Self.gate(project, [flag, String(value - 0.01), "--criterion", "present", "--format", "json"])
            #expect(below.status == 0, "\(flag): \(below.stderr)")
            // The gate's number is the engine's (Foundation's JSON reader may lose the last bit).
            let json = try #require(try JSONSerialization.jsonObject(with: Data(below.stdout.utf8)) as? [String: Any])
            let check = try #require((json["checks"] as? [[String: Any]])?.first)
            #expect(check["statistic"] as? String == statistic)
            // The audit anchor of the log behind the result: `audit verify --anchor` accepts it.
            let anchor = try #require(json["audit_anchor"] as? String)
            #expect(try project.ok(["audit", "verify", "--anchor", anchor]).contains("; 1 anchor matched\nanchor \(anchor) "))
            #expect(abs(try #require(check["value"] as? Double) - value) < 1e-12)
            let at = try Self.gate(project, [flag, String(value - 1e-12), "--criterion", "present"])
            #expect(at.status == 0)   // ≥ the threshold passes
            let above = try Self.gate(project, [flag, String(value + 0.01), "--criterion", "present"])
            #expect(above.status == 1)
            #expect(above.stdout.contains("FAIL  present  \(statistic)"))
            #expect(above.stdout.hasSuffix("\naudit anchor \(anchor) (the log behind this result: check it later with concord audit verify --anchor)\n\ngate: FAILED (1 of 1 checks fail)\n"))
            #expect(concordMessage(above.stderr) == "concord: gate failed: 1 of 1 check below threshold\n")
        }
    }

    @Test func theLowerBoundIsStricterAndUndefinedFails() throws {
        let project = try Self.project()
        let alpha = try Self.agreement(project, "present", "krippendorff_alpha_nominal")
        let estimate = try Self.gate(project, ["--min-alpha", String(alpha - 0.001), "--criterion", "present"])
        #expect(estimate.status == 0)
        let lower = try Self.gate(project, ["--min-alpha", String(alpha - 0.001), "--criterion", "present", "--use-ci-lower", "--format", "json"])
        #expect(lower.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(lower.stdout.utf8)) as? [String: Any])
        let check = try #require((json["checks"] as? [[String: Any]])?.first)
        #expect(try #require(check["value"] as? Double) < alpha)
        // severity has one rating (alice's): alpha is undefined, and an undefined statistic fails.
        let undefined = try Self.gate(project, ["--min-alpha", "0", "--criterion", "severity"])
        #expect(undefined.status == 1)
        #expect(undefined.stdout.contains("FAIL  severity  krippendorff_alpha_ordinal  — vs 0.0000  undefined: "))
    }

    @Test func goldAccuracyPerRater() throws {
        let project = try Self.project()
        // b.mp4 present: alice no (right), bob no (right); lena and the model m1 did not answer it.
        let pass = try Self.gate(project, ["--min-gold-accuracy", "1"])
        #expect(pass.status == 0)
        #expect(pass.stdout.contains("PASS  gold · alice  gold_accuracy  1.0000 ≥ 1.0000  1 of 1 gold answers right"))
        #expect(pass.stdout.contains("PASS  gold · bob"))
        #expect(!pass.stdout.contains("m1"))
        try project.ok(["gold", "add", "b.mp4", "--criterion", "present", "--value", "yes"], as: "lena")   // a new answer
        let fail = try Self.gate(project, ["--min-gold-accuracy", "0.5"])
        #expect(fail.status == 1)
        #expect(fail.stdout.contains("FAIL  gold · alice  gold_accuracy  0.0000 < 0.5000  0 of 1 gold answers right"))
    }

    @Test func errorsExitTwoAndRatersMayNotGate() throws {
        let project = try Self.project()
        let before = try project.snapshot()
        for (args, message) in [
            ([], "concord: give at least one threshold: --min-alpha, --min-kappa or --min-gold-accuracy\n"),
            (["--min-alpha", "1.5"], "concord: --min-alpha must be between -1 and 1; got 1.5\n"),
            (["--min-alpha", "0.5", "--criterion", "colour"],
             "concord: the rubric 'av-cut-in' has no criterion 'colour'; criteria: present, severity, ego-response, ttc, notes\n"),
            (["--min-kappa", "0.5", "--criterion", "ttc"],
             "concord: nothing to check: no criterion of the rubric has the statistics asked for (kappa applies to nominal and ordinal criteria)\n"),
        ] {
            let result = try Self.gate(project, args)
            #expect(result.status == 2, "\(args)")
            #expect(concordMessage(result.stderr).hasPrefix(message.split(separator: "\n")[0]), "\(args): \(result.stderr)")
        }
        let rater = try Self.gate(project, ["--min-alpha", "0.1"], as: "alice")
        #expect(rater.status == 2 && rater.stderr.contains("alice is a rater and cannot read agreement"))
        #expect(try project.snapshot() == before)
    }
}
