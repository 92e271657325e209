import struct Agreement.SplitMix64
import Foundation
@testable import Media
import Testing

/// Frame-exact seeking on clips whose every frame has its own colour: frame n is painted
/// (n mod 6, n/6 mod 6, n/36 mod 6) × 51 in (R, G, B), encoded losslessly (x264 -qp 0,
/// 4:4:4), so the decoded colour names the frame whatever the decoder did to get there.
@Suite struct VideoDecoderTests {
    static let dir: String = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("concord-decoder-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    static func ffmpeg(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        p.arguments = ["-nostdin", "-loglevel", "error", "-y"] + arguments
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "ffmpeg \(arguments) failed")
    }

    static func colour(of n: Int) -> (UInt8, UInt8, UInt8) {
        (UInt8(n % 6 * 51), UInt8(n / 6 % 6 * 51), UInt8(n / 36 % 6 * 51))
    }

    /// The frame number a decoded frame's centre colour names, or nil when it is not one of
    /// the palette colours (±12 per channel).
    static func identify(_ frame: DecodedFrame) -> Int? {
        let (r, g, b) = frame.pixel(x: frame.width / 2, y: frame.height / 2)
        var digits: [Int] = []
        for v in [r, g, b] {
            let d = Int((Double(v) / 51).rounded())
            guard abs(Int(v) - d * 51) <= 12 else { return nil }
            digits.append(d)
        }
        return digits[0] + 6 * digits[1] + 36 * digits[2]
    }

    /// Raw RGB24 frames 0..<count in the palette, written to a file for ffmpeg to encode
    /// (`rawInput` gives the arguments that read it). With `marker`, the top-left quarter-size
    /// block (a quarter of the width and of the height) is white, so that a turned or mirrored
    /// picture shows where its corner went; the centre still names the frame.
    static func raw(_ name: String, count: Int, width: Int = 64, height: Int = 48, marker: Bool = false) throws -> String {
        precondition(count <= 216)
        let raw = dir + "/\(name).rgb"
        var bytes = [UInt8]()
        bytes.reserveCapacity(count * width * height * 3)
        for n in 0..<count {
            let (r, g, b) = colour(of: n)
            for y in 0..<height {
                for x in 0..<width {
                    if marker && x < width / 4 && y < height / 4 { bytes += [255, 255, 255] } else { bytes += [r, g, b] }
                }
            }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: raw))
        return raw
    }

    /// ffmpeg's input arguments for a file `raw` wrote.
    static func rawInput(_ raw: String, width: Int = 64, height: Int = 48, rate: Int = 25) -> [String] {
        ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)", "-r", "\(rate)", "-i", raw]
    }

    /// Palette frames 0..<count encoded losslessly (x264 -qp 0, 4:4:4) with `output` options.
    static func clip(_ name: String, count: Int, width: Int = 64, height: Int = 48, rate: Int = 25, marker: Bool = false,
                     filters: [String] = [], output: [String]) throws -> String {
        let raw = try raw(name, count: count, width: width, height: height, marker: marker)
        let path = dir + "/" + name
        try ffmpeg(rawInput(raw, width: width, height: height, rate: rate)
                   + filters + ["-c:v", "libx264", "-qp", "0", "-pix_fmt", "yuv444p"] + output + [path])
        return path
    }

    /// Indices 0..<count in a seeded random order, with the awkward ones (first, last,
    /// neighbours of each other) included.
    static func shuffledIndices(_ count: Int, take: Int, seed: UInt64) -> [Int] {
        var rng = SplitMix64(state: seed)
        var all = Array(0..<count)
        all.shuffle(using: &rng)
        return [count - 1, 0, 1, count - 2] + Array(all.prefix(take))
    }

    static func expectExact(_ decoder: VideoDecoder, indices: [Int], times: (Int) -> Double) throws {
        for n in indices {
            let frame = try decoder.frame(at: n)
            #expect(frame.index == n)
            #expect(identify(frame) == n, "asked for frame \(n), decoded colour says \(String(describing: identify(frame)))")
            #expect(abs(frame.pts - times(n)) < 1e-6, "frame \(n): pts \(frame.pts), expected \(times(n))")
        }
    }

    @Test func seeksExactlyWithBFramesInRandomOrder() throws {
        let path = try Self.clip("bframes.mp4", count: 150, output: ["-bf", "3", "-g", "12", "-sc_threshold", "0"])
        let decoder = try VideoDecoder(path: path)
        #expect(decoder.frameCount == 150)
        #expect(decoder.codec == "h264")
        #expect(decoder.keyframeIndices.first == 0)
        #expect(decoder.keyframeIndices.count >= 150 / 12)
        try Self.expectExact(decoder, indices: Self.shuffledIndices(150, take: 80, seed: 1), times: { Double($0) / 25 })
        // A seek decodes from the keyframe before the frame, never more than a GOP and a bit.
        var worst = 0
        for n in Self.shuffledIndices(150, take: 40, seed: 2) {
            let f = try decoder.frame(at: n)
            worst = max(worst, f.decodedFrames)
        }
        #expect(worst <= 12 + 4, "a seek decoded \(worst) frames")
    }

    @Test func steppingBackwardFrameByFrame() throws {
        let path = try Self.clip("backward.mp4", count: 60, output: ["-bf", "3", "-g", "12"])
        let decoder = try VideoDecoder(path: path)
        for n in stride(from: 59, through: 0, by: -1) {
            let f = try decoder.frame(at: n)
            #expect(Self.identify(f) == n && f.index == n)
        }
        // Forward steps after a seek decode one frame each (no seek).
        _ = try decoder.frame(at: 20)
        for n in 21..<40 {
            let f = try decoder.frame(at: n)
            #expect(Self.identify(f) == n)
            #expect(f.decodedFrames == 1, "frame \(n) took \(f.decodedFrames) decodes")
        }
    }

    @Test func oddSizeAndScalingKeepAspect() throws {
        let path = try Self.clip("odd.mkv", count: 40, width: 63, height: 47, output: ["-bf", "2", "-g", "10"])
        let decoder = try VideoDecoder(path: path)
        #expect(decoder.width == 63 && decoder.height == 47)
        let native = try decoder.frame(at: 17)
        #expect(native.width == 63 && native.height == 47 && native.rgb.count == 63 * 47 * 3)
        #expect(Self.identify(native) == 17)
        let small = try decoder.frame(at: 23, scale: .scaledTo(width: 32, height: 32))
        #expect(small.width == 32 && small.height == 24)
        #expect(small.rgb.count == 32 * 24 * 3)
        #expect(Self.identify(small) == 23)
        let tall = try decoder.frame(at: 5, scale: .scaledTo(width: 200, height: 30))
        #expect(tall.width == 40 && tall.height == 30)
        #expect(Self.identify(tall) == 5)
        // Every pixel of the scaled frame has the frame's colour (no stray rows or padding).
        let (r, g, b) = Self.colour(of: 5)
        for i in stride(from: 0, to: tall.rgb.count, by: 3) {
            #expect(abs(Int(tall.rgb[i]) - Int(r)) <= 12 && abs(Int(tall.rgb[i + 1]) - Int(g)) <= 12
                    && abs(Int(tall.rgb[i + 2]) - Int(b)) <= 12)
        }
    }

    /// Frame n at 0.04 n + 0.02 ⌊n/3⌋ s: gaps of 40, 40 and 60 ms.
    static func vfrTime(_ n: Int) -> Double { 0.04 * Double(n) + 0.02 * Double(n / 3) }

    @Test func variableFrameRate() throws {
        let path = try Self.clip("vfr.mkv", count: 90, filters: ["-vf", "settb=1/1000,setpts='40*N+20*floor(N/3)'", "-fps_mode", "vfr",
                                                                 "-enc_time_base", "1:1000"],
                                 output: ["-bf", "3", "-g", "15"])
        let decoder = try VideoDecoder(path: path)
        #expect(decoder.frameCount == 90)
        for n in 0..<90 { #expect(abs(decoder.frameTimes[n] - Self.vfrTime(n)) < 1e-6, "frame \(n) at \(decoder.frameTimes[n])") }
        try Self.expectExact(decoder, indices: Self.shuffledIndices(90, take: 50, seed: 3), times: Self.vfrTime)
        // The frame at time T is the last one whose PTS ≤ T.
        for n in Self.shuffledIndices(89, take: 30, seed: 4) {
            let t = Self.vfrTime(n), next = Self.vfrTime(n + 1)
            for probe in [t, t + 0.001, (t + next) / 2, next - 0.001] {
                #expect(decoder.frameIndex(atSeconds: probe) == n, "T = \(probe)")
            }
            let f = try decoder.frame(atSeconds: next - 0.001)
            #expect(f.index == n && Self.identify(f) == n)
        }
        #expect(decoder.frameIndex(atSeconds: -1) == 0)
        #expect(decoder.frameIndex(atSeconds: 1000) == 89)
        #expect(decoder.frameIndex(atSeconds: .infinity) == 89 && decoder.frameIndex(atSeconds: .nan) == 0)
    }

    @Test(arguments: [
        ("offset.mkv", ["-output_ts_offset", "1.5"]),
        ("offset.mp4", ["-vf", "setpts=PTS+1.5/TB"]),
        ("offset-noeditlist.mp4", ["-use_editlist", "0"]),
    ])
    func firstPTSNotZero(name: String, options: [String]) throws {
        let filters = options.first == "-vf" ? options : []
        let output = (options.first == "-vf" ? [] : options) + ["-bf", "3", "-g", "12"]
        let path = try Self.clip(name, count: 75, filters: filters, output: output)
        let decoder = try VideoDecoder(path: path)
        #expect(decoder.frameCount == 75)
        #expect(decoder.frameTimes.first == 0)
        for n in 0..<75 { #expect(abs(decoder.frameTimes[n] - Double(n) / 25) < 1e-3) }
        let first = try decoder.frame(atSeconds: 0)
        #expect(first.index == 0 && Self.identify(first) == 0)
        try Self.expectExact(decoder, indices: Self.shuffledIndices(75, take: 40, seed: 5), times: { decoder.frameTimes[$0] })
        for n in Self.shuffledIndices(74, take: 20, seed: 6) {
            let f = try decoder.frame(atSeconds: Double(n) / 25 + 0.02)
            #expect(f.index == n && Self.identify(f) == n)
        }
    }

    @Test func sequentialDecodeYieldsEveryFrameInOrder() throws {
        let path = try Self.clip("sequential.mp4", count: 100, output: ["-bf", "3", "-g", "12"])
        let decoder = try VideoDecoder(path: path)
        var seen: [Int] = []
        while let f = try decoder.nextFrame(scale: .scaledTo(width: 16, height: 16)) {
            #expect(Self.identify(f) == f.index)
            #expect(f.decodedFrames == 1)
            seen.append(f.index)
        }
        #expect(seen == Array(0..<100))
        #expect(try decoder.nextFrame() == nil)
        // Playback continues after a seek.
        _ = try decoder.frame(at: 40)
        let after = try #require(try decoder.nextFrame())
        #expect(after.index == 41 && Self.identify(after) == 41)
        _ = try decoder.frame(at: 98)
        #expect(try decoder.nextFrame()?.index == 99)
        #expect(try decoder.nextFrame() == nil)
        // And a seek works after the end.
        #expect(Self.identify(try decoder.frame(at: 3)) == 3)
    }

    @Test func otherCodecs() throws {
        let raw = try Self.clip("for-vp9.mkv", count: 30, output: ["-g", "10"])
        let vp9 = Self.dir + "/vp9.webm"
        try Self.ffmpeg(["-i", raw, "-c:v", "libvpx-vp9", "-lossless", "1", "-pix_fmt", "yuv444p", "-g", "8", vp9])
        let decoder = try VideoDecoder(path: vp9)
        #expect(decoder.codec == "vp9")
        #expect(decoder.frameCount == 30)
        try Self.expectExact(decoder, indices: Self.shuffledIndices(30, take: 20, seed: 7), times: { Double($0) / 25 })
    }

    @Test func badFilesGiveMediaErrors() throws {
        let empty = Self.dir + "/empty.mp4"
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let missing = Self.dir + "/missing.mp4"
        let garbage = Self.dir + "/garbage.mkv"
        var rng = SplitMix64(state: 9)
        try Data((0..<50_000).map { _ in UInt8.random(in: 0...255, using: &rng) }).write(to: URL(fileURLWithPath: garbage))
        let audio = Self.dir + "/tone.wav"
        try Self.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440", "-t", "0.5", audio])
        for path in [empty, missing, garbage, audio] {
            do {
                _ = try VideoDecoder(path: path)
                Issue.record("\(path) opened")
            } catch let error as MediaError {
                #expect(error.path == path)
                #expect(!error.message.isEmpty)
            }
        }
        #expect(throws: MediaError(path: audio, message: "has no video stream; add video clips only")) {
            try VideoDecoder(path: audio)
        }

        // A video stream in a codec this FFmpeg can write but not read (a64multi, Commodore 64).
        let a64 = Self.dir + "/a64.mkv"
        try Self.ffmpeg(["-f", "lavfi", "-i", "color=s=320x200:d=0.2", "-c:v", "a64multi", "-pix_fmt", "gray", a64])
        #expect(throws: MediaError(path: a64, message: "uses the codec 'a64m', which this FFmpeg cannot decode; re-encode it (e.g. H.264)")) {
            try VideoDecoder(path: a64)
        }

        // Truncated: the front half of a faststart MP4 (index first), and an MP4 cut before
        // its index (moov at the end).
        let whole = try Self.clip("whole.mp4", count: 100, output: ["-movflags", "+faststart"])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        let front = Self.dir + "/front.mp4"
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: front))
        let plain = try Self.clip("plain.mp4", count: 100, output: [])
        let plainBytes = try Data(contentsOf: URL(fileURLWithPath: plain))
        let cut = Self.dir + "/cut.mp4"
        try plainBytes.prefix(plainBytes.count / 2).write(to: URL(fileURLWithPath: cut))
        for path in [front, cut] {
            #expect(throws: MediaError.self, "\(path)") { try VideoDecoder(path: path) }
        }

        // A clip with its middle overwritten by noise opens or fails cleanly; every frame
        // request returns a frame or a MediaError, never a crash or a hang.
        let mkv = try Self.clip("damaged.mkv", count: 100, output: ["-g", "10"])
        var damaged = [UInt8](try Data(contentsOf: URL(fileURLWithPath: mkv)))
        for i in (damaged.count / 3)..<(damaged.count / 3 + 3000) { damaged[i] = UInt8.random(in: 0...255, using: &rng) }
        let damagedPath = Self.dir + "/damaged-noise.mkv"
        try Data(damaged).write(to: URL(fileURLWithPath: damagedPath))
        if let decoder = try? VideoDecoder(path: damagedPath) {
            for n in Self.shuffledIndices(decoder.frameCount, take: 30, seed: 10) {
                do { _ = try decoder.frame(at: n) } catch let error as MediaError { #expect(error.path == damagedPath) }
            }
            while (try? decoder.nextFrame()) != nil {}
        }

        let good = try VideoDecoder(path: plain)
        #expect(throws: MediaError.self) { try good.frame(at: 100) }
        #expect(throws: MediaError.self) { try good.frame(at: -1) }
    }
}

