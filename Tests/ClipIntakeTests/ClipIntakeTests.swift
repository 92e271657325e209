import ClipIntake
import Foundation
import Media
import Store
import Testing

/// The one clip intake that `clip add` and `demo` share: the facts of a real clip, and every
/// refusal named in one run, in the order the files were given.
@Suite struct ClipIntakeTests {
    /// A bundled demo clip (assets/demo, committed): 640×360 H.264, 25 fps, 5 s.
    static let clip = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../assets/demo/cutin-left-close.mp4").standardizedFileURL.path

    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("concord-intake-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func factsOfARealClip() throws {
        let facts = try ClipIntake.facts(Self.clip)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.clip)))
        #expect(facts == ClipFacts(path: Self.clip, name: "cutin-left-close.mp4", sha256: FileHash.sha256(bytes: bytes),
                                   sizeBytes: Int64(bytes.count), codec: "h264", duration: facts.duration, frameRate: 25,
                                   frameCount: 125, width: 640, height: 360, rotation: 0))
        #expect(abs(facts.duration - 5) < 0.05, "duration \(facts.duration)")
    }

    @Test func aRelativePathIsRecordedAgainstTheCurrentDirectory() {
        let cwd = FileManager.default.currentDirectoryPath
        #expect(ClipIntake.absolute("clips/a.mp4") == cwd + "/clips/a.mp4")
        #expect(ClipIntake.absolute("/data/a.mp4") == "/data/a.mp4")
    }

    @Test func everyProblemIsNamedInOrderAndNothingIsReturned() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #require(FileManager.default.createFile(atPath: dir + "/empty.mp4", contents: Data()))
        try FileManager.default.createDirectory(atPath: dir + "/folder.mp4", withIntermediateDirectories: false)
        try #require(FileManager.default.createFile(atPath: dir + "/text.mp4", contents: Data("not a video\n".utf8)))
        let paths = [Self.clip, dir + "/empty.mp4", dir + "/nowhere.mp4", dir + "/folder.mp4", dir + "/text.mp4"]
        #expect(throws: ClipIntake.Problems(lines: [
            "\(dir)/empty.mp4: is empty (0 bytes); copy the clip again",
            "\(dir)/nowhere.mp4: cannot open: No such file or directory",
            "\(dir)/folder.mp4: is not a regular file",
            try Self.probeRefusal(dir + "/text.mp4"),
        ])) {
            try ClipIntake.facts(paths)
        }
        #expect(try ClipIntake.facts([Self.clip, Self.clip]).map(\.name) == ["cutin-left-close.mp4", "cutin-left-close.mp4"])
    }

    /// What the probe itself says of a file that is not a video (Media's own wording).
    static func probeRefusal(_ path: String) throws -> String {
        do { _ = try ClipProbe.probe(path: path) } catch let error as MediaError { return error.description }
        Issue.record("\(path) was probed as a video")
        return ""
    }
}
