import ArgumentParser

/// `--project` and `--as` belong to each verb (GlobalOptions), but users write them first,
/// as `git -C DIR status` is written: `concord --project p.db status`,
/// `concord --as bob label export`. swift-argument-parser only knows a subcommand's options
/// after the subcommand, so before parsing, leading `--project V`, `--project=V`, `--as V`
/// and `--as=V` are moved to just after the verb's full path (`rubric add`, `label export`,
/// `audit verify`…), which is also before any `--`. Anything else is left where it is, so
/// a verb that takes no project still says "Unknown option '--project'".
enum LeadingOptions {
    static let names = ["--project", "--as"]

    static func moved(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var rest = arguments[...]
        while let first = rest.first {
            if names.contains(first), rest.count >= 2 {
                leading += rest.prefix(2)
                rest = rest.dropFirst(2)
            } else if names.contains(where: { first.hasPrefix($0 + "=") }) {
                leading.append(first)
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        guard !leading.isEmpty else { return arguments }
        // The verb's path: as long as the next argument names a subcommand of the last one.
        var command: ParsableCommand.Type = Concord.self
        var path: [String] = []
        while let next = rest.first,
              let sub = command.configuration.subcommands.first(where: { $0._commandName == next || $0.configuration.aliases.contains(next) }) {
            path.append(next)
            rest = rest.dropFirst()
            command = sub
        }
        return path + leading + rest
    }
}
