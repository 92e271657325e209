import Testing
@testable import Workbench

/// The size a playing picture is drawn at over a slow link, from the link's rate and the
/// bytes a pixel of recent pictures took. The figures are the slow-link benchmark's noisy
/// clip (BENCHMARKS.md, bench:slowlink) through `pv -L 2m`: a 639×359 kitty picture of
/// 626 kB, a sixel one of 394.5 kB, a 355×200 kitty one of 194 kB. The budget is 80 ms of
/// the link: 160 kB at 2 MB/s.
@Suite struct PlaybackScaleTests {
    static let full = 639 * 359   // 229,401 pixels

    private func measured(_ bytes: Int, pixels: Int = full) -> PlaybackScale {
        var scale = PlaybackScale()
        scale.wrote(bytes: bytes, pixels: pixels)
        return scale
    }

    @Test func aPictureTooLargeForTheLinkIsDrawnAtTheLargestStepThatFits() {
        // Kitty 639×359: 626 kB × 0.841² = 443 kB, × 0.707² = 313 kB, × 0.595² = 222 kB,
        // × 0.5² = 156.5 kB ≤ 160 kB: half each way, 320×180.
        var kitty = measured(626_000)
        #expect(kitty.choose(playing: true, rate: 2_000_000, pixels: Self.full) == 0.5)
        #expect(PlaybackScale.size((639, 359), factor: 0.5) == (320, 180))
        // Sixel 639×359: 394.5 kB × 0.707² = 197 kB > 160 kB, × 0.595² = 139.7 kB fits.
        var sixel = measured(394_500)
        #expect(sixel.choose(playing: true, rate: 2_000_000, pixels: Self.full) == 0.595)
        #expect(PlaybackScale.size((639, 359), factor: 0.595) == (380, 214))
        // Kitty 355×200: 194 kB × 0.841² = 137 kB fits.
        var small = measured(194_000, pixels: 355 * 200)
        #expect(small.choose(playing: true, rate: 2_000_000, pixels: 355 * 200) == 0.841)
        // The demo clip's 66.8 kB pictures fit whole.
        var demo = measured(66_800)
        #expect(demo.choose(playing: true, rate: 2_000_000, pixels: Self.full) == 1)
    }

    @Test func pausedOrOnALinkNeverSlowItIsFullSize() {
        var scale = measured(626_000)
        #expect(scale.choose(playing: true, rate: 2_000_000, pixels: Self.full) == 0.5)
        // Paused (or stepped): full size, and playing again starts over from full size.
        #expect(scale.choose(playing: false, rate: 2_000_000, pixels: Self.full) == 1)
        #expect(scale.step == 0)
        // No write ever waited (rate nil): an unthrottled link carries any picture.
        #expect(scale.choose(playing: true, rate: nil, pixels: Self.full) == 1)
        // Nothing measured yet: nothing to predict from.
        var fresh = PlaybackScale()
        #expect(fresh.choose(playing: true, rate: 2_000_000, pixels: Self.full) == 1)
        #expect(fresh.expectedBytes(pixels: Self.full, factor: 1) == nil)
    }

    @Test func theFloorIsAQuarterOfThePixels() {
        // 500 kB/s: a 40 kB budget that even 156.5 kB cannot meet; frames are dropped at half size.
        var scale = measured(626_000)
        #expect(scale.choose(playing: true, rate: 500_000, pixels: Self.full) == 0.5)
        #expect(scale.expectedBytes(pixels: Self.full, factor: 0.5) == 156_500)
    }

