import Foundation
import Agreement
import Testing

/// Tier 1: published worked examples, to the published precision and to the exact rational
/// value (computed by hand from the definitions with Python's fractions).
@Suite struct PublishedExamplesTests {
    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", §C: 4 observers,
    /// 12 units, missing data. Published: nominal .743, ordinal .815, interval .849, ratio .797.
    static let krippendorff2011 = [
        "A": "1 2 3 3 2 1 4 1 2 . . .",
        "B": "1 2 3 3 2 2 4 1 2 5 . 3",
        "C": ". 3 3 3 2 3 4 2 2 5 1 .",
        "D": "1 2 3 3 2 4 4 1 2 5 1 .",
    ]

    @Test func krippendorff2011FourLevels() throws {
        let data = try makeData(rowsFromTable(Self.krippendorff2011))
        let summary = AgreementSummary(data)
        #expect(summary.units == 12)
        #expect(summary.raters == 4)
        #expect(summary.ratings == 41)
        #expect(summary.pairableUnits == 11)
        let cases: [(Metric, Double, Double)] = [
            (.krippendorffAlphaNominal, 0.743, 113.0 / 152.0),
            (.krippendorffAlphaOrdinal, 0.815, 108577.0 / 133160.0),
            (.krippendorffAlphaInterval, 0.849, 951.0 / 1120.0),
            (.krippendorffAlphaRatio, 0.797, 18222619.0 / 22852465.0),
        ]
        for (metric, published, exact) in cases {
            expectValue(summary.outcomes[metric], published, tolerance: 0.0005, "\(metric) vs published")
            expectValue(summary.outcomes[metric], exact, tolerance: 1e-12, "\(metric) vs exact")
        }
    }

    /// Cohen's kappa, the worked example of Wikipedia's "Cohen's kappa" article: 50
    /// proposals, both yes 20, A yes/B no 5, A no/B yes 10, both no 15: p_o = .7, p_e = .5,
    /// κ = 0.4. Scott's pi on the same table: p_e = .505, π = .195/.495.
    @Test func cohenTextbookExample() throws {
        var rows: [(String, String, String?)] = []
        let cells = [("Yes", "Yes", 20), ("Yes", "No", 5), ("No", "Yes", 10), ("No", "No", 15)]
        var unit = 0
        for (a, b, count) in cells {
            for _ in 0..<count {
                unit += 1
                rows.append(("p\(unit)", "A", a))
                rows.append(("p\(unit)", "B", b))
            }
        }
        let summary = AgreementSummary(try makeData(rows))
        expectValue(summary.outcomes[.cohenKappa], 0.4, tolerance: 1e-15, "Cohen")
        expectValue(summary.outcomes[.percentAgreement], 0.7, tolerance: 1e-15, "p_o")
        expectValue(summary.outcomes[.scottsPi], 0.195 / 0.495, tolerance: 1e-12, "Scott")
        // Unordered string categories: no weighted kappa.
        expectUndefined(summary.outcomes[.weightedKappaLinear],
                        "the categories have no order (values are not all numbers and no order was given)")
    }

    /// Cohen (1968)-style weighted kappa on a 3 × 3 table, worked by hand:
    /// rows A, columns B over categories 1 < 2 < 3:
    ///   [[10, 2, 0], [3, 8, 1], [1, 2, 13]]  (N = 40)
    /// row sums r = (12, 12, 16), column sums c = (14, 12, 14);
    /// linear: Σ|i−j| O = 10, Σ|i−j| r c = 1456, κ_w = 1 − 40·10/1456;
    /// quadratic: Σ(i−j)² O = 12, Σ(i−j)² r c = 2240, κ_w = 1 − 40·12/2240.
    @Test func weightedKappaHandWorked() throws {
        let table = [[10, 2, 0], [3, 8, 1], [1, 2, 13]]
        var rows: [(String, String, String?)] = []
        var unit = 0
        for i in 0..<3 { for j in 0..<3 { for _ in 0..<table[i][j] {
            unit += 1
            rows.append(("u\(unit)", "A", "\(i + 1)"))
            rows.append(("u\(unit)", "B", "\(j + 1)"))
        } } }
        let summary = AgreementSummary(try makeData(rows))
        let r = [12, 12, 16], c = [14, 12, 14]
        var expectedLinear = 0, expectedQuadratic = 0, observedLinear = 0, observedQuadratic = 0
        for i in 0..<3 { for j in 0..<3 {
            expectedLinear += abs(i - j) * r[i] * c[j]
            expectedQuadratic += (i - j) * (i - j) * r[i] * c[j]
            observedLinear += abs(i - j) * table[i][j]
            observedQuadratic += (i - j) * (i - j) * table[i][j]
        } }
        #expect(expectedLinear == 1456 && observedLinear == 10)
        #expect(expectedQuadratic == 2240 && observedQuadratic == 12)
        expectValue(summary.outcomes[.weightedKappaLinear], 1 - 400.0 / 1456.0, "linear")
        expectValue(summary.outcomes[.weightedKappaQuadratic], 1 - 480.0 / 2240.0, "quadratic")
        // Unweighted: p_o = 31/40, p_e = (12·14 + 12·12 + 16·14)/1600 = 536/1600.
        expectValue(summary.outcomes[.cohenKappa], (31.0 / 40 - 536.0 / 1600) / (1 - 536.0 / 1600), "plain")
    }
}

/// Fleiss (1971): 30 patients × 6 psychiatrists, 5 diagnoses (assets/examples/fleiss1971.csv,
/// the R package irr's `diagnoses`). Published κ = 0.430; per-category κ_j as irr's
/// `kappam.fleiss(detail = TRUE)` prints them.
@Suite struct Fleiss1971Tests {
    static func data() throws -> ReliabilityData {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("assets/examples/fleiss1971.csv").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { line -> (String, String, String?) in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (f[0], f[1], f[2].isEmpty ? nil : f[2])
        }
        return try makeData(rows)
    }

    @Test func overallKappa() throws {
        let summary = AgreementSummary(try Self.data())
        #expect(summary.units == 30 && summary.raters == 6 && summary.ratings == 180)
        expectValue(summary.outcomes[.fleissKappa], 0.430, tolerance: 0.0005, "published")
        expectValue(summary.outcomes[.fleissKappa], 5437.0 / 12637.0, tolerance: 1e-12, "exact")
        expectValue(summary.outcomes[.percentAgreement], 5.0 / 9.0, tolerance: 1e-12, "p_a")
    }

    @Test func perCategoryKappas() throws {
        let rows = Breakdown.perCategory(try Self.data())
        let published = ["Depression": 0.245, "Personality Disorder": 0.245, "Schizophrenia": 0.520,
                         "Neurosis": 0.471, "Other": 0.566]
        #expect(Set(rows.map(\.category)) == Set(published.keys))
        for row in rows {
            expectValue(row.summary.outcomes[.fleissKappa], published[row.category]!, tolerance: 0.0005, row.category)
        }
    }
}
