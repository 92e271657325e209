import Media
import Store

/// Where a project's clip is on this machine, as the workbenches play it: the file whose
/// content is the clip's, or why there is none to play (shown in the clip's pane instead of
/// a picture).
public enum ClipLocation: Sendable, Equatable {
    case file(String)
    case unplayable(String)
}

/// Finds the file of a clip, given what the project recorded of it (name, SHA-256, size, the
/// path it was added from); asked when an item's clip is opened (and for the next item's,
/// to render it ahead), never for the whole queue at start. The command line builds it
/// from `--clips` (ClipIntake checks each candidate's SHA-256); the workbench only asks, so
/// it needs neither the folders nor the hashing (docs/project-file.md "Clips on the
/// rater's machine").
public typealias ClipLocator = (ClipFile) -> ClipLocation

/// The recorded path as it is, unchecked: the workbenches' default when no locator is
/// given (their tests, which make their clips in place).
public func recordedClipPath(_ clip: ClipFile) -> ClipLocation { .file(clip.recordedPath) }

extension ClipPane {
    /// Opens the clip at `location` (nil: no clip); an unplayable one shows its message.
    func open(located location: ClipLocation?, fresh: Bool = false, storedIndex: StoredFrameIndex? = nil) {
        switch location {
        case .file(let path): open(path, fresh: fresh, storedIndex: storedIndex)
        case .unplayable(let message): open(unplayable: message)
        case nil: open(nil, fresh: fresh)
        }
    }

    /// The located path, nil when the clip cannot be played (for render-ahead's "next").
    static func path(_ location: ClipLocation?) -> String? {
        if case .file(let path) = location { return path }
        return nil
    }
}

extension QueueEntry {
    /// The clip of a pair item shown on `side` for this rater (`PairShown.leftIsA`); the
    /// item's own clip for an item of one clip. Located like any clip (`ClipLocator`): by
    /// content, so clip b is found on a rater's machine as clip a is.
    func clipFile(on side: PairSide) -> ClipFile {
        guard let pair, (side == .left) != pair.leftIsA else { return clipFile }
        return ClipFile(name: pair.clipB, sha256: pair.clipBSHA256, sizeBytes: pair.clipBSizeBytes, recordedPath: pair.clipBPath)
    }

    /// The side clip a of a pair is shown on (the item's own clip: its frame and PTS are
    /// what a submission records).
    var sideOfClipA: PairSide { pair?.leftIsA == false ? .right : .left }
}
