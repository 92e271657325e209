import Store
#if canImport(Glibc)
import Glibc
#endif

/// A folder a rater said holds the project's clips: `--clips DIR` or an entry of
/// `CONCORD_CLIPS`. `origin` says which, for messages.
public struct ClipFolder: Sendable, Equatable {
    public let path: String
    public let origin: String

    public init(path: String, origin: String) {
        self.path = path
        self.origin = origin
    }
}

/// A `--clips` or `CONCORD_CLIPS` folder that cannot be searched; the message is one line
/// (what, which folder, what to do).
public struct ClipFolderError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension ClipFolder {
    /// The folders to search, in order: each `--clips` as given, then `CONCORD_CLIPS`'s
    /// entries (colon-separated, like PATH; empty entries are skipped rather than meaning
    /// the current directory, which PATH's rule makes easy to pass by accident). Relative
    /// paths are taken against the current directory; a folder named twice is searched
    /// once. Each must be a directory this user can list: anything else is refused, so a
    /// typo is told at start rather than as "not found" on every item.
    public static func folders(options: [String], environment: String?) throws -> [ClipFolder] {
        let given = options.map { ($0, "--clips") } + entries(environment ?? "").map { ($0, "CONCORD_CLIPS") }
        var out: [ClipFolder] = []
        for (path, origin) in given {
            try check(path, origin: origin)
            let absolute = ClipIntake.absolute(path)
            if !out.contains(where: { $0.path == absolute }) { out.append(ClipFolder(path: absolute, origin: origin)) }
        }
        return out
    }

    /// `CONCORD_CLIPS`'s folders: split at each colon, empty entries left out.
    public static func entries(_ value: String) -> [String] {
        value.split(separator: ":", omittingEmptySubsequences: true).map(String.init)
    }

    static func check(_ path: String, origin: String) throws {
        let named = origin == "--clips" ? "--clips \(printableText(path))" : "CONCORD_CLIPS names \(printableText(path)), which"
        let advice = "pass a folder that holds the project's clips (--clips DIR, repeatable, or CONCORD_CLIPS=DIR:DIR)"
        guard !path.isEmpty else {
            throw ClipFolderError(message: "--clips needs a folder, not an empty name; \(advice)")
        }
        if let dir = opendir(path) {
            closedir(dir)
            return
        }
        let problem: String
        switch errno {
        case ENOENT: problem = "does not exist"
        case ENOTDIR: problem = "is not a folder"
        default: problem = "cannot be read (\(String(cString: strerror(errno))))"
        }
        throw ClipFolderError(message: "\(named) \(problem); \(advice)")
    }
}
