import Foundation
import Testing

/// A model's confidence and repeated samples (docs/release-gate-and-judges.md): imported from
/// the labels CSV and Label Studio's `score`, kept with the label on both stores, exported,
/// refused one line at a time when bad; and `concord judge`'s calibration and self-agreement
/// on the standard project, worked by hand.
@Suite struct JudgeCalibrationCommandTests {
    /// The golden set of the standard project after lena resolves a.mp4: present = yes on
    /// a.mp4 (resolved), no on b.mp4 (alice and bob agree).
    static func withGolden(_ kind: StoreKind) throws -> Project {
        let project = try Standard.copy(kind)
        try project.ok(["resolve", "a.mp4", "--criterion", "present", "--value", "yes", "--reason", "rater_error"], as: "lena")
        return project
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func calibration(_ project: Project) throws -> [String: Any] {
        let root = try json(try project.ok(["judge", "m1", "--format", "json", "--bootstrap", "200"], as: "lena"))
        let present = try #require((root["criteria"] as? [String: Any])?["present"] as? [String: Any])
        return try #require(present["calibration"] as? [String: Any])
    }

    /// Sample 1: a.mp4 yes at 0.9 (right: bin 14, |1 − 0.9| = 0.1), b.mp4 yes at 0.7 (wrong:
    /// bin 11, |0 − 0.7| = 0.7): ECE = (0.1 + 0.7) / 2 = 0.4, Brier = (0.01 + 0.49) / 2 = 0.25.
    /// Sample 2 (a later import, now the current labels): a yes at 0.85 (right, bin 13:
    /// 0.15), b no at 0.55 (right, bin 9: 0.45): ECE = 0.3, Brier = (0.0225 + 0.2025) / 2 =
    /// 0.1125. Self-agreement, nominal alpha over samples 1 and 2 (a: yes/yes, b: yes/no):
    /// D_o = 2/4, D_e = 2·3·1/(4·3) = 1/2, alpha = 0.
    @Test(arguments: StoreKind.available)
    func confidenceAndSamplesThroughImportJudgeAndExport(_ kind: StoreKind) throws {
        let project = try Self.withGolden(kind)
        let first = project.dir + "/m1-sample1.csv"
        try writeFile(first, "clip,rater,criterion,value,confidence\na.mp4,m1,present,yes,0.9\nb.mp4,m1,present,yes,0.7\n")
        try project.ok(["label", "import", first])
        var c = try Self.calibration(project)
        #expect(c["n"] as? Int == 2 && c["answered"] as? Int == 2)
        #expect(abs(((c["ece"] as? [String: Any])?["value"] as? Double ?? 9) - 0.4) < 1e-12)
        #expect(abs(((c["brier"] as? [String: Any])?["value"] as? Double ?? 9) - 0.25) < 1e-12)
        let bins = try #require(c["reliability_diagram"] as? [[String: Any]])
        #expect(bins.count == 15 && bins.map { $0["count"] as? Int } == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0])
        #expect((bins[13]["accuracy"] as? Double) == 1 && (bins[10]["accuracy"] as? Double) == 0)
        let undefined = try #require((c["self_agreement"] as? [String: Any])?["undefined"] as? String)
        #expect(undefined == "m1 labelled no item of present more than once; import repeated samples with a sample column (docs/release-gate-and-judges.md)")

        // Importing the same file again adds nothing; the second sample is new revisions, even for the same answer.
        #expect(try project.ok(["label", "import", first]).contains("all equal to the current labels"))
        let second = project.dir + "/m1-sample2.csv"
        try writeFile(second, "clip,rater,criterion,value,confidence,sample\na.mp4,m1,present,yes,0.85,2\nb.mp4,m1,present,no,0.55,2\n")
        try project.ok(["label", "import", second])
        c = try Self.calibration(project)
        #expect(abs(((c["ece"] as? [String: Any])?["value"] as? Double ?? 9) - 0.3) < 1e-12)
        #expect(abs(((c["brier"] as? [String: Any])?["value"] as? Double ?? 9) - 0.1125) < 1e-12)
        let agreement = try #require(c["self_agreement"] as? [String: Any])
        #expect(agreement["metric"] as? String == "krippendorff_alpha_nominal")
        #expect(abs((agreement["value"] as? Double ?? 9) - 0) < 1e-12)
        #expect(agreement["samples"] as? Int == 2 && agreement["repeated_items"] as? Int == 2)

        let text = try project.ok(["judge", "m1", "--bootstrap", "200"], as: "lena")
        #expect(text.contains("calibration: 2 of 2 answers carry a confidence; ECE (15 bins) 0.300; Brier 0.112\n"))
        #expect(text.contains("""
            confidence bin  n  mean confidence  share right
            (0.533, 0.600]  1  0.550            1.000
            (0.800, 0.867]  1  0.850            1.000
            self-agreement over repeated samples (krippendorff_alpha_nominal): 0.000 [-0.500, 0.000]; 2 items in 2 samples

            """))
        // Criteria the judge never answered on the golden set nor repeated say nothing of calibration.
        #expect(!text.contains("severity (ordinal): 0 golden entries answered by m1\nrater       n  accuracy  cohen_kappa  weighted_kappa_linear  weighted_kappa_quadratic  spearman  kendall_tau_b  mean_signed_error\nm1 (model)  0  —         —            —                      —                         —         —              —\ncalibration"))

        // Exported with the label, and kept in label_prediction, audited: the log verifies.
        let rows = exportedRows(try project.ok(["label", "export"]))
        let m1 = rows.filter { $0["rater"] == "m1" }.map { "\($0["clip"]!) \($0["value"]!) \($0["confidence"]!) \($0["sample"]!) \($0["revision"]!)" }
        #expect(m1 == ["a.mp4 yes 0.85 2 3", "b.mp4 no 0.55 2 3"])
        #expect(try project.ok(["label", "export", "--format", "jsonl"]).contains("\"value\": \"no\", \"frame\": null"))
        #expect(try project.sql("SELECT count(*) FROM label_prediction;").trimmingCharacters(in: .whitespacesAndNewlines) == "4")
        #expect(try project.ok(["audit", "verify"]).contains("intact"))

        // The HTML report: the calibration table and the reliability diagram, a bar per filled bin.
        let html = try project.ok(["report", "--format", "html", "--out", "-"], as: "lena")
        #expect(html.contains("<h4>m1: present</h4>"))
        #expect(html.contains("<td>2 of 2</td><td>0.300</td><td>0.112</td><td>0.000 [-0.500, 0.000]</td><td>2</td>"))
        #expect(html.contains("aria-label=\"reliability diagram of m1 on present\""))
        #expect(html.contains("<title>0.533–0.600: 1 answer, mean confidence 0.550, right 1.000</title>"))
        #expect(html.contains("<title>0.800–0.867: 1 answer, mean confidence 0.850, right 1.000</title>"))
    }

    /// Each bad confidence or sample: one line naming the file and CSV line and what to
    /// write, exit 2, nothing imported.
    @Test(arguments: StoreKind.available)
    func badConfidenceAndSampleAreRefusedOneLineEach(_ kind: StoreKind) throws {
        let project = try Standard.forReading(kind)
        let before = try project.ok(["label", "export"])
        let file = project.dir + "/bad.csv"
        for (cell, column, message) in [
            ("abc", "confidence", "confidence 'abc' is not a number; write the model's probability for its answer as a decimal from 0 to 1 (0.85)"),
            ("85%", "confidence", "confidence '85%' is not a number; write the model's probability for its answer as a decimal from 0 to 1 (0.85)"),
            ("nan", "confidence", "confidence 'nan' is not a number; write the model's probability for its answer as a decimal from 0 to 1 (0.85)"),
            ("inf", "confidence", "confidence 'inf' is not a number; write the model's probability for its answer as a decimal from 0 to 1 (0.85)"),
            ("1.5", "confidence", "confidence 1.5 is outside [0, 1]; write a probability (0.85, not 85)"),
            ("-0.1", "confidence", "confidence -0.1 is outside [0, 1]; write a probability (0.85, not 85)"),
            ("85", "confidence", "confidence 85 is outside [0, 1]; write a probability (0.85, not 85)"),
            ("0", "sample", "sample '0' is not a sample number (1, 2, 3, …: which repeated run of the model gave the row)"),
            ("two", "sample", "sample 'two' is not a sample number (1, 2, 3, …: which repeated run of the model gave the row)"),
            ("1.5", "sample", "sample '1.5' is not a sample number (1, 2, 3, …: which repeated run of the model gave the row)"),
        ] {
            try writeFile(file, "clip,rater,criterion,value,\(column)\na.mp4,m1,present,yes,1\nb.mp4,m1,present,no,\(cell)\n")
            let result = try project.run(["label", "import", file])
            #expect(result.status == 2, "\(column) \(cell)")
            #expect(concordMessage(result.stderr) == "concord: \(file):3: \(message)\n", "\(column) \(cell)")
        }
        #expect(try project.ok(["label", "export"]) == before)
    }

    /// Label Studio's `score` (on the result, else the annotation) is the confidence, and
    /// `meta.sample` the sample; both come back on export. A bad score names the task.
    @Test(arguments: StoreKind.available)
    func labelStudioScore(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        let file = project.dir + "/ls.json"
        func task(_ clip: String, _ value: String, result: String, annotation: String = "") -> String {
            """
            {"data": {"video": "/data/\(clip)"}, "annotations": [{"completed_by": {"username": "m1"}\(annotation),
              "result": [{"from_name": "present", "to_name": "video", "type": "choices", "value": {"choices": ["\(value)"]}\(result)}]}]}
            """
        }
        try writeFile(file, "[" + task("a.mp4", "yes", result: ", \"score\": 0.8, \"meta\": {\"sample\": 3}") + ","
                      + task("b.mp4", "no", result: "", annotation: ", \"score\": 0.65") + "]")
        try project.ok(["label", "import", file])
        let rows = exportedRows(try project.ok(["label", "export"])).filter { $0["rater"] == "m1" }
        #expect(rows.map { "\($0["clip"]!) \($0["confidence"]!) \($0["sample"]!)" } == ["a.mp4 0.8 3", "b.mp4 0.65 "])
        let exported = try project.ok(["label", "export", "--format", "labelstudio"])
        #expect(exported.contains("\"score\":0.8") && exported.contains("\"sample\":3"))

        let before = try project.ok(["label", "export"])
        for (score, message) in [
            ("\"high\"", "score 'high' is not a number; write the model's probability for its answer as a number from 0 to 1 (0.85)"),
            ("1.5", "score 1.5 is outside [0, 1]; write a probability (0.85, not 85)"),
        ] {
            try writeFile(file, "[" + task("a.mp4", "no", result: ", \"score\": \(score)") + "]")
            let result = try project.run(["label", "import", file])
            #expect(result.status == 2, "\(score)")
            #expect(concordMessage(result.stderr) == "concord: \(file): task 1, present: \(message)\n", "\(score)")
        }
        #expect(try project.ok(["label", "export"]) == before)
    }
}
