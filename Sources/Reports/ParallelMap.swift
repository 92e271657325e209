import Dispatch
import Foundation

/// `map` over independent elements on every core, results in input order; the first error
/// (in input order) is rethrown. Reports use it for criteria, which share nothing.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) throws -> R) throws -> [R] {
    let slots = ResultSlots<R>(items.count)
    DispatchQueue.concurrentPerform(iterations: items.count) { i in
        slots.set(i, Result { try transform(items[i]) })
    }
    return try slots.results.map { try $0!.get() }
}

/// The results of `parallelMap`, written under a lock from its worker threads.
private final class ResultSlots<R: Sendable>: @unchecked Sendable {
    private(set) var results: [Result<R, Error>?]
    private let lock = NSLock()
    init(_ n: Int) { results = Array(repeating: nil, count: n) }
    func set(_ i: Int, _ r: Result<R, Error>) { lock.lock(); results[i] = r; lock.unlock() }
}

/// Runs two independent computations at the same time (the report's statistics and its
/// lead-only sections) and returns both; an error from either is rethrown. `b` gets its own
/// thread rather than a GCD worker, so a `parallelMap` inside `a` still has every worker
/// (libdispatch runs an apply nested in an apply serially).
public func concurrently<A: Sendable, B: Sendable>(_ a: () throws -> A, _ b: @escaping @Sendable () throws -> B) throws -> (A, B) {
    let second = ResultSlots<B>(1)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread { second.set(0, Result { try b() }); done.signal() }
    thread.stackSize = 8 << 20
    thread.start()
    let first = Result { try a() }
    done.wait()
    return (try first.get(), try second.results[0]!.get())
}
