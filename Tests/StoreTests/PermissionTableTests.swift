import Foundation
@testable import Store
import Testing

/// Every read is decided by the permission table, not by role names written into the read:
/// changing one cell changes what that role sees. (`Permission.readAllLabels` once existed
/// while `exportLabels` and `status` decided by `role == .admin || .lead`.) On PostgreSQL a
/// cell can only narrow it: the server's grants and row security bound every read
/// (PostgresRoleTests).
@Suite struct PermissionTableTests {
    static func table(_ permission: Permission, _ role: Role, _ allowed: Bool) -> PermissionTable {
        PermissionTable(changed: [PermissionTable.Cell(permission: permission, role: role): allowed])
    }

    /// alice and bob have each labelled item 1 (present only, so imported: a workbench
    /// submission of "yes" must also answer severity); lena is a lead who labelled nothing.
    static func project(_ kind: StoreKind) throws -> TestProject {
        let project = try TestProject.demo(kind)
        try project.addRater("lena", role: .lead)
        _ = try project.admin.importLabels([LabelImportRow(line: 2, clip: "c1.mp4", rater: "alice", criterion: "present", value: "yes"),
                                    LabelImportRow(line: 3, clip: "c1.mp4", rater: "bob", criterion: "present", value: "no")],
                                   file: "labels.csv", fileSHA256: "x")
        return project
    }

    static func seen(_ labels: [ExportedLabel]) -> [String] { labels.map { "\($0.rater)=\($0.value)" } }

    @Test(arguments: StoreKind.all)
    func readAllLabelsDecidesWhoseLabelsAnExportHolds(kind: StoreKind) throws {
        let project = try Self.project(kind)
        let alice = try project.session("alice")
        let lena = try project.session("lena")
        #expect(Self.seen(try alice.exportLabels()) == ["alice=yes"])
        #expect(Self.seen(try lena.exportLabels()) == ["alice=yes", "bob=no"])
        // A client that widens its own table reads more from a project file; from PostgreSQL it
        // still reads what the server's row security lets alice see (docs/server.md).
        #expect(Self.seen(try alice.with(Self.table(.readAllLabels, .rater, true)).exportLabels())
                == (kind == .sqlite ? ["alice=yes", "bob=no"] : ["alice=yes"]))
        #expect(Self.seen(try lena.with(Self.table(.readAllLabels, .lead, false)).exportLabels()) == [])   // her own: none
        #expect(throws: StoreError(.permission, "alice is a rater and cannot read labels (raters see their own; leads and admins all)")) {
            try alice.with(Self.table(.readOwnLabels, .rater, false)).exportLabels()
        }
    }

    @Test(arguments: StoreKind.all)
    func readAggregatesDecidesWhoseLinesStatusShows(kind: StoreKind) throws {
        let project = try Self.project(kind)
        let alice = try project.session("alice")
        let aud = try project.session("aud")
        func lines(_ session: ProjectSession) throws -> [String] { try session.status().flatMap { $0.raters.map(\.rater) } }
        #expect(try lines(alice) == ["alice"])
        #expect(try lines(aud) == ["alice", "bob"])
        #expect(try lines(alice.with(Self.table(.readAggregates, .rater, true))) == (kind == .sqlite ? ["alice", "bob"] : ["alice"]))
        #expect(throws: StoreError(.permission, "aud is an auditor and cannot read labels (raters see their own; leads and admins all)")) {
            try aud.with(Self.table(.readAggregates, .auditor, false)).status()
        }
    }

    @Test(arguments: StoreKind.all)
    func submitLabelsDecidesWhoHasAQueue(kind: StoreKind) throws {
        let project = try Self.project(kind)
        let aud = try project.session("aud")
        #expect(throws: StoreError(.permission, "aud is an auditor and has no labeling queue")) { try aud.assignedItems() }
        #expect(try aud.with(Self.table(.submitLabels, .auditor, true)).assignedItems() == [])
        let alice = try project.session("alice")
        #expect(throws: StoreError(.permission, "alice is a rater and has no labeling queue")) {
            try alice.with(Self.table(.submitLabels, .rater, false)).ratingQueue()
        }
    }
}
