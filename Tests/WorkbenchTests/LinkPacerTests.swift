import Foundation
import Testing
@testable import Workbench

/// The pacer's decisions from given timings (no real link, no waiting): frames are written
/// while the link keeps up, skipped while bytes already waiting would make one late, and
/// written again once they have drained. A `LinkWrite` says how a write went: bytes taken
/// at once (`room`), then bytes that went through once it waited, in how long.
@Suite struct LinkPacerTests {
    private func decide(_ pacer: inout LinkPacer, bytes: Int, now: Double, measured: Int?) -> Bool {
        pacer.shouldWrite(bytes: bytes, now: now, measured: measured)
    }

    @Test func aLinkThatNeverMadeAWriteWaitIsNeverPaced() {
        var pacer = LinkPacer()
        for i in 0..<50 {
            let t = Double(i) * 0.04
            #expect(decide(&pacer, bytes: 280_000, now: t, measured: nil))
            pacer.wrote(LinkWrite(bytes: 280_000, room: 280_000), start: t, end: t + 0.0005, measured: nil)
        }
        #expect(pacer.rate == nil && pacer.skipped == 0 && pacer.written == 50)
    }

    @Test func buffersOnTheWayAreLearnedAndFramesWaitUntilTheyDrain() throws {
        var pacer = LinkPacer()
        // An idle link behind 150 kB of buffers (pty, ssh, pv) draining 2 MB/s: a 280 kB
        // picture puts 150 kB in at once, the other 130 kB go through in 65 ms.
        #expect(decide(&pacer, bytes: 280_000, now: 0, measured: nil))
        pacer.wrote(LinkWrite(bytes: 280_000, room: 150_000, waitedBytes: 130_000, waited: 0.065), start: 0, end: 0.065, measured: nil)
        let rate = try #require(pacer.rate)
        #expect(abs(rate - 2_000_000) < 1)
        #expect(abs(pacer.capacity - 150_000) < 1)
        // 10 ms later 130 kB still wait: the next 280 kB would show 205 ms on: skipped.
        #expect(!decide(&pacer, bytes: 280_000, now: 0.075, measured: nil))
        #expect(pacer.skipped == 1)
        // A small picture would be on screen within 100 ms even behind 50 kB: written.
        #expect(decide(&pacer, bytes: 10_000, now: 0.115, measured: nil))
        // Once the buffers have drained, the big one is written: 150 kB taken to drain at
        // 85 % of 2 MB/s (`LinkPacer.headroom`), 88 ms, not 75.
        #expect(!decide(&pacer, bytes: 280_000, now: 0.141, measured: nil))
        #expect(decide(&pacer, bytes: 280_000, now: 0.155, measured: nil))
    }

    @Test func aMeasuredPipeDropsFramesUntilItDrains() {
        var pacer = LinkPacer()
        // 100 kB into an empty 64 kB pipe drained at 2 MB/s: 64 kB at once, 36 kB in 18 ms.
        #expect(decide(&pacer, bytes: 100_000, now: 0, measured: 0))
        pacer.wrote(LinkWrite(bytes: 100_000, room: 64_000, waitedBytes: 36_000, waited: 0.018), start: 0, end: 0.018, measured: 64_000)
        #expect(abs(pacer.rate! - 2_000_000) < 1)
        // 22 ms later the kernel says 20 kB wait (44 kB went: 2 MB/s again): 60 ms, written.
        #expect(decide(&pacer, bytes: 100_000, now: 0.040, measured: 20_000))
        #expect(abs(pacer.rate! - 2_000_000) < 1)
        // 62 kB waiting and a 200 kB frame: 131 ms late, skipped.
        #expect(!decide(&pacer, bytes: 200_000, now: 0.050, measured: 62_000))
        #expect(pacer.skipped == 1)
        // An empty pipe takes the next frame, however large.
        #expect(decide(&pacer, bytes: 400_000, now: 0.200, measured: 0))
    }

