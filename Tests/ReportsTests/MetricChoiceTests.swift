import Agreement
import Reports
import Rubric
import Testing

/// Which statistics each place shows for a criterion — `concord agreement --batch` and the
/// report (the headline), the gate (the alpha), the adjudication queue (the alpha level)
/// and the lead's dashboard — is one rule in `BatchReliability`; pinned here by scale and
/// rater count so moving or sharing its parts can never change a printed column.
@Suite struct MetricChoiceTests {
    static func names(_ metrics: [Metric]) -> String { metrics.map(\.rawValue).joined(separator: " ") }

    @Test func theHeadlineFollowsTheScaleAndTwoRaters() {
        let expected: [(Scale, Int, String)] = [
            (.nominal, 2, "krippendorff_alpha_nominal fleiss_kappa gwet_ac1 percent_agreement cohen_kappa scotts_pi"),
            (.nominal, 3, "krippendorff_alpha_nominal fleiss_kappa gwet_ac1 percent_agreement"),
            (.ordinal, 2, "krippendorff_alpha_ordinal krippendorff_alpha_nominal weighted_kappa_quadratic weighted_kappa_linear percent_agreement"),
            (.ordinal, 3, "krippendorff_alpha_ordinal krippendorff_alpha_nominal percent_agreement"),
            (.interval, 2, "krippendorff_alpha_interval percent_agreement"),
            (.interval, 3, "krippendorff_alpha_interval percent_agreement"),
            (.ratio, 2, "krippendorff_alpha_ratio krippendorff_alpha_interval percent_agreement"),
            (.ratio, 3, "krippendorff_alpha_ratio krippendorff_alpha_interval percent_agreement"),
            (.text, 2, ""),
            (.text, 3, ""),
        ]
        for (scale, raters, names) in expected {
            #expect(Self.names(BatchReliability.metrics(for: scale, raters: raters)) == names, "\(scale) \(raters) raters")
        }
    }

    @Test func theAlphaAndItsLevelFollowTheScale() {
        #expect(Scale.allCases.map { BatchReliability.alpha(for: $0)?.rawValue ?? "-" }
                == ["krippendorff_alpha_nominal", "krippendorff_alpha_ordinal", "krippendorff_alpha_interval", "krippendorff_alpha_ratio", "-"])
        #expect(Scale.allCases.map { BatchReliability.level(for: $0)?.rawValue ?? "-" } == ["nominal", "ordinal", "interval", "ratio", "-"])
        #expect(Scale.allCases.map { BatchReliability.twoRaterKappa(for: $0)?.rawValue ?? "-" }
                == ["cohen_kappa", "weighted_kappa_quadratic", "-", "-", "-"])
    }

    /// The dashboard's rater-pair and leave-one-rater-out tables (their columns are drawn
    /// from `CriterionView.alpha` and `.pairKappa`, the same parts).
    @Test func theDashboardTablesFollowTheScale() {
        #expect(Scale.allCases.map { Self.names(BatchReliability.pairMetrics(for: $0)) } == [
            "percent_agreement krippendorff_alpha_nominal cohen_kappa",
            "percent_agreement krippendorff_alpha_ordinal weighted_kappa_quadratic",
            "percent_agreement krippendorff_alpha_interval",
            "percent_agreement krippendorff_alpha_ratio",
            "percent_agreement",
        ])
        #expect(Scale.allCases.map { Self.names(BatchReliability.leaveOneOutMetrics(for: $0)) } == [
            "krippendorff_alpha_nominal", "krippendorff_alpha_ordinal", "krippendorff_alpha_interval", "krippendorff_alpha_ratio", "",
        ])
    }
}
