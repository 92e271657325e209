import Foundation
import Testing

/// `gate --judge M --as-good-as-humans` (docs/release-gate-and-judges.md) on both sides, with
/// constructed data: 40 items, present yes or no (no on every third), three human raters
/// and two models. h1 and h2 always give the gold answer, h3 the other one on items 32–39,
/// which lena resolves to the gold answer; so every item is in the golden set. mgood copies
/// the gold answers; mnoisy gives the other one on every third item from the second.
///
/// Humans' nominal alpha on the 40 items, by hand (3 values per item, a pair weighs 1/2):
/// 21 unanimous yes and 11 unanimous no among items 0–31 give o(yes,yes) 63 and o(no,no) 33;
/// items 32–39 hold 5 (yes, yes, no) and 3 (no, no, yes): o(yes,yes) += 5, o(no,no) += 3,
/// o(yes,no) = o(no,yes) = 8. n = 120, n_yes = 76, n_no = 44; D_o = 16/120,
/// D_e = 2·76·44/(120·119); alpha = 1 − D_o/D_e = 0.715311004…
/// mnoisy against gold (2 values per item, a pair weighs 1): 13 items (yes, no), 13 (yes,
/// yes), 14 (no, no): o(yes,yes) 26, o(no,no) 28, o(yes,no) = o(no,yes) = 13; n = 80,
/// n_yes = 39, n_no = 41; alpha = 1 − (26/80)/(2·39·41/(80·79)) = 0.357723577…
@Suite struct GateJudgeTests {
    static func gold(_ i: Int) -> String { i % 3 == 0 ? "no" : "yes" }
    static func other(_ v: String) -> String { v == "yes" ? "no" : "yes" }

    static func project(_ kind: StoreKind) throws -> Project {
        let project = try Project.create("gate-judge", kind: kind)
        try project.ok(["rubric", "add", Standard.rubric])
        for (name, role) in [("h1", "rater"), ("h2", "rater"), ("h3", "rater"), ("lena", "lead"), ("mgood", "model"),
                             ("mnoisy", "model"), ("aud", "auditor")] {
            try project.ok(["rater", "add", name, "--role", role])
        }
        let clips = try Clips.many(40, in: project.dir)
        try project.ok(["clip", "add"] + clips + ["--batch", "g", "--rubric", "av-cut-in"])
        var csv = "clip,rater,criterion,value\n"
        for i in 0..<40 {
            let clip = Clips.name(of: i), g = gold(i)
            csv += "\(clip),h1,present,\(g)\n\(clip),h2,present,\(g)\n\(clip),h3,present,\(i >= 32 ? other(g) : g)\n"
            csv += "\(clip),mgood,present,\(g)\n\(clip),mnoisy,present,\(i % 3 == 1 ? other(g) : g)\n"
        }
        try writeFile(project.dir + "/labels.csv", csv)
        try project.ok(["label", "import", project.dir + "/labels.csv"])
        for i in 32..<40 {
            try project.ok(["resolve", Clips.name(of: i), "--criterion", "present", "--value", gold(i), "--reason", "rater_error"], as: "lena")
        }
        return project
    }

    static func intervals(_ stdout: String) throws -> [String: [String: Any]] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        let check = try #require((root["checks"] as? [[String: Any]])?.first)
        #expect(check["statistic"] as? String == "as_good_as_humans")
        let list = try #require(check["intervals"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as! String, $0) })
    }

    @Test(arguments: StoreKind.available)
    func aCopyOfTheGoldPassesANoisyJudgeFails(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        defer { project.remove() }
        let humansDe: Double = 2.0 * 76.0 * 44.0 / (120.0 * 119.0)
        let humans: Double = 1.0 - (16.0 / 120.0) / humansDe
        let noisyDe: Double = 2.0 * 39.0 * 41.0 / (80.0 * 79.0)
        let noisy: Double = 1.0 - (26.0 / 80.0) / noisyDe

        let pass = try project.run(["gate", "--judge", "mgood", "--as-good-as-humans", "--criterion", "present", "--format", "json"], as: "lena")
        #expect(pass.status == 0, "\(pass.stderr)")
        var i = try Self.intervals(pass.stdout)
        let good = try #require(i["mgood vs gold"]), people = try #require(i["humans"])
        #expect(good["estimate"] as? Double == 1)
        #expect(good["ci95_lower"] as? Double == 1)
        let humansEstimate = try #require(people["estimate"] as? Double)
        #expect(abs(humansEstimate - humans) < 1e-9)
        let humansLower = try #require(people["ci95_lower"] as? Double)
        #expect(humansLower < humans)
        #expect(people["raters"] as? Int == 3)
        #expect(people["pairable_units"] as? Int == 40)

        let fail = try project.run(["gate", "--judge", "mnoisy", "--as-good-as-humans", "--criterion", "present", "--format", "json"], as: "lena")
        #expect(fail.status == 1)
        i = try Self.intervals(fail.stdout)
        let bad = try #require(i["mnoisy vs gold"])
        let badEstimate = try #require(bad["estimate"] as? Double), badLower = try #require(bad["ci95_lower"] as? Double)
        #expect(abs(badEstimate - noisy) < 1e-9)
        #expect(badLower < humansLower)
        // The same bootstrap (seeded) for the humans whichever judge is gated.
        #expect(i["humans"]?["ci95_lower"] as? Double == humansLower)

        // Text: the verdict and both intervals.
        let text = try project.run(["gate", "--judge", "mnoisy", "--as-good-as-humans", "--criterion", "present"], as: "lena")
        #expect(text.status == 1)
        let line = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("FAIL") })
        #expect(line.contains("present · mnoisy  as_good_as_humans"))
        #expect(line.contains("mnoisy vs gold \(String(format: "%.4f", noisy)) [") && line.contains("; humans \(String(format: "%.4f", humans)) ["))
        #expect(text.stdout.contains("mnoisy as good as humans: lower bounds of 95% percentile intervals of alpha, bootstrap B=1000 seed 1"))
        #expect(text.stdout.hasSuffix("gate: FAILED (1 of 1 checks fail)\n"))
        #expect(try project.run(["gate", "--judge", "mgood", "--as-good-as-humans", "--criterion", "present"], as: "lena").stdout
            .hasSuffix("gate: PASSED (all 1 checks pass)\n"))
    }

    @Test func refusals() throws {
        let project = try Self.project(.sqlite)
        defer { project.remove() }
        for (args, who, message) in [
            (["gate", "--judge", "mgood"], "lena", "concord: --judge names the model of --as-good-as-humans: add --as-good-as-humans\n"),
            (["gate", "--as-good-as-humans"], "lena", "concord: --as-good-as-humans needs the model rater to judge: add --judge M\n"),
            (["gate", "--judge", "h1", "--as-good-as-humans"], "lena",
             "concord: 'h1' is a rater, not a model; --as-good-as-humans compares a rater of role model with the humans\n"),
            (["gate", "--judge", "nobody", "--as-good-as-humans"], "lena",
             "concord: 'nobody' has no labels in batch g; import the judge's predictions first (concord label import)\n"),
            (["gate", "--judge", "mgood", "--as-good-as-humans"], "aud",
             "concord: aud is an auditor and cannot see the adjudication queue or decide items (leads and admins)\n"),
        ] {
            let result = try project.run(args, as: who)
            #expect(result.status == 2, "\(args)")
            // A usage error adds ArgumentParser's usage lines after the message.
            #expect(concordMessage(result.stderr).split(separator: "\n").first.map { $0 + "\n" } == message, "\(args)")
        }
    }
}
