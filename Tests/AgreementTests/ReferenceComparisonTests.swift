import Agreement
import Foundation
import ReferenceTestSupport
import Testing

/// Tier 3b: randomised comparison against an independent implementation — exact rational
/// arithmetic written straight from the definitions (Tests/Reference/reference.py, Python
/// fractions) and the reference packages (krippendorff, irrCAC, scikit-learn) — to 1e-9.
/// `make test` installs the packages into .build-venv; CONCORD_TEST_PYTHON names its python.
@Suite(.serialized) struct ReferenceComparisonTests {
    static var root: URL { ReferenceScript.root }
    static var python: String { ReferenceScript.python }

    /// Runs reference.py on the data sets; one result object per data set.
    static func reference(_ specs: [RandomData.Spec]) throws -> [[String: Any]] {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            Issue.record("no Python for the reference implementation at \(python); run `make test`, which creates .build-venv")
            return []
        }
        var input = ""
        for (i, spec) in specs.enumerated() {
            let ratings: [[Any]] = spec.rows.map { [$0.0, $0.1, $0.2.map { $0 as Any } ?? NSNull()] }
            let object: [String: Any] = ["id": "\(i)", "ratings": ratings, "order": spec.order.map { $0 as Any } ?? NSNull()]
            input += String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self) + "\n"
        }
        return try ReferenceScript.run("reference.py", input: input).map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// Compares every metric of every data set with the exact reference; returns how many
    /// defined values were compared.
    @discardableResult
    static func compare(_ specs: [RandomData.Spec], packages: [String: Metric] = [:]) throws -> Int {
        let results = try reference(specs)
        try #require(results.count == specs.count)
        var compared = 0
        for (spec, result) in zip(specs, results) {
            let data = try makeData(spec.rows, order: spec.order)
            let summary = AgreementSummary(data)
            #expect(result["units"] as? Int == summary.units)
            #expect(result["raters"] as? Int == summary.raters)
            #expect(result["ratings"] as? Int == summary.ratings)
            #expect(result["pairable_units"] as? Int == summary.pairableUnits)
            let exact = try #require(result["exact"] as? [String: [String: Any]])
            for metric in Metric.allCases {
                let expected = try #require(exact[metric.rawValue])
                let ours = summary.outcomes[metric]!
                if let value = expected["value"] as? Double {
                    guard let observed = ours.value else {
                        Issue.record("\(metric) on data set \(result["id"]!): reference \(value), concord \(ours); rows \(spec.rows), order \(String(describing: spec.order))")
                        continue
                    }
                    let error = abs(observed - value)
                    #expect(error <= 1e-9, "\(metric) on data set \(result["id"]!): expected \(value) (\(expected["fraction"] ?? "")), observed \(observed), |error| \(error)")
                    compared += 1
                } else {
                    #expect(ours.value == nil, "\(metric) on data set \(result["id"]!): reference undefined (\(expected["undefined"] ?? "")), concord \(ours)")
                }
            }
            let fromPackages = result["packages"] as? [String: Any] ?? [:]
            for (key, metric) in packages {
                guard let value = fromPackages[key] as? Double, let observed = summary.outcomes[metric]!.value else { continue }
                #expect(abs(observed - value) <= 1e-9, "\(key) on data set \(result["id"]!): package \(value), concord \(observed)")
                compared += 1
            }
        }
        return compared
    }

    /// Package results that follow the same conventions as ours (see reference.py's header).
    static let packageKeys: [String: Metric] = [
        "krippendorff_alpha_nominal": .krippendorffAlphaNominal,
        "krippendorff_alpha_ordinal": .krippendorffAlphaOrdinal,
        "krippendorff_alpha_interval": .krippendorffAlphaInterval,
        "krippendorff_alpha_ratio": .krippendorffAlphaRatio,
        "irrcac_fleiss_kappa": .fleissKappa,
        "irrcac_gwet_ac1": .gwetAC1,
        "sklearn_cohen_kappa": .cohenKappa,
        "sklearn_weighted_kappa_linear": .weightedKappaLinear,
        "sklearn_weighted_kappa_quadratic": .weightedKappaQuadratic,
    ]

    @Test func manyRatersMissingDataMixedScales() throws {
        var rng = Xoshiro256StarStar(seed: 20261124)
        var specs: [RandomData.Spec] = []
        for _ in 0..<120 {
            var spec = RandomData.rows(&rng, maxUnits: 40, maxRaters: 20, maxCategories: 6, missing: 0.3)
            // At least 2 raters for most sets; single-rater sets still occur.
            if spec.rows.isEmpty { spec.rows = [("u0", "r0", nil)] }
            specs.append(spec)
        }
        let compared = try Self.compare(specs, packages: Self.packageKeys)
        #expect(compared > 600, "only \(compared) values compared")
    }

    @Test func twoRatersForTheKappas() throws {
        var rng = Xoshiro256StarStar(seed: 7)
        var specs: [RandomData.Spec] = []
        while specs.count < 80 {
            let spec = RandomData.rows(&rng, maxUnits: 60, maxRaters: 2, maxCategories: 5, missing: 0.15)
            if Set(spec.rows.map(\.1)).count == 2 { specs.append(spec) }
        }
        let compared = try Self.compare(specs, packages: Self.packageKeys)
        #expect(compared > 500, "only \(compared) values compared")
    }

    @Test func degenerateDataSets() throws {
        let specs: [RandomData.Spec] = [
            .init(rows: [("u1", "a", "x")], order: nil),                                    // one rating
            .init(rows: [("u1", "a", "x"), ("u1", "b", "x")], order: nil),                   // one category
            .init(rows: [("u1", "a", "x"), ("u1", "b", "x")], order: ["x", "y"]),            // AC1 with q = 2
            .init(rows: [("u1", "a", "1"), ("u2", "b", "2")], order: nil),                   // no pairable unit
            .init(rows: [("u1", "a", "1"), ("u1", "b", nil), ("u2", "a", "2"), ("u2", "b", "2")], order: nil),
            .init(rows: [("u1", "a", "-1"), ("u1", "b", "2"), ("u2", "a", "0"), ("u2", "b", "0")], order: nil),
            .init(rows: [("u1", "a", "0"), ("u1", "b", "0"), ("u2", "a", "0"), ("u2", "b", "3")], order: nil),
            .init(rows: [("u1", "a", "lo"), ("u1", "b", "hi"), ("u2", "a", "hi"), ("u2", "b", "hi")], order: nil),
        ]
        try Self.compare(specs)
    }
}
