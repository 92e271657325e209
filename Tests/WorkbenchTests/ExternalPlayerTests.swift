import Testing
@testable import Workbench

/// The pieces of `o` that need no mpv: reading mpv's event lines, when `o` cannot work, and
/// what mpv's reported frames count as seen (the whole path runs in RateMpvTests).
@Suite struct ExternalPlayerTests {
    @Test func onlyTimePosChangesArePositions() {
        #expect(ExternalPlayer.position(in: #"{"event":"property-change","id":1,"name":"time-pos","data":1.980000}"#) == 1.98)
        #expect(ExternalPlayer.position(in: #"{"event":"property-change","id":1,"name":"time-pos","data":2}"#) == 2)
        // No data while no file is loaded; other properties, replies, events, garbage.
        #expect(ExternalPlayer.position(in: #"{"event":"property-change","id":1,"name":"time-pos"}"#) == nil)
        #expect(ExternalPlayer.position(in: #"{"event":"property-change","id":2,"name":"pause","data":true}"#) == nil)
        #expect(ExternalPlayer.position(in: #"{"data":1.5,"request_id":0,"error":"success"}"#) == nil)
        #expect(ExternalPlayer.position(in: #"{"event":"seek"}"#) == nil)
        #expect(ExternalPlayer.position(in: "not json") == nil)
    }

    @Test func withoutADisplayOrMpvItSaysWhich() {
        #expect(ExternalPlayer.unavailable(environment: ["PATH": "/usr/bin"])
                == "o opens the clip in mpv on a graphical display; this session has none (no DISPLAY or WAYLAND_DISPLAY)")
        #expect(ExternalPlayer.unavailable(environment: ["DISPLAY": "", "WAYLAND_DISPLAY": ""]) != nil)
        #expect(ExternalPlayer.unavailable(environment: ["WAYLAND_DISPLAY": "wayland-0", "PATH": "/nonexistent"])
                == "o opens the clip in mpv, which is not installed here (Debian: apt-get install mpv)")
    }

    @Test func playedFramesAreSeenAndSeeksPassNothingOver() {
        var player = Player(frameCount: 100, frameRate: 24)   // a quarter second: 6 frames
        // Played 10…14 (one dropped), a seek to 40, played to 46 (a 6-frame gap: still
        // playback), a seek back to 5, and a report past the end, ignored.
        player.markSeen(played: [10, 11, 13, 14, 40, 46, 5, 100])
        let seen = (0..<100).filter { player.seen[$0] }
        #expect(seen == [0, 5] + Array(10...14) + Array(40...46))
        #expect(player.seenCount == seen.count)
    }
}
