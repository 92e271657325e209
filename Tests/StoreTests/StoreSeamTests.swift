import Foundation
@testable import Store
import Testing

/// The Store's reads through one SQL interface (issue 16): what a store other than SQLite
/// gets from the same code, and what the workbenches need to find a clip on the rater's
/// own machine.
@Suite struct StoreSeamTests {
    /// Any store but SQLite, as the reads see it: the same rows through `SQLDatabase` alone
    /// (so the SQLite-only bulk branches are not taken).
    struct OtherStore: SQLDatabase {
        let base: SQLiteDatabase
        func rows(_ sql: String, _ arguments: [any SQLBindable]) throws -> [SQLRow] { try base.rows(sql, arguments) }
        func execute(_ sql: String, _ arguments: [any SQLBindable]) throws { try base.execute(sql, arguments) }
    }

    /// A batch's current labels read row by row (any store) fill the same columns as
    /// SQLite's C-API bulk read: same raters in the same order, same labels, the dwell
    /// time's NULL as −1. PostgreSQL's own read fills them exactly alike.
    @Test(arguments: StoreKind.all)
    func currentLabelsReadRowByRowEqualTheBulkRead(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        let alice = try project.session("alice")
        let bob = try project.session("bob")
        try bob.submitItem(ItemSubmission(item: 2, answers: ["present": "yes", "severity": "high"], frame: 1, pts: nil, dwellMs: 700, watchedShare: 1))
        try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: nil, pts: nil, dwellMs: nil, watchedShare: 1))
        try bob.submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: nil, pts: nil, dwellMs: 300, watchedShare: 1))
        let labels = try project.admin.labelsForAgreement(batch: "b")
        #expect(labels.raters == ["alice", "bob"])
        let (read, rows) = try project.store.read { db -> (CurrentLabelColumns, CurrentLabelColumns?) in
            var read = CurrentLabelColumns()
            try read.read(db, batchID: 1, indexOfItem: [1: 0, 2: 1])
            guard let sqlite = db as? SQLiteDatabase else { return (read, nil) }
            var rows = CurrentLabelColumns()
            try rows.read(OtherStore(base: sqlite), batchID: 1, indexOfItem: [1: 0, 2: 1])
            return (read, rows)
        }
        func describe(_ c: CurrentLabelColumns) -> [String] {
            c.values.indices.map { "\(c.itemIndex[$0]) \(c.raterIDs[Int(c.raterIndex[$0])]) \(c.criteria[$0])=\(c.values[$0]) \(c.dwell[$0])" }
        }
        // SQLite's scan goes item by item, then by label_current's key (rater, criterion):
        // alice (id 2) is met first although bob answered first.
        #expect(describe(read) == ["0 2 present=no -1", "0 3 present=no 300", "1 3 present=yes 700", "1 3 severity=high 700"])
        #expect(read.raterIDs == [2, 3])
        if kind == .sqlite {
            let rows = try #require(rows)
            #expect(describe(rows) == describe(read))
            #expect(rows.raterIDs == read.raterIDs)
            #expect(rows.times == read.times)
        }
    }

    /// The queue and the adjudication context carry each clip's recorded SHA-256 and size,
    /// which find the clip file on the rater's machine whatever its name there.
    @Test(arguments: StoreKind.all)
    func theQueueAndTheAdjudicationContextCarryEachClipsHashAndSize(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        let admin = project.admin
        let alice = try project.session("alice")
        let queue = try alice.ratingQueue()
        #expect(queue.entries.map { "\($0.clip) \($0.clipPath) \($0.clipSHA256.prefix(4)) \($0.clipSizeBytes)" }
                == ["c1.mp4 /clips/c1.mp4 1111 100", "c2.mp4 /clips/c2.mp4 2222 100"])
        let context = try admin.adjudicationContext(batch: "b")
        #expect(context.clipFiles == [
            1: ClipFile(name: "c1.mp4", sha256: String(repeating: "1", count: 64), sizeBytes: 100, recordedPath: "/clips/c1.mp4"),
            2: ClipFile(name: "c2.mp4", sha256: String(repeating: "2", count: 64), sizeBytes: 100, recordedPath: "/clips/c2.mp4"),
        ])
        #expect(context.clipPaths == [1: "/clips/c1.mp4", 2: "/clips/c2.mp4"])
    }

    /// A clip in several batches: the message lists them by name, the same on every store
    /// (the rows came in no stated order before).
    @Test(arguments: StoreKind.all)
    func aClipInSeveralBatchesListsThemByName(kind: StoreKind) throws {
        let admin = try TestProject.demo(kind).admin
        let clip = ClipFacts(path: "/clips/c1.mp4", name: "c1.mp4", sha256: String(repeating: "1", count: 64), sizeBytes: 100,
                             codec: "h264", duration: 1, frameRate: 25, frameCount: 25, width: 64, height: 48, rotation: 0)
        _ = try admin.addClips([clip], batch: "z", rubric: "demo")
        _ = try admin.addClips([clip], batch: "a", rubric: "demo")
        #expect(throws: StoreError(.input, "the clip 'c1.mp4' is an item of several batches (a, b, z); give --batch or the item number")) {
            try admin.item("c1.mp4", batch: nil)
        }
    }
}
