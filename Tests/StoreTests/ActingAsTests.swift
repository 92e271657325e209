import Foundation
@testable import Store
import Testing

/// `--as` is for admins only, whatever name it gives (docs/security.md "Identity").
@Suite struct ActingAsTests {
    @Test(arguments: StoreKind.all)
    func nonAdminsAreRefusedEvenWithTheirOwnName(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        try project.addRater("lea", role: .lead)
        for (login, role) in [("alice", "a rater"), ("lea", "a lead"), ("aud", "an auditor")] {
            #expect(throws: StoreError(.permission, "--as is for admins; \(login) is \(role)")) {
                try project.session(login, actingAs: login)
            }
        }
        // An admin naming themselves is simply themselves.
        let same = try project.session("admin", actingAs: "admin")
        #expect(same.actor.name == "admin" && same.via == nil)
    }
}

/// What an admin does as someone else (`--as`) is that person's work, and the audit log
/// names the admin too: on PostgreSQL the functions' `p_as`, checked by the database.
@Suite struct ActingAsWritesTests {
    @Test(arguments: StoreKind.all)
    func anAdminsWriteAsARaterIsTheRatersAndTheLogSaysVia(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        let asAlice = try project.session("admin", actingAs: "alice")
        #expect(asAlice.actor.name == "alice" && asAlice.via == "admin")
        #expect(try asAlice.submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: 0, pts: 0, dwellMs: 1, watchedShare: 1))
                == SubmitResult(written: 1, withdrawn: 0))
        try asAlice.markItem(2, kind: .flag, note: "dark")
        #expect(try project.session("alice").exportLabels().map { "\($0.rater) \($0.criterion)=\($0.value)" } == ["alice present=no"])
        #expect(try project.session("alice").ratingQueue().entries.map(\.flagged) == [false, true])
        let events = try project.store.read { db in
            try db.rows("SELECT actor, action, payload FROM audit_event ORDER BY seq DESC LIMIT 2", []).map { row -> String in
                let payload = try JSONSerialization.jsonObject(with: Data((row["payload"] as String).utf8)) as? [String: Any]
                return "\(row["actor"] as String) \(row["action"] as String) via \(payload?["via"] as? String ?? "-")"
            }
        }
        #expect(events == ["alice item.flag via admin", "alice item.submit via admin"])
        #expect(try project.admin.verifyAudit().problems == [])
    }
}
