import Foundation
import Rubric
@testable import Store
import Testing

/// A send-back names its raters as rows (`decision_rater`, migration v6), matched by rater
/// id. They were a comma list matched with `LIKE '%,' || name || ',%'`, where `_` is a
/// wildcard: a send-back to `a-b` also reached `a_b`.
@Suite struct DecisionRaterTests {
    /// The demo project with raters `a-b` and `a_b` (and the lead lee), both assigned and
    /// both having submitted item 1.
    static func project(_ kind: StoreKind) throws -> TestProject {
        let project = try TestProject.demo(kind)
        try project.addRater("a-b", role: .rater)
        try project.addRater("a_b", role: .rater)
        try project.addRater("lee", role: .lead)
        _ = try project.admin.assign(batch: "b", raters: ["a-b", "a_b"], overlap: nil, goldRate: nil)
        for name in ["a-b", "a_b"] {
            try project.session(name)
                .submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: 0, pts: 0, dwellMs: 1, watchedShare: 1))
        }
        usleep(2_000)   // timestamps have milliseconds: a send-back must come after the answers
        return project
    }

    static func sentBack(_ project: TestProject, _ rater: String) throws -> [String?] {
        try project.session(rater).ratingQueue().entries.map(\.sentBack)
    }

    @Test(arguments: StoreKind.all)
    func anUnderscoreInARatersNameIsNotAWildcard(kind: StoreKind) throws {
        let project = try Self.project(kind)
        let lee = try project.session("lee")
        try lee.sendBack(item: 1, raters: ["a-b"], note: "look at 3 s")
        #expect(try Self.sentBack(project, "a-b") == ["look at 3 s", nil])
        #expect(try Self.sentBack(project, "a_b") == [nil, nil])
        #expect(try lee.pendingSendBacks(batch: "b") == [1: ["a-b"]])
        #expect(try lee.adjudicationContext(batch: "b").decisions.map(\.raters) == [["a-b"]])
        let report = try project.admin.verifyAudit()
        #expect(report.intact, "\(report.problems)")
    }

    @Test(arguments: StoreKind.all)
    func ratersKeepTheOrderTheLeadNamedThem(kind: StoreKind) throws {
        let project = try Self.project(kind)
        let lee = try project.session("lee")
        try lee.sendBack(item: 1, raters: ["a_b", "a-b"], note: nil)
        #expect(try lee.pendingSendBacks(batch: "b") == [1: ["a_b", "a-b"]])
        #expect(try lee.adjudicationContext(batch: "b").decisions.map(\.raters) == [["a_b", "a-b"]])
        #expect(try Self.sentBack(project, "a-b") == ["", nil])
        #expect(try Self.sentBack(project, "a_b") == ["", nil])
    }

    /// A project written before v6: its send-backs' comma lists are copied into
    /// `decision_rater` by the migration, which audits the rows it wrote, so `audit verify`
    /// stays intact and an anchor taken before still matches. SQLite only: a PostgreSQL
    /// project begins at its own schema (pg1, now pg2), which has `decision_rater` from the start.
    @Test func theMigrationCopiesOldSendBacksAndTheLogStaysIntact() throws {
        let project = try Self.project(.sqlite)
        let (store, admin) = (project.store, project.admin)
        let lee = try store.session(login: "admin", actingAs: "lee")
        // Back to schema v5, then the send-back as v5 wrote it: the raters as a comma list.
        try store.write { db in
            try db.execute(sql: "DROP TABLE decision_rater; DELETE FROM grdb_migrations WHERE identifier = 'v6'")
        }
        try lee.audited("decision.send_back", tables: ["decision"]) { db in
            try db.execute(sql: "INSERT INTO decision (item_id, lead_id, kind, note, raters, created_at) VALUES (1, ?, 'send_back', 'again', 'a-b,alice', ?)",
                           arguments: [lee.actor.id, Clock.now()])
            return ((), ["item": 1, "raters": ["a-b", "alice"], "note": "again"])
        }
        let anchor = try #require(try admin.auditHead())
        let path = store.path
        let reopened = try ProjectStore.open(path: path)
        let lead = try reopened.session(login: "admin", actingAs: "lee")
        #expect(try lead.pendingSendBacks(batch: "b") == [1: ["a-b", "alice"]])
        #expect(try lead.adjudicationContext(batch: "b").decisions.map(\.raters) == [["a-b", "alice"]])
        func sentBack(_ rater: String) throws -> [String?] {
            try reopened.session(login: "admin", actingAs: rater).ratingQueue().entries.map(\.sentBack)
        }
        #expect(try sentBack("a-b") == ["again", nil])
        #expect(try sentBack("a_b") == [nil, nil])
        #expect(try sentBack("alice") == ["again", nil])   // alice has not answered item 1 at all
        let report = try reopened.session(login: "admin").verifyAudit(anchors: [anchor])
        #expect(report.problems == [])
        #expect(report.events == Int(anchor.seq) + 1)
        let event = try reopened.read { db in
            try db.value(String.self, "SELECT actor || ' ' || action FROM audit_event ORDER BY seq DESC LIMIT 1")
        }
        #expect(event == "concord schema.v6")
        // Opening again migrates nothing and writes nothing.
        _ = try ProjectStore.open(path: path)
        #expect(try reopened.session(login: "admin").verifyAudit().events == report.events)
    }
}