/// Seeks leave out the frames nothing refers to (H.264 `nal_ref_idc == 0`); the frame
/// asked for must still be bit-identical to the one sequential decoding gives.
@Suite struct DisposableFrameSkippingTests {
    @Test(arguments: ["pyramid.mp4", "pyramid.ts"])
    func seekedFramesEqualSequentialOnes(name: String) throws {
        let path = VideoDecoderTests.dir + "/" + name
        // Moving natural-ish content, lossy, 3 B-frames with a B-pyramid: the middle B is a
        // reference, the other two are not.
        try VideoDecoderTests.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25", "-t", "4",
                                      "-c:v", "libx264", "-bf", "3", "-b_strategy", "0", "-x264-params", "b-pyramid=normal",
                                      "-g", "40", "-sc_threshold", "0", "-pix_fmt", "yuv420p", path])
        let sequential = try VideoDecoder(path: path)
        var frames: [[UInt8]] = []
        while let f = try sequential.nextFrame() { frames.append(f.rgb) }
        #expect(frames.count == 100)

        let decoder = try VideoDecoder(path: path)
        var skipped = false
        for n in VideoDecoderTests.shuffledIndices(frames.count, take: 40, seed: 7) {
            let f = try decoder.frame(at: n)
            #expect(f.index == n)
            let same = f.rgb == frames[n]   // a Bool, so a failure does not print the pixels
            #expect(same, "frame \(n) differs from sequential decoding")
            let key = decoder.keyframeIndices.last(where: { $0 <= n }) ?? 0
            #expect(f.decodedFrames <= n - key + 1 + 3)
            if f.decodedFrames < n - key - 2 { skipped = true }
            // Playback on from a seek is unaffected.
            if n + 1 < frames.count {
                let next = try #require(try decoder.nextFrame())
                let nextSame = next.index == n + 1 && next.rgb == frames[n + 1]
                #expect(nextSame, "playback after frame \(n) differs")
            }
        }
        #expect(skipped, "no seek left out a non-reference frame")
    }
}
