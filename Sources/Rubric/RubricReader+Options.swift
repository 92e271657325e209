import Yams
import Printable

/// The options of a nominal or ordinal criterion, and the keystrokes that pick them.
extension RubricReader {
    static let optionKeys = ["value", "label", "key", "description"]

    /// Keys the workbench keeps for its own commands while rating (quitting, help, playback
    /// and navigation), so an option can never shadow them. docs/rubrics.md lists them;
    /// change both together.
    static let reservedKeys: [Character] = ["q", "?", " ", "[", "]", "<", ">", "s", "f", "u", "n", "p"]
    static let reservedKeysText = "q ? space [ ] < > s f u n p"

    /// Keys given by position to options without one: the digit row, left to right.
    static let defaultKeys: [Character] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"]

    /// One option as written, before keys are assigned and uniqueness is checked.
    private struct OptionDraft {
        var node: Node
        var value: String?
        var label: String?
        var key: Character?
        var keyNode: Node?
        var description: String?
    }

    mutating func options(_ node: Node, of criterion: String) -> [Option]? {
        guard case .sequence(let sequence) = node else {
            log.add("options must be a list of values or of {value, label, key, description}; found \(node.found)", at: node)
            return nil
        }
        guard !sequence.isEmpty else {
            log.add("options must not be empty", at: node)
            return nil
        }
        let problemsBefore = log.problems.count
        let drafts = sequence.enumerated().map { option($1, position: $0 + 1, of: criterion) }
        checkUniqueValues(drafts, of: criterion)
        let keys = assignKeys(drafts)
        guard log.problems.count == problemsBefore else { return nil }
        return zip(drafts, keys).map { draft, key in
            Option(value: draft.value!, label: draft.label ?? draft.value!, key: key!, description: draft.description)
        }
    }

    /// An option is either a bare value (`- mild`) or a mapping (`- {value: mild, key: m}`).
    private mutating func option(_ node: Node, position: Int, of criterion: String) -> OptionDraft {
        var draft = OptionDraft(node: node)
        switch node {
        case .scalar:
            draft.value = optionValue(node)
        case .mapping(let mapping):
            let fields = Fields(node, mapping: mapping, log: &log)
            let valueNode = fields["value"]
            draft.value = valueNode.flatMap { optionValue($0) }
            let place = " in option " + (draft.value.map { quoted($0) } ?? "\(position)") + " of \(criterion)"
            if valueNode == nil { log.add("missing required key 'value'\(place)", at: node) }
            fields.rejectUnknownKeys(allowed: Self.optionKeys, place: place, log: &log)
            draft.label = fields["label"].flatMap { Read.text($0, "label", log: &log) }
            draft.description = fields["description"].flatMap { Read.text($0, "description", log: &log) }
            draft.keyNode = fields["key"]
            draft.key = draft.keyNode.flatMap { key($0) }
        default:
            log.add("each option must be a value or a mapping with value, label, key, description; found \(node.found)", at: node)
        }
        return draft
    }

    /// A stored value must survive CSV round trips and compare equal to what a rater picked,
    /// so no line breaks, control characters or edge spaces that an editor or a CSV tool
    /// could silently change.
    private mutating func optionValue(_ node: Node) -> String? {
        guard case .scalar = node else {
            log.add("option value must be text; found \(node.found)", at: node)
            return nil
        }
        guard let value = node.text, !value.isEmpty else {
            log.add("option value must not be empty", at: node)
            return nil
        }
        let unreadable = value.unicodeScalars.contains { $0 == "\t" || $0 == "\n" || Read.isUnreadable($0) }
        guard !unreadable, value.trimmingBlanks == value else {
            log.add("option value must be a single line without leading or trailing spaces; found \(node.found)", at: node)
            return nil
        }
        return value
    }

    private mutating func key(_ node: Node) -> Character? {
        guard let text = node.text, text.count == 1, let key = text.first else {
            log.add("key must be one printable ASCII character; found \(node.found)", at: node)
            return nil
        }
        if Self.reservedKeys.contains(key) {
            let shown = key == " " ? "' ' (space)" : quoted(String(key))
            log.add("key \(shown) is reserved by the workbench; reserved keys are \(Self.reservedKeysText)", at: node)
            return nil
        }
        // ASCII only: the workbench reads single bytes from curses, and a key must be
        // typeable on any keyboard a rater logs in from.
        guard let ascii = key.asciiValue, (0x21...0x7E).contains(ascii) else {
            log.add("key must be one printable ASCII character; found \(node.found)", at: node)
            return nil
        }
        return key
    }

    private mutating func checkUniqueValues(_ drafts: [OptionDraft], of criterion: String) {
        var firstLine: [String: Int] = [:]
        for draft in drafts {
            guard let value = draft.value else { continue }
            if let line = firstLine[value] {
                log.add("duplicate option value \(quoted(value)) in \(criterion) (first at line \(line))", at: draft.node)
            } else {
                firstLine[value] = draft.node.mark?.line ?? 0
            }
        }
    }

    /// Each option's key: its own, else the digit for its position (1…9, 0). nil where the
    /// option has a problem (already reported, or reported here).
    private mutating func assignKeys(_ drafts: [OptionDraft]) -> [Character?] {
        var owner: [Character: String] = [:]
        return drafts.enumerated().map { index, draft in
            let name = draft.value ?? "option \(index + 1)"
            let key: Character
            if let explicit = draft.key {
                key = explicit
            } else if draft.keyNode != nil {
                return nil  // an invalid key, already reported
            } else if index < Self.defaultKeys.count {
                key = Self.defaultKeys[index]
            } else {
                log.add("option \(quoted(name)) needs a key: only the first 10 options get default keys (1-9, then 0)", at: draft.node)
                return nil
            }
            if let first = owner[key] {
                log.add("key \(quoted(String(key))) is used by options \(quoted(first)) and \(quoted(name))", at: draft.keyNode ?? draft.node)
                return nil
            }
            owner[key] = name
            return key
        }
    }
}
