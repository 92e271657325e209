import Foundation
import Printable

/// What went wrong talking to PostgreSQL, as one line a user can act on (`description`),
/// with libpq's own text (`serverMessage`) and the server's SQLSTATE kept for callers that
/// decide by code (Store will map `23505`, unique violation, to its own error).
public struct PostgresError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The connection string is not one libpq can parse.
        case malformedURI
        /// No server answered where the URI points (no socket, refused, unknown host).
        case unreachable
        /// The server answered but has no database of that name.
        case noSuchDatabase
        /// The server refused the user: wrong or missing password, no such role, peer mismatch.
        case authenticationFailed
        /// Any other failure to connect (TLS, too many connections…): libpq's text says which.
        case cannotConnect
        /// The server rejected a statement; `sqlState` says why.
        case statementFailed
        /// The connection broke while in use.
        case connectionLost
        /// A value Swift holds that PostgreSQL's text protocol cannot carry (a NUL character).
        case invalidParameter
    }

    public let kind: Kind
    /// The server's five-character SQLSTATE (e.g. "42P01"), when the server sent one.
    public let sqlState: String?
    /// libpq's message on one line (newlines and tabs folded), untranslated by us.
    public let serverMessage: String
    /// A refused statement's primary message and its DETAIL line by line, apart: a function
    /// that refuses a whole file puts one problem per line there (Store's import `details`).
    public let primaryMessage: String
    public let detailLines: [String]
    public let description: String

    public init(_ kind: Kind, sqlState: String? = nil, serverMessage: String, primaryMessage: String? = nil,
                detailLines: [String] = [], description: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.serverMessage = serverMessage
        self.primaryMessage = primaryMessage ?? serverMessage
        self.detailLines = detailLines
        self.description = safeLine(description)
    }
}

/// libpq's messages end in a newline and put hints on tab-indented lines; a message we print
/// is one line, so lines are joined with "; " and hint lines ("Is the server running…?") are
/// dropped (our own message says what to do).
func oneLine(_ libpqMessage: String) -> String {
    libpqMessage.split(whereSeparator: \.isNewline)
        .filter { !$0.hasPrefix("\t") }
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }
        .joined(separator: "; ")
}

/// The URI as it may be shown: a password (in the user-info part or as `password=`) is
/// replaced by "***", so an error message never prints a secret.
public func redacted(_ uri: String) -> String {
    quoted(redactedText(uri))
}

/// `redacted` without the quotes: what replaces the URI where libpq's own message repeats it.
func redactedText(_ uri: String) -> String {
    var text = uri
    if let scheme = text.range(of: "://") {
        let rest = text[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@"),
           let colon = rest[..<at].firstIndex(of: ":") {
            text.replaceSubrange(rest.index(after: colon)..<at, with: "***")
        }
    }
    var parts = text.components(separatedBy: "password=")
    for index in parts.indices.dropFirst() {
        let value = parts[index]
        let end = value.firstIndex(where: { $0 == "&" || $0 == " " }) ?? value.endIndex
        parts[index] = "***" + value[end...]
    }
    return parts.joined(separator: "password=")
}
