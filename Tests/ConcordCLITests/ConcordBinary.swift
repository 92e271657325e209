import Foundation

/// The `concord` binary built beside the test bundle (same build directory), or
/// `$CONCORD_BIN`. Shared with FuzzTests through a link to this file.
enum ConcordBinary {
    static let url: URL = {
        if let path = ProcessInfo.processInfo.environment["CONCORD_BIN"] { return URL(fileURLWithPath: path) }
        var dir = Bundle.main.bundleURL
        if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
        let candidate = dir.appendingPathComponent("concord")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("concord")
    }()
}
