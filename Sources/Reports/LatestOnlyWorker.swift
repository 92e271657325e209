import Foundation

/// Runs `work` on a thread of its own on the newest input handed to it, so a live view's
/// slow numbers (a model fitted again after new labels) never hold up the screen's keys.
/// An input submitted while one is being worked on waits, and a newer one replaces it: only
/// the newest read is worth the time. The caller picks results up with `take` on its own
/// thread (the workbench's event loop, every turn).
final class LatestOnlyWorker<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    private let work: @Sendable (Input) -> Output
    /// Everything below is shared with the worker thread, under `lock`.
    private let lock = NSCondition()
    private var running = false
    private var next: Input?
    private var finished: Output?

    init(_ work: @escaping @Sendable (Input) -> Output) {
        self.work = work
    }

    /// Has `input` worked on, after whatever is under way (a waiting input is dropped).
    func submit(_ input: Input) {
        lock.lock()
        next = input
        let start = !running
        running = true
        lock.unlock()
        guard start else { return }
        let thread = Thread { [self] in loop() }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Drops a waiting input (the caller's read failed: its numbers would be stale).
    func dropWaiting() {
        lock.lock(); next = nil; lock.unlock()
    }

    /// Work under way, or a result not taken yet.
    var isBusy: Bool {
        lock.lock(); defer { lock.unlock() }
        return running || finished != nil
    }

    /// The newest finished result, once; nil when none finished since the last call.
    func take() -> Output? {
        lock.lock(); defer { lock.unlock() }
        let out = finished
        finished = nil
        return out
    }

    /// Blocks until no work is under way or waiting (for tests, and callers that must have
    /// the numbers before they go on).
    func wait() {
        lock.lock()
        while running { lock.wait() }
        lock.unlock()
    }

    private func loop() {
        while true {
            lock.lock()
            guard let input = next else {
                running = false
                lock.broadcast()
                lock.unlock()
                return
            }
            next = nil
            lock.unlock()
            let output = work(input)
            lock.lock()
            finished = output
            lock.unlock()
        }
    }
}
