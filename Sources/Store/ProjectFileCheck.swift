import Foundation
import GRDBSQLite
#if canImport(Glibc)
import Glibc
#endif

/// Whether a path is a concord project, decided without changing anything.
///
/// Opening a file the usual way switches it to WAL (a write) and may create `-wal`,
/// `-shm` or `-journal` files beside it: done to another application's SQLite file or to
/// `/dev/zero`, a read-only command like `status` changed files that were not concord's.
/// So before that open the path must be a regular file holding an SQLite database that is
/// concord's: its header's application_id says so, or — for projects made before concord
/// set it — a read-only, immutable open (no lock, no journal, no side file) finds concord's
/// tables.
enum ProjectFileCheck {
    /// The header's application_id of every concord project ("Conc"), set by migration v4.
    static let applicationID: UInt32 = 0x436F_6E63

    /// Why `path` is not a concord project, or nil when it is one.
    static func problem(_ path: String) -> String? {
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { return nil }   // missing or unreadable: the open that follows says so
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else {
            if type == S_IFDIR { return nil }   // "no project at …", as before
            return "\(printableText(path)) is not a concord project file: it is \(describe(type)), not a regular file; pass the project's file with --project"
        }
        var header = [UInt8](repeating: 0, count: 100)
        let count = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 100, 0) }
        guard count == 100, header.starts(with: Array("SQLite format 3\0".utf8)) else {
            return "\(printableText(path)) is not a concord project file (it is not an SQLite database); create one with: concord init --project PATH"
        }
        let id = header[68..<72].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        if id == applicationID { return nil }
        if id != 0 {
            return "\(printableText(path)) is another application's SQLite database (application_id 0x\(String(id, radix: 16))), not a concord project; nothing was changed"
        }
        // Header bytes 18 and 19 are 2 in WAL mode: the newest pages, the header's own
        // included, may still be in the -wal file (a process has the project open). Only
        // then is the WAL read, by a plain read-only open that uses the existing side files.
        let inWAL = header[18] == 2 && FileManager.default.fileExists(atPath: path + "-wal")
        return hasProjectTables(path, immutable: true) || (inWAL && hasProjectTables(path, immutable: false)) ? nil
            : "\(printableText(path)) is an SQLite database but not a concord project; nothing was changed"
    }

    /// Looks for concord's mark or tables through a read-only open. Immutable: SQLite takes
    /// no lock and creates no journal, WAL or shared-memory file, but sees only the main file.
    private static func hasProjectTables(_ path: String, immutable: Bool) -> Bool {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        guard let encoded = absolute.addingPercentEncoding(withAllowedCharacters: allowed) else { return false }
        // This may be the process's first SQLite connection: SQLite's settings come first.
        _ = ProjectStore.sqliteConfigured
        var db: OpaquePointer?
        defer { sqlite3_close(db) }
        let uri = "file:\(encoded)" + (immutable ? "?immutable=1" : "")
        guard sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nil) == SQLITE_OK else { return false }
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        let sql = """
            SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('project', 'audit_event')) = 2
                OR (SELECT application_id FROM pragma_application_id) = 1131376227
            """
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, sqlite3_step(statement) == SQLITE_ROW else { return false }
        return sqlite3_column_int(statement, 0) == 1
    }

    private static func describe(_ type: mode_t) -> String {
        switch type {
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "not a regular file"
        }
    }
}
