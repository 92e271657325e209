import CFFmpeg
import Glibc

/// Where a clip's frame index came from: `preview --info` says which.
public enum FrameIndexSource: Sendable, Equatable {
    /// The container's own sample table (MP4/MOV): no frame's data was read.
    case container
    /// Every packet of the file was read (MPEG-TS, Matroska/WebM, AVI, raw streams, and MP4s
    /// whose table the container path does not take).
    case scanned
    /// A scan made at `clip add` and kept in the project (`StoredFrameIndex`).
    case stored
}

/// The raw material of `VideoDecoder`'s display-order index: every video packet's PTS (DTS
/// when it has none) in file order, and for keyframes the PTS with the timestamp to seek to.
///
/// Two ways to it, giving the same values (`FrameIndexTests` compares them on every codec and
/// container the tests make):
/// - **scan**: read every packet of the file through the decoder's own demuxer;
/// - **container**: MP4/MOV keep every sample's position, size, decoding time, composition
///   offset and sync flag in the `moov` box, which libavformat reads when the file is opened.
///   Its index entries (`avformat_index_get_entry`) carry DTS only, and composition offsets
///   are private to the demuxer; and FFmpeg 5.1's mov demuxer returns no packet at all for a
///   stream set to `AVDISCARD_ALL`. So a second demuxer is opened on the same file through
///   a reader that hands over the *payload* of the video samples without reading it (the
///   bytes are left as they are: nothing looks at them, as parsers are off): the demuxer
///   then produces every packet's PTS, DTS, flags and edit-list discards itself, from the
///   table alone. Only reads that lie wholly inside a video sample the table lists are
///   skipped, so the boxes the demuxer parses are always the file's real bytes.
///
/// Key flags: the scan's come through libavformat's H.264/HEVC parser (IDR or recovery
/// point), the container's from the `stss` sync-sample table; writers set both from the
/// same encoder flag, and the comparison test holds them equal for the codecs allowed here.
/// A table that calls every frame of a codec with inter frames a keyframe is not taken: an
/// MP4 writer leaves `stss` out when every sample is a sync sample, and so does a damaged
/// file whose P-frames a seek would then start from; the scan tells the two apart.
struct FrameIndex: Equatable {
    struct Key: Equatable {
        var pts: Int64
        var seek: Int64
    }

    var timestamps: [Int64] = []
    var keys: [Key] = []
    var source: FrameIndexSource = .scanned
    /// Packets without any timestamp (not indexable).
    private var missing = 0
    /// Packets an edit list leaves out (decoded only as references, never shown): a stream
    /// copy cut inside a GOP keeps the frames before the cut back to the keyframe. They count
    /// as present against the frame count the container declares.
    var discarded = 0
    /// Made by replaying every packet from the container's table (`fromContainer`'s fallback,
    /// a packet per sample) rather than from the table directly: `preview --info` says so, as
    /// it is the path whose cost grows with the clip.
    var replayed = false

    /// Codecs whose container index matches the scan, checked by `FrameIndexTests`. A codec
    /// that libavformat parses into different packets (MPEG video) is left to the scan.
    static let containerCodecs: Set<UInt32> = [
        AV_CODEC_ID_H264, AV_CODEC_ID_HEVC, AV_CODEC_ID_AV1, AV_CODEC_ID_VP9, AV_CODEC_ID_MPEG4,
        AV_CODEC_ID_PRORES, AV_CODEC_ID_MJPEG,
    ].reduce(into: []) { $0.insert($1.rawValue) }

    /// A stored index made for this stream, else the container's index where it has a
    /// complete one, otherwise a scan of `context` (which is left at the end of the file: the
    /// caller seeks).
    static func read(_ context: UnsafeMutablePointer<AVFormatContext>, stream: UnsafeMutablePointer<AVStream>,
                     index: Int32, path: String, stored: StoredFrameIndex? = nil) throws -> FrameIndex {
        if let stored, stored.format == StoredFrameIndex.currentFormat,
           let identity = StreamIdentity(context: context, stream: stream, index: index, path: path),
           let decoded = decoded(stored.bytes, identity: identity) {
            return decoded
        }
        var consumed = false
        if let fromContainer = fromContainer(context, stream: stream, index: index, path: path, consumed: &consumed) { return fromContainer }
        return try scan(context, stream: stream, index: index, path: path, fromStart: consumed)
    }

    /// Opens `path` on its own and reads its best video stream's index: from the container
    /// where it can (unless `scanOnly`), otherwise by a scan. `FrameIndexTests` compares the two.
    static func read(path: String, scanOnly: Bool) throws -> FrameIndex {
        try withBestStream(path: path) { context, stream, index in
            scanOnly ? try scan(context, stream: stream, index: index, path: path)
                     : try read(context, stream: stream, index: index, path: path)
        }
    }

