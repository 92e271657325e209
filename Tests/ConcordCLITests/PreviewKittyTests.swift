import Foundation
import Testing

/// `concord preview --mode kitty` end to end: a clip made by the ffmpeg CLI, the picture
/// read back from standard output (`KittyStream`: base64, zlib) and compared with ffmpeg's
/// own frame at the same size. Kitty graphics carry 24-bit colour, so what is left is the
/// decoder's YUV→RGB and scaling, not a palette.
@Suite(.serialized) struct PreviewKittyTests {
    /// 320×240 testsrc2 (colour bars, gradients, moving text), H.264 4:2:0 with B-frames.
    static let clip: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("concord-kitty-\(UUID().uuidString).mp4").path
        _ = try? Tool.run("/usr/bin/ffmpeg", ["-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=1",
                                              "-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p", "-bf", "2", "-g", "10", path])
        return path
    }()

    static let id = "4410948"

    /// No terminal: 10×20 px cells, so 32 columns are 320 px and the 4:3 clip 240 px high
    /// (12 rows); 20 columns are 200×150 px, scaled by our decoder and by ffmpeg alike.
    @Test(arguments: [(32, 320, 240), (20, 200, 150)])
    func theFrameComesBackWithFfmpegsColours(columns: Int, width: Int, height: Int) throws {
        let dir = try scratchDirectory("kitty-preview")
        let result = try CLI.run(["preview", Self.clip, "--frame", "7", "--mode", "kitty", "--width", "\(columns)", "--info"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("\(width)×\(height) px kitty"), "\(result.stderr)")
        let decoded = try KittyStream.decode(Data(result.stdout.utf8), dir: dir)
        try #require(decoded.images.count == 1)
        let image = decoded.images[0]
        #expect(image.keys == ["a": "T", "f": "24", "s": "\(width)", "v": "\(height)", "i": Self.id, "q": "2", "o": "z", "m": "1"])
        #expect(image.chunkSizes.dropLast().allSatisfy { $0 == 4096 } && image.chunkSizes.last.map { $0 <= 4096 } == true)
        #expect(image.mFlags == Array(repeating: "1", count: image.mFlags.count - 1) + ["0"])
        #expect(result.stdout.hasSuffix("\u{1B}\\\n"), "the picture is followed by a newline, as sixel's")
        let expected = try KittyStream.ffmpegFrame(Self.clip, index: 7, width: width, height: height, dir: dir)
        let psnr = KittyStream.psnr(image.rgb, expected)
        print("[preview-kitty] \(width)×\(height) frame 7 vs ffmpeg: PSNR \(String(format: "%.1f", psnr)) dB")
        #expect(psnr >= 38, "PSNR \(psnr) dB")
        // Another frame is another picture: the comparison can tell frames apart.
        let other = try KittyStream.ffmpegFrame(Self.clip, index: 20, width: width, height: height, dir: dir)
        #expect(KittyStream.psnr(image.rgb, other) < 30)
    }

    /// --frames sends one image per frame, all with the one id, so each replaces the last.
    @Test func framesShareOneImageID() throws {
        let dir = try scratchDirectory("kitty-frames")
        let result = try CLI.run(["preview", Self.clip, "--frames", "3-5", "--mode", "kitty", "--width", "16"])
        #expect(result.status == 0, "\(result.stderr)")
        let decoded = try KittyStream.decode(Data(result.stdout.utf8), dir: dir)
        #expect(decoded.images.count == 3)
        #expect(decoded.images.map { $0.keys["i"] } == [Self.id, Self.id, Self.id])
        for (k, image) in decoded.images.enumerated() {
            let expected = try KittyStream.ffmpegFrame(Self.clip, index: 3 + k, width: image.width, height: image.height, dir: dir)
            #expect(KittyStream.psnr(image.rgb, expected) >= 38, "frame \(3 + k)")
        }
        // The preview leaves its picture on screen: no delete.
        #expect(!decoded.commands.contains { $0.keys["a"] == "d" })
    }

    /// On a terminal that answers nothing (script(1)'s pseudo-terminal), a forced kitty
    /// stands and `--info` says why, and what the terminal did not say.
    @Test func infoNamesKittyAndWhyOnATerminal() throws {
        let dir = try scratchDirectory("kitty-info")
        let tui = try RateKittyTests.Recorded("'\(CLI.binary.path)' preview '\(Self.clip)' --frame 0 --mode kitty --width 16 --info",
                                              out: dir + "/session.bin")
        tui.process.waitUntilExit()
        #expect(tui.process.terminationStatus == 0)
        let text = String(decoding: tui.stream, as: UTF8.self)
        #expect(text.contains("terminal: forced kitty · cell 10×20 px · no answer to the kitty graphics query"), "\(text.prefix(300))")
        #expect(text.contains("160×120 px kitty"))
        let decoded = try KittyStream.decode(tui.stream, dir: dir)
        #expect(decoded.images.map { "\($0.width)×\($0.height)" } == ["160×120"])
    }
}
