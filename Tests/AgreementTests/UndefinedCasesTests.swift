import Agreement
import Testing

/// Tier 2: every undefined case, with its reason; never NaN, never 0 or 1 by accident.
@Suite struct UndefinedCasesTests {
    static let noPairable = "no unit has two or more ratings"
    static let oneCategory = "every rating is in the same category, so chance agreement is 1"

    @Test func emptyData() throws {
        let summary = AgreementSummary(try makeData([]))
        for metric in Metric.allCases where !metric.needsTwoRaters {
            expectUndefined(summary.outcomes[metric], Self.noPairable)
        }
        expectUndefined(summary.outcomes[.cohenKappa], "needs exactly 2 raters; the data has 0")
    }

    @Test func singleRaterHasNoPairableUnit() throws {
        let summary = AgreementSummary(try makeData([("1", "a", "x"), ("2", "a", "y")]))
        #expect(summary.pairableUnits == 0)
        expectUndefined(summary.outcomes[.krippendorffAlphaNominal], Self.noPairable)
        expectUndefined(summary.outcomes[.fleissKappa], Self.noPairable)
        expectUndefined(summary.outcomes[.percentAgreement], Self.noPairable)
        expectUndefined(summary.outcomes[.gwetAC1], Self.noPairable)
        expectUndefined(summary.outcomes[.cohenKappa], "needs exactly 2 raters; the data has 1")
    }

    @Test func oneCategoryOnly() throws {
        let rows: [(String, String, String?)] = [("1", "a", "3"), ("1", "b", "3"), ("2", "a", "3"), ("2", "b", "3")]
        let summary = AgreementSummary(try makeData(rows))
        expectUndefined(summary.outcomes[.krippendorffAlphaNominal], Self.oneCategory)
        expectUndefined(summary.outcomes[.krippendorffAlphaOrdinal],
                        "expected disagreement is 0: every pairable value is the same")
        expectUndefined(summary.outcomes[.krippendorffAlphaInterval],
                        "expected disagreement is 0: every pairable value is the same")
        expectUndefined(summary.outcomes[.fleissKappa], Self.oneCategory)
        expectUndefined(summary.outcomes[.cohenKappa], Self.oneCategory)
        expectUndefined(summary.outcomes[.scottsPi], Self.oneCategory)
        expectUndefined(summary.outcomes[.weightedKappaQuadratic], Self.oneCategory)
        expectUndefined(summary.outcomes[.gwetAC1], "needs at least 2 categories; the category set has 1")
        // Percent agreement is defined, and perfect.
        expectValue(summary.outcomes[.percentAgreement], 1)
    }

    @Test func ac1WithAnExplicitCategorySetIsDefinedOnOneObservedCategory() throws {
        let rows: [(String, String, String?)] = [("1", "a", "no"), ("1", "b", "no"), ("2", "a", "no"), ("2", "b", "no")]
        let summary = AgreementSummary(try makeData(rows, order: ["no", "yes"]))
        // π_no = 1, π_yes = 0: p_e = 0, p_a = 1 → AC1 = 1 (Gwet's paradox-resistant answer).
        expectValue(summary.outcomes[.gwetAC1], 1)
        expectUndefined(summary.outcomes[.fleissKappa], Self.oneCategory)
    }

    @Test func twoRaterStatisticsNeedExactlyTwoRaters() throws {
        let rows: [(String, String, String?)] = [("1", "a", "x"), ("1", "b", "y"), ("1", "c", "x")]
        let summary = AgreementSummary(try makeData(rows))
        for metric in Metric.allCases where metric.needsTwoRaters {
            expectUndefined(summary.outcomes[metric], "needs exactly 2 raters; the data has 3")
        }
    }

    @Test func twoRatersWithNoUnitInCommon() throws {
        let rows: [(String, String, String?)] = [("1", "a", "x"), ("2", "b", "y"), ("3", "a", "y"), ("4", "b", "x")]
        let summary = AgreementSummary(try makeData(rows))
        expectUndefined(summary.outcomes[.cohenKappa], "the two raters rated no unit in common")
        expectUndefined(summary.outcomes[.scottsPi], "the two raters rated no unit in common")
    }

    @Test func intervalAndRatioNeedNumbers() throws {
        let rows: [(String, String, String?)] = [("1", "a", "low"), ("1", "b", "high"), ("2", "a", "high"), ("2", "b", "high")]
        let summary = AgreementSummary(try makeData(rows, order: ["low", "high"]))
        expectUndefined(summary.outcomes[.krippendorffAlphaInterval], "needs numeric values; 'low' is not a number")
        expectUndefined(summary.outcomes[.krippendorffAlphaRatio], "needs numeric values; 'low' is not a number")
        // With the order given, ordinal alpha is defined.
        #expect(summary.outcomes[.krippendorffAlphaOrdinal]?.value != nil)
    }

    @Test func ratioNeedsNonNegativeValues() throws {
        let rows: [(String, String, String?)] = [("1", "a", "-2"), ("1", "b", "1"), ("2", "a", "3"), ("2", "b", "3")]
        let summary = AgreementSummary(try makeData(rows))
        expectUndefined(summary.outcomes[.krippendorffAlphaRatio], "needs non-negative values; found -2")
        #expect(summary.outcomes[.krippendorffAlphaInterval]?.value != nil)
    }

    @Test func ordinalWithoutOrderIsUndefined() throws {
        let rows: [(String, String, String?)] = [("1", "a", "low"), ("1", "b", "high"), ("2", "a", "high"), ("2", "b", "high")]
        let summary = AgreementSummary(try makeData(rows))
        let reason = "the categories have no order (values are not all numbers and no order was given)"
        expectUndefined(summary.outcomes[.krippendorffAlphaOrdinal], reason)
        expectUndefined(summary.outcomes[.weightedKappaLinear], reason)
        expectUndefined(summary.outcomes[.weightedKappaQuadratic], reason)
    }

    @Test func noOutcomeIsEverNaN() throws {
        var rng = Xoshiro256StarStar(seed: 99)
        for _ in 0..<300 {
            let data = try RandomData.make(&rng, maxUnits: 6, maxRaters: 3, maxCategories: 2, missing: 0.5)
            for (metric, outcome) in AgreementSummary(data).outcomes {
                if let v = outcome.value { #expect(v.isFinite, "\(metric) = \(v)") }
                else { #expect(!(outcome.undefinedReason ?? "").isEmpty) }
            }
        }
    }
}
