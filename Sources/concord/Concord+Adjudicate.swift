import Aggregation
import ArgumentParser
import Reports
import Media
import Store
import TerminalGraphics
import Workbench
#if canImport(Glibc)
import Glibc
#endif

/// `concord adjudicate`: the lead's workbench — the adjudication queue one entry at a time
/// beside the clip, and (`d`) the live agreement dashboard. Leads and admins only.
struct AdjudicateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adjudicate",
        abstract: "Work the adjudication queue and watch live agreement (leads and admins; ? shows the keys).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The batch (may be omitted when the project has one).") var batch: String?
    @Option(help: "kitty, sixel, blocks or ascii (default: ask the terminal; blocks inside tmux).") var preview: TerminalCapabilities.Graphics?
    @Option(help: ArgumentHelp("Write each key's time to an updated screen to FILE (for benchmarks).", valueName: "FILE"))
    var trace: String?
    @OptionGroup var clips: ClipsOptions
    @Option(help: "magnitude or posterior (the least certain consensus first; docs/adjudication.md).") var order: QueueCommand.Order = .magnitude
    @Option(help: ArgumentHelp("With --order posterior: the consensus method (ds by default).", valueName: "M")) var method: String?

    func validate() throws {
        if order != .posterior && method != nil { throw ValidationError("--method applies to --order posterior") }
        if let method, AggregationMethod(rawValue: method) == nil {
            throw ValidationError("--method must be one of \(AggregationMethod.allCases.map(\.rawValue).joined(separator: ", ")); got \(quoted(method))")
        }
    }

    func run() throws {
        let folders = try ClipsOptions.searched(clips.folders)
        let session = try global.session()
        // The queue is read first: someone who may not adjudicate gets the Store's
        // permission error (exit 2, one line) whether or not there is a terminal.
        var options = AdjudicateOptions(batch: batch, preview: preview, tracePath: trace)
        if order == .posterior { options.order = .posterior(method.flatMap(AggregationMethod.init(rawValue:)) ?? .ds) }
        let app = try AdjudicateApp(session: session, options: options, clips: clipLocator(folders))
        guard isatty(0) == 1 && isatty(1) == 1 else {
            throw InputError("adjudicate needs a terminal (standard input and output are not one); run it in a terminal or over ssh -t; concord queue, resolve and send-back do the same without one")
        }
        MediaLibraries.load()   // a missing FFmpeg library is one line on the normal screen, not inside curses
        StoreLog.setSink(nil)   // the screen is the workbench's now
        let outcome = try app.run()
        print("concord adjudicate: \(outcome.decisions) decision\(outcome.decisions == 1 ? "" : "s") this session; \(outcome.decided) of \(outcome.total) queue entries decided")
        if let signal = outcome.signal { Glibc.exit(128 + signal) }
    }
}
