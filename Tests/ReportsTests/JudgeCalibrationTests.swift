import Agreement
import Foundation
import ReferenceTestSupport
@testable import Reports
import Rubric
import Testing

/// The judge's calibration (docs/release-gate-and-judges.md, "Calibration"): ECE over 15
/// right-closed equal-width bins, the binary Brier score and the reliability diagram's bins,
/// by hand and against scikit-learn 1.7.2 (Tests/Reference/calibration_reference.py); and
/// the repeated samples' self-agreement.
@Suite struct JudgeCalibrationTests {
    /// Seven answers, worked by hand (and what calibration_reference.py prints for them):
    ///
    ///     confidence  0.95  0.90  0.93  0.82  0.62  0.30  0.05
    ///     right       yes   yes   no    no    yes   no    no
    ///     bin (1–15)  15    14    14    13    10    5     1      (b/15 < c ≤ (b+1)/15)
    ///
    /// Bin 14 holds two answers: mean confidence 0.915, one right in two (0.5). Every other
    /// bin one answer, right 1 or 0. ECE = Σ n_b/N · |acc_b − conf_b|
    ///   = (|1−0.95| + 2·|0.5−0.915| + |0−0.82| + |1−0.62| + |0−0.30| + |0−0.05|) / 7
    ///   = (0.05 + 0.83 + 0.82 + 0.38 + 0.30 + 0.05) / 7 = 2.43 / 7 = 0.347142857…
    /// Brier = Σ (c − right)² / 7 = (0.0025 + 0.01 + 0.8649 + 0.6724 + 0.1444 + 0.09 + 0.0025) / 7
    ///   = 1.7867 / 7 = 0.255242857…
    @Test func aHandWorkedExample() throws {
        let r = JudgeCalibration.calibrate(confidence: [0.95, 0.9, 0.93, 0.82, 0.62, 0.3, 0.05],
                                           correct: [true, true, false, false, true, false, false])
        #expect(r.n == 7)
        #expect(abs(try #require(r.ece.value) - 2.43 / 7) < 1e-12)
        #expect(abs(try #require(r.brier.value) - 1.7867 / 7) < 1e-12)
        #expect(r.bins.count == 15)
        #expect(r.bins.map(\.count) == [1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 2, 1])
        #expect(abs(try #require(r.bins[13].meanConfidence) - 0.915) < 1e-12)
        #expect(r.bins[13].accuracy == 0.5)
        #expect(r.bins[1].accuracy == nil && r.bins[1].meanConfidence == nil)
    }

    /// Edges as numpy's linspace(0, 1, 16) makes them; a bin is closed on the right, so 1/15
    /// is in the first bin, the next double above it in the second, 1.0 in the last, 0 in the first.
    @Test func binEdges() {
        #expect(JudgeCalibration.edges.count == 16 && JudgeCalibration.edges.first == 0 && JudgeCalibration.edges.last == 1)
        #expect(JudgeCalibration.edges[1] == 1.0 / 15.0)
        #expect(JudgeCalibration.bin(of: 0) == 0)
        #expect(JudgeCalibration.bin(of: 1.0 / 15.0) == 0)
        #expect(JudgeCalibration.bin(of: (1.0 / 15.0).nextUp) == 1)
        #expect(JudgeCalibration.bin(of: JudgeCalibration.edges[14]) == 13)
        #expect(JudgeCalibration.bin(of: JudgeCalibration.edges[14].nextUp) == 14)
        #expect(JudgeCalibration.bin(of: 1.0) == 14)
    }

    /// The diagram: a bar per filled bin at its share right, titled with its figures; none for empty bins.
    @Test func reliabilityDiagramSVG() {
        let r = JudgeCalibration.calibrate(confidence: [0.95, 0.9, 0.93], correct: [true, true, false])
        let svg = JudgeCalibrationSection.diagram(r, label: "d")
        #expect(svg.hasPrefix("<svg width=\"360\" height=\"352\"") && svg.hasSuffix("</svg>"))
        #expect(svg.components(separatedBy: "fill=\"#4a7fb5\"").count - 1 == 2)
        #expect(svg.contains("<title>0.867–0.933: 2 answers, mean confidence 0.915, right 0.500</title>"))
        #expect(svg.contains("<title>0.933–1.000: 1 answer, mean confidence 0.950, right 1.000</title>"))
        // Share right 0.5 on a 300-pixel axis whose 0 is at y = 312: the bar's top at 162.
        #expect(svg.contains("y=\"162\" width=\"18\" height=\"150\""))
    }

