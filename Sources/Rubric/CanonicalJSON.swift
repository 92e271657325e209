import Crypto

/// The canonical JSON of a rubric version and its SHA-256: the version's identity.
///
/// The rules, chosen so anyone can recompute a hash with any JSON library (docs/rubrics.md):
/// - Object keys sorted by Unicode code point, no whitespace between tokens, UTF-8 text with
///   only `"`, `\` and control characters escaped — exactly what Python's
///   `json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` prints.
/// - Numbers whole → no fraction ("10"), else the shortest round-tripping form ("0.1").
/// - Defaults filled in (`title`, `instructions`, `required`, option `label` and `key`), so
///   spelling a default out or leaving it implicit is the same version.
/// - Keys with nothing to say (no `help`, no `description`, no `step`, an empty `when`,
///   `options` of a numeric criterion…) are left out rather than written as null, so a key
///   added to the format later does not change the hash of every rubric that does not use it.
enum CanonicalJSON {
    static func encode(name: String, title: String, instructions: String, criteria: [Criterion],
                       requireFullView: Bool) -> String {
        var fields: [String: JSONValue] = [
            "name": .string(name),
            "title": .string(title),
            "instructions": .string(instructions),
            "criteria": .array(criteria.map(value(of:))),
        ]
        // Written only when set, so rubrics from before the key keep their hashes.
        if requireFullView { fields["require_full_view"] = .bool(true) }
        let rubric: JSONValue = .object(fields)
        var out = ""
        rubric.write(to: &out)
        return out
    }

    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    private static func value(of criterion: Criterion) -> JSONValue {
        var fields: [String: JSONValue] = [
            "id": .string(criterion.id),
            "question": .string(criterion.question),
            "scale": .string(criterion.scale.rawValue),
            "required": .bool(criterion.required),
        ]
        if !criterion.options.isEmpty { fields["options"] = .array(criterion.options.map(value(of:))) }
        if let range = criterion.range { fields["range"] = .array([.number(range.lowerBound), .number(range.upperBound)]) }
        if let step = criterion.step { fields["step"] = .number(step) }
        if !criterion.when.isEmpty { fields["when"] = .object(criterion.when.mapValues { .array($0.map(JSONValue.string)) }) }
        if let help = criterion.help { fields["help"] = .string(help) }
        return .object(fields)
    }

    private static func value(of option: Option) -> JSONValue {
        var fields: [String: JSONValue] = [
            "value": .string(option.value),
            "label": .string(option.label),
            "key": .string(String(option.key)),
        ]
        if let description = option.description { fields["description"] = .string(description) }
        return .object(fields)
    }
}

/// Just enough JSON to write canonical text; reading goes through the YAML parser, since
/// JSON is YAML and the same validation must apply.
private indirect enum JSONValue {
    case string(String)
    case number(Double)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])

    func write(to out: inout String) {
        switch self {
        case .string(let text): Self.writeString(text, to: &out)
        case .number(let number): out += NumberText.format(number)
        case .bool(let flag): out += flag ? "true" : "false"
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            // Code-point order, as Python and most canonical-JSON definitions sort; Swift's
            // String `<` is not guaranteed to be that beyond ASCII.
            let keys = fields.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) { $0.value < $1.value } }
            for (i, key) in keys.enumerated() {
                if i > 0 { out += "," }
                Self.writeString(key, to: &out)
                out += ":"
                fields[key]!.write(to: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
