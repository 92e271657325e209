import Foundation
import Store
import Testing

/// `concord pairwise --batch B --criterion C [--by item|system]` and `concord gate --pairwise
/// C --system NEW --beats OLD` on a project (docs/pairwise.md "Scores on a project",
/// "Leaderboard", "Release gate"), on both stores.
///
/// The project: the rubric pref (one pairwise criterion, motion), ten prompts p0…p9 each
/// rendered by systems v1 and v2 (`clip add --group --system`), one pair per prompt (clip a
/// v1's), answered by ann, ben, cat and dan. Pairs and answers go through the Store API the
/// way `pair add`/`assign --pairs` and the workbench write them (`addPairs`, `assignPairs`,
/// `submitItem`: the side each rater saw is recorded; `label import` refuses pair answers).
/// v1 is preferred when (prompt + rater) % 4 = 0: 10 times of 40, v2 30 times.
///
/// Two systems have a closed form: d = ln(30/10) = ln 3 = 1.0986122886681096, the
/// information of d is n·p(1 − p) = 40·(3/4)(1/4), so SE² = 1/30 + 1/10, SE =
/// 0.3651483716701107, P(v2 above v1) = Φ(d/SE) = Φ(3.008673662279504) = 0.9986880460339543,
/// the one-sided 95% bound d − 1.6448536269514722·SE = 0.49799666515110375 (passes) and the
/// 99.9% bound d − 3.090232306167813·SE = −0.02978… (fails).
@Suite struct PairwiseBatchCommandTests {
    static let rubric = """
    name: pref
    criteria:
      - id: motion
        question: Which clip moves more naturally?
        type: pairwise
        tie: true

    """
    static let raters: [(name: String, role: String)] = [("ann", "rater"), ("ben", "rater"), ("cat", "rater"), ("dan", "rater"),
                                                         ("lee", "lead"), ("aud", "auditor")]
    static let judges = ["ann", "ben", "cat", "dan"]

    static func template() throws -> Project {
        try TemplateCache.shared.project("pairwise-arena") {
            let project = try Project.create("pairwise-arena")
            try writeFile(project.dir + "/pref.yaml", rubric)
            try project.ok(["rubric", "add", project.dir + "/pref.yaml"])
            for (name, role) in raters { try project.ok(["rater", "add", name, "--role", role]) }
            let clips = try Clips.many(20, in: project.dir)
            for p in 0..<10 {
                for (k, system) in ["v1", "v2"].enumerated() {
                    try project.ok(["clip", "add", clips[2 * p + k], "--batch", "arena", "--rubric", "pref", "--group", "p\(p)", "--system", system])
                }
            }
            let store = try ProjectStore.open(path: project.db)
            let lee = try store.session(login: testLogin, actingAs: "lee")
            let pairs = (0..<10).map { PairRequest(a: Clips.name(of: 2 * $0), b: Clips.name(of: 2 * $0 + 1), group: "p\($0)") }
            _ = try lee.addPairs(pairs, batch: "arena", rubric: nil)
            _ = try lee.assignPairs(batch: "arena", plan: judges.flatMap { rater in
                pairs.map { PairPlanEntry(rater: rater, a: $0.a, b: $0.b, group: $0.group) }
            })
            for (r, rater) in judges.enumerated() {
                let session = try store.session(login: testLogin, actingAs: rater)
                for entry in try session.ratingQueue(batch: "arena").entries {
                    let p = try #require(pairs.firstIndex { $0.a == entry.clip })
                    _ = try session.submitItem(ItemSubmission(item: entry.item, answers: ["motion": (p + r) % 4 == 0 ? "a" : "b"],
                                                              frame: nil, pts: nil, dwellMs: 900, watchedShare: 1))
                }
            }
            return project
        }
    }

    static func project(_ kind: StoreKind) throws -> Project {
        let template = try template()
        guard kind == .postgres else { return try template.copy() }
        for (name, _) in raters { try PostgresProjects.ensureLogin(name) }
        let source = try TemplateCache.shared.project("pairwise-arena-migration-source") { try template.copy("migration-source") }
        let project = try Project.unmade("pairwise-arena", kind: .postgres)
        let result = try CLI.run(["migrate", "--from", source.db, "--to", project.db])
        try #require(result.status == 0, "migrate: \(result.stderr)")
        return project
    }

    static let arena = ["--batch", "arena", "--criterion", "motion"]

