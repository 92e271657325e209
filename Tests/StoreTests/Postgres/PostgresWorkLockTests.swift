import Foundation
import PostgresClient
import PostgresTestSupport
@testable import Store
import Testing

/// The workbench's commit (concord.submit_item) and mark check before they take the write
/// lock, so that writers queue only behind each other's writing; what may have changed while
/// one waited for the lock is checked again under it (PostgresOperations+Work.swift), so the
/// outcome is the one of a call that took the lock first. (A retry racing its first call:
/// PostgresOperationsTests.aRetryDuringTheFirstCallWaitsForItAndReplays.)
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresWorkLockTests {
    /// alice rates item 1; ada, in an open transaction, makes her an auditor (holding the
    /// write lock) while alice's call waits for the lock; then ada commits.
    @Test func aRoleChangedWhileAWriteWaitsForTheLockIsCheckedUnderIt() throws {
        for call in ["SELECT concord.submit_item(NULL, 1, '{\"present\": \"no\"}', NULL, NULL, NULL, 1)",
                     "SELECT concord.mark_item(1, 'flag', 'later')"] {
            try PostgresCluster.with { cluster in
                let twin = try TwinProject.make(cluster)
                try twin.call("add_clips", ["b", "ops", TwinProject.json(TwinProject.clips(1...1)), nil])
                try twin.call("assign", ["b", "{alice}", nil, nil, nil])
                try twin.project.createLogin("alice")
                try twin.call("add_rater", ["alice", "rater", nil])
                let events = try twin.project.column("SELECT count(*) FROM concord.audit_event")
                try twin.admin.execute("BEGIN")
                try twin.admin.execute("SELECT concord.add_rater('alice', 'auditor')")
                final class Outcome: @unchecked Sendable { var error: PostgresError?; var other: String? }
                let outcome = Outcome(), done = DispatchSemaphore(value: 0)
                let uri = cluster.uri(database: twin.project.database, user: "alice")
                DispatchQueue.global().async {
                    do { _ = try PostgresConnection(uri: uri).execute(call) } catch let error as PostgresError {
                        outcome.error = error
                    } catch { outcome.other = "\(error)" }
                    done.signal()
                }
                // alice's call passed its checks (she was a rater when it read her role) and waits.
                let waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                var polls = 0
                while try twin.project.column(waiting) != ["1"] && polls < 500 {
                    usleep(20_000)
                    polls += 1
                }
                #expect(try twin.project.column(waiting) == ["1"])
                try twin.admin.execute("COMMIT")
                done.wait()
                #expect(outcome.other == nil)
                #expect(outcome.error?.sqlState == "42501", "\(call)")
                #expect(outcome.error?.serverMessage == "alice is an auditor and cannot submit labels (raters, leads and admins)", "\(call)")
                // Only ada's event: nothing of alice's was written.
                #expect(try twin.project.column("SELECT count(*) FROM concord.audit_event") == ["\(Int(events[0]!)! + 1)"])
                #expect(try twin.project.column("SELECT (SELECT count(*) FROM concord.label) + (SELECT count(*) FROM concord.item_mark)") == ["0"])
            }
        }
    }
}
