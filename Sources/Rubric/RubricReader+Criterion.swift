import Yams
import Printable

/// One criterion: its identity, question, scale, and the scale-dependent parts.
extension RubricReader {
    static let criterionKeys = ["id", "question", "type", "scale", "options", "range", "step", "tie", "strength", "required",
                                "when", "help", "display"]

    /// What was read of one criterion; `criterion` is nil when it had any problem.
    struct CriterionDraft {
        var id: String?
        var idNode: Node?
        var scale: Scale?
        /// Whether it compares two clips (`type: pairwise`); nil when its `type` is wrong.
        var isPairwise: Bool? = false
        /// Where a message about mixing pairwise and one-clip criteria points: the `type`
        /// key, else the id.
        var kindNode: Node?
        var criterion: Criterion?
    }

    mutating func criterion(_ node: Node, position: Int, earlier: [String: Earlier]) -> CriterionDraft {
        guard case .mapping(let mapping) = node else {
            log.add("criterion \(position) must be a mapping with id, question and scale; found \(node.found)", at: node)
            return CriterionDraft()
        }
        let problemsBefore = log.problems.count
        let fields = Fields(node, mapping: mapping, log: &log)
        var draft = CriterionDraft(idNode: fields["id"])
        draft.id = draft.idNode.flatMap { Read.slug($0, "criterion id", log: &log) }
        // Messages name the criterion by id when it has a usable one, else by position.
        let name = "criterion " + (draft.id.map { quoted($0) } ?? "\(position)")
        let place = " in \(name)"
        if draft.idNode == nil { log.add("missing required key 'id'\(place)", at: node) }
        fields.rejectUnknownKeys(allowed: Self.criterionKeys, place: place, log: &log)

        let question = fields.required("question", place: place, log: &log).flatMap { Read.requiredText($0, "question", log: &log) }
        draft.kindNode = fields.keyNode("type") ?? draft.idNode ?? node
        if let typeNode = fields["type"] { draft.isPairwise = criterionType(typeNode) }
        var preference: Preference?
        var options: [Option] = []
        var (range, step): (ClosedRange<Double>?, Double?) = (nil, nil)
        switch draft.isPairwise {
        case .some(true):
            preference = preferencePart(fields)
            draft.scale = preference.map { $0.strengths.isEmpty ? .nominal : .ordinal }
            options = preference.map(Self.pairwiseOptions) ?? []
        case .some(false):
            rejectPairwiseKeys(fields)
            draft.scale = fields.required("scale", place: place, log: &log).flatMap { scale($0) }
            options = optionsPart(fields, scale: draft.scale, name: name, place: place)
            (range, step) = numericPart(fields, scale: draft.scale, place: place)
        case .none:
            // A wrong type: what the criterion should have is unknown, so nothing is
            // required of it beyond what every criterion has.
            draft.scale = fields["scale"].flatMap { scale($0) }
        }
        let help = fields["help"].flatMap { Read.text($0, "help", log: &log) }
        let required = fields["required"].flatMap { Read.bool($0, "required", log: &log) }
        let when = fields["when"].flatMap { conditions($0, earlier: earlier) } ?? [:]
        let display = fields["display"].flatMap { displays($0) } ?? []

        guard log.problems.count == problemsBefore, let id = draft.id, let question, let scale = draft.scale else {
            return draft
        }
        draft.criterion = Criterion(
            id: id, question: question, scale: scale, options: options, range: range, step: step,
            required: required ?? (scale != .text), when: when, help: help, display: display, preference: preference)
        return draft
    }

    private mutating func scale(_ node: Node) -> Scale? {
        if let text = node.text, let scale = Scale(rawValue: text) { return scale }
        let names = Scale.allCases.map(\.rawValue).joined(separator: ", ")
        log.add("scale must be one of \(names); found \(node.found)", at: node)
        return nil
    }

    /// Options are required for nominal and ordinal criteria and refused for the others.
    /// With an unknown scale they are still read, so their own problems are reported.
    private mutating func optionsPart(_ fields: Fields, scale: Scale?, name: String, place: String) -> [Option] {
        guard let scale else { return fields["options"].flatMap { options($0, of: name) } ?? [] }
        if scale.hasOptions {
            let node = fields.required("options", place: place, hint: "; nominal and ordinal criteria list their options", log: &log)
            return node.flatMap { options($0, of: name) } ?? []
        }
        if let key = fields.keyNode("options") {
            let hint = scale == .text ? "" : "; use range: [min, max]"
            log.add("options are not allowed for a \(scale.rawValue) criterion\(hint)", at: key)
        }
        return []
    }

    /// Range (required) and step (optional) for interval and ratio criteria, refused for
    /// the others.
    private mutating func numericPart(_ fields: Fields, scale: Scale?, place: String) -> (ClosedRange<Double>?, Double?) {
        if let scale, !scale.isNumeric {
            for key in ["range", "step"] {
                if let keyNode = fields.keyNode(key) {
                    log.add("\(key) is not allowed for a \(scale.rawValue) criterion; only interval and ratio criteria have one", at: keyNode)
                }
            }
            return (nil, nil)
        }
        var rangeNode = fields["range"]
        if scale != nil {
            rangeNode = fields.required("range", place: place, hint: "; interval and ratio criteria need range: [min, max]", log: &log)
        }
        let range = rangeNode.flatMap { self.range($0, scale: scale) }
        let step = fields["step"].flatMap { self.step($0) }
        return (range, step)
    }

    private mutating func range(_ node: Node, scale: Scale?) -> ClosedRange<Double>? {
        guard case .sequence(let sequence) = node, sequence.count == 2,
              let min = Read.number(sequence[sequence.startIndex]),
              let max = Read.number(sequence[sequence.index(after: sequence.startIndex)]),
              min < max
        else {
            log.add("range must be [min, max] with min < max", at: node)
            return nil
        }
        if scale == .ratio && min < 0 {
            // A ratio scale has a true zero; negative values belong on an interval scale.
            log.add("range of a ratio criterion must start at 0 or above; found \(NumberText.format(min))", at: sequence[sequence.startIndex])
            return nil
        }
        return min...max
    }

    /// `display: [kitty, sixel, player]`: a non-empty list of known displays, each once.
    /// Sorted into `Display` order, so the file's order does not make a new version.
    private mutating func displays(_ node: Node) -> [Display]? {
        let names = Display.allCases.map(\.rawValue).joined(separator: ", ")
        let items: [Node]
        switch node {
        case .sequence(let sequence): items = Array(sequence)
        case .scalar: items = [node]
        default:
            log.add("display must be a list of \(names); found \(node.found)", at: node)
            return nil
        }
        if items.isEmpty {
            log.add("display must list at least one of \(names); leave it out to allow any display", at: node)
            return nil
        }
        var seen: [Display] = []
        var fine = true
        for item in items {
            guard let text = item.text, let display = Display(rawValue: text) else {
                log.add("display must be one of \(names); found \(item.found)", at: item)
                fine = false
                continue
            }
            if seen.contains(display) {
                log.add("display lists \(text) twice", at: item)
                fine = false
            }
            seen.append(display)
        }
        return fine ? seen.sorted() : nil
    }

    private mutating func step(_ node: Node) -> Double? {
        if let step = Read.number(node), step > 0 { return step }
        log.add("step must be a number greater than 0; found \(node.found)", at: node)
        return nil
    }
}
