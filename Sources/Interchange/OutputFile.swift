#if canImport(Glibc)
import Glibc
#endif
import Printable

/// The one writer of every file concord writes for the user (`--out` of `label export`,
/// `golden export`, `report`; the demo's labels CSV). The rules, in docs/security.md
/// "Files concord writes":
///
/// - The previous file is replaced whole or not at all: the text goes to a new file in the
///   same directory, with a random name (`.NAME.concord-XXXXXXXXXXXX`), created with
///   O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600, so a planted file or symlink at that name is
///   never opened, let alone followed; every write is checked (short writes continued,
///   ENOSPC, EDQUOT and EFBIG reported); it is fsynced, given its final mode, renamed over
///   the target, and the directory fsynced. A failure removes the temporary file and leaves
///   the target as it was. rename(2) replaces the directory entry, never what it pointed
///   to, so a hard link or a symlink at the target cannot redirect the write either.
/// - Some targets are refused, nothing written (InputError, exit 2): the project file and
///   its -wal, -shm and -journal files (by name and by inode), any existing SQLite database,
///   WAL or hot journal (by their magic bytes), anything not a regular file (directory,
///   FIFO, device, socket), and a symbolic link: in a directory a rater can write, a link
///   to a victim file is exactly the attack, so concord asks for the real path instead of
///   guessing whose link it is.
/// - Mode: a new file gets 0644 minus the umask. A replaced file that belongs to the user
///   running concord keeps its permission bits (a 0600 export stays private); one that
///   belongs to someone else does not lend its bits (a planted 0666 file must not make the
///   lead's export writable by its planter): 0644 minus the umask.
/// - SIGINT, SIGTERM, SIGHUP and SIGQUIT wait while the temporary file exists, so an
///   interrupted export leaves no temporary file behind; they take effect right after
///   (`DeferredSignals`).
public struct OutputFile {
    let path: String
    let project: String?
    /// The directory part ("." for a bare name) and the name inside it.
    let directory: String
    let name: String

    public init(_ path: String, project: String?) throws {
        guard !path.isEmpty else { throw InputError("--out needs a file name, or - for standard output") }
        self.path = path
        self.project = project
        if let slash = path.lastIndex(of: "/") {
            let parent = String(path[..<slash])
            directory = parent.isEmpty ? "/" : parent
            name = String(path[path.index(after: slash)...])
        } else {
            directory = "."
            name = path
        }
        if name.isEmpty || name == "." || name == ".." {
            throw InputError("--out \(printableText(path)): that is a directory; give the path of a file inside it")
        }
    }

    /// Checks the target and writes `text` over it, as the type's comment says.
    public func replace(with text: String) throws {
        let dir = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dir >= 0 else { throw directoryError(errno) }
        defer { close(dir) }
        let existing = try check(in: dir)

        // The signals that would end the process wait until the temporary file is gone
        // (this defer runs after the one that removes it).
        let held = DeferredSignals.hold()
        defer { DeferredSignals.release(held) }

        let (fd, temporary) = try createTemporary(in: dir)
        var renamed = false
        defer { if !renamed { unlinkat(dir, temporary, 0) } }
        do {
            defer { close(fd) }
            var text = text
            try text.withUTF8 { try writeAll(fd, $0, existed: existing != nil) }
            guard fchmod(fd, finalMode(existing)) == 0 else { throw writeError(errno, existed: existing != nil) }
            guard fsync(fd) == 0 else { throw writeError(errno, existed: existing != nil) }
        }
        // The target may have changed while the text was written: the same rules again,
        // right before the rename.
        _ = try check(in: dir)
        guard renameat(dir, temporary, dir, name) == 0 else { throw writeError(errno, existed: existing != nil) }
        renamed = true
        // The rename is durable only once the directory is; some file systems cannot
        // fsync a directory (EINVAL), and there the rename is as durable as they make it.
        if fsync(dir) != 0 && errno != EINVAL && errno != EROFS {
            throw InputError("\(printableText(path)) was written, but its directory could not be synced (\(Self.reason(errno))); check the disk, then write it again")
        }
    }

    // MARK: - What may be replaced

