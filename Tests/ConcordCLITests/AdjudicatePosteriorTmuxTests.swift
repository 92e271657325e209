import Foundation
import Testing

/// `concord adjudicate --order posterior` in a real terminal (tmux, 120×40): the entries come
/// in `concord queue --order posterior`'s order, and each shows its consensus posterior.
@Suite(.serialized, .tmuxLeftoverCheck) struct AdjudicatePosteriorTmuxTests {
    @Test func theWorkbenchTakesThePosteriorOrderAndShowsThePosterior() throws {
        let project = try AggregateBatchTests.project(.sqlite)
        let queue = try #require(try CLI.json(try project.ok(["queue", "--order", "posterior", "--format", "json"], as: "lena"))["entries"] as? [[String: Any]])
        #expect(queue.count == 3)
        func shown(_ entry: [String: Any]) throws -> String {
            let c = try #require(entry["consensus"] as? [String: Any]), p = try #require(c["posterior"] as? [String: Double])
            return "consensus · ds \(c["label"] as? String ?? "tie") \(String(format: "%.3f", try #require(p.values.max())))"
        }
        let tui = try TmuxSession("'\(CLI.binary.path)' adjudicate --order posterior --project '\(project.db)' --as lena",
                                  columns: 120, rows: 40, label: "adjudicate")
        let first = try tui.wait(for: "entry 1 of 3 with the clip") { $0.contains("entry 1 of 3") && $0.contains("frame 0/24") }
        let firstClip = try #require(queue[0]["clip"] as? String), firstPosterior = try shown(queue[0])
        #expect(first.contains("batch b1 · present · lead lena · \(firstClip)"))
        #expect(first.contains(firstPosterior), "\(first)")
        try tui.send("n")
        let second = try tui.wait(for: "entry 2 of 3")
        let secondClip = try #require(queue[1]["clip"] as? String), secondPosterior = try shown(queue[1])
        #expect(second.contains("lead lena · \(secondClip)") && second.contains(secondPosterior), "\(secondPosterior) in \(second)")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        // Without --order the entry line has no posterior.
        let plain = try TmuxSession("'\(CLI.binary.path)' adjudicate --project '\(project.db)' --as lena", columns: 120, rows: 40, label: "adjudicate")
        let screen = try plain.wait(for: "entry 1 of 3")
        #expect(!screen.contains("consensus · "))
        try plain.send("q")
        #expect(try plain.exitStatus() == 0)
    }
}
