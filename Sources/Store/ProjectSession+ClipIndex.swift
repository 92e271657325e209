import Foundation
import GRDB

/// A clip's frame index as `clip add` keeps it (Media's `StoredFrameIndex`: Store does not
/// import Media, so the bytes travel as they are).
public struct ClipFrameIndex: Sendable, Equatable {
    public let sha256: String
    public let format: String
    public let frames: [UInt8]

    public init(sha256: String, format: String, frames: [UInt8]) {
        self.sha256 = sha256
        self.format = format
        self.frames = frames
    }
}

extension ProjectSession {
    /// Keeps the frame indexes of clips whose container has none, so the workbench opens
    /// them without reading every packet (docs/project-file.md). One row per clip content and
    /// format, for clips already in the project; an index kept before for the same content
    /// and format stays as it is (append-only; the same file scans to the same bytes). Not
    /// audited: not history but a cache of what the clip file itself holds. Returns how many
    /// rows were written.
    @discardableResult
    public func keepClipIndexes(_ indexes: [ClipFrameIndex]) throws -> Int {
        try require(.addClips)
        if let postgres = store.postgres {
            return try indexes.reduce(0) { count, index in
                let kept = try postgres.call("keep_clip_index", [index.sha256, index.format, Data(index.frames).base64EncodedString(),
                                                                 actingAsArgument])
                return count + (kept == "true" ? 1 : 0)
            }
        }
        return try store.write { db in
            let at = Clock.now()
            var written = 0
            for index in indexes {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO clip_index (sha256, format, frames, created_at)
                    SELECT sha256, ?, ?, ? FROM clip WHERE sha256 = ?
                    """, arguments: [index.format, Data(index.frames).base64EncodedString(), at, index.sha256])
                written += db.changesCount
            }
            return written
        }
    }

    /// The frame index kept for the clip with this content in `format`, or nil: none kept, or
    /// a project made before there was a place for it (SQLite before migration v7 when
    /// opened read-only, a PostgreSQL project installed before it). A cache: a failed read
    /// costs a scan, never the open.
    public func clipIndex(sha256: String, format: String) -> ClipFrameIndex? {
        let text = try? store.read { db in
            try db.value(String.self, "SELECT frames FROM clip_index WHERE sha256 = ? AND format = ?", [sha256, format])
        }
        guard let text, let data = Data(base64Encoded: text) else { return nil }
        return ClipFrameIndex(sha256: sha256, format: format, frames: [UInt8](data))
    }
}
