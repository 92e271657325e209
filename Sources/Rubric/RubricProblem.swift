import Foundation
import Printable

/// One thing wrong with a rubric file, where it is, and what was expected.
public struct RubricProblem: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    /// Counted from 1. 0 (with column 0) when the problem is with the file as a whole, such
    /// as a missing file; `description` then leaves the position out.
    public let line: Int
    /// Counted from 1, in Unicode scalars as libyaml counts them.
    public let column: Int
    public let message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// "file:line:column: message", the form editors and terminals turn into links. The
    /// file name and the message are shown through `Printable`: both can carry what a user
    /// typed, and they are printed on a terminal.
    public var description: String {
        let file = printableText(self.file), message = safeLines(self.message)
        return line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}

/// Every problem found in a rubric, in file order, so a lead fixes them all in one pass
/// instead of one per run.
public struct RubricErrors: Error, Sendable, CustomStringConvertible {
    public let problems: [RubricProblem]

    public init(problems: [RubricProblem]) {
        precondition(!problems.isEmpty, "RubricErrors needs at least one problem")
        self.problems = problems
    }

    /// One problem per line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

/// So `error.localizedDescription` in the command line prints the problems, not Foundation's
/// "The operation could not be completed".
extension RubricErrors: LocalizedError {
    public var errorDescription: String? { description }
}
