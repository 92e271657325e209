import Foundation
import Testing
@testable import Workbench

/// The rating screen of a pair item at 80×24 and 120×40, compared with `Snapshots/` like
/// every screen (`ScreenSnapshot`): side by side, one clip at a time, a strength asked for,
/// and help. The pictures' rectangles are in each snapshot's first line.
@Suite struct PairScreenSnapshotTests {
    /// Frame 12 of 50 on both clips, frames 0–12 seen; the right clip seen whole before.
    static var playback: PairPlayback {
        var right = Player(frameCount: 50, frameRate: 25)
        for _ in 0..<49 { right.step(1, now: 0) }
        var p = PairPlayback(left: Player(frameCount: 50, frameRate: 25), right: right)
        _ = p.apply(.step(12), now: 0)
        return p
    }

    static func model(_ keys: String, oneAtATime: Bool = false) -> RatingModel {
        var model = PairRatingTests.model()
        model.oneAtATime = oneAtATime
        for key in keys { _ = model.handle(key == "\t" ? .tab : .char(key)) }
        return model
    }

    static func snapshot(_ name: String, keys: String, aspect: Double = PairLayoutTests.wide, sizes: [(Int, Int)] = ScreenSnapshotTests.sizes,
                         problems: [PairSide: String] = [:]) throws {
        for (columns, rows) in sizes {
            let pair = PairLayout(columns: columns, rows: rows, aspects: (aspect, aspect))
            let model = Self.model(keys, oneAtATime: pair == nil)
            let single = try #require(PaneLayout(columns: columns, rows: rows, pictureAspect: aspect))
            let grid = CellGrid(columns: columns, rows: rows, colors: true)
            PairScreen(grid: grid, single: single, layout: pair, rater: "ann")
                .draw(model: model, playback: playback, secondsOnItem: 83, problems: problems)
            let panes = pair.map { " · left \(Self.rect($0.left)) · right \(Self.rect($0.right))" } ?? " · one at a time"
            ScreenSnapshot.check(grid, name: "\(name)-\(columns)x\(rows)", title: "concord rate: \(name)\(panes)")
        }
    }

    static func rect(_ r: CellGrid.Rect) -> String { "row \(r.row), column \(r.column), \(r.width)×\(r.height)" }

    @Test func sideBySide() throws { try Self.snapshot("pair", keys: "1") }
    @Test func strengthAskedFor() throws { try Self.snapshot("pair-strength", keys: "32") }
    @Test func help() throws { try Self.snapshot("pair-help", keys: "?") }
    @Test func oneAtATimeShowingTheRightClip() throws {
        try Self.snapshot("pair-one-at-a-time", keys: "\t", aspect: PairLayoutTests.portrait, sizes: [(80, 24)])
    }
    @Test func aClipThatCannotPlay() throws {
        try Self.snapshot("pair-problem", keys: "", sizes: [(120, 40)],
                          problems: [.right: "veo-1.mp4 is not on this machine: no file under --clips has its SHA-256. Skip the pair with s and a reason, or ask the lead."])
    }

    /// The screen never names a clip (its name may name the model) nor says a or b.
    @Test func noClipNameNorAOrB() throws {
        for (columns, rows) in ScreenSnapshotTests.sizes {
            let grid = CellGrid(columns: columns, rows: rows, colors: true)
            PairScreen(grid: grid, single: try #require(PaneLayout(columns: columns, rows: rows, pictureAspect: PairLayoutTests.wide)),
                       layout: PairLayout(columns: columns, rows: rows, aspects: (nil, nil)), rater: "ann")
                .draw(model: Self.model("1"), playback: Self.playback, secondsOnItem: 1)
            let text = grid.lines.joined(separator: "\n")
            #expect(!text.contains("sora") && !text.contains("veo"))
            // No answer or label says a or b (the note's hint "write a note" is the only " a ").
            #expect(!text.replacingOccurrences(of: "write a note", with: "").contains(" a ") && !text.contains(" b ")
                    && !text.contains("A better") && !text.contains("B better"))
            #expect(text.contains("left · frame 12/49") && text.contains("right · frame 12/49"))
        }
    }
}
