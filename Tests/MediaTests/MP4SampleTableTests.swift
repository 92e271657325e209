import CFFmpeg
import Foundation
@testable import Media
import Testing

/// The frame index an MP4/MOV opens with comes from libavformat's index entries plus the
/// `ctts` read from the file (`FrameIndex.fromSampleTable`), not from a packet per sample
/// (issue 17: a one-hour clip opens as fast as a 4 s one). These hold the table to what
/// ffprobe says of the same file, the fast path to the scan (here and, on every codec, in
/// `FrameIndexTests`), and the fallback where the table does not line up with libavformat's
/// index.
@Suite struct MP4SampleTableTests {
    static let source = ["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25", "-t", "3"]

    /// ffprobe's packets of the video stream in file order: size, DTS, PTS.
    static func probe(_ path: String) throws -> [(size: Int32, dts: Int64, pts: Int64)] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
        p.arguments = ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=size,dts,pts", "-of", "csv=p=0", path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            // csv order follows the section's field order: pts, dts, size.
            let f = line.split(separator: ",").map { Int64($0)! }
            return (Int32(f[2]), f[1], f[0])
        }
    }

    /// The index from the fast path, or nil when it declines.
    static func fromTable(_ path: String) throws -> FrameIndex? {
        try FrameIndex.withBestStream(path: path) { context, stream, index in
            var consumed = false
            return FrameIndex.fromSampleTable(context, stream: stream, index: index, path: path, consumed: &consumed)
        }
    }

    /// Sizes, decoding times and composition offsets are the file's: against ffprobe's packets
    /// of an H.264 MP4 with B-frames (25 fps in 1/12800: DTS steps of 512; PTS − DTS is the
    /// offset plus one constant, libavformat's shift).
    @Test func tableMatchesFFprobe() throws {
        let path = VideoDecoderTests.dir + "/table-bframes.mp4"
        try VideoDecoderTests.ffmpeg(Self.source + ["-c:v", "libx264", "-bf", "3", "-g", "12", path])
        let table = try #require(MP4SampleTable.read(path: path, trackID: 1))
        let packets = try Self.probe(path)
        #expect(table.sizes.count == 75 && packets.count == 75)
        #expect(table.sizes == packets.map(\.size))
        #expect(table.decodeTimes.first == 0 && table.decodeTimes.last == 74 * 512)
        #expect(zip(table.decodeTimes, table.decodeTimes.dropFirst()).allSatisfy { $1 - $0 == 512 })
        let offsets = try #require(table.compositionOffsets)
        let shifts = Set(zip(offsets, packets).map { Int64($1.pts) - $1.dts - Int64($0) })
        #expect(shifts.count == 1, "PTS − DTS − offset: \(shifts)")
        #expect(Set(offsets).count > 1, "B-frames give several offsets: \(Set(offsets))")
        #expect(MP4SampleTable.read(path: path, trackID: 2) == nil, "no track 2")
        #expect(table.fileSize == Int64(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int))
    }

    /// Without B-frames the writer leaves `ctts` out: no offsets, PTS = DTS.
    @Test func noBFramesNoOffsets() throws {
        let path = VideoDecoderTests.dir + "/table-nob.mp4"
        try VideoDecoderTests.ffmpeg(Self.source + ["-c:v", "libx264", "-bf", "0", "-g", "12", path])
        let table = try #require(MP4SampleTable.read(path: path, trackID: 1))
        #expect(table.compositionOffsets == nil && table.sizes.count == 75)
        let fast = try #require(try Self.fromTable(path))
        #expect(fast.timestamps == (0..<75).map { Int64($0) * 512 })
    }

    /// A stream copy cut in the middle of a GOP: the edit list starts after a keyframe, so
    /// libavformat keeps the frames before the cut for decoding and marks them discarded;
    /// the fast path leaves them out as the scan does.
    @Test func editListIntoAGOP() throws {
        let whole = VideoDecoderTests.dir + "/table-whole.mp4"
        try VideoDecoderTests.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25", "-t", "6",
                                      "-c:v", "libx264", "-bf", "3", "-g", "50", "-sc_threshold", "0", whole])
        let cut = VideoDecoderTests.dir + "/table-cut.mp4"
        try VideoDecoderTests.ffmpeg(["-ss", "1.3", "-i", whole, "-c", "copy", cut])
        let scan = try FrameIndex.read(path: cut, scanOnly: true)
        let index = try #require(try Self.fromTable(cut))
        #expect(index.timestamps == scan.timestamps && index.keys == scan.keys)
        let table = try #require(MP4SampleTable.read(path: cut, trackID: 1))
        #expect(table.sizes.count > scan.timestamps.count, "frames before the cut are in the table: \(table.sizes.count) vs \(scan.timestamps.count)")
        #expect(try FrameIndex.read(path: cut, scanOnly: false).source == .container)
        // Was refused as "truncated" before the discarded frames counted: they are in the file.
        let decoder = try VideoDecoder(path: cut)
        #expect(decoder.frameCount == scan.timestamps.count && decoder.indexSource == .container)
        #expect(decoder.indexDescription == "index: container (\(scan.timestamps.count) frames)", "from the table, not replayed")
        var frames: [[UInt8]] = []
        while let f = try decoder.nextFrame() { frames.append(f.rgb) }
        #expect(frames.count == decoder.frameCount, "every frame shown once, none of the discarded ones")
        let same = try VideoDecoder(path: cut).frame(at: 40).rgb == frames[40]
        #expect(same, "a seek gives the frame sequential decoding gives")
    }

    /// A `ctts` offset beyond ±2^28 makes libavformat drop the whole box (PTS = DTS); the
    /// table declines it and the packet replay, which sees what libavformat does, gives the
    /// scan's index.
    @Test func rejectedOffsetsFallBackToTheReplay() throws {
        let path = VideoDecoderTests.dir + "/table-badctts.mp4"
        let (encoded, at) = try FrameIndexTests.encodedMP4(path, box: "ctts")
        var bytes = encoded
        let entries = Int(bytes[at + 8]) << 24 | Int(bytes[at + 9]) << 16 | Int(bytes[at + 10]) << 8 | Int(bytes[at + 11])
        #expect(entries > 3)
        bytes[at + 12 + 4] = 0x40   // the first entry's offset becomes 2^30 + its value
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(MP4SampleTable.read(path: path, trackID: 1) == nil)
        #expect(try Self.fromTable(path) == nil)
        let scan = try FrameIndex.read(path: path, scanOnly: true)
        let best = try FrameIndex.read(path: path, scanOnly: false)
        #expect(best.timestamps == scan.timestamps && best.keys == scan.keys && best.replayed)
        #expect(try VideoDecoder(path: path).indexDescription == "index: container, every packet replayed (\(scan.timestamps.count) frames)")
    }

    /// Boxes that overrun their parent, or a file that is not an MP4, give no table.
    @Test func damagedBoxesGiveNoTable() throws {
        #expect(MP4SampleTable.parse(moov: [0, 0, 0, 200] + Array("trak".utf8) + [0, 0, 0, 0], trackID: 1) == nil)
        #expect(MP4SampleTable.parse(moov: [], trackID: 1) == nil)
        let text = VideoDecoderTests.dir + "/table-text.mp4"
        try Data("not a video at all".utf8).write(to: URL(fileURLWithPath: text))
        #expect(MP4SampleTable.read(path: text, trackID: 1) == nil)
    }
}