    @Test func bigPicturesTakenAtOnceThreeTimesInARowEndThePacing() {
        var pacer = LinkPacer()
        pacer.wrote(LinkWrite(bytes: 280_000, room: 20_000, waitedBytes: 260_000, waited: 0.13), start: 0, end: 0.13, measured: nil)
        #expect(pacer.rate != nil)
        // Each one larger than the buffers were taken to hold after the one before.
        for k in 1...3 {
            #expect(pacer.rate != nil, "ended after \(k - 1)")
            pacer.wrote(LinkWrite(bytes: 280_000 * k, room: 280_000 * k), start: Double(k), end: Double(k) + 0.0004, measured: nil)
        }
        #expect(pacer.rate == nil)
        #expect(decide(&pacer, bytes: 280_000, now: 3.001, measured: nil))
    }

    @Test func oneWriteTakenAtOnceBetweenWritesThatWaitedKeepsThePacing() throws {
        // 2 MB/s behind buffers learned at 20 kB: a reader's burst lets one 50 kB picture in
        // at once. The link is as slow as before: the pacing (and the smaller pictures
        // drawn while it lasts) stays, and the 50 kB are taken to be on their way.
        var pacer = LinkPacer()
        pacer.wrote(LinkWrite(bytes: 50_000, room: 20_000, waitedBytes: 30_000, waited: 0.015), start: 0, end: 0.015, measured: nil)
        pacer.wrote(LinkWrite(bytes: 50_000, room: 50_000), start: 0.2, end: 0.2004, measured: nil)
        #expect(abs(try #require(pacer.rate) - 2_000_000) < 1)
        // The buffers took 50 kB at once: they hold at least that.
        #expect(pacer.capacity == 50_000)
        // 50 kB wait: another 200 kB would show 125 ms on: skipped.
        #expect(!decide(&pacer, bytes: 200_000, now: 0.2005, measured: nil))
        // The next write waits again: the count of writes taken at once starts over.
        pacer.wrote(LinkWrite(bytes: 50_000, room: 10_000, waitedBytes: 40_000, waited: 0.02), start: 0.3, end: 0.32, measured: nil)
        pacer.wrote(LinkWrite(bytes: 60_000, room: 60_000), start: 0.5, end: 0.5004, measured: nil)
        pacer.wrote(LinkWrite(bytes: 70_000, room: 70_000), start: 0.6, end: 0.6004, measured: nil)
        #expect(pacer.rate != nil)
    }

    @Test func aRelayThatTakesWholePicturesIsMeasuredFromFullToFull() throws {
        // 2 MB/s behind a relay holding 600 kB (pv's buffer and the pipes to it): a 600 kB
        // picture goes in after a 30 ms wait, 555 kB in 30 ms: 18.5 MB/s, taken as 4 MB/s
        // (one write's figure, twice the assumed link at most) until a span measures it.
        var pacer = LinkPacer()
        pacer.wrote(LinkWrite(bytes: 600_000, room: 45_000, waitedBytes: 555_000, waited: 0.03), start: 0, end: 0.03, measured: nil)
        #expect(abs(try #require(pacer.rate) - 4_000_000) < 1)
        // Two more pictures: one taken at once, one that waits until 0.53 s. The buffers
        // were full at 0.03 s and at 0.53 s: the 1 MB written between is what the link
        // carried in 0.5 s.
        pacer.wrote(LinkWrite(bytes: 500_000, room: 500_000), start: 0.2, end: 0.2005, measured: nil)
        pacer.wrote(LinkWrite(bytes: 500_000, room: 100_000, waitedBytes: 400_000, waited: 0.2), start: 0.33, end: 0.53, measured: nil)
        #expect(abs(try #require(pacer.rate) - 2_000_000) < 1)
        // Waits closer together than 0.4 s give no figure; the bytes count toward the next.
        pacer.wrote(LinkWrite(bytes: 400_000, room: 0, waitedBytes: 400_000, waited: 0.2), start: 0.6, end: 0.8, measured: nil)
        #expect(abs(try #require(pacer.rate) - 2_000_000) < 1)
        // 600 kB in 0.42 s (1.43 MB/s), in a running mean with the 2 MB/s before.
        pacer.wrote(LinkWrite(bytes: 200_000, room: 0, waitedBytes: 200_000, waited: 0.1), start: 0.85, end: 0.95, measured: nil)
        #expect(abs(try #require(pacer.rate) - 1_714_285.7) < 1)
        // After a pause in writing (0.3 s, the clip paused or frames held back), the buffers
        // may have drained: the next wait starts a new span instead of ending one.
        pacer.wrote(LinkWrite(bytes: 300_000, room: 0, waitedBytes: 300_000, waited: 0.15), start: 1.25, end: 1.4, measured: nil)
        #expect(abs(try #require(pacer.rate) - 1_714_285.7) < 1)
    }

