import Foundation
import PostgresClient
import PostgresTestSupport
import Printable
import Testing

/// PostgresConnection against a real PostgreSQL 15 server: each test starts its own private
/// cluster (PostgresCluster) and stops it at the end.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresConnectionTests {
    /// Text that breaks hand-quoted SQL: quotes, backslashes, controls, a would-be injection,
    /// placeholders, non-ASCII, the empty string and NULL.
    static let oddValues: [String?] = [
        "it's", "\"double\"", "back\\slash", "tab\there", "new\nline\r\n", "x'); DROP TABLE t; --",
        "$1 $2", "%_ like", "émoji 🎬 ✓", "\u{202E}rtl", "", " spaced ", nil,
    ]

    @Test func boundParametersRoundTripOddTextExactly() throws {
        try PostgresCluster.with { cluster in
            let db = try PostgresConnection(uri: cluster.uri())
            try db.execute("CREATE TABLE t (n integer PRIMARY KEY, v text)")
            for (n, value) in Self.oddValues.enumerated() {
                let inserted = try db.execute("INSERT INTO t (n, v) VALUES ($1, $2)", [String(n), value])
                #expect(inserted.affectedRows == 1)
            }
            let stored = try db.execute("SELECT v FROM t ORDER BY n")
            #expect(stored.columns == ["v"])
            #expect(stored.rows == Self.oddValues.map { [$0] })
            // The same values found by equality, i.e. the server compared exactly what was sent.
            for (n, value) in Self.oddValues.enumerated() where value != nil {
                #expect(try db.execute("SELECT n FROM t WHERE v = $1", [value]).rows == [[String(n)]])
            }
            #expect(try db.execute("SELECT count(*) FROM t").rows == [[String(Self.oddValues.count)]])
        }
    }

    @Test func nulAndServerErrorsAreTypedWithWholeMessages() throws {
        try PostgresCluster.with { cluster in
            let db = try PostgresConnection(uri: cluster.uri())
            let nul = #expect(throws: PostgresError.self) { try db.execute("SELECT $1, $2", ["fine", "a\u{0}b"]) }
            #expect(nul?.kind == .invalidParameter)
            #expect(nul?.description == "parameter $2 holds a NUL character, which PostgreSQL text cannot store; remove it")

            let missing = #expect(throws: PostgresError.self) { try db.execute("SELECT * FROM missing WHERE x = $1", ["1"]) }
            #expect(missing?.kind == .statementFailed)
            #expect(missing?.sqlState == "42P01")
            #expect(missing?.serverMessage == #"relation "missing" does not exist"#)
            #expect(missing?.description == #"PostgreSQL refused the statement: relation "missing" does not exist [SQLSTATE 42P01]"#)
            // The connection is still usable after a refused statement.
            #expect(try db.execute("SELECT $1::integer + 1", ["41"]).rows == [["42"]])
        }
    }

    struct Abandoned: Error {}

    @Test func aTransactionCommitsOrRollsBackWhole() throws {
        try PostgresCluster.with { cluster in
            let db = try PostgresConnection(uri: cluster.uri())
            try db.execute("CREATE TABLE t (n integer PRIMARY KEY)")
            try db.transaction {
                try db.execute("INSERT INTO t VALUES ($1)", ["1"])
                try db.execute("INSERT INTO t VALUES ($1)", ["2"])
            }
            #expect(throws: Abandoned.self) {
                try db.transaction {
                    try db.execute("INSERT INTO t VALUES ($1)", ["3"])
                    throw Abandoned()
                }
            }
            // A statement the server refuses mid-transaction rolls back what came before it.
            let duplicate = #expect(throws: PostgresError.self) {
                try db.transaction {
                    try db.execute("INSERT INTO t VALUES ($1)", ["4"])
                    try db.execute("INSERT INTO t VALUES ($1)", ["1"])
                }
            }
            #expect(duplicate?.sqlState == "23505")
            #expect(duplicate?.description == #"PostgreSQL refused the statement: duplicate key value violates unique constraint "t_pkey" (Key (n)=(1) already exists.) [SQLSTATE 23505]"#)
            #expect(try db.execute("SELECT n FROM t ORDER BY n").rows == [["1"], ["2"]])
            // Another session sees the same: nothing of the rolled-back transactions was stored.
            let other = try PostgresConnection(uri: cluster.uri())
            #expect(try other.execute("SELECT count(*) FROM t").rows == [["2"]])
        }
    }

    @Test func copyOfAHundredThousandRowsLandsExactly() throws {
        try PostgresCluster.with { cluster in
            try cluster.createDatabase("bulk")
            let db = try PostgresConnection(uri: cluster.uri(database: "bulk"))
            try db.execute("CREATE TABLE label (n integer PRIMARY KEY, rater text NOT NULL, answer text)")
            let rows: [[String?]] = (0..<100_000).map { n in
                let answer: String? = switch n % 7 {
                case 0: nil
                case 1: "tab\there, new\nline, back\\slash \\N"
                case 2: Self.oddValues[n % Self.oddValues.count]
                default: "answer \(n) ✓"
                }
                return [String(n), "rater \(n % 64)", answer]
            }
            #expect(try db.copyIn("COPY label (n, rater, answer) FROM STDIN", rows: rows) == 100_000)
            let stored = try db.execute("SELECT n, rater, answer FROM label ORDER BY n")
            #expect(stored.rows.count == 100_000)
            #expect(stored.rows == rows)

            // A NUL anywhere cancels the whole COPY: nothing of it is stored.
            let nul = #expect(throws: PostgresError.self) {
                try db.copyIn("COPY label (n, rater, answer) FROM STDIN", rows: [["100000", "r", "ok"], ["100001", "r", "a\u{0}"]])
            }
            #expect(nul?.description == "row 2, column 3 holds a NUL character, which PostgreSQL text cannot store; remove it")
            #expect(try db.execute("SELECT count(*) FROM label").rows == [["100000"]])
            // A row the server rejects (a duplicate key) fails the COPY with its SQLSTATE.
            let duplicate = #expect(throws: PostgresError.self) {
                try db.copyIn("COPY label (n, rater, answer) FROM STDIN", rows: [["100000", "r", "new"], ["5", "r", "again"]])
            }
            #expect(duplicate?.sqlState == "23505")
            #expect(try db.execute("SELECT count(*) FROM label").rows == [["100000"]])
        }
    }

    @Test func listenReceivesANotifyFromAnotherConnectionAndTimesOutWithNone() throws {
        try PostgresCluster.with { cluster in
            let listener = try PostgresConnection(uri: cluster.uri())
            try listener.listen(to: "concord \"labels\"")
            let uri = cluster.uri()
            let sender = SenderPID()
            // The notification is sent while the listener is already waiting in poll().
            let thread = Thread {
                do {
                    let notifier = try PostgresConnection(uri: uri)
                    sender.set(try notifier.execute("SELECT pg_backend_pid()").rows[0][0])
                    Thread.sleep(forTimeInterval: 0.2)
                    try notifier.notify("concord \"labels\"", payload: "label 42 committed")
                } catch {
                    sender.set("failed: \(error)")
                }
            }
            thread.start()
            let received = try #require(try listener.nextNotification(timeout: .seconds(30)))
            #expect(received.channel == "concord \"labels\"")
            #expect(received.payload == "label 42 committed")
            #expect(String(received.senderPID) == sender.value)

            // Nothing more was sent: the wait ends at the timeout with none.
            #expect(try listener.nextNotification(timeout: .milliseconds(300)) == nil)
            // A NOTIFY in a rolled-back transaction is never delivered; a committed one is.
            let other = try PostgresConnection(uri: uri)
            #expect(throws: Abandoned.self) {
                try other.transaction {
                    try other.notify("concord \"labels\"", payload: "rolled back")
                    throw Abandoned()
                }
            }
            try other.transaction { try other.notify("concord \"labels\"", payload: "committed") }
            #expect(try listener.nextNotification(timeout: .seconds(30))?.payload == "committed")
            #expect(try listener.nextNotification(timeout: .zero) == nil)
        }
    }

    /// What issue 16's reconnecting workbench will catch: the server going away mid-session.
    @Test func aStoppedServerIsALostConnection() throws {
        try PostgresCluster.with { cluster in
            let db = try PostgresConnection(uri: cluster.uri())
            #expect(try db.execute("SELECT 1").rows == [["1"]])
            cluster.stop()
            let lost = #expect(throws: PostgresError.self) { try db.execute("SELECT $1", ["after"]) }
            #expect(lost?.kind == .connectionLost)
            // A transaction on the broken connection throws the same kind instead of trapping.
            #expect(throws: PostgresError.self) { try db.transaction { try db.execute("SELECT 1") } }
            #expect(lost?.description == "lost the connection to PostgreSQL at \(quoted(cluster.uri())): FATAL:  terminating connection due to administrator command; server closed the connection unexpectedly; reconnect and retry (what was not committed was not saved)")
        }
    }

    /// The notifying thread's backend PID, handed to the test's thread.
    final class SenderPID: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: String?
        func set(_ value: String?) { lock.withLock { stored = value } }
        var value: String? { lock.withLock { stored } }
    }
}
