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
        subcommands: [InitCommand.self, RubricCommand.self, RaterCommand.self, ClipCommand.self, AssignCommand.self,
                      LabelCommand.self, StatusCommand.self, AgreementCommand.self, AuditCommand.self,
                      PreviewCommand.self, RateCommand.self, AdjudicateCommand.self, QueueCommand.self, ResolveCommand.self,
                      SendBackCommand.self, GoldCommand.self, GoldenCommand.self, GateCommand.self, JudgeCommand.self, ReportCommand.self, DemoCommand.self]
    )
}

/// Our own entry point, so exit statuses follow DESIGN.md: 0 success, 1 a check failed,
/// 2 bad input or error — swift-argument-parser's usage errors (its 64) included.
@main
enum Main {
    static func main() {
        // A file-size limit (ulimit -f) or a full quota must surface as a failed write that
        // is reported and rolled back, not as a process killed by SIGXFSZ mid-transaction.
        signal(SIGXFSZ, SIG_IGN)
        // Long lock waits and bounded retries are worth a line on standard error; the
        // full-screen commands silence this before they take the terminal.
        StoreLog.setSink { FileDescriptorOutput.standardError.write("concord: \($0)\n") }
        do {
            var command = try Concord.parseAsRoot()
            try command.run()
        } catch let error as InputError {
            fail(error.message, status: 2)
        } catch let error as StoreError {
            fail(error.description, status: 2)
        } catch let error as CheckFailed {
            fail(error.message, status: 1)
        } catch {
            let status = Concord.exitCode(for: error).rawValue
            let message = Concord.fullMessage(for: error)
            if status == 0 {
                // --help and --version: the answer goes to standard output.
                print(message)
                exit(0)
            }
            fail(message, status: status == 1 ? 1 : 2)
        }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        let text = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
        FileDescriptorOutput.standardError.write("concord: \(text)\n")
        exit(status)
    }
}
