import Printable

/// A problem with what the user gave concord: printed as one line on standard error,
/// exit status 2 (docs/security.md, exit statuses). The message says what, where and what to do.
public struct InputError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }

    public init(_ message: String) { self.message = message }

    /// "FILE:LINE: message", lines counted from 1 with the CSV header as line 1.
    public init(file: String, line: Int, _ message: String) {
        self.message = "\(printableText(file)):\(line): \(message)"
    }
}
