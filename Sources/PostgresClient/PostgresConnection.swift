import CLibPQ
import Foundation
import Printable

/// One connection to a PostgreSQL server through libpq, used synchronously (like the rest of
/// Store): every statement waits for its result. The class owns the `PGconn` and closes it in
/// `deinit`. It is not Sendable: one thread uses a connection at a time, as libpq requires.
///
/// Every value goes to the server as a bound parameter in text format (`$1`, `$2`…), never
/// spliced into SQL text, so no quoting of values exists anywhere in the caller.
public final class PostgresConnection {
    let connection: OpaquePointer
    /// The URI with any password replaced, for messages.
    public let displayURI: String

    /// Connects to a libpq URI or key=value string, e.g. `postgresql:///concord_w48?host=/var/run/postgresql`.
    /// Throws a `PostgresError` whose kind says which of the four usual mistakes it is.
    public init(uri: String) throws {
        displayURI = redacted(uri)
        var parseError: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(uri, &parseError) else {
            // libpq quotes the whole URI in some of these, password and all.
            let message = parseError.map { oneLine(String(cString: $0)).replacingOccurrences(of: uri, with: redactedText(uri)) } ?? "out of memory"
            if let parseError { PQfreemem(parseError) }
            throw PostgresError(.malformedURI, serverMessage: message, description:
                "not a PostgreSQL connection URI: \(displayURI): \(message); write postgresql:///DBNAME?host=/SOCKET/DIR or postgresql://USER@HOST/DBNAME")
        }
        PQconninfoFree(options)
        guard let connection = PQconnectdb(uri) else {
            throw PostgresError(.cannotConnect, serverMessage: "out of memory",
                                description: "cannot connect to PostgreSQL for \(displayURI): out of memory")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let error = Self.connectionError(connection, displayURI: displayURI)
            PQfinish(connection)
            throw error
        }
        // Swift strings are UTF-8; whatever the URI or the server's default says, so is the wire.
        guard PQsetClientEncoding(connection, "UTF8") == 0 else {
            let message = oneLine(String(cString: PQerrorMessage(connection)))
            PQfinish(connection)
            throw PostgresError(.cannotConnect, serverMessage: message,
                                description: "cannot use UTF-8 with the PostgreSQL server for \(displayURI): \(message)")
        }
        // libpq prints the server's notices to standard error, which is the workbench's screen
        // ("WARNING: terminating connection due to immediate shutdown command" landed on the
        // rater's message line). They are not for concord's users: what matters arrives as an
        // error of the statement or of the connection, and is reported as such.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        self.connection = connection
    }

    deinit { PQfinish(connection) }

    /// Which failure a refused connection is. libpq reports it only as text (there is no
    /// SQLSTATE before a session exists), so the server's FATAL wording (`database "x" does
    /// not exist`, `authentication failed`) and the client's socket errors are matched; the
    /// server's text is English in a cluster with lc_messages=C, as concord's are.
    static func connectionError(_ connection: OpaquePointer, displayURI: String) -> PostgresError {
        let message = oneLine(String(cString: PQerrorMessage(connection)))
        let database = quoted(String(cString: PQdb(connection)))
        let user = quoted(String(cString: PQuser(connection)))
        if message.contains("database \"") && message.contains("\" does not exist") {
            return PostgresError(.noSuchDatabase, serverMessage: message, description:
                "the PostgreSQL server for \(displayURI) has no database \(database); ask its administrator to create it (createdb), or correct the database name in the URI")
        }
        let refusals = ["authentication failed", "no password supplied", "role \"", "password is required",
                        "no pg_hba.conf entry"]
        if PQconnectionNeedsPassword(connection) == 1 || refusals.contains(where: message.contains) {
            // The server's reason alone: libpq's "connection to server on socket … failed: FATAL:"
            // repeats where, which the URI already says.
            let reason = message.range(of: "FATAL:").map { message[$0.upperBound...].trimmingCharacters(in: .whitespaces) } ?? message
            return PostgresError(.authenticationFailed, serverMessage: message, description:
                "the PostgreSQL server for \(displayURI) refused user \(user): \(reason); check the user name and password (~/.pgpass or PGPASSWORD), or ask its administrator for a login role")
        }
        let unreachable = ["No such file or directory", "Connection refused", "could not translate host name",
                           "timeout expired", "No route to host", "Network is unreachable"]
        if unreachable.contains(where: message.contains) {
            return PostgresError(.unreachable, serverMessage: message, description:
                "no PostgreSQL server answers for \(displayURI): \(message); start the server, or correct the host, port or socket directory in the URI")
        }
        return PostgresError(.cannotConnect, serverMessage: message,
                             description: "cannot connect to PostgreSQL for \(displayURI): \(message)")
    }

