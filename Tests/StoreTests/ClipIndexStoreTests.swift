import Foundation
@testable import Store
import Testing

/// The frame indexes `clip add` keeps (`keepClipIndexes`, `clipIndex`), the same on both
/// stores: by clip content and format, for the project's clips only, never replaced, kept
/// only by the roles that add clips and read by everyone who opens clips.
@Suite struct ClipIndexStoreTests {
    static let first = String(repeating: "1", count: 64)
    static let second = String(repeating: "2", count: 64)

    @Test(arguments: StoreKind.all)
    func keptOncePerContentAndFormatAndReadByRaters(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        let admin = project.admin
        let bytes: [UInt8] = Array("CFI1".utf8) + (0...255).map { UInt8($0) }
        let kept = try admin.keepClipIndexes([
            ClipFrameIndex(sha256: Self.first, format: "frames-1", frames: bytes),
            ClipFrameIndex(sha256: String(repeating: "9", count: 64), format: "frames-1", frames: [1, 2, 3]),   // no such clip
        ])
        #expect(kept == 1)
        // The same content again, even with other bytes: the first stays (append-only).
        #expect(try admin.keepClipIndexes([ClipFrameIndex(sha256: Self.first, format: "frames-1", frames: [7])]) == 0)
        // Another format is another row.
        #expect(try admin.keepClipIndexes([ClipFrameIndex(sha256: Self.first, format: "frames-2", frames: [])]) == 1)

        let alice = try project.session("alice")
        #expect(alice.clipIndex(sha256: Self.first, format: "frames-1") == ClipFrameIndex(sha256: Self.first, format: "frames-1", frames: bytes))
        #expect(alice.clipIndex(sha256: Self.first, format: "frames-2")?.frames == [])
        #expect(alice.clipIndex(sha256: Self.second, format: "frames-1") == nil)
        #expect(admin.clipIndex(sha256: String(repeating: "9", count: 64), format: "frames-1") == nil)

        // A rater may not keep one; nothing is written, and the audit log stays intact (the
        // rows are not audited events).
        #expect(throws: StoreError.self) {
            try alice.keepClipIndexes([ClipFrameIndex(sha256: Self.second, format: "frames-1", frames: [1])])
        }
        #expect(alice.clipIndex(sha256: Self.second, format: "frames-1") == nil)
        let count = try project.store.read { db in try db.value(Int.self, "SELECT count(*) FROM clip_index") }
        #expect(count == 2)
        #expect(try admin.verifyAudit().intact)
    }
}
