/// An 8-bit RGB picture, row-major, three bytes per pixel and no padding.
///
/// This is the one input type of every renderer: `Media` hands frames over in this shape
/// (libswscale's `AV_PIX_FMT_RGB24`), so nothing here needs to know about strides or alpha.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height * 3` bytes: R, G, B for pixel (0,0), then (1,0), …
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "RGBImage needs a positive size; got \(width)×\(height)")
        precondition(pixels.count == width * height * 3,
                     "RGBImage \(width)×\(height) needs \(width * height * 3) bytes; got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A picture of one colour, handy for tests and placeholders.
    public init(width: Int, height: Int, filledWith color: RGB) {
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        for i in stride(from: 0, to: bytes.count, by: 3) {
            bytes[i] = color.r; bytes[i + 1] = color.g; bytes[i + 2] = color.b
        }
        self.init(width: width, height: height, pixels: bytes)
    }

    /// Builds a picture from a function of the pixel position.
    public init(width: Int, height: Int, _ color: (_ x: Int, _ y: Int) -> RGB) {
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        var i = 0
        for y in 0..<height {
            for x in 0..<width {
                let c = color(x, y)
                bytes[i] = c.r; bytes[i + 1] = c.g; bytes[i + 2] = c.b
                i += 3
            }
        }
        self.init(width: width, height: height, pixels: bytes)
    }

    public subscript(x: Int, y: Int) -> RGB {
        let i = (y * width + x) * 3
        return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
    }
}

/// One 24-bit colour.
public struct RGB: Sendable, Hashable, CustomStringConvertible {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r; self.g = g; self.b = b
    }

    /// Rec. 709 luma in 0...255 (the weights of HDTV video, which is what raters look at).
    public var luma: Double {
        0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)
    }

    public var description: String { "RGB(\(r), \(g), \(b))" }
}
