import CFFmpeg

/// Tells packets whose frame no other frame refers to, so a seek can leave them out.
///
/// A frame-exact seek decodes from the keyframe before the wanted frame. Frames that are
/// never used as a reference (most B-frames in x264 output: two of every three with
/// `b-pyramid`) cannot change how any later frame decodes, so a seek that does not want
/// them to be shown need not decode them — the same frame comes out, bit for bit, for less
/// work. This is what H.264's `nal_ref_idc == 0` means; demuxers that know it from the
/// container set `AV_PKT_FLAG_DISPOSABLE` for any codec.
///
/// Only H.264 is parsed: HEVC's "sub-layer non-reference" pictures may still be
/// referenced by higher temporal layers, so they are kept.
struct NonReferenceFrames {
    private enum Framing { case none, lengthPrefixed(Int), annexB }
    private let framing: Framing

    init(parameters: UnsafeMutablePointer<AVCodecParameters>) {
        let p = parameters.pointee
        guard p.codec_id == AV_CODEC_ID_H264 else { framing = .none; return }
        // avcC extradata (MP4, MKV) starts with version 1; byte 4's low bits are the NAL
        // length size minus one. Anything else is Annex B with start codes (TS, raw .h264).
        if p.extradata_size >= 7, let extra = p.extradata, extra[0] == 1 {
            framing = .lengthPrefixed(Int(extra[4] & 3) + 1)
        } else {
            framing = .annexB
        }
    }

    /// True when the packet holds a frame that no other frame refers to.
    func isDisposable(_ packet: UnsafePointer<AVPacket>) -> Bool {
        let p = packet.pointee
        if p.flags & AV_PKT_FLAG_DISPOSABLE != 0 { return true }
        guard let data = p.data, p.size > 0 else { return false }
        let bytes = UnsafeBufferPointer(start: data, count: Int(p.size))
        switch framing {
        case .none: return false
        case let .lengthPrefixed(size): return Self.lengthPrefixedIsDisposable(bytes, lengthSize: size)
        case .annexB: return Self.annexBIsDisposable(bytes)
        }
    }

    /// One NAL header byte: nil for non-slice units, else whether the slice is referenced.
    private static func sliceIsReference(_ header: UInt8) -> Bool? {
        let type = header & 0x1f
        guard type >= 1 && type <= 5 else { return nil }   // coded slices (5 = IDR)
        return header & 0x60 != 0                           // nal_ref_idc
    }

    /// Disposable when it has at least one slice and none of its slices is referenced;
    /// a malformed packet counts as needed (sent to the decoder as before).
    static func lengthPrefixedIsDisposable(_ bytes: UnsafeBufferPointer<UInt8>, lengthSize: Int) -> Bool {
        var i = 0, slices = 0
        while i + lengthSize < bytes.count {
            var length = 0
            for k in 0..<lengthSize { length = length << 8 | Int(bytes[i + k]) }
            i += lengthSize
            guard length > 0, i + length <= bytes.count else { return false }
            if let referenced = sliceIsReference(bytes[i]) {
                if referenced { return false }
                slices += 1
            }
            i += length
        }
        return slices > 0 && i == bytes.count
    }

    static func annexBIsDisposable(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0, slices = 0
        while i + 3 < bytes.count {
            if bytes[i] == 0 && bytes[i + 1] == 0 && bytes[i + 2] == 1 {
                if let referenced = sliceIsReference(bytes[i + 3]) {
                    if referenced { return false }
                    slices += 1
                }
                i += 3
            } else {
                i += 1
            }
        }
        return slices > 0
    }
}
