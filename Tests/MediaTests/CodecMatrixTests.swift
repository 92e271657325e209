import Foundation
@testable import Media
import Testing

/// Every common codec and container of issue 17 stays frame-exact: the palette clip of
/// `VideoDecoderTests` (frame n's colour names it) encoded by the ffmpeg CLI with each, then
/// sought to in a shuffled order and played through. Lossy encoders keep a flat colour well
/// inside `identify`'s ±12. VP9/WebM and variable frame rate are in `VideoDecoderTests`.
@Suite struct CodecMatrixTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let codec: String
        let encode: [String]
        var testDescription: String { file }
    }

    static let count = 40

    static let cases: [Case] = [
        // libaom-av1 is the AV1 encoder Debian 12's ffmpeg has that takes a 64×48 picture
        // (libsvtav1 wants 64 rows or more; librav1e works too but is slower).
        Case(file: "av1.mkv", codec: "av1",
             encode: ["-c:v", "libaom-av1", "-cpu-used", "8", "-crf", "10", "-g", "10", "-pix_fmt", "yuv420p"]),
        Case(file: "hevc-bframes.mp4", codec: "hevc",
             encode: ["-c:v", "libx265", "-x265-params", "bframes=3:keyint=12:min-keyint=12:scenecut=0:log-level=error",
                      "-crf", "10", "-pix_fmt", "yuv420p"]),
        Case(file: "h264-10bit.mp4", codec: "h264",
             encode: ["-c:v", "libx264", "-profile:v", "high10", "-pix_fmt", "yuv420p10le", "-crf", "8", "-bf", "3", "-g", "12"]),
        Case(file: "mpeg2.ts", codec: "mpeg2video",
             encode: ["-c:v", "mpeg2video", "-q:v", "2", "-bf", "2", "-g", "12", "-f", "mpegts"]),
        Case(file: "prores.mov", codec: "prores", encode: ["-c:v", "prores_ks", "-profile:v", "3"]),
        Case(file: "mjpeg.avi", codec: "mjpeg", encode: ["-c:v", "mjpeg", "-q:v", "2", "-pix_fmt", "yuvj444p"]),
    ]

    /// What ffprobe says of the clip's video stream (a `-show_entries stream=…` value).
    static func probe(_ path: String, _ entries: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
        p.arguments = ["-v", "error", "-select_streams", "v:0", "-show_entries", entries, "-of", "csv=p=0", path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `c` encoded into the suite's directory as `prefix + c.file`. Tests run in parallel and
    /// share the directory, so each test gives its own prefix: one clip file (and its raw
    /// frames) is never written by two tests at once.
    static func make(_ c: Case, count: Int = count, prefix: String = "") throws -> String {
        let raw = try VideoDecoderTests.raw(prefix + c.file, count: count)
        let path = VideoDecoderTests.dir + "/" + prefix + c.file
        try VideoDecoderTests.ffmpeg(VideoDecoderTests.rawInput(raw) + c.encode + [path])
        return path
    }

    @Test(arguments: cases)
    func frameExact(_ c: Case) throws {
        let path = try Self.make(c)
        let decoder = try VideoDecoder(path: path)
        #expect(decoder.codec == c.codec)
        try #require(decoder.frameCount == Self.count)
        #expect(try ClipProbe.probe(path: path).frameCount == Self.count)
        for n in 0..<Self.count { #expect(abs(decoder.frameTimes[n] - Double(n) / 25) < 1e-3, "frame \(n) at \(decoder.frameTimes[n])") }
        try VideoDecoderTests.expectExact(decoder, indices: VideoDecoderTests.shuffledIndices(Self.count, take: 30, seed: 17),
                                          times: { decoder.frameTimes[$0] })
        // Playback from a seek gives every later frame once, in order.
        _ = try decoder.frame(at: 5)
        var seen: [Int] = []
        while let f = try decoder.nextFrame(scale: .scaledTo(width: 16, height: 16)) {
            #expect(VideoDecoderTests.identify(f) == f.index)
            seen.append(f.index)
        }
        #expect(seen == Array(6..<Self.count))
    }

    /// The cases test what they claim: the HEVC stream has B-frames (packets out of PTS
    /// order) and the 10-bit one is 10-bit.
    @Test func casesAreWhatTheyClaim() throws {
        let hevc = try Self.make(Self.cases[1], count: 30, prefix: "claim-")
        let packets = try Self.probe(hevc, "packet=pts").split(separator: "\n").compactMap { Int($0) }
        #expect(packets.count == 30)
        #expect(packets != packets.sorted(), "no B-frames: packets in PTS order")
        let tenBit = try Self.make(Self.cases[2], count: 30, prefix: "claim-")
        #expect(try Self.probe(tenBit, "stream=pix_fmt,profile") == "High 10,yuv420p10le")
    }

    /// Anamorphic video (SAR 4:3, coded 64×48, shown 256:144 = 16:9): a scale box keeps the
    /// shown aspect, native frames keep the coded pixels.
    @Test func anamorphicSampleAspect() throws {
        let path = try VideoDecoderTests.clip("sar43.mp4", count: 30, filters: ["-vf", "setsar=4/3"], output: ["-bf", "2", "-g", "10"])
        #expect(try Self.probe(path, "stream=sample_aspect_ratio") == "4:3")
        let decoder = try VideoDecoder(path: path)
        #expect(decoder.geometry.sampleAspect == 4.0 / 3)
        #expect(abs(decoder.displayAspect - 16.0 / 9) < 1e-9)
        #expect(decoder.outputSize(for: .native) == (64, 48))
        let f = try decoder.frame(at: 11, scale: .scaledTo(width: 160, height: 160))
        #expect(f.width == 160 && f.height == 90 && VideoDecoderTests.identify(f) == 11)
        let tall = try decoder.frame(at: 12, scale: .scaledTo(width: 400, height: 45))
        #expect(tall.width == 80 && tall.height == 45 && VideoDecoderTests.identify(tall) == 12)
        try VideoDecoderTests.expectExact(decoder, indices: VideoDecoderTests.shuffledIndices(30, take: 20, seed: 18),
                                          times: { Double($0) / 25 })
    }
}
