import Foundation
import GRDB
import GRDBSQLite

/// A value bound to a statement or read from a row: the same four kinds on both stores
/// (SQLite's storage classes but BLOB, which no concord table has; PostgreSQL's bigint,
/// double precision, text and NULL). Integers and reals stay distinct, because the audit
/// digests hash 1, 1.0 and "1" differently (`RowDigest`).
enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// Anything that can be bound as a statement argument.
protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

extension SQLValue: SQLBindable { var sqlValue: SQLValue { self } }
extension Int64: SQLBindable { var sqlValue: SQLValue { .integer(self) } }
extension Int: SQLBindable { var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int32: SQLBindable { var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Double: SQLBindable { var sqlValue: SQLValue { .real(self) } }
extension String: SQLBindable { var sqlValue: SQLValue { .text(self) } }
extension Substring: SQLBindable { var sqlValue: SQLValue { .text(String(self)) } }
extension Bool: SQLBindable { var sqlValue: SQLValue { .integer(self ? 1 : 0) } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// A Swift type a column can be read as. Reading is strict where it matters (a text column
/// read as an integer is a programming error, reported by the trap in `SQLRow`) and lenient
/// where the two stores differ only in spelling: PostgreSQL's `count(*)` is a bigint and
/// `sum()` a numeric, SQLite's booleans are integers.
protocol SQLReadable {
    static func read(_ value: SQLValue) -> Self?
}

extension Int64: SQLReadable {
    static func read(_ value: SQLValue) -> Int64? {
        switch value {
        case .integer(let v): return v
        case .real(let v): return v.rounded() == v ? Int64(exactly: v) : nil
        case .text(let v): return Int64(v)
        case .null: return nil
        }
    }
}
extension Int: SQLReadable {
    static func read(_ value: SQLValue) -> Int? { Int64.read(value).map(Int.init) }
}
extension Int32: SQLReadable {
    static func read(_ value: SQLValue) -> Int32? { Int64.read(value).flatMap { Int32(exactly: $0) } }
}
extension Double: SQLReadable {
    static func read(_ value: SQLValue) -> Double? {
        switch value {
        case .integer(let v): return Double(v)
        case .real(let v): return v
        case .text(let v): return Double(v)
        case .null: return nil
        }
    }
}
extension String: SQLReadable {
    static func read(_ value: SQLValue) -> String? {
        switch value {
        case .text(let v): return v
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .null: return nil
        }
    }
}
extension Bool: SQLReadable {
    static func read(_ value: SQLValue) -> Bool? {
        switch value {
        case .integer(let v): return v != 0
        case .real(let v): return v != 0
        case .text(let v): return v == "t" || v == "true" || v == "1"
        case .null: return nil
        }
    }
}

/// One result row; columns by name, as the SQL's `AS` names them.
struct SQLRow {
    /// Column name → position, shared by every row of one result.
    let positions: [String: Int]
    let values: [SQLValue]

    func value(_ name: String) -> SQLValue {
        guard let position = positions[name] else { preconditionFailure("no column \(name) in this row") }
        return values[position]
    }

    /// The position of the column called `name`: found once before a loop over many rows,
    /// so a million-row read does not look every cell's name up (`subscript(at:)`).
    func position(of name: String) -> Int {
        guard let position = positions[name] else { preconditionFailure("no column \(name) in this row") }
        return position
    }

    /// A non-NULL column by position (`position(of:)`).
    subscript<T: SQLReadable>(at position: Int) -> T {
        guard let value = T.read(values[position]) else { preconditionFailure("column \(position) holds \(values[position]), not \(T.self)") }
        return value
    }

    /// A column that may be NULL, by position.
    subscript<T: SQLReadable>(at position: Int) -> T? {
        if values[position] == .null { return nil }
        guard let value = T.read(values[position]) else { preconditionFailure("column \(position) holds \(values[position]), not \(T.self)") }
        return value
    }

    /// A non-NULL column; NULL or the wrong kind is a programming error (the SQL says).
    subscript<T: SQLReadable>(_ name: String) -> T {
        let raw = value(name)
        guard let value = T.read(raw) else { preconditionFailure("column \(name) holds \(raw), not \(T.self)") }
        return value
    }

    /// A column that may be NULL.
    subscript<T: SQLReadable>(_ name: String) -> T? {
        let raw = value(name)
        if raw == .null { return nil }
        guard let value = T.read(raw) else { preconditionFailure("column \(name) holds \(raw), not \(T.self)") }
        return value
    }
}

/// What Store's reads (and the checks inside its writes) need from either store: run one
/// statement, get its rows. The SQL is written once, with `?` placeholders, in the dialect
/// both SQLite and PostgreSQL accept (Sources/Store/README.md, "One SQL for two stores"): `coalesce`
/// not `ifnull`, `CASE` not scalar `max(a, b)`, explicit `NULLS FIRST/LAST` where order
/// matters, no SQLite-only functions.
protocol SQLDatabase {
    func rows(_ sql: String, _ arguments: [any SQLBindable]) throws -> [SQLRow]
    func execute(_ sql: String, _ arguments: [any SQLBindable]) throws
    /// Calls `body` with each row in turn. A store that can stream (SQLite) holds one row at
    /// a time, so a million-row read (export, an import's current labels) is not a million
    /// rows in memory at once; the default reads them all first.
    func forEachRow(_ sql: String, _ arguments: [any SQLBindable], _ body: (SQLRow) throws -> Void) throws
}

extension SQLDatabase {
    func rows(_ sql: String) throws -> [SQLRow] { try rows(sql, []) }

