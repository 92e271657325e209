import Foundation
import Testing

/// The lead's live numbers are computed in Reports (`LiveAgreement`, with the rule for which
/// statistics to show in `BatchReliability+Metrics`); the workbench only draws what they
/// give it. A Workbench file naming one of these is holding statistics state or choosing
/// statistics itself — the copy of the rule this check keeps from coming back.
@Suite struct LiveNumbersArrowTests {
    static let workbench = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/Workbench")

    static let statistics = ["AgreementAccumulator", "ReliabilityData", "AgreementSummary(", "BatchReliability", "Breakdown.",
                             "Bootstrap.intervals", "AdjudicationQueue(", "GoldAccuracy(",
                             "OpinionScores.", "ScoresSection(", "BatchScores", "ScoredLabels", "QualityRules."]

    @Test func workbenchCodeHoldsNoStatisticsStateAndNoRule() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.workbench.path).filter { $0.hasSuffix(".swift") }.sorted()
        #expect(files.count > 10, "Sources/Workbench was not found at \(Self.workbench.path)")
        var found: [String] = []
        for file in files {
            let text = try String(contentsOfFile: Self.workbench.appendingPathComponent(file).path, encoding: .utf8)
            for (number, line) in text.components(separatedBy: "\n").enumerated() {
                let code = line.components(separatedBy: "//").first ?? line
                for name in Self.statistics where code.contains(name) { found.append("\(file):\(number + 1): \(name)") }
            }
        }
        #expect(found == [])
    }
}
