import Foundation
import Store
import Testing

/// While a process has a new project open, its schema and its application_id header are
/// still in the -wal file, not in the main file. The check that a path is a concord project
/// (made before anything is opened for writing) must then read the WAL too, or a second
/// process would be told the project is "not a concord project". SQLite only: the WAL and
/// the file header are the project file's; a PostgreSQL project is no file.
@Suite struct ProjectFileCheckTests {
    @Test func aProjectWhosePagesAreStillInTheWALOpens() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString).db").path
        let first = try ProjectStore.create(path: path, name: "t", admin: "admin")
        // The main file's header does not carry the mark yet: only the WAL has it.
        let header = try #require(FileHandle(forReadingAtPath: path)).readData(ofLength: 100)
        #expect(Array(header[68..<72]) == [0, 0, 0, 0])
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        let second = try ProjectStore.open(path: path)
        #expect(try second.session(login: "admin").raters().map(\.name) == ["admin"])
        _ = first
    }
}
