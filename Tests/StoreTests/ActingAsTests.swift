import Foundation
import Store
import Testing

/// `--as` is for admins only, whatever name it gives (docs/security.md "Identity").
@Suite struct ActingAsTests {
    @Test func nonAdminsAreRefusedEvenWithTheirOwnName() throws {
        let (store, admin) = try StoreTests.project()
        try admin.addRater("lea", role: .lead)
        for (login, role) in [("alice", "a rater"), ("lea", "a lead"), ("aud", "an auditor")] {
            #expect(throws: StoreError(.permission, "--as is for admins; \(login) is \(role)")) {
                try store.session(login: login, actingAs: login)
            }
        }
        // An admin naming themselves is simply themselves.
        let same = try store.session(login: "admin", actingAs: "admin")
        #expect(same.actor.name == "admin" && same.via == nil)
    }
}
