import Foundation
import Testing

/// A clip's content has one name. Adding the same content under another name is refused
/// with the name it already has: `clip add g1.mp4` used to print g1.mp4 but record the
/// existing clip, so `gold add g1.mp4` then failed. The same file under its own name may
/// still be an item of another batch.
@Suite struct ClipSameContentTests {
    @Test(arguments: StoreKind.available)
    func theSameContentUnderAnotherNameIsRefusedWithItsName(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        let before = try project.snapshot()
        let renamed = project.dir + "/g1.mp4"
        try FileManager.default.copyItem(atPath: try Standard.clip("a.mp4"), toPath: renamed)
        let result = try project.run(["clip", "add", renamed, "--batch", "b2", "--rubric", "av-cut-in"])
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(concordMessage(result.stderr) == "concord: \(renamed): the same content is already in the project as the clip a.mp4; a clip keeps one name: add it as a.mp4 (rename or link the file) and refer to it by that name; nothing was added\n")
        #expect(try project.snapshot() == before)

        // Under its own name it joins another batch, and is found by that name there.
        let sameName = project.dir + "/again"
        try FileManager.default.createDirectory(atPath: sameName, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: renamed, toPath: sameName + "/a.mp4")
        #expect(try project.ok(["clip", "add", sameName + "/a.mp4", "--batch", "b2", "--rubric", "av-cut-in"]).hasPrefix("item 4: a.mp4 (already in the project; added to this batch)\n"))
        try project.ok(["gold", "add", "a.mp4", "--batch", "b2", "--criterion", "present", "--value", "yes"])
        #expect(try project.sql("SELECT item_id, value FROM gold;") == "4|yes\n")
    }
}
