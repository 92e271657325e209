import Foundation
import Testing

/// Label Studio's JSON, out and in: the export round-trips through the importer, a
/// hand-written export with choices, ratings, numbers and an e-mail author imports, bad
/// files are refused with the task named, and pandas opens the export.
@Suite struct LabelStudioTests {
    @Test(arguments: StoreKind.available)
    func exportImportsBackAsExactlyTheSameLabels(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        let file = project.dir + "/ls.json"
        try project.ok(["label", "export", "--format", "labelstudio", "--out", file])
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains(#"{"completed_by":{"username":"alice"},"result":[{"from_name":"present","meta":{"frame":10},"to_name":"video","type":"choices","value":{"choices":["yes"]}}"#))
        #expect(text.contains(#"{"from_name":"ttc","to_name":"video","type":"number","value":{"number":3.5}}"#))
        let rows = try project.ok(["label", "export"]).split(separator: "\n").count - 1
        #expect(try project.ok(["label", "import", file]) == "\(file): \(rows) rows, all equal to the current labels; nothing imported\n")
        // pandas reads it as one row per task.
        let python = ReferenceCheck.python
        if FileManager.default.isExecutableFile(atPath: python) {
            let result = try Tool.run(python, ["-c", "import pandas as pd; df = pd.read_json('\(file)'); print(df.shape[0], sorted(df.columns))"])
            #expect(result.stdout == "3 ['annotations', 'data', 'id']\n", "\(result.stderr)")
        }
    }

    @Test(arguments: StoreKind.available)
    func choicesRatingsNumbersAndAuthorsImport(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        let file = project.dir + "/in.json"
        try writeFile(file, """
        [{"id": 9, "data": {"video": "/data/upload/3/c.mp4"}, "annotations": [
          {"completed_by": {"id": 4, "email": "bob@vendor.example"}, "result": [
            {"from_name": "present", "to_name": "video", "type": "choices", "value": {"choices": ["yes"]}},
            {"from_name": "severity", "to_name": "video", "type": "rating", "value": {"rating": 3}},
            {"from_name": "ego-response", "to_name": "video", "type": "choices", "value": {"choices": ["good"]}},
            {"from_name": "ttc", "to_name": "video", "type": "number", "value": {"number": 2.5}}]},
          {"completed_by": {"username": "alice"}, "was_cancelled": true, "result": [
            {"from_name": "present", "to_name": "video", "type": "choices", "value": {"choices": ["no"]}}]}]}]
        """)
        #expect(try project.ok(["label", "import", file]) == "\(file): imported 2 new labels and 1 revision; 1 row unchanged\n")
        let bob = exportedRows(try project.ok(["label", "export"])).filter { $0["clip"] == "c.mp4" && $0["rater"] == "bob" }
        #expect(bob.map { "\($0["criterion"]!)=\($0["value"]!)" }.sorted()
                == ["ego-response=good", "present=yes", "severity=moderate", "ttc=2.5"])   // rating 3 → the third option
    }

    @Test(arguments: StoreKind.available)
    func badFilesAreRefusedWithTheTaskNamed(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        let before = try project.snapshot()
        for (json, message) in [
            ("{\"tasks\": []}", "expected a list of tasks (Label Studio's JSON export)"),
            ("[{\"data\": {}}]", "task 1 has no data.video naming a clip"),
            ("[{\"data\": {\"video\": \"a.mp4\"}, \"annotations\": [{\"result\": []}]}]", "task 1 has an annotation without completed_by"),
            ("[{\"data\": {\"video\": \"zz.mp4\"}, \"annotations\": [{\"completed_by\": \"alice\", \"result\": [{\"from_name\": \"present\", \"type\": \"choices\", \"value\": {\"choices\": [\"yes\"]}}]}]}]", "zz.mp4"),
            ("[1, 2", "not valid JSON"),
        ] {
            let file = project.dir + "/bad.json"
            try writeFile(file, json)
            let result = try project.run(["label", "import", file])
            #expect(result.status == 2, "\(json)")
            #expect(result.stderr.contains(message), "\(json): \(result.stderr)")
        }
        #expect(try project.snapshot() == before)
    }
}

enum ReferenceCheck {
    static var python: String {
        ProcessInfo.processInfo.environment["CONCORD_TEST_PYTHON"] ?? CLI.packageRoot.appendingPathComponent(".build-venv/bin/python3").path
    }
}
