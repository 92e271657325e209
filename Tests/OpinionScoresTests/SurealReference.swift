import Foundation
import ReferenceTestSupport
import Testing
@testable import OpinionScores

/// Netflix sureal 0.9.0's results on the same data, the reference every OpinionScores method
/// is compared with (docs/mos.md). Runs Tests/Reference/sureal_reference.py with the python
/// named by `CONCORD_TEST_PYTHON` (default: .build-venv/bin/python3, which `make test` creates).
///
/// How to call it (one python start per call, so pass every data set of a test at once):
///
///     let data: [OpinionData] = ...                      // e.g. from SurealReferenceData.random
///     let results = try SurealReference.run("bt500", data)   // one per data set, same order
///     for (d, s) in zip(data, results) {
///         if let error = s.error { ... }                  // sureal raised: its message
///         let scores = try #require(s.numbers("quality_scores"))        // [Double?], nil = NaN
///         let (low, high) = try #require(s.pair("quality_scores_ci95")) // sureal's ± deltas
///         let rejected = s.bools("observer_rejected")                   // [Bool]?
///     }
///
/// Method names are sureal_reference.py's: mos, bt500, p913, mle, mle_co, p910. `kwargs` go
/// to sureal's `run_modeling` unchanged (e.g. `["force_subjbias_zeromean": false]`).
enum SurealReference {
    static var root: URL { ReferenceScript.root }
    static var python: String { ReferenceScript.python }

    /// One data set's sureal result: the fields sureal_reference.py prints (NaN as nil).
    struct Result {
        let fields: [String: JSONValue]

        /// sureal's refusal (the exception it raised), or nil when it produced a result.
        var error: String? {
            if case .string(let s)? = fields["error"] { return s }
            return nil
        }

        /// A list of numbers; nil entries where sureal had NaN or infinity.
        func numbers(_ key: String) -> [Double?]? {
            guard case .array(let list)? = fields[key] else { return nil }
            return list.map(\.number)
        }

        /// A two-row field such as `quality_scores_ci95`: (lower deltas, upper deltas).
        func pair(_ key: String) -> ([Double?], [Double?])? {
            guard case .array(let rows)? = fields[key], rows.count == 2,
                  case .array(let low) = rows[0], case .array(let high) = rows[1] else { return nil }
            return (low.map(\.number), high.map(\.number))
        }

        func bools(_ key: String) -> [Bool]? {
            guard case .array(let list)? = fields[key] else { return nil }
            return list.map { if case .bool(let b) = $0 { return b } else { return false } }
        }
    }

    /// sureal's results for `data` under `method`, one per data set in order. The units'
    /// contents go along (`mle` uses them); missing ratings go as null.
    static func run(_ method: String, _ data: [OpinionData], kwargs: [String: Any] = [:]) throws -> [Result] {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            Issue.record("no Python for sureal at \(python); run `make test`, which creates .build-venv")
            return []
        }
        var input = ""
        for d in data {
            let rows: [[Any]] = (0..<d.unitCount).map { u in
                (0..<d.raterCount).map { r in d[u, r].map { $0 as Any } ?? NSNull() }
            }
            var object: [String: Any] = ["method": method, "scores": rows, "contents": d.contentOfUnit]
            if !kwargs.isEmpty { object["kwargs"] = kwargs }
            input += String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self) + "\n"
        }
        let results = try ReferenceScript.run("sureal_reference.py", input: input).map {
            Result(fields: try JSONDecoder().decode([String: JSONValue].self, from: Data($0.utf8)))
        }
        try #require(results.count == data.count, "sureal_reference.py answered \(results.count) of \(data.count) data sets")
        return results
    }
}
