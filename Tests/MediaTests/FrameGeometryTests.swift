import struct Agreement.SplitMix64
import Foundation
@testable import Media
import Testing

/// The display matrix and SAR applied to frames: sizes and the pixel turn on their own, then
/// clips whose display matrix says 90°, 180° and 270°, compared with ffmpeg's own
/// autorotated frame.
@Suite struct FrameGeometryTests {
    // MARK: - Sizes

    @Test func sizesAsShown() {
        let plain = FrameGeometry(codedWidth: 640, codedHeight: 272)
        #expect(plain.nativeSize == (640, 272) && !plain.swapsAxes)
        #expect(plain.outputSize(for: .scaledTo(width: 320, height: 320)) == (320, 136))

        let portrait = FrameGeometry(codedWidth: 640, codedHeight: 272, rotation: 90)
        #expect(portrait.nativeSize == (272, 640) && portrait.swapsAxes)
        #expect(abs(portrait.displayAspect - 272.0 / 640) < 1e-12)
        #expect(portrait.outputSize(for: .scaledTo(width: 320, height: 320)) == (136, 320))
        #expect(portrait.scaledCodedSize(forShown: (136, 320)) == (320, 136))

        let upsideDown = FrameGeometry(codedWidth: 640, codedHeight: 272, rotation: 180)
        #expect(upsideDown.nativeSize == (640, 272) && upsideDown.scaledCodedSize(forShown: (10, 4)) == (10, 4))

        // A 90° clip with SAR 4:3 takes its aspect from the turned display size:
        // coded 64×48 is shown 85.3×48, turned 48×85.3.
        let anamorphic = FrameGeometry(codedWidth: 64, codedHeight: 48, sampleAspect: 4.0 / 3, rotation: 270)
        #expect(abs(anamorphic.displayAspect - 48.0 / (64.0 * 4 / 3)) < 1e-12)
        #expect(anamorphic.outputSize(for: .scaledTo(width: 90, height: 160)) == (90, 160))
        #expect(anamorphic.outputSize(for: .scaledTo(width: 100, height: 100)) == (56, 100))
        #expect(anamorphic.nativeSize == (48, 64))   // native: coded pixels turned, SAR not applied
        #expect(anamorphic.displaySize == (48, 85) && portrait.displaySize == (272, 640))
        #expect(FrameGeometry(codedWidth: 720, codedHeight: 576, sampleAspect: 16.0 / 15).displaySize == (768, 576))
        #expect(anamorphic.outputSize(for: .scaledTo(width: 0, height: -3)) == (1, 1))
    }

