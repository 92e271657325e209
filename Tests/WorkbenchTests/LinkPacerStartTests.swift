import Testing
@testable import Workbench

/// The first pictures after the play key, before the link's rate is known
/// (`LinkPacer.sizingRate`): they are sized for the slowest link playback is kept on the clock
/// over (2 MB/s), from the bytes a pixel of the paused picture took, until the link is
/// measured or has taken more than that link could have. Writes come from a fake link (a
/// fake clock, write times computed from the bytes): `Relay` hides 830 kB before a write
/// waits, as `pv -L 2m` did in the benchmark (650 kB of burst, what it saved up while idle
/// since the program started 0.3 s before the play key, and the pipes' 180 kB), and drains
/// 2 MB/s.
@Suite struct LinkPacerStartTests {
    static let full = 639 * 359

    /// A link of `rate` bytes a second behind `hidden` bytes of buffers (and burst) that
    /// take bytes at once while they have room.
    struct Relay {
        var rate: Double
        var hidden: Double
        var held = 0.0
        var at = 0.0

        /// How a write of `bytes` at `now` goes, and when it returns.
        mutating func write(_ bytes: Int, now: Double) -> (LinkWrite, end: Double) {
            held = max(0, held - rate * (now - at))
            let room = min(Double(bytes), max(0, hidden - held))
            let rest = Double(bytes) - room
            let waited = rest / rate
            held = min(hidden, held + Double(bytes))
            let end = now + 0.0005 + waited
            at = end
            return (LinkWrite(bytes: bytes, room: Int(room), waitedBytes: Int(rest), waited: waited), end)
        }
    }

    @Test func untilMeasuredPlayingPicturesAreSizedForTheAssumedLink() {
        var pacer = LinkPacer()
        // Paused: nothing measured, nothing assumed (the picture is full size).
        #expect(pacer.sizingRate(playing: false, now: 0).rate == nil)
        // The paused 639×359 kitty picture of the noisy clip took 618 kB; playing, the link
        // is taken to be 2 MB/s: 160 kB in 80 ms, half each way (154.5 kB).
        #expect(pacer.sizingRate(playing: true, now: 0.1).rate == 2_000_000)
        var kitty = PlaybackScale()
        kitty.wrote(bytes: 618_000, pixels: Self.full)
        let sizing = pacer.sizingRate(playing: true, now: 0.11)
        #expect(sizing.probing)
        #expect(kitty.choose(playing: true, rate: sizing.rate, pixels: Self.full, probing: sizing.probing) == 0.5)
        // Sixel's 392 kB: 0.595 (138.8 kB); the demo clip's 66.8 kB fit whole.
        var sixel = PlaybackScale(), demo = PlaybackScale()
        sixel.wrote(bytes: 392_000, pixels: Self.full)
        demo.wrote(bytes: 66_800, pixels: Self.full)
        #expect(sixel.choose(playing: true, rate: 2_000_000, pixels: Self.full) == 0.595)
        #expect(demo.choose(playing: true, rate: 2_000_000, pixels: Self.full) == 1)
    }

    @Test func aLinkThatTookMoreThanTheAssumedOneCouldIsFullSize() {
        // Unthrottled: 155 kB pictures every 40 ms from the program's start, each taken in
        // 1 ms. After n of them the link took 155 kB × n against what a relay of 2.2 MB/s
        // could have let through since, 2.2 MB/s × (40 ms × (n − 1) + 1 ms), plus 512 kB:
        // more from the 7th (1,085 kB against 1,042 kB; the 6th: 930 against 954).
        var pacer = LinkPacer(origin: 1)
        for n in 1...7 {
            let t = 1 + 0.04 * Double(n - 1)
            #expect(pacer.sizingRate(playing: true, now: t) == (2_000_000, true), "picture \(n)")
            pacer.wrote(LinkWrite(bytes: 155_000, room: 155_000), start: t, end: t + 0.001, measured: nil)
        }
        #expect(pacer.fasterThanAssumed)
        #expect(pacer.sizingRate(playing: true, now: 1.3).rate == nil)
        // A write that waits now (the reader was busy) reads 9 MB/s: taken as it is, the
        // link having taken more than a 2 MB/s one could (capped at 4 MB/s, a fast link
        // played 380×214 pictures at 13 a second instead of 639×359 at 25).
        var busy = pacer
        busy.wrote(LinkWrite(bytes: 620_000, room: 170_000, waitedBytes: 450_000, waited: 0.05), start: 1.3, end: 1.35, measured: nil)
        #expect(busy.rate == 9_000_000)
        // Paused and played again: still known to be fast, full size at once.
        #expect(pacer.sizingRate(playing: false, now: 2).rate == nil)
        #expect(pacer.sizingRate(playing: true, now: 3).rate == nil)
    }

