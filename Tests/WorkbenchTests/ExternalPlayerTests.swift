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

    /// The speeds recorded are those mpv played at: a seek while paused records none, a play
    /// at 1× then 2× records both, and a speed set while paused records nothing until it plays.
    @Test func speedsAreThoseMpvPlayedAt() {
        func watch(_ lines: [String], playing: Bool) -> ExternalPlayer.Watch {
            var w = ExternalPlayer.Watch(paused: !playing)
            for line in lines {
                if let change = ExternalPlayer.change(in: line), change.name != "time-pos" { w.note(change.name, change.value); continue }
                if let p = ExternalPlayer.position(in: line) { w.add(p) }
            }
            return w
        }
        func pos(_ t: Double) -> String { #"{"event":"property-change","id":1,"name":"time-pos","data":\#(t)}"# }
        let speed2 = #"{"event":"property-change","id":2,"name":"speed","data":2.000000}"#
        let paused = #"{"event":"property-change","id":3,"name":"pause","data":true}"#
        let playing = #"{"event":"property-change","id":3,"name":"pause","data":false}"#
        // Sought while paused, as RateMpvTests drives it: positions, no speed.
        let sought = watch([paused, pos(1.5), pos(1.98)], playing: false)
        #expect(sought.positions == [1.5, 1.98] && sought.speeds.isEmpty)
        // Played at 1×, then at 2×.
        let played = watch([playing, pos(1.5), pos(1.54), speed2, pos(1.62), paused, pos(1.62)], playing: true)
        #expect(played.speeds == [1, 2])
        // 2× chosen while paused, then a seek backwards while playing: nothing played forward at 2×.
        #expect(watch([paused, speed2, pos(3), playing, pos(2)], playing: false).speeds.isEmpty)
        // The pause property read both ways: a forward seek after pausing plays nothing; play
        // after starting paused does.
        #expect(watch([paused, pos(1), pos(2)], playing: true).speeds.isEmpty)
        #expect(watch([pos(1), playing, pos(1.04)], playing: false).speeds == [1])
        #expect(ExternalPlayer.change(in: paused)?.name == "pause" && ExternalPlayer.change(in: "not json") == nil)
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
