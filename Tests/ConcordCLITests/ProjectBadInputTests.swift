import Foundation
import Testing

/// Bad input gets a clear error, exit status 2, and changes nothing: the labels (CSV and
/// JSONL export), raters, status, the audit chain and every table are as before. On
/// PostgreSQL too for each kind of problem the Store or the database checks (a bad label row,
/// a clip already in the project, a batch or rubric that does not fit); what is refused
/// before the project is opened (an unreadable clip, YAML, CSV syntax) is the same code on
/// both stores, so PostgreSQL runs one of each.
@Suite struct ProjectBadInputTests {
    /// Runs `arguments` on a fresh copy of the standard project and checks the exit status,
    /// the exact message, empty standard output and an unchanged project.
    func expectRejected(_ project: Project, _ arguments: [String], status: Int32 = 2, stderr expected: String,
                        libraryLogAllowed: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try project.run(arguments)
        #expect(result.status == status, "status \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "output: \(result.stdout)", sourceLocation: sourceLocation)
        #expect((libraryLogAllowed ? concordMessage(result.stderr) : result.stderr) == expected, sourceLocation: sourceLocation)
        try expectUnchanged(project, sourceLocation: sourceLocation)
    }

    func expectUnchanged(_ project: Project, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let after = try project.snapshot()
        let before = try Standard.snapshot(project.kind)
        #expect(after == before, "the project changed:\nbefore: \(before)\nafter: \(after)", sourceLocation: sourceLocation)
    }

    // MARK: - Clips

    enum BadClip: String, CaseIterable, Sendable {
        case randomBytes, truncatedMoovAtEnd, truncatedFaststart, emptyFile, textFile, audioOnly, missingFile, directory
        case alreadyAdded, alreadyAddedUnderAnotherName, sameNameDifferentContent, sameContentGivenTwice
        case goodThenBad, goodThenAlreadyAdded, severalBad
        case newBatchWithoutRubric, unknownRubric, otherRubricForExistingBatch, invalidBatchName
    }

    /// Deterministic pseudo-random bytes (a 64-bit LCG), so the "corrupt" clip is the same
    /// on every run.
    static func noise(_ count: Int, seed: UInt64 = 0x5EED) -> Data {
        var state = seed
        return Data((0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        })
    }

