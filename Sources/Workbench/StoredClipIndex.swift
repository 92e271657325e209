import Media
import Store

extension ProjectSession {
    /// The frame index the project keeps for `clip`'s content (`clip add` keeps one for a clip
    /// whose container has none: MPEG-TS, Matroska), as `VideoDecoder` takes it; nil when
    /// none is kept. The decoder checks it against the file and scans when it does not fit.
    func storedFrameIndex(for clip: ClipFile?) -> StoredFrameIndex? {
        guard let clip, let kept = clipIndex(sha256: clip.sha256, format: StoredFrameIndex.currentFormat) else { return nil }
        return StoredFrameIndex(format: kept.format, bytes: kept.frames)
    }
}
