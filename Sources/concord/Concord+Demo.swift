import ArgumentParser
import Demo
import Foundation
import Store

/// `concord demo`: a ready-made project to try concord on in one command — the bundled
/// clips of assets/demo, the av-cut-in rubric, three simulated raters whose labels already
/// agree and disagree for real, and the current user assigned every item — then the
/// workbench. The Demo target's `DemoProject` builds it, through the same library calls as
/// the commands; this parses the options, prints, and opens the workbench.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a demo project (clips, rubric, three simulated raters) and open the workbench on it.")

    @Option(help: ArgumentHelp("Where to build the demo project (DIR/concord.db); an existing one is reused unchanged.",
                               valueName: "DIR"))
    var dir: String = "demo"

    @Option(help: ArgumentHelp("The folder of demo clips (default: assets/demo, looked for upwards from the current directory, then from the concord executable).",
                               valueName: "DIR"))
    var assets: String?

    @Flag(name: .customLong("no-rate"), help: "Build the project only and print what to run next.")
    var noRate = false

    func run() throws {
        let projectPath = (dir.hasSuffix("/") ? dir : dir + "/") + "concord.db"
        let login = try GlobalOptions.login()
        if FileManager.default.fileExists(atPath: projectPath) {
            // Idempotent: `make demo` twice opens the same project, with whatever was rated.
            let store: ProjectStore
            do { store = try ProjectStore.open(path: projectPath) } catch let error as StoreError {
                throw InputError("\(error.description); move it away or choose another --dir")
            }
            print("\(printableText(projectPath)) exists; reusing it unchanged: " + (try DemoProject.summary(store, login: login)))
        } else {
            let found = try DemoAssets.locate(explicit: assets)
            try DemoProject.build(at: projectPath, in: dir, assets: found, login: login)
            print("built the demo project \(printableText(projectPath)) (clips from \(printableText(found.clips))): "
                  + (try DemoProject.summary(try ProjectStore.open(path: projectPath), login: login)))
        }
        if noRate {
            print("Next: concord rate --project \(printableText(projectPath))")
            print("      concord agreement --batch \(DemoProject.batch) --project \(printableText(projectPath))   (how the simulated raters agree)")
            return
        }
        try openWorkbench(session: try ProjectStore.open(path: projectPath).session(login: login), batch: DemoProject.batch)
    }
}
