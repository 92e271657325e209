/// Encodes an `RGBImage` as a DEC sixel image (a DCS string the terminal draws at the cursor).
///
/// Layout of the output, as xterm (`-ti vt340`), mlterm, foot, WezTerm and VS Code read it:
///
///     ESC P 0;1;0 q            P2 = 1: pixels we do not set keep the background
///     "1;1;W;H                 raster attributes: square pixels, the image size
///     #i;2;r;g;b …             colour registers, RGB in percent (0–100)
///     #i <sixels> $ #j … -     per 6-row band: one pass per colour used in the band,
///                              `$` back to column 0, `-` to the next band
///     ESC \                    string terminator
///
/// Within a pass each byte is 63 + a 6-bit column mask (bit 0 = top row of the band);
/// runs of four or more equal bytes are written `!n<byte>`, trailing empty columns are
/// dropped. The last band may be partial: its missing rows simply have no bits.
public struct SixelEncoder: Sendable {
    /// Colour registers to use, 1…256 (terminals commonly offer 256; a VT340 has 16).
    public var maxColors: Int
    /// Floyd–Steinberg error diffusion. Off by default: it costs time, defeats run-length
    /// encoding, and makes a paused frame shimmer when it is redrawn at another size.
    public var dithering: Bool

    public init(maxColors: Int = 256, dithering: Bool = false) {
        precondition((1...256).contains(maxColors), "a sixel image uses 1 to 256 colours; asked for \(maxColors)")
        self.maxColors = maxColors
        self.dithering = dithering
    }

    /// The sixel bytes for `image`, from `ESC P` to `ESC \`.
    public func encode(_ image: RGBImage) -> [UInt8] {
        var palette = ColorPalette(image: image, maxColors: maxColors)
        let indices = dithering && !palette.isExact
            ? Self.ditheredIndices(image, &palette)
            : Self.indices(image, &palette)
        return Self.write(indices: indices, width: image.width, height: image.height, colors: palette.colors)
    }

    // MARK: - Mapping pixels to registers

