import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which file, exactly, a hash was computed from: a cached hash holds while the file at the
/// same absolute path has the same size, modification time (nanoseconds) and inode. A copy
/// over it, an edit, or a rename-over (a new inode) all change one of them.
public struct FileIdentity: Sendable, Hashable {
    public let path: String
    public let size: Int64
    public let mtimeNanoseconds: Int64
    public let inode: UInt64

    public init(path: String, size: Int64, mtimeNanoseconds: Int64, inode: UInt64) {
        self.path = path
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.inode = inode
    }

    /// The regular file at `path` (symbolic links followed); nil for anything else or nothing.
    public static func of(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileIdentity(path: ClipIntake.absolute(path), size: Int64(info.st_size),
                            mtimeNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                            inode: UInt64(info.st_ino))
    }
}

/// The SHA-256 of clip files this user has hashed before, so a rater's concord reads each
/// clip whole once, not at every start (docs/project-file.md "Clips on the rater's
/// machine"). One small text file, `$XDG_CACHE_HOME/concord/clip-hashes` (else
/// `~/.cache/concord/clip-hashes`), mode 0600, replaced whole through a temporary file and a
/// rename. It is only a cache: a file that cannot be read, is too big or does not parse is
/// ignored (and rewritten at the next save), and a failed save is silent; the worst either
/// costs is hashing again.
///
/// The format: a header line, then one line per file, the least recently used first:
/// `SHA256 SIZE MTIME_NS INODE PATH`, the path last with `\` and line feeds escaped.
public final class ClipHashCache {
    static let header = "concord clip-hashes 1"
    /// At most this many files are remembered (the least recently used are dropped): about
    /// 200 KB, a few times the clips of a large batch.
    static let capacity = 2000
    /// A larger file is not a cache concord wrote: ignored.
    static let largestFile = 1 << 20

    /// Where the cache lives; nil keeps it in memory only.
    public let file: String?
    private var entries: [FileIdentity: (sha256: String, used: Int)] = [:]
    private var clock = 0
    private var changed = false

    public init(file: String?) {
        self.file = file
        if let file, let text = Self.read(file), let parsed = Self.parse(text) {
            for (identity, sha) in parsed {
                clock += 1
                entries[identity] = (sha, clock)
            }
        }
    }

    /// `$XDG_CACHE_HOME/concord/clip-hashes`, else `$HOME/.cache/concord/clip-hashes`, else
    /// the password database's home; nil when none is known. A relative XDG_CACHE_HOME is
    /// ignored, as the XDG Base Directory specification says.
    public static func defaultFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/concord/clip-hashes" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.cache/concord/clip-hashes" }
        guard let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir else { return nil }
        let home = String(cString: dir)
        return home.hasPrefix("/") ? home + "/.cache/concord/clip-hashes" : nil
    }

    /// The remembered hash of exactly this file, if any.
    public func sha256(of identity: FileIdentity) -> String? {
        guard let entry = entries[identity] else { return nil }
        clock += 1
        entries[identity] = (entry.sha256, clock)
        return entry.sha256
    }

    /// Remembers a hash (and forgets any other for the same path: that file changed).
    public func remember(_ sha256: String, for identity: FileIdentity) {
        for old in entries.keys where old.path == identity.path && old != identity { entries[old] = nil }
        clock += 1
        entries[identity] = (sha256, clock)
        changed = true
    }

    /// Writes the cache when something new was remembered; never throws (see the type).
    public func save() {
        guard changed, let file else { return }
        changed = false
        let kept = entries.sorted { $0.value.used < $1.value.used }.suffix(Self.capacity)
        var text = Self.header + "\n"
        for (identity, entry) in kept {
            text += "\(entry.sha256) \(identity.size) \(identity.mtimeNanoseconds) \(identity.inode) \(Self.escape(identity.path))\n"
        }
        Self.replace(file, with: Array(text.utf8))
    }

    // MARK: - The file

    static func read(_ file: String) -> String? {
        let fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= Self.largestFile else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            count += n
        }
        guard count <= Self.largestFile else { return nil }
        return String(validating: bytes[..<count], as: UTF8.self)
    }

    /// The entries of a cache file, or nil when any line is not one concord wrote: then the
    /// whole file is ignored, since a damaged line says nothing good of the others.
    static func parse(_ text: String) -> [(FileIdentity, String)]? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == Substring(header), lines.last == "" else { return nil }
        lines.removeFirst()
        lines.removeLast()
        var out: [(FileIdentity, String)] = []
        for line in lines {
            let fields = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
            guard fields.count == 5, fields[0].count == 64, fields[0].allSatisfy({ $0.isHexDigit && !$0.isUppercase }),
                  let size = Int64(fields[1]), size >= 0, let mtime = Int64(fields[2]), let inode = UInt64(fields[3]),
                  let path = unescape(fields[4]), path.hasPrefix("/") else { return nil }
            out.append((FileIdentity(path: path, size: size, mtimeNanoseconds: mtime, inode: inode), String(fields[0])))
        }
        return out
    }

    static func escape(_ path: String) -> String {
        path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func unescape(_ text: Substring) -> String? {
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "\\": out.append("\\")
                case "n": out.append("\n")
                default: return nil
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return escaping ? nil : out
    }

    /// `file` replaced whole by `bytes`: a private temporary file beside it (0600), written,
    /// synced and renamed over it; its folder made (0700) when missing. Any failure leaves the
    /// old cache as it was.
    static func replace(_ file: String, with bytes: [UInt8]) {
        let folder = String(file[..<(file.lastIndex(of: "/") ?? file.startIndex)])
        guard !folder.isEmpty, makeFolders(folder) else { return }
        var template = Array((file + ".XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }   // 0600
        guard fd >= 0 else { return }
        let temporary = String(cString: template)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            written += n
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(temporary, file) == 0 else {
            unlink(temporary)
            return
        }
    }

    /// `mkdir -p` with mode 0700 for what it creates; true when the folder is there.
    static func makeFolders(_ folder: String) -> Bool {
        var info = stat()
        if stat(folder, &info) == 0 { return (info.st_mode & S_IFMT) == S_IFDIR }
        let parent = String(folder[..<(folder.lastIndex(of: "/") ?? folder.startIndex)])
        guard parent.isEmpty || makeFolders(parent) else { return false }
        return mkdir(folder, 0o700) == 0 || errno == EEXIST
    }
}
