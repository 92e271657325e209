import Foundation
import Media
import Testing

/// FrameSource keeps the frames a seek decodes on its way, so stepping back is a cache hit,
/// and what it returns is exactly what a fresh frame-exact seek returns.
@Suite struct FrameSourceTests {
    static func clip() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("concord-source-\(UUID().uuidString).mp4").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        // Lossy, so the encoder uses P- and B-frames with a keyframe every 12 frames
        // (frames are compared with a fresh seek's, not with colours).
        p.arguments = ["-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=s=64x48:r=10:d=4",
                       "-c:v", "libx264", "-pix_fmt", "yuv420p", "-bf", "3", "-g", "12", "-keyint_min", "12",
                       "-sc_threshold", "0", path]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0)
        return path
    }

    @Test func steppingBackIsACacheHitWithTheSameFrame() throws {
        let path = try Self.clip()
        let source = FrameSource(decoder: try VideoDecoder(path: path), cacheMegabytes: 16)
        let scale = FrameScale.scaledTo(width: 32, height: 24)
        let forward = try source.frame(at: 22, scale: scale)
        #expect(forward.index == 22)
        let expectedSize = source.decoder.outputSize(for: scale)
        #expect(forward.width == expectedSize.width && forward.height == expectedSize.height, "\(forward.width)x\(forward.height) vs \(expectedSize)")
        #expect(source.decoder.keyframeIndices.prefix(3) == [0, 12, 24], "\(source.decoder.keyframeIndices)")
        let hitsBefore = source.cache.hits
        for index in stride(from: 21, through: 12, by: -1) {           // back through the GOP (keyframe 12)
            let back = try source.frame(at: index, scale: scale)
            let fresh = try VideoDecoder(path: path).frame(at: index, scale: scale)
            #expect(back.index == index)
            #expect(back.rgb == fresh.rgb, "frame \(index) differs from a fresh seek")
        }
        #expect(source.cache.hits - hitsBefore == 10)
        // Before the keyframe: a miss, decoded from the previous keyframe (0).
        let earlier = try source.frame(at: 11, scale: scale)
        #expect(earlier.index == 11)
        #expect(earlier.rgb == (try VideoDecoder(path: path).frame(at: 11, scale: scale)).rgb)
    }
}
