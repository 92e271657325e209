import ArgumentParser
import Store

/// `concord migrate --from A --to B` (docs/server.md §13, "Moving a project"): a whole project
/// from a file or a PostgreSQL database into a new file or an empty database.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate",
        abstract: "Copy a whole project into a new project file or an empty PostgreSQL database; its audit chain is verified to end at the same anchor.")
    @Option(help: ArgumentHelp("The project to copy: a project file or a postgresql:// URI (you must be its admin).", valueName: "PATH|URI"))
    var from: String
    @Option(help: ArgumentHelp("Where to: a file that does not exist yet, or a postgresql:// URI of an empty database your login owns, with CREATEROLE.",
                               valueName: "PATH|URI"))
    var to: String

    func run() throws {
        let report = try ProjectMigration.migrate(from: from, to: to, login: try GlobalOptions.login())
        print("copied \(printableText(report.source)) into \(printableText(report.target)):")
        let width = report.tables.map(\.name.count).max() ?? 0
        for table in report.tables {
            let name = table.name + String(repeating: " ", count: width - table.name.count)
            print("  \(name)  \(table.rows)")
        }
        if let anchor = report.anchor {
            print("the copy's audit log verified intact and ends at the source's newest event")
            print("anchor \(anchor)   (the same in both; keep it outside the project, pass it to audit verify --anchor later)")
        }
    }
}
