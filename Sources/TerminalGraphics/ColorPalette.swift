/// A palette of at most 256 colours and a fast pixel → index mapping for it.
///
/// Two ways in, chosen by the picture:
/// - at most `maxColors` distinct colours (UI mock-ups, test patterns, flat animation):
///   the palette is those exact colours, so the round trip is lossless up to the sixel
///   format's own 0–100 % quantisation;
/// - otherwise median cut over a 5-6-5 bit histogram (65 536 bins, the same key as the
///   lookup table), splitting the box with the largest squared error at the point that
///   minimises it. Each occupied bin maps to the box it ended in; bins first seen while
///   dithering are resolved by a nearest-colour search once and cached.
struct ColorPalette {
    /// Palette colours, at most 256.
    var colors: [RGB]
    /// Exact-colour mode: open-addressed table of (rgb + 1) → index; empty otherwise.
    private var exactKeys: [UInt32] = []
    private var exactValues: [UInt8] = []
    /// Median-cut mode: 5-6-5 key → palette index, `0xFFFF` = not yet known.
    private var lut: [UInt16] = []

    var isExact: Bool { !exactKeys.isEmpty }

    @inline(__always) static func key565(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        (Int(r >> 3) << 11) | (Int(g >> 2) << 5) | Int(b >> 3)
    }

    @inline(__always) private static func slot(_ key: UInt32, _ mask: Int) -> Int {
        Int((key &* 2_654_435_761) >> 16) & mask
    }

    init(image: RGBImage, maxColors: Int, refineToNearest: Bool = false) {
        precondition((1...256).contains(maxColors), "a sixel palette holds 1 to 256 colours; asked for \(maxColors)")
        if let exact = Self.exactColors(image, maxColors: maxColors) {
            self = exact
        } else {
            self = Self.medianCut(image, maxColors: maxColors)
            if refineToNearest { refine() }
        }
    }

    private init(colors: [RGB]) { self.colors = colors }

    /// The distinct colours of `image` if there are at most `maxColors`, else nil.
    /// Stops at the first colour over the limit, so natural pictures pay little for the try.
    private static func exactColors(_ image: RGBImage, maxColors: Int) -> ColorPalette? {
        let capacity = 1024, mask = capacity - 1
        var keys = [UInt32](repeating: 0, count: capacity)
        var values = [UInt8](repeating: 0, count: capacity)
        var colors: [RGB] = []
        colors.reserveCapacity(maxColors)
        let ok: Bool = image.pixels.withUnsafeBufferPointer { px in
            keys.withUnsafeMutableBufferPointer { keys in
                var last: UInt32 = 0   // runs of one colour are common; skip the probe
                var i = 0
                while i < px.count {
                    let key = (UInt32(px[i]) << 16 | UInt32(px[i + 1]) << 8 | UInt32(px[i + 2])) + 1
                    i += 3
                    if key == last { continue }
                    last = key
                    var s = slot(key, mask)
                    while keys[s] != 0 && keys[s] != key { s = (s + 1) & mask }
                    if keys[s] == 0 {
                        if colors.count == maxColors { return false }
                        keys[s] = key
                        values[s] = UInt8(colors.count)
                        colors.append(RGB(px[i - 3], px[i - 2], px[i - 1]))
                    }
                }
                return true
            }
        }
        guard ok else { return nil }
        var p = ColorPalette(colors: colors)
        p.exactKeys = keys
        p.exactValues = values
        return p
    }

