import Foundation
import PostgresTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 16: "A server restart (`pg_ctl restart -m immediate`) in the middle of 8 workbench
/// writers loses and duplicates nothing acknowledged." Eight `store-bench soak` writers, each
/// logged in as its own rater, submit whole items through `submitItem` (the workbench's path)
/// as fast as the server takes them and record every acknowledged submission's note and
/// client-made id; the server is restarted immediately (every session cut, WAL recovery)
/// while they write. Afterwards each acknowledged submission is there exactly once with its
/// labels, nothing is half-written, and every writer carried on by itself.
@Suite(.serialized, .enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresRestartTests {
    /// scripts/soak.py's: `store-bench soak` answers quality 1–5 and a unique note.
    static let rubric = """
        name: soak
        criteria:
          - id: quality
            question: Overall quality?
            scale: ordinal
            options:
              - {value: "1", key: "1", label: bad}
              - {value: "2", key: "2", label: poor}
              - {value: "3", key: "3", label: fair}
              - {value: "4", key: "4", label: good}
              - {value: "5", key: "5", label: excellent}
          - id: note
            question: A note
            scale: text
        """

    /// One acknowledgement line of `store-bench soak`.
    struct Ack: Hashable {
        let rater: String, item: String, note: String, quality: String, clientID: String
    }

    static func acks(_ path: String) -> [Ack] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ").map(String.init)
            return f.count == 6 ? Ack(rater: f[0], item: f[1], note: f[2], quality: f[3], clientID: f[5]) : nil
        }
    }

    @Test func immediateRestartAmidEightWritersLosesAndDuplicatesNothingAcknowledged() throws {
        let project = try PrivatePostgresProject("restart")
        let writers = (0..<8).map { "w\($0)" }
        try project.addRubric(Self.rubric, name: "soak")
        try project.addRaters(writers, role: "rater")
        try project.addDemoClips(batch: "soak", rubric: "soak", raters: writers)
        let driver = CLI.binary.deletingLastPathComponent().appendingPathComponent("store-bench").path
        let ackFile = { (writer: String) in project.dir + "/\(writer).acks" }
        let running = try writers.map { writer in
            try Tool.launch(driver, ["soak", "--project", project.uri(as: writer), "--as", writer, "--acks", ackFile(writer)])
        }
        var outputs: [CLIResult] = []
        defer {   // however the test ends, no writer outlives it
            for launched in running where launched.process.isRunning { kill(launched.process.processIdentifier, SIGKILL) }
        }

        // A writer that stops by itself fails the test at once, with what it said.
        let stopped = {
            if let dead = running.first(where: { !$0.process.isRunning }) { throw TmuxFailed(message: "a writer stopped: \(dead.wait().stderr)") }
        }
        // Every writer is committing, then the server goes down and up under them.
        try Self.waitUntil("every writer has 20 acknowledged submissions", stopped) { writers.allSatisfy { Self.acks(ackFile($0)).count >= 20 } }
        try project.cluster.restartImmediately()
        let atRestart = writers.map { Self.acks(ackFile($0)).count }
        // Writes resume by themselves: each writer acknowledges 20 more after the restart.
        try Self.waitUntil("every writer acknowledges 20 more after the restart", stopped) {
            zip(writers, atRestart).allSatisfy { Self.acks(ackFile($0)).count >= $1 + 20 }
        }
        for launched in running {
            #expect(launched.process.isRunning, "a writer stopped by itself")
            kill(launched.process.processIdentifier, SIGKILL)
            outputs.append(launched.wait())
        }
        for (writer, output) in zip(writers, outputs) {
            // Each writer's next call found its connection cut, said so, and reconnected.
            #expect(output.stderr.contains("store-bench: reconnecting to PostgreSQL at "), "\(writer): \(output.stderr)")
            #expect(!output.stderr.contains("error"), "\(writer): \(output.stderr)")
        }

        let acks = writers.flatMap { Self.acks(ackFile($0)) }
        #expect(Set(acks.map(\.clientID)).count == acks.count)
        // Each acknowledged client id maps to one submission of that rater and item, whose
        // labels hold the acknowledged answers (the note is unique per submission).
        let written = try project.rows("""
            SELECT r.client_id::text, rt.name, s.item_id::text, q.value, n.value
            FROM concord.submission_request r JOIN concord.submission s ON s.id = r.submission_id
            JOIN concord.rater rt ON rt.id = s.rater_id
            LEFT JOIN concord.label q ON q.id BETWEEN s.first_label_id AND s.last_label_id AND q.criterion = 'quality'
            LEFT JOIN concord.label n ON n.id BETWEEN s.first_label_id AND s.last_label_id AND n.criterion = 'note'
            """)
        var byClient: [String: Ack] = [:]
        for row in written {
            let values = row.map { $0 ?? "NULL" }
            byClient[values[0]] = Ack(rater: values[1], item: values[2], note: values[4], quality: values[3], clientID: values[0])
        }
        #expect(written.count == byClient.count)
        let missingOrWrong = acks.filter { ack in
            guard let stored = byClient[ack.clientID] else { return true }
            // quality is written only when it changed from the item's current answer
            return stored.rater != ack.rater || stored.item != ack.item || stored.note != ack.note
                || (stored.quality != ack.quality && stored.quality != "NULL")
        }
        #expect(missingOrWrong.isEmpty, "acknowledged but not stored as acknowledged: \(missingOrWrong.prefix(5))")
        // Nothing twice, nothing half: each note once in the whole history; every submission
        // has its request and its labels, each label the submission's item and rater.
        #expect(try project.rows("SELECT value FROM concord.label WHERE criterion = 'note' GROUP BY value HAVING count(*) > 1").isEmpty)
        #expect(try project.rows("""
            SELECT s.id FROM concord.submission s
            WHERE (SELECT count(*) FROM concord.submission_request r WHERE r.submission_id = s.id) <> 1
               OR s.first_label_id IS NULL
               OR (SELECT count(*) FROM concord.label l WHERE l.id BETWEEN s.first_label_id AND s.last_label_id
                   AND l.item_id = s.item_id AND l.rater_id = s.rater_id) <> s.last_label_id - s.first_label_id + 1
            """).isEmpty)
        #expect(try project.rows("SELECT count(*) FROM concord.label l WHERE NOT EXISTS (SELECT 1 FROM concord.submission s "
                                 + "WHERE l.id BETWEEN s.first_label_id AND s.last_label_id)") == [["0"]])
        #expect(try project.ok(["audit", "verify"]).contains("intact"))
    }

    static func waitUntil(_ what: String, timeout: Double = 60, _ check: () throws -> Void, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            try check()
            guard Date() < deadline else { throw TmuxFailed(message: "timed out waiting until \(what)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}
