import Foundation
@testable import Media
import Testing

/// The frame index read from an MP4/MOV sample table (no frame data read; the table path of
/// `FrameIndex+SampleTable.swift` where it applies) must equal the one a scan of every packet
/// gives — same PTS, same keyframes, same seek timestamps — for every codec and container the
/// tests make (a fragmented MP4 too: libavformat reads every fragment's table when the file
/// is opened, and every packet is replayed); containers without a table are scanned.
@Suite struct FrameIndexTests {
    static let source = ["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25", "-t", "3"]

    /// `source` as H.264 with B-frames in an MP4 at `path`: its bytes and where the box named
    /// `box` starts (its 4-character type), for a test to damage it.
    static func encodedMP4(_ path: String, box: String) throws -> (bytes: [UInt8], at: Int) {
        try VideoDecoderTests.ffmpeg(source + ["-c:v", "libx264", "-bf", "3", "-g", "12", "-sc_threshold", "0", path])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let type = Array(box.utf8)
        let at = try #require((0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == type })
        return (bytes, at)
    }

    /// name, ffmpeg arguments after the input, where the index must come from.
    static let cases: [(String, [String], FrameIndexSource)] = [
        ("h264-bframes.mp4", ["-c:v", "libx264", "-bf", "3", "-g", "12", "-sc_threshold", "0"], .container),
        ("h264-bframes.mov", ["-c:v", "libx264", "-bf", "3", "-g", "12"], .container),
        ("h264-open-gop.mp4", ["-c:v", "libx264", "-bf", "3", "-x264-params", "open-gop=1:keyint=20:min-keyint=20"], .container),
        ("h264-10bit.mp4", ["-c:v", "libx264", "-pix_fmt", "yuv420p10le", "-bf", "2", "-g", "15"], .container),
        ("h264-offset.mp4", ["-vf", "setpts=PTS+1.5/TB", "-c:v", "libx264", "-bf", "3", "-g", "12"], .container),
        ("h264-no-editlist.mp4", ["-c:v", "libx264", "-bf", "3", "-g", "12", "-use_editlist", "0"], .container),
        ("h264-vfr.mp4", ["-vf", "settb=1/1000,setpts='40*N+20*floor(N/3)'", "-fps_mode", "vfr", "-enc_time_base", "1:1000",
                          "-c:v", "libx264", "-bf", "3", "-g", "15"], .container),
        ("h264-audio-faststart.mp4", ["-f", "lavfi", "-i", "sine=frequency=440", "-shortest", "-c:v", "libx264", "-bf", "2",
                                      "-c:a", "aac", "-movflags", "+faststart"], .container),
        ("hevc-bframes.mp4", ["-c:v", "libx265", "-x265-params", "bframes=4:keyint=20:log-level=error"], .container),
        ("hevc-bframes.mov", ["-c:v", "libx265", "-tag:v", "hvc1", "-x265-params", "bframes=4:keyint=20:log-level=error"], .container),
        ("av1.mp4", ["-c:v", "libaom-av1", "-cpu-used", "8", "-g", "20", "-crf", "50"], .container),
        ("vp9.mp4", ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-g", "20"], .container),
        ("mpeg4-bframes.mp4", ["-c:v", "mpeg4", "-bf", "2", "-g", "12"], .container),
        ("prores.mov", ["-c:v", "prores_ks", "-profile:v", "0"], .container),
        ("mjpeg.mov", ["-c:v", "mjpeg", "-q:v", "5"], .container),
        ("mpeg2.mp4", ["-c:v", "mpeg2video", "-bf", "2", "-g", "12"], .scanned),
        ("h264-fragmented.mp4", ["-c:v", "libx264", "-bf", "3", "-g", "12", "-movflags", "frag_keyframe+empty_moov"], .container),
        ("h264.ts", ["-c:v", "libx264", "-bf", "3", "-g", "12"], .scanned),
        ("h264.mkv", ["-c:v", "libx264", "-bf", "3", "-g", "12"], .scanned),
        ("vp9.webm", ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-g", "20"], .scanned),
    ]

    @Test(arguments: cases.indices)
    func containerIndexEqualsScan(_ i: Int) throws {
        let (name, options, expected) = Self.cases[i]
        let path = VideoDecoderTests.dir + "/index-" + name
        try VideoDecoderTests.ffmpeg(Self.source + options + [path])
        let scan = try FrameIndex.read(path: path, scanOnly: true)
        let best = try FrameIndex.read(path: path, scanOnly: false)
        #expect(scan.source == .scanned)
        #expect(best.source == expected, "\(name): index from \(best.source)")
        #expect(scan.timestamps.count >= 38, "\(name): \(scan.timestamps.count) frames scanned")
        #expect(best.timestamps == scan.timestamps, "\(name): PTS differ")
        #expect(best.keys == scan.keys, "\(name): keyframes differ: \(best.keys.count) vs \(scan.keys.count)")
        #expect(!scan.keys.isEmpty)
        // The MP4/MOVs whose table is in the `moov` take the table path itself (not the
        // per-packet replay); a fragmented one's samples are in its `moof`s, so it declines.
        if expected == .container {
            let fast = try MP4SampleTableTests.fromTable(path)
            if name.contains("fragmented") {
                #expect(fast == nil, "\(name): a fragmented MP4's moov has no samples")
            } else {
                #expect(fast?.timestamps == scan.timestamps && fast?.keys == scan.keys, "\(name): the sample table path declined or differs")
            }
        }

        let decoder = try VideoDecoder(path: path)
        #expect(decoder.indexSource == expected)
        #expect(decoder.frameCount == scan.timestamps.count)
        // A fragmented MP4's samples are in its `moof`s, not the `moov` table: replayed.
        let container = name.contains("fragmented") ? "index: container, every packet replayed (\(scan.timestamps.count) frames)"
                                                    : "index: container (\(scan.timestamps.count) frames)"
        #expect(decoder.indexDescription == (expected == .container ? container : "index: scanned every packet (no container index)"))
        // Seeks through the index give the frames sequential decoding gives.
        let sequential = try VideoDecoder(path: path)
        var frames: [[UInt8]] = []
        while let f = try sequential.nextFrame() { frames.append(f.rgb) }
        #expect(frames.count == decoder.frameCount)
        for n in [decoder.frameCount - 1, decoder.frameCount / 2, 1] where n < frames.count {
            let same = try decoder.frame(at: n).rgb == frames[n]   // a Bool: no pixels printed
            #expect(same, "\(name): frame \(n) differs from sequential decoding")
        }
    }

    /// An MP4 without its sync-sample table (`stss` renamed `free`) calls every frame a
    /// keyframe; the H.264 frames are not, so the index is scanned (7 keyframes, not 75).
    @Test func anMP4WithoutSyncSamplesIsScanned() throws {
        let path = VideoDecoderTests.dir + "/index-nostss.mp4"
        let (encoded, at) = try Self.encodedMP4(path, box: "stss")
        var bytes = encoded
        bytes.replaceSubrange(at..<(at + 4), with: Array("free".utf8))
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let best = try FrameIndex.read(path: path, scanOnly: false)
        let scan = try FrameIndex.read(path: path, scanOnly: true)
        #expect(best.source == .scanned)
        #expect(best.keys == scan.keys && scan.keys.count == 7 && best.timestamps == scan.timestamps)
    }

    /// A faststart MP4 cut in half keeps its whole sample table: the container path must not
    /// hide the missing frames, and fails as the scan does.
    @Test func truncatedFileFailsAsTheScanDoes() throws {
        let whole = VideoDecoderTests.dir + "/index-whole.mp4"
        try VideoDecoderTests.ffmpeg(Self.source + ["-c:v", "libx264", "-bf", "3", "-movflags", "+faststart", whole])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        let front = VideoDecoderTests.dir + "/index-front.mp4"
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: front))
        var scanError: MediaError?
        do { _ = try FrameIndex.read(path: front, scanOnly: true) } catch let error as MediaError { scanError = error }
        let expected = try #require(scanError)
        #expect(throws: expected) { try FrameIndex.read(path: front, scanOnly: false) }
    }
}
