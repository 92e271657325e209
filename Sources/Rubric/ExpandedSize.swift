import Yams

/// The size a YAML node tree has once its aliases are expanded, found without expanding
/// them (YAMLDocument's bound on alias amplification).
///
/// Yams resolves an alias to a copy of its anchor's node, which shares storage and keeps
/// the anchor's mark. So each collection is measured once, keyed by where it starts, its
/// kind and its length, and every later copy reuses that figure: nested aliases
/// ("billion laughs") cost one visit per distinct node, not one per expanded node.
enum ExpandedSize {
    private struct Key: Hashable {
        var line: Int, column: Int, kind: Int, count: Int
    }

    /// The first node (in document order, innermost) at which the expanded size passes
    /// `limit`, or nil when the whole tree stays within it.
    static func firstNodePast(_ limit: Int, in root: Node) -> Node? {
        var memo: [Key: Int] = [:]
        var culprit: Node?
        _ = size(of: root, limit: limit, memo: &memo, culprit: &culprit)
        return culprit
    }

    /// Bytes of scalar text under `node` (keys included), capped at `limit + 1`.
    private static func size(of node: Node, limit: Int, memo: inout [Key: Int], culprit: inout Node?) -> Int {
        let kind: Int, count: Int
        switch node {
        case .scalar(let scalar): return scalar.string.utf8.count
        case .alias: return 0
        case .sequence(let sequence): kind = 1; count = sequence.count
        case .mapping(let mapping): kind = 2; count = mapping.count
        }
        let key = node.mark.map { Key(line: $0.line, column: $0.column, kind: kind, count: count) }
        if let key, let known = memo[key] { return known }
        let children: [Node]
        switch node {
        case .sequence(let sequence): children = Array(sequence)
        case .mapping(let mapping): children = mapping.flatMap { [$0.key, $0.value] }
        default: children = []
        }
        var total = 0
        for child in children {
            total += size(of: child, limit: limit, memo: &memo, culprit: &culprit)
            if total > limit {
                if culprit == nil { culprit = child }
                return limit + 1
            }
        }
        if let key { memo[key] = total }
        return total
    }
}
