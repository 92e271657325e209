// preview-bench: in-process timings of the preview path (Media decoding + TerminalGraphics
// rendering) for `make bench` (bench/run_preview.py). Prints one JSON object; asserts nothing.
//
//   preview-bench step CLIP --width W --height H [--count N]   warm stepping, decode + sixel
//   preview-bench encode CLIP --frame N --width W --height H [--repeat R] [--dither] [--out PREFIX]
//   preview-bench scale CLIP --frame N --width W --height H [--repeat R]   box scaling from the coded size
//   preview-bench halfblock CLIP --frame N --columns C --rows R [--repeat R]
//   preview-bench kitty CLIP --frame N --width W --height H [--repeat R] [--level L] [--out PREFIX]
//                                                               kitty graphics (24-bit, zlib when smaller)
import Dispatch
import Foundation
import Media
import TerminalGraphics

func option(_ name: String, _ args: [String]) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}
func int(_ name: String, _ args: [String], _ fallback: Int) -> Int { option(name, args).flatMap(Int.init) ?? fallback }
func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.isEmpty ? .nan : s[s.count / 2] }

let args = Array(CommandLine.arguments.dropFirst())
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: preview-bench step|encode|scale|halfblock|kitty CLIP [options]\n".utf8))
    exit(2)
}
let decoder = try VideoDecoder(path: args[1])
let width = int("--width", args, 640), height = int("--height", args, 360)
let scale = FrameScale.scaledTo(width: width, height: height)
// --dither: Floyd–Steinberg on (the workbench leaves it off; measured to show what it would cost).
let encoder = SixelEncoder(dithering: args.contains("--dither"))

func image(_ f: DecodedFrame) -> RGBImage { RGBImage(width: f.width, height: f.height, pixels: f.rgb) }

/// `encode` timed `--repeat` times (default 20) on one picture: the times in ms and the last
/// bytes. With `--out PREFIX`, writes the picture as PREFIX.ppm (binary PPM) and the bytes
/// as PREFIX + `suffix`, for the driver to compare.
func timedEncoding(_ picture: RGBImage, args: [String], suffix: String,
                   _ encode: (RGBImage) -> [UInt8]) throws -> (times: [Double], bytes: [UInt8]) {
    var times: [Double] = []
    var bytes: [UInt8] = []
    for _ in 0..<int("--repeat", args, 20) {
        let t0 = now()
        bytes = encode(picture)
        times.append(Double(now() - t0) / 1e6)
    }
    if let prefix = option("--out", args) {
        var ppm = Data("P6\n\(picture.width) \(picture.height)\n255\n".utf8)
        ppm.append(contentsOf: picture.pixels)
        try ppm.write(to: URL(fileURLWithPath: prefix + ".ppm"))
        try Data(bytes).write(to: URL(fileURLWithPath: prefix + suffix))
    }
    return (times, bytes)
}

switch args[0] {
case "step":
    // From the middle of the clip: next, previous, +1 s, −1 s and random jumps, each to a
    // new sixel frame (decode + scale + encode), as a rater steps through a clip.
    let count = int("--count", args, 30)
    let fps = Double(decoder.frameCount) / (decoder.frameTimes.last! + 1e-9)
    let second = max(1, Int(fps.rounded()))
    // Through FrameSource, as the workbench steps: frames decoded on the way are kept.
    let source = FrameSource(decoder: decoder)
    var position = decoder.frameCount / 2
    _ = encoder.encode(image(try source.frame(at: position, scale: scale)))
    var rng = SystemRandomNumberGenerator()
    var results: [String: [Double]] = [:]
    let moves: [(String, (Int) -> Int)] = [
        ("next", { $0 + 1 }), ("previous", { $0 - 1 }), ("plus_1s", { $0 + second }), ("minus_1s", { $0 - second }),
        ("random", { _ in Int.random(in: 0..<decoder.frameCount, using: &rng) }),
    ]
    for (name, move) in moves {
        for _ in 0..<count {
            var target = move(position)
            if target < 0 || target >= decoder.frameCount { target = decoder.frameCount / 2 }
            let t0 = now()
            let frame = try source.frame(at: target, scale: scale)
            _ = encoder.encode(image(frame))
            results[name, default: []].append(Double(now() - t0) / 1e6)
            position = target
        }
    }
    let fields = moves.map { "\"\($0.0)_ms\": \(median(results[$0.0]!))" }.joined(separator: ", ")
    print("{\(fields), \"width\": \(width), \"height\": \(height)}")

case "encode":
    let picture = image(try decoder.frame(at: int("--frame", args, 0), scale: scale))
    // The source frame and our sixel, for the driver's PSNR and peers.
    let (times, bytes) = try timedEncoding(picture, args: args, suffix: ".six") { encoder.encode($0) }
    print("{\"median_ms\": \(median(times)), \"bytes\": \(bytes.count), \"width\": \(picture.width), \"height\": \(picture.height)}")

case "scale":
    // RGBImage's box scaling (the half-block and ASCII fitting, the workbench's squeeze for
    // tall cells) from the clip's coded size, e.g. 1280×720 → 640×360.
    let picture = image(try decoder.frame(at: int("--frame", args, 0), scale: .native))
    var times: [Double] = []
    var scaled = picture
    for _ in 0..<int("--repeat", args, 20) {
        let t0 = now()
        scaled = picture.scaled(width: width, height: height)
        times.append(Double(now() - t0) / 1e6)
    }
    print("{\"median_ms\": \(median(times)), \"from\": \"\(picture.width)×\(picture.height)\", \"width\": \(scaled.width), \"height\": \(scaled.height)}")

case "halfblock":
    let columns = int("--columns", args, 120), rows = int("--rows", args, 40)
    let frame = try decoder.frame(at: int("--frame", args, 0), scale: .scaledTo(width: columns, height: rows * 2))
    let picture = image(frame)
    let renderer = HalfBlockRenderer(mode: .trueColor)
    var times: [Double] = []
    var size = 0
    for _ in 0..<int("--repeat", args, 50) {
        let t0 = now()
        size = renderer.render(picture).count
        times.append(Double(now() - t0) / 1e6)
    }
    print("{\"median_ms\": \(median(times)), \"bytes\": \(size), \"columns\": \(picture.width), \"rows\": \((picture.height + 1) / 2)}")

case "kitty":
    // The kitty graphics encoder on one frame: deflate (level 1 as the workbench, or
    // --level), base64 and the 4,096-byte chunks, in process.
    let picture = image(try decoder.frame(at: int("--frame", args, 0), scale: scale))
    let kitty = KittyEncoder(level: Int32(int("--level", args, 1)))
    // The source frame and the escape sequences, for the driver to decode back and compare.
    let (times, bytes) = try timedEncoding(picture, args: args, suffix: ".kitty") { kitty.encode($0) }
    print("{\"median_ms\": \(median(times)), \"bytes\": \(bytes.count), \"raw_bytes\": \(picture.pixels.count), \"width\": \(picture.width), \"height\": \(picture.height)}")

default:
    FileHandle.standardError.write(Data("preview-bench: unknown mode \(args[0])\n".utf8))
    exit(2)
}
