import CLibPQ
import Foundation

extension PostgresConnection {
    /// Runs `COPY (SELECT …) TO STDOUT` (text format) and calls `body` with each row as it
    /// arrives, returning how many rows the server sent. This is the bulk read: the server
    /// streams rows without building a result, and no row outlives its call, so a million
    /// rows are never a million strings at once (`execute` holds every row of its result).
    ///
    /// COPY takes no bound parameters; a caller passes values with `set_config(name, $1, true)`
    /// in the same transaction and reads them in the query with `current_setting(name)`, so
    /// values still never enter SQL text. If `body` throws, the rest of the rows are read and
    /// dropped (the protocol allows nothing else mid-COPY) and the error is rethrown.
    @discardableResult
    public func copyOut(_ sql: String, _ body: (CopyOutRow) throws -> Void) throws -> Int {
        guard let started = PQexec(connection, sql) else { throw lost() }
        guard PQresultStatus(started) == PGRES_COPY_OUT else {
            defer { PQclear(started) }
            if PQresultStatus(started) == PGRES_COMMAND_OK || PQresultStatus(started) == PGRES_TUPLES_OK {
                preconditionFailure("copyOut needs a COPY … TO STDOUT statement")
            }
            throw statementError(started)
        }
        PQclear(started)

        var row = CopyOutRow()
        var failure: Error?
        var count = 0
        while true {
            var data: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(connection, &data, 0)
            guard length > 0, let data else { break }   // -1: done, -2: error (the result says which)
            defer { PQfreemem(data) }
            guard failure == nil else { continue }
            data.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { bytes in
                // Each row ends with a newline, which is not part of its last field.
                row.split(UnsafeBufferPointer(start: bytes, count: Int(length) - 1))
            }
            count += 1
            do { try body(row) } catch { failure = error }
        }
        var serverError: PostgresError?
        var sent: Int?
        while let result = PQgetResult(connection) {
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                sent = Int(String(cString: PQcmdTuples(result)))
            } else if serverError == nil {
                serverError = statementError(result)
            }
            PQclear(result)
        }
        if let serverError { throw serverError }
        if let failure { throw failure }
        guard sent != nil else { throw lost() }
        return count
    }
}

/// One row of `COPY … TO STDOUT` in PostgreSQL's text format, valid only during the call
/// that receives it: fields are read in place from libpq's buffer.
public struct CopyOutRow {
    private var line = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// Where each field starts in `line`; field i ends one byte (its tab) before field i + 1.
    private var starts: [Int] = []

    init() {}

    mutating func split(_ line: UnsafeBufferPointer<UInt8>) {
        self.line = line
        starts.removeAll(keepingCapacity: true)
        starts.append(0)
        if let base = line.baseAddress {
            var from = 0
            while from < line.count, let tab = memchr(base + from, Int32(UInt8(ascii: "\t")), line.count - from) {
                from = UnsafeRawPointer(tab) - UnsafeRawPointer(base) + 1
                starts.append(from)
            }
        }
        starts.append(line.count + 1)
    }

    public var count: Int { starts.count - 1 }

    private func raw(_ field: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(field >= 0 && field < count, "COPY row has \(count) fields, not \(field + 1)")
        return UnsafeBufferPointer(rebasing: line[starts[field]..<(starts[field + 1] - 1)])
    }

    /// Is the field SQL NULL (written `\N`)?
    public func isNull(_ field: Int) -> Bool {
        let bytes = raw(field)
        return bytes.count == 2 && bytes[0] == UInt8(ascii: "\\") && bytes[1] == UInt8(ascii: "N")
    }

    /// The field's value as UTF-8 bytes, escapes undone, given to `body` without copying
    /// when it has none (the common case); NULL gives nil.
    public func withBytes<T>(_ field: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> T) rethrows -> T {
        if isNull(field) { return try body(nil) }
        let bytes = raw(field)
        guard let base = bytes.baseAddress, memchr(base, Int32(UInt8(ascii: "\\")), bytes.count) != nil else { return try body(bytes) }
        let value = Self.unescape(bytes)
        return try value.withUnsafeBufferPointer { try body($0) }
    }

    /// The field as a String; NULL gives nil.
    public func string(_ field: Int) -> String? {
        withBytes(field) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// The field as an integer (an int2/int4/int8 column: ASCII digits, maybe a minus sign);
    /// NULL or anything else gives nil.
    public func int64(_ field: Int) -> Int64? {
        let bytes = raw(field)
        guard !bytes.isEmpty else { return nil }
        let negative = bytes[0] == UInt8(ascii: "-")
        guard !negative || bytes.count > 1 else { return nil }
        var value: Int64 = 0
        for byte in bytes.dropFirst(negative ? 1 : 0) {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !o1 && !o2 else { return nil }
            value = sum
        }
        return value
    }

    /// Undoes the escapes COPY TO writes: `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, `\v` (it writes
    /// no octal or hex ones; any other escaped byte stands for itself, as COPY FROM reads it).
    static func unescape(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var escaped = false
        for byte in bytes {
            if escaped {
                escaped = false
                switch byte {
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "v"): out.append(11)
                default: out.append(byte)
                }
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else {
                out.append(byte)
            }
        }
        return out
    }
}