    /// What to run for each case and the message it must print.
    func clipCase(_ kind: BadClip, in project: Project) throws -> (arguments: [String], stderr: String, prefixOnly: Bool) {
        let dir = project.dir
        let add = { (files: [String]) in ["clip", "add"] + files + ["--batch", "b1"] }
        let notVideo = { (path: String) in "concord: \(path): cannot open as a video (Invalid data found when processing input); is it a video file?\nnothing was added\n" }
        switch kind {
        case .randomBytes:
            try writeFile(dir + "/noise.mp4", Self.noise(64 * 1024))
            return (add([dir + "/noise.mp4"]), notVideo(dir + "/noise.mp4"), false)
        case .truncatedMoovAtEnd:
            // ffmpeg writes the index (moov) last: the first half has no index at all.
            let whole = try Clips.make(dir + "/whole.mp4", source: "testsrc", size: "320x240", seconds: 2)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
            try writeFile(dir + "/half.mp4", bytes.prefix(bytes.count / 2))
            return (add([dir + "/half.mp4"]), notVideo(dir + "/half.mp4"), false)
        case .truncatedFaststart:
            // With the index first, the first half is a valid header over missing frames.
            let whole = try Clips.make(dir + "/whole.mp4", source: "testsrc", size: "320x240", seconds: 2, faststart: true)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
            try writeFile(dir + "/half.mp4", bytes.prefix(bytes.count / 2))
            return (add([dir + "/half.mp4"]), "concord: \(dir)/half.mp4: is truncated: the container declares 50 frames but only ", true)
        case .emptyFile:
            try writeFile(dir + "/empty.mp4", Data())
            return (add([dir + "/empty.mp4"]), "concord: \(dir)/empty.mp4: is empty (0 bytes); copy the clip again\nnothing was added\n", false)
        case .textFile:
            try writeFile(dir + "/notes.mp4", "this is not a video\n")
            return (add([dir + "/notes.mp4"]), notVideo(dir + "/notes.mp4"), false)
        case .audioOnly:
            try Tool.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=1", dir + "/tone.wav"])
            return (add([dir + "/tone.wav"]), "concord: \(dir)/tone.wav: has no video stream; add video clips only\nnothing was added\n", false)
        case .missingFile:
            return (add([dir + "/nowhere.mp4"]), "concord: \(dir)/nowhere.mp4: cannot open: No such file or directory\nnothing was added\n", false)
        case .directory:
            try FileManager.default.createDirectory(atPath: dir + "/folder.mp4", withIntermediateDirectories: false)
            return (add([dir + "/folder.mp4"]), "concord: \(dir)/folder.mp4: is not a regular file\nnothing was added\n", false)
        case .alreadyAdded:
            let a = try Standard.clip("a.mp4")
            return (add([a]), "concord: \(a): already added to batch 'b1' as a.mp4; nothing was added\n", false)
        case .alreadyAddedUnderAnotherName:
            try FileManager.default.copyItem(atPath: try Standard.clip("a.mp4"), toPath: dir + "/renamed.mp4")
            return (add([dir + "/renamed.mp4"]), "concord: \(dir)/renamed.mp4: already added to batch 'b1' as a.mp4; nothing was added\n", false)
        case .sameNameDifferentContent:
            try FileManager.default.createDirectory(atPath: dir + "/other", withIntermediateDirectories: false)
            try Clips.make(dir + "/other/a.mp4", source: "testsrc2", size: "64x48")
            let sha = try Tool.sha256(try Standard.clip("a.mp4"))
            return (add([dir + "/other/a.mp4"]),
                    "concord: \(dir)/other/a.mp4: a different clip named 'a.mp4' is already in the project (sha256 \(sha.prefix(12))…); rename the file\n", false)
        case .sameContentGivenTwice:
            let d = try Standard.clip("d.mp4")
            try FileManager.default.copyItem(atPath: d, toPath: dir + "/d2.mp4")
            return (add([d, dir + "/d2.mp4"]), "concord: \(dir)/d2.mp4: the same content as \(d), given twice; add each clip once\n", false)
        case .goodThenBad:
            try writeFile(dir + "/empty.mp4", Data())
            return (add([try Standard.clip("d.mp4"), dir + "/empty.mp4"]),
                    "concord: \(dir)/empty.mp4: is empty (0 bytes); copy the clip again\nnothing was added\n", false)
        case .goodThenAlreadyAdded:
            let a = try Standard.clip("a.mp4")
            return (add([try Standard.clip("d.mp4"), a]), "concord: \(a): already added to batch 'b1' as a.mp4; nothing was added\n", false)
        case .severalBad:
            try writeFile(dir + "/empty.mp4", Data())
            return (add([dir + "/empty.mp4", try Standard.clip("d.mp4"), dir + "/nowhere.mp4"]),
                    "concord: \(dir)/empty.mp4: is empty (0 bytes); copy the clip again\n\(dir)/nowhere.mp4: cannot open: No such file or directory\nnothing was added\n", false)
        case .newBatchWithoutRubric:
            return (["clip", "add", try Standard.clip("d.mp4"), "--batch", "b2"],
                    "concord: batch 'b2' does not exist yet; name its rubric with --rubric NAME\n", false)
        case .unknownRubric:
            return (["clip", "add", try Standard.clip("d.mp4"), "--batch", "b2", "--rubric", "lane-keeping"],
                    "concord: no rubric named 'lane-keeping'; add it first with: concord rubric add FILE.yaml\n", false)
        case .otherRubricForExistingBatch:
            return (["clip", "add", try Standard.clip("d.mp4"), "--batch", "b1", "--rubric", "hazard-detection"],
                    "concord: batch 'b1' uses the rubric 'av-cut-in', not 'hazard-detection'; leave out --rubric or choose another batch\n", false)
        case .invalidBatchName:
            return (["clip", "add", try Standard.clip("d.mp4"), "--batch", "batch one", "--rubric", "av-cut-in"],
                    "concord: 'batch one' is not a valid batch name; use letters, digits, '.', '_' or '-'\n", false)
        }
    }

