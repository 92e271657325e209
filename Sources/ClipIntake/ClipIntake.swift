import Media
import Store
#if canImport(Glibc)
import Glibc
#endif

/// A clip file on disk → the facts the project records about it: what `concord clip add`
/// and `concord demo` both do before they call `ProjectSession.addClips`, in one place so
/// the two cannot drift. It needs Media (the probe, the hash) and Store (`ClipFacts`), and
/// Store must not import Media (docs/architecture.md), hence a target of its own.
public enum ClipIntake {
    /// Thrown by `facts(_:)` for a list: every file that could not be taken in, one
    /// `MediaError` description per line in the order given; the caller adds what to do
    /// next ("nothing was added", or how to rebuild the demo clips).
    public struct Problems: Error, Sendable, Equatable {
        public let lines: [String]
        public init(lines: [String]) { self.lines = lines }
    }

    /// The facts of every file, all or nothing: each file is checked, so one run names
    /// every problem, not just the first.
    public static func facts(_ paths: [String]) throws -> [ClipFacts] {
        var facts: [ClipFacts] = []
        var problems: [String] = []
        for path in paths {
            do { facts.append(try Self.facts(path)) } catch let error as MediaError { problems.append(error.description) }
        }
        guard problems.isEmpty else { throw Problems(lines: problems) }
        return facts
    }

    /// One file: a regular, non-empty file that FFmpeg can probe; hashed whole. The path is
    /// recorded absolute (against the current directory) so the workbench finds the clip
    /// from anywhere. Throws `MediaError` (the path and what is wrong with it).
    public static func facts(_ path: String) throws -> ClipFacts {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw MediaError(path: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw MediaError(path: path, message: "is not a regular file") }
        guard info.st_size > 0 else { throw MediaError(path: path, message: "is empty (0 bytes); copy the clip again") }
        let probe = try ClipProbe.probe(path: path)
        let sha = try FileHash.sha256(path: path)
        let name = String(path.split(separator: "/").last ?? Substring(path))
        return ClipFacts(path: absolute(path), name: name, sha256: sha, sizeBytes: Int64(info.st_size), codec: probe.codec,
                         duration: probe.duration, frameRate: probe.frameRate, frameCount: probe.frameCount,
                         width: probe.width, height: probe.height, rotation: probe.rotation)
    }

    /// `path` made absolute against the current directory (unchanged when it already is).
    public static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/"), let cwd = getcwd(nil, 0) else { return path }
        defer { free(cwd) }
        return String(cString: cwd) + "/" + path
    }
}
