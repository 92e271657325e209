import Foundation
import Store
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