    /// Reads every packet of the video stream; of a freshly opened context when `fromStart`
    /// (packets of `context` were read already, by `fromSampleTable`).
    static func scan(_ context: UnsafeMutablePointer<AVFormatContext>, stream: UnsafeMutablePointer<AVStream>,
                     index: Int32, path: String, fromStart: Bool = false) throws -> FrameIndex {
        if fromStart {
            return try withBestStream(path: path) { fresh, stream, index in try scan(fresh, stream: stream, index: index, path: path) }
        }
        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        guard let packet else { throw MediaError(path: path, message: "out of memory reading the index") }
        var result = FrameIndex()
        while true {
            let status = av_read_frame(context, packet)
            if status == concord_averror_eof() { break }
            if status < 0 {
                throw MediaError(path: path, message: "is corrupt: reading failed after \(result.timestamps.count) frames (\(averrorText(status))); copy the file again")
            }
            result.add(packet, index: index)
            av_packet_unref(packet)
        }
        try result.check(declared: Int(stream.pointee.nb_frames), path: path)
        return result
    }

    private mutating func add(_ packet: UnsafeMutablePointer<AVPacket>, index: Int32) {
        let none = concord_av_nopts_value()
        let p = packet.pointee
        guard p.stream_index == index else { return }
        guard p.flags & AV_PKT_FLAG_DISCARD == 0 else { discarded += 1; return }
        let ts = p.pts != none ? p.pts : p.dts
        guard ts != none else { missing += 1; return }
        timestamps.append(ts)
        if p.flags & AV_PKT_FLAG_KEY != 0 {
            keys.append(Key(pts: ts, seek: p.dts != none ? min(p.dts, ts) : ts))
        }
    }

    func check(declared: Int, path: String) throws {
        guard !timestamps.isEmpty else {
            throw MediaError(path: path, message: missing > 0
                ? "the video stream has no timestamps, so frames cannot be found exactly; remux it (e.g. to MP4 or MKV)"
                : "the video stream has no frames; the file is empty or truncated")
        }
        if declared > 0 && timestamps.count + missing + discarded < declared {
            throw MediaError(path: path, message: "is truncated: the container declares \(declared) frames but only \(timestamps.count + missing + discarded) can be read; copy the file again")
        }
    }

    /// The index from an MP4/MOV sample table, or nil when the file is not one, the codec is
    /// not one checked against the scan, the table is empty (fragmented MP4), or anything at
    /// all fails: the scan then decides, errors included.
    static func fromContainer(_ context: UnsafeMutablePointer<AVFormatContext>, stream: UnsafeMutablePointer<AVStream>,
                              index: Int32, path: String, consumed: inout Bool) -> FrameIndex? {
        guard let format = context.pointee.iformat, String(cString: format.pointee.name).hasPrefix("mov,"),
              let parameters = stream.pointee.codecpar,
              containerCodecs.contains(parameters.pointee.codec_id.rawValue),
              avformat_index_get_entries_count(stream) > 0 else { return nil }
        // Without a sync-sample table (`stss`) MP4 calls every sample a keyframe. For a codec
        // with inter frames that is the table's omission, not the truth: the scan's parser
        // finds the real ones (a seek to a P-frame would decode from it).
        let intraOnly = avcodec_descriptor_get(parameters.pointee.codec_id).map { $0.pointee.props & AV_CODEC_PROP_INTRA_ONLY != 0 } ?? false
        let believable = { (index: FrameIndex) in intraOnly || index.timestamps.count <= 1 || index.keys.count < index.timestamps.count }
        if let fromTable = fromSampleTable(context, stream: stream, index: index, path: path, consumed: &consumed) {
            return believable(fromTable) ? fromTable : nil
        }
        guard let reader = SampleSkippingReader(path: path) else { return nil }
        return reader.withDemuxer(format: format) { demuxer in
            guard Int(demuxer.pointee.nb_streams) == Int(context.pointee.nb_streams),
                  let own = demuxer.pointee.streams[Int(index)],
                  own.pointee.codecpar.pointee.codec_id == parameters.pointee.codec_id else { return nil }
            for i in 0..<Int(demuxer.pointee.nb_streams) where i != Int(index) {
                demuxer.pointee.streams[i]!.pointee.discard = AVDISCARD_ALL
            }
            reader.skipSamples(of: own)
            var packet = av_packet_alloc()
            defer { av_packet_free(&packet) }
            guard let packet else { return nil }
            var result = FrameIndex()
            while true {
                let status = av_read_frame(demuxer, packet)
                if status == concord_averror_eof() { break }
                if status < 0 { return nil }
                result.add(packet, index: index)
                av_packet_unref(packet)
            }
            guard (try? result.check(declared: Int(own.pointee.nb_frames), path: path)) != nil, believable(result) else { return nil }
            result.source = reader.payloadBytesRead == 0 ? .container : .scanned
            result.replayed = true
            return result
        }
    }
}

