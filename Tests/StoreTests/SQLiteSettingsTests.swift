import Foundation
import GRDBSQLite
@testable import Store
import Testing

/// Store turns SQLite's memory statistics off before the process's first connection
/// (CSQLiteConfig). `ProjectStore.sqliteConfigured` says whether it could: a test process
/// may have opened SQLite first through a connection of its own, and SQLite then keeps its
/// defaults. Either way the flag must tell the truth: with the statistics on, SQLite counts
/// the memory an open project holds; off, the count stays 0.
@Suite struct SQLiteSettingsTests {
    @Test func memoryStatisticsAreOffWhenStoreSaysSo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mode-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try ProjectStore.create(path: path, name: "t", admin: "admin")
        #expect(try store.session(login: "admin").raters().map(\.name) == ["admin"])
        var used: sqlite3_int64 = 0, highest: sqlite3_int64 = 0
        #expect(sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &used, &highest, 0) == SQLITE_OK)
        #expect((used == 0) == ProjectStore.sqliteConfigured)
        _ = store
    }
}
