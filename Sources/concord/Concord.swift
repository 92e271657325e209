import ArgumentParser
import Store
#if canImport(Glibc)
import Glibc
#endif

/// The `concord` command tree. Thin: each verb parses and checks its options, calls the
/// library that owns the work, and prints.
struct Concord: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "concord",
        abstract: "A terminal workbench for human evaluation of video, with inter-rater agreement you can trust.",
        version: "0.1.0",
        subcommands: [InitCommand.self, RubricCommand.self, RaterCommand.self, ClipCommand.self, AssignCommand.self, PairCommand.self,
                      LabelCommand.self, StatusCommand.self, AgreementCommand.self, MosCommand.self, AggregateCommand.self, PairwiseCommand.self, AuditCommand.self,
                      PreviewCommand.self, RateCommand.self, AdjudicateCommand.self, QueueCommand.self, ResolveCommand.self,
                      SendBackCommand.self, GoldCommand.self, GoldenCommand.self, GateCommand.self, JudgeCommand.self, ReportCommand.self, DemoCommand.self, MigrateCommand.self]
    )
}

/// Our own entry point, so exit statuses are docs/security.md's and nothing else: 0 success,
/// 1 a check failed (a gate, `audit verify`, `rubric check`), 2 usage, input or any other
/// error — swift-argument-parser's usage errors (its 64) and errors nobody mapped (its 1)
/// included.
@main
enum Main {
    static func main() {
        // A file-size limit (ulimit -f) or a full quota must surface as a failed write that
        // is reported and rolled back, not as a process killed by SIGXFSZ mid-transaction.
        signal(SIGXFSZ, SIG_IGN)
        // Likewise a reader that went away: EPIPE from the checked writer (Output.swift).
        signal(SIGPIPE, SIG_IGN)
        // Long lock waits and bounded retries are worth a line on standard error; the
        // full-screen commands silence this before they take the terminal.
        StoreLog.setSink { FileDescriptorOutput.standardError.write("concord: \($0)\n") }
        let arguments = LeadingOptions.moved(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try Concord.parseAsRoot(arguments)
            try command.run()
            StandardOutput.finish()
            exit(0)
        } catch {
            let (status, message, toStandardOutput) = outcome(of: error)
            if toStandardOutput {
                print(message)
                StandardOutput.finish()
                exit(status)
            }
            fail(message, status: status)
        }
    }

    /// The exit status of an error, its message, and whether that message is an answer for
    /// standard output (--help, --version) rather than an error for standard error.
    static func outcome(of error: Error) -> (status: Int32, message: String, toStandardOutput: Bool) {
        switch error {
        case let error as InputError: return (2, error.message, false)
        case let error as StoreError: return (2, error.description, false)
        case let error as CheckFailed: return (1, error.message, false)
        case let code as ExitCode:
            // Thrown by a command: success and "a check failed" keep their meaning.
            return (code == .success ? 0 : code.rawValue == 1 ? 1 : 2, "", false)
        default:
            let message = Concord.fullMessage(for: error)
            if Concord.exitCode(for: error) == .success { return (0, message, true) }
            return (2, message.isEmpty ? String(describing: error) : message, false)
        }
    }

    /// One message on standard error (none for an empty one), then the exit status; what
    /// the command wrote to standard output is flushed and checked first.
    static func fail(_ message: String, status: Int32) -> Never {
        StandardOutput.finish()
        // Belt and braces: a value some message did not quote still cannot act on the terminal.
        let text = safeLines(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message)
        if !text.isEmpty { FileDescriptorOutput.standardError.write("concord: \(text)\n") }
        exit(status)
    }
}
