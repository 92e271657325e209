import Foundation
import Rubric
@testable import Store
import Testing

/// What each submission was judged on (`ItemSubmission.display` → `submission_display`),
/// the same on both stores: written with the submission, shown by `exportLabels` on the
/// labels that submission wrote, covered by the audit log, refused when it cannot be stored,
/// and, on PostgreSQL, read by a rater for their own submissions only.
@Suite struct SubmissionDisplayTests {
    static let kitty = DisplayRecord(mode: .kitty, width: 640, height: 360, colors: "24-bit", speeds: [2, 1, 0.5, 1])

    /// The export's display columns per (clip, rater, criterion).
    static func displays(_ session: ProjectSession) throws -> [String] {
        try session.exportLabels().map {
            "\($0.clip) \($0.rater) \($0.criterion): \($0.display ?? "-") \($0.displaySize ?? "-") \($0.colors ?? "-") [\($0.speeds ?? "-")]"
        }
    }

    @Test(arguments: StoreKind.all)
    func recordedWithTheSubmissionAndExportedOnItsLabels(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        let alice = try project.session("alice"), bob = try project.session("bob")
        try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "yes", "severity": "low"], frame: 3, pts: 0.12,
                                            dwellMs: 800, watchedShare: 1, display: Self.kitty))
        try alice.submitItem(ItemSubmission(item: 2, answers: ["present": "no"], frame: 0, pts: 0, dwellMs: 100, watchedShare: 0.5))
        try bob.submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: 0, pts: 0, dwellMs: 100, watchedShare: 1,
                                          display: DisplayRecord(mode: .sixel, width: 630, height: 354, colors: "16")))
        // Alice again on item 1 in a half-block terminal: severity changes, present does not,
        // so present keeps the display it was judged on (kitty) and severity takes the new one.
        try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "yes", "severity": "high"], frame: 3, pts: 0.12,
                                            dwellMs: 800, watchedShare: 1,
                                            display: DisplayRecord(mode: .blocks, width: 80, height: 44, colors: "none")))
        #expect(try Self.displays(project.admin) == [
            "c1.mp4 alice present: kitty 640x360 24-bit [0.5,1,2]",
            "c1.mp4 alice severity: blocks 80x44 none []",
            "c1.mp4 bob present: sixel 630x354 16 []",
            "c2.mp4 alice present: - - - [-]",
        ])
        let rows = try project.store.read { db in
            try db.rows("SELECT submission_id, mode, width, height, colors, speeds FROM submission_display ORDER BY id").map {
                "\($0["submission_id"] as Int64) \($0["mode"] as String) \($0["width"] as Int)x\($0["height"] as Int) \($0["colors"] as String) '\($0["speeds"] as String)'"
            }
        }
        #expect(rows == ["1 kitty 640x360 24-bit '0.5,1,2'", "3 sixel 630x354 16 ''", "4 blocks 80x44 none ''"])
        let audit = try project.admin.verifyAudit()
        #expect(audit.problems == [])
        #expect(audit.intact)
    }

    @Test(arguments: StoreKind.all)
    func aDisplayThatCannotBeStoredRefusesTheWholeSubmission(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        let alice = try project.session("alice")
        let bad: [(DisplayRecord, String)] = [
            (DisplayRecord(mode: .sixel, width: 640, height: 360, colors: "300"),
             "the display's colours '300' are not 24-bit, none or a palette size from 1 to 256"),
            (DisplayRecord(mode: .sixel, width: 640, height: 360, colors: "0256"),
             "the display's colours '0256' are not 24-bit, none or a palette size from 1 to 256"),
            (DisplayRecord(mode: .kitty, width: -1, height: 360, colors: "24-bit"),
             "the display's picture size -1x360 is not between 0x0 and 100000x100000"),
            (DisplayRecord(mode: .kitty, width: 640, height: 360, colors: "24-bit", speeds: [0]),
             "the playback speed 0 is not at least 0.01 and at most 64"),
        ]
        for (display, message) in bad {
            #expect(throws: StoreError.input(message)) {
                try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: 0, pts: 0, dwellMs: 1, watchedShare: 1,
                                                    display: display))
            }
        }
        let counts = try project.store.read { db in
            [try db.value(Int.self, "SELECT count(*) FROM submission"), try db.value(Int.self, "SELECT count(*) FROM submission_display")]
        }
        #expect(counts == [0, 0])
    }

    /// Row-level security as on `submission`: a rater reads the displays of their own
    /// submissions only; leads and auditors read all (PostgreSQL: a project file is one file).
    @Test(arguments: StoreKind.all.filter { $0 == .postgres })
    func aRaterReadsOnlyTheirOwnDisplays(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        try project.session("alice").submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: 0, pts: 0, dwellMs: 1,
                                                               watchedShare: 1, display: Self.kitty))
        try project.session("bob").submitItem(ItemSubmission(item: 1, answers: ["present": "yes", "severity": "low"], frame: 0, pts: 0, dwellMs: 1,
                                                             watchedShare: 1, display: DisplayRecord(mode: .ascii, width: 80, height: 40, colors: "none")))
        func modes(_ person: String) throws -> [String] {
            try project.store(as: person).read { db in try db.values(String.self, "SELECT mode FROM submission_display ORDER BY id") }
        }
        #expect(try modes("alice") == ["kitty"])
        #expect(try modes("bob") == ["ascii"])
        #expect(try modes("aud") == ["kitty", "ascii"])
        #expect(try modes("admin") == ["kitty", "ascii"])
        #expect(try Self.displays(project.session("bob")) == ["c1.mp4 bob present: ascii 80x40 none []",
                                                               "c1.mp4 bob severity: ascii 80x40 none []"])
    }

    @Test func speedsAreStoredInOneSpelling() {
        #expect(DisplayRecord(mode: .kitty, width: 1, height: 1, colors: "24-bit", speeds: [4, 0.25, 1, 1]).speedsText == "0.25,1,4")
        #expect(DisplayRecord(mode: .kitty, width: 1, height: 1, colors: "24-bit").speedsText == "")
        #expect(DisplayRecord(mode: .kitty, width: 640, height: 360, colors: "24-bit").sizeText == "640x360")
    }
}
