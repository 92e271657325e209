import Foundation
import Testing

/// `concord rate` behind a slow link (issue 17): its terminal is a pty whose other side is
/// read at 300 kB/s (scripts/slowlink.py, a token bucket as `pv -L` is), and a noisy clip
/// makes every sixel picture several times what the link carries in a frame's time. Frames
/// are dropped, not queued: the trace records frames skipped for the link, each frame
/// written is written at or after its time, the reader never got more than the link
/// carries, and `q` still ends the program. (How far behind the clock a picture shows is a
/// timing figure: bench/run_slowlink.py.)
@Suite struct RateSlowLinkTests {
    @Test func framesTheLinkCannotTakeAreDroppedAndQStillQuits() throws {
        let project = try Project.create("slowlink")
        try project.ok(["rubric", "add", Standard.rubric])
        let clip = project.dir + "/noise.mp4"
        try Tool.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25,noise=alls=40:allf=t", "-t", "4",
                         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip])
        try project.ok(["clip", "add", clip, "--batch", "b1", "--rubric", "av-cut-in"])
        try project.ok(["assign", "--batch", "b1", "--raters", testLogin])
        let trace = project.dir + "/trace.tsv"
        let rate = 300_000.0
        let result = try Tool.run("/usr/bin/python3", [CLI.packageRoot.appendingPathComponent("scripts/slowlink.py").path,
                                                       "--rate", "\(Int(rate))", "--cell", "5x6", "--play", "3", "--",
                                                       CLI.binary.path, "rate", "--project", project.db, "--preview", "sixel",
                                                       "--trace", trace])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(result.stdout.split(separator: "\n").last.map(String.init), "no output: \(result.stderr)")
        let r = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(r["status"] as? Int == 0, "q did not end rate: \(json)")

        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let written = lines.filter { $0[0] == "frame" }.map { (frame: Int($0[1])!, due: Int($0[2])!, start: Int($0[3])!, end: Int($0[4])!, bytes: Int($0[5])!) }
        let skipped = lines.filter { $0[0] == "skip" }
        // Each picture (355×200, half each way while playing: PlaybackScale) is far more than
        // the link takes in a frame's time (40 ms: 12 kB).
        #expect(written.count >= 2, "\(lines)")
        #expect(written.allSatisfy { $0.bytes > 24_000 }, "\(written)")
        // So frames were dropped for the link: many, not one or two (held back by the pacer,
        // or passed over by the clock while a picture's write waited).
        #expect(skipped.count >= 1, "\(lines)")
        #expect(written.last!.frame - written.first!.frame + 1 - written.count >= 5, "\(lines)")
        // Every frame written was written at or after its time and in playing order, and
        // none twice: nothing waited in a queue of ours to be shown later.
        #expect(written.allSatisfy { $0.start >= $0.due - 1000 }, "\(written)")
        #expect(zip(written, written.dropFirst()).allSatisfy { $0.frame < $1.frame }, "\(written)")
        // The reader received no more than the link carries.
        let bytes = try #require(r["bytes"] as? Int), seconds = try #require(r["seconds"] as? Double)
        #expect(Double(bytes) <= rate * seconds + 16_384, "\(json)")
        // Each picture's end arrived, in order, after its write began.
        let arrivals = try #require(r["arrivals"] as? [Double])
        #expect(arrivals.count >= 2)
        for (frame, arrived) in zip(written, arrivals) {
            #expect(arrived * 1e6 >= Double(frame.start) - 1000, "frame \(frame.frame) arrived before it was written")
        }
    }
}
