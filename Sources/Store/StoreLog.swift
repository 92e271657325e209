import Foundation

/// Where the Store reports what users do not see but operators should: long waits for the
/// write lock and bounded retries. Silent until a program chooses a sink: the CLI sends it
/// to standard error, the full-screen workbench to its trace file (never the screen), the
/// soak driver to its log. Thread-safe; the sink is called on the writing thread.
public enum StoreLog {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var sink: (@Sendable (String) -> Void)?

    public static func setSink(_ newSink: (@Sendable (String) -> Void)?) {
        lock.lock(); sink = newSink; lock.unlock()
    }

    static func write(_ message: String) {
        lock.lock(); let s = sink; lock.unlock()
        s?(message)
    }
}