    @Test func theFirstFigureFromWriteToWriteComesSooner() throws {
        // The first write's own figure (18.5 MB/s, taken as 4 MB/s) is replaced after 0.15 s between two
        // writes that waited, not 0.4 s: 400 kB went through in 0.2 s.
        var pacer = LinkPacer()
        pacer.wrote(LinkWrite(bytes: 600_000, room: 45_000, waitedBytes: 555_000, waited: 0.03), start: 0, end: 0.03, measured: nil)
        pacer.wrote(LinkWrite(bytes: 400_000, room: 0, waitedBytes: 400_000, waited: 0.15), start: 0.08, end: 0.23, measured: nil)
        #expect(abs(try #require(pacer.rate) - 2_000_000) < 1)
    }

    @Test func aWriteThatCaughtTheEndOfABurstIsNotTakenForTheLinksRate() throws {
        // Through `pv -L 2m` a write waited 91 ms for 24 kB (pv's allowance spent, the next
        // burst late): 264 kB/s. Taken as that, playback held at 2 pictures a second; it
        // is taken as the assumed 2 MB/s until a span measures the link.
        var pacer = LinkPacer()
        pacer.wrote(LinkWrite(bytes: 121_000, room: 97_000, waitedBytes: 24_000, waited: 0.091), start: 0, end: 0.091, measured: nil)
        #expect(pacer.rate == LinkPacer.assumedRate)
    }

    @Test func aFrameAlreadyLateWhenAskedCountsThatToo() throws {
        // 2 MB/s, 40 kB waiting: a 120 kB picture shows 80 ms on. Asked when its frame's
        // time came, written; asked 30 ms after it (the event loop came back for it late),
        // it would show 110 ms behind its time: skipped, and the next frame is drawn.
        var pacer = LinkPacer()
        pacer.wrote(LinkWrite(bytes: 200_000, room: 0, waitedBytes: 200_000, waited: 0.1), start: 0, end: 0.1, measured: nil)
        #expect(pacer.rate == LinkPacer.assumedRate)
        var late = pacer
        let onTime = pacer.shouldWrite(bytes: 120_000, now: 0.1, measured: 40_000, due: 0.1)
        let behind = late.shouldWrite(bytes: 120_000, now: 0.1, measured: 40_000, due: 0.07)
        #expect(onTime && !behind)
        // Nothing waiting: written however late (waiting would only make it later).
        let idle = late.shouldWrite(bytes: 120_000, now: 0.2, measured: 0, due: 0.1)
        #expect(idle)
    }

    @Test func theKernelSaysWhatAPipeHolds() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(LinkPacer.waiting(fd: fds[1]) == 0)
        let bytes = [UInt8](repeating: 7, count: 3000)
        #expect(write(fds[1], bytes, bytes.count) == 3000)
        #expect(LinkPacer.waiting(fd: fds[1]) == 3000)
        var buffer = [UInt8](repeating: 0, count: 1000)
        #expect(read(fds[0], &buffer, 1000) == 1000)
        #expect(LinkPacer.waiting(fd: fds[1]) == 2000)
        // A regular file has no queue to ask about.
        let file = open("/dev/null", O_WRONLY)
        defer { close(file) }
        #expect(LinkPacer.waiting(fd: file) == nil)
    }
}
