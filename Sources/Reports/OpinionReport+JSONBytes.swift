import JSONWriter
import OpinionScores

/// `render(.json)` as bytes written in one buffer (`JSONBytes`): `concord mos` on a million
/// ratings writes 10,000 units, and putting them together as `String`s cost more than the
/// p910 model. The bytes are exactly `jsonValue() + "\n"` (OpinionReportJSONBytesTests).
extension OpinionReport {
    public func jsonBytes() -> [UInt8] {
        var out = JSONBytes(capacity: 160 * (result.units.count + result.raters.count + result.contents.count) + 256)
        out.raw("{\n  \"method\": ")
        out.string(result.method.rawValue)
        out.raw(",\n  \"units\": [\n    ")
        for (k, u) in result.units.enumerated() {
            if k > 0 { out.raw(",\n    ") }
            out.raw("{\"unit\": ")
            out.string(data.unitNames[u.unit])
            out.raw(", \"score\": ")
            number(u.score, &out)
            if let ci = u.ci95 { out.raw(", \"ci95\": "); pair(ci, &out) }
            out.raw(", \"n\": ")
            out.integer(u.n)
            out.raw("}")
        }
        out.raw("\n  ],\n  \"raters\": [\n    ")
        var first = true
        for r in result.raters {
            if !first { out.raw(",\n    ") }
            first = false
            out.raw("{\"rater\": ")
            out.string(data.raterNames[r.rater])
            if let bias = r.bias { out.raw(", \"bias\": "); number(bias, &out) }
            if let ci = r.biasCI95 { out.raw(", \"bias_ci95\": "); pair(ci, &out) }
            if let inconsistency = r.inconsistency { out.raw(", \"inconsistency\": "); number(inconsistency, &out) }
            if let ci = r.inconsistencyCI95 { out.raw(", \"inconsistency_ci95\": "); pair(ci, &out) }
            out.raw(r.rejected ? ", \"rejected\": true" : ", \"rejected\": false")
            if r.rejected { out.raw(", \"reason\": "); out.string(r.reason ?? "rejected by the method") }
            out.raw("}")
        }
        for e in excluded {
            if !first { out.raw(",\n    ") }
            first = false
            out.raw("{\"rater\": ")
            out.string(e.rater)
            out.raw(", \"rejected\": true, \"reason\": ")
            out.string(e.reason)
            out.raw("}")
        }
        out.raw("\n  ]")
        if !result.contents.isEmpty {
            out.raw(",\n  \"contents\": [\n    ")
            for (k, c) in result.contents.enumerated() {
                if k > 0 { out.raw(",\n    ") }
                out.raw("{\"content\": ")
                out.string(data.contentNames[c.content])
                out.raw(", \"ambiguity\": ")
                number(c.ambiguity, &out)
                if let ci = c.ci95 { out.raw(", \"ci95\": "); pair(ci, &out) }
                out.raw("}")
            }
            out.raw("\n  ]")
        }
        if let iterations = result.iterations { out.raw(",\n  \"iterations\": "); out.integer(iterations) }
        out.raw("\n}\n")
        return out.bytes
    }

    /// `Self.number`: null for a non-finite number.
    private func number(_ v: Double, _ out: inout JSONBytes) {
        if v.isFinite { out.number(v) } else { out.raw("null") }
    }

    /// `Self.pair`.
    private func pair(_ i: Interval, _ out: inout JSONBytes) {
        out.raw("[")
        number(i.low, &out)
        out.raw(", ")
        number(i.high, &out)
        out.raw("]")
    }
}
