import Foundation
import Testing

/// `concord agreement` as a user runs it: the built binary, real files, exit statuses.
@Suite struct AgreementCommandTests {
    static let krippendorff = """
    unit,rater,value
    1,A,1
    1,B,1
    1,D,1
    2,A,2
    2,B,2
    2,C,3
    2,D,2
    3,A,3
    3,B,3
    3,C,3
    3,D,3
    4,A,3
    4,B,3
    4,C,3
    4,D,3
    5,A,2
    5,B,2
    5,C,2
    5,D,2
    6,A,1
    6,B,2
    6,C,3
    6,D,4
    7,A,4
    7,B,4
    7,C,4
    7,D,4
    8,A,1
    8,B,1
    8,C,2
    8,D,1
    9,A,2
    9,B,2
    9,C,2
    9,D,2
    10,B,5
    10,C,5
    10,D,5
    11,C,1
    11,D,1
    12,B,3
    """

    @Test func jsonHasEveryMetricWithFullPrecision() throws {
        let file = try CLI.temporaryFile(Self.krippendorff)
        let result = try CLI.run(["agreement", file, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let json = try CLI.json(result.stdout)
        #expect(json["units"] as? Int == 12)
        #expect(json["raters"] as? Int == 4)
        #expect(json["ratings"] as? Int == 41)
        #expect(json["pairable_units"] as? Int == 11)
        let metrics = try #require(json["metrics"] as? [String: [String: Any]])
        #expect(Set(metrics.keys) == ["krippendorff_alpha_nominal", "krippendorff_alpha_ordinal", "krippendorff_alpha_interval",
                                      "krippendorff_alpha_ratio", "fleiss_kappa", "cohen_kappa", "weighted_kappa_linear",
                                      "weighted_kappa_quadratic", "scotts_pi", "percent_agreement", "gwet_ac1"])
        let nominal = try #require(metrics["krippendorff_alpha_nominal"]?["value"] as? Double)
        #expect(abs(nominal - 113.0 / 152.0) < 1e-12)
        let interval = try #require(metrics["krippendorff_alpha_interval"]?["value"] as? Double)
        #expect(abs(interval - 951.0 / 1120.0) < 1e-12)
        #expect(metrics["cohen_kappa"]?["value"] is NSNull)
        #expect(metrics["cohen_kappa"]?["undefined"] as? String == "needs exactly 2 raters; the data has 4")
    }

