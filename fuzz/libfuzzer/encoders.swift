// libFuzzer harness: the sixel and half-block encoders. Built by fuzz/libfuzzer/build.sh
// together with Sources/TerminalGraphics/*.swift (hence no import). The first bytes choose
// the picture: width and height (1–256, or 701–956 when the second byte is 0xFF, and
// 1–128; so 1×1, odd sizes and partial sixel bands come up often),
// palette size, dithering, colour mode; the rest are pixels, repeated to fill the picture.
// The output must be a complete sixel string with the picture's raster size, and the
// half-block output must hold one row per two pixel rows.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEncoders(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 6 else { return 0 }
    let b = UnsafeBufferPointer(start: data, count: size)
    let width = 1 + Int(b[0]) + (b[1] == 0xFF ? 700 : 0)
    let height = 1 + Int(b[2] & 0x7F)
    let maxColors = 1 + Int(b[3])
    let dithering = b[4] & 1 != 0
    let mode = HalfBlockRenderer.ColorMode.allCases[Int(b[4] >> 1) % 3]
    let body = Array(b[5...])
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for i in 0..<pixels.count { pixels[i] = body[i % body.count] }
    let image = RGBImage(width: width, height: height, pixels: pixels)
    let sixel = SixelEncoder(maxColors: maxColors, dithering: dithering).encode(image)
    let header = Array("\u{1B}P0;1;0q\"1;1;\(width);\(height)".utf8)
    precondition(sixel.starts(with: header) && sixel.suffix(2).elementsEqual([0x1B, 0x5C]))
    // Bands: one `-` between each pair of 6-row bands.
    precondition(sixel.filter { $0 == UInt8(ascii: "-") }.count == (height + 5) / 6 - 1)
    let text = HalfBlockRenderer(mode: mode).render(image)
    precondition(text.filter { $0 == 0x0A }.count == (height + 1) / 2)
    return 0
}
