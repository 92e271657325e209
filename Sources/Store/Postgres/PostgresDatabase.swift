import Foundation
import PostgresClient

/// The PostgreSQL side of `SQLDatabase`: the Store's reads, written once with `?`
/// placeholders, run here with `$1, $2…` and every value bound as a parameter.
///
/// Values come back in PostgreSQL's text format; the column's type says what they are, so
/// an integer column reads as `.integer` and a text column as `.text` exactly as SQLite's
/// storage classes do, and the audit digests of the two stores agree.
struct PostgresDatabase: SQLDatabase {
    let connection: PostgresConnection
    let statements: PlaceholderCache
    /// A second connection in the same snapshot, when the read that made this one offers it.
    var sibling: SnapshotSibling?

    func rows(_ sql: String, _ arguments: [any SQLBindable]) throws -> [SQLRow] {
        let result = try connection.execute(statements.numbered(sql), arguments.map { Self.text($0.sqlValue) })
        var positions: [String: Int] = [:]
        for (i, name) in result.columns.enumerated() where positions[name] == nil { positions[name] = i }
        let kinds = result.types.map(Kind.init)
        return result.rows.map { row in
            SQLRow(positions: positions, values: zip(row, kinds).map { text, kind in text.map(kind.value) ?? .null })
        }
    }

    func execute(_ sql: String, _ arguments: [any SQLBindable]) throws {
        try connection.execute(statements.numbered(sql), arguments.map { Self.text($0.sqlValue) })
    }

    /// A bound value in text format. Reals are written in Swift's shortest round-trip
    /// spelling, which PostgreSQL's float8 input reads back to the same bits.
    static func text(_ value: SQLValue) -> String? {
        switch value {
        case .null: return nil
        case .integer(let v): return String(v)
        case .real(let v): return v.isNaN ? "NaN" : v.isInfinite ? (v < 0 ? "-Infinity" : "Infinity") : "\(v)"
        case .text(let v): return v
        }
    }

    /// What a column's type OID makes of its text.
    enum Kind {
        case integer, real, boolean, numeric, text

        init(_ oid: UInt32) {
            switch oid {
            case 20, 21, 23, 26: self = .integer          // int8, int2, int4, oid
            case 700, 701: self = .real                   // float4, float8
            case 16: self = .boolean
            case 1700: self = .numeric                    // sum(bigint), avg(…)
            default: self = .text
            }
        }

        func value(_ text: String) -> SQLValue {
            switch self {
            case .integer: return Int64(text).map(SQLValue.integer) ?? .text(text)
            case .real: return Double(text).map(SQLValue.real) ?? .text(text)
            case .boolean: return .integer(text == "t" ? 1 : 0)
            // A whole numeric (sum of integers) is an integer, as SQLite's sum() gives one.
            case .numeric: return Int64(text).map(SQLValue.integer) ?? Double(text).map(SQLValue.real) ?? .text(text)
            case .text: return .text(text)
            }
        }
    }
}

/// `?` → `$n`, once per distinct SQL text (the Store's statements are a fixed set).
final class PlaceholderCache: @unchecked Sendable {
    private let lock = NSLock()
    private var numberedBySQL: [String: String] = [:]

    func numbered(_ sql: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        if let cached = numberedBySQL[sql] { return cached }
        let result = Self.number(sql)
        numberedBySQL[sql] = result
        return result
    }

    /// Replaces each `?` outside quoted text ('…', "…") and comments with `$1`, `$2`… in order.
    static func number(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var n = 0
        var quote: Character?
        var inComment = false
        var previous: Character = " "
        for c in sql {
            if inComment {
                out.append(c)
                if c == "\n" { inComment = false }
            } else if let q = quote {
                out.append(c)
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
                out.append(c)
            } else if c == "-" && previous == "-" {
                inComment = true
                out.append(c)
            } else if c == "?" {
                n += 1
                out += "$\(n)"
            } else {
                out.append(c)
            }
            previous = c
        }
        return out
    }
}
