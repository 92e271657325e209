/// Draws a picture as characters of rising ink density — the fallback for terminals with
/// neither sixel nor reliable colour (TERM=dumb, a log file, a screen reader's braille line).
public struct ASCIIRenderer: Sendable {
    /// From darkest to lightest (on a dark background, more ink reads as brighter).
    public static let defaultRamp = " .:-=+*#%@"

    /// A character cell is about twice as tall as it is wide, so one character stands for
    /// a 1×2 patch of a square-pixel picture.
    public static let cellAspect = (width: 1, height: 2)

    public let ramp: [UInt8]

    public init(ramp: String = ASCIIRenderer.defaultRamp) {
        precondition(!ramp.isEmpty && ramp.utf8.allSatisfy { $0 < 0x80 },
                     "the ASCII ramp must be non-empty ASCII; got \"\(ramp)\"")
        self.ramp = Array(ramp.utf8)
    }

    /// The picture fitted into `columns × rows` characters, aspect kept allowing for tall
    /// cells, then one character per cell.
    public func render(_ image: RGBImage, fittingColumns columns: Int, rows: Int) -> [UInt8] {
        let size = RGBImage.fittingSize(width: image.width, height: image.height, columns: columns, rows: rows,
                                        cellWidth: Self.cellAspect.width, cellHeight: Self.cellAspect.height)
        let cells = image.scaled(width: size.width, height: max(1, (size.height + 1) / 2))
        return render(cells)
    }

    /// One character per pixel (the caller has already scaled to cells); rows end `\r\n`.
    public func render(_ image: RGBImage) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((image.width + 2) * image.height)
        let top = Double(ramp.count - 1)
        image.pixels.withUnsafeBufferPointer { px in
            for y in 0..<image.height {
                for x in 0..<image.width {
                    let i = (y * image.width + x) * 3
                    let luma = RGB(px[i], px[i + 1], px[i + 2]).luma
                    out.append(ramp[Int((luma / 255 * top).rounded())])
                }
                out.append(ascii: "\r\n")
            }
        }
        return out
    }

    /// One character per pixel as in `render(_:)`, kept as cells with their top-left at
    /// `origin` (1-based), so that a next frame can be written as the cells that changed
    /// (`CellPicture.bytes(over:)`).
    public func cells(_ image: RGBImage, origin: (row: Int, column: Int)) -> CellPicture {
        var cells: [CellPicture.Cell] = []
        cells.reserveCapacity(image.width * image.height)
        let top = Double(ramp.count - 1)
        image.pixels.withUnsafeBufferPointer { px in
            for i in stride(from: 0, to: image.width * image.height * 3, by: 3) {
                let luma = RGB(px[i], px[i + 1], px[i + 2]).luma
                cells.append(.init(glyph: UInt32(ramp[Int((luma / 255 * top).rounded())])))
            }
        }
        return CellPicture(colors: .none, row: origin.row, column: origin.column, columns: image.width, rows: image.height, cells: cells)
    }

    /// The bytes as text, for tests.
    func renderString(_ image: RGBImage) -> String {
        String(decoding: render(image), as: UTF8.self)
    }
}
