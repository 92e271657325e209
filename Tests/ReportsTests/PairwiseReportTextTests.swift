import Testing
@testable import Reports

/// The four-decimal numbers of `concord pairwise`'s text: rounded once, so the integer part
/// and the fraction come from the same rounded value.
@Suite struct PairwiseReportTextTests {
    @Test func fourDecimalsRoundedOnce() {
        #expect(PairwiseReport.fixed(3.70514) == "3.7051")
        #expect(PairwiseReport.fixed(1.99996) == "2.0000")
        #expect(PairwiseReport.fixed(0.99996) == "1.0000")
        #expect(PairwiseReport.fixed(-0.44114) == "-0.4411")
        #expect(PairwiseReport.fixed(-0.00004) == "0.0000")
        #expect(PairwiseReport.fixed(12.5) == "12.5000")
        #expect(PairwiseReport.fixed(-2.00005) == "-2.0001")
    }

    @Test func trailingPaddingIsTrimmed() {
        #expect(PairwiseReport.trimmed("a  b  \nc     \n") == "a  b\nc\n")
    }
}