    @Test func aRelayThatHidesASlowLinkIsNotTakenForAFastOne() throws {
        // The same pictures through the relay: 830 kB go in at once, then writes wait. The
        // size stays for 2 MB/s throughout, and the link's rate comes from write to write.
        var pacer = LinkPacer(origin: 0.7), relay = Relay(rate: 2_000_000, hidden: 830_000)
        var t = 1.0, sized: [Double?] = [], firstCapacity: Double?
        for _ in 0..<40 {
            let sizing = pacer.sizingRate(playing: true, now: t)
            sized.append(sizing.rate)
            if pacer.shouldWrite(bytes: 155_000, now: t, measured: nil) {
                let (write, end) = relay.write(155_000, now: t)
                pacer.wrote(write, start: t, end: end, measured: nil)
                if firstCapacity == nil && pacer.rate != nil { firstCapacity = pacer.capacity }
                t = max(t + 0.04, end)
            } else {
                t += 0.02
            }
        }
        #expect(!pacer.fasterThanAssumed)
        // The first write that waited: what went in beyond what 2 MB/s carried is what the
        // way holds (830 kB), not the room that write found.
        #expect(abs(try #require(firstCapacity) - 830_000) < 10_000)
        #expect(sized.allSatisfy { $0 != nil && $0! <= 2_020_000 }, "\(sized)")
        #expect(abs(try #require(pacer.rate) - 2_000_000) < 20_000)
        #expect(pacer.skipped > 0)
    }

    @Test func oneWritesFigureIsNotSizedForButASpanIs() throws {
        // The first write that waited read 18.5 MB/s (a relay's burst): paced as 4 MB/s at
        // most (twice the assumed link), sized for 2 MB/s still. (The program started a
        // second before: what went in is within what a relay may have saved up since.)
        var pacer = LinkPacer(origin: -1)
        #expect(pacer.sizingRate(playing: true, now: 0).rate == 2_000_000)
        pacer.wrote(LinkWrite(bytes: 600_000, room: 45_000, waitedBytes: 555_000, waited: 0.03), start: 0, end: 0.03, measured: nil)
        #expect(abs(try #require(pacer.rate) - 4_000_000) < 1)
        // Sized for 2 MB/s still, but a write has waited: the buffers are known to be full,
        // the pacer drops frames for them, and the pictures go no lower than the usual floor.
        #expect(pacer.sizingRate(playing: true, now: 0.05) == (2_000_000, false))
        // From write to write: 320 kB in 0.2 s, 1.6 MB/s, below the assumed figure: used.
        pacer.wrote(LinkWrite(bytes: 320_000, room: 0, waitedBytes: 320_000, waited: 0.15), start: 0.08, end: 0.23, measured: nil)
        let measured = pacer.sizingRate(playing: true, now: 0.24).rate
        #expect(abs(try #require(measured) - 1_600_000) < 1)
        // A link measured faster than the assumed one is sized for what it is.
        var fast = LinkPacer(origin: -1)
        _ = fast.sizingRate(playing: true, now: 0)
        fast.wrote(LinkWrite(bytes: 600_000, room: 45_000, waitedBytes: 555_000, waited: 0.03), start: 0, end: 0.03, measured: nil)
        fast.wrote(LinkWrite(bytes: 800_000, room: 0, waitedBytes: 800_000, waited: 0.15), start: 0.08, end: 0.23, measured: nil)
        let faster = fast.sizingRate(playing: true, now: 0.24).rate
        #expect(abs(try #require(faster) - 4_000_000) < 1)
    }

