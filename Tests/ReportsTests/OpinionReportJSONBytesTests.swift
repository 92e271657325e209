import OpinionScores
import Reports
import Testing

/// `OpinionReport.jsonBytes()`, what `concord mos --format json` writes, is byte for byte
/// `render(.json)`, the report put together from `JSON`'s strings: for every method on a
/// data set, and for results built by hand with every optional field present and absent,
/// rejected and excluded raters, a non-finite number and names that need escapes.
@Suite struct OpinionReportJSONBytesTests {
    static func data(units: [String], raters: [String], contents: [String]? = nil, contentOfUnit: [Int]? = nil) throws -> OpinionData {
        var scores: [Double] = []
        for u in 0..<units.count {
            for r in 0..<raters.count {
                scores.append((u + 2 * r) % 7 == 3 ? .nan : Double(1 + (u * 3 + r * 5 + u * r) % 5))
            }
        }
        return try OpinionData(unitNames: units, raterNames: raters, scores: scores, contentNames: contents, contentOfUnit: contentOfUnit)
    }

    @Test func everyMethodsReportIsItsRenderedJSON() throws {
        let data = try Self.data(units: (0..<12).map { "clip\($0)" }, raters: ["ann", "bob", "cy", "dee", "eve", "fay"],
                                 contents: ["src-a", "src-b", "src-c"], contentOfUnit: (0..<12).map { $0 % 3 })
        for method in OpinionMethod.allCases {
            guard case .scored(let result) = OpinionScores.score(data, method: method) else {
                Issue.record("\(method.rawValue) undefined on the test data")
                continue
            }
            let report = OpinionReport(source: "t.csv", data: data, result: result, leftOut: (1, 0))
            #expect(report.jsonBytes() == Array(report.render(.json).utf8), "\(method.rawValue)")
        }
    }

    @Test func everyOptionalFieldAndEscapeIsWrittenAsRenderWritesIt() throws {
        let data = try Self.data(units: ["plain", "quote \" and \\", "tab\tand\u{7}bell", "café 🎬"],
                                 raters: ["r1", "bidi\u{202E}", "c1\u{85}"], contents: ["s\"1", "s2"], contentOfUnit: [0, 1, 0, 1])
        let result = OpinionResult(
            method: .mle,
            units: [UnitScore(unit: 0, score: 3.25, standardError: 0.1, ci95: Interval(low: 3.0540079, high: 3.4459921), n: 3),
                    UnitScore(unit: 1, score: -0.0, standardError: nil, ci95: nil, n: 1),
                    UnitScore(unit: 2, score: .infinity, standardError: nil, ci95: Interval(low: .nan, high: 1e-7), n: 2),
                    UnitScore(unit: 3, score: 1e22, standardError: nil, ci95: nil, n: 0)],
            raters: [RaterFigures(rater: 0, bias: 0.1, biasCI95: Interval(low: 0, high: 0.2), inconsistency: 0.5,
                                  inconsistencyCI95: Interval(low: 0.4, high: 0.6)),
                     RaterFigures(rater: 1, bias: -0.25, rejected: true, reason: "BT.500: P = 3, Q = 0 \"outside\""),
                     RaterFigures(rater: 2, inconsistency: 1.5, rejected: true)],
            contents: [ContentFigures(content: 0, ambiguity: 0.3, ci95: Interval(low: 0.2, high: 0.4)),
                       ContentFigures(content: 1, ambiguity: 0.125, ci95: nil)],
            iterations: 220)
        let excluded = [OpinionReport.Excluded(rater: "ghost\nrater", reason: "watched 40% of clip \"a\"")]
        let report = OpinionReport(source: "t.csv", data: data, result: result, excluded: excluded)
        let bytes = report.jsonBytes()
        #expect(bytes == Array(report.render(.json).utf8))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"method\": \"mle\",\n  \"units\": [\n    {\"unit\": \"plain\", \"score\": 3.25, \"ci95\": [3.0540079, 3.4459921], \"n\": 3},\n"))
        #expect(text.contains("{\"unit\": \"tab\\tand\\u0007bell\", \"score\": null, \"ci95\": [null, 1e-07], \"n\": 2}"))
        #expect(text.contains("{\"rater\": \"c1\\u0085\", \"inconsistency\": 1.5, \"rejected\": true, \"reason\": \"rejected by the method\"}"))
        #expect(text.contains("{\"rater\": \"ghost\\nrater\", \"rejected\": true, \"reason\": \"watched 40% of clip \\\"a\\\"\"}"))
        #expect(text.hasSuffix("{\"content\": \"s2\", \"ambiguity\": 0.125}\n  ],\n  \"iterations\": 220\n}\n"))
        // A closed form: no contents, no iterations.
        let mos = OpinionResult(method: .mos, units: [UnitScore(unit: 0, score: 2, standardError: nil, ci95: nil, n: 2)],
                                raters: [RaterFigures(rater: 0), RaterFigures(rater: 1)])
        let closed = OpinionReport(source: "t.csv", data: data, result: mos)
        #expect(closed.jsonBytes() == Array(closed.render(.json).utf8))
        #expect(String(decoding: closed.jsonBytes(), as: UTF8.self) == """
            {
              "method": "mos",
              "units": [
                {"unit": "plain", "score": 2.0, "n": 2}
              ],
              "raters": [
                {"rater": "r1", "rejected": false},
                {"rater": "bidi\\u202e", "rejected": false}
              ]
            }

            """)
    }
}
