import CFFmpeg
import Printable

/// What concord records about a clip when it is added (docs/project-file.md
/// "Decisions": clips are content-addressed): its codec, timing and size, read
/// in-process by libavformat.
public struct ClipInfo: Sendable, Equatable {
    public var path: String
    /// Decoder name, e.g. "h264".
    public var codec: String
    /// Seconds.
    public var duration: Double
    /// Frames per second (average; for variable frame rate clips, frames ÷ duration).
    public var frameRate: Double
    /// Video packets in the stream: one per frame for every codec concord accepts.
    public var frameCount: Int
    /// The coded size, before the display matrix turns it: a phone's portrait clip is stored
    /// 1920×1080 with `rotation` 90 (`FrameGeometry` gives the size as shown).
    public var width: Int
    public var height: Int
    /// Quarter turns clockwise that show the picture upright (0, 90, 180, 270), from the
    /// display matrix; `VideoDecoder` applies them to every frame.
    public var rotation: Int
}

/// A clip that cannot be used, with the path and what to do.
public struct MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String
    /// The path is shown through `Printable`: a clip file can be named with terminal escapes.
    public var description: String { "\(printableText(path)): \(message)" }

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

public enum ClipProbe {
    /// Opens, probes and reads every packet of the clip's video stream (no decoding but the
    /// first frame), so that a truncated or corrupt file is rejected when it is added, not
    /// when a rater reaches it.
    public static func probe(path: String) throws -> ClipInfo {
        FFmpegLog.silence()
        var format: UnsafeMutablePointer<AVFormatContext>?
        var status = avformat_open_input(&format, path, nil, nil)
        guard status >= 0, let context = format else {
            throw MediaError(path: path, message: "cannot open as a video (\(averrorText(status))); is it a video file?")
        }
        defer { avformat_close_input(&format) }
        status = avformat_find_stream_info(context, nil)
        guard status >= 0 else {
            throw MediaError(path: path, message: "cannot read the stream information (\(averrorText(status))); the file may be corrupt")
        }
        let index = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard index >= 0, let stream = context.pointee.streams[Int(index)], let parameters = stream.pointee.codecpar else {
            throw MediaError(path: path, message: "has no video stream; add video clips only")
        }
        let codecID = parameters.pointee.codec_id
        let codecName = String(cString: avcodec_get_name(codecID))
        guard let decoder = avcodec_find_decoder(codecID) else {
            throw MediaError(path: path, message: "uses the codec '\(codecName)', which this FFmpeg cannot decode; re-encode it (e.g. H.264)")
        }
        guard parameters.pointee.width > 0 && parameters.pointee.height > 0 else {
            throw MediaError(path: path, message: "the video stream has no frame size; the file may be corrupt")
        }
        try decodeFirstFrame(context, stream: stream, index: index, decoder: decoder, path: path)
        let (packets, lastEnd) = try countPackets(context, index: index, path: path)
        guard packets > 0 else {
            throw MediaError(path: path, message: "the video stream has no frames; the file is empty or truncated")
        }
        let demuxer = context.pointee.iformat.map { String(cString: $0.pointee.name) } ?? ""
        if packets == 1 && isImageFormat(demuxer) {
            throw MediaError(path: path, message: "is a still image (\(demuxer), one frame), not a video; add video clips only "
                             + "(to rate a still, make it a clip: ffmpeg -loop 1 -i IMAGE -t 2 -pix_fmt yuv420p CLIP.mp4)")
        }
        let declared = Int(stream.pointee.nb_frames)
        if declared > 0 && packets < declared {
            throw MediaError(path: path, message: "is truncated: the container declares \(declared) frames but only \(packets) can be read; copy the file again")
        }
        let timeBase = stream.pointee.time_base
        let startTime = stream.pointee.start_time == concord_av_nopts_value() ? 0 : stream.pointee.start_time
        var duration = stream.pointee.duration != concord_av_nopts_value() && stream.pointee.duration > 0
            ? Double(stream.pointee.duration) * rational(timeBase)
            : Double(context.pointee.duration) / Double(concord_av_time_base())
        if let lastEnd, lastEnd > startTime {
            // Packet timestamps are the ground truth when the header disagrees (a cut file).
            duration = min(duration > 0 ? duration : .infinity, Double(lastEnd - startTime) * rational(timeBase))
        }
        var frameRate = rational(stream.pointee.avg_frame_rate)
        if !(frameRate > 0) || !frameRate.isFinite { frameRate = rational(stream.pointee.r_frame_rate) }
        if !(frameRate > 0) || !frameRate.isFinite { frameRate = duration > 0 ? Double(packets) / duration : 0 }
        return ClipInfo(path: path, codec: codecName, duration: max(duration, 0), frameRate: frameRate,
                        frameCount: packets, width: Int(parameters.pointee.width), height: Int(parameters.pointee.height),
                        rotation: FrameGeometry.rotation(of: stream))
    }

