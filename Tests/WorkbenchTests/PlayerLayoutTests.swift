import Testing
@testable import Workbench

@Suite struct PlayerTests {
    @Test func playbackFollowsTheClockAndDropsLateFrames() {
        var p = Player(frameCount: 100, frameRate: 25)
        #expect(p.frame == 0 && p.seenCount == 1)
        p.togglePlay(now: 10)
        #expect(p.tick(now: 10.039) == false)           // frame 1 is due at 10.04
        #expect(p.tick(now: 10.04) && p.frame == 1)
        #expect(p.tick(now: 10.2) && p.frame == 5)      // frames 2–4 were late: dropped, not shown late
        #expect(p.seenCount == 6)                        // but the motion passed: they count as seen
        #expect(abs(p.untilNextFrame(now: 10.2)! - 0.04) < 1e-9)
        p.changeSpeed(1, now: 10.2)                      // 2×
        #expect(p.tick(now: 10.3) && p.frame == 10)
        #expect(p.tick(now: 20) && p.frame == 99 && !p.playing)   // stops at the end
        #expect(p.watchedShare == 1)
    }

    @Test func steppingSeekingAndSpeedsAreClamped() {
        var p = Player(frameCount: 50, frameRate: 25)
        p.step(-3, now: 0)
        #expect(p.frame == 0)
        p.seek(seconds: 1, now: 0)
        #expect(p.frame == 25)
        p.go(to: 500, now: 0)
        #expect(p.frame == 49)
        for _ in 0..<9 { p.changeSpeed(1, now: 0) }
        #expect(p.speed == 4)
        for _ in 0..<9 { p.changeSpeed(-1, now: 0) }
        #expect(p.speed == 0.25)
        #expect(p.seenCount == 3)                        // 0, 25 and 49 were shown
        p.togglePlay(now: 0)                             // at the end: plays again from the start
        #expect(p.playing && p.frame == 0)
    }

    @Test func anEarlierVisitsFramesStaySeen() {
        var first = Player(frameCount: 10, frameRate: 25)
        first.go(to: 4, now: 0)
        var again = Player(frameCount: 10, frameRate: 25)
        #expect(again.seenCount == 1)
        again.keepSeen(first.seen + [true, true, true])   // frames past the clip's end are ignored
        #expect(again.seen == [true, false, false, false, true, false, false, false, false, false])
        #expect(again.seenCount == 2 && again.watchedShare == 0.2)
    }
}

@Suite struct LayoutTests {
    @Test func panesAt80x24And120x40AndRefusalBelow() throws {
        let small = try #require(PaneLayout(columns: 80, rows: 24))
        #expect(small.preview.width == 43 && small.preview.height == 20)
        #expect(small.rubric.column == 44 && small.rubric.width == 36)
        #expect(small.timelineRow == 21 && small.messageRow == 23)
        let big = try #require(PaneLayout(columns: 120, rows: 40))
        #expect(big.preview.width == 71 && big.rubric.width == 48)
        #expect(PaneLayout(columns: 79, rows: 24) == nil)
        #expect(PaneLayout(columns: 80, rows: 23) == nil)
    }

    /// The picture as large as the left side allows at the clip's shape, the timeline right
    /// under it and the rows left for the clip's name and seen share (a 16:9 picture once
    /// had 16 empty rows under it at 120×40). 16:9 in 10×20 px cells is 3.56 cells across
    /// per cell down; 4:3 in half-blocks 2.67.
    @Test func thePictureUsesTheHeightItsShapeAllows() throws {
        let wide = try #require(PaneLayout(columns: 120, rows: 40, pictureAspect: 16.0 / 9.0 * 2))
        #expect(wide.preview.width == 71 && wide.preview.height == 20)   // width-bound: the rubric keeps 48
        #expect(wide.timelineRow == 21 && wide.details == 23..<39)
        #expect(wide.rubric.column == 72 && wide.rubric.width == 48 && wide.rubric.height == 38)
        let fourThree = try #require(PaneLayout(columns: 120, rows: 40, pictureAspect: 4.0 / 3.0 * 2))
        #expect(fourThree.preview.width == 71 && fourThree.preview.height == 27 && fourThree.details == 30..<39)
        let small = try #require(PaneLayout(columns: 80, rows: 24, pictureAspect: 4.0 / 3.0 * 2))
        #expect(small.preview.width == 43 && small.preview.height == 17)
        #expect(small.timelineRow == 18 && small.details == 20..<23)      // clip, item, seen share
        #expect(small.rubric.width == 36)
        // A tall clip is bound by the height: the rubric gets the columns it leaves.
        let tall = try #require(PaneLayout(columns: 120, rows: 40, pictureAspect: 9.0 / 16.0 * 2))
        #expect(tall.preview.width == 41 && tall.preview.height == 36 && tall.timelineRow == 37)
        #expect(tall.rubric.column == 42 && tall.rubric.width == 78 && tall.details.isEmpty)
        // Never narrower than 20 columns (the timeline), whatever the shape.
        #expect(try #require(PaneLayout(columns: 80, rows: 24, pictureAspect: 0.1)).preview.width == 20)
        #expect(PaneLayout(columns: 120, rows: 40, pictureAspect: .nan)?.preview.width == 71)
    }

    /// The rubric scrolls only when it does not fit, and then just enough for the focus.
    @Test func theRubricScrollsOnlyWhenItMustShowTheFocus() {
        let heights = [3, 3, 4, 2, 3, 3]                                  // 18 rows
        #expect(RateScreen.firstShown(heights: heights, focus: 5, room: 30) == 0)
        #expect(RateScreen.firstShown(heights: heights, focus: 6, room: 18) == 0)   // the submit line
        #expect(RateScreen.firstShown(heights: heights, focus: 5, room: 17) == 1)   // 15 rows + "↑ 1 more"
        #expect(RateScreen.firstShown(heights: heights, focus: 5, room: 10) == 3)   // 8 rows + 1
        #expect(RateScreen.firstShown(heights: heights, focus: 5, room: 2) == 5)    // the focus, whatever fits
        #expect(RateScreen.firstShown(heights: [], focus: 0, room: 5) == 0)
    }

    /// Below the minimum the warning is wrapped, never cut: its last words say what to do.
    @Test func theTooSmallWarningWrapsToTheTerminal() {
        #expect(PaneLayout.tooSmall(program: "rate", columns: 40, rows: 12)
                == ["concord rate needs a terminal of at", "least 80×24; this one is 40×12. Enlarge", "it, or q to quit."])
        #expect(PaneLayout.tooSmall(program: "adjudicate", columns: 79, rows: 30)
                == ["concord adjudicate needs a terminal of at least 80×24; this one is 79×30.", "Enlarge it, or q to quit."])
        #expect(PaneLayout.tooSmall(program: "rate", columns: 20, rows: 2).count == 2)
    }

    @Test func wideCharactersTakeTwoColumns() {
        #expect(DisplayWidth.of("車線") == 4)
        #expect(DisplayWidth.of("lane") == 4)
        #expect(DisplayWidth.truncate("車線変更の判断", to: 7) == "車線変…")
        #expect(DisplayWidth.wrap("one two three", width: 7) == ["one two", "three"])
    }
}
