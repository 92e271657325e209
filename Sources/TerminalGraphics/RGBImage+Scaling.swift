/// Area-averaging ("box") scaling and the arithmetic of fitting a picture into cells.
///
/// Box filtering is what a downscale for preview wants: every source pixel contributes in
/// proportion to the area it covers, so fine detail averages out instead of aliasing, and
/// it is separable, so the cost is two passes of a few multiply-adds per pixel.
extension RGBImage {
    /// The largest pixel size with this picture's aspect ratio that fits in a box of
    /// `columns × rows` terminal cells of `cellWidth × cellHeight` pixels each.
    /// Never smaller than 1×1.
    public static func fittingSize(
        width: Int, height: Int,
        columns: Int, rows: Int, cellWidth: Int, cellHeight: Int
    ) -> (width: Int, height: Int) {
        precondition(width > 0 && height > 0, "fittingSize needs a positive source size")
        let boxW = Double(max(1, columns * cellWidth))
        let boxH = Double(max(1, rows * cellHeight))
        let scale = min(boxW / Double(width), boxH / Double(height))
        let w = min(Int(boxW), max(1, Int((Double(width) * scale).rounded())))
        let h = min(Int(boxH), max(1, Int((Double(height) * scale).rounded())))
        return (w, h)
    }

    /// This picture scaled (keeping its aspect ratio) to fit `columns × rows` cells.
    public func fitting(columns: Int, rows: Int, cellWidth: Int, cellHeight: Int) -> RGBImage {
        let size = Self.fittingSize(width: width, height: height, columns: columns, rows: rows,
                                    cellWidth: cellWidth, cellHeight: cellHeight)
        return scaled(width: size.width, height: size.height)
    }

    /// This picture resampled to exactly `width × height` by area averaging.
    /// Upscaling degrades gracefully to (blended) pixel replication.
    public func scaled(width newWidth: Int, height newHeight: Int) -> RGBImage {
        precondition(newWidth > 0 && newHeight > 0, "scaled needs a positive size; got \(newWidth)×\(newHeight)")
        if newWidth == width && newHeight == height { return self }
        let xs = BoxWeights(source: width, target: newWidth)
        let ys = BoxWeights(source: height, target: newHeight)
        let srcW = width, srcH = height

        // Pass 1: horizontal, into floats (srcH rows × newWidth).
        var mid = [Float](repeating: 0, count: srcH * newWidth * 3)
        pixels.withUnsafeBufferPointer { src in
            mid.withUnsafeMutableBufferPointer { dst in
                for y in 0..<srcH {
                    let row = y * srcW * 3
                    var o = y * newWidth * 3
                    for x in 0..<newWidth {
                        var r: Float = 0, g: Float = 0, b: Float = 0
                        var w = xs.offsets[x]
                        var s = row + xs.starts[x] * 3
                        for _ in 0..<xs.counts[x] {
                            let k = xs.weights[w]
                            r += k * Float(src[s]); g += k * Float(src[s + 1]); b += k * Float(src[s + 2])
                            s += 3; w += 1
                        }
                        dst[o] = r; dst[o + 1] = g; dst[o + 2] = b
                        o += 3
                    }
                }
            }
        }
        // Pass 2: vertical, rounding to bytes.
        let rowLen = newWidth * 3
        var out = [UInt8](repeating: 0, count: newHeight * rowLen)
        mid.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var acc = [Float](repeating: 0, count: rowLen)
                acc.withUnsafeMutableBufferPointer { acc in
                    for y in 0..<newHeight {
                        for i in 0..<rowLen { acc[i] = 0 }
                        var w = ys.offsets[y]
                        for sy in ys.starts[y]..<(ys.starts[y] + ys.counts[y]) {
                            let k = ys.weights[w]
                            let base = sy * rowLen
                            for i in 0..<rowLen { acc[i] += k * src[base + i] }
                            w += 1
                        }
                        let o = y * rowLen
                        for i in 0..<rowLen {
                            let v = acc[i] + 0.5
                            dst[o + i] = v >= 255 ? 255 : (v <= 0 ? 0 : UInt8(v))
                        }
                    }
                }
            }
        }
        return RGBImage(width: newWidth, height: newHeight, pixels: out)
    }
}

/// For each target index along one axis: the first source index it covers, how many it
/// covers, and the normalised share of each (computed once per axis, not per pixel).
struct BoxWeights {
    var starts: [Int] = []
    var counts: [Int] = []
    var offsets: [Int] = []
    var weights: [Float] = []

    init(source: Int, target: Int) {
        let step = Double(source) / Double(target)
        starts.reserveCapacity(target); counts.reserveCapacity(target); offsets.reserveCapacity(target)
        for i in 0..<target {
            let a = Double(i) * step, b = Double(i + 1) * step
            let first = min(source - 1, Int(a))
            let last = min(source - 1, max(first, Int((b - 1e-9).rounded(.up)) - 1))
            starts.append(first); counts.append(last - first + 1); offsets.append(weights.count)
            var total = 0.0
            var shares: [Double] = []
            for j in first...last {
                let overlap = min(b, Double(j + 1)) - max(a, Double(j))
                shares.append(max(0, overlap)); total += max(0, overlap)
            }
            for s in shares { weights.append(Float(total > 0 ? s / total : 1 / Double(shares.count))) }
        }
    }
}
