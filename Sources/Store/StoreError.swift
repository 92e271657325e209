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

    public var description: String { ([message] + details).joined(separator: "\n") }

    static func input(_ message: String, details: [String] = []) -> StoreError { StoreError(.input, message, details: details) }
    static func permission(_ message: String) -> StoreError { StoreError(.permission, message) }
}

/// `text` with control and format characters escaped (`\r`, `\u{1B}`, a byte-order mark,
/// bidi overrides): messages quote values from users' files, and a CR or ESC echoed raw
/// garbles the one-line message or acts on the terminal it is printed to. (Found by fuzzing
/// `label import`; the CLI's CSV messages use it too.)
public func printableText(_ text: some StringProtocol) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: out += scalar.escaped(asASCII: true)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}
