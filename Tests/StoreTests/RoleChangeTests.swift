import Foundation
import Store
import Testing

/// A person's concord role can change (`rater add NAME --role ROLE` again): what they may
/// read and write follows at their next session, on both stores (on PostgreSQL the login's
/// group role is swapped, so the database's grants and row security follow too).
@Suite struct RoleChangeTests {
    static func seen(_ session: ProjectSession) throws -> [String] {
        try session.exportLabels().map { "\($0.rater)=\($0.value)" }
    }

    @Test(arguments: StoreKind.all)
    func aRaterMadeLeadThenAuditorThenRaterAgainReadsWhatEachRoleReads(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        for (rater, value) in [("alice", "no"), ("bob", "yes")] {
            try project.session(rater).submitItem(ItemSubmission(item: 1, answers: ["present": value, "severity": value == "yes" ? "low" : ""],
                                                                 frame: 0, pts: 0, dwellMs: 1, watchedShare: 1))
        }
        #expect(try Self.seen(project.session("alice")) == ["alice=no"])

        #expect(try project.admin.addRater("alice", role: .lead))
        let lead = try project.session("alice")
        #expect(lead.actor.role == .lead)
        #expect(try Self.seen(lead) == ["alice=no", "bob=yes", "bob=low"])
        #expect(try lead.pendingSendBacks(batch: "b") == [:])

        #expect(try project.admin.addRater("alice", role: .auditor))
        let auditor = try project.session("alice")
        #expect(throws: StoreError(.permission, "alice is an auditor and cannot read labels (raters see their own; leads and admins all)")) {
            try auditor.exportLabels()
        }
        #expect(try auditor.labelsForAgreement(batch: "b").items.count == 2)
        #expect(throws: StoreError(.permission, "alice is an auditor and has no labeling queue")) { try auditor.ratingQueue() }

        #expect(try project.admin.addRater("alice", role: .rater))
        let rater = try project.session("alice")
        #expect(try Self.seen(rater) == ["alice=no"])
        #expect(throws: StoreError(.permission, "alice is a rater and cannot read agreement and progress of the whole project (leads, auditors and admins)")) {
            try rater.labelsForAgreement(batch: "b")
        }
        #expect(try project.admin.raters().map { "\($0.name) \($0.role)" } == ["admin admin", "alice rater", "aud auditor", "bob rater"])
        #expect(try project.admin.verifyAudit().problems == [])
    }
}
