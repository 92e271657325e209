import Foundation
@testable import Media
import Testing

/// A scanned index kept at `clip add` (`StoredFrameIndex`) opens a clip without a container
/// index exactly as the scan would, and is ignored whenever it was not made for the file.
@Suite struct StoredFrameIndexTests {
    static func make(_ name: String, _ options: [String], seconds: String = "3") throws -> String {
        let path = VideoDecoderTests.dir + "/stored-" + name
        try VideoDecoderTests.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25", "-t", seconds] + options + [path])
        return path
    }

    @Test(arguments: [("h264.ts", ["-c:v", "libx264", "-bf", "3", "-g", "12"]),
                      ("h264.mkv", ["-c:v", "libx264", "-bf", "3", "-g", "12"]),
                      ("vp9.webm", ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-g", "20"])])
    func storedIndexOpensAsTheScanDoes(name: String, options: [String]) throws {
        let path = try Self.make(name, options)
        let stored = try #require(try StoredFrameIndex.forClip(path: path))
        #expect(stored.format == "frames-1")
        let scanned = try VideoDecoder(path: path)
        let opened = try VideoDecoder(path: path, storedIndex: stored)
        #expect(scanned.indexSource == .scanned)
        #expect(opened.indexSource == .stored)
        #expect(opened.indexDescription == "index: stored at clip add (75 frames)")
        #expect(opened.frameTimes == scanned.frameTimes)
        #expect(opened.keyframeIndices == scanned.keyframeIndices)
        // About two bytes a frame for a steady stream, not eight.
        #expect(stored.bytes.count < 4 * scanned.frameCount, "\(stored.bytes.count) bytes")

        var frames: [[UInt8]] = []
        while let f = try scanned.nextFrame() { frames.append(f.rgb) }
        #expect(frames.count == 75)
        for n in [74, 40, 13, 1] {
            let same = try opened.frame(at: n).rgb == frames[n]
            #expect(same, "\(name): frame \(n) through the stored index differs")
        }
    }

    @Test func containerIndexedClipsStoreNothing() throws {
        let path = try Self.make("h264.mp4", ["-c:v", "libx264", "-bf", "3"])
        #expect(try StoredFrameIndex.forClip(path: path) == nil)
    }

    /// Another file's index (a different length), a damaged one, or another format: the
    /// decoder scans, and gets the right frames.
    @Test func aStoredIndexNotMadeForTheFileIsIgnored() throws {
        let path = try Self.make("own.ts", ["-c:v", "libx264", "-bf", "3", "-g", "12"])
        let other = try Self.make("other.ts", ["-c:v", "libx264", "-bf", "3", "-g", "12"], seconds: "2")
        let own = try #require(try StoredFrameIndex.forClip(path: path))
        let foreign = try #require(try StoredFrameIndex.forClip(path: other))
        var damaged = own.bytes
        damaged.removeLast()
        var flipped = own.bytes
        flipped[0] ^= 0xff
        let expected = try VideoDecoder(path: path)
        for stored in [foreign, StoredFrameIndex(format: own.format, bytes: damaged), StoredFrameIndex(format: own.format, bytes: flipped),
                       StoredFrameIndex(format: "frames-0", bytes: own.bytes), StoredFrameIndex(format: own.format, bytes: [])] {
            let decoder = try VideoDecoder(path: path, storedIndex: stored)
            #expect(decoder.indexSource == .scanned)
            #expect(decoder.frameTimes == expected.frameTimes && decoder.frameCount == 75)
        }
        #expect(try VideoDecoder(path: path, storedIndex: own).indexSource == .stored)
    }

    /// Encoding round-trips any values, large jumps and negative timestamps included.
    @Test func encodingRoundTrips() throws {
        let identity = StreamIdentity(streamIndex: 1, codecID: 27, timeBaseNum: 1, timeBaseDen: 90_000, fileSize: 123_456_789)
        var index = FrameIndex()
        index.timestamps = [-3003, 0, 9_000_000_000, 3003, -1, Int64.max / 4, 7]
        index.keys = [FrameIndex.Key(pts: -3003, seek: -6006), FrameIndex.Key(pts: 9_000_000_000, seek: 8_999_996_997)]
        let bytes = index.encoded(identity: identity)
        let back = try #require(FrameIndex.decoded(bytes, identity: identity))
        #expect(back.timestamps == index.timestamps && back.keys == index.keys && back.source == .stored)
        var bigger = identity
        bigger.fileSize += 1
        #expect(FrameIndex.decoded(bytes, identity: bigger) == nil)
        #expect(FrameIndex.decoded(bytes + [0], identity: identity) == nil)
    }
}
