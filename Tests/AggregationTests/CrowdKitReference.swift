import Foundation
import ReferenceTestSupport
import Testing
@testable import Aggregation

/// crowd-kit 1.4.2's results on the same labels, the reference every Aggregation method is
/// compared with (docs/aggregation.md). Runs Tests/Reference/crowdkit_reference.py with the
/// python named by `CONCORD_TEST_PYTHON` (default: .build-venv/bin/python3).
///
/// How to call it (one python start per call, so pass every data set of a test at once):
///
///     let results = try CrowdKitReference.run("ds", data)   // one per LabelData, same order
///     for (d, ck) in zip(data, results) {
///         let p = try #require(ck.posteriors)   // [[Double]]? per item (nil: never seen)
///         let labels = ck.labels                // crowd-kit's pick per item (index or nil)
///         let confusion = ck.confusion          // per rater [true][given] (ds, one-coin)
///         let skills = ck.skills                // one-coin, mv, mace, glad
///     }
///
/// Items, raters and options go by index (item i is `i`, rater r is `r`, option c is `c`),
/// so crowd-kit's options sort as concord's do; `kwargs` go to the crowd-kit class unchanged
/// (e.g. `["n_iter": 1]`).
enum CrowdKitReference {
    struct Result {
        let fields: [String: JSONValue]

        var error: String? { if case .string(let s)? = fields["error"] { return s } else { return nil } }
        var posteriors: [[Double]?]? { fields["posteriors"]?.array?.map { $0.array?.compactMap(\.number) } }
        var labels: [Int?]? { fields["labels"]?.array?.map { $0.number.map { Int($0) } } }
        var priors: [Double]? { fields["priors"]?.array?.compactMap(\.number) }
        var confusion: [[[Double]]]? {
            fields["confusion"]?.array?.map { ($0.array ?? []).map { ($0.array ?? []).compactMap(\.number) } }
        }
        var skills: [Double?]? { fields["skills"]?.array?.map(\.number) }
        var iterations: Int? { fields["iterations"]?.number.map { Int($0) } }
        var lossHistory: [Double]? { fields["loss_history"]?.array?.compactMap(\.number) }
    }

    /// crowd-kit's results for `data` under `method` ("mv", "ds", "one-coin", "mace", "glad"),
    /// one per data set in order; an empty list (and a recorded issue) without the python.
    static func run(_ method: String, _ data: [LabelData], seed: UInt64? = nil, kwargs: [String: Any] = [:]) throws -> [Result] {
        guard ReferenceScript.pythonExists else {
            Issue.record("no Python for crowd-kit at \(ReferenceScript.python); run `make test`, which creates .build-venv")
            return []
        }
        var input = ""
        for d in data {
            let labels = (0..<d.labelCount).map { [Int(d.item[$0]), Int(d.rater[$0]), Int(d.label[$0])] }
            var object: [String: Any] = ["method": method, "labels": labels, "classes": Array(0..<d.classCount),
                                         "items": Array(0..<d.itemCount), "raters": Array(0..<d.raterCount)]
            if let seed { object["seed"] = seed }
            if !kwargs.isEmpty { object["kwargs"] = kwargs }
            input += String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self) + "\n"
        }
        let results = try ReferenceScript.run("crowdkit_reference.py", input: input).map {
            Result(fields: try JSONDecoder().decode([String: JSONValue].self, from: Data($0.utf8)))
        }
        try #require(results.count == data.count, "crowdkit_reference.py answered \(results.count) of \(data.count) data sets")
        return results
    }
}
