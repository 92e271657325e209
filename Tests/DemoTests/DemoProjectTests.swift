import Demo
import Foundation
import Store
import Testing

/// The demo builder as a library: the labels CSV goes through the writer the command line
/// lends (its one writer of users' files), and a failure there leaves nothing behind.
@Suite struct DemoProjectTests {
    static let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../assets/demo").standardizedFileURL.path

    struct Refused: Error, Equatable {}

    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("concord-demo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func theLabelsFileGoesThroughTheLentWriter() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/demo", project = dir + "/concord.db"
        var writes: [(path: String, project: String, lines: Int)] = []
        let imported = try DemoProject.build(at: project, in: dir, assets: DemoAssets.locate(explicit: Self.assets), login: "lead") {
            text, path, project in
            writes.append((path, project, text.split(separator: "\n").count))
            try text.write(toFile: path, atomically: false, encoding: .utf8)
        }
        try #require(writes.count == 1)
        #expect(writes[0].path == dir + "/simulated-labels.csv")
        // The project being built (a temporary name in the same folder) is what the writer protects.
        #expect(writes[0].project == dir + "/.concord-demo-\(getpid()).db")
        #expect(imported == writes[0].lines - 1, "one label per row after the header")
        #expect(try DemoProject.summary(ProjectStore.open(path: project), login: "lead")
                == "batch 'demo' of 6 items (rubric av-cut-in); 4 raters: lead (you), sim-ana, sim-ben, sim-chen; \(imported) labels")
    }

    @Test func aFailingWriterLeavesNothingBehind() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/new/demo"
        #expect(throws: Refused()) {
            try DemoProject.build(at: dir + "/concord.db", in: dir, assets: DemoAssets.locate(explicit: Self.assets), login: "lead") {
                _, _, _ in throw Refused()
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == [], "the folders it made are removed too")
    }
}
