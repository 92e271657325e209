import Testing
@testable import Workbench

/// The player's keys are one table for both workbenches, and one handler applies them to
/// the clip.
@Suite struct PlayerKeysTests {
    @Test func theKeysAndTheirCounts() {
        let keys: [Key] = [.char(" "), .left, .right, .char("h"), .char("l"), .char("["), .char("]"), .char("g"), .up, .char("1")]
        #expect(keys.map { PlayerCommand(key: $0, count: 3) }
                == [.togglePlay, .step(-3), .step(3), .seek(-3), .seek(3), .speed(-1), .speed(1), nil, nil, nil])
        #expect(PlayerCommand(key: .right) == .step(1))
    }

    /// Both models give the same commands for the same player keys.
    @Test func rateAndAdjudicateAgree() throws {
        let keys: [Key] = [.char(" "), .left, .right, .char("h"), .char("l"), .char("["), .char("]")]
        var rating = RatingModel(queue: try RatingModelTests.session().ratingQueue())
        var (_, adjudication) = try AdjudicateModelTests.model()
        let rated = keys.map { key -> PlayerCommand? in
            if case .player(let command) = rating.handle(key) { return command } else { return nil }
        }
        let adjudicated = keys.map { key -> PlayerCommand? in
            if case .player(let command) = adjudication.handle(key) { return command } else { return nil }
        }
        #expect(rated == adjudicated && rated == keys.map { PlayerCommand(key: $0) })
    }

    @Test func theClipAppliesThemAndSaysWhenAFrameIsOutside() {
        let clip = ClipPane(painter: PreviewPainterTests.painter(.blocks))
        #expect(clip.apply(.step(5), now: 0) == nil)                      // no clip: nothing happens
        clip.player = Player(frameCount: 50, frameRate: 25)
        #expect(clip.apply(.togglePlay, now: 0) == nil && clip.player?.playing == true)
        #expect(clip.apply(.step(5), now: 0) == nil)
        #expect(clip.player?.frame == 5 && clip.player?.playing == false)   // a step pauses
        #expect(clip.apply(.seek(1), now: 0) == nil && clip.player?.frame == 30)
        #expect(clip.apply(.speed(1), now: 0) == nil && clip.player?.speed == 2)
        #expect(clip.apply(.gotoFrame(80), now: 0) == "frame 80 is outside the clip (0–49)")
        #expect(clip.player?.frame == 49)
        #expect(clip.apply(.gotoFrame(7), now: 0) == nil && clip.player?.frame == 7)
    }
}
