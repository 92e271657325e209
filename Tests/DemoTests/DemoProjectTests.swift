import Demo
import Foundation
import Interchange
import Store
import Testing

/// The demo builder as a library: the simulated labels CSV is written through the one
/// writer of files for the user (Interchange's `OutputFile`), with its refusals, and a
/// refused write leaves nothing behind.
@Suite struct DemoProjectTests {
    static let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../assets/demo").standardizedFileURL.path

    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("concord-demo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func buildsTheProjectAndItsLabelsFile() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/demo", project = dir + "/concord.db"
        let imported = try DemoProject.build(at: project, in: dir, assets: DemoAssets.locate(explicit: Self.assets), login: "lead")
        let csv = try String(contentsOfFile: dir + "/simulated-labels.csv", encoding: .utf8)
        #expect(csv.hasPrefix("clip,rater,criterion,value\n"))
        #expect(imported == csv.split(separator: "\n").count - 1, "one label per row after the header")
        #expect(try DemoProject.summary(ProjectStore.open(path: project), login: "lead")
                == "batch 'demo' of 6 items (rubric av-cut-in); 4 raters: lead (you), sim-ana, sim-ben, sim-chen; \(imported) labels")
    }

    @Test func aLinkWhereTheLabelsFileGoesIsRefusedAndNothingIsLeft() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/demo", victim = root + "/victim.txt"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        try "keep me\n".write(toFile: victim, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/simulated-labels.csv", withDestinationPath: victim)
        let error = #expect(throws: InputError.self) {
            try DemoProject.build(at: dir + "/concord.db", in: dir, assets: DemoAssets.locate(explicit: Self.assets), login: "lead")
        }
        #expect(error?.message == "--out \(dir)/simulated-labels.csv: that is a symbolic link; concord does not write through links (a link in a shared directory may point anywhere): give the path of the file itself, or remove the link")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [], "no project, no temporary file, no labels file")
    }
}