    @Test func theFirstPicturesOfAPlayMayGoAStepBelowTheFloor() {
        // Kitty 639×359: the paused picture took 618 kB (2.694 bytes a pixel), the first
        // playing one 172 kB at 320×180 (2.986, noise costs more a pixel when smaller): a
        // mean of 2.840, 162.9 kB at half each way, more than the 160 kB budget at 2 MB/s.
        var scale = PlaybackScale()
        scale.wrote(bytes: 618_000, pixels: Self.full)
        scale.wrote(bytes: 172_000, pixels: 320 * 180)
        #expect(scale.choose(playing: true, rate: 2_000_000, pixels: Self.full) == 0.5)
        // Before any write waited (`probing`): 0.42, 114.9 kB.
        #expect(scale.choose(playing: true, rate: 2_000_000, pixels: Self.full, probing: true) == 0.42)
        #expect(PlaybackScale.size((639, 359), factor: 0.42) == (268, 151))
        // Once the link is measured, back to the floor even if 0.42 fitted better.
        #expect(scale.choose(playing: true, rate: 1_000_000, pixels: Self.full) == 0.5)
        // Sixel's 392 kB at the same rate fits at 0.595 whether probing or not.
        var sixel = measured(392_000)
        #expect(sixel.choose(playing: true, rate: 2_000_000, pixels: Self.full, probing: true) == 0.595)
    }

    /// The factor after the pacer said `rate` for `pictures` pictures in a row.
    private func steady(_ scale: inout PlaybackScale, rate: Double, pictures: Int = 40) -> Double {
        var factor = 0.0
        for _ in 0..<pictures { factor = scale.choose(playing: true, rate: rate, pixels: Self.full) }
        return factor
    }

    @Test func aLargerStepIsTakenOnlyWithRoomToSpare() {
        // Sixel, 394.5 kB full: at 2 MB/s step 0.595 (139.7 kB); step 0.707 needs 197.2 kB.
        var scale = measured(394_500)
        #expect(steady(&scale, rate: 2_000_000) == 0.595)
        // 2.5 MB/s: 197.2 kB fits the 200 kB budget, but not 70 % of it (140 kB): it stays,
        // though a picture starting from full size at this rate would take 0.707.
        #expect(steady(&scale, rate: 2_500_000) == 0.595)
        var starting = measured(394_500)
        #expect(starting.choose(playing: true, rate: 2_500_000, pixels: Self.full) == 0.707)
        // 3 MB/s: 70 % of 240 kB is 168 kB, still short of 197.2 kB.
        #expect(steady(&scale, rate: 3_000_000) == 0.595)
        // 4 MB/s: 70 % of 320 kB is 224 kB: 0.707 (197.2 kB) is taken, 0.841 (279 kB) is not.
        #expect(steady(&scale, rate: 4_000_000) == 0.707)
        // Back at 2.5 MB/s (taken at once: a rate falls without delay), 0.707 still fits: kept.
        #expect(scale.choose(playing: true, rate: 2_500_000, pixels: Self.full) == 0.707)
        #expect(scale.linkRate == 2_500_000)
        // At 2 MB/s it no longer does: smaller at once.
        #expect(scale.choose(playing: true, rate: 2_000_000, pixels: Self.full) == 0.595)
    }

    @Test func oneBurstsFigureDoesNotBringALargerPictureBack() throws {
        // At 2 MB/s the sixel picture is at 0.595. One write through a bursty relay reads
        // 8 MB/s, at which the full 394.5 kB would fit 70 % of the 640 kB budget; the rate
        // used rises a tenth of the way (2.6 MB/s, 145.6 kB at 70 %): the size stays.
        var scale = measured(394_500)
        #expect(steady(&scale, rate: 2_000_000) == 0.595)
        #expect(scale.choose(playing: true, rate: 8_000_000, pixels: Self.full) == 0.595)
        #expect(abs(try #require(scale.linkRate) - 2_600_000) < 1)
        // Sustained, the higher rate is reached and the full size comes back.
        #expect(steady(&scale, rate: 8_000_000) == 1)
    }

    @Test func theBytesAPixelTakesFollowRecentPictures() throws {
        var scale = PlaybackScale()
        scale.wrote(bytes: 200_000, pixels: 100_000)   // 2 bytes a pixel
        scale.wrote(bytes: 100_000, pixels: 25_000)    // 4: the mean of the two is 3
        #expect(try #require(scale.bytesPerPixel) == 3)
        #expect(scale.expectedBytes(pixels: 100_000, factor: 0.5) == 75_000)
        scale.wrote(bytes: 0, pixels: 100)             // nothing written: not a sample
        #expect(scale.bytesPerPixel == 3)
    }
}
