import Foundation
import Media
import Testing
@testable import Workbench

/// The workbench's clip pane lays out and draws a clip with a display matrix as it is
/// shown: portrait for a phone's quarter turn, upright. The clip is 64×48 with a white
/// top-left block, given a quarter turn clockwise (Debian 12's ffmpeg 5.1: tag 270 on a
/// stream copy; `FrameGeometryTests` check the sign against ffmpeg's autorotated frame).
@Suite struct TurnedClipPaneTests {
    static func ffmpeg(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        p.arguments = ["-nostdin", "-loglevel", "error", "-y"] + arguments
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "ffmpeg \(arguments) failed")
    }

    @Test func portraitPaneAndUprightPicture() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("concord-turned-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.ffmpeg(["-f", "lavfi", "-i", "color=c=0x336699:s=64x48:r=10:d=1,drawbox=x=0:y=0:w=16:h=12:color=white:t=fill",
                         "-c:v", "libx264", "-pix_fmt", "yuv444p", dir + "/plain.mp4"])
        try Self.ffmpeg(["-i", dir + "/plain.mp4", "-c", "copy", "-metadata:s:v:0", "rotate=270", dir + "/turned.mp4"])

        let painter = PreviewPainterTests.painter(.sixel)   // 6×13 px cells
        let plain = ClipPane(painter: painter), turned = ClipPane(painter: painter)
        plain.open(dir + "/plain.mp4")
        turned.open(dir + "/turned.mp4")
        #expect(turned.problem == nil && turned.source?.decoder.geometry.rotation == 90)
        // Width over height in cells: 4:3 is 2.89 cells across per cell down; 3:4 is 1.63.
        #expect(abs((plain.pictureAspect ?? 0) - 4.0 / 3 * 13 / 6) < 1e-9)
        #expect(abs((turned.pictureAspect ?? 0) - 3.0 / 4 * 13 / 6) < 1e-9)

        // The frame the pane draws for a 40×20-cell rectangle: 240×254 px (sixel keeps 6 px
        // at the bottom) holds a 3:4 picture 191×254, upright (the white block top right
        // after a quarter turn).
        let box = painter.pixelBox(width: 40, height: 20)
        let frame = try #require(try turned.source?.frame(at: 3, scale: box))
        #expect(frame.width == 191 && frame.height == 254, "\(frame.width)×\(frame.height) in \(box)")
        func white(_ x: Int, _ y: Int) -> Bool {
            let (r, g, b) = frame.pixel(x: x, y: y)
            return r > 240 && g > 240 && b > 240
        }
        #expect(white(frame.width - 5, 5) && !white(4, 4) && !white(4, frame.height - 5) && !white(frame.width - 5, frame.height - 5))
    }
}