    /// The target's metadata when it exists (nil when it does not), after the refusals.
    private func check(in dir: Int32) throws -> stat? {
        try refuseProjectNames()
        var info = stat()
        guard fstatat(dir, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return nil }
            throw InputError("--out \(printableText(path)): cannot check it (\(Self.reason(errno))); choose another file")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK:
            throw InputError("--out \(printableText(path)): that is a symbolic link; concord does not write through links (a link in a shared directory may point anywhere): give the path of the file itself, or remove the link")
        default:
            throw InputError("--out \(printableText(path)): that is \(Self.kind(info.st_mode)), not a regular file; give the path of a file, or --out - for standard output")
        }
        try refuseProjectFiles(info)
        try refuseDatabase(in: dir, info)
        return info
    }

    /// "a directory", "a named pipe (FIFO)", …: what a non-regular file is, for messages.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    /// The project file and its companions SQLite makes beside it, as the user names them.
    private var projectFiles: [(path: String, what: String)] {
        guard let project else { return [] }
        var bases = [project]
        if let resolved = Self.canonical(project) { bases.append(resolved) }
        return bases.flatMap { base in
            [(base, "the project file"), (base + "-wal", "the project file's write-ahead log"),
             (base + "-shm", "the project file's shared-memory index"), (base + "-journal", "the project file's rollback journal")]
        }
    }

    /// By name: also the companions that do not exist yet (a planted -journal or -wal would
    /// be read by SQLite when the project is next opened).
    private func refuseProjectNames() throws {
        guard let target = Self.canonical(path) else { return }
        for file in projectFiles where Self.canonical(file.path) == target {
            throw Self.projectRefusal(path, file.what)
        }
    }

    /// By inode: a second name (hard link) of the project file or a companion.
    private func refuseProjectFiles(_ info: stat) throws {
        for file in projectFiles {
            var other = stat()
            if stat(file.path, &other) == 0 && other.st_dev == info.st_dev && other.st_ino == info.st_ino {
                throw Self.projectRefusal(path, file.what)
            }
        }
    }

    static func projectRefusal(_ path: String, _ what: String) -> InputError {
        InputError("--out \(printableText(path)): that is \(what); choose another file for the output")
    }

    /// An existing SQLite database, WAL or hot journal keeps someone's data: never replaced.
    private func refuseDatabase(in dir: Int32, _ info: stat) throws {
        let fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw InputError("--out \(printableText(path)): cannot read it to check that it is not a database (\(Self.reason(errno))); choose another file, or remove it first")
        }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 16)
        var count = 0
        while count < header.count {
            let n = header.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                throw InputError("--out \(printableText(path)): cannot read it to check that it is not a database (\(Self.reason(errno))); choose another file, or remove it first")
            }
            if n == 0 { break }
            count += n
        }
        if let what = Self.sqliteKind(header[..<count]) {
            throw InputError("--out \(printableText(path)): that is \(what), which concord never replaces; choose another file for the output")
        }
    }

    /// What SQLite file the first bytes show, if any: a database ("SQLite format 3\0"),
    /// a write-ahead log (0x377f0682/3) or a rollback journal (d9d505f920a163d7).
    static func sqliteKind(_ header: ArraySlice<UInt8>) -> String? {
        let bytes = Array(header)
        if bytes.starts(with: Array("SQLite format 3\0".utf8)) { return "an SQLite database" }
        if bytes.starts(with: [0x37, 0x7f, 0x06, 0x82]) || bytes.starts(with: [0x37, 0x7f, 0x06, 0x83]) {
            return "an SQLite write-ahead log"
        }
        if bytes.starts(with: [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]) { return "an SQLite rollback journal" }
        return nil
    }

    /// The absolute path with the directory part resolved (links and ".." included), the
    /// last component kept as written; nil when the directory does not exist.
    static func canonical(_ path: String) -> String? {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { path[..<$0].isEmpty ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let resolved = realpath(directory, nil) else { return nil }
        defer { free(resolved) }
        let base = String(cString: resolved)
        return (base == "/" ? "" : base) + "/" + name
    }

    // MARK: - Writing

    /// A new file with a name nobody could have guessed, created by this call (O_EXCL), or
    /// an error naming the directory.
    private func createTemporary(in dir: Int32) throws -> (Int32, String) {
        // NAME_MAX is 255 bytes: ".", the name (cut if need be), ".concord-", 12 characters.
        var prefix = String.UnicodeScalarView()
        var length = 0
        for scalar in name.unicodeScalars {
            length += String(scalar).utf8.count
            if length > 233 { break }
            prefix.append(scalar)
        }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        for _ in 0..<100 {
            let random = String(decoding: (0..<12).map { _ in alphabet.randomElement()! }, as: UTF8.self)
            let temporary = "." + String(prefix) + ".concord-" + random
            let fd = openat(dir, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 { return (fd, temporary) }
            if errno == EEXIST || errno == EINTR { continue }
            throw directoryError(errno)
        }
        throw InputError("cannot write \(printableText(path)): 100 random temporary names in \(printableText(directory)) were all taken; remove the .\(printableText(String(prefix))).concord-* files there")
    }

    /// Every byte, or an error: short writes are continued, a write of nothing is an error.
    private func writeAll(_ fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>, existed: Bool) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, base + offset, min(bytes.count - offset, 1 << 30))
            if n < 0 {
                if errno == EINTR { continue }
                throw writeError(errno, existed: existed)
            }
            if n == 0 { throw writeError(EIO, existed: existed) }
            offset += n
        }
    }

    /// A replaced file of one's own keeps its permission bits; anything else: 0644 − umask.
    private func finalMode(_ existing: stat?) -> mode_t {
        if let existing, existing.st_uid == geteuid() { return existing.st_mode & 0o777 }
        let mask = umask(0)
        umask(mask)
        return 0o644 & ~mask
    }

    private func writeError(_ code: Int32, existed: Bool) -> InputError {
        let kept = existed ? "\(printableText(path)) is unchanged" : "no file was created"
        let advice: String
        switch code {
        case ENOSPC, EDQUOT: advice = "free some space and try again"
        case EFBIG: advice = "raise the file-size limit (ulimit -f) or write elsewhere"
        default: advice = "try again, or write elsewhere"
        }
        return InputError("cannot write \(printableText(path)): \(Self.reason(code)); \(kept) — \(advice)")
    }

    private func directoryError(_ code: Int32) -> InputError {
        switch code {
        case ENOENT: return InputError("cannot write \(printableText(path)): the directory \(printableText(directory)) does not exist; create it first, or choose another path")
        case ENOTDIR: return InputError("cannot write \(printableText(path)): \(printableText(directory)) is not a directory; choose another path")
        case EACCES, EPERM, EROFS:
            return InputError("cannot write \(printableText(path)): \(Self.reason(code)) in \(printableText(directory)); choose a directory you can write")
        default: return InputError("cannot write \(printableText(path)): \(Self.reason(code)) in \(printableText(directory)); choose another path")
        }
    }

    /// strerror's text in a message's lower case ("no space left on device").
    public static func reason(_ code: Int32) -> String {
        switch code {
        case ENOSPC: return "no space left on the device"
        case EDQUOT: return "the disk quota is exceeded"
        case EFBIG: return "the file-size limit is reached"
        default:
            let text = String(cString: strerror(code))
            return text.prefix(1).lowercased() + text.dropFirst()
        }
    }
}

/// Holds back the signals that end a process while `OutputFile` has a temporary file: a
/// handler only records the signal, whichever thread receives it (blocking it in one
/// thread's mask would not do: report's worker threads could still take it); `release`
/// puts the previous handlers back and raises a recorded signal, which then acts as it
/// would have.
enum DeferredSignals {
    static let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// The signal that arrived while held (0: none). Written by the handler only.
    nonisolated(unsafe) static var pending: sig_atomic_t = 0

    static func hold() -> [sigaction] {
        pending = 0   // touched here first, so the handler never initialises it
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { DeferredSignals.pending = $0 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        return signals.map { signal in
            var previous = sigaction()
            sigaction(signal, &action, &previous)
            return previous
        }
    }

    static func release(_ previous: [sigaction]) {
        for (signal, var action) in zip(signals, previous) { sigaction(signal, &action, nil) }
        if pending != 0 { raise(pending) }
    }
}