/// A file reader for libavformat's custom I/O that, once told the video samples' byte ranges,
/// answers a read lying wholly inside one of them without reading it (the destination is left
/// as it is). Everything else — the boxes, anything outside the table — is read from the file.
final class SampleSkippingReader {
    private let fd: Int32
    private let size: Int64
    private var position: Int64 = 0
    /// Start and end (exclusive) of each video sample, by start.
    private var samples: [(start: Int64, end: Int64)] = []
    private var skipping = false
    /// Bytes read from the file while skipping: sample data the table did not list.
    private(set) var payloadBytesRead = 0

    init?(path: String) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0 else { close(fd); return nil }
        size = Int64(info.st_size)
    }

    deinit { close(fd) }

    /// Opens a demuxer reading through this reader, with parsers off (nothing may look at a
    /// skipped payload), runs `body`, and frees it.
    func withDemuxer<T>(format: UnsafePointer<AVInputFormat>, _ body: (UnsafeMutablePointer<AVFormatContext>) -> T?) -> T? {
        let bufferSize: Int32 = 32_768
        guard let buffer = av_malloc(Int(bufferSize))?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        var io = avio_alloc_context(buffer, bufferSize, 0, opaque, { opaque, destination, count in
            Unmanaged<SampleSkippingReader>.fromOpaque(opaque!).takeUnretainedValue().read(into: destination, count: count)
        }, nil, { opaque, offset, whence in
            Unmanaged<SampleSkippingReader>.fromOpaque(opaque!).takeUnretainedValue().seek(offset, whence: whence)
        })
        guard let pb = io else { av_free(buffer); return nil }
        defer {
            av_freep(&pb.pointee.buffer)   // libavformat may have replaced the first buffer
            avio_context_free(&io)
        }
        var context = avformat_alloc_context()
        guard let allocated = context else { return nil }
        allocated.pointee.pb = pb
        allocated.pointee.flags |= AVFMT_FLAG_CUSTOM_IO | AVFMT_FLAG_NOPARSE
        // On failure avformat_open_input frees the context itself.
        guard avformat_open_input(&context, nil, format, nil) >= 0, let demuxer = context else { return nil }
        defer { avformat_close_input(&context) }
        // Direct: every read reaches this reader with the demuxer's own offset and size (no
        // read-ahead into the buffer), which is what lets a sample's payload be recognised.
        pb.pointee.direct = 1
        return body(demuxer)
    }

    /// From now on, reads inside one of `stream`'s index entries are not performed.
    func skipSamples(of stream: UnsafeMutablePointer<AVStream>) {
        let count = avformat_index_get_entries_count(stream)
        samples.reserveCapacity(Int(count))
        for i in 0..<count {
            guard let entry = avformat_index_get_entry(stream, i) else { continue }
            let size = Int64(entry.pointee.size)
            if size > 0 { samples.append((entry.pointee.pos, entry.pointee.pos + size)) }
        }
        // Usually already in file order (one track's samples ascend): no sort to pay then.
        if zip(samples, samples.dropFirst()).contains(where: { $0.start > $1.start }) { samples.sort { $0.start < $1.start } }
        skipping = true
    }

    private func read(into destination: UnsafeMutablePointer<UInt8>?, count: Int32) -> Int32 {
        guard position < size else { return concord_averror_eof() }
        let wanted = Int64(min(Int64(count), size - position))
        if skipping, insideSample(position, position + wanted) {
            position += wanted
            return Int32(wanted)
        }
        let got = pread(fd, destination, Int(wanted), off_t(position))
        guard got > 0 else { return got == 0 ? concord_averror_eof() : -errno }
        position += Int64(got)
        if skipping { payloadBytesRead += got }
        return Int32(got)
    }

    private func seek(_ offset: Int64, whence: Int32) -> Int64 {
        switch whence & ~AVSEEK_FORCE {
        case AVSEEK_SIZE: return size
        case SEEK_SET: position = offset
        case SEEK_CUR: position += offset
        case SEEK_END: position = size + offset
        default: return -1
        }
        return position
    }

    private func insideSample(_ start: Int64, _ end: Int64) -> Bool {
        var low = 0, high = samples.count   // last sample starting at or before `start`
        while low < high {
            let mid = (low + high) / 2
            if samples[mid].start <= start { low = mid + 1 } else { high = mid }
        }
        return low > 0 && end <= samples[low - 1].end
    }
}

extension VideoDecoder {
    /// How the index was built, for `preview --info`: "index: container (5400 frames)",
    /// "index: container, every packet replayed (…)" (a fragmented MP4, or a table that does
    /// not line up with libavformat's entries), "index: scanned every packet (no container
    /// index)" or "index: stored at clip add (…)".
    public var indexDescription: String {
        switch indexSource {
        case .container: indexReplayed ? "index: container, every packet replayed (\(frameCount) frames)" : "index: container (\(frameCount) frames)"
        case .scanned: "index: scanned every packet (no container index)"
        case .stored: "index: stored at clip add (\(frameCount) frames)"
        }
    }
}
