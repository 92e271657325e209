import CLibPQ
import Foundation

extension PostgresConnection {
    /// Sends `rows` through `COPY … FROM STDIN` (text format) in one statement and returns how
    /// many rows the server stored. This is the bulk path: one round trip instead of one per
    /// row. `sql` must be a `COPY table (columns…) FROM STDIN`; `nil` is NULL. A NUL character
    /// in a value cancels the whole COPY (nothing is stored) with an `.invalidParameter` error.
    @discardableResult
    public func copyIn(_ sql: String, rows: some Sequence<[String?]>) throws -> Int {
        guard let started = PQexec(connection, sql) else { throw lost() }
        guard PQresultStatus(started) == PGRES_COPY_IN else {
            defer { PQclear(started) }
            if PQresultStatus(started) == PGRES_COMMAND_OK || PQresultStatus(started) == PGRES_TUPLES_OK {
                preconditionFailure("copyIn needs a COPY … FROM STDIN statement")
            }
            throw statementError(started)
        }
        PQclear(started)

        var buffer: [UInt8] = []
        buffer.reserveCapacity(Self.copyChunk + 4096)
        var failure: PostgresError?
        rows: for (rowIndex, row) in rows.enumerated() {
            for (column, value) in row.enumerated() {
                if column > 0 { buffer.append(UInt8(ascii: "\t")) }
                guard let value else { buffer.append(contentsOf: Array(#"\N"#.utf8)); continue }
                if !Self.appendEscaped(value, to: &buffer) {
                    failure = PostgresError(.invalidParameter, serverMessage: "", description:
                        "row \(rowIndex + 1), column \(column + 1) holds a NUL character, which PostgreSQL text cannot store; remove it")
                    break rows
                }
            }
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= Self.copyChunk {
                guard send(buffer) else { break rows }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if failure == nil && !buffer.isEmpty { _ = send(buffer) }
        // Ending with an error message makes the server abort the COPY, so nothing is stored.
        _ = PQputCopyEnd(connection, failure == nil ? nil : "concord cancelled the COPY")
        return try finishCopy(failure)
    }

    static let copyChunk = 64 * 1024

    private func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { PQputCopyData(connection, $0.baseAddress, Int32($0.count)) == 1 }
        }
    }

    /// COPY's text format: backslash, tab, newline and carriage return are escaped; NUL cannot
    /// be written at all (returns false).
    private static func appendEscaped(_ value: String, to buffer: inout [UInt8]) -> Bool {
        for byte in value.utf8 {
            switch byte {
            case 0: return false
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\t"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            default: buffer.append(byte)
            }
        }
        return true
    }

    /// Reads the COPY's results until libpq has none left (the protocol requires draining them
    /// all before the next statement), returning the stored row count or the first error.
    private func finishCopy(_ failure: PostgresError?) throws -> Int {
        var stored: Int?
        var serverError: PostgresError?
        while let result = PQgetResult(connection) {
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                stored = Int(String(cString: PQcmdTuples(result)))
            } else if serverError == nil {
                serverError = statementError(result)
            }
            PQclear(result)
        }
        if let failure { throw failure }
        if let serverError { throw serverError }
        guard let stored else { throw lost() }
        return stored
    }
}
