import Foundation
import Testing

/// `concord preview` draws a clip with a display matrix upright, as ffmpeg and players show
/// it, and `--info` says how it was turned. The clip is 64×48 blue-grey with a white
/// top-left 16×12 block; Debian 12's ffmpeg 5.1 sets the matrix with the `rotate` tag on a
/// stream copy, where tag 270 is a quarter turn clockwise and tag 90 three (the Media tests
/// check the sign against ffmpeg's autorotated frame).
@Suite struct PreviewGeometryTests {
    static func clip(tag: Int?, in dir: String) throws -> String {
        let plain = dir + "/plain.mp4"
        try Tool.ffmpeg(["-f", "lavfi", "-i", "color=c=0x336699:s=64x48:r=10:d=1,drawbox=x=0:y=0:w=16:h=12:color=white:t=fill",
                         "-c:v", "libx264", "-pix_fmt", "yuv420p", plain])
        guard let tag else { return plain }
        let turned = dir + "/turned\(tag).mp4"
        try Tool.ffmpeg(["-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=\(tag)", turned])
        return turned
    }

    /// ASCII rows of `preview --mode ascii --width 12`, and its standard error.
    static func ascii(_ clip: String) throws -> (rows: [String], info: String) {
        let result = try CLI.run(["preview", clip, "--mode", "ascii", "--width", "12", "--info"])
        #expect(result.status == 0, "\(result.stderr)")
        return (result.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }, result.stderr)
    }

    /// Where the brightest characters ('@', the white block) are: (top, left) halves.
    static func whiteBlock(_ rows: [String]) -> [(top: Bool, left: Bool)] {
        rows.enumerated().flatMap { y, row in
            row.enumerated().filter { $0.element == "@" }.map { x, _ in (y < rows.count / 2, x < row.count / 2) }
        }
    }

    @Test(arguments: [(270, 90, false), (90, 270, true)])
    func turnedClipIsDrawnUpright(tag: Int, clockwise: Int, markerOnLeft: Bool) throws {
        let dir = try scratchDirectory("preview-turned")
        let landscape = try Self.ascii(try Self.clip(tag: nil, in: dir))
        let portrait = try Self.ascii(try Self.clip(tag: tag, in: dir))
        // 12 columns of 1:2 cells: the 4:3 picture is 5 rows, the 3:4 one 8.
        #expect(landscape.rows.count == 5 && landscape.rows.allSatisfy { $0.count == 12 }, "\(landscape.rows)")
        #expect(portrait.rows.count == 8 && portrait.rows.allSatisfy { $0.count == 12 }, "\(portrait.rows)")
        #expect(landscape.info.hasPrefix("clip: h264 · 10 frames · coded 64×48 · not turned · square pixels · shown 64×48\n"),
                "\(landscape.info)")
        #expect(portrait.info.hasPrefix("clip: h264 · 10 frames · coded 64×48 · turned \(clockwise)° clockwise · square pixels · shown 48×64\n"),
                "\(portrait.info)")
        #expect(portrait.info.contains("· 12×16 px ascii ·"), "\(portrait.info)")
        // The white block: top left as coded; after a quarter turn clockwise, top right;
        // after three, bottom left.
        let plainBlock = Self.whiteBlock(landscape.rows)
        #expect(!plainBlock.isEmpty && plainBlock.allSatisfy { $0.top && $0.left }, "\(landscape.rows)")
        let turnedBlock = Self.whiteBlock(portrait.rows)
        #expect(!turnedBlock.isEmpty && turnedBlock.allSatisfy { $0.top == !markerOnLeft && $0.left == markerOnLeft },
                "\(portrait.rows)")
    }
}
