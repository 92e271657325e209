import ArgumentParser
import ClipIntake
import Workbench
#if canImport(Glibc)
import Glibc
#endif

/// `--clips DIR` of `rate` and `adjudicate`: where this machine keeps the project's clips
/// (docs/project-file.md "Clips on the rater's machine"). `preview` has none: it plays the
/// file it is given, and no project says what that file should hold.
struct ClipsOptions: ParsableArguments {
    @Option(name: .customLong("clips"), help: ArgumentHelp(
        "A folder holding the project's clips under any names, searched with its subfolders and checked by SHA-256; repeatable. Then $CONCORD_CLIPS (DIR:DIR), then each clip's recorded path.",
        valueName: "DIR"))
    var folders: [String] = []
}

extension ClipsOptions {
    /// `--clips` folders, then `CONCORD_CLIPS`'s, each checked: one that cannot be searched
    /// is one line and exit 2, before the project is opened or the terminal touched.
    static func searched(_ options: [String]) throws -> [ClipFolder] {
        do {
            return try ClipFolder.folders(options: options, environment: getenv("CONCORD_CLIPS").map { String(cString: $0) })
        } catch let error as ClipFolderError {
            throw InputError(error.message)
        }
    }
}

/// The workbenches' way to a clip's file: `folders`, then the recorded path, each candidate
/// checked by content (`ClipFinder`), hashes remembered in the user's cache.
func clipLocator(_ folders: [ClipFolder]) -> ClipLocator {
    let finder = ClipFinder(folders: folders, cache: ClipHashCache(file: ClipHashCache.defaultFile()))
    return { clip in
        switch finder.locate(clip) {
        case .found(let path): return .file(path)
        case .refused(let message), .missing(let message): return .unplayable(message)
        }
    }
}
