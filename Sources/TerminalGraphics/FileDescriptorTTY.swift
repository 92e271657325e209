#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real terminal behind a file descriptor: termios raw mode while querying, `poll()`
/// with the time left before the deadline for every read, so a terminal that never
/// answers costs exactly the timeout and no more.
public final class FileDescriptorTTY: TTYLike {
    public let fileDescriptor: Int32
    private let ownsDescriptor: Bool
    private var saved: termios?

    /// Wraps `fd` if it is a terminal. The descriptor stays the caller's unless `owning`.
    public init?(fileDescriptor fd: Int32, owning: Bool = false) {
        guard isatty(fd) == 1 else { return nil }
        fileDescriptor = fd
        ownsDescriptor = owning
    }

    /// The controlling terminal (`/dev/tty`), which works even when stdin/stdout are pipes.
    public static func controllingTerminal() -> FileDescriptorTTY? {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        guard let tty = FileDescriptorTTY(fileDescriptor: fd, owning: true) else { close(fd); return nil }
        return tty
    }

    deinit {
        endQueries()
        if ownsDescriptor { close(fileDescriptor) }
    }

    public func beginQueries() -> Bool {
        var original = termios()
        guard tcgetattr(fileDescriptor, &original) == 0 else { return false }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(fileDescriptor, TCSANOW, &raw) == 0 else { return false }
        saved = original
        return true
    }

    public func endQueries() {
        guard var original = saved else { return }
        _ = tcsetattr(fileDescriptor, TCSANOW, &original)
        saved = nil
    }

    public func write(_ bytes: [UInt8]) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                #if canImport(Glibc)
                Glibc.write(fileDescriptor, buf.baseAddress! + done, bytes.count - done)
                #else
                Darwin.write(fileDescriptor, buf.baseAddress! + done, bytes.count - done)
                #endif
            }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return false
            }
            done += n
        }
        return true
    }

    public func read(before deadline: ContinuousClock.Instant) -> [UInt8] {
        let clock = ContinuousClock()
        while true {
            let left = deadline - clock.now
            if left <= .zero { return [] }
            let (s, atto) = left.components
            let ms = Int32(clamping: s * 1000 + (atto + 999_999_999_999_999) / 1_000_000_000_000_000)
            var pfd = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, max(1, ms))
            if ready < 0 {
                if errno == EINTR { continue }
                return []
            }
            if ready == 0 { continue }   // loop re-checks the deadline
            if pfd.revents & Int16(POLLIN) == 0 { return [] }   // hung up or error
            var buf = [UInt8](repeating: 0, count: 512)
            let n = buf.withUnsafeMutableBytes { b in
                #if canImport(Glibc)
                Glibc.read(fileDescriptor, b.baseAddress!, b.count)
                #else
                Darwin.read(fileDescriptor, b.baseAddress!, b.count)
                #endif
            }
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if n <= 0 { return [] }
            return Array(buf[0..<n])
        }
    }

    public func windowSize() -> WindowSize? {
        var ws = winsize()
        guard ioctl(fileDescriptor, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0, ws.ws_col > 0 else { return nil }
        return WindowSize(rows: Int(ws.ws_row), columns: Int(ws.ws_col),
                          pixelWidth: Int(ws.ws_xpixel), pixelHeight: Int(ws.ws_ypixel))
    }
}