    private static func indices(_ image: RGBImage, _ palette: inout ColorPalette) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: image.width * image.height)
        image.pixels.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { out in
                for p in 0..<out.count {
                    out[p] = UInt8(truncatingIfNeeded: palette.index(px[p * 3], px[p * 3 + 1], px[p * 3 + 2]))
                }
            }
        }
        return out
    }

    /// Floyd–Steinberg (7/16 right, 3/16 down-left, 5/16 down, 1/16 down-right), with the
    /// error of two rows kept in integer buffers (×16) so nothing is allocated per pixel.
    private static func ditheredIndices(_ image: RGBImage, _ palette: inout ColorPalette) -> [UInt8] {
        let w = image.width, h = image.height
        let rowLen = (w + 2) * 3   // one guard pixel each side
        var out = [UInt8](repeating: 0, count: w * h)
        var errors = [Int32](repeating: 0, count: 2 * rowLen)   // this row, next row
        let colors = palette.colors
        image.pixels.withUnsafeBufferPointer { px in
          out.withUnsafeMutableBufferPointer { out in
            errors.withUnsafeMutableBufferPointer { errors in
              colors.withUnsafeBufferPointer { colors in
                var cur = 0, next = rowLen
                for y in 0..<h {
                    for i in 0..<rowLen { errors[next + i] = 0 }
                    for x in 0..<w {
                        let p = y * w + x, e = (x + 1) * 3
                        let r = min(255, max(0, Int(px[p * 3]) + Int((errors[cur + e] + 8) >> 4)))
                        let g = min(255, max(0, Int(px[p * 3 + 1]) + Int((errors[cur + e + 1] + 8) >> 4)))
                        let b = min(255, max(0, Int(px[p * 3 + 2]) + Int((errors[cur + e + 2] + 8) >> 4)))
                        let k = palette.index(UInt8(r), UInt8(g), UInt8(b))
                        out[p] = UInt8(k)
                        let q = colors[k]
                        let dr = Int32(r - Int(q.r)), dg = Int32(g - Int(q.g)), db = Int32(b - Int(q.b))
                        errors[cur + e + 3] += dr * 7; errors[cur + e + 4] += dg * 7; errors[cur + e + 5] += db * 7
                        errors[next + e - 3] += dr * 3; errors[next + e - 2] += dg * 3; errors[next + e - 1] += db * 3
                        errors[next + e] += dr * 5; errors[next + e + 1] += dg * 5; errors[next + e + 2] += db * 5
                        errors[next + e + 3] += dr; errors[next + e + 4] += dg; errors[next + e + 5] += db
                    }
                    swap(&cur, &next)
                }
              }
            }
          }
        }
        return out
    }

    // MARK: - Writing bands

    static func write(indices: [UInt8], width w: Int, height h: Int, colors: [RGB]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + colors.count * 20 + w * h / 3)
        out.append(ascii: "\u{1B}P0;1;0q\"1;1;")
        out.append(decimal: w); out.append(UInt8(ascii: ";")); out.append(decimal: h)
        for (i, c) in colors.enumerated() {
            out.append(UInt8(ascii: "#")); out.append(decimal: i); out.append(ascii: ";2;")
            out.append(decimal: percent(c.r)); out.append(UInt8(ascii: ";"))
            out.append(decimal: percent(c.g)); out.append(UInt8(ascii: ";"))
            out.append(decimal: percent(c.b))
        }

        let n = colors.count
        // Per band: a 6-bit mask per (colour, column), and each colour's column span.
        var masks = [UInt8](repeating: 0, count: n * w)
        var first = [Int](repeating: Int.max, count: n)
        var last = [Int](repeating: -1, count: n)
        var used: [Int] = []
        used.reserveCapacity(n)

        indices.withUnsafeBufferPointer { idx in
          masks.withUnsafeMutableBufferPointer { masks in
           first.withUnsafeMutableBufferPointer { first in
            last.withUnsafeMutableBufferPointer { last in
                var top = 0
                while top < h {
                    let rows = min(6, h - top)
                    used.removeAll(keepingCapacity: true)
                    for r in 0..<rows {
                        let bit = UInt8(1) << UInt8(r)
                        let base = (top + r) * w
                        for x in 0..<w {
                            let c = Int(idx[base + x])
                            if last[c] < 0 { used.append(c); first[c] = x }
                            if x < first[c] { first[c] = x }
                            if x > last[c] { last[c] = x }
                            masks[c * w + x] |= bit
                        }
                    }
                    for (u, c) in used.enumerated() {
                        if u > 0 { out.append(UInt8(ascii: "$")) }
                        out.append(UInt8(ascii: "#")); out.append(decimal: c)
                        let row = c * w
                        if first[c] > 0 { emit(&out, 0, first[c]) }   // blank lead-in
                        var x = first[c]
                        let end = last[c]
                        while x <= end {
                            let m = masks[row + x]
                            var run = 1
                            while x + run <= end && masks[row + x + run] == m { run += 1 }
                            emit(&out, m, run)
                            x += run
                        }
                        for x in first[c]...end { masks[row + x] = 0 }
                        first[c] = Int.max; last[c] = -1
                    }
                    top += 6
                    if top < h { out.append(UInt8(ascii: "-")) }
                }
            }
           }
          }
        }
        out.append(ascii: "\u{1B}\\")
        return out
    }

    @inline(__always) private static func emit(_ out: inout [UInt8], _ mask: UInt8, _ run: Int) {
        let ch = 63 + mask
        if run >= 4 {
            out.append(UInt8(ascii: "!")); out.append(decimal: run); out.append(ch)
        } else {
            for _ in 0..<run { out.append(ch) }
        }
    }

    /// 0–255 → 0–100, rounded (the sixel colour-register scale).
    @inline(__always) static func percent(_ v: UInt8) -> Int { (Int(v) * 100 + 127) / 255 }
}
