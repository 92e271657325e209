import Foundation
import Testing
@testable import Workbench

/// What the render-ahead thread renders first (`RenderAhead.planned`): paused, the frames a
/// step or a second away, for the keys; playing, the next frames alone, in order — one the
/// main thread has to render itself shows late by that time.
@Suite struct RenderAheadPlanTests {
    @Test func pausedTheNeighboursComeFirst() {
        #expect(RenderAhead.planned(frame: 50, second: 25, playing: false) == [51, 49, 75, 25, 52, 53, 54, 55, 56, 57, 58])
    }

    @Test func playingTheNextFramesAlone() {
        #expect(RenderAhead.planned(frame: 50, second: 25, playing: true) == [51, 52, 53, 54, 55, 56, 57, 58])
    }
}

/// A frame the main thread needs now is rendered by the render-ahead thread before its
/// plan (`RenderAhead.frame(for:waiting:)`): its decoder is where playback is.
@Suite struct RenderAheadUrgentTests {
    @Test func aFrameNotPlannedIsRenderedFirstWhenWaitedFor() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("concord-urgent-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clip = dir + "/clip.mp4"
        try TurnedClipPaneTests.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=64x36:rate=25", "-t", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p", clip])
        let ahead = RenderAhead { _, index, factor in .bytes(Array("\(index)@\(factor)".utf8)) }
        defer { ahead.stop() }
        let target = RenderAhead.Target(path: clip, frame: 20, factor: 0.5)
        // Not planned, not waited for: not there.
        #expect(ahead.frame(for: target, waiting: 0) == nil)
        // Waited for: rendered by the thread, at the size asked, and kept.
        guard case .bytes(let bytes)? = ahead.frame(for: target, waiting: 5) else {
            Issue.record("frame 20 was not rendered for the waiter"); return
        }
        #expect(String(decoding: bytes, as: UTF8.self) == "20@0.5")
        #expect(ahead.frame(for: target) != nil)
    }
}
