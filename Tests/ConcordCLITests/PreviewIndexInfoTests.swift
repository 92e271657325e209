import Foundation
import Testing

/// `preview --info` says how the clip's frame index was built: from an MP4's sample table,
/// or by reading every packet of a transport stream, which has none.
@Suite struct PreviewIndexInfoTests {
    @Test func infoSaysWhereTheIndexCameFrom() throws {
        let dir = try scratchDirectory("index-info")
        for (name, expected) in [("c.mp4", "index: container (40 frames)"), ("c.ts", "index: scanned every packet (no container index)")] {
            try Tool.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=20", "-t", "2", "-c:v", "libx264", "-bf", "3", dir + "/" + name])
            let result = try CLI.run(["preview", dir + "/" + name, "--frame", "39", "--mode", "ascii", "--width", "8", "--info"])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stderr.split(separator: "\n").map(String.init)
            #expect(lines.count == 3 && lines[0].hasPrefix("clip: h264 · 40 frames") && lines[1] == expected
                    && lines[2].hasPrefix("frame 39 pts 1.950000 s"), "\(result.stderr)")
        }
    }
}
