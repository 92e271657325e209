import struct Agreement.SplitMix64
import Foundation
import TerminalGraphics

/// Decodes sixel bytes back to pixels with an independent decoder: libsixel's `sixel2png`
/// (apt package libsixel-bin), then a PNG reader written with Python's standard library.
/// Independent on purpose — our own parser would share our own misreadings.
enum SixelDecoding {
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/sixel2png")
            || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/sixel2png")
    }

    /// The decoded picture cropped to `width × height` (libsixel pads the height to whole
    /// 6-row bands).
    static func decode(_ sixel: [UInt8], width: Int, height: Int) throws -> RGBImage {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let six = dir.appendingPathComponent("in.six"), png = dir.appendingPathComponent("out.png")
        try Data(sixel).write(to: six)
        _ = try run("sixel2png", ["-i", six.path, "-o", png.path])
        let raw = try run("python3", ["-c", pngToRGB, png.path])
        // Header "W H\n" then W*H*3 bytes.
        guard let nl = raw.firstIndex(of: 10) else { throw Failure("no header from the PNG reader") }
        let dims = String(decoding: raw[..<nl], as: UTF8.self).split(separator: " ").compactMap { Int($0) }
        let pw = dims[0], ph = dims[1]
        guard pw == width, ph >= height else { throw Failure("decoded \(pw)×\(ph), expected \(width)×\(height)") }
        let body = Array(raw[(nl + 1)...])
        return RGBImage(width: width, height: height, pixels: Array(body[0..<(width * height * 3)]))
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    @discardableResult
    static func run(_ tool: String, _ args: [String]) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw Failure("\(tool) exited \(p.terminationStatus): \(String(decoding: errData, as: UTF8.self))")
        }
        return Array(data)
    }

    /// PNG (8-bit grey, RGB, palette, grey+alpha, RGBA; not interlaced) → "W H\n" + RGB.
    static let pngToRGB = #"""
import sys, zlib, struct
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n'
i, idat, plte = 8, b'', None
while i < len(d):
    n, t = struct.unpack('>I4s', d[i:i+8]); c = d[i+8:i+8+n]; i += 12 + n
    if t == b'IHDR': w, h, depth, ctype, _, _, lace = struct.unpack('>IIBBBBB', c)
    elif t == b'PLTE': plte = c
    elif t == b'IDAT': idat += c
assert depth == 8 and lace == 0, (depth, lace)
bpp = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
raw = zlib.decompress(idat); stride = w * bpp
prev = bytearray(stride); out = bytearray(); p = 0
for y in range(h):
    f = raw[p]; line = bytearray(raw[p+1:p+1+stride]); p += 1 + stride
    for x in range(stride):
        a = line[x-bpp] if x >= bpp else 0; b = prev[x]; cc = prev[x-bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            pa, pb, pc = abs(b - cc), abs(a - cc), abs(a + b - 2 * cc)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else (b if pb <= pc else cc))) & 255
    prev = line
    for x in range(w):
        if ctype == 2: out += line[3*x:3*x+3]
        elif ctype == 6: out += line[4*x:4*x+3]
        elif ctype == 3: k = line[x]; out += plte[3*k:3*k+3]
        elif ctype == 0: out += bytes([line[x]] * 3)
        elif ctype == 4: out += bytes([line[2*x]] * 3)
sys.stdout.buffer.write(b'%d %d\n' % (w, h) + bytes(out))
"""#
}

/// Peak signal-to-noise ratio over all channels, in dB (infinite when identical).
func psnr(_ a: RGBImage, _ b: RGBImage) -> Double {
    precondition(a.width == b.width && a.height == b.height)
    var sum = 0.0
    for i in 0..<a.pixels.count {
        let d = Double(a.pixels[i]) - Double(b.pixels[i])
        sum += d * d
    }
    let mse = sum / Double(a.pixels.count)
    return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
}

/// SplitMix64, so "noise" is the same on every run.
extension SplitMix64 {
    mutating func byte() -> Int { Int(next() & 255) }
}

/// Test pictures.
enum Pictures {
    static func checkerboard(_ w: Int, _ h: Int, _ a: RGB, _ b: RGB, cell: Int = 1) -> RGBImage {
        RGBImage(width: w, height: h) { x, y in (x / cell + y / cell) % 2 == 0 ? a : b }
    }

    /// A smooth two-axis gradient with mild noise: "natural-ish" (thousands of colours).
    static func noisyGradient(_ w: Int, _ h: Int, seed: UInt64 = 7, noise: Int = 6) -> RGBImage {
        var rng = SplitMix64(state: seed)
        return RGBImage(width: w, height: h) { x, y in
            func clamp(_ v: Int) -> UInt8 { UInt8(min(255, max(0, v))) }
            let n = { rng.byte() % (2 * noise + 1) - noise }
            return RGB(clamp(x * 255 / max(1, w - 1) + n()),
                       clamp(y * 255 / max(1, h - 1) + n()),
                       clamp((x + y) * 255 / max(1, w + h - 2) / 2 + 64 + n()))
        }
    }

    static func gradient(_ w: Int, _ h: Int) -> RGBImage {
        RGBImage(width: w, height: h) { x, y in
            RGB(UInt8(x * 255 / max(1, w - 1)), UInt8(y * 255 / max(1, h - 1)), UInt8((x ^ y) & 255))
        }
    }
}
