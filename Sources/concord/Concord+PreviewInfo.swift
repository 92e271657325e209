import Media
import Reports

extension PreviewCommand {
    /// The clip's geometry for `--info`, coded and shown, so that a turned or anamorphic
    /// picture is explained: "h264 · 40 frames · coded 640×272 · turned 90° clockwise ·
    /// square pixels · shown 272×640". Frames are drawn as shown (docs/architecture.md
    /// "Geometry").
    static func describe(_ decoder: VideoDecoder) -> String {
        let g = decoder.geometry
        let shown = g.displaySize
        return [decoder.codec, "\(decoder.frameCount) frame\(decoder.frameCount == 1 ? "" : "s")",
                "coded \(g.codedWidth)×\(g.codedHeight)",
                g.rotation == 0 ? "not turned" : "turned \(g.rotation)° clockwise",
                g.sampleAspect == 1 ? "square pixels" : "SAR \(fixed(g.sampleAspect, 3))",
                "shown \(shown.width)×\(shown.height)"].joined(separator: " · ")
    }
}
