import Foundation
import Testing

/// NUL and the C0 controls other than TAB and LF are refused in every imported or typed
/// value, naming the CSV line or the Label Studio task: a NUL was stored whole but read
/// back cut short, so `audit verify` failed for ever after and each re-import added a
/// revision. TAB and LF are kept exactly, and the digest covers what is stored (on
/// PostgreSQL too, where the database computes it).
@Suite struct ControlCharacterTests {
    static func refusal(_ name: String, _ scalar: String, _ code: String, at character: Int) -> String {
        "the value of notes contains the control character \(scalar) (U+\(code)) at character \(character); "
            + "a value may hold tabs and line feeds but no other control character: remove it"
    }

    @Test(arguments: StoreKind.available)
    func aLabelsCSVWithNULOrESCIsRefusedWithItsLine(_ kind: StoreKind) throws {
        let project = try Standard.forReading(kind)
        defer { project.remove() }
        let before = try project.snapshot()
        let file = project.dir + "/nul.csv"
        try writeFile(file, Data("clip,rater,criterion,value\na.mp4,alice,notes,ok\nb.mp4,alice,notes,\"a\u{0}b\"\nc.mp4,bob,notes,x\u{1B}[2J\n".utf8))
        let result = try project.run(["label", "import", file])
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(concordMessage(result.stderr) == """
            concord: \(file): 2 problems; nothing was imported
            \(file):3: \(Self.refusal("notes", "NUL", "0000", at: 2))
            \(file):4: \(Self.refusal("notes", "ESC", "001B", at: 2))

            """)
        #expect(try project.snapshot() == before)
    }

    @Test(arguments: StoreKind.available)
    func tabsAndLineFeedsAreStoredExactlyAndVerify(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        let file = project.dir + "/tab.csv"
        try writeFile(file, "clip,rater,criterion,value\na.mp4,alice,notes,\"left\tright\nnext line\"\n")
        #expect(try project.ok(["label", "import", file]) == "\(file): imported 1 new label and 0 revisions\n")
        #expect(try project.ok(["label", "import", file]) == "\(file): 1 row, all equal to the current labels; nothing imported\n")
        let notes = exportedRows(try project.ok(["label", "export"])).filter { $0["criterion"] == "notes" }
        #expect(notes.map { $0["value"]! } == ["left\tright\nnext line"])
        #expect(try project.run(["audit", "verify"]).status == 0)
    }

    @Test(arguments: StoreKind.available)
    func labelStudioJSONWithAnEscapedNULIsRefusedWithItsTask(_ kind: StoreKind) throws {
        let project = try Standard.forReading(kind)
        defer { project.remove() }
        let before = try project.snapshot()
        let file = project.dir + "/ls.json"
        try writeFile(file, #"""
        [{"data": {"video": "a.mp4"}, "annotations": [{"completed_by": {"username": "alice"}, "result": [
           {"from_name": "notes", "to_name": "video", "type": "textarea", "value": {"text": ["fine"]}}]}]},
         {"data": {"video": "b.mp4"}, "annotations": [{"completed_by": {"username": "alice"}, "result": [
           {"from_name": "notes", "to_name": "video", "type": "textarea", "value": {"text": ["cut\u0000short"]}}]}]}]
        """#)
        let result = try project.run(["label", "import", file])
        #expect(result.status == 2)
        #expect(concordMessage(result.stderr) == "concord: \(file): task 2, notes: the value contains the control character NUL (U+0000) at character 4; a value may hold tabs and line feeds but no other control character: remove it\n")
        #expect(try project.snapshot() == before)
    }

    @Test(arguments: StoreKind.available)
    func typedNotesAndValuesAreRefusedToo(_ kind: StoreKind) throws {
        let project = try Standard.forReading(kind)
        defer { project.remove() }
        let before = try project.snapshot()
        let bell = "ring\u{7}"
        for (arguments, message) in [
            (["resolve", "a.mp4", "--criterion", "present", "--value", "yes", "--reason", "other", "--note", bell],
             "the note contains the control character BEL (U+0007) at character 5"),
            (["send-back", "a.mp4", "--raters", "alice", "--note", "a\rb"],
             "the note contains the control character CR (U+000D) at character 2"),
            (["gold", "add", "a.mp4", "--criterion", "present", "--value", "\u{1B}yes"],
             "the value contains the control character ESC (U+001B) at character 1"),
        ] {
            let result = try project.run(arguments, as: "lena")
            #expect(result.status == 2, "\(arguments)")
            #expect(concordMessage(result.stderr) == "concord: \(message); a value may hold tabs and line feeds but no other control character: remove it\n")
        }
        #expect(try project.snapshot() == before)
    }
}
