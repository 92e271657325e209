import CFFmpeg

/// The pixel size a decoded frame is delivered at. Either way the frame is upright (the
/// display matrix applied, `FrameGeometry`).
public enum FrameScale: Hashable, Sendable {
    /// The coded pixels, turned: a 90° clip coded 640×272 gives 272×640. The sample aspect
    /// ratio is not applied (no resampling).
    case native
    /// The largest size that fits inside `width`×`height` and keeps the aspect ratio as shown
    /// (sample aspect ratio and rotation applied); at least 1×1.
    case scaledTo(width: Int, height: Int)
}

/// One decoded frame in display order, converted to packed RGB24 by libswscale and turned
/// upright.
public struct DecodedFrame: Sendable, Equatable {
    /// Frame number counted from 0 in display order.
    public let index: Int
    /// Presentation time in seconds from the stream start (the first frame's PTS).
    public let pts: Double
    /// The size as delivered: shown orientation (`FrameGeometry.outputSize(for:)`).
    public let width: Int
    public let height: Int
    /// `width * height * 3` bytes, rows top to bottom, no padding.
    public let rgb: [UInt8]
    /// Frames the decoder produced to deliver this one: 1 for the next frame in order, more
    /// after a seek (from the preceding keyframe up to this frame). For benchmarks.
    public let decodedFrames: Int

    public init(index: Int, pts: Double, width: Int, height: Int, rgb: [UInt8], decodedFrames: Int) {
        self.index = index
        self.pts = pts
        self.width = width
        self.height = height
        self.rgb = rgb
        self.decodedFrames = decodedFrames
    }

    /// The RGB triple at (x, y).
    public func pixel(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        let i = (y * width + x) * 3
        return (rgb[i], rgb[i + 1], rgb[i + 2])
    }
}

/// Decodes one clip's best video stream with frame-exact seeking.
///
/// Opening builds the index of frames (`FrameIndex`: from an MP4/MOV sample table without
/// reading any frame, otherwise by reading every packet once): their PTS sorted into
/// display order (B-frames arrive out of order), so frame *n* is the *n*-th smallest PTS,
/// whatever the first PTS and however irregular the spacing (variable frame rate). A seek
/// goes to the keyframe before the wanted frame and decodes forward until a frame's
/// `best_effort_timestamp` is the wanted PTS.
///
/// Not thread-safe: one thread at a time. A thread that decodes ahead opens its own decoder
/// (the workbench's `RenderAhead` does).
public final class VideoDecoder {
    public let path: String
    /// Coded size of the stream, before the display matrix turns it (frames are delivered
    /// turned: `geometry.nativeSize` is their native size).
    public let width: Int
    public let height: Int
    /// Coded size, sample aspect ratio and the display matrix's quarter turns.
    public let geometry: FrameGeometry
    /// Decoder name, e.g. "h264".
    public let codec: String
    /// Presentation time of every frame in display order, seconds from the stream start.
    public let frameTimes: [Double]
    /// Display indices of the keyframes, ascending.
    public let keyframeIndices: [Int]
    /// Whether the frame index came from the container's table or a scan of every packet.
    public let indexSource: FrameIndexSource
    /// The container's index came by replaying every packet (`FrameIndex.replayed`).
    let indexReplayed: Bool
    /// Width ÷ height as shown (sample aspect ratio and rotation applied).
    public var displayAspect: Double { geometry.displayAspect }

    public var frameCount: Int { sortedPTS.count }
    /// The first frame's PTS in seconds on the container's own clock (`frameTimes` count from
    /// it): the time a player that does not rebase timestamps gives that frame (mpv with
    /// `--rebase-start-time=no`, as the workbench's `o` runs it).
    public var firstFrameSeconds: Double { sortedPTS.first.map { Double($0) * ClipProbe.rational(timeBase) } ?? 0 }

    // Owned FFmpeg state, freed in reverse order in deinit.
    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codecContext: UnsafeMutablePointer<AVCodecContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var scaler: OpaquePointer?
    private var scalerKey: ScalerKey?
    private var scratch: UnsafeMutablePointer<UInt8>?
    private var scratchSize = 0

    private let streamIndex: Int32
    private let timeBase: AVRational
    /// Every frame's PTS in display order (stream time base).
    private let sortedPTS: [Int64]
    /// For each keyframe (in `keyframeIndices` order), the timestamp to seek to: its DTS,
    /// which is never after its PTS, so a backward seek lands on it or before it.
    private let keyframeSeekTS: [Int64]
    /// Display index of the last frame the decoder delivered; nil before the first or after
    /// draining, when the next frame is unknown until a seek.
    private var position: Int?
    /// The end of the file was reached and the decoder told to drain.
    private var draining = false
    /// The decoder has given its last frame (EOF); only a seek restarts it.
    private var ended = false
    private var decodedSinceRequest = 0
    /// Frames that nothing refers to are not decoded when their PTS is below this: the frame
    /// asked for last, so none of them can be wanted until the next seek.
    private var skipDisposableBelow: Int64?
    private let nonReference: NonReferenceFrames

