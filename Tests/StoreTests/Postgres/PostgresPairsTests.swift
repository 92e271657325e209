import Foundation
import PostgresClient
import PostgresTestSupport
import Rubric
@testable import Store
import Testing

/// Pairwise batches on PostgreSQL (layout pg4): the database's own functions write pairs,
/// tags and sides with the Swift Store's rules, and its grants keep a rater to their own
/// pairs and blind to which model made a clip, whatever client they use.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresPairsTests {
    static let rubricYAML = """
    name: pref
    criteria:
      - id: better
        question: Which is better?
        type: pairwise
        tie: true
      - id: motion
        question: Which moves better?
        type: pairwise
        strength: [much-better, better]
      - id: notes
        question: Notes
        scale: text
    """

    static func clips(_ names: [String]) -> [ClipFacts] {
        names.enumerated().map { i, name in
            ClipFacts(path: "/clips/\(name)", name: name, sha256: String(format: "%064x", i + 1), sizeBytes: 1_000 + Int64(i),
                      codec: "h264", duration: 1, frameRate: 25, frameCount: 25, width: 64, height: 48, rotation: 0)
        }
    }

    /// A project with the pairwise rubric, raters alice and bob, lead lena, auditor aud and
    /// model mo (each a login), four clips in batch p's pool tagged with a prompt and a model.
    struct PairProject {
        let project: InstalledProject
        let uri: (String) -> String
        let admin: ProjectSession

        static func make(_ cluster: PostgresCluster) throws -> PairProject {
            let project = try InstalledProject.install(cluster, database: "concord_pairs", admin: "ada")
            let uri = { (user: String) in cluster.uri(database: "concord_pairs", user: user) }
            let admin = try ProjectStore.open(path: uri("ada")).session(login: "ada")
            for (name, role) in [("alice", Role.rater), ("bob", .rater), ("lena", .lead), ("aud", .auditor), ("mo", .model)] {
                try project.createLogin(name)
                try admin.addRater(name, role: role)
            }
            _ = try admin.addRubric(try Rubric.parse(rubricYAML, file: "pref.yaml"), sourcePath: "pref.yaml")
            _ = try admin.addClips(clips(["cat-m1.mp4", "cat-m2.mp4", "dog-m1.mp4", "dog-m2.mp4"]), batch: "p", rubric: "pref")
            #expect(try admin.tagClips([ClipTag(clip: "cat-m1.mp4", group: "cat", system: "m1"),
                                        ClipTag(clip: "cat-m2.mp4", group: "cat", system: "m2"),
                                        ClipTag(clip: "dog-m1.mp4", group: "dog", system: "m1"),
                                        ClipTag(clip: "dog-m2.mp4", group: "dog", system: "m2")]) == 4)
            return PairProject(project: project, uri: uri, admin: admin)
        }

        func session(_ login: String) throws -> ProjectSession {
            try ProjectStore.open(path: uri(login)).session(login: login)
        }

        func rows(_ sql: String) throws -> [[String?]] { try project.connect().execute(sql).rows }
    }

    /// The database computes each assignment's side by PairSides' rule, bit for bit (its
    /// own SplitMix64 and FNV-1a in numeric arithmetic, which wraps where bigint would fail).
    @Test func sidesAreComputedByPairSidesRule() throws {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster)
            let superuser = try project.connect()
            var checked = 0
            for batch in ["p", "week-48", "prompts.ü"] {
                for rater in ["alice", "David R."] {
                    for hadA in 0...3 {
                        for hadB in 0...3 {
                            for count in [0, 1, 2, 3, 5, 8] {
                                let swift = PairSides.sides(batch: batch, rater: rater, hadA: hadA, hadB: hadB, count: count)
                                    .map { $0 ? "a" : "b" }.joined()
                                let sql = try superuser.execute("SELECT array_to_string(concord.op_sides($1, $2, $3, $4, $5), '')",
                                                                [batch, rater, "\(hadA)", "\(hadB)", "\(count)"]).rows[0][0]
                                #expect(sql == swift, "\(batch) \(rater) \(hadA) \(hadB) \(count)")
                                checked += 1
                            }
                        }
                    }
                }
            }
            #expect(checked == 576)
            // The generator itself against known values: FNV-1a of "a" and SplitMix64's first
            // output for seed 0 (published test vectors).
            #expect(try superuser.execute("SELECT concord.op_fnv1a('a'::bytea)::text").rows == [["12638187200555641996"]])
            #expect(try superuser.execute("SELECT concord.op_splitmix(11400714819323198485)::text").rows == [["16294208416658607535"]])
        }
    }

    /// A pairwise criterion's answers are Preference.values, derived in the database from
    /// its canonical JSON (which has no options), so submit_item refuses anything else.
    @Test func pairwiseCriteriaTakeOnlyTheirValues() throws {
        try PostgresCluster.with { cluster in
            let pairs = try PairProject.make(cluster)
            #expect(try pairs.rows("""
                SELECT c->>'id', c->>'scale', c->>'options', c->>'pairwise' FROM concord.rubric_criteria rc, jsonb_array_elements(rc.criteria) c
                 ORDER BY (c->>'pos')::int
                """) == [["better", "nominal", #"["a", "b", "tie"]"#, "true"],
                         ["motion", "ordinal", #"["b/much-better", "b/better", "a/better", "a/much-better"]"#, "true"],
                         ["notes", "text", nil, "false"]])
            let added = try pairs.admin.addPairs([PairRequest(a: "cat-m1.mp4", b: "cat-m2.mp4")], batch: "p", rubric: nil)
            _ = try pairs.admin.assign(batch: "p", raters: ["alice"], overlap: nil, goldRate: nil)
            let alice = try pairs.session("alice")
            let item = added[0].item
            let refused = #expect(throws: StoreError.self) {
                _ = try alice.submitItem(ItemSubmission(item: item, answers: ["better": "left", "motion": "a/better"], frame: nil,
                                                        pts: nil, dwellMs: 1200, watchedShare: 1))
            }
            #expect(refused?.message.contains("expected one of a, b, tie; found 'left'") == true, "\(refused?.message ?? "")")
            let result = try alice.submitItem(ItemSubmission(item: item, answers: ["better": "tie", "motion": "a/much-better"],
                                                             frame: nil, pts: nil, dwellMs: 1200, watchedShare: 1))
            #expect(result.written == 2)
        }
    }

    /// A rater reads the pair of an item assigned to them and the sides of their own
    /// assignments, nothing of anyone else's, and no clip's system (which model made it) at
    /// all: blind to the model from any client. Leads, admins and auditors read every row;
    /// a model's login none of the three tables.
    @Test func aRaterReadsOnlyTheirOwnPairsAndNoSystem() throws {
        try PostgresCluster.with { cluster in
            let pairs = try PairProject.make(cluster)
            _ = try pairs.admin.addPairs([PairRequest(a: "cat-m1.mp4", b: "cat-m2.mp4"), PairRequest(a: "dog-m2.mp4", b: "dog-m1.mp4")],
                                         batch: "p", rubric: nil)
            // Items 1–4 are the pool, 5 and 6 the pairs: alice gets the cat pair, bob the dog pair.
            #expect(try pairs.admin.assign(batch: "p", raters: ["alice", "bob"], overlap: 1, goldRate: nil) == 2)
            #expect(try pairs.rows("SELECT a.item_id, r.name, s.left_clip IS NOT NULL FROM concord.assignment a JOIN concord.rater r ON r.id = a.rater_id "
                                   + "LEFT JOIN concord.assignment_side s ON s.assignment_id = a.id ORDER BY a.id")
                    == [["5", "alice", "t"], ["6", "bob", "t"]])
            func read(_ login: String, _ sql: String) throws -> [[String?]] {
                try PostgresConnection(uri: pairs.uri(login)).execute(sql).rows
            }
            #expect(try read("alice", "SELECT item_id, clip_a_id, clip_b_id, pair_group FROM concord.item_pair") == [["5", "1", "2", "cat"]])
            #expect(try read("bob", "SELECT item_id, clip_a_id, clip_b_id, pair_group FROM concord.item_pair") == [["6", "4", "3", "dog"]])
            #expect(try read("alice", "SELECT a.item_id FROM concord.assignment_side s JOIN concord.assignment a ON a.id = s.assignment_id")
                    == [["5"]])
            for login in ["alice", "bob", "mo"] {
                let refused = #expect(throws: PostgresError.self, "\(login)") {
                    try read(login, "SELECT clip_id, system FROM concord.clip_tag")
                }
                #expect(refused?.sqlState == "42501" && refused?.serverMessage == "permission denied for table clip_tag", "\(login)")
            }
            for login in ["mo"] {
                for table in ["item_pair", "assignment_side"] {
                    let refused = #expect(throws: PostgresError.self) { try read(login, "SELECT count(*) FROM concord.\(table)") }
                    #expect(refused?.serverMessage == "permission denied for table \(table)")
                }
            }
            for login in ["lena", "aud", "ada"] {
                #expect(try read(login, "SELECT count(*) FROM concord.item_pair") == [["2"]], "\(login)")
                #expect(try read(login, "SELECT count(*) FROM concord.assignment_side") == [["2"]], "\(login)")
                #expect(try read(login, "SELECT string_agg(system, ',' ORDER BY id) FROM concord.clip_tag") == [["m1,m2,m1,m2"]], "\(login)")
            }
            // Nobody writes the tables but the owner's functions, which take the actor from the login.
            for login in ["alice", "lena", "ada"] {
                for sql in ["INSERT INTO concord.clip_tag (clip_id, system, created_at) VALUES (1, 'm9', 'now')",
                            "INSERT INTO concord.assignment_side (assignment_id, left_clip, created_at) VALUES (1, 'b', 'now')",
                            "UPDATE concord.item_pair SET pair_group = 'x'"] {
                    let refused = #expect(throws: PostgresError.self, "\(login) \(sql)") { try read(login, sql) }
                    #expect(refused?.sqlState == "42501", "\(login) \(sql)")
                }
            }
            for (sql, function) in [("SELECT concord.add_pairs('p', NULL, '[]')", "add_pairs"),
                                    ("SELECT concord.tag_clips('[{\"clip\": \"cat-m1.mp4\", \"system\": \"m9\"}]')", "tag_clips"),
                                    ("SELECT concord.assign_pairs('p', '[]')", "assign_pairs")] {
                let refused = #expect(throws: PostgresError.self) { try read("alice", sql) }
                #expect(refused?.serverMessage == "permission denied for function \(function)")
            }
            // The owner's tables refuse rewriting history, the owner included.
            let owner = try pairs.project.connect()
            try owner.execute("SET ROLE concord_pairs_owner")
            let rewrite = #expect(throws: PostgresError.self) { try owner.execute("UPDATE concord.assignment_side SET left_clip = 'a'") }
            #expect(rewrite?.serverMessage == "assignment_side is append-only: history is never rewritten")
            // The lead's writes are audited and verify; the events name the lead.
            let lena = try pairs.session("lena")
            #expect(try lena.tagClips([ClipTag(clip: "cat-m1.mp4", group: nil, system: "m1-v2")]) == 1)
            #expect(try pairs.rows("SELECT actor, action FROM concord.audit_event ORDER BY seq DESC LIMIT 1") == [["lena", "clip.tag"]])
            #expect(try pairs.rows("SELECT pair_group, system FROM concord.clip_tag ORDER BY id DESC LIMIT 1") == [["cat", "m1-v2"]])
            let report = try pairs.admin.verifyAudit()
            #expect(report.intact && report.problems == [])
        }
    }
}

