import Foundation
@testable import Store
import Testing

/// Every read is decided by the permission table, not by role names written into the read:
/// changing one cell changes what that role sees. (`Permission.readAllLabels` once existed
/// while `exportLabels` and `status` decided by `role == .admin || .lead`.)
@Suite struct PermissionTableTests {
    static func table(_ permission: Permission, _ role: Role, _ allowed: Bool) -> PermissionTable {
        PermissionTable(changed: [PermissionTable.Cell(permission: permission, role: role): allowed])
    }

    /// alice and bob have each labelled item 1 (present only, so imported: a workbench
    /// submission of "yes" must also answer severity); lena is a lead who labelled nothing.
    static func project() throws -> (ProjectStore, ProjectSession) {
        let (store, admin) = try StoreTests.project()
        try admin.addRater("lena", role: .lead)
        _ = try admin.importLabels([LabelImportRow(line: 2, clip: "c1.mp4", rater: "alice", criterion: "present", value: "yes"),
                                    LabelImportRow(line: 3, clip: "c1.mp4", rater: "bob", criterion: "present", value: "no")],
                                   file: "labels.csv", fileSHA256: "x")
        return (store, admin)
    }

    static func seen(_ labels: [ExportedLabel]) -> [String] { labels.map { "\($0.rater)=\($0.value)" } }

    @Test func readAllLabelsDecidesWhoseLabelsAnExportHolds() throws {
        let (store, _) = try Self.project()
        let alice = try store.session(login: "admin", actingAs: "alice")
        let lena = try store.session(login: "admin", actingAs: "lena")
        #expect(Self.seen(try alice.exportLabels()) == ["alice=yes"])
        #expect(Self.seen(try lena.exportLabels()) == ["alice=yes", "bob=no"])
        #expect(Self.seen(try alice.with(Self.table(.readAllLabels, .rater, true)).exportLabels()) == ["alice=yes", "bob=no"])
        #expect(Self.seen(try lena.with(Self.table(.readAllLabels, .lead, false)).exportLabels()) == [])   // her own: none
        #expect(throws: StoreError(.permission, "alice is a rater and cannot read labels (raters see their own; leads and admins all)")) {
            try alice.with(Self.table(.readOwnLabels, .rater, false)).exportLabels()
        }
    }

    @Test func readAggregatesDecidesWhoseLinesStatusShows() throws {
        let (store, _) = try Self.project()
        let alice = try store.session(login: "admin", actingAs: "alice")
        let aud = try store.session(login: "aud")
        func lines(_ session: ProjectSession) throws -> [String] { try session.status().flatMap { $0.raters.map(\.rater) } }
        #expect(try lines(alice) == ["alice"])
        #expect(try lines(aud) == ["alice", "bob"])
        #expect(try lines(alice.with(Self.table(.readAggregates, .rater, true))) == ["alice", "bob"])
        #expect(throws: StoreError(.permission, "aud is an auditor and cannot read labels (raters see their own; leads and admins all)")) {
            try aud.with(Self.table(.readAggregates, .auditor, false)).status()
        }
    }

    @Test func submitLabelsDecidesWhoHasAQueue() throws {
        let (store, _) = try Self.project()
        let aud = try store.session(login: "aud")
        #expect(throws: StoreError(.permission, "aud is an auditor and has no labeling queue")) { try aud.assignedItems() }
        #expect(try aud.with(Self.table(.submitLabels, .auditor, true)).assignedItems() == [])
        let alice = try store.session(login: "admin", actingAs: "alice")
        #expect(throws: StoreError(.permission, "alice is a rater and has no labeling queue")) {
            try alice.with(Self.table(.submitLabels, .rater, false)).ratingQueue()
        }
    }
}