    @Test func noConfidenceIsUndefinedWithAReason() {
        let r = JudgeCalibration.calibrate(confidence: [], correct: [])
        #expect(r.n == 0 && r.ece.value == nil && r.brier.value == nil)
        #expect(r.ece.undefinedReason?.contains("import the judge's predictions with a confidence column") == true)
    }

    /// Seeded random data sets of several sizes, with confidences on bin edges, 0 and 1 mixed
    /// in, against scikit-learn: Brier, ECE, and every non-empty bin's count, mean
    /// confidence and share right.
    @Test func equalsScikitLearn() throws {
        guard ReferenceScript.pythonExists else {
            Issue.record("no python at \(ReferenceScript.python): run make test (it builds .build-venv)")
            return
        }
        var state: UInt64 = 0x5EED
        func next() -> Double {   // splitmix64 → [0, 1)
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        var sets: [(confidence: [Double], correct: [Bool])] = []
        for size in [1, 2, 7, 15, 40, 333, 2000] {
            var confidence: [Double] = [], correct: [Bool] = []
            for _ in 0..<size {
                let u = next()
                let c = u < 0.1 ? JudgeCalibration.edges[Int(next() * 16)] : (u < 0.15 ? (next() < 0.5 ? 0 : 1) : next())
                confidence.append(c)
                correct.append(next() < 0.3 + 0.6 * c)   // a judge somewhat calibrated
            }
            sets.append((confidence, correct))
        }
        let input = sets.map { s in
            "{\"confidence\":[\(s.confidence.map { "\($0)" }.joined(separator: ","))],\"correct\":[\(s.correct.map { $0 ? "1" : "0" }.joined(separator: ","))]}"
        }.joined(separator: "\n") + "\n"
        let lines = try ReferenceScript.run("calibration_reference.py", input: input)
        try #require(lines.count == sets.count)
        for (s, line) in zip(sets, lines) {
            let reference = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let r = JudgeCalibration.calibrate(confidence: s.confidence, correct: s.correct)
            #expect(abs(try #require(r.brier.value) - (reference["brier"] as! Double)) < 1e-12, "n = \(s.confidence.count)")
            #expect(abs(try #require(r.ece.value) - (reference["ece"] as! Double)) < 1e-12, "n = \(s.confidence.count)")
            let filled = r.bins.filter { $0.count > 0 }
            #expect(filled.map(\.count) == (reference["counts"] as! [Int]), "n = \(s.confidence.count)")
            for (bin, (p, t)) in zip(filled, zip(reference["prob_pred"] as! [Double], reference["prob_true"] as! [Double])) {
                #expect(abs(bin.meanConfidence! - p) < 1e-12 && abs(bin.accuracy! - t) < 1e-12, "n = \(s.confidence.count)")
            }
        }
    }

    static let rubric = try! Rubric.parse("""
    name: t
    criteria:
      - id: kind
        question: Which kind?
        scale: nominal
        options: [car, truck]
    """, file: "t.yaml")

    /// Repeated samples: per item and sample the latest revision; no sample number is 1.
    /// Two items, samples 1 and 2: item 1 car/car, item 2 car/truck (its sample 1 revised
    /// from truck to car). Nominal alpha by hand: coincidences o(car,car) = 2, o(car,truck) =
    /// o(truck,car) = 1, n = 4, n_car = 3, n_truck = 1; D_o = 2/4, D_e = 2·3·1/(4·3) = 1/2;
    /// alpha = 1 − D_o/D_e = 0.
    @Test func selfAgreementOverRepeatedSamples() {
        let (values, samples) = JudgeAgreement.samples([(1, "car", nil), (2, "truck", 1), (2, "car", nil), (1, "car", 2), (2, "truck", 2)])
        #expect(samples == ["sample 1", "sample 2"])
        #expect(values == [["car", "car"], ["car", "truck"]])
        let criterion = Self.rubric.criteria[0]
        let e = JudgeAgreement.alpha(values, raters: samples, criterion: criterion, resamples: 200, seed: 1)
        #expect(e.metric == .krippendorffAlphaNominal)
        #expect(abs((e.outcome.value ?? 9) - 0) < 1e-12)
        #expect(e.pairableUnits == 2)
        // Agreement everywhere: alpha is undefined with one category only, and says why.
        let same = JudgeAgreement.alpha([["car", "car"], ["car", "car"]], raters: samples, criterion: criterion, resamples: 50, seed: 1)
        #expect(same.outcome.value == nil && same.undefinedReason != nil)
    }
}
