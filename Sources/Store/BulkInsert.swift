import GRDBSQLite

/// Binds and steps a prepared INSERT through SQLite's C API directly.
///
/// GRDB's `execute(arguments:)` builds a `StatementArguments` array and converts each value
/// per row; for a million-row import that bookkeeping costs more than SQLite's own work. This
/// is the one place concord leaves GRDB, for one statement GRDB prepared and still owns.
struct BulkInsert {
    let statement: OpaquePointer?
    let connection: OpaquePointer?

    /// SQLITE_TRANSIENT: SQLite copies the text before the Swift buffer goes away.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func insert(_ values: [RowDigest.Value]) throws {
        sqlite3_reset(statement)
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let status: Int32
            switch value {
            case .null: status = sqlite3_bind_null(statement, index)
            case .int(let v): status = sqlite3_bind_int64(statement, index, v)
            case .real(let v): status = sqlite3_bind_double(statement, index, v)
            case .text(let s) where s.isEmpty:
                status = sqlite3_bind_text(statement, index, "", 0, nil)   // a static empty string, not NULL
            case .text(var s):
                status = s.withUTF8 { sqlite3_bind_text(statement, index, UnsafeRawPointer($0.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }, Int32($0.count), Self.transient) }
            case .blob(let b): status = b.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), Self.transient) }
            }
            guard status == SQLITE_OK else { throw failure() }
        }
        guard sqlite3_step(statement) == SQLITE_DONE else { throw failure() }
    }

    /// One imported label, bound field by field (no per-row array): the columns of
    /// ProjectSession.importLabels' INSERT.
    func insertLabel(id: Int64, write: LabelImporter.Write, recordedAt: String) throws {
        sqlite3_reset(statement)
        var ok = sqlite3_bind_int64(statement, 1, id) == SQLITE_OK
        ok = ok && sqlite3_bind_int64(statement, 2, write.item) == SQLITE_OK
        ok = ok && bindText(3, write.criterion)
        ok = ok && sqlite3_bind_int64(statement, 4, write.rater) == SQLITE_OK
        ok = ok && bindText(5, write.value)
        ok = ok && sqlite3_bind_int64(statement, 6, write.rubricVersion) == SQLITE_OK
        ok = ok && (write.frame.map { sqlite3_bind_int64(statement, 7, Int64($0)) } ?? sqlite3_bind_null(statement, 7)) == SQLITE_OK
        ok = ok && bindText(8, write.submittedAt ?? recordedAt)
        ok = ok && bindText(9, recordedAt)
        ok = ok && sqlite3_bind_int64(statement, 10, Int64(write.revision)) == SQLITE_OK
        guard ok, sqlite3_step(statement) == SQLITE_DONE else { throw failure() }
    }

    private func bindText(_ index: Int32, _ text: String) -> Bool {
        var text = text
        if text.isEmpty { return sqlite3_bind_text(statement, index, "", 0, nil) == SQLITE_OK }
        return text.withUTF8 {
            sqlite3_bind_text(statement, index, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self),
                              Int32($0.count), Self.transient) == SQLITE_OK
        }
    }

    private func failure() -> StoreError {
        let code = sqlite3_errcode(connection) & 0xff
        if code == SQLITE_READONLY, let file = sqlite3_db_filename(connection, "main") {
            return StoreError(.project, ReadOnlyProject.message(String(cString: file)))
        }
        let advice = code == SQLITE_FULL || code == SQLITE_IOERR ? ProjectStore.diskFullAdvice : ""
        return StoreError(.project, "the project file refused a label: \(String(cString: sqlite3_errmsg(connection)))\(advice)")
    }
}
