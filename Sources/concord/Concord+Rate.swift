import ArgumentParser
import ClipIntake
import Media
import Store
import TerminalGraphics
import Workbench
#if canImport(Glibc)
import Glibc
#endif

/// `concord rate`: the rater's workbench on their own queue.
struct RateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rate",
        abstract: "Rate your queue: watch each clip and answer the rubric with single keys (? shows the keys).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this batch's items.") var batch: String?
    @Option(help: "kitty, sixel, blocks or ascii (default: ask the terminal; blocks inside tmux).") var preview: TerminalCapabilities.Graphics?
    @Option(help: ArgumentHelp("Write each key's time to an updated screen to FILE (for benchmarks).", valueName: "FILE"))
    var trace: String?
    @Flag(help: "Calibration: after you submit a training item (gold add --training), show its known answer.") var training = false
    @OptionGroup var clips: ClipsOptions

    func run() throws {
        let folders = try ClipsOptions.searched(clips.folders)
        try openWorkbench(session: try global.session(), batch: batch, preview: preview, trace: trace, training: training,
                          clipFolders: folders)
    }
}

/// Opens the workbench for `session`; shared by `rate` and `demo`. `clipFolders`: where to
/// look for the clips (nil: `CONCORD_CLIPS` only, as `demo` has no `--clips`).
func openWorkbench(session: ProjectSession, batch: String? = nil, preview: TerminalCapabilities.Graphics? = nil,
                   trace: String? = nil, training: Bool = false, clipFolders: [ClipFolder]? = nil) throws {
    let clips = clipLocator(try clipFolders ?? ClipsOptions.searched([]))
    // The queue is read first: someone with no labeling queue (an auditor, a model) is refused
    // for that, terminal or not, as `adjudicate` refuses non-leads.
    let app = try RateApp(session: session, options: RateOptions(batch: batch, preview: preview, tracePath: trace, training: training),
                          clips: clips)
    guard isatty(0) == 1 && isatty(1) == 1 else {
        throw InputError("rate needs a terminal (standard input and output are not one); run it in a terminal or over ssh -t")
    }
    MediaLibraries.load()   // a missing FFmpeg library is one line on the normal screen, not inside curses
    session.warmUpCommits()   // on PostgreSQL, so that the first commit does not plan the write functions
    StoreLog.setSink(nil)   // the screen is the workbench's now; a failed save shows in its message line
    let outcome = try app.run()
    print("concord rate: \(outcome.submitted) item\(outcome.submitted == 1 ? "" : "s") submitted this session; \(outcome.finished) of \(outcome.total) done")
    if let signal = outcome.signal { exit(128 + signal) }
}
