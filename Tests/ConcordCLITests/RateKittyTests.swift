import Foundation
import Testing

/// The workbench's kitty pictures, read back from the bytes: tmux does not draw kitty
/// graphics, so `concord rate --preview kitty` runs on a pseudo-terminal under script(1),
/// which records every byte written, and `KittyStream` decodes them. Nobody answers the
/// probe there, so the forced mode stands with 10×20 px cells.
@Suite(.serialized) struct RateKittyTests {
    static let id = "4410948"

    /// A workbench on script(1): keys go in through `send`, the record grows in `out`.
    final class Recorded {
        let process = Process()
        let keys = Pipe()
        let out: String

        init(_ command: String, out: String) throws {
            self.out = out
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
            var environment = ProcessInfo.processInfo.environment
            environment["COLUMNS"] = "120"
            environment["LINES"] = "40"
            environment["TERM"] = "xterm-256color"
            environment.removeValue(forKey: "TMUX")
            process.environment = environment
            process.standardInput = keys
            _ = FileManager.default.createFile(atPath: out, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        var stream: Data { (try? Data(contentsOf: URL(fileURLWithPath: out))) ?? Data() }

        func send(_ key: String) { keys.fileHandleForWriting.write(Data(key.utf8)) }

        /// Waits (at most 30 s) until the record after `offset` satisfies `done`.
        @discardableResult
        func wait(after offset: Int = 0, _ what: String, _ done: (Data) -> Bool) throws -> Data {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                let data = stream
                if data.count >= offset, done(data[offset...]) { return data }
                Thread.sleep(forTimeInterval: 0.05)
            }
            Issue.record("timed out waiting for \(what)")
            throw CancellationError()
        }
    }

    /// A kitty image is complete in `data` once a chunk with m=0 or an unchunked a=T ends.
    static func hasImage(_ data: Data) -> Bool {
        guard let start = data.range(of: Data("\u{1B}_Ga=T".utf8)) else { return false }
        let rest = data[start.upperBound...]
        guard let headEnd = rest.range(of: Data("\u{1B}\\".utf8)) else { return false }
        if !data[start.upperBound..<headEnd.lowerBound].prefix(200).contains(Data(",m=1".utf8)) { return true }
        return rest.range(of: Data("\u{1B}_Gm=0;".utf8)).flatMap { rest.range(of: Data("\u{1B}\\".utf8), in: $0.upperBound..<rest.endIndex) } != nil
    }

    static func hasDelete(_ data: Data) -> Bool { data.range(of: Data("\u{1B}_Ga=d,d=I,i=\(id),q=2\u{1B}\\".utf8)) != nil }

    @Test func thePictureIsPlacedInItsCellsReplacedByIdAndDeleted() throws {
        let project = try RateTmuxTests.project()
        let dir = try scratchDirectory("kitty-rate")
        let tui = try Recorded("'\(CLI.binary.path)' rate --project '\(project.db)' --preview kitty", out: dir + "/session.bin")
        try tui.wait("the first picture", Self.hasImage)
        // The help page has no picture pane: the image is deleted, and sent again after it.
        let beforeHelp = tui.stream.count
        tui.send("?")
        try tui.wait(after: beforeHelp, "the help page and the delete") {
            String(decoding: $0, as: UTF8.self).contains("play / pause") && Self.hasDelete($0)
        }
        let afterHelp = tui.stream.count
        tui.send("x")
        try tui.wait(after: afterHelp, "the picture again", Self.hasImage)
        tui.send("q")
        tui.process.waitUntilExit()
        #expect(tui.process.terminationStatus == 0)
        let stream = tui.stream
        let text = String(decoding: stream, as: UTF8.self)
        #expect(text.contains("\u{1B}[?1049l"), "the alternate screen was not left")

        let decoded = try KittyStream.decode(stream, dir: dir)
        try #require(decoded.images.count >= 2)
        for image in decoded.images {
            // One id for every frame: each replaces the last, none piles up.
            #expect(image.keys["i"] == Self.id && image.keys["q"] == "2" && image.keys["C"] == "1" && image.keys["a"] == "T")
            // Placed in whole cells that hold it exactly: 10×20 px each, the picture padded to them.
            let columns = try #require(image.keys["c"].flatMap(Int.init)), rows = try #require(image.keys["r"].flatMap(Int.init))
            #expect(image.width == columns * 10 && image.height == rows * 20, "\(image.keys)")
            #expect(image.chunkSizes.allSatisfy { $0 <= 4096 })
        }
        // The cursor is put at the pane's top-left cell (row 2, under the status line) first.
        let first = decoded.images[0]
        let before = String(decoding: stream[max(0, first.offset - 12)..<first.offset], as: UTF8.self)
        #expect(before.range(of: #"\x1B\[2;[0-9]+H$"#, options: .regularExpression) != nil, "\(before.debugDescription)")

        // The delete after the help key comes before the image that follows it, and the
        // last graphics command of the session is a delete, before the terminal is given back.
        let deletes = decoded.commands.filter { $0.keys["a"] == "d" }
        #expect(deletes.allSatisfy { $0.keys == ["a": "d", "d": "I", "i": Self.id, "q": "2"] })
        #expect(deletes.contains { $0.offset >= beforeHelp && $0.offset < afterHelp })
        let last = try #require(decoded.commands.last)
        #expect(last.keys["a"] == "d" && last.offset > decoded.images.last!.offset)
        #expect(last.offset < (stream.range(of: Data("\u{1B}[?1049l".utf8))?.lowerBound ?? 0))

        // The frame: a 4:3 clip fills the cells' width or height; the padding is black and
        // the picture is frame 0 as ffmpeg scales it (bilinear up, as concord's decoder).
        let (w, h) = try #require(Self.frameSize(first, aspect: 4.0 / 3.0))
        let frame = KittyStream.crop(first.rgb, stride: first.width, width: w, height: h)
        var padding = 0
        for y in 0..<first.height {
            for x in 0..<first.width where x >= w || y >= h {
                let i = (y * first.width + x) * 3
                padding += Int(first.rgb[i]) + Int(first.rgb[i + 1]) + Int(first.rgb[i + 2])
            }
        }
        #expect(padding == 0, "the padding is not black")
        let clip = try project.sql("SELECT path FROM clip WHERE name = 'a.mp4';").trimmingCharacters(in: .whitespacesAndNewlines)
        let expected = try KittyStream.ffmpegFrame(clip, index: 0, width: w, height: h, dir: dir, flags: "bilinear")
        let psnr = KittyStream.psnr(frame, expected)
        print("[rate-kitty] \(w)×\(h) in \(first.keys["c"] ?? "?")×\(first.keys["r"] ?? "?") cells vs ffmpeg: PSNR \(String(format: "%.1f", psnr)) dB")
        #expect(psnr >= 38, "PSNR \(psnr) dB")
    }

    /// The picture's own size inside its padded image: the cells' full width with the
    /// height the aspect gives, or the full height with the width it gives.
    static func frameSize(_ image: KittyStream.Image, aspect: Double) -> (Int, Int)? {
        let byWidth = (image.width, Int((Double(image.width) / aspect).rounded()))
        if byWidth.1 <= image.height && byWidth.1 > image.height - 20 { return byWidth }
        let byHeight = (Int((Double(image.height) * aspect).rounded()), image.height)
        if byHeight.0 <= image.width && byHeight.0 > image.width - 10 { return byHeight }
        return nil
    }
}
