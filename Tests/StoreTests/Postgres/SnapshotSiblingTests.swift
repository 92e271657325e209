import Foundation
import PostgresClient
import PostgresTestSupport
@testable import Store
import Testing

/// A batch's labels are read on PostgreSQL as two COPYs at once, the second on another
/// connection of the same login started on the read's exported snapshot
/// (`SnapshotSibling`). It must read exactly what the read's own connection would: the same
/// moment (a commit after the snapshot is in neither), the same rows under row security,
/// and the same columns when no second connection can be had and the COPYs run in turn.
@Suite(.enabled(if: SharedCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct SnapshotSiblingTests {
    /// Alice answers both items, bob the first (his second answer comes later in a test).
    static func project() throws -> (TestProject, [Int64]) {
        let project = try TestProject.demo(.postgres)
        let alice = try project.session("alice"), bob = try project.session("bob")
        let items = try alice.assignedItems(batch: "b").map(\.item)
        for (rater, item, present) in [(alice, items[0], "yes"), (alice, items[1], "no"), (bob, items[0], "no")] {
            try rater.submitItem(ItemSubmission(item: item, answers: ["present": present, "severity": present == "yes" ? "high" : ""],
                                                frame: nil, pts: nil, dwellMs: 500, watchedShare: 1))
        }
        return (project, items)
    }

    /// The columns as lines: item index, rater id, criterion=value, dwell.
    static func lines(_ columns: CurrentLabelColumns) -> [String] {
        columns.values.indices.map { i in
            "\(columns.itemIndex[i]) \(columns.raterIDs[Int(columns.raterIndex[i])]) \(columns.criteria[i])=\(columns.values[i]) \(columns.dwell[i])"
        }
    }

    /// Reads the batch's labels through `db` twice in the same transaction: with the second
    /// connection its read offers, and on the first connection alone.
    static func bothWays(_ db: PostgresDatabase, items: [Int64]) throws -> (together: [String], inTurn: [String], joined: Bool) {
        let batchID = try #require(try db.value(Int64.self, "SELECT id FROM batch WHERE name = ?", ["b"]))
        let indexOfItem = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1, Int32($0)) })
        var together = CurrentLabelColumns()
        try together.read(db, batchID: batchID, indexOfItem: indexOfItem)
        let joined = db.sibling?.isJoined == true
        var alone = db
        alone.sibling = nil
        var inTurn = CurrentLabelColumns()
        try inTurn.read(alone, batchID: batchID, indexOfItem: indexOfItem)
        return (lines(together), lines(inTurn), joined)
    }

    @Test func theSecondConnectionReadsTheFirstsSnapshot() throws {
        let (project, items) = try Self.project()
        let postgres = try #require(project.store.postgres)
        let bob = try project.session("bob")
        let ids = try project.store.read { db in
            try ["alice", "bob"].map { try #require(try db.value(Int64.self, "SELECT id FROM rater WHERE name = ?", [$0])) }
        }
        try postgres.read { any in
            let db = try #require(any as? PostgresDatabase)
            // The snapshot is taken by the read's first statement; bob commits after it.
            _ = try db.value(Int64.self, "SELECT count(*) FROM label")
            try bob.submitItem(ItemSubmission(item: items[1], answers: ["present": "yes", "severity": "low"], frame: nil, pts: nil,
                                              dwellMs: 700, watchedShare: 1))
            let read = try Self.bothWays(db, items: items)
            #expect(read.joined)
            #expect(read.together == read.inTurn)
            #expect(read.together == ["0 \(ids[0]) present=yes 500", "0 \(ids[0]) severity=high 500", "0 \(ids[1]) present=no 500",
                                      "1 \(ids[0]) present=no 500"])
        }
        // The next read is a new moment: bob's answers are there.
        let labels = try project.admin.labelsForAgreement(batch: "b")
        #expect(labels.value.count == 6)
        #expect(labels.raters == ["alice", "bob"])
    }

    /// Row security holds on the second connection too: a rater's read there sees only their
    /// own labels, as on their first connection.
    @Test func aRatersSecondConnectionReadsOnlyTheirOwnLabels() throws {
        let (project, items) = try Self.project()
        let postgres = try #require(try project.store(as: "bob").postgres)
        let bobID = try project.store.read { db in try #require(try db.value(Int64.self, "SELECT id FROM rater WHERE name = ?", ["bob"])) }
        try postgres.read { any in
            let read = try Self.bothWays(try #require(any as? PostgresDatabase), items: items)
            #expect(read.joined)
            #expect(read.together == read.inTurn)
            #expect(read.together == ["0 \(bobID) present=no 500"])
        }
    }

    /// Both connections cut (as by a server restart): the next read reconnects the first,
    /// finds the kept second one dead and reads in turn, and the read after that has a new
    /// second connection again — the same rows each time.
    @Test func aLostSecondConnectionIsMadeAgain() throws {
        let (project, items) = try Self.project()
        let postgres = try #require(project.store.postgres)
        let first = try postgres.read { any in try Self.bothWays(try #require(any as? PostgresDatabase), items: items) }
        #expect(first.joined)
        let killer = try PostgresConnection(uri: project.uri(as: "admin"))
        let cut = try killer.execute("""
            SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity
            WHERE datname = current_database() AND usename = 'admin' AND pid <> pg_backend_pid()
            """)
        #expect(cut.rows == [["2"]])
        let second = try postgres.read { any in try Self.bothWays(try #require(any as? PostgresDatabase), items: items) }
        #expect(!second.joined)
        #expect(second.together == first.together)
        let third = try postgres.read { any in try Self.bothWays(try #require(any as? PostgresDatabase), items: items) }
        #expect(third.joined)
        #expect(third.together == first.together)
    }

    /// No second connection to be had (no connection slot left, say): the same columns,
    /// read one COPY after the other on the read's own connection.
    @Test func withoutASecondConnectionTheCopiesRunInTurn() throws {
        let (project, items) = try Self.project()
        let postgres = try #require(project.store.postgres)
        let expected = try postgres.read { any in try Self.bothWays(try #require(any as? PostgresDatabase), items: items).together }
        try postgres.read { any in
            var db = try #require(any as? PostgresDatabase)
            db.sibling = SnapshotSibling(main: db.connection) { throw StoreError(.project, "no connection slot left") }
            let read = try Self.bothWays(db, items: items)
            #expect(!read.joined)
            #expect(read.together == expected)
            #expect(read.together.count == 4)
        }
    }
}
