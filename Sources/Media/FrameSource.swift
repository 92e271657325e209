/// Frames for a person stepping through a clip: a decoder plus a cache of every frame
/// decoded on the way to the one asked for.
///
/// A frame-exact seek decodes from the previous keyframe anyway; keeping those frames (at the
/// preview size) makes the next "previous frame" — and any step back within the group of
/// pictures just decoded — a cache hit instead of another decode from the keyframe.
public final class FrameSource {
    public let decoder: VideoDecoder
    public let cache: FrameCache

    public init(decoder: VideoDecoder, cacheMegabytes: Int = 256) {
        self.decoder = decoder
        self.cache = FrameCache(megabytes: cacheMegabytes)
    }

    public func frame(at index: Int, scale: FrameScale) throws -> DecodedFrame {
        let size = decoder.outputSize(for: scale)
        if let hit = cache.frame(index: index, width: size.width, height: size.height) { return hit }
        // Decode from the keyframe at or before `index`, keeping each frame on the way.
        let keyframe = decoder.keyframeIndices.last { $0 <= index } ?? 0
        var start = keyframe
        // Frames already cached right before `index` need not be decoded again.
        while start < index && cache.contains(index: start, width: size.width, height: size.height) { start += 1 }
        var frame = try decoder.frame(at: start, scale: scale)
        cache.insert(frame)
        while frame.index < index {
            guard let next = try decoder.nextFrame(scale: scale) else { break }
            cache.insert(next)
            frame = next
        }
        return frame
    }
}
