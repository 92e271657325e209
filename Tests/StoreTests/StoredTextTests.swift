import Foundation
import PostgresClient
import Rubric
import Store
import Testing

/// The workbench's values and notes are held to the same rule as imports: no NUL and no
/// C0 control but TAB and LF is stored (StoredText), so what is stored is what the audit
/// digest covers. On both stores.
@Suite struct StoredTextTests {
    static func project(_ kind: StoreKind) throws -> (TestProject, ProjectSession) {
        let project = try TestProject.empty(kind)
        let admin = project.admin
        _ = try admin.addRubric(try Rubric.parse("""
            name: notes
            criteria:
              - id: present
                question: Is there a cut-in?
                scale: nominal
                options: ["yes", "no"]
              - id: why
                question: Why?
                scale: text
                required: false
            """, file: "notes.yaml"), sourcePath: "notes.yaml")
        try project.addRater("alice", role: .rater)
        _ = try admin.addClips([ClipFacts(path: "/clips/c1.mp4", name: "c1.mp4", sha256: String(repeating: "1", count: 64), sizeBytes: 100,
                                          codec: "h264", duration: 1, frameRate: 25, frameCount: 25, width: 64, height: 48, rotation: 0)],
                               batch: "b", rubric: "notes")
        _ = try admin.assign(batch: "b", raters: ["alice"], overlap: nil, goldRate: nil)
        return (project, try project.session("alice"))
    }

    static let tail = "; a value may hold tabs and line feeds but no other control character: remove it"

    @Test(arguments: StoreKind.all)
    func workbenchValuesAndNotesWithControlsAreRefused(kind: StoreKind) throws {
        let (project, alice) = try Self.project(kind)
        let admin = project.admin
        let events = try admin.verifyAudit().events
        #expect(throws: StoreError(.input, "the value of why contains the control character NUL (U+0000) at character 4" + Self.tail)) {
            try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "yes", "why": "cut\u{0}short"], frame: 0, pts: 0, dwellMs: 1, watchedShare: 1))
        }
        #expect(throws: StoreError(.input, "the value of why contains the control character ESC (U+001B) at character 1" + Self.tail)) {
            try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "yes", "why": "\u{1B}]0;title\u{7}"], frame: 0, pts: 0, dwellMs: 1, watchedShare: 1))
        }
        #expect(throws: StoreError(.input, "the note contains the control character U+0001 at character 2" + Self.tail)) {
            try alice.markItem(1, kind: .flag, note: "a\u{1}b")
        }
        #expect(throws: StoreError(.input, "the reason contains the control character BS (U+0008) at character 3" + Self.tail)) {
            try alice.markItem(1, kind: .skip, note: "no\u{8}pe")
        }
        let other = try project.otherLocation()
        #expect(throws: StoreError(.input, "the project name contains the control character CR (U+000D) at character 2" + Self.tail)) {
            _ = try ProjectStore.create(path: other, name: "a\rb", admin: "admin")
        }
        switch kind {
        case .sqlite:
            #expect(!FileManager.default.fileExists(atPath: other))
        case .postgres:
            #expect(throws: StoreError(.project, "\(redacted(other)) is not a concord project: its database has no concord schema; "
                                       + "create one in an empty database with: concord init --project URI")) {
                try ProjectStore.open(path: other)
            }
        }
        // Nothing was written; TAB and LF are text and are kept exactly.
        #expect(try admin.verifyAudit().events == events)
        try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "yes", "why": "a\tb\nc"], frame: 0, pts: 0, dwellMs: 1, watchedShare: 1))
        #expect(try alice.exportLabels().map(\.value) == ["yes", "a\tb\nc"])
        #expect(try admin.verifyAudit().intact)
    }
}
