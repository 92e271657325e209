import Foundation
import Media
import Testing

/// The in-process probe on clips the test makes with the ffmpeg CLI (lavfi sources), and
/// each kind of bad file it must refuse with a clear message.
@Suite struct ClipProbeTests {
    static let dir: String = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("concord-media-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    static func ffmpeg(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        p.arguments = ["-loglevel", "error", "-y"] + arguments
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "ffmpeg \(arguments) failed")
    }

    @Test func probesSizeRateDurationAndFrameCount() throws {
        let path = Self.dir + "/testsrc.mp4"
        try Self.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", path])
        let info = try ClipProbe.probe(path: path)
        #expect(info.codec == "h264")
        #expect(info.width == 320 && info.height == 240)
        #expect(info.frameCount == 50)
        #expect(abs(info.frameRate - 25) < 1e-9)
        #expect(abs(info.duration - 2.0) < 0.05, "duration \(info.duration)")
        #expect(info.rotation == 0)
    }

    @Test func oddSizeAndOtherCodec() throws {
        let path = Self.dir + "/odd.webm"
        // 4:4:4, so an odd size survives encoding (4:2:0 rounds it to even).
        try Self.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=320x240:rate=10", "-t", "1", "-vf", "scale=161:97",
                         "-c:v", "libvpx-vp9", "-pix_fmt", "yuv444p", path])
        let info = try ClipProbe.probe(path: path)
        #expect(info.codec == "vp9")
        #expect(info.width == 161 && info.height == 97)
        #expect(info.frameCount == 10)
    }

    @Test func refusesNonVideoCorruptAndTruncatedFiles() throws {
        let audio = Self.dir + "/tone.wav"
        try Self.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440", "-t", "0.5", audio])
        #expect(throws: MediaError(path: audio, message: "has no video stream; add video clips only")) {
            try ClipProbe.probe(path: audio)
        }
        let garbage = Self.dir + "/garbage.mp4"
        var rng = SystemRandomNumberGenerator()
        try Data((0..<20_000).map { _ in UInt8.random(in: 0...255, using: &rng) }).write(to: URL(fileURLWithPath: garbage))
        #expect(throws: MediaError.self) { try ClipProbe.probe(path: garbage) }
        // The first half of a clip whose index is at the front (faststart): the container
        // declares more frames than can be read.
        let whole = Self.dir + "/whole.mp4"
        try Self.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                         "-movflags", "+faststart", whole])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        let half = Self.dir + "/half.mp4"
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: half))
        do {
            _ = try ClipProbe.probe(path: half)
            Issue.record("a truncated clip was accepted")
        } catch let error as MediaError {
            #expect(error.message.contains("truncated") || error.message.contains("corrupt"), "\(error)")
        }
    }

    /// A clip is a video: more than one frame, or a video container. A still image (PNG,
    /// JPEG) was accepted as a one-frame clip; a one-frame MP4 still is a clip.
    @Test func stillImagesAreRefusedAndOneFrameVideosAccepted() throws {
        for (name, demuxer) in [("still.png", "png_pipe"), ("still.jpg", "jpeg_pipe")] {
            let path = Self.dir + "/" + name
            try Self.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x48", "-frames:v", "1", path])
            #expect(throws: MediaError(path: path, message: "is a still image (\(demuxer), one frame), not a video; add video clips only "
                                       + "(to rate a still, make it a clip: ffmpeg -loop 1 -i IMAGE -t 2 -pix_fmt yuv420p CLIP.mp4)")) {
                try ClipProbe.probe(path: path)
            }
        }
        let oneFrame = Self.dir + "/one-frame.mp4"
        try Self.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x48:rate=25", "-frames:v", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p", oneFrame])
        #expect(try ClipProbe.probe(path: oneFrame).frameCount == 1)
    }

    @Test func sha256MatchesCoreutils() throws {
        let path = Self.dir + "/hash.bin"
        try Data((0..<3_000_000).map { UInt8($0 % 251) }).write(to: URL(fileURLWithPath: path))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let expected = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
        #expect(try FileHash.sha256(path: path) == String(expected))
        #expect(FileHash.sha256(bytes: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
