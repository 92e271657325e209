extension RGBImage {
    /// The picture in the top-left corner of a `width`×`height` one, the rest black; the
    /// picture itself when it already has that size.
    ///
    /// A kitty picture is placed in whole cells (`c=`, `r=`) and the terminal scales it to
    /// fill them: a frame fitted to a pane is rarely a whole number of cells in both
    /// directions, so it is padded to whole cells instead of being stretched into them.
    public func padded(width: Int, height: Int) -> RGBImage {
        precondition(width >= self.width && height >= self.height,
                     "padding \(self.width)×\(self.height) to \(width)×\(height) would crop it")
        guard width != self.width || height != self.height else { return self }
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        let row = self.width * 3
        pixels.withUnsafeBufferPointer { src in
            bytes.withUnsafeMutableBufferPointer { dst in
                for y in 0..<self.height {
                    (dst.baseAddress! + y * width * 3).update(from: src.baseAddress! + y * row, count: row)
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: bytes)
    }
}
