import CFFmpeg
#if canImport(Glibc)
import Glibc
#endif

/// A clip's identity: the SHA-256 of its bytes, streamed in 1 MiB chunks through libavutil's
/// implementation (already linked for decoding, so no extra dependency), never loading the
/// whole file.
public enum FileHash {
    public static func sha256(path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw MediaError(path: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        guard let context = av_sha_alloc() else { throw MediaError(path: path, message: "out of memory") }
        defer { av_free(UnsafeMutableRawPointer(context)) }
        av_sha_init(context, 256)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw MediaError(path: path, message: "cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            buffer.withUnsafeBufferPointer { av_sha_update(context, $0.baseAddress, n) }
        }
        var digest = [UInt8](repeating: 0, count: 32)
        av_sha_final(context, &digest)
        return digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

extension FileHash {
    /// SHA-256 of bytes in memory (an imported file read from standard input).
    public static func sha256(bytes: [UInt8]) -> String {
        guard let context = av_sha_alloc() else { preconditionFailure("out of memory") }
        defer { av_free(UnsafeMutableRawPointer(context)) }
        av_sha_init(context, 256)
        var offset = 0
        bytes.withUnsafeBufferPointer { buffer in
            // av_sha_update takes an unsigned int length: feed at most 1 GiB at a time.
            while offset < buffer.count {
                let n = min(buffer.count - offset, 1 << 30)
                av_sha_update(context, buffer.baseAddress! + offset, n)
                offset += n
            }
        }
        var digest = [UInt8](repeating: 0, count: 32)
        av_sha_final(context, &digest)
        return digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
