import Media
import Store
#if canImport(Glibc)
import Glibc
#endif

/// Finds a project's clip on the machine concord runs on, by content: the project records
/// each clip's SHA-256, so a rater's copy may live in any folder under any name, and a file
/// whose bytes differ is never played as the clip (docs/project-file.md "Clips on the
/// rater's machine"). Playback stays local; only labels travel.
///
/// The order, for each clip: every folder in turn (`--clips` as given, then
/// `CONCORD_CLIPS`), in it first the files with the clip's name, then the files of the
/// clip's exact size; then the path recorded when the clip was added. The first file whose
/// SHA-256 matches is the clip. Hashes are remembered in a `ClipHashCache`, so each file is
/// read whole once per machine, and only files of the right name or size are read at all.
/// Folders are searched recursively (subfolders by batch or by day are common), at most
/// `FolderIndex.deepest` levels down and `FolderIndex.mostFiles` entries, without following
/// symbolic links to folders (no loops); a symbolic link to a file counts as the file.
public final class ClipFinder {
    public enum Outcome: Sendable, Equatable {
        /// The file to play: its content is the clip's.
        case found(String)
        /// A file with the clip's name holds other content, and no file holds the clip's.
        case refused(String)
        /// No file with the clip's content, and none of its name either.
        case missing(String)
    }

    public let folders: [ClipFolder]
    private let cache: ClipHashCache
    private let hash: (String) throws -> String
    private var indexes: [String: FolderIndex] = [:]
    private var outcomes: [ClipFile: Outcome] = [:]
    /// `FolderIndex.mostFiles`, smaller in tests.
    var mostFiles = FolderIndex.mostFiles

    /// `hash` reads a file's SHA-256 (Media's `FileHash`; tests count the calls).
    public init(folders: [ClipFolder], cache: ClipHashCache, hash: @escaping (String) throws -> String = FileHash.sha256(path:)) {
        self.folders = folders
        self.cache = cache
        self.hash = hash
    }

    /// Where `clip` is: searched when first asked, then remembered for the run (the
    /// workbench asks again at every redraw for the next item's clip, to render it ahead).
    public func locate(_ clip: ClipFile) -> Outcome {
        if let known = outcomes[clip] { return known }
        let outcome = search(clip)
        outcomes[clip] = outcome
        return outcome
    }

    private func search(_ clip: ClipFile) -> Outcome {
        defer { cache.save() }
        var tried: Set<String> = []
        var differing: (path: String, sha256: String)?
        var unreadable: String?   // the first candidate that could not be read, and why
        func isTheClip(_ file: FileIdentity) -> Bool {
            guard tried.insert(file.path).inserted else { return false }
            let sha: String
            do { sha = try sha256(file) } catch {
                if unreadable == nil { unreadable = "\(error)" }
                return false
            }
            if sha == clip.sha256 { return true }
            if differing == nil, file.path.split(separator: "/").last.map(String.init) == clip.name { differing = (file.path, sha) }
            return false
        }
        var truncated: [String] = []
        for folder in folders {
            let index = self.index(folder.path)
            if index.truncated { truncated.append(folder.path) }
            for file in index.byName[clip.name] ?? [] where isTheClip(file) { return .found(file.path) }
            for file in index.bySize[clip.sizeBytes] ?? [] where isTheClip(file) { return .found(file.path) }
        }
        if let recorded = FileIdentity.of(clip.recordedPath), isTheClip(recorded) { return .found(recorded.path) }
        if let differing {
            return .refused("the file \(printableText(differing.path)) is not the project's \(printableText(clip.name)): its SHA-256 differs "
                            + "(\(differing.sha256.prefix(12))… here, \(clip.sha256.prefix(12))… in the project); "
                            + "get the project's file from the lead, or pass the folder that has it with --clips")
        }
        let searched = folders.map { "\($0.origin) \(printableText($0.path))" }
        let places = (searched.isEmpty ? "" : "in " + searched.joined(separator: ", ") + " or ")
            + "at its recorded path \(printableText(clip.recordedPath))"
        let cut = truncated.isEmpty ? "" : " (only the first \(mostFiles) entries of \(truncated.map { printableText($0) }.joined(separator: ", ")) were searched)"
        let unread = unreadable.map { "; a candidate could not be read: \($0)" } ?? ""
        return .missing("the clip \(printableText(clip.name)) is not on this machine: no file \(places) has its content "
                        + "(SHA-256 \(clip.sha256.prefix(12))…, \(clip.sizeBytes) bytes)\(cut)\(unread); "
                        + "pass the folder that has it with --clips DIR (or CONCORD_CLIPS), or get the file from the lead")
    }

    /// The file's SHA-256 from the cache, else read whole (and remembered when the file did
    /// not change meanwhile); throws what kept it from being read.
    private func sha256(_ file: FileIdentity) throws -> String {
        if let known = cache.sha256(of: file) { return known }
        let sha = try hash(file.path)
        if FileIdentity.of(file.path) == file { cache.remember(sha, for: file) }
        return sha
    }

    private func index(_ folder: String) -> FolderIndex {
        if let index = indexes[folder] { return index }
        let index = FolderIndex(listing: folder, mostFiles: mostFiles)
        indexes[folder] = index
        return index
    }
}

/// A folder's regular files by name and by size, listed once per run, breadth first (the
/// folder's own files before its subfolders'), each folder's entries in name order.
struct FolderIndex {
    /// Levels of subfolders searched below a `--clips` folder.
    static let deepest = 8
    /// Directory entries listed per `--clips` folder, at most: pointing concord at `/` costs
    /// a bounded moment, not an hour.
    static let mostFiles = 100_000

    private(set) var byName: [String: [FileIdentity]] = [:]
    private(set) var bySize: [Int64: [FileIdentity]] = [:]
    private(set) var truncated = false

    init(listing root: String, mostFiles: Int = Self.mostFiles) {
        var pending: [(path: String, depth: Int)] = [(root, 0)]
        var listed = 0
        while !pending.isEmpty {
            let (folder, depth) = pending.removeFirst()
            for name in Self.names(in: folder) {
                listed += 1
                guard listed <= mostFiles else { truncated = true; return }
                let path = folder == "/" ? "/" + name : folder + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR where depth < Self.deepest: pending.append((path, depth + 1))
                case S_IFREG, S_IFLNK:
                    guard let file = FileIdentity.of(path) else { continue }   // a link to a folder, or dangling
                    byName[name, default: []].append(file)
                    bySize[file.size, default: []].append(file)
                default: continue
                }
            }
        }
    }

    private static func names(in folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            // A name that is not UTF-8 cannot be spelt back as a path here: left out.
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(validating: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if let name, name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
