import Yams
import Printable

/// The typed reads every part of a rubric needs, each reporting what it expected and what
/// it found at the node's position, and returning nil (never a guess) when the node is wrong.
extension Node {
    /// What a message says was found: "a mapping", "a list", "nothing" or the quoted text.
    var found: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar): return isNull ? "nothing" : quoted(scalar.string)
        }
    }

    /// YAML's null, as written without quotes: `key:`, `key: ~`, `key: null`.
    var isNull: Bool {
        guard case .scalar(let scalar) = self, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The scalar's text unless it is null or not a scalar.
    var text: String? {
        guard case .scalar(let scalar) = self, !isNull else { return nil }
        return scalar.string
    }
}

/// The entries of one YAML mapping by key, with the key nodes kept for positions.
struct Fields {
    let node: Node
    private(set) var keys: [(name: String, node: Node)] = []
    private var values: [String: Node] = [:]

    /// Reads a mapping's keys, reporting any key that is not a plain word. Yams has already
    /// rejected repeated keys.
    init(_ node: Node, mapping: Node.Mapping, log: inout ProblemLog) {
        self.node = node
        for (key, value) in mapping {
            guard let name = key.text else {
                log.add("keys must be plain names; found \(key.found)", at: key)
                continue
            }
            keys.append((name, key))
            values[name] = value
        }
    }

    subscript(name: String) -> Node? { values[name] }

    /// The key node itself, for problems about a key's presence rather than its value.
    func keyNode(_ name: String) -> Node? { keys.first { $0.name == name }?.node }

    /// Reports every key not in `allowed`, naming where it is (`place` is e.g.
    /// " in criterion 'severity'", or "" at the top level) and listing what is allowed.
    func rejectUnknownKeys(allowed: [String], place: String, log: inout ProblemLog) {
        for key in keys where !allowed.contains(key.name) {
            log.add("unknown key \(quoted(key.name))\(place); expected one of \(allowed.joined(separator: ", "))", at: key.node)
        }
    }

    /// The value of a required key, or a problem at the mapping's start.
    func required(_ name: String, place: String, hint: String = "", log: inout ProblemLog) -> Node? {
        if let value = values[name] { return value }
        log.add("missing required key '\(name)'\(place)\(hint)", at: node)
        return nil
    }
}

enum Read {
    /// Text a person reads (question, help, label…), trimmed of the leading and trailing
    /// blank lines and spaces that YAML block scalars (`|`, `>`) and quoting styles add, so
    /// those formatting choices do not change the content hash. Null gives nil.
    static func text(_ node: Node, _ name: String, log: inout ProblemLog) -> String? {
        if node.isNull { return nil }
        guard let text = node.text else {
            log.add("\(name) must be text; found \(node.found)", at: node)
            return nil
        }
        if let bad = text.unicodeScalars.first(where: isUnreadable) {
            log.add("\(name) must not contain control or separator characters other than tab and line break; found \(bad.codePoint)", at: node)
            return nil
        }
        let trimmed = text.trimmingBlanks
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Characters no rater needs, which YAML (and so `fromCanonicalJSON`) cannot carry
    /// unescaped: libyaml refuses DEL and C1 controls and folds NEL, U+2028 and U+2029 as
    /// line breaks, so text containing them would not survive the canonical-JSON round trip.
    static func isUnreadable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" { return false }
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: return scalar.properties.isNoncharacterCodePoint
        }
    }

    /// Text that must be there: absent, null or blank is a problem.
    static func requiredText(_ node: Node, _ name: String, log: inout ProblemLog) -> String? {
        let before = log.problems.count
        let value = text(node, name, log: &log)
        if value == nil, log.problems.count == before { log.add("\(name) must not be empty", at: node) }
        return value
    }

    /// A name used in commands, labels and exports: `[a-z0-9][a-z0-9-_]*`.
    static func slug(_ node: Node, _ name: String, log: inout ProblemLog) -> String? {
        if let text = node.text, isSlug(text) {
            // Names appear in CSV headers, file names and terminal columns; the cap also keeps
            // them under libyaml's 1024-character limit on keys in canonical JSON.
            guard text.utf8.count <= maxSlugLength else {
                log.add("\(name) must be at most \(maxSlugLength) characters; found \(text.utf8.count)", at: node)
                return nil
            }
            return text
        }
        log.add("\(name) must be a slug (lowercase letters, digits, '-' and '_', starting with a letter or digit); "
                + "found \(node.found)", at: node)
        return nil
    }

    static let maxSlugLength = 64

    static func isSlug(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func isLowerOrDigit(_ b: UInt8) -> Bool { (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) }
        guard let first = bytes.first, isLowerOrDigit(first) else { return false }
        return bytes.dropFirst().allSatisfy { isLowerOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    /// `true` or `false` (any case YAML allows) only: `yes`/`no`/`on`/`off` are refused
    /// because in this format they are far more often option values than booleans.
    static func bool(_ node: Node, _ name: String, log: inout ProblemLog) -> Bool? {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        log.add("\(name) must be true or false; found \(node.found)", at: node)
        return nil
    }

    /// A finite number in decimal notation, written without quotes.
    static func number(_ node: Node) -> Double? {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return nil }
        return NumberText.parse(scalar.string)
    }
}

extension Unicode.Scalar {
    /// "U+007F": how messages show a character that cannot be shown.
    var codePoint: String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    var trimmingBlanks: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
