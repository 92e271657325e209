import Foundation
import Testing

/// Edits made behind concord's back with the sqlite3 CLI (triggers dropped where they
/// would refuse) are caught by `concord audit verify`: exit 1, naming the first broken
/// event or the changed rows.
///
/// The standard project's audit log: 1 init, 2 rubric.add, 3–8 rater.add (alice, bob,
/// lena, aud, adm2, m1), 9 clip.add, 10 assign, 11 label.import (label rows 1–10).
/// SQLite only: it edits the file with sqlite3 (on PostgreSQL no login may write behind concord:
/// PostgresRoleTests; a superuser's rewrite is caught by an anchor: AuditAnchorTests).
@Suite struct ProjectTamperTests {
    enum Tamper: String, CaseIterable, Sendable {
        case labelValueUpdated, labelRowDeleted, labelInserted, roleEscalated, currentLabelRepointed
        case eventDeleted, lastEventDeleted, payloadAltered, actorAltered
    }

    func expectBroken(_ project: Project, _ problems: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = "concord: audit log BROKEN: " + problems.joined(separator: "\n") + "\n"
        for actor in [nil, "lena", "aud"] as [String?] {
            let result = try project.run(["audit", "verify"], as: actor)
            #expect(result.status == 1, "\(actor ?? testLogin): status \(result.status)", sourceLocation: sourceLocation)
            #expect(result.stdout == "", sourceLocation: sourceLocation)
            #expect(result.stderr == expected, sourceLocation: sourceLocation)
        }
    }

    func at(_ project: Project, event seq: Int) throws -> String {
        try project.sql("SELECT at FROM audit_event WHERE seq = \(seq);").trimmingCharacters(in: .newlines)
    }