    private static func decodeFirstFrame(_ context: UnsafeMutablePointer<AVFormatContext>, stream: UnsafeMutablePointer<AVStream>,
                                         index: Int32, decoder: UnsafePointer<AVCodec>, path: String) throws {
        var codecContext = avcodec_alloc_context3(decoder)
        guard let codec = codecContext else {
            throw MediaError(path: path, message: "out of memory opening the decoder")
        }
        defer { avcodec_free_context(&codecContext) }
        var frame = av_frame_alloc()
        var packet = av_packet_alloc()
        defer { av_frame_free(&frame); av_packet_free(&packet) }
        guard avcodec_parameters_to_context(codec, stream.pointee.codecpar) >= 0, avcodec_open2(codec, decoder, nil) >= 0 else {
            throw MediaError(path: path, message: "the decoder cannot open this stream; the file may be corrupt")
        }
        // The send/receive contract: EAGAIN from receive means "send more packets".
        var lastError: Int32 = 0
        while true {
            let read = av_read_frame(context, packet)
            if read < 0 {
                avcodec_send_packet(codec, nil)   // drain
                if avcodec_receive_frame(codec, frame) >= 0 { break }
                throw MediaError(path: path, message: "no frame can be decoded (\(averrorText(lastError != 0 ? lastError : read))); the file is corrupt or truncated")
            }
            defer { av_packet_unref(packet) }
            guard packet!.pointee.stream_index == index else { continue }
            let sent = avcodec_send_packet(codec, packet)
            if sent < 0 && sent != concord_averror_eagain() { lastError = sent; continue }
            let received = avcodec_receive_frame(codec, frame)
            if received >= 0 { break }
            if received != concord_averror_eagain() { lastError = received }
        }
        guard av_seek_frame(context, index, 0, AVSEEK_FLAG_BACKWARD) >= 0 || avformat_seek_file(context, index, Int64.min, 0, 0, 0) >= 0 else {
            throw MediaError(path: path, message: "cannot seek back to the start; the file may be corrupt")
        }
    }

    /// Video packets in the stream and the end time of the last one (stream time base).
    private static func countPackets(_ context: UnsafeMutablePointer<AVFormatContext>, index: Int32, path: String) throws -> (Int, Int64?) {
        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        var count = 0
        var lastEnd: Int64?
        while true {
            let status = av_read_frame(context, packet)
            if status == concord_averror_eof() { break }
            if status < 0 {
                throw MediaError(path: path, message: "is corrupt: reading failed after \(count) frames (\(averrorText(status))); copy the file again")
            }
            if packet!.pointee.stream_index == index {
                count += 1
                let p = packet!.pointee
                let ts = p.pts != concord_av_nopts_value() ? p.pts : p.dts
                if ts != concord_av_nopts_value() { lastEnd = max(lastEnd ?? Int64.min, ts + max(p.duration, 0)) }
            }
            av_packet_unref(packet)
        }
        return (count, lastEnd)
    }

    /// Whether libavformat read the file as a picture rather than a video container: its
    /// image demuxers ("png_pipe", "jpeg_pipe", … and "image2") and the picture formats
    /// that may hold one frame or many ("gif", "apng"). A clip is a video: more than one
    /// frame, or a video container (a one-frame MP4 is a clip; a PNG is not).
    static func isImageFormat(_ demuxer: String) -> Bool {
        demuxer.hasSuffix("_pipe") || demuxer == "image2" || demuxer == "gif" || demuxer == "apng"
    }

    static func rational(_ r: AVRational) -> Double {
        r.den == 0 ? 0 : Double(r.num) / Double(r.den)
    }
}

/// libavutil's text for an error code.
func averrorText(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    av_strerror(code, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// FFmpeg logs to stderr by default ("moov atom not found", "Invalid NAL unit size"). concord
/// reports each problem itself, once, with the clip path and what to do, so FFmpeg's own
/// lines are turned off the first time Media touches a file.
enum FFmpegLog {
    private static let silenced: Void = { av_log_set_level(AV_LOG_QUIET) }()
    static func silence() { _ = silenced }
}
