import Media
import Store

extension ClipIntake {
    /// The frame indexes `clip add` keeps (`ProjectSession.keepClipIndexes`) for clips whose
    /// container has none (MPEG-TS, Matroska/WebM, AVI): each such file is read once more,
    /// here, so that the workbench never has to. A clip its container indexes (MP4, MOV)
    /// gives none, and so does one that cannot be scanned (it was probed already; the
    /// workbench says what is wrong when it opens it): a kept index is a cache, never a
    /// condition of adding a clip.
    public static func frameIndexes(_ clips: [ClipFacts]) -> [ClipFrameIndex] {
        clips.compactMap { clip in
            guard let stored = try? StoredFrameIndex.forClip(path: clip.path) else { return nil }
            return ClipFrameIndex(sha256: clip.sha256, format: stored.format, frames: stored.bytes)
        }
    }
}
