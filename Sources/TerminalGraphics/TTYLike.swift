/// What the capability probe needs from a terminal, and nothing more, so tests can stand
/// in a silent terminal or a scripted VT340 without a pseudo-terminal.
public protocol TTYLike: AnyObject {
    /// Prepares for query/reply traffic (raw mode: no echo, no line buffering).
    /// Returns false when that is impossible; the probe then asks nothing.
    func beginQueries() -> Bool
    /// Undoes `beginQueries`. Called on every path once `beginQueries` returned true.
    func endQueries()
    /// Writes all of `bytes`; false on failure.
    func write(_ bytes: [UInt8]) -> Bool
    /// Whatever bytes arrive before `deadline`: returns as soon as some are available,
    /// or empty once the deadline has passed. Must never block past the deadline.
    func read(before deadline: ContinuousClock.Instant) -> [UInt8]
    /// The kernel's idea of the window (TIOCGWINSZ), if it has one.
    func windowSize() -> WindowSize?
}

/// TIOCGWINSZ's answer. Pixel fields are 0 when the terminal does not report them.
public struct WindowSize: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    public var pixelWidth: Int
    public var pixelHeight: Int

    public init(rows: Int, columns: Int, pixelWidth: Int = 0, pixelHeight: Int = 0) {
        self.rows = rows; self.columns = columns
        self.pixelWidth = pixelWidth; self.pixelHeight = pixelHeight
    }

    /// Cell size in pixels when the kernel knows the window's pixel size.
    public var cellSize: (width: Int, height: Int)? {
        guard rows > 0, columns > 0, pixelWidth >= columns, pixelHeight >= rows else { return nil }
        return (pixelWidth / columns, pixelHeight / rows)
    }
}
