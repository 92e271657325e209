import Foundation
import Testing

/// `concord gate`: each threshold on both sides of the value it checks, the CI lower
/// bound, undefined statistics, gold accuracy, and errors — exit 0 pass, 1 fail, 2 error.
@Suite struct GateCommandTests {
    /// The standard project plus gold on b.mp4 present = no (alice and bob both said no).
    static func project(_ kind: StoreKind = .sqlite) throws -> Project {
        let project = try Standard.copy(kind)
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

    @Test(arguments: StoreKind.available)
    func alphaAndKappaOnBothSidesOfTheThreshold(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
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
            // present has 2 pairable units, under the default --min-units 30: the verdict says so.
            #expect(above.stdout.hasSuffix("\naudit anchor \(anchor) (the log behind this result: check it later with concord audit verify --anchor)\n\ngate: FAILED (1 of 1 checks fail; 1 of them rests on fewer than 30 pairable units, too few to tell agreement from luck)\n"))
            #expect(concordMessage(above.stderr) == "concord: warning: \(Self.fewUnits("present (2)"))\n"
                    + "concord: gate failed: 1 of 1 check below threshold; 1 of them rests on fewer than 30 pairable units, too few to tell agreement from luck\n")
        }
    }

    @Test(arguments: StoreKind.available)
    func theLowerBoundIsStricterAndUndefinedFails(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
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
        #expect(undefined.stdout.contains("FAIL  severity  krippendorff_alpha_ordinal  — vs 0.0000  0 units (< 30); undefined: "))
    }

    static func fewUnits(_ criteria: String, _ minimum: Int = 30) -> String {
        "fewer than \(minimum) pairable units (items rated by two or more raters): \(criteria); "
            + "agreement on so few items is not evidence either way — rate more items, or set --min-units"
    }

    /// Issue 14: on 3 items `--use-ci-lower` failed with no word about the sample. Each
    /// check names its pairable units, the verdict says why it failed, and stderr warns;
    /// --min-units sets the minimum.
    @Test(arguments: StoreKind.available)
    func aSmallSampleIsNamedInTheChecksAndTheVerdict(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        let lower = try Self.gate(project, ["--min-alpha", "0.1", "--criterion", "present", "--use-ci-lower"])
        #expect(lower.status == 1)
        let lines = lower.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("gate: batch b1 · rubric ")
                && lines[0].hasSuffix(" · lower bounds of 95% percentile intervals, bootstrap B=1000 seed 1; q: the share of resamples below the threshold"))
        #expect(lines[1] == "units: the pairable units (items rated by two or more raters) behind an agreement check")
        // present: a (alice yes, bob no, lena yes) and b (alice no, bob no) are pairable; q is
        // the share of the 1000 resamples whose alpha is below 0.1.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try Self.gate(project, ["--min-alpha", "0.1", "--criterion", "present", "--use-ci-lower", "--format", "json"]).stdout.utf8)) as? [String: Any])
        let check = try #require((json["checks"] as? [[String: Any]])?.first)
        #expect(check["pairable_units"] as? Int == 2 && check["small_sample"] as? Bool == true && json["min_units"] as? Int == 30)
        let q = try #require(check["q"] as? Double), low = try #require(check["value"] as? Double)
        #expect(q > 0 && q < 1 && low < 0.1)
        #expect(lines[3] == "FAIL  present  krippendorff_alpha_nominal  \(String(format: "%.4f", low)) < 0.1000  2 units (< 30); estimate 0.3333; q = \(String(format: "%.3f", q))")
        #expect(lower.stdout.hasSuffix("\ngate: FAILED (1 of 1 checks fail; 1 of them rests on fewer than 30 pairable units, too few for a bootstrap interval narrow enough to clear a threshold)\n"))
        #expect(concordMessage(lower.stderr) == "concord: warning: \(Self.fewUnits("present (2)"))\n"
                + "concord: gate failed: 1 of 1 check below threshold; 1 of them rests on fewer than 30 pairable units, too few for a bootstrap interval narrow enough to clear a threshold\n")
        // A passing gate on few units passes, and still says so.
        let pass = try Self.gate(project, ["--min-alpha", "0.1", "--criterion", "present"])
        #expect(pass.status == 0)
        #expect(pass.stdout.hasSuffix("\ngate: PASSED (all 1 checks pass; but fewer than 30 pairable units behind present (2))\n"))
        #expect(concordMessage(pass.stderr) == "concord: warning: \(Self.fewUnits("present (2)"))\n")
        // --min-units 2: two units are enough, no warning.
        let enough = try Self.gate(project, ["--min-alpha", "0.1", "--criterion", "present", "--min-units", "2"])
        #expect(enough.status == 0 && enough.stderr.isEmpty)
        #expect(enough.stdout.contains("PASS  present  krippendorff_alpha_nominal  0.3333 ≥ 0.1000  2 units\n"))
        #expect(enough.stdout.hasSuffix("\ngate: PASSED (all 1 checks pass)\n"))
        let bad = try Self.gate(project, ["--min-alpha", "0.1", "--min-units=-1"])
        #expect(bad.status == 2 && concordMessage(bad.stderr).hasPrefix("concord: --min-units must be 0 or more; got -1\n"))
    }

    @Test(arguments: StoreKind.available)
    func goldAccuracyPerRater(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
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

    @Test(arguments: StoreKind.available)
    func errorsExitTwoAndRatersMayNotGate(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
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
