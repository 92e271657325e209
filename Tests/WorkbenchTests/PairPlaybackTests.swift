import Testing
@testable import Workbench

/// A pair's two clips on one clock (`PairPlayback`): space, frame steps, seeks, `g` and
/// speed move both; clips of different length or rate are matched by time, the shorter
/// holding its last frame; each clip counts its own frames seen.
@Suite struct PairPlaybackTests {
    static func pair(_ left: (Int, Double), _ right: (Int, Double)) -> PairPlayback {
        PairPlayback(left: Player(frameCount: left.0, frameRate: left.1), right: Player(frameCount: right.0, frameRate: right.1))
    }

    static func frames(_ p: PairPlayback) -> [Int] { [p.left.frame, p.right.frame] }

    @Test func bothPlayheadsMoveTogetherThroughPlayStepsSeeksAndSpeed() {
        var p = Self.pair((50, 25), (50, 25))
        #expect(p.clock.frameCount == 50 && p.clock.frameRate == 25)
        _ = p.apply(.togglePlay, now: 10)
        #expect(p.left.playing && p.right.playing)
        let advanced = p.tick(now: 10.4)               // 0.4 s at 25 fps: frame 10
        #expect(advanced)
        #expect(Self.frames(p) == [10, 10])
        let again = p.tick(now: 10.41)                 // nothing new is due yet
        #expect(!again)
        _ = p.apply(.togglePlay, now: 10.5)            // pause at frame 10 (the tick decides frames)
        #expect(!p.left.playing && !p.right.playing)
        _ = p.apply(.step(3), now: 11)
        #expect(Self.frames(p) == [13, 13])
        _ = p.apply(.step(-1), now: 11)
        #expect(Self.frames(p) == [12, 12])
        _ = p.apply(.seek(1), now: 11)                 // one second: 25 frames
        #expect(Self.frames(p) == [37, 37])
        _ = p.apply(.speed(1), now: 12)                // 2×, both
        #expect(p.left.speed == 2 && p.right.speed == 2)
        _ = p.apply(.seek(-10), now: 12)
        #expect(Self.frames(p) == [0, 0])
        let outside = p.apply(.gotoFrame(99), now: 12)
        #expect(outside == "frame 99 is outside the pair's timeline (0–49)")
        #expect(Self.frames(p) == [49, 49])
        _ = p.apply(.gotoFrame(20), now: 12)
        _ = p.apply(.togglePlay, now: 20)
        _ = p.tick(now: 20.2)                          // 0.2 s at 2×, 25 fps: 10 frames on
        #expect(Self.frames(p) == [30, 30])
        #expect(p.left.speedsPlayed == [1, 2] && p.right.speedsPlayed == [1, 2])   // 1× from 10.0 s, 2× from 20 s
    }

    @Test func playingToTheEndStopsBothAndSpaceStartsBothAgain() {
        var p = Self.pair((25, 25), (25, 25))
        _ = p.apply(.togglePlay, now: 0)
        _ = p.tick(now: 5)
        #expect(Self.frames(p) == [24, 24])
        #expect(!p.clock.playing && !p.left.playing && !p.right.playing)
        #expect(p.watchedShare == 1)                   // every frame passed over while playing was on screen
        _ = p.apply(.togglePlay, now: 6)
        #expect(Self.frames(p) == [0, 0] && p.left.playing)
    }

    @Test func theShorterClipHoldsItsLastFrameWhileTheLongerPlaysOn() {
        var p = Self.pair((25, 25), (50, 25))          // 1 s beside 2 s
        #expect(p.clock.frameCount == 50)
        _ = p.apply(.togglePlay, now: 0)
        _ = p.tick(now: 1.5)
        #expect(Self.frames(p) == [24, 37])
        #expect(p.left.playing && p.right.playing)     // the pair plays on: the left holds its last frame
        _ = p.tick(now: 3)
        #expect(Self.frames(p) == [24, 49] && !p.clock.playing)
        #expect(p.left.watchedShare == 1 && p.right.watchedShare == 1)
    }

    @Test func clipsOfDifferentRatesAreMatchedByTime() {
        var p = Self.pair((25, 25), (30, 30))          // both 1 s
        #expect(p.clock.frameRate == 30 && p.clock.frameCount == 30)
        _ = p.apply(.step(1), now: 0)                  // a step is one frame of the finer clip
        #expect(Self.frames(p) == [0, 1])
        _ = p.apply(.step(5), now: 0)                  // 6/30 s = 0.2 s: frame 5 at 25 fps
        #expect(Self.frames(p) == [5, 6])
        _ = p.apply(.seek(0.5), now: 0)                // 0.7 s
        #expect(Self.frames(p) == [17, 21])
        #expect(p.left.seconds <= p.clock.seconds && p.clock.seconds - p.left.seconds < 1.0 / 25)
    }

    @Test func eachClipCountsItsOwnFramesSeenAndBothMustBeWatched() {
        var p = Self.pair((50, 25), (100, 25))
        _ = p.apply(.togglePlay, now: 0)
        _ = p.tick(now: 1.96)                          // frames 0–49 of both played
        #expect(Self.frames(p) == [49, 49])
        #expect(p.left.watchedShare == 1)
        #expect(p.right.watchedShare == 0.5)
        #expect(p.watchedShare == 0.5)                 // the smaller: both clips must be watched
        _ = p.apply(.togglePlay, now: 2)
        _ = p.apply(.seek(1), now: 2)                  // a seek passes over frames unseen
        #expect(Self.frames(p) == [49, 74])
        #expect(p.right.seenCount == 51)
    }

    @Test func aClipOpenedAgainKeepsWhatAnEarlierVisitSaw() {
        var earlier = Player(frameCount: 10, frameRate: 10)
        for _ in 0..<9 { earlier.step(1, now: 0) }
        var left = Player(frameCount: 10, frameRate: 10)
        left.keepSeen(earlier.seen)
        let p = PairPlayback(left: left, right: Player(frameCount: 10, frameRate: 10))
        #expect(p.left.watchedShare == 1 && p.right.watchedShare == 0.1)
        #expect(Self.frames(p) == [0, 0])
    }
}