    @Test func rotationIsANormalisedQuarterTurn() {
        let turns = [0, 90, 180, 270, 360, -90, -180, 450, 89, 44, 46, -271]
        #expect(turns.map { FrameGeometry(codedWidth: 2, codedHeight: 2, rotation: $0).rotation }
                == [0, 90, 180, 270, 0, 270, 180, 90, 90, 0, 90, 90])
        #expect(FrameGeometry(codedWidth: 2, codedHeight: 2, sampleAspect: .nan).sampleAspect == 1)
        #expect(FrameGeometry(codedWidth: 2, codedHeight: 2, sampleAspect: 0).sampleAspect == 1)
    }

    // MARK: - The pixel turn

    static func turned(_ pixels: [UInt8], width: Int, height: Int, stride: Int? = nil, rotation: Int) -> [UInt8] {
        pixels.withUnsafeBufferPointer {
            FrameGeometry.turn($0.baseAddress!, width: width, height: height, stride: stride ?? width * 3, rotation: rotation)
        }
    }

    /// A 3×2 picture whose pixels are 1…6 (grey), turned by hand: clockwise means the left
    /// column becomes the top row, read bottom to top.
    @Test func turnsClockwise() {
        //  1 2 3
        //  4 5 6
        let picture: [UInt8] = (1...6).flatMap { [UInt8($0), UInt8($0), UInt8($0)] }
        func grey(_ rgb: [UInt8]) -> [UInt8] { stride(from: 0, to: rgb.count, by: 3).map { rgb[$0] } }
        #expect(grey(Self.turned(picture, width: 3, height: 2, rotation: 0)) == [1, 2, 3, 4, 5, 6])
        #expect(grey(Self.turned(picture, width: 3, height: 2, rotation: 90)) == [4, 1, 5, 2, 6, 3])     // 2×3: 4 1 / 5 2 / 6 3
        #expect(grey(Self.turned(picture, width: 3, height: 2, rotation: 180)) == [6, 5, 4, 3, 2, 1])
        #expect(grey(Self.turned(picture, width: 3, height: 2, rotation: 270)) == [3, 6, 2, 5, 1, 4])    // 2×3: 3 6 / 2 5 / 1 4
        // Channels travel together.
        let rgb: [UInt8] = [10, 20, 30, 40, 50, 60]   // 2×1
        #expect(Self.turned(rgb, width: 2, height: 1, rotation: 90) == [10, 20, 30, 40, 50, 60])   // 1×2
        #expect(Self.turned(rgb, width: 2, height: 1, rotation: 270) == [40, 50, 60, 10, 20, 30])
    }

    /// Sizes that are not multiples of the 32-pixel tile, rows padded as libswscale pads them:
    /// every turn agrees with the pixel-by-pixel definition, four quarter turns give the
    /// picture back, and padding never leaks in.
    @Test(arguments: [(1, 1), (1, 7), (33, 1), (70, 33), (64, 48), (97, 65)])
    func turnMatchesTheDefinition(width: Int, height: Int) {
        var rng = SplitMix64(state: UInt64(width * 1000 + height))
        let stride = (width * 3 + 63) & ~63
        var padded = [UInt8](repeating: 0xEE, count: stride * height)
        for y in 0..<height { for x in 0..<(width * 3) { padded[y * stride + x] = UInt8.random(in: 0...200, using: &rng) } }
        func source(_ x: Int, _ y: Int) -> ArraySlice<UInt8> { padded[(y * stride + x * 3)..<(y * stride + x * 3 + 3)] }
        for rotation in [0, 90, 180, 270] {
            let out = Self.turned(padded, width: width, height: height, stride: stride, rotation: rotation)
            let (w, h) = rotation % 180 == 0 ? (width, height) : (height, width)
            #expect(out.count == w * h * 3)
            #expect(!out.contains(0xEE), "padding leaked into a \(rotation)° turn")
            var mismatches = 0
            for y in 0..<h {
                for x in 0..<w {
                    let expected: ArraySlice<UInt8>
                    switch rotation {
                    case 90: expected = source(y, height - 1 - x)
                    case 180: expected = source(width - 1 - x, height - 1 - y)
                    case 270: expected = source(width - 1 - y, x)
                    default: expected = source(x, y)
                    }
                    if Array(out[((y * w + x) * 3)..<((y * w + x) * 3 + 3)]) != Array(expected) { mismatches += 1 }
                }
            }
            #expect(mismatches == 0, "\(width)×\(height) turned \(rotation)°: \(mismatches) pixels wrong")
        }
        let tight = Self.turned(padded, width: width, height: height, stride: stride, rotation: 0)
        var back = tight, w = width, h = height
        for _ in 0..<4 {
            back = Self.turned(back, width: w, height: h, rotation: 90)
            (w, h) = (h, w)
        }
        #expect(back == tight)
        #expect(Self.turned(Self.turned(tight, width: width, height: height, rotation: 90), width: height, height: width, rotation: 270) == tight)
    }

    // MARK: - Clips with a display matrix

    /// The palette clip with its white top-left marker, given a display matrix by the ffmpeg
    /// CLI: `-metadata:s:v rotate=TAG` on a stream copy (Debian 12's ffmpeg 5.1 has no
    /// `-display_rotation`). That ffmpeg stores TAG as TAG° counter-clockwise, so the tag is
    /// not the clockwise turn: the test reads the turn back and checks it against the corner
    /// the marker lands in and against ffmpeg's own autorotated frame.
    static func rotatedClip(tag: Int, count: Int = 40, sar: Bool = false) throws -> String {
        let name = "rot\(tag)\(sar ? "-sar" : "")"
        let plain = try VideoDecoderTests.clip(name + "-plain.mp4", count: count, marker: true,
                                               filters: sar ? ["-vf", "setsar=4/3"] : [], output: ["-bf", "3", "-g", "12"])
        let path = VideoDecoderTests.dir + "/" + name + ".mp4"
        try VideoDecoderTests.ffmpeg(["-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=\(tag)", path])
        return path
    }

    /// Frame `index` as the ffmpeg CLI shows it (autorotated), packed RGB24, with its size
    /// read from a PNG of the same frame.
    static func ffmpegFrame(_ path: String, index: Int) throws -> (width: Int, height: Int, rgb: [UInt8]) {
        let base = path + ".ffmpeg\(index)"
        let pick = ["-vf", "select=eq(n\\,\(index))", "-fps_mode", "passthrough", "-frames:v", "1"]
        try VideoDecoderTests.ffmpeg(["-i", path] + pick + ["-f", "rawvideo", "-pix_fmt", "rgb24", base + ".rgb"] + pick + [base + ".png"])
        let png = try Data(contentsOf: URL(fileURLWithPath: base + ".png"))
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        return (width, height, [UInt8](try Data(contentsOf: URL(fileURLWithPath: base + ".rgb"))))
    }

    /// Peak signal-to-noise ratio of two RGB24 pictures of one size, in dB (infinite when equal).
    static func psnr(_ a: [UInt8], _ b: [UInt8]) -> Double {
        precondition(a.count == b.count && !a.isEmpty)
        var sum = 0.0
        for i in a.indices { let d = Double(a[i]) - Double(b[i]); sum += d * d }
        let mse = sum / Double(a.count)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    enum Corner: String { case topLeft, topRight, bottomLeft, bottomRight }

    /// The corners of a frame that are white (the marker), two pixels in from the edges.
    static func whiteCorners(_ f: DecodedFrame) -> [Corner] {
        let spots: [(Corner, Int, Int)] = [(.topLeft, 2, 2), (.topRight, f.width - 3, 2),
                                           (.bottomLeft, 2, f.height - 3), (.bottomRight, f.width - 3, f.height - 3)]
        return spots.filter { _, x, y in
            let (r, g, b) = f.pixel(x: x, y: y)
            return r > 240 && g > 240 && b > 240
        }.map(\.0)
    }

    /// Where the top-left corner goes when the picture is turned clockwise.
    static func corner(afterTurning rotation: Int) -> Corner {
        [0: .topLeft, 90: .topRight, 180: .bottomRight, 270: .bottomLeft][rotation]!
    }

    @Test func clipsAreShownUpright() throws {
        var turns: Set<Int> = []
        for tag in [90, 180, 270] {
            let path = try Self.rotatedClip(tag: tag)
            let info = try ClipProbe.probe(path: path)
            #expect(info.width == 64 && info.height == 48, "ClipInfo keeps the coded size")
            let decoder = try VideoDecoder(path: path)
            let rotation = decoder.geometry.rotation
            #expect(rotation == info.rotation && rotation != 0)
            turns.insert(rotation)
            #expect(decoder.width == 64 && decoder.height == 48 && decoder.frameCount == 40)
            let shown = rotation == 180 ? (64, 48) : (48, 64)
            #expect(decoder.outputSize(for: .native) == shown)
            // Frame-exact as before, each frame upright.
            for n in VideoDecoderTests.shuffledIndices(40, take: 20, seed: UInt64(tag)) {
                let f = try decoder.frame(at: n)
                #expect(f.index == n && VideoDecoderTests.identify(f) == n, "\(tag): asked for frame \(n)")
                #expect(f.width == shown.0 && f.height == shown.1)
                #expect(Self.whiteCorners(f) == [Self.corner(afterTurning: rotation)], "\(rotation)°, frame \(n)")
            }
            let small = try decoder.frame(at: 9, scale: .scaledTo(width: 24, height: 24))
            #expect(small.width == (rotation == 180 ? 24 : 18) && small.height == (rotation == 180 ? 18 : 24))
            #expect(VideoDecoderTests.identify(small) == 9 && Self.whiteCorners(small) == [Self.corner(afterTurning: rotation)])
            // The same picture ffmpeg shows.
            for n in [0, 17] {
                let ours = try decoder.frame(at: n)
                let theirs = try Self.ffmpegFrame(path, index: n)
                #expect(theirs.width == ours.width && theirs.height == ours.height, "\(rotation)°: ffmpeg shows \(theirs.width)×\(theirs.height)")
                if theirs.rgb.count == ours.rgb.count {
                    let db = Self.psnr(ours.rgb, theirs.rgb)
                    #expect(db >= 38, "\(rotation)°, frame \(n): PSNR \(db) dB against ffmpeg's frame")
                }
            }
        }
        #expect(turns == [90, 180, 270])
    }

    /// A turned anamorphic clip takes its aspect from the turned display size: coded 64×48
    /// with SAR 4:3 is 85.3×48 on screen, and a quarter turn makes that 48×85.3.
    @Test func turnedClipKeepsItsSampleAspect() throws {
        let path = try Self.rotatedClip(tag: 270, count: 30, sar: true)
        let decoder = try VideoDecoder(path: path)
        #expect(decoder.geometry.rotation == 90 && decoder.geometry.sampleAspect == 4.0 / 3)
        #expect(abs(decoder.displayAspect - 0.5625) < 1e-12)
        let f = try decoder.frame(at: 13, scale: .scaledTo(width: 90, height: 400))
        #expect(f.width == 90 && f.height == 160)
        #expect(VideoDecoderTests.identify(f) == 13 && Self.whiteCorners(f) == [.topRight])
        let native = try decoder.frame(at: 21)
        #expect(native.width == 48 && native.height == 64)
        let theirs = try Self.ffmpegFrame(path, index: 21)
        #expect(theirs.width == 48 && theirs.height == 64)
        if theirs.rgb.count == native.rgb.count { #expect(Self.psnr(native.rgb, theirs.rgb) >= 38) }
    }
}
