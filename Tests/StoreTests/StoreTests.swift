import Foundation
import PostgresClient
import Rubric
import Store
import Testing

/// The Store façade in-process, with the production configuration, on both stores (a
/// temporary project file; a fresh database in the test process's PostgreSQL cluster):
/// roles, blind reads, revisions, validation, and the audit log.
@Suite struct StoreTests {
    static let rubricYAML = TestProject.rubricYAML

    /// The demo project on SQLite (`TestProject.demo`), for suites that are about the project
    /// file's SQL itself.
    static func project() throws -> (ProjectStore, ProjectSession) {
        let project = try TestProject.demo(.sqlite)
        return (project.store, project.admin)
    }

    @Test(arguments: StoreKind.all)
    func labelsAreRevisionsAndReadsAreBlind(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        let admin = project.admin
        let alice = try project.session("alice")
        let bob = try project.session("bob")
        #expect(try alice.assignedItems().map(\.clip) == ["c1.mp4", "c2.mp4"])
        // Whole items, as the workbench submits them; "yes" also asks for severity.
        func submit(_ rater: ProjectSession, _ item: Int64, _ answers: [String: String], frame: Int? = nil) throws -> SubmitResult {
            try rater.submitItem(ItemSubmission(item: item, answers: answers, frame: frame, pts: nil, dwellMs: nil, watchedShare: 1))
        }
        #expect(try submit(alice, 1, ["present": "yes", "severity": "low"], frame: 3) == SubmitResult(written: 2, withdrawn: 0))
        #expect(try submit(alice, 1, ["present": "no"]) == SubmitResult(written: 1, withdrawn: 1))
        #expect(try submit(bob, 1, ["present": "yes", "severity": "high"]) == SubmitResult(written: 2, withdrawn: 0))
        // Blind: each rater reads only their own current labels; the admin reads all.
        #expect(try alice.exportLabels().map { "\($0.rater) \($0.value) r\($0.revision)" } == ["alice no r2"])
        #expect(try bob.exportLabels().map { "\($0.rater) \($0.value)" } == ["bob yes", "bob high"])
        #expect(try admin.exportLabels().count == 3)
        // A hidden criterion's answer is not stored: alice's present is now "no".
        #expect(try submit(alice, 1, ["present": "no", "severity": "low"]) == SubmitResult(written: 0, withdrawn: 0))
        #expect(try alice.exportLabels().map { "\($0.criterion)=\($0.value) r\($0.revision)" } == ["present=no r2"])
        #expect(throws: StoreError(.input, "present: expected one of yes, no; found 'maybe'")) {
            try submit(alice, 2, ["present": "maybe"])
        }
        let report = try admin.verifyAudit()
        #expect(report.intact, "\(report.problems)")
    }

    @Test(arguments: StoreKind.all)
    func rolesAreEnforcedInsideStore(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        let alice = try project.session("alice")
        let auditor = try project.session("aud")
        #expect(throws: StoreError(.permission, "alice is a rater and cannot add raters or change roles (admins only)")) {
            try alice.addRater("mallory", role: .admin)
        }
        #expect(throws: StoreError(.permission, "alice is a rater and cannot read agreement and progress of the whole project (leads, auditors and admins)")) {
            try alice.labelsForAgreement(batch: "b")
        }
        #expect(throws: StoreError(.permission, "aud is an auditor and cannot read labels (raters see their own; leads and admins all)")) {
            try auditor.exportLabels()
        }
        #expect(throws: StoreError(.permission, "--as is for admins; alice is a rater")) {
            try project.session("alice", actingAs: "bob")
        }
        // On PostgreSQL only the project's group roles may CONNECT, so carol is stopped there.
        let notHere = kind == .sqlite ? "in this project" : "in the project at \(redacted(project.uri(as: "carol")))"
        #expect(throws: StoreError(.permission, "carol is not a rater \(notHere); an admin can add you with: concord rater add carol --role rater")) {
            try project.session("carol")
        }
        // Auditors read aggregates.
        #expect(try auditor.labelsForAgreement(batch: "b").items.count == 2)
    }

    @Test(arguments: StoreKind.all)
    func importIsAllOrNothingAndIdempotent(kind: StoreKind) throws {
        let admin = try TestProject.demo(kind).admin
        let good = [LabelImportRow(line: 2, clip: "c1.mp4", rater: "alice", criterion: "present", value: "yes"),
                    LabelImportRow(line: 3, clip: "c1.mp4", rater: "alice", criterion: "severity", value: "high"),
                    LabelImportRow(line: 4, clip: String(repeating: "2", count: 12), rater: "bob", criterion: "present", value: "no")]
        let bad = good + [LabelImportRow(line: 5, clip: "c2.mp4", rater: "bob", criterion: "severity", value: "low")]
        #expect(throws: StoreError(.input, "in.csv: 1 problem; nothing was imported",
                                   details: ["in.csv:5: severity is only asked when present is yes, which this rater's answers for c2.mp4 do not meet"])) {
            try admin.importLabels(bad, file: "in.csv", fileSHA256: "x")
        }
        #expect(try admin.exportLabels().isEmpty)
        #expect(try admin.importLabels(good, file: "in.csv", fileSHA256: "x") == ImportSummary(added: 3, revised: 0, unchanged: 0))
        #expect(try admin.importLabels(good, file: "in.csv", fileSHA256: "x") == ImportSummary(added: 0, revised: 0, unchanged: 3))
        let events = try admin.verifyAudit().events
        var revised = good
        revised[2].value = "yes"
        #expect(try admin.importLabels(revised, file: "in2.csv", fileSHA256: "y") == ImportSummary(added: 0, revised: 1, unchanged: 2))
        #expect(try admin.verifyAudit().events == events + 1)
        #expect(try admin.exportLabels().first { $0.rater == "bob" }?.revision == 2)
    }

    @Test(arguments: StoreKind.all)
    func overlapSpreadsItemsEvenly(kind: StoreKind) throws {
        let project = try TestProject.empty(kind)
        let admin = project.admin
        _ = try admin.addRubric(try Rubric.parse(Self.rubricYAML, file: "demo.yaml"), sourcePath: "demo.yaml")
        let raters = ["r1", "r2", "r3", "r4"]
        for r in raters { try project.addRater(r, role: .rater) }
        let clips = (1...10).map { i in
            ClipFacts(path: "/c\(i)", name: "c\(i).mp4", sha256: String(format: "%064d", i), sizeBytes: 1, codec: "h264",
                      duration: 1, frameRate: 25, frameCount: 25, width: 8, height: 8, rotation: 0)
        }
        _ = try admin.addClips(clips, batch: "b", rubric: "demo")
        #expect(try admin.assign(batch: "b", raters: raters, overlap: 2, goldRate: nil) == 20)
        let loads = try raters.map { try project.session($0).assignedItems().count }
        #expect(loads == [5, 5, 5, 5])
        #expect(try admin.status(batch: "b")[0].raters.map(\.assigned) == [5, 5, 5, 5])
    }
}