    @Test(arguments: StoreKind.available)
    func theLeaderboardHasTheClosedForm(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        let json = try CLI.json(try project.ok(["pairwise"] + Self.arena + ["--by", "system", "--format", "json"], as: "lee"))
        #expect(json["by"] as? String == "system" && json["comparisons"] as? Int == 40)
        #expect((json["left_out"] as? [String: Int]) == ["same_system": 0, "untagged": 0])
        let systems = try #require(json["systems"] as? [[String: Any]])
        #expect(systems.map { $0["system"] as? String } == ["v2", "v1"] && systems.map { $0["wins"] as? Int } == [30, 10])
        #expect(abs((systems[0]["difference_next"] as? Double ?? .nan) - 1.0986122886681096) < 1e-9)
        #expect(abs((systems[0]["se_difference_next"] as? Double ?? .nan) - 0.3651483716701107) < 1e-9)
        #expect(abs((systems[0]["p_above_next"] as? Double ?? .nan) - 0.9986880460339543) < 1e-9)
        #expect(abs((systems[0]["win_probability_next"] as? Double ?? .nan) - 0.75) < 1e-9)
        #expect(systems[1]["next"] is NSNull && systems[1]["p_above_next"] is NSNull)
        // Text: the left-out line and the P column, the same for an auditor (systems are no clips).
        let text = try project.ok(["pairwise"] + Self.arena + ["--by", "system"], as: "aud")
        #expect(text.hasPrefix("concord pairwise: batch arena · motion (pairwise) · leaderboard by system · Bradley–Terry (log-strength), ties davidson\n2 systems · 40 comparisons between systems\n"), "\(text)")
        let v2 = try #require(text.split(separator: "\n").first { $0.hasPrefix("1 ") })
        #expect(v2.contains(" v2 ") && v2.contains(" 30 ") && v2.contains(" 0.9987 ") && v2.hasSuffix(" 0.7500"), "\(v2)")
        // CSV: one row per system.
        let csv = try project.ok(["pairwise"] + Self.arena + ["--by", "system", "--format", "csv"], as: "lee").split(separator: "\n")
        #expect(csv.count == 3 && csv[1].hasPrefix("1,v2,0.54930614433"))
    }

    @Test(arguments: StoreKind.available)
    func clipsAreItemsAndAuditorsSeeNumbers(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        let json = try CLI.json(try project.ok(["pairwise"] + Self.arena + ["--format", "json"], as: "lee"))
        let items = try #require(json["items"] as? [[String: Any]])
        #expect(items.count == 20 && items.allSatisfy { ($0["item"] as? String)?.range(of: #"^\d+:s00\d\d\.mp4$"#, options: .regularExpression) != nil })
        // Every rater's side was recorded by the workbench path: left wins over all 10 answers.
        let raters = try #require(json["raters"] as? [[String: Any]])
        #expect(raters.map { $0["rater"] as? String } == Self.judges)
        #expect(raters.allSatisfy { ($0["left_wins"] as? [String: Any])?["n"] as? Int == 10 })
        let audited = try project.ok(["pairwise"] + Self.arena + ["--format", "json"], as: "aud")
        #expect(!audited.contains(".mp4"))
        let auditorItems = try #require(try CLI.json(audited)["items"] as? [[String: Any]])
        #expect(auditorItems.map { $0["item"] as? String } == items.map { ($0["item"] as? String)?.split(separator: ":").first.map(String.init) })
        #expect(auditorItems.map { $0["score"] as? Double } == items.map { $0["score"] as? Double })
    }