    private struct ScalerKey: Equatable {
        var srcWidth: Int32, srcHeight: Int32, srcFormat: Int32, dstWidth: Int32, dstHeight: Int32
    }

    /// `storedIndex`: the index `clip add` kept for a clip whose container has none
    /// (`StoredFrameIndex`); used when it was made for this file's stream, else ignored.
    public init(path: String, storedIndex: StoredFrameIndex? = nil) throws {
        FFmpegLog.silence()
        self.path = path
        var format: UnsafeMutablePointer<AVFormatContext>?
        var status = avformat_open_input(&format, path, nil, nil)
        guard status >= 0, let context = format else {
            throw MediaError(path: path, message: "cannot open as a video (\(averrorText(status))); is it a video file?")
        }
        // From here on deinit frees whatever has been allocated, even when init throws
        // after every stored property is set; until then, free by hand.
        status = avformat_find_stream_info(context, nil)
        guard status >= 0 else {
            avformat_close_input(&format)
            throw MediaError(path: path, message: "cannot read the stream information (\(averrorText(status))); the file may be corrupt")
        }
        let index = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard index >= 0, let stream = context.pointee.streams[Int(index)], let parameters = stream.pointee.codecpar else {
            avformat_close_input(&format)
            throw MediaError(path: path, message: "has no video stream; add video clips only")
        }
        let codecID = parameters.pointee.codec_id
        var codecName = String(cString: avcodec_get_name(codecID))
        if codecID == AV_CODEC_ID_NONE {
            // Unknown to this FFmpeg: name it by the container's four-character tag.
            let tag = parameters.pointee.codec_tag
            let chars = (0..<4).map { UInt8(truncatingIfNeeded: tag >> (8 * $0)) }
            if tag != 0, chars.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) {
                codecName = String(decoding: chars, as: UTF8.self)
            }
        }
        guard let decoder = avcodec_find_decoder(codecID) else {
            avformat_close_input(&format)
            throw MediaError(path: path, message: "uses the codec '\(codecName)', which this FFmpeg cannot decode; re-encode it (e.g. H.264)")
        }
        guard parameters.pointee.width > 0 && parameters.pointee.height > 0 else {
            avformat_close_input(&format)
            throw MediaError(path: path, message: "the video stream has no frame size; the file may be corrupt")
        }
        let frameIndex: FrameIndex
        do {
            frameIndex = try FrameIndex.read(context, stream: stream, index: index, path: path, stored: storedIndex)
        } catch {
            avformat_close_input(&format)
            throw error
        }
        let keys = frameIndex.keys
        let sorted = frameIndex.timestamps.sorted()
        let origin = sorted[0]
        let tb = stream.pointee.time_base
        let seconds = ClipProbe.rational(tb)
        var keyIndices: [Int] = []
        var keySeek: [Int64] = []
        for key in keys.sorted(by: { $0.pts < $1.pts }) {
            let i = Self.lastIndex(in: sorted, atOrBefore: key.pts)
            if i >= 0, keyIndices.last != i {
                keyIndices.append(i)
                keySeek.append(key.seek)
            }
        }
        let sar = parameters.pointee.sample_aspect_ratio

        self.format = context
        self.nonReference = NonReferenceFrames(parameters: parameters)
        self.streamIndex = index
        self.timeBase = tb
        self.sortedPTS = sorted
        self.frameTimes = sorted.map { Double($0 - origin) * seconds }
        self.keyframeIndices = keyIndices
        self.keyframeSeekTS = keySeek
        self.indexSource = frameIndex.source
        self.indexReplayed = frameIndex.replayed
        self.width = Int(parameters.pointee.width)
        self.height = Int(parameters.pointee.height)
        self.codec = codecName
        self.geometry = FrameGeometry(codedWidth: Int(parameters.pointee.width), codedHeight: Int(parameters.pointee.height),
                                      sampleAspect: sar.num > 0 && sar.den > 0 ? Double(sar.num) / Double(sar.den) : 1,
                                      rotation: FrameGeometry.rotation(of: stream))

