import Foundation
import Testing
import TerminalGraphics

/// Structure, read with our own small parser (SixelStructure): what any terminal relies on.
@Suite struct SixelStructureTests {
    static let sizes: [(Int, Int)] = [(1, 1), (37, 13), (6, 6), (5, 7), (64, 12), (3, 1), (1, 11), (80, 45)]

    @Test(arguments: sizes)
    func headerBandsAndColumns(_ w: Int, _ h: Int) throws {
        for image in [Pictures.gradient(w, h), Pictures.noisyGradient(w, h),
                      Pictures.checkerboard(w, h, RGB(255, 0, 0), RGB(0, 0, 255))] {
            let bytes = SixelEncoder().encode(image)
            let s = try SixelStructure(bytes)
            #expect(Array(bytes.prefix(8)) == Array("\u{1B}P0;1;0q".utf8))
            #expect(s.header == "0;1;0")
            #expect(s.rasterWidth == w && s.rasterHeight == h)
            #expect(s.terminated)
            #expect(s.bands.count == (h + 5) / 6)
            #expect(s.registers.count <= 256)
            for passes in s.bands {
                // Trailing blank columns are dropped, so passes may stop short,
                // but none runs past W and some pass reaches it.
                #expect(passes.allSatisfy { $0 <= w })
                #expect(passes.max() == w)
            }
            // Every pixel of the picture painted exactly once; nothing below it.
            #expect(s.overpainted == 0)
            #expect(s.painted.prefix(w * h).allSatisfy { $0 >= 0 })
            #expect(s.painted.dropFirst(w * h).allSatisfy { $0 < 0 })
        }
    }

    @Test func runLengthEncodingOfASolidPicture() throws {
        let bytes = SixelEncoder().encode(RGBImage(width: 200, height: 6, filledWith: RGB(10, 20, 30)))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text == "\u{1B}P0;1;0q\"1;1;200;6#0;2;4;8;12#0!200~\u{1B}\\")
    }

    @Test func partialLastBandAndBlankLeadIn() throws {
        // 5×2: left 4 columns black, last column white; height 2 → masks use bits 0–1 only.
        let img = RGBImage(width: 5, height: 2) { x, _ in x < 4 ? RGB(0, 0, 0) : RGB(255, 255, 255) }
        let text = String(decoding: SixelEncoder().encode(img), as: UTF8.self)
        // "B" = 63 + 0b11; white's pass skips four blank columns with "!4?".
        #expect(text == "\u{1B}P0;1;0q\"1;1;5;2#0;2;0;0;0#1;2;100;100;100#0!4B$#1!4?B\u{1B}\\")
    }

    @Test func fewerRegistersWhenAsked() throws {
        let s = try SixelStructure(SixelEncoder(maxColors: 16).encode(Pictures.noisyGradient(64, 30)))
        #expect(s.registers.count <= 16 && s.registers.count >= 12)
    }
}

/// Pixels, decoded by libsixel's sixel2png: what a terminal would show.
@Suite(.enabled(if: SixelDecoding.available, "needs sixel2png (apt-get install libsixel-bin)"))
struct SixelRoundTripTests {
    /// Registers are whole percents: 255/100 per step, so up to ±1.3 per channel, ±3 allowed.
    static func expectClose(_ a: RGBImage, _ b: RGBImage, tolerance: Int = 3,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        var worst = 0, at = (0, 0)
        for y in 0..<a.height {
            for x in 0..<a.width {
                let p = a[x, y], q = b[x, y]
                let d = max(abs(Int(p.r) - Int(q.r)), abs(Int(p.g) - Int(q.g)), abs(Int(p.b) - Int(q.b)))
                if d > worst { worst = d; at = (x, y) }
            }
        }
        #expect(worst <= tolerance,
                "pixel (\(at.0), \(at.1)): source \(a[at.0, at.1]), decoded \(b[at.0, at.1])",
                sourceLocation: sourceLocation)
    }

    @Test(arguments: [(1, 1), (37, 13), (12, 6), (13, 7), (2, 11)])
    func solidColours(_ w: Int, _ h: Int) throws {
        for c in [RGB(255, 0, 0), RGB(0, 255, 0), RGB(0, 0, 255), RGB(0, 0, 0), RGB(255, 255, 255), RGB(12, 200, 99)] {
            let img = RGBImage(width: w, height: h, filledWith: c)
            Self.expectClose(img, try SixelDecoding.decode(SixelEncoder().encode(img), width: w, height: h))
        }
    }

    @Test(arguments: [(37, 13), (8, 8), (31, 5)])
    func checkerboards(_ w: Int, _ h: Int) throws {
        for cell in [1, 3] {
            let img = Pictures.checkerboard(w, h, RGB(250, 128, 3), RGB(17, 34, 200), cell: cell)
            Self.expectClose(img, try SixelDecoding.decode(SixelEncoder().encode(img), width: w, height: h))
        }
    }

    /// 256 distinct colours: the exact-palette path, every register used.
    @Test func exactlyTwoHundredFiftySixColours() throws {
        let img = RGBImage(width: 37, height: 13) { x, y in
            let k = (y * 37 + x) % 256
            return RGB(UInt8(k), UInt8(255 - k), UInt8((k * 7) & 255))
        }
        let bytes = SixelEncoder().encode(img)
        #expect(try SixelStructure(bytes).registers.count == 256)
        Self.expectClose(img, try SixelDecoding.decode(bytes, width: 37, height: 13))
    }

    /// A horizontal 8-bit ramp of 256 columns × 19 rows: exact colours, odd band count.
    @Test func grayRamp() throws {
        let img = RGBImage(width: 256, height: 19) { x, _ in RGB(UInt8(x), UInt8(x), UInt8(x)) }
        Self.expectClose(img, try SixelDecoding.decode(SixelEncoder().encode(img), width: 256, height: 19))
    }

    @Test func naturalishPictureAbove30dB() throws {
        let img = Pictures.noisyGradient(160, 91)
        for dithering in [false, true] {
            let bytes = SixelEncoder(dithering: dithering).encode(img)
            let back = try SixelDecoding.decode(bytes, width: 160, height: 91)
            let db = psnr(img, back)
            print("sixel PSNR 160×91 noisy gradient, dithering \(dithering): \(String(format: "%.2f", db)) dB, \(bytes.count) bytes")
            #expect(db >= 30)
        }
    }

    /// A Mandelbrot frame from FFmpeg's lavfi source: smooth shading, thousands of colours.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg"), "needs the ffmpeg CLI"))
    func mandelbrotFrameAbove30dB() throws {
        let raw = try SixelDecoding.run("ffmpeg", ["-loglevel", "error", "-f", "lavfi", "-i",
            "mandelbrot=s=320x180,format=rgb24", "-ss", "1", "-frames:v", "1",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        let img = RGBImage(width: 320, height: 180, pixels: raw)
        let bytes = SixelEncoder().encode(img)
        let db = psnr(img, try SixelDecoding.decode(bytes, width: 320, height: 180))
        print("sixel PSNR 320×180 Mandelbrot: \(String(format: "%.2f", db)) dB, \(bytes.count) bytes")
        #expect(db >= 30)
    }
}
