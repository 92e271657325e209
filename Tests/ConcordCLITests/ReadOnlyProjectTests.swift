import Foundation
import Testing

/// Writing into a project the OS user may read but not write gives one line naming the
/// file, its mode, owner and group and what to change, not SQLite's "attempt to write a
/// readonly database"; nothing is written. Run for real as `nobody` in a group that only
/// `setpriv --groups` grants (SecurityProjectFileTests' helpers).
/// SQLite only: file modes (what a PostgreSQL login may write is its role's: PostgresRoleTests).
@Suite(.serialized) struct ReadOnlyProjectTests {
    @Test(.enabled(if: SecurityProjectFileTests.canSwitchUsers))
    func aProjectReadOnlyForTheUserIsRefusedWithWhatToChange() throws {
        let nobody = SecurityProjectFileTests.name(65534)
        let project = try Standard.copy()
        defer { project.remove() }
        try project.ok(["rater", "add", nobody, "--role", "lead"])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratchRoot)
        let group = SecurityProjectFileTests.group
        #expect(chown(project.dir, uid_t.max, group) == 0 && chmod(project.dir, 0o2770) == 0)
        for file in try FileManager.default.contentsOfDirectory(atPath: project.dir) {
            #expect(chown(project.dir + "/" + file, uid_t.max, group) == 0 && chmod(project.dir + "/" + file, 0o640) == 0)
        }
        let labels = project.dir + "/more.csv"
        try writeFile(labels, "clip,rater,criterion,value\nb.mp4,bob,present,yes\n")
        let rubric = project.dir + "/r.yaml"
        try writeFile(rubric, "name: other\ncriteria:\n  - id: p\n    question: Is it?\n    scale: nominal\n    options: [\"yes\", \"no\"]\n")
        for file in [labels, rubric] { #expect(chmod(file, 0o644) == 0) }
        let before = try project.snapshot()
        let owner = SecurityProjectFileTests.name(getuid())
        let expected = "concord: cannot write the project \(project.db): it is read-only for \(nobody) (mode 0640, owner \(owner), group \(group)); nothing was changed; a shared project needs read and write for its group (files 0660, directory 2770): ask its admin to fix the mode or group, or to add your login to that group (docs/security.md)\n"
        for arguments in [["label", "import", labels], ["rubric", "add", rubric]] {
            let result = try SecurityProjectFileTests.runAs(65534, member: true, CLI.binary.path, arguments + ["--project", project.db])
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stdout == "")
            #expect(concordMessage(result.stderr) == expected, "\(arguments)")
        }
        // Reading still works for them.
        #expect(try SecurityProjectFileTests.runAs(65534, member: true, CLI.binary.path, ["status", "--project", project.db]).status == 0)
        #expect(try project.snapshot() == before)
    }
}
