import Interchange
import Testing

/// The labels CSV and its JSON Lines form, through Interchange alone: any `ExportableLabel`
/// is written, and what is written reads back as the same rows (docs/project-file.md).
@Suite struct LabelsCSVTests {
    struct Label: ExportableLabel {
        var clip = "a.mp4", rater = "alice", criterion = "present", value = "yes"
        var frame: Int? = 10
        var submittedAt = "2026-03-04T05:06:07.000Z", batch = "b1"
        var item: Int64 = 1
        var rubricHash = "h", revision = 1
        var pts: Double? = 0.4, dwellMs: Int? = 1500, watchedShare: Double? = 0.75
        var display: String? = "kitty", displaySize: String? = "640x360", colors: String? = "24-bit", speeds: String? = "0.5,1"
        var confidence: Double? = 0.85, sample: Int? = 2
    }

    static let awkward = Label(clip: "clip, \"one\".mp4", rater: "bob", criterion: "notes", value: " two\nlines ",
                               frame: nil, batch: "b 2", item: 7, pts: nil, dwellMs: nil, watchedShare: nil,
                               display: nil, displaySize: nil, colors: nil, speeds: nil, confidence: nil, sample: nil)

    @Test func csvAsWritten() {
        #expect(LabelsCSV.render([Label(), Self.awkward]) == """
            clip,rater,criterion,value,frame,submitted_at,batch,item,rubric_hash,revision,pts,dwell_ms,watched,display,display_size,colors,speeds,confidence,sample
            a.mp4,alice,present,yes,10,2026-03-04T05:06:07.000Z,b1,1,h,1,0.4,1500,0.75,kitty,640x360,24-bit,"0.5,1",0.85,2
            "clip, ""one"".mp4",bob,notes," two
            lines ",,2026-03-04T05:06:07.000Z,b 2,7,h,1,,,,,,,,,

            """)
    }

    @Test func csvReadsBackAsTheSameRows() throws {
        let bytes = Array(LabelsCSV.render([Label(), Self.awkward]).utf8)
        let rows = try bytes.withUnsafeBufferPointer { try LabelsCSV.parse($0, name: "labels.csv") }
        #expect(rows == [
            ImportedLabel(line: 2, clip: "a.mp4", rater: "alice", criterion: "present", value: "yes", frame: 10,
                          submittedAt: "2026-03-04T05:06:07.000Z", batch: "b1", confidence: 0.85, sample: 2),
            ImportedLabel(line: 3, clip: "clip, \"one\".mp4", rater: "bob", criterion: "notes", value: " two\nlines ",
                          submittedAt: "2026-03-04T05:06:07.000Z", batch: "b 2"),
        ])
    }

    @Test func jsonLinesAsWritten() {
        #expect(LabelsCSV.renderJSONL([Label(), Self.awkward]) == """
            {"clip": "a.mp4", "rater": "alice", "criterion": "present", "value": "yes", "frame": 10, "submitted_at": "2026-03-04T05:06:07.000Z", "batch": "b1", "item": 1, "rubric_hash": "h", "revision": 1, "pts": 0.4, "dwell_ms": 1500, "watched": 0.75, "display": "kitty", "display_size": "640x360", "colors": "24-bit", "speeds": "0.5,1", "confidence": 0.85, "sample": 2}
            {"clip": "clip, \\"one\\".mp4", "rater": "bob", "criterion": "notes", "value": " two\\nlines ", "frame": null, "submitted_at": "2026-03-04T05:06:07.000Z", "batch": "b 2", "item": 7, "rubric_hash": "h", "revision": 1, "pts": null, "dwell_ms": null, "watched": null, "display": null, "display_size": null, "colors": null, "speeds": null, "confidence": null, "sample": null}

            """)
        #expect(LabelsCSV.renderJSONL([Label]()) == "")
    }

    @Test func aMissingColumnIsNamedWithItsLine() throws {
        let bytes = Array("clip,rater,criterion\na.mp4,alice,present\n".utf8)
        do {
            _ = try bytes.withUnsafeBufferPointer { try LabelsCSV.parse($0, name: "labels.csv") }
            Issue.record("a header without 'value' was accepted")
        } catch let error as InputError {
            #expect(error.message == "labels.csv:1: missing column 'value'; the header must name clip, rater, criterion and value (optional: frame, submitted_at, batch, confidence, sample)")
        }
    }
}
