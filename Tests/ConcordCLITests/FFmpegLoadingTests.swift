import Foundation
import Testing

/// concord loads FFmpeg's libraries on a command's first FFmpeg call (CFFmpegLoader), not at
/// start: a command that never opens a clip must not load them, one that does must, and a
/// library that cannot be loaded is one line naming it and its Debian package, exit 2.
@Suite struct FFmpegLoadingTests {
    static let clip = CLI.packageRoot.appendingPathComponent("assets/demo/cutin-left-close.mp4").path
    static let libraries = ["libavformat.so.", "libavcodec.so.", "libswscale.so.", "libavutil.so."]

    /// The FFmpeg libraries the dynamic loader reported opening (LD_DEBUG=libs writes
    /// "calling init: /path/libavformat.so.59" for each library it initialises).
    static func loaded(_ stderr: String) -> [String] {
        libraries.filter { name in
            stderr.split(separator: "\n").contains { $0.contains("calling init:") && $0.contains("/" + name) }
        }
    }

    @Test func aCommandWithoutClipsLoadsNoFFmpegLibrary() throws {
        let version = try CLI.run(["--version"], environment: ["LD_DEBUG": "libs"])
        #expect(version.status == 0)
        #expect(version.stderr.contains("calling init:"), "LD_DEBUG had no effect: the check would prove nothing")
        #expect(Self.loaded(version.stderr) == [])
        let mos = try CLI.run(["mos", CLI.example("mos/acr_small.csv"), "--method", "p910", "--format", "json"], environment: ["LD_DEBUG": "libs"])
        #expect(mos.status == 0, "\(mos.stderr.suffix(400))")
        #expect(Self.loaded(mos.stderr) == [])
    }

    @Test func previewLoadsAllFourOnFirstUse() throws {
        let result = try CLI.run(["preview", "--info", Self.clip], environment: ["LD_DEBUG": "libs"])
        #expect(result.status == 0, "\(result.stderr.suffix(400))")
        #expect(Self.loaded(result.stderr) == Self.libraries)
        #expect(result.stderr.contains("clip: h264 · 125 frames"))
    }

    @Test func anUnloadableLibraryIsOneLineAndExitTwo() throws {
        // An empty file of the soname's name first on the search path: dlopen finds and refuses it.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("concord-ffmpeg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let soname = try Self.sonameOfAVFormat()
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent(soname).path, contents: Data())
        let result = try CLI.run(["preview", "--info", Self.clip], environment: ["LD_LIBRARY_PATH": dir.path])
        #expect(result.status == 2)
        #expect(result.stdout == "")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("concord: cannot load FFmpeg's \(soname) (") == true, "\(result.stderr)")
        let package = soname.replacingOccurrences(of: ".so.", with: "")
        #expect(result.stderr.contains("install Debian's \(package) (`make demo` installs FFmpeg's libraries)"))
    }

    /// `rate` loads FFmpeg before it takes the terminal (MediaLibraries.load), so the one line
    /// lands on the normal screen, and the terminal is not left in curses' alternate screen.
    @Test func rateSaysSoBeforeItTakesTheTerminal() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("concord-ffmpeg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent(try Self.sonameOfAVFormat()).path, contents: Data())
        let project = try RateTmuxTests.project()
        let tui = try TmuxSession("LD_LIBRARY_PATH='\(dir.path)' '\(CLI.binary.path)' rate --project '\(project.db)'")
        let screen = try tui.wait(for: "install Debian's libavformat")
        #expect(screen.contains("concord: cannot load FFmpeg's libavformat.so."))
        #expect(!screen.contains("item 1 of"), "the workbench drew before FFmpeg was loaded: \(screen)")
        #expect(try tui.exitStatus() == 2)
    }

    /// The soname concord loads, as the dynamic loader reports it for a real preview.
    static func sonameOfAVFormat() throws -> String {
        let result = try CLI.run(["preview", "--info", clip], environment: ["LD_DEBUG": "libs"])
        let line = try #require(result.stderr.split(separator: "\n").first { $0.contains("calling init:") && $0.contains("/libavformat.so.") })
        return String(try #require(line.split(separator: "/").last))
    }
}