    /// Every case on SQLite; on PostgreSQL one of each kind that reaches the project (a clip
    /// already there, by content or by name; a batch or rubric that does not fit) and one
    /// clip FFmpeg refuses.
    static let clipCases: [(StoreKind, BadClip)] = BadClip.allCases.map { (.sqlite, $0) }
        + StoreKind.postgresIfAvailable.flatMap { kind in
            [BadClip.randomBytes, .alreadyAddedUnderAnotherName, .sameNameDifferentContent, .goodThenAlreadyAdded,
             .unknownRubric, .otherRubricForExistingBatch].map { (kind, $0) }
        }

    @Test(arguments: clipCases)
    func badClipChangesNothing(_ store: StoreKind, _ kind: BadClip) throws {
        let project = try Standard.forReading(store)
        defer { project.remove() }
        let (arguments, expected, prefixOnly) = try clipCase(kind, in: project)
        let result = try project.run(arguments)
        #expect(result.status == 2, "status \(result.status): \(result.stderr)")
        #expect(result.stdout.isEmpty, "output: \(result.stdout)")
        let message = concordMessage(result.stderr)
        if prefixOnly {
            #expect(message.hasPrefix(expected) && message.hasSuffix(" can be read; copy the file again\nnothing was added\n"), "\(message)")
        } else {
            #expect(message == expected)
        }
        try expectUnchanged(project)
    }