    @Test func textTableInterpretsEachValue() throws {
        let file = try CLI.temporaryFile(Self.krippendorff)
        let result = try CLI.run(["agreement", file])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("12 units · 4 raters · 41 ratings · 11 pairable units"))
        #expect(lines.contains { $0.hasPrefix("Krippendorff's alpha (nominal)") && $0.contains("0.7434") && $0.contains("tentative") })
        #expect(lines.contains { $0.hasPrefix("Krippendorff's alpha (interval)") && $0.contains("0.8491") && $0.contains("reliable") })
        #expect(lines.contains { $0.hasPrefix("Fleiss' kappa") && $0.contains("0.7612") && $0.contains("substantial") })
        #expect(lines.contains { $0.hasPrefix("Cohen's kappa") && $0.contains("undefined: needs exactly 2 raters; the data has 4") })
        #expect(!result.stdout.contains("nan") && !result.stdout.contains("NaN"))
    }

    @Test func metricOptionPrintsOneValuePerLineInAskedOrder() throws {
        let file = try CLI.temporaryFile(Self.krippendorff)
        let result = try CLI.run(["agreement", file, "--metric", "krippendorff_alpha_interval",
                                  "--metric", "cohen_kappa", "--metric", "krippendorff_alpha_nominal"])
        #expect(result.status == 0)
        #expect(result.stdout == "0.8491071428571428\nundefined: needs exactly 2 raters; the data has 4\n0.743421052631579\n")
    }

    @Test func readsStandardInput() throws {
        let result = try CLI.run(["agreement", "-", "--metric", "krippendorff_alpha_nominal"], stdin: Self.krippendorff)
        #expect(result.status == 0)
        #expect(result.stdout == "0.743421052631579\n")
    }

    @Test func csvOutput() throws {
        let file = try CLI.temporaryFile(Self.krippendorff)
        let result = try CLI.run(["agreement", file, "--format", "csv", "--metric", "fleiss_kappa", "--metric", "scotts_pi"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0] == "metric,value,undefined,ci95_lower,ci95_upper,interpretation")
        #expect(lines[1].hasPrefix("fleiss_kappa,0.76116927542241"))
        #expect(lines[1].hasSuffix(",,,,substantial"))
        #expect(lines[2] == "scotts_pi,,needs exactly 2 raters; the data has 4,,,")
    }

    @Test func bootstrapIsReproducibleAndBracketsTheEstimate() throws {
        let file = try CLI.temporaryFile(Self.krippendorff)
        let args = ["agreement", file, "--format", "json", "--bootstrap", "300", "--seed", "11"]
        let first = try CLI.run(args), second = try CLI.run(args)
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        let other = try CLI.run(["agreement", file, "--format", "json", "--bootstrap", "300", "--seed", "12"])
        #expect(other.stdout != first.stdout)
        let metrics = try #require(CLI.json(first.stdout)["metrics"] as? [String: [String: Any]])
        let alpha = try #require(metrics["krippendorff_alpha_nominal"])
        let lower = try #require(alpha["ci95_lower"] as? Double), upper = try #require(alpha["ci95_upper"] as? Double)
        #expect(lower < 113.0 / 152.0 && 113.0 / 152.0 <= upper)
        // An undefined statistic has no interval keys.
        #expect(metrics["cohen_kappa"]?["ci95_lower"] == nil)
        // --confidence changes the key and narrows the interval.
        let ninety = try CLI.run(["agreement", file, "--format", "json", "--bootstrap", "300", "--seed", "11", "--confidence", "0.9"])
        let m90 = try #require(CLI.json(ninety.stdout)["metrics"] as? [String: [String: Any]])
        let lower90 = try #require(m90["krippendorff_alpha_nominal"]?["ci90_lower"] as? Double)
        #expect(lower90 >= lower)
    }

    @Test func orderFixesOrdinalDistancesAndTheCategorySet() throws {
        let csv = "unit,rater,value\n1,a,low\n1,b,mid\n2,a,high\n2,b,high\n3,a,mid\n3,b,mid\n4,a,low\n4,b,low\n"
        let file = try CLI.temporaryFile(csv)
        let unordered = try CLI.run(["agreement", file, "--metric", "krippendorff_alpha_ordinal"])
        #expect(unordered.stdout == "undefined: the categories have no order (values are not all numbers and no order was given)\n")
        let ordered = try CLI.run(["agreement", file, "--order", "low,mid,high", "--metric", "krippendorff_alpha_ordinal",
                                   "--metric", "weighted_kappa_linear", "--metric", "gwet_ac1"])
        #expect(ordered.status == 0, "\(ordered.stderr)")
        let values = ordered.stdout.split(separator: "\n").compactMap { Double($0) }
        #expect(values.count == 3)
        // Same data coded 1 < 2 < 3 gives the same ordinal alpha and weighted kappa.
        let numeric = try CLI.temporaryFile(csv.replacingOccurrences(of: "low", with: "1")
            .replacingOccurrences(of: "mid", with: "2").replacingOccurrences(of: "high", with: "3"))
        let coded = try CLI.run(["agreement", numeric, "--metric", "krippendorff_alpha_ordinal", "--metric", "weighted_kappa_linear"])
        #expect(coded.stdout.split(separator: "\n").compactMap { Double($0) } == Array(values.prefix(2)))
        // With a fourth, unused category the AC1 category count q is 4, not 3.
        let wider = try CLI.run(["agreement", file, "--order", "low,mid,high,extreme", "--metric", "gwet_ac1"])
        #expect(Double(wider.stdout.dropLast()) != values[2])
    }

    @Test func breakdownByCategoryMatchesFleiss1971PerCategoryKappas() throws {
        let result = try CLI.run(["agreement", CLI.example("fleiss1971.csv"), "--by", "category", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let breakdown = try #require(CLI.json(result.stdout)["breakdown"] as? [String: Any])
        let rows = try #require(breakdown["rows"] as? [[String: Any]])
        let published = ["Depression": 0.245, "Personality Disorder": 0.245, "Schizophrenia": 0.520, "Neurosis": 0.471, "Other": 0.566]
        #expect(rows.count == 5)
        for row in rows {
            let category = try #require(row["category"] as? String)
            let metrics = try #require(row["metrics"] as? [String: [String: Any]])
            let kappa = try #require(metrics["fleiss_kappa"]?["value"] as? Double)
            #expect(abs(kappa - published[category]!) < 0.0005, "\(category): \(kappa)")
        }
        let headline = try #require(CLI.json(result.stdout)["metrics"] as? [String: [String: Any]])
        #expect(abs((headline["fleiss_kappa"]?["value"] as? Double ?? 0) - 5437.0 / 12637.0) < 1e-12)
    }

    @Test func helpAndVersionExitZero() throws {
        let help = try CLI.run(["agreement", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--bootstrap"))
        let version = try CLI.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("0."))
    }
}
