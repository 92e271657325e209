import Printable

/// A problem with what the user gave concord: printed as one line on standard error,
/// exit status 2 (docs/security.md, exit statuses). The message says what, where and what to do.
struct InputError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }

    init(_ message: String) { self.message = message }

    /// "FILE:LINE: message", lines counted from 1 with the CSV header as line 1.
    init(file: String, line: Int, _ message: String) {
        self.message = "\(printableText(file)):\(line): \(message)"
    }
}

/// A check the user asked for failed (a gate, a validation): exit status 1.
struct CheckFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
