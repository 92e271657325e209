import Foundation

/// `concord rate --trace FILE`: one line per key — `key<TAB>microseconds` from reading the
/// key to the updated screen written out — for the keypress-latency benchmark. Lines are
/// buffered and written on close, so tracing does not slow what it measures.
final class TraceLog {
    private let handle: FileHandle
    private var lines: [String] = []

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
    }

    func record(key: String, seconds: Double) {
        lines.append("\(key)\t\(Int((seconds * 1e6).rounded()))")
        if lines.count >= 4096 { flush() }
    }

    /// A line of another kind (a frame written or skipped: `FrameTrace`).
    func record(line: String) {
        lines.append(line)
        if lines.count >= 4096 { flush() }
    }

    func flush() {
        guard !lines.isEmpty else { return }
        handle.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        lines.removeAll(keepingCapacity: true)
    }

    func close() {
        flush()
        try? handle.close()
    }
}
