import struct Agreement.SplitMix64
import Foundation
import Media
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
}
