import Foundation
import Media
import TerminalGraphics
import Testing
@testable import Workbench

/// A frame decoded smaller for a slow link (`PlaybackScale`) takes the full picture's place:
/// kitty sends the smaller image into the full picture's cells (the terminal scales it up);
/// sixel draws it centred in those cells and blanks the cells around it. Cells of 6×13 px;
/// the full picture is 120×90 px in a 40-column pane at row 1, column 10: 20×7 cells
/// (91 px tall) from column 20; the reduced frame is 60×45 px.
@Suite struct ReducedPicturePainterTests {
    static func painter(_ graphics: TerminalCapabilities.Graphics) -> PreviewPainter {
        PreviewPainter(capabilities: TerminalCapabilities(graphics: graphics, colorMode: .trueColor, cellWidth: 6, cellHeight: 13,
                                                          sixelMaxWidth: 1000, sixelMaxHeight: 1000, reason: ""))
    }

    static func frame(width: Int, height: Int) -> DecodedFrame {
        var rgb: [UInt8] = []
        for y in 0..<height { for x in 0..<width { rgb += [UInt8(x * 255 / max(1, width - 1)), UInt8(y * 255 / max(1, height - 1)), 90] } }
        return DecodedFrame(index: 0, pts: 0, width: width, height: height, rgb: rgb, decodedFrames: 1)
    }

    static func bytes(_ painted: PaintedFrame) -> [UInt8] { painted.bytes(over: nil) }

    @Test func kittySendsTheSmallerImageIntoTheSameCells() {
        let painter = Self.painter(.kitty)
        let id = KittyEncoder.defaultImageID
        let full = String(decoding: Self.bytes(painter.picture(Self.frame(width: 120, height: 90), row: 1, column: 10, width: 40)), as: UTF8.self)
        #expect(full.hasPrefix("\u{1B}[2;21H\u{1B}_Ga=T,f=24,s=120,v=91,i=\(id),q=2,o=z,c=20,r=7,C=1"), "\(full.prefix(80).debugDescription)")
        // Half each way: padded in proportion (120 × 60/120 = 60, 91 × 45/90 = 45.5 → 46),
        // placed at the same cell in the same 20×7 cells.
        let reduced = String(decoding: Self.bytes(painter.picture(Self.frame(width: 60, height: 45), row: 1, column: 10, width: 40,
                                                                  shownAs: (120, 90))), as: UTF8.self)
        #expect(reduced.hasPrefix("\u{1B}[2;21H\u{1B}_Ga=T,f=24,s=60,v=46,i=\(id),q=2,o=z,c=20,r=7,C=1"), "\(reduced.prefix(80).debugDescription)")
    }

    @Test func sixelDrawsTheSmallerPictureCentredAndBlanksTheCellsAroundIt() throws {
        let painter = Self.painter(.sixel)
        let bytes = Self.bytes(painter.picture(Self.frame(width: 60, height: 45), row: 1, column: 10, width: 40, shownAs: (120, 90)))
        let screen = try TerminalCells(bytes)
        // 60×45 px is 10×4 cells, centred in the full picture's 20×7: rows 2–5, columns 25–34.
        #expect(screen.sixels.map(\.row) == [2] && screen.sixels.map(\.column) == [25])
        // Every other cell of the full picture's rectangle (rows 1–7, columns 20–39) is
        // written blank, and nothing outside it or under the picture.
        var ring = Set<TerminalCells.Cell>()
        for row in 1..<8 { for column in 20..<40 where !((2..<6).contains(row) && (25..<35).contains(column)) { ring.insert(.init(row: row, column: column)) } }
        #expect(screen.blanked == ring)
        // The sixel, decoded by libsixel: padded to whole cells (60×52 px), the frame at its
        // top left, black below it.
        let sixel = try #require(screen.sixels.first).bytes
        let decoded = try SixelPNG.decode(sixel)
        #expect(decoded.width == 60 && decoded.height >= 52)
        let pixel = { (x: Int, y: Int) in Array(decoded.rgb[(y * decoded.width + x) * 3..<(y * decoded.width + x) * 3 + 3]) }
        #expect(pixel(0, 50) == [0, 0, 0] && pixel(59, 46) == [0, 0, 0])
        #expect(pixel(59, 44)[0] > 200 && pixel(0, 44)[1] > 200)
    }

    @Test func aFullSizeSixelBlanksNothing() throws {
        let screen = try TerminalCells(Self.bytes(Self.painter(.sixel).picture(Self.frame(width: 120, height: 90), row: 1, column: 10, width: 40)))
        #expect(screen.blanked.isEmpty)
        #expect(screen.sixels.map(\.row) == [1] && screen.sixels.map(\.column) == [20])
    }
}

/// The cells a picture's bytes address: cursor moves (`CSI r;c H`), spaces written there,
/// and where each sixel image (`ESC P … ESC \`) begins. 0-based rows and columns.
struct TerminalCells {
    struct Cell: Hashable { var row: Int; var column: Int }
    var blanked = Set<Cell>()
    var sixels: [(row: Int, column: Int, bytes: [UInt8])] = []

    struct Unexpected: Error { var at: Int }

    init(_ bytes: [UInt8]) throws {
        var row = 0, column = 0, i = 0
        while i < bytes.count {
            if bytes[i] == 0x20 {
                blanked.insert(Cell(row: row, column: column)); column += 1; i += 1
            } else if bytes[i] == 0x1B, i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "[") {
                var j = i + 2
                while j < bytes.count, !(0x40...0x7E).contains(bytes[j]) { j += 1 }
                guard j < bytes.count else { throw Unexpected(at: i) }
                let parameters = String(decoding: bytes[(i + 2)..<j], as: UTF8.self).split(separator: ";").compactMap { Int($0) }
                if bytes[j] == UInt8(ascii: "H") { row = (parameters.first ?? 1) - 1; column = (parameters.dropFirst().first ?? 1) - 1 }
                else if bytes[j] != UInt8(ascii: "m") { throw Unexpected(at: i) }
                i = j + 1
            } else if bytes[i] == 0x1B, i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "P") {
                var j = i + 2
                while j + 1 < bytes.count, !(bytes[j] == 0x1B && bytes[j + 1] == UInt8(ascii: "\\")) { j += 1 }
                guard j + 1 < bytes.count else { throw Unexpected(at: i) }
                sixels.append((row, column, Array(bytes[i...(j + 1)])))
                i = j + 2
            } else {
                throw Unexpected(at: i)
            }
        }
    }
}

/// A sixel image decoded by libsixel's `sixel2png` and read back with Python's standard
/// library (zlib): independent of the encoder under test.
enum SixelPNG {
    static func decode(_ sixel: [UInt8]) throws -> (width: Int, height: Int, rgb: [UInt8]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reduced-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let six = dir.appendingPathComponent("in.six").path, png = dir.appendingPathComponent("out.png").path
        let rgb = dir.appendingPathComponent("out.rgb").path
        try Data(sixel).write(to: URL(fileURLWithPath: six))
        try run("/usr/bin/sixel2png", ["-i", six, "-o", png])
        try run("/usr/bin/ffmpeg", ["-loglevel", "error", "-y", "-i", png, "-f", "rawvideo", "-pix_fmt", "rgb24", rgb])
        let probe = try run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", png])
        let size = probe.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
        guard size.count == 2 else { throw SixelDecodeFailure(message: probe) }
        return (size[0], size[1], Array(try Data(contentsOf: URL(fileURLWithPath: rgb))))
    }

    struct SixelDecodeFailure: Error { var message: String }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process(), out = Pipe()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SixelDecodeFailure(message: "\(tool) exited \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }
}