    func forEachRow(_ sql: String, _ arguments: [any SQLBindable], _ body: (SQLRow) throws -> Void) throws {
        for row in try rows(sql, arguments) { try body(row) }
    }

    func forEachRow(_ sql: String, _ body: (SQLRow) throws -> Void) throws { try forEachRow(sql, [], body) }

    func row(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> SQLRow? {
        try rows(sql, arguments).first
    }

    /// The first column of the first row, or nil when there is no row or it is NULL.
    func value<T: SQLReadable>(_ type: T.Type, _ sql: String, _ arguments: [any SQLBindable] = []) throws -> T? {
        guard let row = try rows(sql, arguments).first, let first = row.values.first else { return nil }
        return T.read(first)
    }

    /// The first column of every row (NULLs skipped).
    func values<T: SQLReadable>(_ type: T.Type, _ sql: String, _ arguments: [any SQLBindable] = []) throws -> [T] {
        try rows(sql, arguments).compactMap { $0.values.first.flatMap(T.read) }
    }
}

/// The SQLite store's side: a GRDB connection inside one of its transactions.
struct SQLiteDatabase: SQLDatabase {
    let db: Database
    /// Where the statements go when a test records them (`SQLTrace`); nil outside tests.
    let trace: SQLTrace?

    init(_ db: Database, trace: SQLTrace? = nil) {
        self.db = db
        self.trace = trace
    }

    /// Prepared once per connection: the same checks run on every commit (`submitItem`).
    func rows(_ sql: String, _ arguments: [any SQLBindable]) throws -> [SQLRow] {
        trace?.record(sql, arguments)
        var result: [SQLRow] = []
        try step(db.cachedStatement(sql: sql), arguments) { result.append($0) }
        return result
    }

    /// A statement of its own, not the cached one: `body` may run other statements, even
    /// this same SQL, while this one is still stepping.
    func forEachRow(_ sql: String, _ arguments: [any SQLBindable], _ body: (SQLRow) throws -> Void) throws {
        trace?.record(sql, arguments)
        try step(db.makeStatement(sql: sql), arguments, body)
    }

    /// Steps through SQLite's C API, as BulkRead does: each cell becomes a `SQLValue`
    /// directly, without a GRDB `Row` and `DatabaseValue` in between (a million-row export
    /// took three times as long through them).
    private func step(_ statement: Statement, _ arguments: [any SQLBindable], _ body: (SQLRow) throws -> Void) throws {
        var positions: [String: Int] = [:]
        for (i, name) in statement.columnNames.enumerated() where positions[name] == nil { positions[name] = i }
        try statement.setArguments(Self.arguments(arguments))   // resets the statement too
        let raw = statement.sqliteStatement
        // Reset however the loop ends (a body that throws included): a statement left
        // mid-step would hold its read snapshot open.
        defer { sqlite3_reset(raw) }
        let count = Int32(statement.columnCount)
        var values: [SQLValue] = []
        values.reserveCapacity(Int(count))
        while true {
            let code = sqlite3_step(raw)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
            }
            // A row the body kept still owns its array; otherwise the buffer is reused.
            values.removeAll(keepingCapacity: true)
            for column in 0..<count { values.append(Self.value(raw, column)) }
            try body(SQLRow(positions: positions, values: values))
        }
    }

    static func value(_ statement: OpaquePointer?, _ column: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        default:   // text, and a BLOB as its bytes (no concord column is one)
            let bytes = Int(sqlite3_column_bytes(statement, column))
            guard bytes > 0, let text = sqlite3_column_text(statement, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: bytes), as: UTF8.self))
        }
    }

    func execute(_ sql: String, _ arguments: [any SQLBindable]) throws {
        trace?.record(sql, arguments)
        try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
    }

    static func arguments(_ values: [any SQLBindable]) -> StatementArguments {
        StatementArguments(values.map { value -> DatabaseValue in
            switch value.sqlValue {
            case .null: return .null
            case .integer(let v): return v.databaseValue
            case .real(let v): return v.databaseValue
            case .text(let v): return v.databaseValue
            }
        })
    }
}

/// The statements a project store ran through `SQLDatabase` while recording, with their
/// arguments: a test runs every read on SQLite with recording on, then prepares each text on
/// PostgreSQL and runs it there on the same rows (PortableSQLTests), so no SQLite-only
/// statement or meaning hides in a read. Off, it costs a lock per statement.
final class SQLTrace: @unchecked Sendable {
    struct Statement: Equatable {
        let sql: String
        let arguments: [SQLValue]
    }

    /// The argument sets kept per text: enough to run each statement on several rows.
    static let argumentsPerText = 4

    private let lock = NSLock()
    private var recording = false
    private var statements: [Statement] = []
    private var runs: [String: [[SQLValue]]] = [:]

    func start() {
        lock.lock()
        recording = true
        lock.unlock()
    }

    /// Stops recording; the distinct statements recorded, in the order first run.
    func stop() -> [Statement] {
        lock.lock()
        defer { lock.unlock() }
        recording = false
        let out = statements
        statements = []
        runs = [:]
        return out
    }

    func record(_ sql: String, _ arguments: [any SQLBindable]) {
        lock.lock()
        defer { lock.unlock() }
        guard recording else { return }
        let values = arguments.map(\.sqlValue)
        var seen = runs[sql] ?? []
        guard seen.count < Self.argumentsPerText, !seen.contains(values) else { return }
        seen.append(values)
        runs[sql] = seen
        statements.append(Statement(sql: sql, arguments: values))
    }
}
