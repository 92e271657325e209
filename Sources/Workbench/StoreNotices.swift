import Store

/// Hands the Store's log lines (`StoreLog`) to a workbench while it runs, so a rater sees
/// "reconnecting…" instead of a frozen screen. `StoreLog` wants a `@Sendable` sink; the
/// workbench is not Sendable, but the Store calls the sink on the thread that called it,
/// which for the workbench is always the run loop's own (its Store calls are synchronous).
final class StoreNotices: @unchecked Sendable {
    private let show: (String) -> Void

    init(_ show: @escaping (String) -> Void) { self.show = show }

    var sink: @Sendable (String) -> Void { { [self] line in show(line) } }
}