        guard let codec = avcodec_alloc_context3(decoder) else {
            throw MediaError(path: path, message: "out of memory opening the decoder")
        }
        codecContext = codec
        guard avcodec_parameters_to_context(codec, parameters) >= 0 else {
            throw MediaError(path: path, message: "the decoder cannot take this stream's parameters; the file may be corrupt")
        }
        codec.pointee.thread_count = 0   // one per core
        codec.pointee.pkt_timebase = tb
        status = avcodec_open2(codec, decoder, nil)
        guard status >= 0 else {
            throw MediaError(path: path, message: "the '\(codecName)' decoder cannot open this stream (\(averrorText(status))); the file may be corrupt")
        }
        packet = av_packet_alloc()
        frame = av_frame_alloc()
        guard packet != nil, frame != nil else {
            throw MediaError(path: path, message: "out of memory allocating frames")
        }
        try seekTo(timestamp: keySeek.first ?? origin, fallbackToStart: true)
    }

    deinit {
        // Reverse order of allocation.
        if let scratch { av_free(scratch) }
        if let scaler { sws_freeContext(scaler) }
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&codecContext)
        avformat_close_input(&format)
    }

    // MARK: - Public API

    /// Frame number `index` (0-based, display order), decoded exactly.
    public func frame(at index: Int, scale: FrameScale = .native) throws -> DecodedFrame {
        guard index >= 0 && index < frameCount else {
            throw MediaError(path: path, message: "has no frame \(index); frames are numbered 0 to \(frameCount - 1)")
        }
        decodedSinceRequest = 0
        let target = sortedPTS[index]
        skipDisposableBelow = target
        let key = keyframeSlot(for: index)
        // Decoding on from where the decoder is beats a seek when no keyframe lies between.
        if let position, !ended, position < index, key < 0 || keyframeIndices[key] <= position + 1 {
            if try decodeForward(to: target) { return try deliver(index: index, scale: scale) }
        }
        // Seek to the keyframe before the frame; if the demuxer lands after the frame (or the
        // frame cannot be reached from there), try the keyframe before that, then the start.
        // The keyframe's PTS first: exact where the demuxer's index is by PTS (Matroska) and
        // normally where it is by DTS (MP4) too; then its DTS, which is never after it.
        var attempts: [(timestamp: Int64, fromStart: Bool)] = []
        if key >= 0 {
            attempts.append((sortedPTS[keyframeIndices[key]], false))
            if keyframeSeekTS[key] != attempts[0].timestamp { attempts.append((keyframeSeekTS[key], false)) }
            if key > 0 { attempts.append((keyframeSeekTS[key - 1], false)) }
        }
        attempts.append((sortedPTS[0], true))
        for attempt in attempts {
            try seekTo(timestamp: attempt.timestamp, fallbackToStart: attempt.fromStart)
            if try decodeForward(to: target) { return try deliver(index: index, scale: scale) }
        }
        throw MediaError(path: path, message: "frame \(index) (at \(frameTimes[index]) s) cannot be decoded; the file may be corrupt")
    }

    /// The frame on screen at `seconds` from the stream start: the last one whose PTS ≤ T.
    /// Times before the first frame (and NaN) give frame 0; times after the last give the last.
    /// Internal: `preview` and the workbench ask `frameIndex(atSeconds:)`; tests decode by time.
    func frame(atSeconds seconds: Double, scale: FrameScale = .native) throws -> DecodedFrame {
        try frame(at: frameIndex(atSeconds: seconds), scale: scale)
    }

    /// The index of the frame on screen at `seconds` (last PTS ≤ T), without decoding.
    public func frameIndex(atSeconds seconds: Double) -> Int {
        if seconds == .infinity { return frameCount - 1 }
        guard seconds.isFinite, seconds > 0 else { return 0 }
        // Compare in ticks, rounding with a little slack so that T = n/25 finds frame n
        // despite binary floating point.
        let ticks = (seconds / ClipProbe.rational(timeBase) + 1e-6).rounded(.down)
        guard ticks < Double(Int64.max / 2) else { return frameCount - 1 }
        return max(0, Self.lastIndex(in: sortedPTS, atOrBefore: sortedPTS[0] + Int64(ticks)))
    }

    /// The next frame in display order (playback), or nil after the last one. Starts at frame
    /// 0, and continues after whatever `frame(at:)` returned last.
    public func nextFrame(scale: FrameScale = .native) throws -> DecodedFrame? {
        decodedSinceRequest = 0
        if ended { return nil }
        while try decodeOne() {
            if let index = currentIndex() {
                if let position, index <= position { continue }   // leftovers of an open GOP
                return try deliver(index: index, scale: scale)
            }
        }
        return nil
    }

    /// The size frames are delivered at for `scale`, as shown (turned, aspect kept).
    public func outputSize(for scale: FrameScale) -> (width: Int, height: Int) {
        geometry.outputSize(for: scale)
    }

    // MARK: - Index

    /// Position of the last element ≤ `value` in an ascending array, or -1.
    static func lastIndex(in sorted: [Int64], atOrBefore value: Int64) -> Int {
        var low = 0, high = sorted.count   // invariant: answer in [low - 1, high - 1]
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return low - 1
    }

    /// The slot in `keyframeIndices` of the last keyframe at or before `index`, or -1.
    private func keyframeSlot(for index: Int) -> Int {
        var low = 0, high = keyframeIndices.count
        while low < high {
            let mid = (low + high) / 2
            if keyframeIndices[mid] <= index { low = mid + 1 } else { high = mid }
        }
        return low - 1
    }

    // MARK: - Decoding

    private func seekTo(timestamp: Int64, fallbackToStart: Bool) throws {
        var status = av_seek_frame(format, streamIndex, timestamp, AVSEEK_FLAG_BACKWARD)
        if status < 0 && fallbackToStart {
            status = avformat_seek_file(format, streamIndex, Int64.min, sortedPTS[0], sortedPTS[0], 0)
            if status < 0 { status = av_seek_frame(format, -1, 0, AVSEEK_FLAG_BACKWARD) }
        }
        guard status >= 0 else {
            throw MediaError(path: path, message: "cannot seek (\(averrorText(status))); the file may be corrupt")
        }
        avcodec_flush_buffers(codecContext)
        position = nil
        draining = false
        ended = false
    }

    /// Decodes until a frame with PTS `target`: true with it in `frame`; false when the
    /// decoder passed it or the stream ended first.
    private func decodeForward(to target: Int64) throws -> Bool {
        while try decodeOne() {
            guard let index = currentIndex() else { continue }
            let ts = sortedPTS[index]
            position = index
            if ts == target { return true }
            if ts > target { return false }
        }
        return false
    }

    // The send/receive contract (avcodec_send_packet / avcodec_receive_frame):
    // - receive returns 0 with a frame, EAGAIN when the decoder needs more packets before it
    //   can output anything, or EOF once it has been drained;
    // - send returns EAGAIN only while frames are waiting to be received; it cannot happen
    //   here because a packet is sent only after receive said EAGAIN;
    // - at the end of the file, one send of nil starts draining: receive then returns the
    //   frames held back (B-frame reordering, frame threads) and finally EOF;
    // - avcodec_flush_buffers after a seek forgets everything, draining included.
    // A packet the decoder rejects (corrupt data) is skipped; a run of errors ends the stream
    // so that a damaged file can never make this loop spin.
    /// Decodes the next frame in display order into `frame`; false at the end of the stream.
    private func decodeOne() throws -> Bool {
        var errors = 0
        while true {
            let received = avcodec_receive_frame(codecContext, frame)
            if received >= 0 {
                decodedSinceRequest += 1
                return true
            }
            if received == concord_averror_eof() {
                ended = true
                position = nil
                return false
            }
            if received != concord_averror_eagain() {
                errors += 1
                if errors > 64 { throw MediaError(path: path, message: "the decoder keeps failing (\(averrorText(received))); the file is corrupt") }
                continue
            }
            // EAGAIN: feed the next packet of the video stream.
            if draining {
                ended = true   // drained decoders answer EOF, but never spin if one does not
                position = nil
                return false
            }
            while true {
                let read = av_read_frame(format, packet)
                if read < 0 {
                    // End of file, or a read error in a damaged file: drain what is buffered.
                    draining = true
                    avcodec_send_packet(codecContext, nil)
                    break
                }
                defer { av_packet_unref(packet) }
                guard packet!.pointee.stream_index == streamIndex else { continue }
                if let skip = skipDisposableBelow, isBefore(packet!, skip), nonReference.isDisposable(packet!) { continue }
                let sent = avcodec_send_packet(codecContext, packet)
                if sent >= 0 || sent == concord_averror_eagain() { break }
                errors += 1
                if errors > 64 { throw MediaError(path: path, message: "the decoder rejects the data (\(averrorText(sent))); the file is corrupt") }
            }
        }
    }

    private func isBefore(_ packet: UnsafeMutablePointer<AVPacket>, _ ts: Int64) -> Bool {
        let pts = packet.pointee.pts
        return pts != concord_av_nopts_value() && pts < ts
    }

    /// The display index of the frame in `frame`, from its best-effort timestamp.
    private func currentIndex() -> Int? {
        guard let f = frame?.pointee else { return nil }
        let ts = f.best_effort_timestamp != concord_av_nopts_value() ? f.best_effort_timestamp : f.pts
        guard ts != concord_av_nopts_value() else { return nil }
        let i = Self.lastIndex(in: sortedPTS, atOrBefore: ts)
        return i >= 0 ? i : nil
    }

    private func deliver(index: Int, scale: FrameScale) throws -> DecodedFrame {
        position = index
        let (w, h) = outputSize(for: scale)
        let coded = geometry.scaledCodedSize(forShown: (w, h))
        let rgb = try convert(width: coded.width, height: coded.height)
        return DecodedFrame(index: index, pts: frameTimes[index], width: w, height: h, rgb: rgb,
                            decodedFrames: decodedSinceRequest)
    }

    /// Scales and converts the frame in `frame` to packed RGB24 at w×h (coded orientation)
    /// with libswscale, then turns it upright: scaling first, so the turn moves the smaller
    /// picture.
    private func convert(width w: Int, height h: Int) throws -> [UInt8] {
        guard let f = frame else { return [] }
        let key = ScalerKey(srcWidth: f.pointee.width, srcHeight: f.pointee.height, srcFormat: f.pointee.format,
                            dstWidth: Int32(w), dstHeight: Int32(h))
        if key != scalerKey {
            let flags = w * h < Int(key.srcWidth) * Int(key.srcHeight) ? SWS_AREA : SWS_BILINEAR
            scaler = sws_getCachedContext(scaler, key.srcWidth, key.srcHeight, AVPixelFormat(rawValue: key.srcFormat),
                                          key.dstWidth, key.dstHeight, AV_PIX_FMT_RGB24, flags, nil, nil, nil)
            guard scaler != nil else {
                scalerKey = nil
                throw MediaError(path: path, message: "cannot convert frames of this pixel format to RGB")
            }
            scalerKey = key
            applyColorspace(f)
        }
        let row = w * 3
        let stride = (row + 63) & ~63
        if stride * h > scratchSize {
            if let scratch { av_free(scratch) }
            scratch = av_malloc(stride * h + 64)?.assumingMemoryBound(to: UInt8.self)
            scratchSize = scratch == nil ? 0 : stride * h
            guard scratch != nil else { throw MediaError(path: path, message: "out of memory scaling a frame") }
        }
        let scratch = scratch!
        var dst: [UnsafeMutablePointer<UInt8>?] = [scratch, nil, nil, nil]
        var dstStride: [Int32] = [Int32(stride), 0, 0, 0]
        let lines = withUnsafePointer(to: &f.pointee.data) { data in
            data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { src in
                withUnsafePointer(to: &f.pointee.linesize) { lines in
                    lines.withMemoryRebound(to: Int32.self, capacity: 8) { srcStride in
                        sws_scale(scaler, src, srcStride, 0, f.pointee.height, &dst, &dstStride)
                    }
                }
            }
        }
        guard lines == Int32(h) else {
            throw MediaError(path: path, message: "scaling a frame failed (\(averrorText(lines)))")
        }
        return FrameGeometry.turn(scratch, width: w, height: h, stride: stride, rotation: geometry.rotation)
    }

    /// YUV sources: the matrix and range the stream declares (BT.601 limited when unsaid).
    private func applyColorspace(_ f: UnsafeMutablePointer<AVFrame>) {
        guard let descriptor = av_pix_fmt_desc_get(AVPixelFormat(rawValue: f.pointee.format)),
              descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB) == 0 else { return }
        let space = f.pointee.colorspace
        let matrix = space == AVCOL_SPC_UNSPECIFIED || space == AVCOL_SPC_RGB ? SWS_CS_DEFAULT : Int32(space.rawValue)
        let fullRange: Int32 = f.pointee.color_range == AVCOL_RANGE_JPEG ? 1 : 0
        var srcRange: Int32 = 0, dstRange: Int32 = 0, brightness: Int32 = 0, contrast: Int32 = 0, saturation: Int32 = 0
        var inversePointer: UnsafeMutablePointer<Int32>? = nil
        var tablePointer: UnsafeMutablePointer<Int32>? = nil
        guard sws_getColorspaceDetails(scaler, &inversePointer, &srcRange, &tablePointer, &dstRange,
                                       &brightness, &contrast, &saturation) >= 0 else { return }
        // Keep the range libswscale inferred for the deprecated yuvj formats.
        let range = fullRange == 1 ? 1 : srcRange
        sws_setColorspaceDetails(scaler, sws_getCoefficients(matrix), range, tablePointer, dstRange,
                                 brightness, contrast, saturation)
    }
}
