import Foundation
import Testing

/// The kitty graphics query against a real terminal that does not know it: xterm (`-ti
/// vt340`, sixel) ignores the APC and answers DA1, so auto-detection stays with sixel and
/// a forced `--mode kitty` is refused with a message naming the modes that would do.
@Suite(.serialized, .enabled(if: XtermDisplay.available, "needs Xvfb and xterm (Debian packages xvfb and xterm)"))
struct XtermKittyTests {
    @Test func xtermIsNotTakenForKitty() throws {
        let dir = try scratchDirectory("xterm-kitty")
        let clip = dir + "/c.mp4"
        try Tool.ffmpeg(["-f", "lavfi", "-i", "testsrc=s=160x120:r=25:d=1", "-pix_fmt", "yuv420p", clip])
        let display = try XtermDisplay()
        let status = try display.run("'\(CLI.binary.path)' preview '\(clip)' --mode kitty 2>'\(dir)/err.txt'",
                                     record: dir + "/out.bin", columns: 100, rows: 30)
        #expect(status == 2)   // bad input (InputError), as a forced sixel on a terminal without it
        let error = try String(contentsOfFile: dir + "/err.txt", encoding: .utf8)
        #expect(error.contains("--mode kitty: this terminal does not draw kitty graphics (it answered DA1 but not the kitty graphics query); use --mode sixel, blocks or ascii"),
                "\(error)")
        let stream = try Data(contentsOf: URL(fileURLWithPath: dir + "/out.bin"))
        #expect(stream.range(of: Data("\u{1B}_Ga=T".utf8)) == nil, "a kitty picture was sent")

        let auto = try display.run("'\(CLI.binary.path)' preview '\(clip)' --info 2>'\(dir)/info.txt'",
                                   record: dir + "/auto.bin", columns: 100, rows: 30)
        #expect(auto == 0)
        let info = try String(contentsOfFile: dir + "/info.txt", encoding: .utf8)
        #expect(info.hasPrefix("terminal: DA1 lists 4: sixel · "), "\(info)")
    }
}
