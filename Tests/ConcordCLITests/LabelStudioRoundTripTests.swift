import Foundation
import Testing

/// Numbers are stored in one canonical spelling and compared as numbers, so exporting to
/// Label Studio and importing the file back changes nothing ("4.0" came back as "4" and
/// made a revision of every numeric label).
@Suite struct LabelStudioRoundTripTests {
    @Test(arguments: StoreKind.available)
    func aRoundTripOfOnesOwnExportChangesNothing(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        let csv = project.dir + "/whole.csv"
        try writeFile(csv, "clip,rater,criterion,value\nc.mp4,bob,ttc,4.0\na.mp4,alice,ttc,0.50\n")
        #expect(try project.ok(["label", "import", csv]) == "\(csv): imported 1 new label and 1 revision\n")
        // Stored as 4 and 0.5: the spelling the workbench and decisions use.
        let ttc = exportedRows(try project.ok(["label", "export"])).filter { $0["criterion"] == "ttc" }
        #expect(ttc.map { "\($0["clip"]!) \($0["rater"]!) \($0["value"]!)" } == ["a.mp4 alice 0.5", "c.mp4 bob 4"])
        // The same numbers spelled otherwise are the same labels.
        #expect(try project.ok(["label", "import", csv]) == "\(csv): 2 rows, all equal to the current labels; nothing imported\n")

        let before = try project.snapshot()
        let file = project.dir + "/ls.json"
        try project.ok(["label", "export", "--format", "labelstudio", "--out", file])
        let rows = exportedRows(try project.ok(["label", "export"])).count
        #expect(try project.ok(["label", "import", file]) == "\(file): \(rows) rows, all equal to the current labels; nothing imported\n")
        #expect(try project.snapshot() == before)
    }
}
