import Foundation
import Media
import Store
import Testing
@testable import Workbench

/// The workbench opens a clip without a container index (MPEG-TS) with the frame index the
/// project keeps for its content, instead of reading every packet.
@Suite struct StoredClipIndexTests {
    @Test func theClipPaneOpensWithTheKeptIndex() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("concord-kept-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ts = dir + "/c1.ts"
        try TurnedClipPaneTests.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25", "-t", "2", "-c:v", "libx264", "-bf", "3",
                                        "-g", "12", ts])
        let ann = try RatingModelTests.session()
        let admin = try ProjectStore.open(path: ann.projectPath).session(login: "admin")
        let clip = ClipFile(name: "c1.mp4", sha256: String(format: "%064x", 1), sizeBytes: 1, recordedPath: ts)
        #expect(ann.storedFrameIndex(for: clip) == nil)
        #expect(ann.storedFrameIndex(for: nil) == nil)

        let stored = try #require(try StoredFrameIndex.forClip(path: ts))
        #expect(try admin.keepClipIndexes([ClipFrameIndex(sha256: clip.sha256, format: stored.format, frames: stored.bytes)]) == 1)
        #expect(ann.storedFrameIndex(for: clip) == stored)

        let painter = PreviewPainterTests.painter(.blocks)
        let kept = ClipPane(painter: painter), scanned = ClipPane(painter: painter)
        kept.open(located: .file(ts), storedIndex: ann.storedFrameIndex(for: clip))
        scanned.open(located: .file(ts))
        #expect(kept.problem == nil && kept.source?.decoder.indexSource == .stored)
        #expect(scanned.source?.decoder.indexSource == .scanned)
        #expect(kept.source?.decoder.frameTimes == scanned.source?.decoder.frameTimes && kept.player?.frameCount == 50)
    }

    /// The render-ahead thread's own decoders open the clip with the kept index too: each
    /// painted frame here says which index its decoder was opened with.
    @Test func renderAheadOpensWithTheKeptIndex() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("concord-ahead-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ts = dir + "/c1.ts"
        try TurnedClipPaneTests.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25", "-t", "1", "-c:v", "libx264", "-g", "12", ts])
        let stored = try #require(try StoredFrameIndex.forClip(path: ts))
        for (index, expected) in [(Optional(stored), "stored"), (nil, "scanned")] {
            let ahead = RenderAhead { source, _, _ in .bytes(Array("\(source.decoder.indexSource)".utf8)) }
            defer { ahead.stop() }
            ahead.focus(path: ts, frame: 0, frameCount: 25, rate: 25, next: nil, storedIndex: index)
            var painted: PaintedFrame?
            for _ in 0..<500 where painted == nil {
                painted = ahead.frame(for: RenderAhead.Target(path: ts, frame: 1))
                if painted == nil { usleep(10_000) }
            }
            guard case .bytes(let bytes)? = painted else { Issue.record("frame 1 was not rendered ahead"); continue }
            #expect(String(decoding: bytes, as: UTF8.self) == expected)
        }
    }
}
