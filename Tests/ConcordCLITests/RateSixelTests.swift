import Foundation
import Testing

/// The workbench's sixel pictures, decoded back: `concord rate --preview sixel` runs on a
/// pseudo-terminal under script(1), which records every byte it writes; the first sixel
/// image in that stream is decoded with sixel2png (libsixel) and compared with the clip's
/// frame 0 scaled to the same size by the ffmpeg CLI.
@Suite struct RateSixelTests {
    @Test func theFirstFrameIsDrawnInSixelInsideTheScreen() throws {
        let project = try RateTmuxTests.project()
        let dir = try scratchDirectory("sixel")
        let out = dir + "/session.bin"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-q", "-e", "-c", "'\(CLI.binary.path)' rate --project '\(project.db)' --preview sixel", "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "120"
        environment["LINES"] = "40"
        environment["TERM"] = "xterm-256color"
        process.environment = environment
        let keys = Pipe()
        process.standardInput = keys
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the picture (a sixel image ends with ST), then quit.
        let deadline = Date().addingTimeInterval(30)
        var stream = Data()
        while Date() < deadline {
            stream = (try? Data(contentsOf: URL(fileURLWithPath: out))) ?? Data()
            if let start = stream.range(of: Data("\u{1B}Pq".utf8)) ?? stream.range(of: Data("\u{1B}P0;1;0q".utf8)),
               stream.range(of: Data("\u{1B}\\".utf8), in: start.upperBound..<stream.endIndex) != nil { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        // Answer "yes": three criteria appear and the rubric pane grows under the picture's
        // rows. ncurses must not shift lines with the terminal's scrolling region (it would
        // shift the picture with them); then quit.
        let answeredAt = stream.count
        keys.fileHandleForWriting.write(Data("1".utf8))
        while Date() < deadline, !((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").contains("How severe is the cut-in?") {
            Thread.sleep(forTimeInterval: 0.05)
        }
        keys.fileHandleForWriting.write(Data("q".utf8))
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        stream = try Data(contentsOf: URL(fileURLWithPath: out))
        let text = String(decoding: stream, as: UTF8.self)
        let afterAnswer = String(decoding: stream[answeredAt...], as: UTF8.self)
        #expect(afterAnswer.contains("How severe is the cut-in?"))
        let scrolling = afterAnswer.ranges(of: /\x1B\[[0-9]*[ST]|\x1B\[[0-9]+;[0-9]+r|\x1B\[[0-9]*[LM]/)
            .map { String(afterAnswer[$0]).debugDescription }
        #expect(scrolling.allSatisfy { $0.contains("[1;40r") }, "ncurses scrolled lines: \(scrolling)")
        #expect(text.contains("item 1 of 3"))
        #expect(text.contains("\u{1B}[?1049l"), "the alternate screen was not left")

        // The sixel image, and the cursor move that places it in the preview pane.
        let begin = try #require(stream.range(of: Data("\u{1B}P".utf8)))
        let end = try #require(stream.range(of: Data("\u{1B}\\".utf8), in: begin.upperBound..<stream.endIndex))
        let before = String(decoding: stream[max(stream.startIndex, begin.lowerBound - 12)..<begin.lowerBound], as: UTF8.self)
        #expect(before.hasSuffix("\u{1B}[2;1H") || before.contains("\u{1B}[2;"), "the picture is not placed at row 2: \(before.debugDescription)")
        let sixel = dir + "/frame.six"
        try writeFile(sixel, Data(stream[begin.lowerBound..<end.upperBound]))
        try Tool.run("/usr/bin/sixel2png", ["-i", sixel, "-o", dir + "/frame.png"])
        let decoded = try rgb(png: dir + "/frame.png")
        #expect(decoded.width <= 710 && decoded.width >= 700)   // 71 columns × 10 px, aspect kept
        #expect(abs(Double(decoded.width) / Double(decoded.height) - 4.0 / 3.0) < 0.02)
        let clip = try project.sql("SELECT path FROM clip WHERE name = 'a.mp4';").trimmingCharacters(in: .whitespacesAndNewlines)
        try Tool.ffmpeg(["-i", clip, "-frames:v", "1", "-vf", "scale=\(decoded.width):\(decoded.height):flags=bilinear",
                         dir + "/expected.png"])
        let expected = try rgb(png: dir + "/expected.png")
        let psnr = Self.psnr(decoded.pixels, expected.pixels)
        print("[rate-sixel] \(decoded.width)×\(decoded.height) sixel from the workbench vs ffmpeg: PSNR \(String(format: "%.1f", psnr)) dB")
        #expect(psnr >= 30, "PSNR \(psnr) dB")
    }

    func rgb(png: String) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        let probe = try Tool.run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", png])
        let size = probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
        try #require(size.count == 2, "ffprobe \(png): \(probe.stdout) \(probe.stderr)")
        let raw = png + ".rgb"
        try Tool.ffmpeg(["-i", png, "-f", "rawvideo", "-pix_fmt", "rgb24", raw])
        return (size[0], size[1], Array(try Data(contentsOf: URL(fileURLWithPath: raw))))
    }

    static func psnr(_ a: [UInt8], _ b: [UInt8]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        var sum = 0.0
        for i in 0..<a.count { let d = Double(a[i]) - Double(b[i]); sum += d * d }
        let mse = sum / Double(a.count)
        return mse == 0 ? 99 : 10 * log10(255 * 255 / mse)
    }
}
