import Foundation
import Testing

/// `--clips DIR` and `CONCORD_CLIPS`: a project whose clips were added on another machine
/// (their recorded paths gone) rated with the rater's own copies under other names, a
/// tampered copy refused in the clip's pane, and a folder that cannot be searched refused
/// before anything starts (docs/project-file.md "Clips on the rater's machine").
@Suite(.serialized, .tmuxLeftoverCheck) struct RateClipsTests {
    static let demo = CLI.packageRoot.appendingPathComponent("assets/demo").path

    /// Two demo clips added from `DIR/added/`, which is then removed: the project's recorded
    /// paths no longer exist. Both items assigned to the test's login. A copy of one
    /// template, so the recorded paths are under the template's directory.
    static func template() throws -> Project {
        let template = try TemplateCache.shared.project("clips-moved") {
            let project = try Project.create("clips")
            try project.ok(["rubric", "add", Standard.rubric])
            let added = project.dir + "/added"
            try FileManager.default.createDirectory(atPath: added, withIntermediateDirectories: true)
            for name in ["cutin-left-close.mp4", "lead-brakes.mp4"] {
                try FileManager.default.copyItem(atPath: demo + "/" + name, toPath: added + "/" + name)
            }
            try project.ok(["clip", "add", added + "/cutin-left-close.mp4", added + "/lead-brakes.mp4", "--batch", "b1", "--rubric", "av-cut-in"])
            try project.ok(["assign", "--batch", "b1", "--raters", testLogin])
            try FileManager.default.removeItem(atPath: added)
            return project
        }
        return template
    }

    static func project() throws -> Project { try template().copy() }

