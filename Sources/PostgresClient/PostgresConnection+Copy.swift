import CLibPQ
import Foundation

extension PostgresConnection {
    /// Sends `rows` through `COPY … FROM STDIN` (text format) in one statement and returns how
    /// many rows the server stored. This is the bulk path: one round trip instead of one per
    /// row. `sql` must be a `COPY table (columns…) FROM STDIN`; `nil` is NULL. A NUL character
    /// in a value cancels the whole COPY (nothing is stored) with an `.invalidParameter` error.
    @discardableResult
    public func copyIn(_ sql: String, rows: some Sequence<[String?]>) throws -> Int {
        try copyIn(sql, rows: rows) { row, fields in
            for value in row { fields.append(value) }
        }
    }

    /// `copyIn(_:rows:)` for rows of any type: `fields` appends each row's columns in order,
    /// straight into the COPY's buffer (no array of Strings per row: a million-row import
    /// made a million of them).
    @discardableResult
    public func copyIn<Rows: Sequence>(_ sql: String, rows: Rows, fields: (Rows.Element, inout CopyFields) -> Void) throws -> Int {
        try copyIn(sql) { stream in
            for row in rows {
                guard stream.row({ fields(row, &$0) }) else { return }
            }
        }
    }

    /// `COPY … FROM STDIN` fed by `produce` as it makes the rows (`CopyStream.row`): each
    /// 64 kB goes to the server at once, so the server stores rows while the caller is still
    /// reading its file, instead of after. An error `produce` throws cancels the COPY
    /// (nothing is stored) and is rethrown; so is a NUL character (`.invalidParameter`),
    /// after which `row` returns false and takes no more rows.
    @discardableResult
    public func copyIn(_ sql: String, produce: (inout CopyStream) throws -> Void) throws -> Int {
        guard let started = PQexec(connection, sql) else { throw lost() }
        guard PQresultStatus(started) == PGRES_COPY_IN else {
            defer { PQclear(started) }
            if PQresultStatus(started) == PGRES_COMMAND_OK || PQresultStatus(started) == PGRES_TUPLES_OK {
                preconditionFailure("copyIn needs a COPY … FROM STDIN statement")
            }
            throw statementError(started)
        }
        PQclear(started)

        var stream = CopyStream(connection: self)
        do {
            try produce(&stream)
        } catch {
            // Ending with an error message makes the server abort the COPY, so nothing is stored.
            _ = PQputCopyEnd(connection, "concord cancelled the COPY")
            let ended = Result { try finishCopy(stream.failure) }
            // A producer stopped by a refused row (`row` returned false) gets the reason.
            if stream.failure != nil || stream.stopped, case .failure(let refused) = ended { throw refused }
            throw error
        }
        if stream.failure == nil && !stream.stopped && !stream.writer.buffer.isEmpty { _ = send(stream.writer.buffer) }
        _ = PQputCopyEnd(connection, stream.failure == nil ? nil : "concord cancelled the COPY")
        return try finishCopy(stream.failure)
    }

    static let copyChunk = 64 * 1024

    fileprivate func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { PQputCopyData(connection, $0.baseAddress, Int32($0.count)) == 1 }
        }
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

/// The rows of one `copyIn(_:produce:)`, sent in 64 kB chunks as they are made.
public struct CopyStream {
    fileprivate let connection: PostgresConnection
    fileprivate var writer = CopyFields()
    fileprivate var rows = 0
    fileprivate var failure: PostgresError?
    /// The connection refused a chunk (it is lost): the COPY's end reports why.
    fileprivate var stopped = false

    fileprivate init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Whether a row was refused for a NUL character (`row` returned false for it).
    public var refusedNUL: Bool { failure != nil }

    /// Appends one row (`fields` appends its columns in order); false when the COPY takes
    /// no more rows (a NUL in this one, or the connection lost): stop producing.
    public mutating func row(_ fields: (inout CopyFields) -> Void) -> Bool {
        guard failure == nil && !stopped else { return false }
        rows += 1
        writer.column = 0
        fields(&writer)
        if let column = writer.nulColumn {
            failure = PostgresError(.invalidParameter, serverMessage: "", description:
                "row \(rows), column \(column) holds a NUL character, which PostgreSQL text cannot store; remove it")
            return false
        }
        writer.buffer.append(UInt8(ascii: "\n"))
        if writer.buffer.count >= PostgresConnection.copyChunk {
            guard connection.send(writer.buffer) else {
                stopped = true
                return false
            }
            writer.buffer.removeAll(keepingCapacity: true)
        }
        return true
    }
}

/// One COPY row being written (`copyIn(_:rows:fields:)`): its columns in COPY's text format,
/// tab-separated; `nil` is NULL.
public struct CopyFields {
    fileprivate var buffer: [UInt8] = []
    fileprivate var column = 0
    /// The first column (from 1) that held a NUL, which PostgreSQL text cannot store.
    fileprivate var nulColumn: Int?

    fileprivate init() {
        buffer.reserveCapacity(PostgresConnection.copyChunk + 4096)
    }

    public mutating func append(_ value: String?) {
        separate()
        guard var value else { return appendNull() }
        // Most values need no escape: their bytes are copied in one go.
        let copied = value.withUTF8 { bytes -> Bool in
            guard !bytes.contains(where: { $0 < 32 || $0 == UInt8(ascii: "\\") }) else { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        if !copied { appendEscaped(value) }
    }

    public mutating func append(_ value: Int?) {
        separate()
        guard let value else { return appendNull() }
        if value >= 0 && value < 10 {
            buffer.append(UInt8(ascii: "0") + UInt8(value))
        } else {
            var text = String(value)
            text.withUTF8 { buffer.append(contentsOf: $0) }
        }
    }

    private mutating func separate() {
        if column > 0 { buffer.append(UInt8(ascii: "\t")) }
        column += 1
    }

    private mutating func appendNull() {
        buffer.append(UInt8(ascii: "\\"))
        buffer.append(UInt8(ascii: "N"))
    }

    /// COPY's text format: backslash, tab, newline and carriage return are escaped; NUL cannot
    /// be written at all (noted in `nulColumn`, and the COPY is cancelled).
    private mutating func appendEscaped(_ value: String) {
        for byte in value.utf8 {
            switch byte {
            case 0: if nulColumn == nil { nulColumn = column }
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\t"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            default: buffer.append(byte)
            }
        }
    }
}
