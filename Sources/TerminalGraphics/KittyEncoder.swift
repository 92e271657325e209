import CZlib

/// Encodes an `RGBImage` for the kitty graphics protocol: 24-bit pixels as they are, no
/// palette (kitty, WezTerm, Ghostty and Konsole draw it). The bytes, as the protocol's
/// specification lays them out:
///
///     ESC _ G a=T,f=24,s=W,v=H,i=ID,q=2[,o=z][,c=COLS,r=ROWS][,C=1][,m=1] ; <base64> ESC \
///     ESC _ G m=1 ; <base64> ESC \        … continuation chunks carry only m
///     ESC _ G m=0 ; <base64> ESC \        the last chunk
///
/// - `a=T`: transmit and display at the cursor; `f=24`: RGB, three bytes a pixel, `s`×`v`.
/// - `i=ID`: every frame carries the same image id. Transmitting an id the terminal already
///   holds replaces that image and deletes its placements, so a playing clip keeps exactly
///   one image in the terminal's memory instead of piling up one per frame.
/// - `q=2`: no replies (an `OK` per frame would land in the workbench's key input).
/// - `o=z`: the pixels deflated with zlib (RFC 1950), sent only when that is smaller.
/// - `c`/`r`: the cell rectangle the picture is scaled into, so a wrong guess of the cell
///   size never spills the picture over its neighbours.
/// - `C=1`: the cursor stays where it was (a picture on the bottom rows would otherwise
///   move the cursor below the screen and scroll it).
/// - Each chunk's base64 payload is at most 4,096 bytes, a multiple of 4 except the last.
public struct KittyEncoder: Sendable {
    /// Largest base64 payload of one escape sequence (the protocol's chunk size).
    public static let chunkSize = 4096
    /// The id concord's pictures use. Ids are shared by everything drawing in the terminal;
    /// an unusual number keeps clear of the small ids other programs pick first.
    public static let defaultImageID: UInt32 = 4_410_948

    public enum Compression: Sendable {
        /// zlib when the deflated pixels are smaller than the raw ones (they nearly always
        /// are for video frames; noise is not).
        case whenSmaller
        case none
    }

    public var imageID: UInt32
    public var compression: Compression
    /// zlib's level, 1 (fastest) to 9. Level 1 already halves a typical frame and costs a
    /// fraction of level 6's time; a frame must be encoded within a frame interval.
    public var level: Int32

    public init(imageID: UInt32 = KittyEncoder.defaultImageID, compression: Compression = .whenSmaller, level: Int32 = 1) {
        precondition(imageID > 0, "kitty image id 0 means no id; give 1 or more")
        precondition((1...9).contains(level), "zlib levels are 1 to 9; got \(level)")
        self.imageID = imageID
        self.compression = compression
        self.level = level
    }

    /// The escape sequences drawing `image` at the cursor. `cells`: the rectangle (columns,
    /// rows) the terminal scales it into; nil: one image pixel per screen pixel.
    /// `moveCursor`: false adds `C=1`.
    public func encode(_ image: RGBImage, cells: (columns: Int, rows: Int)? = nil, moveCursor: Bool = true) -> [UInt8] {
        let deflated = compression == .whenSmaller ? Self.deflate(image.pixels, level: level) : nil
        let payload = deflated ?? image.pixels
        var head: [UInt8] = []
        head.append(ascii: "a=T,f=24,s="); head.append(decimal: image.width)
        head.append(ascii: ",v="); head.append(decimal: image.height)
        head.append(ascii: ",i="); head.append(decimal: Int(imageID))
        head.append(ascii: ",q=2")
        if deflated != nil { head.append(ascii: ",o=z") }
        if let cells {
            head.append(ascii: ",c="); head.append(decimal: max(1, cells.columns))
            head.append(ascii: ",r="); head.append(decimal: max(1, cells.rows))
        }
        if !moveCursor { head.append(ascii: ",C=1") }
        return Self.chunked(payload, head: head)
    }

    /// Deletes concord's image and frees its data (`d=I`: upper case frees, lower case would
    /// only remove the placements): sent on exit and when the picture's pane goes away.
    public func delete() -> [UInt8] {
        var out: [UInt8] = [0x1B, UInt8(ascii: "_"), UInt8(ascii: "G")]
        out.append(ascii: "a=d,d=I,i="); out.append(decimal: Int(imageID))
        out.append(ascii: ",q=2")
        out += [0x1B, UInt8(ascii: "\\")]
        return out
    }

    // MARK: - Chunks

    /// `payload` in base64, cut into escape sequences of at most `chunkSize` base64 bytes;
    /// the first carries `head`, every one but the last `m=1`.
    static func chunked(_ payload: [UInt8], head: [UInt8]) -> [UInt8] {
        let rawPerChunk = chunkSize / 4 * 3
        let chunks = max(1, (payload.count + rawPerChunk - 1) / rawPerChunk)
        var out: [UInt8] = []
        out.reserveCapacity((payload.count + 2) / 3 * 4 + chunks * 12 + head.count)
        payload.withUnsafeBufferPointer { raw in
            for k in 0..<chunks {
                out += [0x1B, UInt8(ascii: "_"), UInt8(ascii: "G")]
                if k == 0 {
                    out += head
                    if chunks > 1 { out.append(ascii: ",m=1") }
                } else {
                    out.append(ascii: k == chunks - 1 ? "m=0" : "m=1")
                }
                out.append(UInt8(ascii: ";"))
                let start = k * rawPerChunk
                appendBase64(UnsafeBufferPointer(rebasing: raw[start..<min(raw.count, start + rawPerChunk)]), to: &out)
                out += [0x1B, UInt8(ascii: "\\")]
            }
        }
        return out
    }

    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// RFC 4648 base64 with `=` padding, straight into `out` (a frame is a megabyte: no
    /// String, no Data on the way).
    static func appendBase64(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let n = bytes.count
        let whole = n / 3 * 3
        let start = out.count
        let length = (n + 2) / 3 * 4
        out.append(contentsOf: repeatElement(0, count: length))
        alphabet.withUnsafeBufferPointer { table in
            out.withUnsafeMutableBufferPointer { dst in
                var o = start, i = 0
                while i < whole {
                    let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                    dst[o] = table[Int(v >> 18)]; dst[o + 1] = table[Int(v >> 12 & 63)]
                    dst[o + 2] = table[Int(v >> 6 & 63)]; dst[o + 3] = table[Int(v & 63)]
                    i += 3; o += 4
                }
                let left = n - whole
                if left > 0 {
                    let v = UInt32(bytes[i]) << 16 | (left == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
                    dst[o] = table[Int(v >> 18)]; dst[o + 1] = table[Int(v >> 12 & 63)]
                    dst[o + 2] = left == 2 ? table[Int(v >> 6 & 63)] : UInt8(ascii: "=")
                    dst[o + 3] = UInt8(ascii: "=")
                }
            }
        }
    }

    // MARK: - zlib

    /// `bytes` deflated in the zlib format, or nil when that is not smaller (or zlib fails).
    static func deflate(_ bytes: [UInt8], level: Int32) -> [UInt8]? {
        let bound = Int(compressBound(uLong(bytes.count)))
        var size = uLongf(bound)
        var status = Z_OK
        let out = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            status = bytes.withUnsafeBufferPointer { src in
                compress2(buffer.baseAddress, &size, src.baseAddress, uLong(src.count), level)
            }
            count = status == Z_OK ? Int(size) : 0
        }
        guard status == Z_OK, out.count < bytes.count else { return nil }
        return out
    }
}
