import Foundation
import Rubric
import Store
import Testing

/// What the workbench asks of the Store: a rater's queue with their own answers only, whole
/// items submitted in one transaction, withdrawals of answers no longer asked, skips and
/// flags, the resume point, and `require_full_view`; on both stores.
@Suite struct WorkbenchStoreTests {
    @Test(arguments: StoreKind.all)
    func queueHoldsOnlyTheRatersOwnAnswersAndResumesAtTheFirstUnfinished(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        let alice = try project.session("alice")
        let bob = try project.session("bob")
        try bob.submitItem(ItemSubmission(item: 1, answers: ["present": "yes", "severity": "high"], frame: 3, pts: 0.12,
                                          dwellMs: 900, watchedShare: 1))
        var queue = try alice.ratingQueue()
        #expect(queue.entries.map(\.clip) == ["c1.mp4", "c2.mp4"])
        #expect(queue.entries.allSatisfy { $0.answers.isEmpty })   // blind: bob's answers are not there
        #expect(queue.resumeIndex == 0)
        let result = try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: 10, pts: 0.4,
                                                         dwellMs: 1500, watchedShare: 0.5))
        #expect(result == SubmitResult(written: 1, withdrawn: 0))
        queue = try alice.ratingQueue()
        #expect(queue.entries[0].answers == ["present": "no"])
        #expect(queue.entries[0].submitted)
        #expect(queue.resumeIndex == 1)
        try alice.markItem(2, kind: .skip, note: "clip is black")
        queue = try alice.ratingQueue()
        #expect(queue.entries[1].skipped)
        #expect(queue.resumeIndex == 1)   // all finished: the last item
        let label = try #require(try alice.exportLabels().first)
        #expect(label.frame == 10 && label.pts == 0.4 && label.dwellMs == 1500)
    }

    @Test(arguments: StoreKind.all)
    func revisingWithdrawsAnswersThatAreNoLongerAsked(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        let admin = project.admin
        let alice = try project.session("alice")
        try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "yes", "severity": "high"], frame: 0, pts: 0,
                                            dwellMs: 10, watchedShare: 1))
        #expect(try admin.labelsForAgreement(batch: "b").value.sorted() == ["high", "yes"])
        // Unchanged answers write nothing but the submission record.
        #expect(try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "yes", "severity": "high"], frame: 0,
                                                    pts: 0, dwellMs: 10, watchedShare: 1)) == SubmitResult(written: 0, withdrawn: 0))
        // present yes → no: severity is hidden and its old answer withdrawn (a revision).
        let result = try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "no", "severity": "high"], frame: 0,
                                                         pts: 0, dwellMs: 10, watchedShare: 1))
        #expect(result == SubmitResult(written: 1, withdrawn: 1))
        #expect(try admin.labelsForAgreement(batch: "b").value == ["no"])
        #expect(try alice.exportLabels().map { "\($0.criterion)=\($0.value) r\($0.revision)" } == ["present=no r2"])
        #expect(try alice.ratingQueue().entries[0].answers == ["present": "no"])
        let status = try #require(try admin.status().first?.raters.first { $0.rater == "alice" })
        #expect(status.labels == 1 && status.labeled == 1)
        #expect(try admin.verifyAudit().intact)
    }

    @Test(arguments: StoreKind.all)
    func incompleteOrInvalidItemsAreRefusedWholly(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        let admin = project.admin
        let alice = try project.session("alice")
        #expect(throws: StoreError(.input, "not complete: severity must be answered first")) {
            try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "yes"], frame: 0, pts: 0, dwellMs: 1, watchedShare: 1))
        }
        #expect(throws: StoreError(.input, "severity: expected one of low, high; found 'huge'")) {
            try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "yes", "severity": "huge"], frame: 0, pts: 0,
                                                dwellMs: 1, watchedShare: 1))
        }
        #expect(throws: StoreError(.input, "the rubric 'demo' has no criterion 'colour'")) {
            try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "no", "colour": "red"], frame: 0, pts: 0,
                                                dwellMs: 1, watchedShare: 1))
        }
        #expect(throws: StoreError(.input, "frame 25 is outside the clip c1.mp4 (0–24)")) {
            try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: 25, pts: 0, dwellMs: 1, watchedShare: 1))
        }
        #expect(throws: StoreError(.input, "a skip needs a reason")) { try alice.markItem(1, kind: .skip, note: "  ") }
        let aud = try project.session("aud")
        #expect(throws: StoreError(.permission, "aud is an auditor and has no labeling queue")) { try aud.ratingQueue() }
        #expect(throws: StoreError(.permission, "aud is an auditor and cannot submit labels (raters, leads and admins)")) {
            try aud.submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: 0, pts: 0, dwellMs: 1, watchedShare: 1))
        }
        #expect(try admin.exportLabels().isEmpty)
        #expect(try alice.ratingQueue().entries.allSatisfy { !$0.submitted })
    }

    @Test(arguments: StoreKind.all)
    func requireFullViewRefusesUntilTheClipWasWatched(kind: StoreKind) throws {
        let admin = try TestProject.empty(kind).admin
        _ = try admin.addRubric(try Rubric.parse("require_full_view: true\n" + StoreTests.rubricYAML.replacingOccurrences(of: "name: demo", with: "name: full"),
                                                 file: "full.yaml"), sourcePath: "full.yaml")
        _ = try admin.addClips([ClipFacts(path: "/c.mp4", name: "c.mp4", sha256: String(repeating: "a", count: 64), sizeBytes: 1,
                                          codec: "h264", duration: 1, frameRate: 25, frameCount: 25, width: 8, height: 8, rotation: 0)],
                               batch: "b", rubric: "full")
        _ = try admin.assign(batch: "b", raters: ["admin"], overlap: nil, goldRate: nil)
        #expect(throws: StoreError(.input, "the rubric 'full' asks for the whole clip to be watched first (96% seen)")) {
            try admin.submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: 0, pts: 0, dwellMs: 1, watchedShare: 24.0 / 25))
        }
        #expect(try admin.submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: 24, pts: 0.96, dwellMs: 1,
                                                    watchedShare: 1)).written == 1)
    }
}

/// The live dashboard and queue read again only when `dataVersion` changes: on SQLite when
/// another connection commits (`PRAGMA data_version`), on PostgreSQL when a write
/// function's NOTIFY arrives (docs/server.md).
@Suite struct DataVersionTests {
    @Test(arguments: StoreKind.all)
    func anotherPersonsCommitChangesTheDataVersion(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        // Another connection than alice's: SQLite's number counts other connections' commits.
        let watcher = kind == .sqlite ? try ProjectStore.open(path: project.location).session(login: TestProject.adminName) : project.admin
        let before = try watcher.dataVersion()
        try project.session("alice").submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: 0, pts: 0, dwellMs: 1, watchedShare: 1))
        // A notification crosses a socket: look until it is there (or give up after 10 s).
        let deadline = ContinuousClock.now + .seconds(10)
        var after = try watcher.dataVersion()
        while after == before && ContinuousClock.now < deadline {
            usleep(5_000)
            after = try watcher.dataVersion()
        }
        #expect(after != before)
        #expect(try watcher.labelChanges(batch: "b", after: 0).changes.map { "\($0.rater) \($0.criterion)=\($0.value)" } == ["alice present=no"])
    }
}
