#if canImport(Glibc)
import Glibc
#endif
import Interchange

/// Writes text to standard output or standard error in one buffered piece, so a command's
/// output is never interleaved or half-written when it fails: commands build their whole
/// output first. Every write to standard output is checked (docs/security.md, "Files
/// concord writes"): a full disk, a quota or `> /dev/full` ends concord with one line on
/// standard error and exit 2; a reader that went away (`| head`) ends it quietly with exit
/// 2, as a pipe's writer has nothing left to say. Standard error's own failures have
/// nowhere to be reported.
struct FileDescriptorOutput {
    let fd: Int32
    static let standardOutput = FileDescriptorOutput(fd: 1)
    static let standardError = FileDescriptorOutput(fd: 2)

    private init(fd: Int32) { self.fd = fd }

    func write(_ bytes: [UInt8]) {
        // Whatever went through C's stdio (a library's printf) goes out first.
        if fd == 1 && fflush(nil) != 0 { StandardOutput.failed(errno) }
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    if fd == 1 { StandardOutput.failed(n < 0 ? errno : EIO) }
                    return
                }
                offset += n
            }
        }
    }

    func write(_ text: String) {
        write(Array(text.utf8))
    }
}

/// Swift's `print` for this module: the same text, through the checked writer above rather
/// than C's stdio, whose buffered failures surface at exit, where nobody checks them. Every
/// `print` of a command is therefore checked without each call site knowing.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    FileDescriptorOutput.standardOutput.write(items.map { String(describing: $0) }.joined(separator: separator) + terminator)
}

enum StandardOutput {
    /// Ends concord after a failed write to standard output: quietly when the reader went
    /// away (EPIPE; SIGPIPE is ignored in `Main` so that this is where it lands), else
    /// with one line. Exit 2 either way: the output is incomplete.
    static func failed(_ code: Int32) -> Never {
        if code != EPIPE {
            FileDescriptorOutput.standardError.write("concord: cannot write standard output: \(OutputFile.reason(code)); the output is incomplete\n")
        }
        // What stdio still holds for standard output must not be written at exit.
        _exit(2)
    }

    /// Called once a command is done: anything C's stdio still buffers is written, and a
    /// failure reported as `failed` does. (No module of concord prints through stdio: this
    /// module's `print` is the one above; the others do not print.)
    static func finish() {
        if fflush(nil) != 0 { failed(errno) }
    }
}

/// Reads a whole file (or standard input for "-") into memory.
func readInput(_ path: String) throws -> [UInt8] {
    let fd: Int32 = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        let reason = String(cString: strerror(errno))
        throw InputError("\(path): cannot open: \(reason)")
    }
    defer { if fd != 0 { close(fd) } }
    var info = stat()
    if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
        throw InputError("\(path): is a directory; give a CSV file")
    }
    var bytes = [UInt8]()
    var capacity = max(Int(info.st_size) + 1, 1 << 16)
    bytes.reserveCapacity(capacity)
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw InputError("\(path): cannot read: \(String(cString: strerror(errno)))")
        }
        if n == 0 { break }
        if bytes.count + n > capacity { capacity *= 2; bytes.reserveCapacity(capacity) }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

/// Writes `text` to `path` through Interchange's `OutputFile`; nil or "-" is standard
/// output (checked like every other write to it, above). `project` is the project file, which
/// with its -wal, -shm and -journal files `--out` never replaces.
func writeOutput(_ text: String, to path: String?, project: String?) throws {
    guard let path, path != "-" else {
        FileDescriptorOutput.standardOutput.write(text)
        return
    }
    try OutputFile(path, project: project).replace(with: text)
}

extension GlobalOptions {
    /// `--out` of a project command: its project file and companions are protected.
    func writeOutput(_ text: String, to path: String?) throws {
        try concord.writeOutput(text, to: path, project: projectPath)
    }
}
