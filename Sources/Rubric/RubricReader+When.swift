import Yams
import Printable

/// `when`: the conditions on earlier answers under which a criterion is shown.
extension RubricReader {
    /// Earlier criterion id → accepted values, canonical: in option order (or numeric
    /// order), so `[no, yes]` and `[yes, no]` are the same rubric version.
    mutating func conditions(_ node: Node, earlier: [String: Earlier]) -> [String: [String]]? {
        if node.isNull { return [:] }
        guard case .mapping(let mapping) = node else {
            log.add("when must be a mapping from an earlier criterion's id to a value or a list of values; found \(node.found)", at: node)
            return nil
        }
        let fields = Fields(node, mapping: mapping, log: &log)
        var conditions: [String: [String]] = [:]
        for key in fields.keys {
            // Only earlier criteria: the rater has answered them by the time this one is
            // reached, and the dependency order can have no cycles.
            guard let target = earlier[key.name] else {
                log.add("when names \(quoted(key.name)), which is not an earlier criterion", at: key.node)
                continue
            }
            if target.scale == .text {
                log.add("when names \(quoted(key.name)), a text criterion; when can only test a criterion with options or a range", at: key.node)
                continue
            }
            if let values = acceptedValues(fields[key.name]!, of: key.name, target: target.criterion) {
                conditions[key.name] = values
            }
        }
        return conditions
    }

    private mutating func acceptedValues(_ node: Node, of id: String, target: Criterion?) -> [String]? {
        let items: [Node]
        switch node {
        case .sequence(let sequence): items = Array(sequence)
        case .scalar: items = node.isNull ? [] : [node]
        default:
            log.add("when value for \(quoted(id)) must be a value or a list of values; found \(node.found)", at: node)
            return nil
        }
        guard !items.isEmpty else {
            log.add("when lists no values for \(quoted(id))", at: node)
            return nil
        }
        // A target with problems of its own has no trustworthy options or range to check
        // against; its problems are already reported.
        guard let target else { return nil }
        var accepted: [String] = []
        for item in items {
            guard let value = item.text else {
                log.add("when value for \(quoted(id)) must be a value; found \(item.found)", at: item)
                continue
            }
            if let problem = target.problem(with: value) {
                log.add("when value for \(quoted(id)): \(problem)", at: item)
                continue
            }
            let canonical = target.scale.isNumeric ? NumberText.format(NumberText.parse(value)!) : value
            if accepted.contains(canonical) {
                log.add("when lists \(quoted(value)) more than once for \(quoted(id))", at: item)
                continue
            }
            accepted.append(canonical)
        }
        guard accepted.count == items.count else { return nil }
        if target.scale.isNumeric {
            return accepted.sorted { NumberText.parse($0)! < NumberText.parse($1)! }
        }
        let order = target.options.map(\.value)
        return accepted.sorted { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! }
    }
}
