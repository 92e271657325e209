import ArgumentParser

/// `concord adjudicate`: the lead's workbench (queue and live dashboard). Being built.
struct AdjudicateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adjudicate",
        abstract: "Work the adjudication queue and watch live agreement (leads and admins).")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let session = try global.session()
        _ = try session.adjudicationContext(batch: try session.defaultBatch())   // leads and admins only
        throw InputError("concord adjudicate is not built yet; use concord queue, concord resolve and concord send-back")
    }
}
