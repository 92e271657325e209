#if canImport(Glibc)
import Glibc
#endif

/// Writes text to a file descriptor in one buffered piece, so a command's output is never
/// interleaved or half-written when it fails: commands build their whole output first.
struct FileDescriptorOutput {
    let fd: Int32
    static let standardOutput = FileDescriptorOutput(fd: 1)
    static let standardError = FileDescriptorOutput(fd: 2)

    func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
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
