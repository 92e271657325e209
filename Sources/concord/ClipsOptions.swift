import ArgumentParser
import ClipIntake
import Store
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

/// The workbenches' way to a clip's file: `folders` (`--clips`), then `CONCORD_CLIPS`, then
/// the recorded path, each candidate checked by content (`ClipFinder`), hashes remembered in
/// the user's cache. A folder that cannot be searched is one line and exit 2, before any
/// terminal is touched.
func clipLocator(folders: [String], session: ProjectSession) throws -> ClipLocator {
    let searched: [ClipFolder]
    do {
        searched = try ClipFolder.folders(options: folders, environment: getenv("CONCORD_CLIPS").map { String(cString: $0) })
    } catch let error as ClipFolderError {
        throw InputError(error.message)
    }
    let finder = ClipFinder(folders: searched, cache: ClipHashCache(file: ClipHashCache.defaultFile()))
    return { name, _ in
        switch finder.locate(named: name, in: session) {
        case .found(let path): return .file(path)
        case .refused(let message), .missing(let message): return .unplayable(message)
        }
    }
}
