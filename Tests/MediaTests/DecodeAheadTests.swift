import Foundation
import Media
import Testing

@Suite struct DecodeAheadTests {
    @Test func playsEveryFrameInOrderAndRepositions() throws {
        let path = try VideoDecoderTests.clip("ahead.mp4", count: 80, output: ["-bf", "3", "-g", "12"])
        let player = try DecodeAhead(path: path, capacity: 4, scale: .scaledTo(width: 32, height: 32))
        #expect(player.frameCount == 80)
        var seen: [Int] = []
        while let f = try player.next() {
            #expect(VideoDecoderTests.identify(f) == f.index)
            #expect(f.width == 32 && f.height == 24)
            seen.append(f.index)
        }
        #expect(seen == Array(0..<80))
        #expect(try player.next() == nil)

        // Reposition mid-clip, at another size; the queue never exceeds its capacity.
        player.start(at: 37, scale: .native)
        var after: [Int] = []
        for _ in 0..<10 {
            let f = try #require(try player.next())
            #expect(VideoDecoderTests.identify(f) == f.index && f.width == 64)
            after.append(f.index)
            #expect(player.queued <= 4)
        }
        #expect(after == Array(37..<47))
        // Reposition while the worker is busy: nothing from before the jump leaks through.
        player.start(at: 5, scale: .native)
        player.start(at: 70, scale: .native)
        let jumped = try #require(try player.next())
        #expect(jumped.index == 70 && VideoDecoderTests.identify(jumped) == 70)
    }

    @Test func errorsArriveInOrderAndReleaseCleanly() throws {
        let path = try VideoDecoderTests.clip("ahead-error.mp4", count: 20, output: [])
        do {
            let player = try DecodeAhead(path: path, capacity: 2)
            player.start(at: 500, scale: .native)
            #expect(throws: MediaError.self) { try player.next() }
            #expect(try player.next() == nil)
            player.start(at: 18, scale: .native)
            #expect(try player.next()?.index == 18)
            // Dropped with frames queued and the worker asleep: deinit stops it.
        }
        #expect(throws: MediaError.self) { try DecodeAhead(path: VideoDecoderTests.dir + "/nothing-here.mp4") }
    }
}
