import Testing
@testable import Workbench

/// What the render-ahead thread renders first (`RenderAhead.planned`): paused, the frames a
/// step or a second away, for the keys; playing, the next frames alone, in order — one the
/// main thread has to render itself shows late by that time.
@Suite struct RenderAheadPlanTests {
    @Test func pausedTheNeighboursComeFirst() {
        #expect(RenderAhead.planned(frame: 50, second: 25, playing: false) == [51, 49, 75, 25, 52, 53, 54, 55, 56, 57, 58])
    }

    @Test func playingTheNextFramesAlone() {
        #expect(RenderAhead.planned(frame: 50, second: 25, playing: true) == [51, 52, 53, 54, 55, 56, 57, 58])
    }
}
