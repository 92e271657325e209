import Rubric
import Store
import Testing

/// `ProjectSession.viewing`: the latest workbench submission of each (item, rater), with its
/// watched share and dwell, and each clip's duration — the same on both stores, refused to
/// raters (it is another rater's behaviour), and nothing for imported labels.
@Suite struct ViewingTests {
    @Test(arguments: StoreKind.all)
    func latestSubmissionPerItemAndRaterWithDurations(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        let alice = try project.session("alice"), bob = try project.session("bob")
        func submit(_ rater: ProjectSession, _ item: Int64, share: Double, dwell: Int?) throws {
            _ = try rater.submitItem(ItemSubmission(item: item, answers: ["present": "no"], frame: 0, pts: 0, dwellMs: dwell, watchedShare: share))
        }
        try submit(alice, 1, share: 0.5, dwell: 900)
        try submit(bob, 2, share: 0.25, dwell: nil)
        try submit(alice, 1, share: 1, dwell: 4_000)          // a revisit: the one that counts
        _ = try project.admin.importLabels([LabelImportRow(line: 2, clip: "c2.mp4", rater: "alice", criterion: "present", value: "yes")],
                                           file: "labels.csv", fileSHA256: String(repeating: "b", count: 64), batch: "b")
        let viewing = try project.session("aud").viewing(batch: "b")
        #expect(viewing.batch == "b")
        #expect(viewing.durations == [1: 1, 2: 1])
        #expect(viewing.records == [BatchViewing.Record(item: 2, rater: "bob", watchedShare: 0.25, dwellMs: nil),
                                    BatchViewing.Record(item: 1, rater: "alice", watchedShare: 1, dwellMs: 4_000)])
        #expect(try project.admin.viewing(batch: "b") == viewing)
    }

    @Test(arguments: StoreKind.all)
    func refusedToRatersAndForAnUnknownBatch(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        #expect { try project.session("alice").viewing(batch: "b") } throws: { error in
            (error as? StoreError)?.kind == .permission
        }
        #expect { try project.admin.viewing(batch: "nope") } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.kind == .input && "\(error)".contains("no batch named 'nope'; batches: b")
        }
    }
}
