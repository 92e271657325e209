import Foundation
import PostgresClient
import PostgresTestSupport
import Rubric
@testable import Store
import Testing

/// `concord.warm_up` (PostgresOperations+Work.swift): the workbench's dry run of a commit,
/// made once per connection so that the first real commit finds its functions compiled and
/// planned. It writes nothing (no row, no event, no id taken, no NOTIFY), takes no lock a
/// writer takes, and the commit after it writes exactly what it would have written.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresWarmUpTests {
    /// Every audited table's row count and largest id, label_current, the idempotency rows and
    /// the audit log's head: what a write would change.
    static var state: String {
        let counts = Schema.auditedTables.map { "(SELECT count(*) || ':' || coalesce(max(id), 0) FROM concord.\($0.table))" }
            + ["(SELECT count(*) FROM concord.label_current)::text", "(SELECT count(*) FROM concord.submission_request)::text",
               "(SELECT seq || ':' || hash FROM concord.audit_event ORDER BY seq DESC LIMIT 1)"]
        return "SELECT " + counts.joined(separator: " || ' ' || ")
    }

    @Test func aWarmUpWritesNothingAndTheCommitAfterItWritesWhatItWouldHave() throws {
        try PostgresCluster.with { cluster in
            let twin = try TwinProject.make(cluster)
            let clips = TwinProject.clips(1...2)
            _ = try twin.sqlite(as: nil).addClips(clips, batch: "b", rubric: "ops")
            try twin.call("add_clips", ["b", "ops", TwinProject.json(clips), nil])
            _ = try twin.sqlite(as: nil).assign(batch: "b", raters: ["alice"], overlap: nil, goldRate: nil)
            try twin.call("assign", ["b", "{alice}", nil, nil, nil])
            // One commit before, so that the dry run has current answers to compare with.
            let first = ItemSubmission(item: 1, answers: ["present": "yes", "severity": "low", "notes": "n"], frame: 2, pts: 0.08,
                                       dwellMs: 700, watchedShare: 1)
            _ = try twin.sqlite(as: "alice").submitItem(first)
            _ = try twin.submit(first, as: "alice")
            let listener = try twin.project.connect(as: "ada")
            try listener.listen(to: "concord")
            let before = try twin.project.column(Self.state)

            // ada's connection, the one twin.submit commits on, rehearses alice's commit (--as).
            #expect(try twin.call("warm_up", ["alice"]) == "true")
            #expect(try twin.call("warm_up", ["alice"]) == "true")
            #expect(try twin.project.column(Self.state) == before)

            // The commit after it: the next ids (none was taken by the dry runs), the same
            // rows and event as the Swift Store writes, one NOTIFY.
            let second = ItemSubmission(item: 1, answers: ["present": "no", "ttc": "2.50"], frame: nil, pts: nil, dwellMs: 10,
                                        watchedShare: 0.5)
            #expect(try twin.sqlite(as: "alice").submitItem(second) == SubmitResult(written: 2, withdrawn: 2))
            #expect(try twin.submit(second, as: "alice") == #"{"written": 2, "replayed": false, "withdrawn": 2}"#)
            #expect(try twin.project.column("SELECT string_agg(id::text, ',' ORDER BY id) FROM concord.label WHERE id > 3") == ["4,5,6,7"])
            #expect(try twin.project.column("SELECT max(id) FROM concord.submission") == ["2"])
            try twin.expectSameRows()
            try twin.expectSameAuditEvents()
            #expect(try listener.nextNotification(timeout: .seconds(5))?.payload == "item.submit")
            #expect(try listener.nextNotification(timeout: .zero) == nil)
        }
    }

    /// The rater's queue tells the Store what a commit would otherwise read first (each
    /// item's rubric, clip and frame count; the assignment itself), so an Enter on an item of
    /// the queue is its one call of submit_item: with SELECT on those tables taken away from
    /// raters after the queue was read, alice's commit still goes through, while a session
    /// that never read the queue still reads them, and is refused.
    @Test func aCommitOnAnItemOfTheQueueReadsNothingFirst() throws {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster, database: "concord_queue", admin: "ada")
            try project.createLogin("alice")
            let uri = { (user: String) in cluster.uri(database: "concord_queue", user: user) }
            let admin = try ProjectStore.open(path: uri("ada")).session(login: "ada")
            try admin.addRater("alice", role: .rater)
            _ = try admin.addRubric(try Rubric.parse(SeededProject.rubricYAML, file: "seed.yaml"), sourcePath: "seed.yaml")
            _ = try admin.addClips(TwinProject.clips(1...2), batch: "b", rubric: "seed")
            _ = try admin.assign(batch: "b", raters: ["alice"], overlap: nil, goldRate: nil)
            let alice = try ProjectStore.open(path: uri("alice")).session(login: "alice")
            #expect(try alice.ratingQueue().entries.map(\.item) == [1, 2])
            let rater = PostgresSchema.quoteIdentifier(PostgresSchema.roleName("rater", database: "concord_queue"))
            try project.connect().execute("REVOKE SELECT ON concord.item, concord.batch, concord.clip, concord.assignment FROM \(rater)")
            let answer = ItemSubmission(item: 2, answers: ["present": "no"], frame: 3, pts: nil, dwellMs: 900, watchedShare: 1)
            #expect(try alice.submitItem(answer) == SubmitResult(written: 1, withdrawn: 0))
            #expect(try project.connect().execute("SELECT count(*) FROM concord.label WHERE item_id = 2").rows == [["1"]])
            let fresh = try ProjectStore.open(path: uri("alice")).session(login: "alice")
            #expect(throws: (any Error).self) { try fresh.submitItem(ItemSubmission(item: 1, answers: ["present": "yes"], frame: nil, pts: nil,
                                                                                  dwellMs: nil, watchedShare: 1)) }
        }
    }

    /// A writer holding the write lock (ada's open transaction, as a commit holds it until
    /// COMMIT) does not hold up a warm-up: with a lock timeout, a wait would fail the call.
    @Test func aWarmUpTakesNoLockAWriterTakes() throws {
        try PostgresCluster.with { cluster in
            let twin = try TwinProject.make(cluster)
            try twin.call("add_clips", ["b", "ops", TwinProject.json(TwinProject.clips(1...1)), nil])
            try twin.call("assign", ["b", "{alice}", nil, nil, nil])
            try twin.project.createLogin("alice")
            try twin.call("add_rater", ["alice", "rater", nil])   // the login joins its group role
            let holder = try twin.project.connect()
            try holder.execute("BEGIN")
            try holder.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.writeLockKey))")
            let alice = try twin.project.connect(as: "alice")
            try alice.execute("SET lock_timeout = '2s'")
            #expect(try alice.execute("SELECT concord.warm_up()::text").rows[0][0] == "true")
            try holder.execute("ROLLBACK")
        }
    }

    /// Whom it rehearses for: a rater on their first assigned item (none: nothing to
    /// rehearse), a lead or an admin acting as a rater likewise; a role that may not submit
    /// labels is refused in the Swift Store's words, as its commit would be.
    @Test func aWarmUpRehearsesTheActorsOwnCommit() throws {
        try PostgresCluster.with { cluster in
            let twin = try TwinProject.make(cluster)
            #expect(try twin.call("warm_up", ["alice"]) == "false")   // no item at all yet
            try twin.call("add_clips", ["b", "ops", TwinProject.json(TwinProject.clips(1...2)), nil])
            try twin.call("assign", ["b", "{alice}", "1", nil, nil])
            #expect(try twin.call("warm_up", ["alice"]) == "true")
            #expect(try twin.call("warm_up", ["bob"]) == "false")     // a rater with no assignment
            #expect(try twin.call("warm_up", ["lena"]) == "true")     // a lead may label any item
            let refused = #expect(throws: PostgresError.self) { try twin.call("warm_up", ["aud"]) }
            #expect(refused?.sqlState == "42501")
            #expect(refused?.serverMessage == "aud is an auditor and cannot submit labels (raters, leads and admins)")
            #expect(try twin.project.column("SELECT count(*) FROM concord.submission") == ["0"])
        }
    }

    /// The Store's side: `warmUpCommits` runs `concord.warm_up` on the session's connection
    /// (its backend's last statement), changes nothing, and the commit after it is saved.
    @Test func theSessionWarmsItsConnectionAndCommitsAsBefore() throws {
        try PostgresCluster.with { cluster in
            let twin = try TwinProject.make(cluster)
            try twin.call("add_clips", ["b", "ops", TwinProject.json(TwinProject.clips(1...1)), nil])
            try twin.call("assign", ["b", "{alice}", nil, nil, nil])
            try twin.project.createLogin("alice")
            try twin.call("add_rater", ["alice", "rater", nil])   // the login joins its group role
            let session = try ProjectStore.open(path: cluster.uri(database: twin.project.database, user: "alice")).session(login: "alice")
            let before = try twin.project.column(Self.state)
            session.warmUpCommits()
            #expect(try twin.project.column("SELECT query FROM pg_stat_activity WHERE usename = 'alice' AND datname = $1",
                                            [twin.project.database]) == ["SELECT concord.warm_up($1)"])
            #expect(try twin.project.column(Self.state) == before)
            let result = try session.submitItem(ItemSubmission(item: 1, answers: ["present": "no", "notes": "x"], frame: 0, pts: 0,
                                                               dwellMs: 5, watchedShare: 1))
            #expect(result == SubmitResult(written: 2, withdrawn: 0))
            let admin = try ProjectStore.open(path: cluster.uri(database: twin.project.database, user: "ada")).session(login: "ada")
            #expect(try admin.verifyAudit().problems == [])
            #expect(try twin.project.column("SELECT string_agg(criterion || '=' || value, ',' ORDER BY id) FROM concord.label")
                    == ["present=no,notes=x"])
        }
    }

    /// A connection made again after one was lost is warmed again before the call that
    /// needed it: the server logs alice's statements, her backend is ended, and the
    /// submission after it (retried on a new connection) is preceded by a second warm-up.
    @Test func aReconnectedSessionWarmsItsNewConnection() throws {
        try PostgresCluster.with { cluster in
            let twin = try TwinProject.make(cluster)
            try twin.call("add_clips", ["b", "ops", TwinProject.json(TwinProject.clips(1...1)), nil])
            try twin.call("assign", ["b", "{alice}", nil, nil, nil])
            try twin.project.createLogin("alice")
            try twin.call("add_rater", ["alice", "rater", nil])
            try twin.project.connect().execute("ALTER ROLE alice SET log_statement = 'all'")
            let session = try ProjectStore.open(path: cluster.uri(database: twin.project.database, user: "alice")).session(login: "alice")
            session.warmUpCommits()
            let ended = try twin.project.column("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'alice'")
            #expect(ended == ["t"])
            let result = try session.submitItem(ItemSubmission(item: 1, answers: ["present": "no", "notes": "x"], frame: 0, pts: 0,
                                                               dwellMs: 5, watchedShare: 1))
            #expect(result == SubmitResult(written: 2, withdrawn: 0))
            let log = try String(contentsOfFile: cluster.directory + "/server.log", encoding: .utf8)
            let statements = log.split(separator: "\n").filter { $0.contains("concord.warm_up(") || $0.contains("concord.submit_item(") }
                .map { $0.contains("warm_up") ? "warm_up" : "submit_item" }
            #expect(statements == ["warm_up", "warm_up", "submit_item"])
        }
    }
}
