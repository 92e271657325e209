import Foundation
import Testing

/// `concord adjudicate --preview kitty` on script(1) (see `RateKittyTests`): the dashboard
/// has no picture pane, so the kitty image, which text drawn over it would not erase, is
/// deleted when it opens and sent again when it closes; the last command is a delete.
@Suite(.serialized) struct AdjudicateKittyTests {
    @Test func theDashboardTakesThePictureOffAndBringsItBack() throws {
        let project = try AdjudicateTmuxTests.project()
        let dir = try scratchDirectory("kitty-adjudicate")
        let tui = try RateKittyTests.Recorded("'\(CLI.binary.path)' adjudicate --project '\(project.db)' --as lena --preview kitty",
                                              out: dir + "/session.bin")
        try tui.wait("the first picture", RateKittyTests.hasImage)
        let beforeDashboard = tui.stream.count
        tui.send("d")
        try tui.wait(after: beforeDashboard, "the dashboard and the delete") {
            String(decoding: $0, as: UTF8.self).contains("live agreement") && RateKittyTests.hasDelete($0)
        }
        let afterDashboard = tui.stream.count
        tui.send("d")
        try tui.wait(after: afterDashboard, "the picture again", RateKittyTests.hasImage)
        tui.send("q")
        tui.process.waitUntilExit()
        #expect(tui.process.terminationStatus == 0)

        let decoded = try KittyStream.decode(tui.stream, dir: dir)
        let images = decoded.images.map(\.offset)
        let deletes = decoded.commands.filter { $0.keys["a"] == "d" }.map(\.offset)
        #expect(images.contains { $0 < beforeDashboard } && images.contains { $0 >= afterDashboard })
        #expect(!images.contains { $0 >= beforeDashboard && $0 < afterDashboard }, "a picture on the dashboard")
        #expect(deletes.contains { $0 >= beforeDashboard && $0 < afterDashboard })
        #expect(decoded.images.allSatisfy { $0.keys["i"] == RateKittyTests.id })
        #expect(decoded.commands.last?.keys["a"] == "d" && (deletes.last ?? 0) > (images.last ?? .max))
    }
}