    /// A folder of the rater's own: `files` maps a name inside it to the demo clip it copies.
    static func folder(_ project: Project, _ files: [String: String]) throws -> String {
        let dir = project.dir + "/mine"
        for (name, demoClip) in files {
            let path = dir + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: demo + "/" + demoClip, toPath: path)
        }
        return dir
    }

    static func rate(_ project: Project, _ options: String) throws -> TmuxSession {
        try TmuxSession("XDG_CACHE_HOME='\(project.dir)/cache' '\(CLI.binary.path)' rate --project '\(project.db)' \(options)",
                        label: "clips")
    }

    /// The clip pane's text (the 71 columns left of the rubric at 120 columns), all
    /// whitespace removed: the message is wrapped, and a path broken, at the pane's width.
    static func paneText(_ screen: String) -> String {
        screen.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0.prefix(71)) }.joined().filter { !$0.isWhitespace }
    }

    static func hasPicture(_ screen: String) -> Bool { screen.contains("▀") || screen.contains("▄") }

    @Test func renamedCopiesInAClipsFolderArePlayed() throws {
        let project = try Self.project()
        let mine = try Self.folder(project, ["day1/first.bin": "cutin-left-close.mp4", "second": "lead-brakes.mp4"])
        let tui = try Self.rate(project, "--clips '\(mine)'")
        let first = try tui.wait(for: "the first clip's picture") { $0.contains("item 1 of 2") && Self.hasPicture($0) }
        #expect(first.contains("frame 0/124"))
        try tui.send("2", "Enter")   // present: no; submit
        try tui.wait(for: "the second clip's picture") { $0.contains("item 2 of 2") && Self.hasPicture($0) }
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        // Each file was hashed once and remembered, in the user's cache under XDG_CACHE_HOME.
        let cache = try String(contentsOfFile: project.dir + "/cache/concord/clip-hashes", encoding: .utf8)
        #expect(cache.contains(" \(mine)/day1/first.bin\n") && cache.contains(" \(mine)/second\n"))
        #expect(try project.ok(["label", "export"]).contains("cutin-left-close.mp4,\(testLogin),present,no,0,"))
    }

    @Test func aTamperedCopyIsRefusedInTheClipPane() throws {
        let project = try Self.project()
        // The first clip's name, a clip's bytes the project does not have.
        let mine = try Self.folder(project, ["cutin-left-close.mp4": "cutin-right-far.mp4"])
        let here = try Tool.sha256(Self.demo + "/cutin-right-far.mp4")
        let recorded = try Tool.sha256(Self.demo + "/cutin-left-close.mp4")
        let tui = try Self.rate(project, "--clips '\(mine)'")
        let expected = "the file \(mine)/cutin-left-close.mp4 is not the project's cutin-left-close.mp4: its SHA-256 differs "
            + "(\(here.prefix(12))… here, \(recorded.prefix(12))… in the project); "
            + "get the project's file from the lead, or pass the folder that has it with --clips. Skip it with s and a reason, or ask the lead."
        let screen = try tui.wait(for: "the refusal, whole") { Self.paneText($0).contains("itsSHA-256differs") && Self.paneText($0).contains("oraskthelead.") }
        #expect(Self.paneText(screen).contains(expected.filter { !$0.isWhitespace }), "\(screen)")
        #expect(!Self.hasPicture(screen))
        // The item can still be skipped, and the next clip (not in the folder, its recorded
        // path gone) says where concord looked.
        try tui.send("s")
        try tui.type("wrong file")
        try tui.send("Enter")
        let second = try tui.wait(for: "the second item") { $0.contains("item 2 of 2") && Self.paneText($0).contains("getthefilefromthelead") }
        let sha = try Tool.sha256(Self.demo + "/lead-brakes.mp4")
        let size = try FileManager.default.attributesOfItem(atPath: Self.demo + "/lead-brakes.mp4")[.size] as? Int ?? -1
        #expect(Self.paneText(second).contains(("the clip lead-brakes.mp4 is not on this machine: no file in --clips \(mine) or at its recorded path "
            + "\(try Self.template().dir)/added/lead-brakes.mp4 has its content (SHA-256 \(sha.prefix(12))…, \(size) bytes); "
            + "pass the folder that has it with --clips DIR (or CONCORD_CLIPS), or get the file from the lead.").filter { !$0.isWhitespace }),
            "\(second)")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
    }

    @Test func adjudicatePlaysTheLeadsOwnCopy() throws {
        let project = try Self.project()
        try project.ok(["rater", "add", "alice", "--role", "rater"])
        try project.ok(["rater", "add", "bob", "--role", "rater"])
        try writeFile(project.dir + "/votes.csv", "clip,rater,criterion,value\ncutin-left-close.mp4,alice,present,yes\ncutin-left-close.mp4,bob,present,no\n")
        try project.ok(["label", "import", project.dir + "/votes.csv"])
        let mine = try Self.folder(project, ["renamed.bin": "cutin-left-close.mp4"])
        let tui = try TmuxSession("XDG_CACHE_HOME='\(project.dir)/cache' '\(CLI.binary.path)' adjudicate --project '\(project.db)' --clips '\(mine)'",
                                  label: "clips-adjudicate")
        let screen = try tui.wait(for: "the entry with its clip's picture") { $0.contains("entry 1 of 1") && Self.hasPicture($0) }
        #expect(screen.contains("frame 0/124") && screen.contains("cutin-left-close.mp4"))
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
    }

    // MARK: - Folders refused at start

    @Test(arguments: ["rate", "adjudicate"])
    func aMissingClipsFolderIsOneLineAndChangesNothing(command: String) throws {
        let project = try Standard.copy()
        let before = try project.snapshot()
        let result = try CLI.run([command, "--project", project.db, "--clips", project.dir + "/nope"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "concord: --clips \(project.dir)/nope does not exist; pass a folder that holds the project's clips "
                + "(--clips DIR, repeatable, or CONCORD_CLIPS=DIR:DIR)\n")
        #expect(try project.snapshot() == before)
    }

    @Test func aClipsFolderThatIsAFileOrABadConcordClipsEntryIsRefused() throws {
        let project = try Standard.copy()
        let file = project.dir + "/file"
        try writeFile(file, "not a folder")
        let notFolder = try CLI.run(["rate", "--project", project.db, "--clips", project.dir, "--clips", file])
        #expect(notFolder.status == 2)
        #expect(notFolder.stderr == "concord: --clips \(file) is not a folder; pass a folder that holds the project's clips "
                + "(--clips DIR, repeatable, or CONCORD_CLIPS=DIR:DIR)\n")
        let environment = try CLI.run(["rate", "--project", project.db], environment: ["CONCORD_CLIPS": "\(project.dir)::\(project.dir)/gone"])
        #expect(environment.status == 2)
        #expect(environment.stderr == "concord: CONCORD_CLIPS names \(project.dir)/gone, which does not exist; pass a folder that holds "
                + "the project's clips (--clips DIR, repeatable, or CONCORD_CLIPS=DIR:DIR)\n")
    }

    /// Checked before the project is opened: the project here does not even exist.
    @Test(.enabled(if: SecurityProjectFileTests.canSwitchUsers, "needs root, setpriv and the nobody account"))
    func aClipsFolderTheUserCannotReadIsRefused() throws {
        let dir = try scratchDirectory("private-clips")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratchRoot)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir)
        let secret = dir + "/secret"
        try FileManager.default.createDirectory(atPath: secret, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let result = try SecurityProjectFileTests.runAs(65534, member: false, CLI.binary.path,
                                                        ["rate", "--project", dir + "/none.db", "--clips", secret])
        #expect(result.status == 2)
        #expect(result.stderr == "concord: --clips \(secret) cannot be read (Permission denied); pass a folder that holds the project's clips "
                + "(--clips DIR, repeatable, or CONCORD_CLIPS=DIR:DIR)\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/none.db"))
    }

    @Test(arguments: ["rate", "adjudicate"])
    func helpNamesTheOption(command: String) throws {
        let help = try CLI.run([command, "--help"])
        #expect(help.status == 0)
        let text = help.stdout.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        #expect(text.contains("--clips <DIR> A folder holding the project's clips under any names, searched with its subfolders and "
                              + "checked by SHA-256; repeatable. Then $CONCORD_CLIPS (DIR:DIR), then each clip's recorded path."), "\(help.stdout)")
    }
}