    @Test(arguments: Tamper.allCases)
    func tamperingIsCaught(_ tamper: Tamper) throws {
        let project = try Standard.copy()
        defer { project.remove() }
        #expect(try project.ok(["audit", "verify"]).hasPrefix("audit log intact: 11 events, chain and 41 audited rows verified\nanchor "))
        let me = testLogin
        let behindTheBack = "that no audit event wrote: added behind concord's back"
        /// Unaudited rows after every audited one: the deleted tail of the chain is a suspect.
        func afterTheTail(_ id: String, newest: Int) -> String {
            " (from id \(id), after every audited row; the newest event is \(newest): an event after it may have been deleted)"
        }
        switch tamper {
        case .labelValueUpdated:
            try project.sql("DROP TRIGGER label_no_update; UPDATE label SET value = 'no' WHERE id = 1;")
            // concord itself now reads the forged value...
            #expect(labelKeys(try project.ok(["label", "export"])).first == "a.mp4 alice present=no")
            // ...but the digest the import recorded no longer matches.
            try expectBroken(project, ["event 11 (label.import by \(me)): rows 1–10 of label were changed or removed since they were written"])
        case .labelRowDeleted:
            try project.sql("DROP TRIGGER label_no_delete; DELETE FROM label WHERE id = 7;")
            try expectBroken(project, ["event 11 (label.import by \(me)): rows 1–10 of label were changed or removed since they were written"])
        case .labelInserted:
            // Inserting needs no trigger dropped: a forged new revision of bob's c.mp4 answer.
            try project.sql("""
                CREATE TEMP TABLE forged AS SELECT * FROM label WHERE id = 6;
                UPDATE forged SET id = 11, value = 'no', revision = revision + 1;
                INSERT INTO label SELECT * FROM forged;
                """)
            // concord reads current labels from its cache, which only Store writes, so the
            // forgery does not even reach an export...
            #expect(!labelKeys(try project.ok(["label", "export"])).contains("c.mp4 bob present=no"))
            // ...and verify names both the unaccounted row and the cache that no longer
            // points at the latest revision.
            try expectBroken(project, ["label has 1 row(s) \(behindTheBack)\(afterTheTail("11", newest: 11))",
                                       "1 current label(s) do not point at their latest revision"])
        case .roleEscalated:
            try project.sql("""
                INSERT INTO rater_role (rater_id, role, created_at)
                SELECT id, 'admin', '2026-01-01T00:00:00.000Z' FROM rater WHERE name = 'alice';
                """)
            let forged = try project.sql("SELECT max(id) FROM rater_role;").trimmingCharacters(in: .newlines)
            try expectBroken(project, ["rater_role has 1 row(s) \(behindTheBack)\(afterTheTail(forged, newest: 11))"])
        case .currentLabelRepointed:
            // A revision through concord (label 11, event 12), then the cache pointed back.
            let revision = project.dir + "/revision.csv"
            try writeFile(revision, "clip,rater,criterion,value\na.mp4,alice,severity,moderate\n")
            #expect(try project.ok(["label", "import", revision]) == "\(revision): imported 0 new labels and 1 revision\n")
            try project.sql("UPDATE label_current SET label_id = 2 WHERE label_id = 11;")
            #expect(labelKeys(try project.ok(["label", "export"])).contains("a.mp4 alice severity=minor"))
            try expectBroken(project, ["1 current label(s) do not point at their latest revision"])
        case .eventDeleted:
            // Event 5 added lena: the chain breaks there, and her rows lose their event.
            let lena = try project.sql("SELECT id FROM rater WHERE name = 'lena';").trimmingCharacters(in: .newlines)
            let lenaRole = try project.sql("SELECT min(id) FROM rater_role WHERE rater_id = \(lena);").trimmingCharacters(in: .newlines)
            try project.sql("DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE seq = 5;")
            try expectBroken(project, [
                "event 5 is missing (the next event is 6)",
                "event 6 (rater.add by \(me)) does not follow event 5: its previous-hash does not match",
                "rater has 1 row(s) \(behindTheBack) (from id \(lena))",
                "rater_role has 1 row(s) \(behindTheBack) (from id \(lenaRole))",
            ])
        case .lastEventDeleted:
            // The chain is whole without its tail, but the labels it wrote are unaccounted for.
            try project.sql("DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE seq = 11;")
            // The rows name where the chain's tail went: after event 10.
            try expectBroken(project, ["label has 10 row(s) \(behindTheBack)\(afterTheTail("1", newest: 10))"])
        case .payloadAltered:
            let at = try at(project, event: 9)
            try project.sql("DROP TRIGGER audit_event_no_update; UPDATE audit_event SET payload = replace(payload, 'b.mp4', 'z.mp4') WHERE seq = 9;")
            try expectBroken(project, ["event 9 (clip.add by \(me) at \(at)) was altered: its hash does not match its contents"])
        case .actorAltered:
            let at = try at(project, event: 11)
            try project.sql("DROP TRIGGER audit_event_no_update; UPDATE audit_event SET actor = 'bob' WHERE seq = 11;")
            try expectBroken(project, ["event 11 (label.import by bob at \(at)) was altered: its hash does not match its contents"])
        }
    }

    /// Without dropping them, the triggers refuse every UPDATE and DELETE of history.
    @Test func triggersRefuseRewritingHistory() throws {
        let project = try Standard.copy()
        defer { project.remove() }
        let sqlite3 = try #require(Tool.which("sqlite3"))
        for (table, condition) in [("label", "id = 1"), ("audit_event", "seq = 1"), ("rater_role", "id = 2"), ("clip", "id = 1"),
                                   ("assignment", "id = 1"), ("rubric_version", "id = 1")] {
            let column = ["label": "value", "audit_event": "actor", "rater_role": "role", "clip": "name", "assignment": "created_at",
                          "rubric_version": "name"][table]!
            for statement in ["UPDATE \(table) SET \(column) = 'x' WHERE \(condition);", "DELETE FROM \(table) WHERE \(condition);"] {
                let result = try Tool.run(sqlite3, ["-batch", project.db, statement])
                #expect(result.status != 0, "\(statement) was allowed")
                #expect(result.stderr.contains("\(table) is append-only: history is never rewritten"), "\(statement): \(result.stderr)")
            }
        }
        #expect(try project.ok(["audit", "verify"]).hasPrefix("audit log intact: 11 events, chain and 41 audited rows verified\nanchor "))
    }
}
