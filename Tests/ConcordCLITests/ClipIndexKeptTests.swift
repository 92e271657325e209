import Foundation
import Testing

/// `clip add` keeps the scanned frame index of a clip whose container has none (MPEG-TS
/// here) in the project, by its content; an MP4, which its container indexes, keeps none.
@Suite struct ClipIndexKeptTests {
    @Test(arguments: StoreKind.available)
    func clipAddKeepsTheIndexOfATransportStreamOnly(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        let ts = project.dir + "/t.ts", mp4 = project.dir + "/m.mp4"
        for (path, seconds) in [(ts, "2"), (mp4, "1")] {
            try Tool.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25", "-t", seconds, "-c:v", "libx264", "-bf", "3",
                             "-g", "12", path])
        }
        try project.ok(["clip", "add", ts, mp4, "--batch", "kept", "--rubric", "av-cut-in"])
        let rows = try project.sql("SELECT c.name || ' ' || k.format || ' ' || length(k.frames) FROM clip_index k JOIN clip c ON c.sha256 = k.sha256")
        // 50 frames in base64: "CFI1", the header, about two bytes a frame, a few per keyframe.
        let parts = rows.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
        #expect(parts.count == 3 && parts[0] == "t.ts" && parts[1] == "frames-1", "\(rows)")
        #expect(parts.count == 3 && (100...400).contains(Int(parts[2]) ?? 0), "\(rows)")
        // Adding it to another batch keeps nothing more (one index per content).
        try project.ok(["clip", "add", ts, "--batch", "again", "--rubric", "av-cut-in"])
        #expect(try project.sql("SELECT count(*) FROM clip_index").trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }
}
