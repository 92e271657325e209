import Foundation

/// What a project records about a clip's file: enough for a rater's machine to find its own
/// copy and prove it holds the same content (docs/project-file.md "Clips on the rater's
/// machine"). The path is where the file was on the machine that added it; elsewhere it is
/// only a hint, the SHA-256 is the clip's identity. The workbenches get one per item with
/// their queue (`QueueEntry.clipFile`, `AdjudicationContext.clipFiles`), so finding a clip
/// asks the Store nothing more.
public struct ClipFile: Sendable, Equatable, Hashable {
    public let name: String
    public let sha256: String
    public let sizeBytes: Int64
    public let recordedPath: String

    public init(name: String, sha256: String, sizeBytes: Int64, recordedPath: String) {
        self.name = name
        self.sha256 = sha256
        self.sizeBytes = sizeBytes
        self.recordedPath = recordedPath
    }
}

extension QueueEntry {
    /// The item's clip as the project recorded it.
    public var clipFile: ClipFile {
        ClipFile(name: clip, sha256: clipSHA256, sizeBytes: clipSizeBytes, recordedPath: clipPath)
    }
}

extension ProjectSession {
    /// The clip named `name` (nil when the project has none), for a caller that has only
    /// the name. Those who play clips only: raters, leads and admins (a clip's name and hash
    /// are no label, so a rater may read any clip's).
    public func clipFile(named name: String) throws -> ClipFile? {
        guard allows(.submitLabels) || allows(.adjudicate) else {
            throw StoreError.permission("\(actor.name) is \(actor.role.withArticle) and plays no clips (raters, leads and admins do)")
        }
        return try store.read { db in
            try db.row("SELECT name, sha256, size_bytes, path FROM clip WHERE name = ?", [name]).map { row in
                ClipFile(name: row["name"], sha256: row["sha256"], sizeBytes: row["size_bytes"], recordedPath: row["path"])
            }
        }
    }
}