    @Test(arguments: StoreKind.available)
    func theGatePassesAtTheConfidenceThePAllows(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        let gate = ["gate", "--batch", "arena", "--pairwise", "motion"]
        let pass = try project.run(gate + ["--system", "v2", "--beats", "v1"], as: "aud")
        #expect(pass.status == 0, "\(pass.stderr)")
        #expect(pass.stdout.contains("\nPASS  motion · v2 vs v1  pairwise_difference_lower_bound  0.4980 ≥ 0.0000  estimate 1.0986; P(v2 above v1) 0.9987 > 0.9500; one-sided 95% lower bound of score(v2) − score(v1), SE 0.3651; v2 0.5493 ["), "\(pass.stdout)")
        #expect(pass.stdout.contains("v2 preferred 30, v1 10, ties 0 head to head; 40 comparisons between 2 systems\n"))
        #expect(pass.stdout.hasSuffix("\ngate: PASSED (all 1 checks pass)\n"))
        let strict = try project.run(gate + ["--system", "v2", "--beats", "v1", "--confidence", "0.999"], as: "aud")
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("\nFAIL  motion · v2 vs v1  pairwise_difference_lower_bound  -0.0298 < 0.0000  estimate 1.0986; P(v2 above v1) 0.9987 ≤ 0.9990; one-sided 99.9% lower bound"), "\(strict.stdout)")
        #expect(strict.stderr == "concord: gate failed: 1 of 1 check below threshold\n")
        let backwards = try project.run(gate + ["--system", "v1", "--beats", "v2"], as: "aud")
        #expect(backwards.status == 1 && backwards.stdout.contains("P(v1 above v2) 0.0013 ≤ 0.9500"))
        let json = try CLI.json(try project.ok(gate + ["--system", "v2", "--beats", "v1", "--format", "json"], as: "lee"))
        let rule = try #require(json["pairwise"] as? [String: Any])
        #expect(rule["system"] as? String == "v2" && rule["beats"] as? String == "v1" && rule["passed"] as? Bool == true)
        #expect(abs((rule["lower_bound"] as? Double ?? .nan) - 0.49799666515110375) < 1e-9)
        #expect(abs((rule["p_above"] as? Double ?? .nan) - 0.9986880460339543) < 1e-9)
        #expect((rule["head_to_head"] as? [String: Int]) == ["wins": 30, "losses": 10, "ties": 0])
        let check = try #require((json["checks"] as? [[String: Any]])?.first)
        #expect(check["statistic"] as? String == "pairwise_difference_lower_bound" && check["threshold"] as? Double == 0)
        // With another threshold in the same run: one more check (alpha on the pair items' a/b/tie answers).
        let both = try CLI.json(try project.ok(gate + ["--system", "v2", "--beats", "v1", "--min-alpha=-1", "--min-units", "0", "--format", "json"], as: "lee"))
        #expect((both["checks"] as? [[String: Any]])?.map { $0["statistic"] as? String } == ["krippendorff_alpha_nominal", "pairwise_difference_lower_bound"])
    }

    @Test(arguments: StoreKind.available)
    func badInputIsOneLineWithTheChoices(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        let gate = ["gate", "--batch", "arena"]
        for (arguments, message) in [
            (gate + ["--pairwise", "motion", "--system", "v3", "--beats", "v1"], "no system 'v3' among the clips compared on motion; systems: 'v1', 'v2'"),
            (gate + ["--pairwise", "looks", "--system", "v2", "--beats", "v1"], "the rubric 'pref' of batch 'arena' has no pairwise criterion 'looks'; its pairwise criteria: motion"),
            (gate + ["--pairwise", "motion", "--system", "v2", "--beats", "v2"], "--system and --beats are both v2: name two different systems"),
            (gate + ["--pairwise", "motion", "--system", "v2", "--beats", "v1", "--confidence", "1.2"], "--confidence must be at least 0.5 and below 1 (e.g. 0.95); got 1.2"),
            (gate + ["--pairwise", "motion", "--system", "v2"], "--pairwise needs --system NEW --beats OLD: the model to release and the one it must beat"),
            (gate + ["--min-alpha", "0.5", "--system", "v2"], "--system, --beats and --confidence go with --pairwise C (the pairwise criterion to gate on)"),
            (["pairwise"] + Self.arena + ["--by", "team"], "unknown --by 'team'; choose from: item, system"),
            (["pairwise"] + Self.arena + ["--bootstrap", "0"], "--bootstrap must be between 1 and 100000; got 0"),
        ] {
            let result = try project.run(arguments, as: "lee")
            #expect(result.status == 2 && result.stdout.isEmpty, "\(arguments): \(result.status) \(result.stdout)")
            #expect(result.stderr.hasPrefix("concord: \(message)\n"), "\(arguments): \(result.stderr)")
        }
    }

    /// Raters may not read the comparisons of the whole batch (they would learn others' answers).
    @Test func ratersAreRefused() throws {
        let project = try Self.project(.sqlite)
        for arguments in [["pairwise"] + Self.arena, ["gate", "--batch", "arena", "--pairwise", "motion", "--system", "v2", "--beats", "v1"]] {
            let result = try project.run(arguments, as: "ann")
            #expect(result.status == 2 && result.stdout.isEmpty)
            #expect(result.stderr.contains("ann is a rater and cannot read agreement and progress of the whole project"), "\(result.stderr)")
        }
    }

    /// --bootstrap adds percentile intervals from resampling the four raters, reproducible by seed.
    @Test func theBootstrapIsSeeded() throws {
        let project = try Self.project(.sqlite)
        let arguments = ["pairwise"] + Self.arena + ["--by", "system", "--bootstrap", "200", "--seed", "5", "--format", "json"]
        let first = try CLI.json(try project.ok(arguments, as: "lee")), again = try CLI.json(try project.ok(arguments, as: "lee"))
        #expect((first["bootstrap"] as? [String: Any])?["replicates"] as? Int == 200)
        let intervals = try #require((first["systems"] as? [[String: Any]])?.map { $0["bootstrap95"] as? [Double] })
        #expect(intervals.count == 2 && intervals.allSatisfy { $0 != nil && $0![0] < $0![1] })
        #expect(intervals == (again["systems"] as? [[String: Any]])?.map { $0["bootstrap95"] as? [Double] })
    }
}