    /// Runs one statement with its values bound as text parameters (`nil` is SQL NULL) and
    /// returns every row. For bulk rows use `copyIn`, which is one round trip for all of them.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws -> PostgresResult {
        for (index, value) in parameters.enumerated() where value?.utf8.contains(0) == true {
            throw PostgresError(.invalidParameter, serverMessage: "", description:
                "parameter $\(index + 1) holds a NUL character, which PostgreSQL text cannot store; remove it")
        }
        let values: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.flatMap { strdup($0) } }
        defer { values.forEach { free($0) } }
        let result = values.map { UnsafePointer($0) }.withUnsafeBufferPointer { buffer in
            PQexecParams(connection, sql, Int32(buffer.count), nil, buffer.baseAddress, nil, nil, 0)
        }
        return try consume(result)
    }

    /// Turns a finished `PGresult` into rows or a `PostgresError`, and frees it.
    func consume(_ result: OpaquePointer?) throws -> PostgresResult {
        guard let result else { throw lost() }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            return PostgresResult(result)
        case PGRES_COPY_IN, PGRES_COPY_OUT:
            preconditionFailure("COPY goes through PostgresConnection.copyIn, not execute")
        default:
            throw statementError(result)
        }
    }

    func statementError(_ result: OpaquePointer) -> PostgresError {
        if PQstatus(connection) == CONNECTION_BAD { return lost() }
        let field = { (code: Int32) in PQresultErrorField(result, code).map { String(cString: $0) } }
        let sqlState = field(concord_pg_diag_sqlstate())
        // The server going down says so (57P01–57P03, admin or crash shutdown) or says
        // nothing: after `pg_ctl stop -m immediate` the socket just closes, libpq reports it
        // without a SQLSTATE (which every server error has), and the status may still read OK.
        if sqlState.map({ $0.hasPrefix("57P") }) ?? true,
           Self.closedConnectionPhrases.contains(where: String(cString: PQresultErrorMessage(result)).contains) {
            return lost()
        }
        let primary = field(concord_pg_diag_message_primary()) ?? oneLine(String(cString: PQresultErrorMessage(result)))
        let detail = field(concord_pg_diag_message_detail()).map { " (\(oneLine($0)))" } ?? ""
        return PostgresError(.statementFailed, sqlState: sqlState, serverMessage: primary + detail,
                             primaryMessage: primary, detailLines: field(concord_pg_diag_message_detail())?.split(separator: "\n").map(String.init) ?? [],
                             description: "PostgreSQL refused the statement: \(primary)\(detail) [SQLSTATE \(sqlState ?? "none")]")
    }

    /// libpq's words for a connection that is gone (client-side, no SQLSTATE).
    static let closedConnectionPhrases = ["server closed the connection", "no connection to the server",
                                          "could not send data", "could not receive data", "terminating connection"]

    func lost() -> PostgresError {
        let message = oneLine(String(cString: PQerrorMessage(connection)))
        return PostgresError(.connectionLost, serverMessage: message, description:
            "lost the connection to PostgreSQL at \(displayURI): \(message); reconnect and retry (what was not committed was not saved)")
    }

    /// Runs `body` between BEGIN and COMMIT; if `body` throws, rolls back and rethrows. One
    /// level only: a transaction inside a transaction is a programmer error.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        // (A broken connection reports PQTRANS_UNKNOWN: BEGIN then throws `.connectionLost`.)
        let state = PQtransactionStatus(connection)
        precondition(state != PQTRANS_INTRANS && state != PQTRANS_INERROR, "PostgresConnection.transaction does not nest")
        try execute("BEGIN")
        let value: T
        do {
            value = try body()
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
        try execute("COMMIT")
        return value
    }
}

/// The rows of one statement, every value in PostgreSQL's text format (`nil` is NULL).
public struct PostgresResult: Equatable, Sendable {
    public let columns: [String]
    /// Each column's type OID (`PQftype`: 20 int8, 23 int4, 701 float8, 25 text, 16 bool…),
    /// so a reader can tell the integer 1 from the text "1".
    public let types: [UInt32]
    public let rows: [[String?]]
    /// The count after INSERT, UPDATE, DELETE, COPY, SELECT…; `nil` for statements without one.
    public let affectedRows: Int?

    init(_ result: OpaquePointer) {
        let columnCount = PQnfields(result)
        columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        types = (0..<columnCount).map { UInt32(PQftype(result, $0)) }
        rows = (0..<PQntuples(result)).map { row in
            (0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
        affectedRows = Int(String(cString: PQcmdTuples(result)))
    }
}

extension PostgresConnection {
    /// The user a connection string names (`postgresql://alice@host/db`, `user=alice`), or
    /// nil when it names none and libpq would use the OS login.
    public static func user(in uri: String) -> String? {
        guard let options = PQconninfoParse(uri, nil) else { return nil }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "user", let value = option.pointee.val { return String(cString: value) }
            option += 1
        }
        return nil
    }
}
