import JSONWriter

extension GoldenSet.Entry {
    /// The canonical line written field by field: keys in UTF-8 byte order (adjudicator, clip,
    /// clip_b, clip_b_sha256, clip_sha256, criterion, item, posterior, rationale, reason,
    /// rubric_hash, source, value, votes; a vote's rater, value; a posterior's options
    /// sorted; clip_b and posterior only when set), strings in JSON's canonical
    /// form, numbers as `JSON.canonicalNumber`, no whitespace — byte for byte what
    /// `JSON.encode(_, strings: .canonical)` makes of the entry's object, without boxing a
    /// million votes as `Any`.
    func canonicalText() -> String {
        func string(_ s: String) -> String { JSON.string(s, strings: .canonical) }
        func optional(_ s: String?) -> String { s.map(string) ?? "null" }
        var out = "{\"adjudicator\":" + optional(adjudicator)
        out.reserveCapacity(256 + votes.count * 40)
        out += ",\"clip\":" + string(clip)
        if let clipB { out += ",\"clip_b\":" + string(clipB) }
        if let clipBSHA256 { out += ",\"clip_b_sha256\":" + string(clipBSHA256) }
        out += ",\"clip_sha256\":" + string(clipSHA256) + ",\"criterion\":" + string(criterion)
        out += ",\"item\":" + String(item)
        if let posterior {
            // A dictionary keeps one entry per option (the first, as `canonicalObjectLine`'s does).
            var seen = Set<String>(), options: [(value: String, p: Double)] = []
            for o in posterior where seen.insert(o.value).inserted { options.append(o) }
            options.sort { $0.value.utf8.lexicographicallyPrecedes($1.value.utf8) }
            out += ",\"posterior\":{" + options.map { string($0.value) + ":" + JSON.canonicalNumber($0.p) }.joined(separator: ",") + "}"
        }
        out += ",\"rationale\":" + optional(rationale) + ",\"reason\":" + optional(reason)
        out += ",\"rubric_hash\":" + string(rubricHash) + ",\"source\":" + string(source) + ",\"value\":" + string(value)
        out += ",\"votes\":["
        for (n, vote) in votes.enumerated() {
            out += (n == 0 ? "{\"rater\":" : ",{\"rater\":") + string(vote.rater) + ",\"value\":" + string(vote.value) + "}"
        }
        return out + "]}"
    }
}
