import Foundation
import Testing

/// `concord preview` as a user runs it, on a clip whose every frame has its own colour
/// (frame N is RGB (8N, 255 − 8N, 128), encoded losslessly with B-frames), so the colour
/// drawn proves which frame was decoded.
/// x264 makes every frame of it a keyframe (each is a scene cut), which the MP4 writer says
/// by leaving out the sync-sample table, so its index is scanned (`FrameIndex`: a table
/// without one cannot be told from a damaged one).
@Suite(.serialized) struct PreviewCommandTests {
    static let clip: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("concord-preview-\(UUID().uuidString).mp4").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        p.arguments = ["-loglevel", "error", "-y", "-f", "lavfi", "-i", "nullsrc=s=32x24:r=10:d=3,format=rgb24,geq=r='N*8':g='255-N*8':b=128",
                       "-c:v", "libx264", "-qp", "0", "-pix_fmt", "yuv444p", "-bf", "3", "-g", "12", path]
        try? p.run()
        p.waitUntilExit()
        return path
    }()

    /// The truecolor foreground colours of half-block output, in order.
    static func colours(_ output: String) -> [[Int]] {
        output.components(separatedBy: "\u{1b}[38;2;").dropFirst().map { part in
            part.prefix { $0 != "m" }.split(separator: ";").compactMap { Int($0) }
        }
    }

    static func expectFrame(_ output: String, _ n: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let colours = Self.colours(output)
        #expect(!colours.isEmpty, "no colour in output: \(output.debugDescription)", sourceLocation: sourceLocation)
        for c in colours {
            #expect(c.count == 3 && abs(c[0] - 8 * n) <= 3 && abs(c[1] - (255 - 8 * n)) <= 3 && abs(c[2] - 128) <= 3,
                    "frame \(n): drew \(c)", sourceLocation: sourceLocation)
        }
    }

    @Test func frameExactAtRandomIndices() throws {
        var indices = Array(0..<30)
        var generator = SystemRandomNumberGenerator()
        indices.shuffle(using: &generator)
        for n in indices.prefix(12) {
            let result = try CLI.run(["preview", Self.clip, "--frame", "\(n)", "--mode", "blocks", "--width", "4", "--height", "1"],
                                     environment: ["COLORTERM": "truecolor", "NO_COLOR": ""])
            #expect(result.status == 0, "\(result.stderr)")
            Self.expectFrame(result.stdout, n)
        }
    }

    @Test func atIsTheLastFrameWhoseTimeIsNotLater() throws {
        for (t, n) in [(0.0, 0), (0.05, 0), (0.1, 1), (1.2999, 12), (1.3, 13), (2.95, 29), (9.0, 29)] {
            let result = try CLI.run(["preview", Self.clip, "--at", "\(t)", "--mode", "blocks", "--width", "2", "--height", "1", "--info"],
                                     environment: ["COLORTERM": "truecolor", "NO_COLOR": ""])
            #expect(result.status == 0, "\(result.stderr)")
            Self.expectFrame(result.stdout, n)
            #expect(result.stderr.hasPrefix("clip: h264 · 30 frames · coded 32×24 · not turned · square pixels · shown 32×24\nindex: scanned every packet (no container index)\nframe \(n) pts "),
                    "\(result.stderr)")
        }
    }

    @Test func framesRangeIsSequential() throws {
        let result = try CLI.run(["preview", Self.clip, "--frames", "5-9", "--mode", "blocks", "--width", "1", "--height", "1", "--info"],
                                 environment: ["COLORTERM": "truecolor", "NO_COLOR": ""])
        #expect(result.status == 0)
        let lines = result.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 5)
        for (i, line) in lines.enumerated() { Self.expectFrame(line, 5 + i) }
        #expect(result.stderr.split(separator: "\n").map { String($0.prefix(8)) } == ["clip: h2", "index: s", "frame 5 ", "frame 6 ", "frame 7 ", "frame 8 ", "frame 9 "])
    }

    @Test func sixelDecodesBackToTheFrame() throws {
        let result = try CLI.run(["preview", Self.clip, "--frame", "20", "--mode", "sixel", "--width", "8"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("\u{1b}P0;1;0q\"1;1;80;60"), "\(result.stdout.prefix(40).debugDescription)")
        let six = try CLI.temporaryFile(result.stdout, name: "frame.six")
        let png = six + ".png"
        let decode = Process()
        decode.executableURL = URL(fileURLWithPath: "/usr/bin/sixel2png")
        decode.arguments = ["-i", six, "-o", png]
        try decode.run()
        decode.waitUntilExit()
        #expect(decode.terminationStatus == 0)
        // Read the PNG's size from its IHDR (80 × 60: 8 columns of 10-pixel cells, 4:3).
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = data[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 80 && height == 60)
    }

    @Test func asciiFitsTheWidth() throws {
        let result = try CLI.run(["preview", Self.clip, "--frame", "0", "--mode", "ascii", "--width", "16"])
        // Rows end with CRLF (one Character in Swift, so split on it whole).
        let lines = result.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 6, "\(result.stdout.debugDescription)")   // 16 columns of a 4:3 clip, cells 1:2
        #expect(lines.allSatisfy { $0.count == 16 })
    }

    @Test func badInput() throws {
        let outside = try CLI.run(["preview", Self.clip, "--frame", "30", "--mode", "ascii"])
        #expect(outside.status == 2)
        #expect(outside.stderr == "concord: \(Self.clip): frame 30 is outside the clip, which has frames 0–29\n")
        let missing = try CLI.run(["preview", "/nonexistent/clip.mp4"])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("concord: /nonexistent/clip.mp4: "))
        let range = try CLI.run(["preview", Self.clip, "--frames", "9-3"])
        #expect(range.status == 2)
        #expect(range.stderr.contains("--frames takes A-B with 0 ≤ A ≤ B, e.g. 10-40; got '9-3'"))
        let both = try CLI.run(["preview", Self.clip, "--frame", "1", "--at", "1"])
        #expect(both.status == 2)
        let text = try CLI.temporaryFile("not a video\n", name: "notes.mp4")
        let notVideo = try CLI.run(["preview", text, "--mode", "ascii"])
        #expect(notVideo.status == 2)
        #expect(notVideo.stdout.isEmpty)
    }
}
