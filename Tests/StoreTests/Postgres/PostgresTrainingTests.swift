import Foundation
import PostgresClient
import PostgresTestSupport
import Rubric
@testable import Store
import Testing

/// Training mode on PostgreSQL: raters cannot read `gold` (gold questions are blind), so a
/// training item's answers reach a rater through `concord.training_answers`, under the
/// SQLite store's rule: only for a training item, and only once the rater has answered it.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresTrainingTests {
    @Test func aRaterSeesATrainingItemsGoldOnlyAfterAnsweringIt() throws {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster, database: "concord_training", admin: "ada")
            for login in ["alice", "bob", "lena"] { try project.createLogin(login) }
            let uri = { (user: String) in cluster.uri(database: "concord_training", user: user) }
            let admin = try ProjectStore.open(path: uri("ada")).session(login: "ignored")
            #expect(admin.actor.name == "ada")   // the server's session_user, not the login passed
            try admin.addRater("alice", role: .rater)
            try admin.addRater("bob", role: .rater)
            try admin.addRater("lena", role: .lead)
            _ = try admin.addRubric(try Rubric.parse(SeededProject.rubricYAML, file: "seed.yaml"), sourcePath: "seed.yaml")
            let clips = (1...2).map { i in
                ClipFacts(path: "/clips/c\(i).mp4", name: "c\(i).mp4", sha256: String(repeating: "\(i)", count: 64), sizeBytes: 1_000,
                          codec: "h264", duration: 1, frameRate: 25, frameCount: 25, width: 64, height: 48, rotation: 0)
            }
            _ = try admin.addClips(clips, batch: "b", rubric: "seed")
            _ = try admin.assign(batch: "b", raters: ["alice", "bob"], overlap: nil, goldRate: nil)
            let lead = try ProjectStore.open(path: uri("lena")).session(login: "lena")
            try lead.addGold(item: 1, criterion: "present", value: "yes", training: true)
            try lead.addGold(item: 2, criterion: "present", value: "no")            // gold, not training

            let alice = try ProjectStore.open(path: uri("alice")).session(login: "alice")
            #expect(try alice.goldFeedback(item: 1) == [:])                           // not answered yet
            _ = try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: nil, pts: nil, dwellMs: nil, watchedShare: 1))
            #expect(try alice.goldFeedback(item: 1) == ["present": "yes"])
            _ = try alice.submitItem(ItemSubmission(item: 2, answers: ["present": "no"], frame: nil, pts: nil, dwellMs: nil, watchedShare: 1))
            #expect(try alice.goldFeedback(item: 2) == [:])                           // a gold question stays blind
            let bob = try ProjectStore.open(path: uri("bob")).session(login: "bob")
            #expect(try bob.goldFeedback(item: 1) == [:])                             // alice's answer is not bob's

            // And from psql-like SQL as the rater: gold itself is not readable.
            let raw = try PostgresConnection(uri: uri("alice"))
            let refused = #expect(throws: PostgresError.self) { try raw.execute("SELECT value FROM concord.gold") }
            #expect(refused?.sqlState == "42501")
        }
    }
}
