// Every part above Store shows users' values through Printable (`printableText`, `quoted`):
// re-exported so that each file importing Store has them, as it had `printableText` here.
@_exported import Printable

/// Why a Store call refused or failed. Every message says what, where and what to do;
/// the CLI prints it and exits 2 (nothing was changed: each call is one transaction).
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Bad input: unknown names, invalid values, malformed rows.
        case input
        /// The acting user's role does not allow this.
        case permission
        /// The project file is missing, not a concord project, or damaged.
        case project
    }

    public let kind: Kind
    public let message: String
    /// For imports: every problem found, one per line ("FILE:LINE: ...").
    public let details: [String]

    public init(_ kind: Kind, _ message: String, details: [String] = []) {
        self.kind = kind
        self.message = message
        self.details = details
    }

    /// One line per message and detail, every line made safe for a terminal (a value a
    /// message forgot to quote still cannot act on it).
    public var description: String { safeLines(([message] + details).joined(separator: "\n")) }

    static func input(_ message: String, details: [String] = []) -> StoreError { StoreError(.input, message, details: details) }
    static func permission(_ message: String) -> StoreError { StoreError(.permission, message) }
}