    /// A clip concord rejects gets concord's one clear message on standard error, not
    /// FFmpeg's log lines ("moov atom not found", "Packet corrupt") before it.
    /// SQLite only: FFmpeg's log is the same whichever store the project is in.
    @Test(arguments: [BadClip.truncatedMoovAtEnd, .truncatedFaststart, .textFile])
    func rejectedClipPrintsOnlyConcordsMessage(_ kind: BadClip) throws {
        let project = try Standard.copy()
        defer { project.remove() }
        let (arguments, _, _) = try clipCase(kind, in: project)
        let result = try project.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("concord: "), "library log lines before concord's message:\n\(result.stderr)")
    }

    // MARK: - Rubrics

    static let unknownKeyRubric = """
    name: broken
    criteria:
      - id: a
        scale: nominal
        bogus: 1

    """

    @Test(arguments: StoreKind.available)
    func malformedRubricNamesFileLineAndColumn(_ kind: StoreKind) throws {
        let project = try Standard.forReading(kind)
        defer { project.remove() }
        let file = project.dir + "/broken.yaml"
        try writeFile(file, Self.unknownKeyRubric)
        let problems = """
        \(file):3:5: missing required key 'question' in criterion 'a'
        \(file):3:5: missing required key 'options' in criterion 'a'; nominal and ordinal criteria list their options
        \(file):5:5: unknown key 'bogus' in criterion 'a'; expected one of id, question, type, scale, options, range, step, tie, strength, required, when, help, display

        """
        try expectRejected(project, ["rubric", "add", file], stderr: "concord: " + problems)
        // `rubric check` reports the same problems, as a failed check (1).
        let check = try CLI.run(["rubric", "check", file])
        #expect(check.status == 1)
        #expect(check.stderr == "concord: " + problems)
    }

    /// This and the next two: SQLite only, as a rubric's file is read before the project.
    @Test func invalidYAMLSyntax() throws {
        let project = try Standard.copy()
        defer { project.remove() }
        let file = project.dir + "/syntax.yaml"
        try writeFile(file, "name: x\ncriteria: [\n")
        try expectRejected(project, ["rubric", "add", file],
                           stderr: "concord: \(file):3:1: invalid YAML: did not find expected node content (while parsing a flow node at line 3, column 1)\n")
    }

    @Test func duplicateIdAndLaterWhen() throws {
        let project = try Standard.copy()
        defer { project.remove() }
        let file = project.dir + "/dup.yaml"
        try writeFile(file, """
        name: x
        title: X
        criteria:
          - id: a
            question: A?
            scale: nominal
            options: [y, n]
          - id: a
            question: B?
            scale: nominal
            when: {c: y}
            options: [y, n]

        """)
        try expectRejected(project, ["rubric", "add", file], stderr: """
        concord: \(file):8:9: duplicate criterion id 'a' (first at line 4)
        \(file):11:12: when names 'c', which is not an earlier criterion

        """)
    }

    @Test func missingAndEmptyRubricFiles() throws {
        let project = try Standard.copy()
        defer { project.remove() }
        try expectRejected(project, ["rubric", "add", project.dir + "/none.yaml"],
                           stderr: "concord: \(project.dir)/none.yaml: no such file; expected the path of a rubric YAML file\n")
        try writeFile(project.dir + "/empty.yaml", "")
        try expectRejected(project, ["rubric", "add", project.dir + "/empty.yaml"],
                           stderr: "concord: \(project.dir)/empty.yaml:1:1: the file is empty; a rubric needs at least name and criteria\n")
    }

    // MARK: - Label import

    /// Every bad-row file starts with two good rows (lines 2 and 3) for a label nobody has
    /// given yet, so "nothing imported" means the good rows were refused too.
    static let header = "clip,rater,criterion,value,frame,submitted_at\n"
    static let goodRows = "c.mp4,alice,present,yes,,\nc.mp4,alice,severity,moderate,,\n"

    enum BadLabels: String, CaseIterable, Sendable {
        case unknownClip, unknownSHAPrefix, unknownRater, auditorAsRater, unknownCriterion, valueNotAnOption, valueInWrongCase
        case ordinalValueNotAnOption, aboveRange, belowRange, offStep, notANumber
        case hiddenByAnswerInSameFile, hiddenByAnswerInProject, hiddenWithoutAnswer
        case frameOutsideClip, frameNotANumber, negativeFrame, submittedAtBadMonth, submittedAtNotADate
        case repeatedRow, repeatedRowBySHA, missingColumn, duplicateColumn, invalidUTF8, emptyFile, blankLinesOnly
        case wrongFieldCount, emptyValue, unterminatedQuote, textAfterQuote, missingFile, directory, unknownBatch
    }

    /// The file's bytes, the extra arguments, and the message (given the file's path).
    func labelCase(_ kind: BadLabels, project: Project) throws -> (bytes: Data, extra: [String], message: (String) -> String) {
        // Rejected by the Store after parsing: every problem named by line, then nothing imported.
        func rowProblem(_ row: String, line: Int = 4, before: String = "", _ message: String) -> (Data, [String], (String) -> String) {
            (Data((Self.header + Self.goodRows + before + row + "\n").utf8), [],
             { "concord: \($0): 1 problem; nothing was imported\n\($0):\(line): \(message)\n" })
        }
        // Rejected while parsing the CSV: one line naming file and line.
        func parseProblem(_ bytes: Data, line: Int?, _ message: String) -> (Data, [String], (String) -> String) {
            (bytes, [], { "concord: \($0)\(line.map { ":\($0)" } ?? ""): \(message)\n" })
        }
        func rows(_ text: String) -> Data { Data((Self.header + Self.goodRows + text).utf8) }
        let cSHA = try Tool.sha256(try Standard.clip("c.mp4"))
        let range = "expected a number from 0 to 10 in steps of 0.1"
        switch kind {
        case .unknownClip:
            return rowProblem("x.mp4,alice,present,yes,,", "no clip named 'x.mp4' in the project; add it with concord clip add, or use its SHA-256 (12+ hex digits)")
        case .unknownSHAPrefix:
            return rowProblem("0000000000000,alice,present,yes,,", "no clip has a SHA-256 starting with 0000000000000")
        case .unknownRater:
            return rowProblem("a.mp4,zed,present,yes,,", "no rater named 'zed'; add them with: concord rater add zed --role rater")
        case .auditorAsRater:
            return rowProblem("a.mp4,aud,present,yes,,", "'aud' is an auditor; auditors do not label")
        case .unknownCriterion:
            return rowProblem("a.mp4,bob,speed,fast,,", "the rubric 'av-cut-in' of batch 'b1' has no criterion 'speed'; criteria: present, severity, ego-response, ttc, notes")
        case .valueNotAnOption:
            return rowProblem("b.mp4,lena,present,maybe,,", "present: expected one of yes, no, unclear; found 'maybe'")
        case .valueInWrongCase:
            return rowProblem("b.mp4,lena,present,Yes,,", "present: expected one of yes, no, unclear; found 'Yes'")
        case .ordinalValueNotAnOption:
            return rowProblem("a.mp4,alice,ego-response,great,,", "ego-response: expected one of unsafe, poor, acceptable, good; found 'great'")
        case .aboveRange:
            return rowProblem("c.mp4,bob,ttc,10.5,,", "ttc: \(range); found '10.5'")
        case .belowRange:
            return rowProblem("c.mp4,bob,ttc,-0.1,,", "ttc: \(range); found '-0.1'")
        case .offStep:
            return rowProblem("c.mp4,bob,ttc,0.15,,", "ttc: \(range); found '0.15'")
        case .notANumber:
            return rowProblem("c.mp4,bob,ttc,soon,,", "ttc: \(range); found 'soon'")
        case .hiddenByAnswerInSameFile:
            // lena answers "no" on line 4, then rates severity on line 5.
            return rowProblem("b.mp4,lena,severity,minor,,", line: 5, before: "b.mp4,lena,present,no,,\n",
                              "severity is only asked when present is yes, which this rater's answers for b.mp4 do not meet")
        case .hiddenByAnswerInProject:
            // bob answered "no" for a.mp4 in the project already.
            return rowProblem("a.mp4,bob,severity,minor,,", "severity is only asked when present is yes, which this rater's answers for a.mp4 do not meet")
        case .hiddenWithoutAnswer:
            return rowProblem("b.mp4,lena,ttc,3,,", "ttc is only asked when present is yes, which this rater's answers for b.mp4 do not meet")
        case .frameOutsideClip:
            return rowProblem("a.mp4,bob,present,no,25,", "frame 25 is outside the clip a.mp4, which has frames 0–24")
        case .frameNotANumber:
            return parseProblem(rows("a.mp4,bob,present,no,x,\n"), line: 4, "frame 'x' is not a frame number (0, 1, 2, …)")
        case .negativeFrame:
            return parseProblem(rows("a.mp4,bob,present,no,-1,\n"), line: 4, "frame '-1' is not a frame number (0, 1, 2, …)")
        case .submittedAtBadMonth:
            return rowProblem("a.mp4,bob,present,no,,2026-13-01T00:00:00Z",
                              "submitted_at '2026-13-01T00:00:00Z' is not an ISO 8601 date-time like 2026-11-24T13:05:12Z")
        case .submittedAtNotADate:
            return rowProblem("a.mp4,bob,present,no,,yesterday", "submitted_at 'yesterday' is not an ISO 8601 date-time like 2026-11-24T13:05:12Z")
        case .repeatedRow:
            return rowProblem("c.mp4,alice,present,no,,", "a second label for clip c.mp4, rater alice, criterion present (first at line 2); keep one row each")
        case .repeatedRowBySHA:
            return rowProblem("\(cSHA),alice,present,yes,,", "a second label for clip c.mp4, rater alice, criterion present (first at line 2); keep one row each")
        case .missingColumn:
            return parseProblem(Data("clip,rater,value\nc.mp4,alice,yes\n".utf8), line: 1,
                                "missing column 'criterion'; the header must name clip, rater, criterion and value (optional: frame, submitted_at, batch, confidence, sample)")
        case .duplicateColumn:
            return parseProblem(Data("clip,rater,criterion,value,value\nc.mp4,alice,present,yes,yes\n".utf8), line: 1,
                                "the column 'value' appears twice in the header")
        case .invalidUTF8:
            var bytes = Data((Self.header + Self.goodRows + "a.mp4,bob,notes,caf").utf8)
            bytes.append(0xE9)
            bytes.append(contentsOf: Array(",,\n".utf8))
            return parseProblem(bytes, line: 4, "invalid UTF-8 (byte 0xE9 at byte 20 of the line); save the file as UTF-8")
        case .emptyFile:
            return parseProblem(Data(), line: nil, "the file is empty; expected a header line 'clip,rater,criterion,value' and one row per label")
        case .blankLinesOnly:
            return parseProblem(Data("\n  \n\n".utf8), line: nil, "the file is empty; expected a header line 'clip,rater,criterion,value' and one row per label")
        case .wrongFieldCount:
            return parseProblem(rows("a.mp4,bob,present,no,,,\n"), line: 4, "expected 6 fields as in the header, found 7")
        case .emptyValue:
            return parseProblem(rows("a.mp4,bob,present,,,\n"), line: 4, "the value is empty; every row needs clip, rater, criterion and value")
        case .unterminatedQuote:
            return parseProblem(rows("a.mp4,bob,notes,\"never closed,,\n"), line: 4, "a quoted field is never closed; add the closing '\"'")
        case .textAfterQuote:
            return parseProblem(rows("a.mp4,bob,notes,\"quoted\"tail,,\n"), line: 4,
                                "text after a closing quote; a quote inside a quoted field is written '\"\"'")
        case .missingFile:
            return (Data(), ["--missing"], { "concord: \($0): cannot open: No such file or directory\n" })
        case .directory:
            return (Data(), ["--directory"], { "concord: \($0): is a directory; give a CSV file\n" })
        case .unknownBatch:
            return (rows(""), ["--batch", "b7"], { _ in "concord: no batch named 'b7'; batches: b1\n" })
        }
    }

    /// Every case on SQLite; on PostgreSQL one of each kind of problem a row can have
    /// against the project (clip, rater, criterion, value, condition, frame, time, repeat,
    /// batch) and one the CSV reader refuses. (PostgresOperationsImportTests gives the
    /// database's import function a file of 23 problems.)
    static let labelCases: [(StoreKind, BadLabels)] = BadLabels.allCases.map { (.sqlite, $0) }
        + StoreKind.postgresIfAvailable.flatMap { kind in
            [BadLabels.unknownSHAPrefix, .unknownRater, .auditorAsRater, .unknownCriterion, .valueNotAnOption, .offStep,
             .hiddenByAnswerInProject, .frameOutsideClip, .submittedAtBadMonth, .repeatedRowBySHA, .unknownBatch,
             .invalidUTF8].map { (kind, $0) }
        }

    @Test(arguments: labelCases)
    func badLabelsImportNothing(_ store: StoreKind, _ kind: BadLabels) throws {
        let project = try Standard.forReading(store)
        defer { project.remove() }
        let (bytes, extra, message) = try labelCase(kind, project: project)
        var file = project.dir + "/labels-\(kind.rawValue).csv"
        var arguments = extra
        if extra == ["--missing"] {
            file = project.dir + "/nowhere.csv"
            arguments = []
        } else if extra == ["--directory"] {
            file = project.dir
            arguments = []
        } else {
            try writeFile(file, bytes)
        }
        try expectRejected(project, ["label", "import", file] + arguments, stderr: message(file))
    }

    /// Every problem in a file is reported, in line order, each with its line; 20 at most.
    @Test(arguments: StoreKind.available)
    func everyProblemIsNamedByLine(_ kind: StoreKind) throws {
        let project = try Standard.forReading(kind)
        defer { project.remove() }
        let file = project.dir + "/many.csv"
        try writeFile(file, Self.header + """
        c.mp4,alice,present,yes,,
        x.mp4,alice,present,yes,,
        c.mp4,zed,present,yes,,
        c.mp4,alice,speed,fast,,
        c.mp4,alice,ttc,11,,
        c.mp4,alice,severity,moderate,,
        b.mp4,bob,severity,minor,,
        c.mp4,alice,present,yes,,

        """)
        try expectRejected(project, ["label", "import", file], stderr: """
        concord: \(file): 6 problems; nothing was imported
        \(file):3: no clip named 'x.mp4' in the project; add it with concord clip add, or use its SHA-256 (12+ hex digits)
        \(file):4: no rater named 'zed'; add them with: concord rater add zed --role rater
        \(file):5: the rubric 'av-cut-in' of batch 'b1' has no criterion 'speed'; criteria: present, severity, ego-response, ttc, notes
        \(file):6: ttc: expected a number from 0 to 10 in steps of 0.1; found '11'
        \(file):8: severity is only asked when present is yes, which this rater's answers for b.mp4 do not meet
        \(file):9: a second label for clip c.mp4, rater alice, criterion present (first at line 2); keep one row each

        """)

        let many = project.dir + "/more.csv"
        try writeFile(many, Self.header + Self.goodRows + (1...25).map { "a.mp4,rater\($0),present,yes,," }.joined(separator: "\n") + "\n")
        try expectRejected(project, ["label", "import", many], stderr: "concord: \(many): 25 problems; nothing was imported\n"
            + (1...20).map { "\(many):\($0 + 3): no rater named 'rater\($0)'; add them with: concord rater add rater\($0) --role rater\n" }.joined()
            + "… and 5 more\n")
    }
}