    @Test func aBurstSavedUpSinceTheProgramStartedIsNotSpeed() {
        // pv lets through at once what it did not send while idle: started with the program
        // (at 0), by 1 s it holds 2.1 MB. A 618 kB paused picture at 0.9 s, then 1.6 MB taken
        // at once in the first 50 ms of playing: 2.2 MB, not more than 2.2 MB/s × 1.05 s +
        // 512 kB (2.82 MB), so not taken for speed (counted from the play key, as before,
        // 1.6 MB in 50 ms read as faster, and full-size pictures showed 529 ms late).
        var pacer = LinkPacer(origin: 0)
        _ = pacer.sizingRate(playing: false, now: 0.9)
        pacer.wrote(LinkWrite(bytes: 618_000, room: 618_000), start: 0.9, end: 0.905, measured: nil)
        #expect(pacer.sizingRate(playing: true, now: 1).rate == 2_000_000)
        pacer.wrote(LinkWrite(bytes: 1_600_000, room: 1_600_000), start: 1.049, end: 1.05, measured: nil)
        #expect(!pacer.fasterThanAssumed)
        #expect(pacer.sizingRate(playing: true, now: 1.06) == (2_000_000, true))
        // A pause does not start the count again: pv saves up while paused too. Paused for
        // 0.5 s, played: 1.7 MB at once makes 3.92 MB, within 2.2 MB/s × 1.601 s + 512 kB
        // (4.03 MB).
        _ = pacer.sizingRate(playing: false, now: 1.1)
        #expect(pacer.sizingRate(playing: true, now: 1.6).rate == 2_000_000)
        pacer.wrote(LinkWrite(bytes: 1_700_000, room: 1_700_000), start: 1.6, end: 1.601, measured: nil)
        #expect(!pacer.fasterThanAssumed)
        // 500 kB more taken at once: 4.42 MB against 4.12 MB: faster.
        pacer.wrote(LinkWrite(bytes: 500_000, room: 500_000), start: 1.64, end: 1.641, measured: nil)
        #expect(pacer.fasterThanAssumed)
        #expect(pacer.sizingRate(playing: true, now: 1.7).rate == nil)
    }

    @Test func theProgramsStartIsReadFromProc() throws {
        // The process started before now, and not before the machine did.
        let now = 1_000_000.0
        let start = try #require(LinkPacer.processStart(now: now))
        #expect(start <= now && start > now - 86_400 * 365)
    }

    @Test func pacingThatEndedSaysTheLinkIsFast() {
        // Paced (a write waited), then three pictures in a row taken at once, each beyond
        // what the buffers were taken to hold: the pacing ends, and so does the assumption.
        // (The program started 10 s before: the bytes are within what a relay may have saved.)
        let ended = Self.paceThenTakeThreeAtOnce(playing: false)
        #expect(ended.rate == nil && ended.fasterThanAssumed)
        var fast = ended
        #expect(fast.sizingRate(playing: true, now: 0.5).rate == nil)
        // The same while playing on a link only one write measured: pv's burst takes
        // pictures at once beyond the buffers too (full size then showed 213 ms late). The
        // pacing ends, but the pictures stay sized for 2 MB/s; the count since the program
        // started says when such a link is faster.
        var probing = Self.paceThenTakeThreeAtOnce(playing: true)
        #expect(probing.rate == nil && !probing.fasterThanAssumed)
        #expect(probing.sizingRate(playing: true, now: 0.5) == (2_000_000, true))
    }

    static func paceThenTakeThreeAtOnce(playing: Bool) -> LinkPacer {
        var pacer = LinkPacer(origin: -10)
        _ = pacer.sizingRate(playing: playing, now: 0)
        pacer.wrote(LinkWrite(bytes: 280_000, room: 20_000, waitedBytes: 260_000, waited: 0.13), start: 0, end: 0.13, measured: nil)
        for k in 1...3 {
            #expect(!pacer.fasterThanAssumed)
            pacer.wrote(LinkWrite(bytes: 280_000 * k, room: 280_000 * k), start: 0.13 + 0.04 * Double(k), end: 0.1304 + 0.04 * Double(k), measured: nil)
        }
        return pacer
    }
}
