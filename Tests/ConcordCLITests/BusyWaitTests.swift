import Foundation
import Testing

/// Another process holding the write lock for longer than a second (issue 9, concurrency):
/// concord waits its turn without a lock error and says on standard error that it waited.
/// SQLite only: another process holding SQLite's write lock.
@Suite struct BusyWaitTests {
    @Test func aLongLockHolderIsWaitedForAndTheWaitIsLogged() throws {
        let project = try Standard.copy()
        // A writer that takes the lock and holds it for 2.5 s (Python's sqlite3, not concord).
        let holder = try Tool.launch("/usr/bin/python3", ["-c", """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            time.sleep(2.5)
            c.execute("COMMIT")
            """, project.db])
        // Wait until the lock is really held.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, (try? String(contentsOfFile: holder.outPath, encoding: .utf8))?.contains("locked") != true {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let started = Date()
        let result = try project.run(["rater", "add", "late", "--role", "rater"])
        let waited = Date().timeIntervalSince(started)
        _ = holder.wait()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "late is now a rater\n")
        #expect(waited > 1.5, "the write should have waited for the holder (\(waited) s)")
        #expect(result.stderr.contains("concord: project file busy: waited about 1 s for another writer"), "\(result.stderr)")
        #expect(!result.stderr.lowercased().contains("locked"))
        #expect(try project.ok(["audit", "verify"]).contains("intact"))
    }
}
