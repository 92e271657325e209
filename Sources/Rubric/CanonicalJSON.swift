import Crypto
import JSONWriter

/// The canonical JSON of a rubric version and its SHA-256: the version's identity.
///
/// The rules, chosen so anyone can recompute a hash with any JSON library (docs/rubrics.md):
/// - Object keys sorted by Unicode code point, no whitespace between tokens, UTF-8 text with
///   only `"`, `\` and control characters escaped — exactly what Python's
///   `json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` prints.
///   This is `JSON.encode` in its canonical mode, the mode golden-set versions use too.
/// - Numbers whole → no fraction ("10"), else the shortest round-tripping form ("0.1").
/// - Defaults filled in (`title`, `instructions`, `required`, option `label` and `key`), so
///   spelling a default out or leaving it implicit is the same version.
/// - A pairwise criterion is written as `type`, `tie` and `strength` (when it has one),
///   without `scale` and `options`: they follow from those.
/// - Keys with nothing to say (no `help`, no `description`, no `step`, an empty `when`,
///   `options` of a numeric criterion…) are left out rather than written as null, so a key
///   added to the format later does not change the hash of every rubric that does not use it.
///
/// Reading goes through the YAML parser (`Rubric.fromCanonicalJSON`), since JSON is YAML and
/// the same validation must apply.
enum CanonicalJSON {
    static func encode(name: String, title: String, instructions: String, criteria: [Criterion],
                       requireFullView: Bool) -> String {
        var fields: [String: Any] = [
            "name": name,
            "title": title,
            "instructions": instructions,
            "criteria": criteria.map(value(of:)),
        ]
        // Written only when set, so rubrics from before the key keep their hashes.
        if requireFullView { fields["require_full_view"] = true }
        return JSON.encode(fields, strings: .canonical)
    }

    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    private static func value(of criterion: Criterion) -> [String: Any] {
        var fields: [String: Any] = [
            "id": criterion.id,
            "question": criterion.question,
            "required": criterion.required,
        ]
        if let preference = criterion.preference {
            // Its scale and options follow from tie and strength, so only those are written
            // (tie always: it is the criterion's own default spelled out).
            fields["type"] = "pairwise"
            fields["tie"] = preference.tie
            if !preference.strengths.isEmpty { fields["strength"] = preference.strengths }
        } else {
            fields["scale"] = criterion.scale.rawValue
            if !criterion.options.isEmpty { fields["options"] = criterion.options.map(value(of:)) }
        }
        if let range = criterion.range { fields["range"] = [range.lowerBound, range.upperBound] }
        if let step = criterion.step { fields["step"] = step }
        if !criterion.when.isEmpty { fields["when"] = criterion.when }
        if let help = criterion.help { fields["help"] = help }
        // Written only when set (in `Display` order), so rubrics without it keep their hashes.
        if !criterion.display.isEmpty { fields["display"] = criterion.display.map(\.rawValue) }
        return fields
    }

    private static func value(of option: Option) -> [String: Any] {
        var fields: [String: Any] = [
            "value": option.value,
            "label": option.label,
            "key": String(option.key),
        ]
        if let description = option.description { fields["description"] = description }
        return fields
    }
}
