import Foundation
import Testing
@testable import TerminalGraphics

/// The sixel and half-block encoders on pictures of any size — 1×1, one pixel wide or
/// tall, odd sizes, partial sixel bands, very large — with random, few-colour, gradient and
/// corpus-derived (mutated) content, every palette size and dithering on and off.
///
/// Checks are decoded, not just "did not crash": the sixel output is read back
/// (`SixelStructure`) and must paint every pixel of the raster exactly once and nothing
/// outside it, with at most `maxColors` registers, and reproduce the picture exactly
/// (to the format's 0–100 % scale) whenever the palette can hold all its colours; the
/// half-block output is interpreted cell by cell and each cell's colours (or glyph, in
/// monochrome) must be those of its two pixels.
@Suite(.serialized) struct EncoderFuzzTests {
    @Test func sixelAndHalfBlock() throws {
        let kind = "image"
        let seeds = try Fuzz.corpus(kind).map { (name: $0.name, image: try #require(PPM.read($0.bytes), "\($0.name) is not a P6 PPM")) }
        let count = Fuzz.iterations(share: 0.1)
        let watchdog = Watchdog(kind: kind, limit: 120)
        defer { watchdog.stop() }
        var rng = SeededRandom(seed: Fuzz.seed ^ 0x51C)
        var failures = 0, slowest = 0.0
        let t0 = Date()
        for i in 0..<(seeds.count + count) {
            let (image, origin): (RGBImage, String) = i < seeds.count
                ? (seeds[i].image, seeds[i].name)
                : Pictures.random(from: seeds.map(\.image), rng: &rng, index: i)
            let maxColors = [1, 2, 3, 16, 255, 256, 1 + rng.below(256)][rng.below(7)]
            let dithering = rng.chance(0.3)
            let describe = "\(origin) \(image.width)×\(image.height), \(maxColors) colours, dithering \(dithering) (seed \(Fuzz.seed))"
            let (problems, seconds) = watchdog.run(describe) {
                Checks.sixel(image, maxColors: maxColors, dithering: dithering)
                    + Checks.halfBlock(image, mode: HalfBlockRenderer.ColorMode.allCases[rng.below(3)],
                                       origin: rng.chance(0.5) ? (1 + rng.below(50), 1 + rng.below(200)) : nil)
                    + Checks.fitted(image, columns: rng.below(300) - 5, rows: rng.below(120) - 5)
            }
            slowest = max(slowest, seconds)
            if !problems.isEmpty {
                failures += 1
                Issue.record("\(describe): \(problems.joined(separator: "; "))")
                FuzzRecord.save(kind: kind, name: "failure-\(image.width)x\(image.height)", bytes: PPM.write(image))
            }
        }
        FuzzRecord.report(kind: kind, executions: seeds.count + count, seconds: Date().timeIntervalSince(t0),
                          failures: failures, slowest: slowest)
        #expect(failures == 0)
    }

    /// Very large and extreme shapes, once each: the encoders' buffers are sized from
    /// width × height, so these are where an overflow or a quadratic step would show.
    @Test(arguments: [(8000, 16), (16, 8000), (3840, 1), (1, 3840)])
    func largeFrame(width: Int, height: Int) throws {
        try Self.large(width: width, height: height)
    }

    /// A 4K frame: 8.8 M pixels of a many-colour pattern (median cut, not the exact
    /// palette). In `make fuzz` only (CONCORD_FUZZ_ITERATIONS ≥ 10000): in a debug build it
    /// alone takes most of a minute.
    @Test(.enabled(if: Fuzz.baseIterations >= 10_000, "a 4K frame takes most of a minute in a debug build; make fuzz runs it"))
    func frame4K() throws {
        try Self.large(width: 4096, height: 2160)
    }

    static func large(width: Int, height: Int) throws {
        let watchdog = Watchdog(kind: "image-large", limit: 300)
        defer { watchdog.stop() }
        let image = RGBImage(width: width, height: height) { x, y in
            RGB(UInt8(truncatingIfNeeded: x &* 7 &+ y), UInt8(truncatingIfNeeded: y &* 3), UInt8(truncatingIfNeeded: (x ^ y) &* 5))
        }
        let (problems, seconds) = watchdog.run("\(width)×\(height)") {
            Checks.sixel(image, maxColors: 256, dithering: width * height <= 200_000)
                + Checks.halfBlock(image, mode: .trueColor, origin: nil)
        }
        #expect(problems.isEmpty, "\(width)×\(height): \(problems.joined(separator: "; "))")
        FuzzRecord.report(kind: "image-\(width)x\(height)", executions: 1, seconds: seconds, failures: problems.isEmpty ? 0 : 1,
                          slowest: seconds)
    }
}

/// Pictures for the encoders: a corpus picture (mutated, cropped or tiled to a new size) or
/// a synthetic one, at a size drawn to favour the edges (1, 2, 5, 6, 7, odd, primes).
enum Pictures {
    static func random(from seeds: [RGBImage], rng: inout SeededRandom, index: Int) -> (RGBImage, String) {
        func side() -> Int {
            switch rng.below(6) {
            case 0: return 1
            case 1: return [2, 3, 5, 6, 7, 11, 12, 13][rng.below(8)]
            case 2: return 1 + rng.below(16)
            case 3: return 1 + rng.below(97)
            default: return 1 + rng.below(48)
            }
        }
        var w = side(), h = side()
        if rng.chance(0.05) { (w, h) = rng.chance(0.5) ? (1 + rng.below(700), 1) : (1, 1 + rng.below(700)) }
        switch rng.below(5) {
        case 0:  // noise: more colours than any palette, median cut
            return (RGBImage(width: w, height: h, pixels: (0..<(w * h * 3)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }),
                    "noise \(index)")
        case 1:  // k colours: exact palette when k ≤ maxColors, median cut otherwise
            let k = [1, 2, 6, 255, 256, 257, 300][rng.below(7)]
            let palette = (0..<k).map { _ in RGB(UInt8(truncatingIfNeeded: rng.next()), UInt8(truncatingIfNeeded: rng.next()),
                                                 UInt8(truncatingIfNeeded: rng.next())) }
            var px = [UInt8](); px.reserveCapacity(w * h * 3)
            for _ in 0..<(w * h) { let c = palette[rng.below(k)]; px += [c.r, c.g, c.b] }
            return (RGBImage(width: w, height: h, pixels: px), "\(k) colours \(index)")
        case 2:  // gradient with extremes (0 and 255 channels, mid-grey around the luma cut)
            return (RGBImage(width: w, height: h) { x, y in
                RGB(UInt8(x * 255 / max(1, w - 1)), UInt8(y * 255 / max(1, h - 1)), UInt8((x + y) % 2 == 0 ? 127 : 128))
            }, "gradient \(index)")
        default:  // a corpus picture, pixel bytes mutated, cropped or tiled to w × h
            let seed = seeds[rng.below(seeds.count)]
            var px = seed.pixels
            for _ in 0..<(1 + rng.below(8)) where !px.isEmpty {
                px[rng.below(px.count)] = [0, 255, 127, 128, UInt8(truncatingIfNeeded: rng.next())][rng.below(5)]
            }
            let source = RGBImage(width: seed.width, height: seed.height, pixels: px)
            return (RGBImage(width: w, height: h) { x, y in source[x % source.width, y % source.height] },
                    "corpus \(seed.width)×\(seed.height) \(index)")
        }
    }
}

enum Checks {
    /// Encodes and reads back; returns what is wrong (empty when nothing is).
    static func sixel(_ image: RGBImage, maxColors: Int, dithering: Bool) -> [String] {
        let bytes = SixelEncoder(maxColors: maxColors, dithering: dithering).encode(image)
        let s: SixelStructure
        do { s = try SixelStructure(bytes) } catch { return ["sixel unreadable: \(error)"] }
        var problems: [String] = []
        let w = image.width, h = image.height
        if s.rasterWidth != w || s.rasterHeight != h { problems.append("sixel raster \(s.rasterWidth)×\(s.rasterHeight)") }
        if !s.terminated { problems.append("sixel not terminated") }
        if s.overpainted != 0 { problems.append("sixel paints \(s.overpainted) pixels twice") }
        if s.registers.count > maxColors || s.registers.isEmpty { problems.append("sixel uses \(s.registers.count) registers of \(maxColors)") }
        if s.bands.count != (h + 5) / 6 { problems.append("sixel has \(s.bands.count) bands for \(h) rows") }
        guard problems.isEmpty, s.painted.count >= w * h else { return problems + ["sixel painted \(s.painted.count) of \(w * h)"] }
        if let p = (0..<(w * h)).first(where: { s.painted[$0] < 0 }) { problems.append("sixel leaves pixel \(p % w),\(p / w) unpainted") }
        if s.painted[(w * h)...].contains(where: { $0 >= 0 }) { problems.append("sixel paints below the last row") }
        // Exact when the palette holds every colour: each pixel's register is its colour.
        var distinct = Set<Int>()
        for p in 0..<(w * h) where distinct.count <= maxColors {
            distinct.insert(Int(image.pixels[3 * p]) << 16 | Int(image.pixels[3 * p + 1]) << 8 | Int(image.pixels[3 * p + 2]))
        }
        if problems.isEmpty && distinct.count <= maxColors {
            for p in 0..<(w * h) {
                let c = s.registers[s.painted[p]]!
                let want = (SixelEncoder.percent(image.pixels[3 * p]), SixelEncoder.percent(image.pixels[3 * p + 1]),
                            SixelEncoder.percent(image.pixels[3 * p + 2]))
                if c.r != want.0 || c.g != want.1 || c.b != want.2 {
                    problems.append("sixel pixel \(p % w),\(p / w) is \(c), want \(want)")
                    break
                }
            }
        }
        return problems
    }

    /// Renders and interprets the escapes; each cell must show its two pixels.
    static func halfBlock(_ image: RGBImage, mode: HalfBlockRenderer.ColorMode, origin: (row: Int, column: Int)?) -> [String] {
        let out = HalfBlockRenderer(mode: mode).render(image, origin: origin)
        guard String(validating: out, as: UTF8.self) != nil else { return ["half-block \(mode): not UTF-8"] }
        let w = image.width, h = image.height
        func code(_ x: Int, _ y: Int) -> Int {
            let c = image[x, y]
            return mode == .trueColor ? Int(c.r) << 16 | Int(c.g) << 8 | Int(c.b) : Palette256.index(of: c)
        }
        var i = 0, row = 0, column = 0
        var fg: Int?, bg: Int?
        func number() -> Int? {
            var n = 0, digits = 0
            while i < out.count, out[i] >= 48, out[i] <= 57 { n = n * 10 + Int(out[i] - 48); i += 1; digits += 1 }
            return digits > 0 ? n : nil
        }
        func cell(top: Bool, bottom: Bool) -> String? {
            guard row < (h + 1) / 2, column < w else { return "half-block \(mode): a cell at \(column),\(row) outside \(w)×\((h + 1) / 2)" }
            let y = 2 * row, hasBottom = y + 1 < h
            if mode == .monochrome {
                if top != (image[column, y].luma >= 128) || bottom != (hasBottom && image[column, y + 1].luma >= 128) {
                    return "half-block monochrome: wrong glyph at \(column),\(row)"
                }
            } else if fg != code(column, y) || bg != (hasBottom ? code(column, y + 1) : nil) {
                return "half-block \(mode): cell \(column),\(row) shows \(String(describing: fg))/\(String(describing: bg))"
            }
            column += 1
            return nil
        }
        while i < out.count {
            if out[i] == 0x1B {
                guard i + 1 < out.count, out[i + 1] == UInt8(ascii: "[") else { return ["half-block \(mode): bare ESC"] }
                i += 2
                var params: [Int] = []
                while true {
                    if let n = number() { params.append(n) }
                    guard i < out.count, out[i] == UInt8(ascii: ";") else { break }
                    i += 1
                }
                guard i < out.count else { return ["half-block \(mode): unterminated escape"] }
                let final = out[i]; i += 1
                if final == UInt8(ascii: "H") {
                    // Monochrome rows have no closing escape: the next cursor move ends one.
                    if mode == .monochrome && column == w { row += 1; column = 0 }
                    guard let origin, params == [origin.row + row, origin.column], column == 0 else {
                        return ["half-block \(mode): cursor move \(params) at row \(row)"]
                    }
                } else if final == UInt8(ascii: "m") {
                    switch params.first {
                    case 0: fg = nil; bg = nil
                        if origin != nil { if column != w { return ["half-block \(mode): row \(row) has \(column) cells"] }; row += 1; column = 0 }
                    case 49: bg = nil
                    case 38, 48:
                        let value: Int
                        if mode == .trueColor, params.count == 5, params[1] == 2 { value = params[2] << 16 | params[3] << 8 | params[4] }
                        else if mode == .palette256, params.count == 3, params[1] == 5 { value = params[2] }
                        else { return ["half-block \(mode): colour escape \(params)"] }
                        if params[0] == 38 { fg = value } else { bg = value }
                    default: return ["half-block \(mode): escape \(params)"]
                    }
                } else { return ["half-block \(mode): escape ending \(final)"] }
                continue
            }
            if out[i] == 0x0D {
                guard origin == nil, i + 1 < out.count, out[i + 1] == 0x0A, column == w else {
                    return ["half-block \(mode): line end after \(column) of \(w) cells in row \(row)"]
                }
                i += 2; row += 1; column = 0
                continue
            }
            let glyphs: [([UInt8], Bool, Bool)] = [(HalfBlockRenderer.upper, true, false), (HalfBlockRenderer.lower, false, true),
                                                   (HalfBlockRenderer.full, true, true), (HalfBlockRenderer.space, false, false)]
            guard let g = glyphs.first(where: { out[i...].starts(with: $0.0) }) else { return ["half-block \(mode): stray byte \(out[i])"] }
            if mode != .monochrome && g.0 != HalfBlockRenderer.upper { return ["half-block \(mode): glyph other than ▀"] }
            if let problem = cell(top: g.1, bottom: g.2) { return [problem] }
            i += g.0.count
        }
        if mode == .monochrome && origin != nil && column == w { row += 1 }
        return row == (h + 1) / 2 ? [] : ["half-block \(mode): \(row) rows for \(h) pixel rows"]
    }

    /// Fitting into any box, even an empty or negative one, gives a picture inside it.
    static func fitted(_ image: RGBImage, columns: Int, rows: Int) -> [String] {
        let size = RGBImage.fittingSize(width: image.width, height: image.height, columns: columns, rows: rows, cellWidth: 1, cellHeight: 2)
        guard size.width >= 1, size.height >= 1, size.width <= max(1, columns), size.height <= max(1, rows * 2) else {
            return ["fitting \(image.width)×\(image.height) into \(columns)×\(rows) cells gave \(size)"]
        }
        let out = HalfBlockRenderer(mode: .palette256).render(image, fittingColumns: columns, rows: rows)
        return out.isEmpty ? ["fitted half-block output is empty"] : []
    }
}

/// Binary PPM (P6, maxval 255): the corpus format for pictures, readable by any image tool.
enum PPM {
    static func read(_ bytes: [UInt8]) -> RGBImage? {
        var i = 0
        func token() -> Int? {
            while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
            var n = 0, digits = 0
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { n = n * 10 + Int(bytes[i] - 48); i += 1; digits += 1 }
            return digits > 0 ? n : nil
        }
        guard bytes.starts(with: Array("P6".utf8)) else { return nil }
        i = 2
        guard let w = token(), let h = token(), let maxval = token(), maxval == 255, w > 0, h > 0 else { return nil }
        i += 1
        guard bytes.count - i == w * h * 3 else { return nil }
        return RGBImage(width: w, height: h, pixels: Array(bytes[i...]))
    }

    static func write(_ image: RGBImage) -> [UInt8] {
        Array("P6\n\(image.width) \(image.height)\n255\n".utf8) + image.pixels
    }
}
