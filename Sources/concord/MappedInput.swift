#if canImport(Glibc)
import Glibc
#endif
import Interchange

/// Calls `body` with the bytes of a file, mapped rather than copied when it is a regular
/// file: `concord mos` reads a million ratings (25 MB), and copying them into fresh memory
/// cost more than a tenth of the command's time (docs/mos.md). Standard input ("-"), pipes,
/// empty files and anything that cannot be mapped are read by `readInput`, whose messages
/// these are. The mapping is private and read-only, and gone when `body` returns; nothing
/// `body` returns may point into it. Pages are not populated up front: the threads reading
/// the two halves fault them in side by side. (A file cut short by another program while
/// it is being read ends the process with SIGBUS, as any program that maps its input.)
func withInputBytes<R>(_ path: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R {
    if path != "-" {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError("\(path): cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw InputError("\(path): is a directory; give a CSV file") }
            if (info.st_mode & S_IFMT) == S_IFREG && info.st_size > 0,
               let mapped = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED {
                defer { munmap(mapped, Int(info.st_size)) }
                return try body(UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: Int(info.st_size)))
            }
        }
    }
    return try readInput(path).withUnsafeBufferPointer(body)
}
