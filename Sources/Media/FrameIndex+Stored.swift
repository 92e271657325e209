import CFFmpeg
import Glibc

/// A scanned frame index kept in the project (`clip add` stores it, keyed by the clip's
/// SHA-256), so that a clip whose container has no index (MPEG-TS, Matroska/WebM, AVI) opens
/// in the workbench without reading every packet again.
///
/// The bytes (`format` "frames-1"): "CFI1", then unsigned LEB128 varints — the stream
/// index, the codec id, the time base (num, den), the file size, the frame count, the
/// keyframe count — then each frame's PTS as the zigzag-coded difference from the previous
/// one (file order; a steady stream costs one or two bytes a frame), then each keyframe's
/// PTS the same way and its PTS minus its seek timestamp. Everything but the PTS is checked
/// against the opened file before the index is used; a mismatch, or bytes that do not
/// decode, and the decoder scans as if nothing were stored.
public struct StoredFrameIndex: Sendable, Equatable {
    /// The only format written and read; another is ignored (scanned instead).
    public static let currentFormat = "frames-1"
    public let format: String
    public let bytes: [UInt8]

    public init(format: String, bytes: [UInt8]) {
        self.format = format
        self.bytes = bytes
    }

    /// The scanned index of the clip at `path` when its container has none, ready to store;
    /// nil when it opens from its container's table anyway. For `clip add`.
    public static func forClip(path: String) throws -> StoredFrameIndex? {
        try FrameIndex.withBestStream(path: path) { context, stream, index in
            var consumed = false
            if FrameIndex.fromContainer(context, stream: stream, index: index, path: path, consumed: &consumed)?.source == .container { return nil }
            let scanned = try FrameIndex.scan(context, stream: stream, index: index, path: path, fromStart: consumed)
            guard let identity = StreamIdentity(context: context, stream: stream, index: index, path: path) else { return nil }
            return StoredFrameIndex(format: currentFormat, bytes: scanned.encoded(identity: identity))
        }
    }
}

/// What a stored index must agree with in the file it is used for.
struct StreamIdentity: Equatable {
    var streamIndex: Int64
    var codecID: Int64
    var timeBaseNum: Int64
    var timeBaseDen: Int64
    var fileSize: Int64

    init?(context: UnsafeMutablePointer<AVFormatContext>, stream: UnsafeMutablePointer<AVStream>, index: Int32, path: String) {
        var info = stat()
        guard stat(path, &info) == 0, let parameters = stream.pointee.codecpar else { return nil }
        streamIndex = Int64(index)
        codecID = Int64(parameters.pointee.codec_id.rawValue)
        timeBaseNum = Int64(stream.pointee.time_base.num)
        timeBaseDen = Int64(stream.pointee.time_base.den)
        fileSize = Int64(info.st_size)
    }

    init(streamIndex: Int64, codecID: Int64, timeBaseNum: Int64, timeBaseDen: Int64, fileSize: Int64) {
        self.streamIndex = streamIndex
        self.codecID = codecID
        self.timeBaseNum = timeBaseNum
        self.timeBaseDen = timeBaseDen
        self.fileSize = fileSize
    }
}

extension FrameIndex {
    static let magic: [UInt8] = Array("CFI1".utf8)

    /// Opens `path`, finds its best video stream and hands both to `body`.
    static func withBestStream<T>(path: String, _ body: (UnsafeMutablePointer<AVFormatContext>, UnsafeMutablePointer<AVStream>, Int32) throws -> T) throws -> T {
        FFmpegLog.silence()
        var format: UnsafeMutablePointer<AVFormatContext>?
        let status = avformat_open_input(&format, path, nil, nil)
        guard status >= 0, let context = format else {
            throw MediaError(path: path, message: "cannot open as a video (\(averrorText(status))); is it a video file?")
        }
        defer { avformat_close_input(&format) }
        let index = avformat_find_stream_info(context, nil) >= 0 ? av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0) : -1
        guard index >= 0, let stream = context.pointee.streams[Int(index)] else {
            throw MediaError(path: path, message: "has no video stream; add video clips only")
        }
        return try body(context, stream, index)
    }

    func encoded(identity: StreamIdentity) -> [UInt8] {
        var out = Self.magic
        out.reserveCapacity(64 + timestamps.count * 2 + keys.count * 4)
        for value in [identity.streamIndex, identity.codecID, identity.timeBaseNum, identity.timeBaseDen, identity.fileSize,
                      Int64(timestamps.count), Int64(keys.count)] {
            Self.putVarint(UInt64(bitPattern: value), into: &out)
        }
        var previous: Int64 = 0
        for ts in timestamps {
            Self.putVarint(Self.zigzag(ts &- previous), into: &out)
            previous = ts
        }
        previous = 0
        for key in keys {
            Self.putVarint(Self.zigzag(key.pts &- previous), into: &out)
            Self.putVarint(Self.zigzag(key.pts &- key.seek), into: &out)
            previous = key.pts
        }
        return out
    }

    /// The index in `bytes` when they decode whole and were made for a stream like
    /// `identity`; nil otherwise.
    static func decoded(_ bytes: [UInt8], identity: StreamIdentity) -> FrameIndex? {
        guard bytes.count >= magic.count, Array(bytes.prefix(magic.count)) == magic else { return nil }
        var at = magic.count
        func next() -> Int64? {
            var value: UInt64 = 0, shift: UInt64 = 0
            while at < bytes.count, shift < 64 {
                let byte = bytes[at]
                at += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return Int64(bitPattern: value) }
                shift += 7
            }
            return nil
        }
        guard let streamIndex = next(), let codecID = next(), let num = next(), let den = next(), let size = next(),
              StreamIdentity(streamIndex: streamIndex, codecID: codecID, timeBaseNum: num, timeBaseDen: den, fileSize: size) == identity,
              let frames = next(), let keyCount = next(), frames > 0, keyCount >= 0,
              frames <= Int64(bytes.count), keyCount <= frames else { return nil }
        var result = FrameIndex()
        result.timestamps.reserveCapacity(Int(frames))
        var previous: Int64 = 0
        for _ in 0..<frames {
            guard let delta = next() else { return nil }
            previous = previous &+ unzigzag(delta)
            result.timestamps.append(previous)
        }
        previous = 0
        for _ in 0..<keyCount {
            guard let delta = next(), let back = next() else { return nil }
            previous = previous &+ unzigzag(delta)
            result.keys.append(Key(pts: previous, seek: previous &- unzigzag(back)))
        }
        guard at == bytes.count else { return nil }
        result.source = .stored
        return result
    }

    private static func putVarint(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    private static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
    private static func unzigzag(_ v: Int64) -> Int64 {
        let u = UInt64(bitPattern: v)
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }
}
