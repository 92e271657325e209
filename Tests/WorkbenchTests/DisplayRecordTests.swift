import Foundation
import Media
import Rubric
import Store
import TerminalGraphics
import Testing
@testable import Workbench

/// The record a submission carries of the display the item was judged on
/// (`DisplayRecord.seen`), and the speeds the player played at: each mode's picture size and
/// colours, worked out by hand from the pane and the terminal's answers.
@Suite struct DisplayRecordTests {
    static let pane = CellGrid.Rect(row: 1, column: 0, width: 40, height: 20)

    static func capabilities(_ graphics: TerminalCapabilities.Graphics, _ colors: HalfBlockRenderer.ColorMode = .trueColor,
                             registers: Int? = nil) -> TerminalCapabilities {
        TerminalCapabilities(graphics: graphics, colorMode: colors, cellWidth: 10, cellHeight: 20, sixelColorRegisters: registers,
                             reason: "test")
    }

    @Test func eachModesSizeAndColours() {
        func seen(_ display: Display, _ capabilities: TerminalCapabilities) -> String? {
            DisplayRecord.seen(on: display, capabilities: capabilities, pane: Self.pane, decoder: nil, player: nil)
                .map { "\($0.mode.rawValue) \($0.sizeText) \($0.colors) [\($0.speedsText)]" }
        }
        // kitty: the cells' own pixels, 40 × 10 by 20 × 20.
        #expect(seen(.kitty, Self.capabilities(.kitty)) == "kitty 400x400 24-bit []")
        // sixel: one 6-px band shorter; the palette is the terminal's registers, at most 256.
        #expect(seen(.sixel, Self.capabilities(.sixel, registers: 16)) == "sixel 400x394 16 []")
        #expect(seen(.sixel, Self.capabilities(.sixel, registers: 1024)) == "sixel 400x394 256 []")
        #expect(seen(.sixel, Self.capabilities(.sixel)) == "sixel 400x394 256 []")
        // half-blocks: one pixel across and two down per cell, in the colour mode asked for.
        #expect(seen(.blocks, Self.capabilities(.blocks, .trueColor)) == "blocks 40x40 24-bit []")
        #expect(seen(.blocks, Self.capabilities(.blocks, .palette256)) == "blocks 40x40 256 []")
        #expect(seen(.blocks, Self.capabilities(.blocks, .monochrome)) == "blocks 40x40 none []")
        #expect(seen(.ascii, Self.capabilities(.ascii)) == "ascii 40x40 none []")
        // Unknown display, or a terminal picture with no pane: nothing to record.
        #expect(DisplayRecord.seen(on: nil, capabilities: Self.capabilities(.kitty), pane: Self.pane, decoder: nil, player: nil) == nil)
        #expect(DisplayRecord.seen(on: .kitty, capabilities: Self.capabilities(.kitty), pane: nil, decoder: nil, player: nil) == nil)
    }

    @Test func thePlayerRecordsTheClipsShownSize() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("concord-display-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TurnedClipPaneTests.ffmpeg(["-f", "lavfi", "-i", "color=c=0x336699:s=64x48:r=10:d=1", "-c:v", "libx264", dir + "/plain.mp4"])
        try TurnedClipPaneTests.ffmpeg(["-i", dir + "/plain.mp4", "-c", "copy", "-metadata:s:v:0", "rotate=270", dir + "/turned.mp4"])
        let plain = try VideoDecoder(path: dir + "/plain.mp4"), turned = try VideoDecoder(path: dir + "/turned.mp4")
        let player = DisplayRecord.seen(on: .player, capabilities: Self.capabilities(.blocks), pane: nil, decoder: plain, player: nil)
        #expect(player == DisplayRecord(mode: .player, width: 64, height: 48, colors: "24-bit"))
        // A quarter turn is shown upright: 48×64.
        #expect(DisplayRecord.seen(on: .player, capabilities: Self.capabilities(.blocks), pane: Self.pane, decoder: turned,
                                   player: nil)?.sizeText == "48x64")
    }

    @Test func speedsAreThoseFramesAdvancedAt() {
        var player = Player(frameCount: 100, frameRate: 10)
        player.changeSpeed(1, now: 0)          // 2×, not played yet
        player.step(3, now: 0)                 // a step is not playback
        #expect(player.speedsPlayed.isEmpty)
        player.togglePlay(now: 0)
        var changed = player.tick(now: 0.01)   // nothing due yet: no speed
        #expect(!changed)
        #expect(player.speedsPlayed.isEmpty)
        changed = player.tick(now: 0.2)        // 4 frames at 2×
        #expect(changed && player.frame == 7)
        player.changeSpeed(-2, now: 0.2)       // 0.5×
        changed = player.tick(now: 0.6)        // 2 frames at 0.5×
        #expect(changed && player.frame == 9)
        player.changeSpeed(1, now: 0.6)        // 1×, paused before a frame advanced
        player.togglePlay(now: 0.6)
        changed = player.tick(now: 5)
        #expect(!changed)
        #expect(player.speedsPlayed == [0.5, 2])
        let record = DisplayRecord.seen(on: .kitty, capabilities: Self.capabilities(.kitty), pane: Self.pane, decoder: nil, player: player)
        #expect(record?.speedsText == "0.5,2")
        // Back to the item with u: a new player keeps what the first visit played at.
        var again = Player(frameCount: 100, frameRate: 10)
        again.keepSpeeds(player.speedsPlayed)
        again.togglePlay(now: 0)
        changed = again.tick(now: 0.5)
        #expect(changed && again.speedsPlayed == [0.5, 1, 2])
    }
}
