import Foundation
import Testing

/// While a clip plays over a link too slow for its pictures, `concord rate` draws them
/// smaller (`PlaybackScale`) and full size again once paused. Its terminal is a pty read
/// at 300 kB/s (scripts/slowlink.py: space to play, 3 s, space to pause, 2.5 s, q), every
/// byte recorded; the 355×200 px picture of a noisy clip (5×6 px cells) is far more than
/// the link carries in 80 ms (24 kB), so playing pictures come out smaller (the smallest
/// step, half each way, unless the reader's bursts made the link look faster). The pictures are read back from the bytes: kitty's placement decoded
/// (`KittyStream`), sixel decoded by libsixel with the cells blanked around it. (tmux 3.3
/// draws no sixel, so the blanked cells are read from the bytes, not a capture.)
@Suite(.serialized) struct RateSlowLinkScaleTests {
    struct Session {
        var stream: Data
        /// `frame` lines of the trace: index, write start (µs), picture width and height.
        var frames: [(frame: Int, start: Int, width: Int, height: Int)]
        var playAt: Double
        var pauseAt: Double
    }

    static func play(_ mode: String, dir: String) throws -> Session {
        let project = try Project.create("slowlink-\(mode)")
        try project.ok(["rubric", "add", Standard.rubric])
        let clip = project.dir + "/noise.mp4"
        try Tool.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25,noise=alls=40:allf=t", "-t", "8",
                         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip])
        try project.ok(["clip", "add", clip, "--batch", "b1", "--rubric", "av-cut-in"])
        try project.ok(["assign", "--batch", "b1", "--raters", testLogin])
        let trace = dir + "/trace.tsv", dump = dir + "/stream.bin"
        let result = try Tool.run("/usr/bin/python3", [CLI.packageRoot.appendingPathComponent("scripts/slowlink.py").path,
                                                       "--rate", "300000", "--cell", "5x6", "--play", "3", "--pause", "2.5",
                                                       "--dump", dump, "--", CLI.binary.path, "rate", "--project", project.db,
                                                       "--preview", mode, "--trace", trace])
        try #require(result.status == 0, "\(result.stderr)")
        let json = try #require(result.stdout.split(separator: "\n").last.map(String.init), "no output: \(result.stderr)")
        let r = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(r["status"] as? Int == 0, "q did not end rate: \(json)")
        let frames = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: "\t").map(String.init) }.filter { $0[0] == "frame" }
            .map { line -> (frame: Int, start: Int, width: Int, height: Int) in
                let size = line[6].split(separator: "x").compactMap { Int($0) }
                return (Int(line[1])!, Int(line[3])!, size[0], size[1])
            }
        return Session(stream: try Data(contentsOf: URL(fileURLWithPath: dump)), frames: frames,
                       playAt: try #require(r["play_at"] as? Double), pauseAt: try #require(r["pause_at"] as? Double))
    }

    /// The trace's sizes: full before playing and after the pause, smaller between (by one
    /// of `PlaybackScale`'s steps, at most 0.841 each way, the clip's shape kept).
    static func checkTrace(_ session: Session) throws -> (full: (Int, Int), playing: [Int]) {
        let first = try #require(session.frames.first), last = try #require(session.frames.last)
        // The first picture is drawn before the play key is read (paused); the last after the pause key.
        #expect(first.frame == 0 && last.start > Int(session.pauseAt * 1e6), "\(session.frames)")
        #expect(last.width == first.width && last.height == first.height)
        let playing = session.frames.indices.dropFirst().filter {
            session.frames[$0].start > Int(session.playAt * 1e6) + 100_000 && session.frames[$0].start < Int(session.pauseAt * 1e6)
        }
        try #require(playing.count >= 3, "\(session.frames)")
        for i in playing {
            let f = session.frames[i]
            #expect(f.width * 100 <= first.width * 85 && f.width * 2 >= first.width - 2, "\(f) of \(first)")
            #expect(abs(Double(f.width) / Double(f.height) - Double(first.width) / Double(first.height)) < 0.02, "\(f) of \(first)")
        }
        return ((first.width, first.height), playing)
    }

    @Test func kittyPlaysSmallerImagesInTheSameCells() throws {
        let dir = try scratchDirectory("slowlink-kitty-scale")
        let session = try Self.play("kitty", dir: dir)
        let (full, playing) = try Self.checkTrace(session)
        let images = try KittyStream.decode(session.stream, dir: dir).images
        #expect(images.count == session.frames.count)
        let first = try #require(images.first), last = try #require(images.last)
        let cells = (try #require(first.keys["c"]), try #require(first.keys["r"]))
        // The full picture padded to its 5×6 px cells.
        #expect(first.width == (full.0 + 4) / 5 * 5 && first.height == (full.1 + 5) / 6 * 6, "\(first.keys) for \(full)")
        // Paused again: the same image size as before playing.
        #expect(last.width == first.width && last.height == first.height && last.keys["c"] == cells.0 && last.keys["r"] == cells.1)
        for i in playing where i < images.count {
            let image = images[i]
            // The same cells; the frame's size padded in proportion to the full picture's padding.
            let frame = session.frames[i]
            #expect(image.keys["c"] == cells.0 && image.keys["r"] == cells.1, "\(image.keys)")
            #expect(abs(image.width - Int((Double(first.width) * Double(frame.width) / Double(full.0)).rounded())) <= 1
                    && abs(image.height - Int((Double(first.height) * Double(frame.height) / Double(full.1)).rounded())) <= 1,
                    "\(image.keys) for \(frame) of \(first.keys)")
        }
    }

    @Test func sixelPlaysSmallerPicturesCentredWithTheCellsAroundThemBlank() throws {
        let dir = try scratchDirectory("slowlink-sixel-scale")
        let session = try Self.play("sixel", dir: dir)
        let (full, playing) = try Self.checkTrace(session)
        let pictures = try Self.sixels(session.stream, dir: dir)
        #expect(pictures.count == session.frames.count)
        let first = try #require(pictures.first), last = try #require(pictures.last)
        #expect(first.width == full.0 && first.height == full.1 && first.blanked.isEmpty)
        #expect(last.width == full.0 && last.height == full.1 && last.blanked.isEmpty && last.row == first.row && last.column == first.column)
        // The full picture's cells (5×6 px).
        let rows = first.row..<(first.row + (full.1 + 5) / 6), columns = first.column..<(first.column + (full.0 + 4) / 5)
        for i in playing where i < pictures.count {
            let p = pictures[i], frame = session.frames[i]
            // Decoded at the frame's size padded to whole cells, centred in the full picture's cells.
            let inner = (columns: (frame.width + 4) / 5, rows: (frame.height + 5) / 6)
            #expect(p.width == inner.columns * 5 && p.height == inner.rows * 6, "\(p.width)×\(p.height) for \(frame)")
            #expect(p.row == first.row + (rows.count - inner.rows) / 2 && p.column == first.column + (columns.count - inner.columns) / 2)
            // Every cell of the full picture's rectangle outside it written blank, nothing else.
            var ring = Set<[Int]>()
            for row in rows { for column in columns where !(p.row..<(p.row + inner.rows)).contains(row) || !(p.column..<(p.column + inner.columns)).contains(column) { ring.insert([row, column]) } }
            #expect(p.blanked == ring, "picture \(i): \(p.blanked.count) cells blanked, \(ring.count) expected")
        }
    }

    /// Each sixel picture in `stream`: its decoded size (sixel2png), the 0-based cell it is
    /// drawn at, and the cells written blank in the same write before it (`ESC 7` … `ESC P`:
    /// cursor moves and spaces).
    static func sixels(_ stream: Data, dir: String) throws -> [(width: Int, height: Int, row: Int, column: Int, blanked: Set<[Int]>)] {
        var out: [(width: Int, height: Int, row: Int, column: Int, blanked: Set<[Int]>)] = []
        var from = stream.startIndex
        while let begin = stream.range(of: Data("\u{1B}P".utf8), in: from..<stream.endIndex) {
            let end = try #require(stream.range(of: Data("\u{1B}\\".utf8), in: begin.upperBound..<stream.endIndex))
            let save = try #require(stream.range(of: Data("\u{1B}7".utf8), options: .backwards, in: from..<begin.lowerBound))
            let lead = String(decoding: stream[save.upperBound..<begin.lowerBound], as: UTF8.self)
            var blanked = Set<[Int]>(), row = 0, column = 0
            for match in lead.matches(of: /\x1B\[(\d+);(\d+)H( *)|\x1B\[0m/) {
                guard let r = match.1, let c = match.2 else { continue }
                row = Int(r)! - 1; column = Int(c)! - 1
                for k in 0..<(match.3?.count ?? 0) { blanked.insert([row, column + k]) }
            }
            let six = dir + "/p\(out.count).six", png = dir + "/p\(out.count).png"
            try Data(stream[begin.lowerBound..<end.upperBound]).write(to: URL(fileURLWithPath: six))
            try #require(try Tool.run("/usr/bin/sixel2png", ["-i", six, "-o", png]).status == 0)
            let probe = try Tool.run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", png])
            let size = probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
            try #require(size.count == 2, "\(probe.stdout) \(probe.stderr)")
            out.append((size[0], size[1], row, column, blanked))
            from = end.upperBound
        }
        return out
    }
}
