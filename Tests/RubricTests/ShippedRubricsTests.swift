import Foundation
import Rubric
import Testing

/// The rubrics in rubrics/ are what leads copy from; each must load without a problem and
/// have the shape its documentation promises.
@Suite struct ShippedRubricsTests {
    static let files = ["av-cut-in.yaml", "hard-braking.yaml", "hazard-detection.yaml", "genvideo-quality.yaml",
                        "video-preference.yaml"]

    static func load(_ file: String) throws -> Rubric {
        try Rubric.load(path: packageRoot.appendingPathComponent("rubrics/\(file)").path)
    }

    @Test(arguments: files)
    func loadsWithoutProblems(file: String) throws {
        let rubric = try Self.load(file)
        #expect(rubric.name + ".yaml" == file)
        #expect(!rubric.instructions.isEmpty)
        #expect(rubric.contentHash.count == 64)
        // Every criterion a rater must answer has help or option descriptions to go by.
        for criterion in rubric.criteria where criterion.scale != .text {
            let explained = criterion.help != nil || criterion.options.allSatisfy { $0.description != nil }
            #expect(explained, "criterion \(criterion.id) has neither help nor option descriptions")
        }
        #expect(try Rubric.fromCanonicalJSON(rubric.canonicalJSON) == rubric)
    }

    @Test func everyShippedRubricIsInTheList() throws {
        let present = try FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("rubrics").path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(present == Self.files.sorted())
    }

    @Test func cutInShowsFollowUpsOnlyWhenACutInIsPresent() throws {
        let rubric = try Self.load("av-cut-in.yaml")
        #expect(rubric.criteria.map(\.id) == ["present", "severity", "ego-response", "ttc", "notes"])
        let severity = try #require(rubric.criterion("severity"))
        #expect(severity.scale == .ordinal)
        #expect(severity.options.map(\.value) == ["none", "minor", "moderate", "severe", "critical"])
        #expect(severity.options.map(\.key) == ["1", "2", "3", "4", "5"])
        let ttc = try #require(rubric.criterion("ttc"))
        #expect(ttc.scale == .ratio && ttc.range == 0...10 && ttc.step == 0.1)
        #expect(rubric.isShown(ttc, answers: ["present": "yes"]))
        #expect(!rubric.isShown(ttc, answers: ["present": "unclear"]))
        #expect(rubric.criterion("notes")?.required == false)
        #expect(rubric.criterion("notes")?.isPartOfAgreement == false)
    }

    @Test func hazardDetectionConditionsOnAList() throws {
        let rubric = try Self.load("hazard-detection.yaml")
        let visibleFrom = try #require(rubric.criterion("visible-from"))
        #expect(visibleFrom.when == ["hazard": ["pedestrian", "cyclist", "vehicle", "animal", "debris", "road-work", "other"]])
        #expect(rubric.isShown(visibleFrom, answers: ["hazard": "animal"]))
        #expect(!rubric.isShown(visibleFrom, answers: ["hazard": "none"]))
    }

    @Test func genvideoQualityUsesAFivePointScaleWithLabels() throws {
        let rubric = try Self.load("genvideo-quality.yaml")
        for id in ["prompt-adherence", "temporal-consistency", "artifacts", "realism"] {
            let criterion = try #require(rubric.criterion(id))
            #expect(criterion.scale == .ordinal)
            #expect(criterion.options.map(\.value) == ["1", "2", "3", "4", "5"])
            #expect(criterion.options.map(\.label) == ["Bad", "Poor", "Fair", "Good", "Excellent"])
        }
    }

    @Test func videoPreferenceIsPairwiseWithTiesExceptOverall() throws {
        let rubric = try Self.load("video-preference.yaml")
        #expect(rubric.isPairwise)
        #expect(rubric.criteria.map(\.id) == ["prompt-adherence", "motion", "overall", "notes"])
        for id in ["prompt-adherence", "motion"] {
            #expect(rubric.criterion(id)?.options.map(\.value) == ["a", "b", "tie"])
        }
        #expect(rubric.criterion("overall")?.options.map(\.value) == ["a", "b"])
        #expect(rubric.criterion("notes")?.isPairwise == false)
    }
}