    /// Palette index for a colour. In exact mode the colour must come from the picture.
    @inline(__always) mutating func index(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        if !exactKeys.isEmpty {
            let key = (UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)) + 1
            let mask = exactKeys.count - 1
            var s = Self.slot(key, mask)
            while exactKeys[s] != key {
                if exactKeys[s] == 0 { return nearest(r, g, b) }   // not in the picture (dithered)
                s = (s + 1) & mask
            }
            return Int(exactValues[s])
        }
        let k = Self.key565(r, g, b)
        let v = lut[k]
        if v != 0xFFFF { return Int(v) }
        let n = nearest(UInt8(truncatingIfNeeded: (k >> 11) << 3 | 4),
                        UInt8(truncatingIfNeeded: ((k >> 5) & 63) << 2 | 2),
                        UInt8(truncatingIfNeeded: (k & 31) << 3 | 4))
        lut[k] = UInt16(n)
        return n
    }

    /// Linear nearest-colour search (squared RGB distance); only on cache misses.
    func nearest(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        var best = 0, bestD = Int.max
        for (i, c) in colors.enumerated() {
            let dr = Int(c.r) - Int(r), dg = Int(c.g) - Int(g), db = Int(c.b) - Int(b)
            let d = dr * dr + dg * dg + db * db
            if d < bestD { bestD = d; best = i }
        }
        return best
    }

    /// Re-points every occupied bin at its truly nearest palette colour instead of the
    /// box it ended in. Measured on 640×360 frames (release): +0.36 dB on a Mandelbrot
    /// frame for +3 ms (7.3 → 10.2 ms), nothing on test patterns — so off by default.
    private mutating func refine() {
        for k in 0..<65536 where lut[k] != 0xFFFF {
            lut[k] = UInt16(nearest(UInt8(truncatingIfNeeded: (k >> 11) << 3 | 4),
                                    UInt8(truncatingIfNeeded: ((k >> 5) & 63) << 2 | 2),
                                    UInt8(truncatingIfNeeded: (k & 31) << 3 | 4)))
        }
    }

    // MARK: - Median cut

    private struct Bin {
        var key: Int32
        var count: Int32
        var r: UInt8, g: UInt8, b: UInt8   // mean colour of the pixels in the bin
    }

    private struct Box {
        var start: Int, end: Int   // range in the bins array
        var error: Double          // total squared error around the mean
    }

    private static func medianCut(_ image: RGBImage, maxColors: Int) -> ColorPalette {
        // Histogram: count and channel sums per 5-6-5 bin.
        var count = [Int32](repeating: 0, count: 65536)
        var sums = [Int32](repeating: 0, count: 65536 * 3)   // ≤ 255 × 2^23 pixels fits
        image.pixels.withUnsafeBufferPointer { px in
            count.withUnsafeMutableBufferPointer { count in
                sums.withUnsafeMutableBufferPointer { sums in
                    var i = 0
                    while i < px.count {
                        let r = px[i], g = px[i + 1], b = px[i + 2]
                        let k = key565(r, g, b)
                        count[k] &+= 1
                        sums[k * 3] &+= Int32(r); sums[k * 3 + 1] &+= Int32(g); sums[k * 3 + 2] &+= Int32(b)
                        i += 3
                    }
                }
            }
        }
        var bins: [Bin] = []
        bins.reserveCapacity(8192)
        for k in 0..<65536 where count[k] > 0 {
            let n = count[k]
            bins.append(Bin(key: Int32(k), count: n,
                            r: UInt8((sums[k * 3] + n / 2) / n),
                            g: UInt8((sums[k * 3 + 1] + n / 2) / n),
                            b: UInt8((sums[k * 3 + 2] + n / 2) / n)))
        }

        var boxes = [Box(start: 0, end: bins.count, error: 0)]
        bins.withUnsafeMutableBufferPointer { bins in
            boxes[0].error = split(bins, 0, bins.count, apply: false).error
            while boxes.count < maxColors {
                // The box whose split would help most: the one with the largest error.
                var pick = -1, worst = 0.0
                for (i, box) in boxes.enumerated() where box.end - box.start > 1 && box.error > worst {
                    worst = box.error; pick = i
                }
                if pick < 0 { break }
                let box = boxes[pick]
                let cut = split(bins, box.start, box.end, apply: true)
                guard cut.mid > box.start && cut.mid < box.end else { boxes[pick].error = 0; continue }
                boxes[pick] = Box(start: box.start, end: cut.mid, error: cut.left)
                boxes.append(Box(start: cut.mid, end: box.end, error: cut.right))
            }
        }

        var p = ColorPalette(colors: [])
        p.lut = [UInt16](repeating: 0xFFFF, count: 65536)
        for (i, box) in boxes.enumerated() {
            var n = 0, r = 0, g = 0, b = 0
            for j in box.start..<box.end {
                let bin = bins[j], c = Int(bin.count)
                n += c; r += c * Int(bin.r); g += c * Int(bin.g); b += c * Int(bin.b)
                p.lut[Int(bin.key)] = UInt16(i)
            }
            p.colors.append(RGB(UInt8((r + n / 2) / n), UInt8((g + n / 2) / n), UInt8((b + n / 2) / n)))
        }
        return p
    }

    /// Finds the best cut of `bins[start..<end]`: along the channel with the largest
    /// variance, at the value minimising the summed squared error of the two halves.
    /// With `apply`, partitions the range in place around the cut. O(n + 256).
    private static func split(_ bins: UnsafeMutableBufferPointer<Bin>, _ start: Int, _ end: Int,
                              apply: Bool) -> (error: Double, mid: Int, left: Double, right: Double) {
        // Per-channel, per-value weighted histograms: count, Σv, Σv².
        var hist = [Double](repeating: 0, count: 3 * 256 * 3)
        var total = 0.0
        hist.withUnsafeMutableBufferPointer { h in
            for j in start..<end {
                let bin = bins[j], n = Double(bin.count)
                total += n
                var o = Int(bin.r) * 3, x = Double(bin.r)
                h[o] += n; h[o + 1] += n * x; h[o + 2] += n * x * x
                o = (256 + Int(bin.g)) * 3; x = Double(bin.g)
                h[o] += n; h[o + 1] += n * x; h[o + 2] += n * x * x
                o = (512 + Int(bin.b)) * 3; x = Double(bin.b)
                h[o] += n; h[o + 1] += n * x; h[o + 2] += n * x * x
            }
        }
        func sse(_ n: Double, _ s: Double, _ q: Double) -> Double { n > 0 ? max(0, q - s * s / n) : 0 }
        var channelError = [0.0, 0.0, 0.0]
        for c in 0..<3 {
            var s = 0.0, q = 0.0
            for v in 0..<256 { let o = (c * 256 + v) * 3; s += hist[o + 1]; q += hist[o + 2] }
            channelError[c] = sse(total, s, q)
        }
        let error = channelError[0] + channelError[1] + channelError[2]
        guard apply else { return (error, start, 0, 0) }
        let axis = channelError[1] >= channelError[0]
            ? (channelError[1] >= channelError[2] ? 1 : 2)
            : (channelError[0] >= channelError[2] ? 0 : 2)

        // Best threshold t: values ≤ t go left.
        var tn = 0.0, ts = 0.0, tq = 0.0
        for v in 0..<256 { let o = (axis * 256 + v) * 3; tn += hist[o]; ts += hist[o + 1]; tq += hist[o + 2] }
        var ln = 0.0, ls = 0.0, lq = 0.0
        var bestT = -1, bestE = Double.infinity
        for v in 0..<255 {
            let o = (axis * 256 + v) * 3
            ln += hist[o]; ls += hist[o + 1]; lq += hist[o + 2]
            if ln == 0 || ln == tn { continue }
            let e = sse(ln, ls, lq) + sse(tn - ln, ts - ls, tq - lq)
            if e < bestE { bestE = e; bestT = v }
        }
        guard bestT >= 0 else { return (error, start, 0, 0) }
        var i = start, j = end - 1
        @inline(__always) func value(_ b: Bin) -> Int { axis == 0 ? Int(b.r) : (axis == 1 ? Int(b.g) : Int(b.b)) }
        while i <= j {
            if value(bins[i]) <= bestT { i += 1 } else { bins.swapAt(i, j); j -= 1 }
        }
        // The halves' full (three-channel) errors, for choosing the next box.
        let left = split(bins, start, i, apply: false).error
        let right = split(bins, i, end, apply: false).error
        return (error, i, left, right)
    }
}
