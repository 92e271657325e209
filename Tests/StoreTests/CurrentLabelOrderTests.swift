import Foundation
import Rubric
import Store
import Testing

/// A batch's current labels for agreement come in one order on both stores: SQLite's scan
/// order (clip by clip, then rater id, then criterion bytewise), which PostgreSQL's bulk read
/// (`COPY … TO STDOUT`) spells out. So raters are numbered alike and every sum runs in the
/// same order whichever store holds the project.
@Suite struct CurrentLabelOrderTests {
    /// Batch `b2` holds the demo's clips in the other order (c2 first), and bob (added after
    /// alice, so a higher id) answers first: an order of insertion is none of the scan's.
    /// Only current, non-empty answers count: a revised label and a withdrawn one do not.
    static func labels(_ kind: StoreKind) throws -> BatchLabels {
        let project = try TestProject.demo(kind)
        let clips = (1...2).reversed().map { i in
            ClipFacts(path: "/clips/c\(i).mp4", name: "c\(i).mp4", sha256: String(repeating: "\(i)", count: 64), sizeBytes: 100,
                      codec: "h264", duration: 1, frameRate: 25, frameCount: 25, width: 64, height: 48, rotation: 0)
        }
        _ = try project.admin.addClips(clips, batch: "b2", rubric: "demo")
        _ = try project.admin.assign(batch: "b2", raters: ["alice", "bob"], overlap: nil, goldRate: nil)
        let bob = try project.session("bob"), alice = try project.session("alice")
        let items = try bob.assignedItems(batch: "b2").map(\.item)
        try bob.submitItem(ItemSubmission(item: items[0], answers: ["present": "yes", "severity": "high"], frame: 1, pts: nil, dwellMs: 700, watchedShare: 1))
        try bob.submitItem(ItemSubmission(item: items[1], answers: ["present": "no"], frame: nil, pts: nil, dwellMs: nil, watchedShare: 1))
        try alice.submitItem(ItemSubmission(item: items[1], answers: ["present": "yes", "severity": "low"], frame: nil, pts: nil, dwellMs: 300, watchedShare: 1))
        // Alice revises c2: her first answers stay in the history, severity is withdrawn.
        try alice.submitItem(ItemSubmission(item: items[0], answers: ["present": "yes", "severity": "low"], frame: nil, pts: nil, dwellMs: 100, watchedShare: 1))
        try alice.submitItem(ItemSubmission(item: items[0], answers: ["present": "no"], frame: nil, pts: nil, dwellMs: 200, watchedShare: 1))
        return try project.admin.labelsForAgreement(batch: "b2")
    }

    @Test(arguments: StoreKind.all)
    func labelsComeInSQLitesScanOrder(_ kind: StoreKind) throws {
        let labels = try Self.labels(kind)
        #expect(labels.clipNames == ["c2.mp4", "c1.mp4"])   // the batch's positions
        #expect(labels.raters == ["alice", "bob"])
        let rows = labels.value.indices.map {
            "\(labels.clipNames[Int(labels.itemIndex[$0])]) \(labels.raters[Int(labels.raterIndex[$0])]) \(labels.criterion[$0])=\(labels.value[$0]) \(labels.dwellMs[$0])"
        }
        #expect(rows == ["c1.mp4 alice present=yes 300", "c1.mp4 alice severity=low 300", "c1.mp4 bob present=no -1",
                         "c2.mp4 alice present=no 200", "c2.mp4 bob present=yes 700", "c2.mp4 bob severity=high 700"])
    }
}
