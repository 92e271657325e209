import Foundation
import Testing
@testable import Workbench

/// The pacer's decisions from given timings (no real link, no waiting): frames are written
/// while the link keeps up, skipped while bytes already waiting would make one late, and
/// written again once they have drained.
@Suite struct LinkPacerTests {
    private func decide(_ pacer: inout LinkPacer, bytes: Int, now: Double, measured: Int?) -> Bool {
        pacer.shouldWrite(bytes: bytes, now: now, measured: measured)
    }

    @Test func aLinkThatNeverMadeAWriteWaitIsNeverPaced() {
        var pacer = LinkPacer()
        for i in 0..<50 {
            let t = Double(i) * 0.04
            #expect(decide(&pacer, bytes: 280_000, now: t, measured: nil))
            pacer.wrote(bytes: 280_000, start: t, end: t + 0.0005, measured: nil)
        }
        #expect(pacer.rate == nil && pacer.skipped == 0 && pacer.written == 50)
    }

    @Test func aMeasuredPipeAt2MBpsDropsFramesUntilItDrains() {
        var pacer = LinkPacer()
        // 100 kB frames every 40 ms into a pipe drained at 2 MB/s: the write waited 20 ms
        // and left the pipe's 64 kB waiting.
        #expect(decide(&pacer, bytes: 100_000, now: 0, measured: 0))
        pacer.wrote(bytes: 100_000, start: 0, end: 0.018, measured: 64_000)
        #expect(abs(pacer.rate! - 2_000_000) < 1)
        // 22 ms later 44 kB went through, 20 kB still wait: 120 kB at 2 MB/s is 60 ms late, write.
        #expect(decide(&pacer, bytes: 100_000, now: 0.040, measured: 20_000))
        pacer.wrote(bytes: 100_000, start: 0.040, end: 0.082, measured: 64_000)
        // A frame due with 60 kB waiting would show 80 ms late: still written (≤ 100 ms)…
        #expect(decide(&pacer, bytes: 100_000, now: 0.084, measured: 60_000))
        pacer.wrote(bytes: 100_000, start: 0.084, end: 0.130, measured: 64_000)
        // …but a 200 kB frame behind 62 kB would be 131 ms late: skipped, counted.
        #expect(!decide(&pacer, bytes: 200_000, now: 0.131, measured: 62_000))
        #expect(pacer.skipped == 1)
        // Once the pipe is empty the next frame is written, however large.
        #expect(decide(&pacer, bytes: 400_000, now: 0.200, measured: 0))
    }

    @Test func aPtyThatReportsNothingIsPacedFromHowLongWritesWaited() {
        var pacer = LinkPacer()
        // 280 kB took 140 ms: 2 MB/s less the pty's hidden buffer.
        #expect(decide(&pacer, bytes: 280_000, now: 0, measured: nil))
        pacer.wrote(bytes: 280_000, start: 0, end: 0.14, measured: nil)
        let rate = try! #require(pacer.rate)
        #expect(rate > 1_800_000 && rate < 2_000_000)
        // Right after, the buffer's 16 kB still drain: a 280 kB frame would be ~150 ms late.
        #expect(!decide(&pacer, bytes: 280_000, now: 0.141, measured: nil))
        // A small frame fits within 100 ms: written.
        #expect(decide(&pacer, bytes: 10_000, now: 0.141, measured: nil))
        // 20 ms later the buffer has drained (16 kB at ~1.9 MB/s is 8 ms): written.
        #expect(decide(&pacer, bytes: 280_000, now: 0.161, measured: nil))
    }

    @Test func aBigFrameTakenAtOnceEndsThePacing() {
        var pacer = LinkPacer()
        pacer.wrote(bytes: 280_000, start: 0, end: 0.14, measured: nil)
        #expect(pacer.rate != nil)
        pacer.wrote(bytes: 280_000, start: 1, end: 1.0004, measured: nil)
        #expect(pacer.rate == nil)
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
