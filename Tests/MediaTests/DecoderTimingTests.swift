import struct Agreement.SplitMix64
import Foundation
@testable import Media
import Testing

/// Timings for the benchmark notes: printed, never asserted (machines differ).
@Suite struct DecoderTimingTests {
    static func median(_ values: [Duration]) -> Double {
        let ms = values.map { Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15 }.sorted()
        return ms[ms.count / 2]
    }

    @Test func warmStepAndRandomSeekOn720p() throws {
        let path = VideoDecoderTests.dir + "/bench720.mp4"
        try VideoDecoderTests.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-t", "10",
                                      "-c:v", "libx264", "-preset", "veryfast", "-g", "60", "-pix_fmt", "yuv420p", path])
        let decoder = try VideoDecoder(path: path)
        #expect(decoder.frameCount == 300)
        let clock = ContinuousClock()
        for scale in [FrameScale.native, .scaledTo(width: 640, height: 360)] {
            _ = try decoder.frame(at: 0, scale: scale)
            for _ in 0..<10 { _ = try decoder.nextFrame(scale: scale) }
            var steps: [Duration] = []
            for _ in 0..<100 {
                let start = clock.now
                let f = try #require(try decoder.nextFrame(scale: scale))
                steps.append(clock.now - start)
                #expect(f.decodedFrames == 1)
            }
            var rng = SplitMix64(state: 11)
            var seeks: [Duration] = []
            var decoded: [Int] = []
            for _ in 0..<40 {
                let n = Int.random(in: 0..<300, using: &rng)
                let start = clock.now
                let f = try decoder.frame(at: n, scale: scale)
                seeks.append(clock.now - start)
                decoded.append(f.decodedFrames)
                #expect(f.index == n)
            }
            let size = decoder.outputSize(for: scale)
            print(String(format: "[media-bench] 720p H.264 -g 60 → %dx%d RGB: warm next frame median %.2f ms; random seek median %.2f ms (median %d frames decoded per seek, max %d)",
                         size.width, size.height, Self.median(steps), Self.median(seeks),
                         decoded.sorted()[decoded.count / 2], decoded.max() ?? 0))
        }
    }

    /// Opening a long MP4: the index from its sample table against a scan of every packet
    /// (what opening did before `FrameIndex`), the same file, interleaved.
    @Test func openingFromTheSampleTableVersusAScan() throws {
        let path = VideoDecoderTests.dir + "/open-long.mp4"
        try VideoDecoderTests.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30", "-t", "120",
                                      "-c:v", "libx264", "-preset", "ultrafast", "-bf", "3", "-g", "60", path])
        let clock = ContinuousClock()
        var table: [Duration] = [], scan: [Duration] = [], open: [Duration] = []
        for _ in 0..<7 {
            var start = clock.now
            let fromTable = try FrameIndex.read(path: path, scanOnly: false)
            table.append(clock.now - start)
            start = clock.now
            let scanned = try FrameIndex.read(path: path, scanOnly: true)
            scan.append(clock.now - start)
            #expect(fromTable.source == .container && fromTable.timestamps == scanned.timestamps && fromTable.keys == scanned.keys)
            start = clock.now
            let decoder = try VideoDecoder(path: path)
            _ = try decoder.frame(at: 0)
            open.append(clock.now - start)
            #expect(decoder.frameCount == 3600)
        }
        print(String(format: "[media-bench] 2-min 320x180 MP4 (3600 frames): index from the sample table median %.2f ms, scan of every packet %.2f ms; VideoDecoder open + frame 0 %.2f ms",
                     Self.median(table), Self.median(scan), Self.median(open)))
    }
}
