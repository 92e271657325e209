import Foundation
import Testing

/// `concord rate` in a real terminal (tmux), at 120×40 and 80×24: rating by keys, what is
/// saved, revisions, resizing, kill -9 and resuming, signals, and the terminal restored.
@Suite(.serialized, .tmuxLeftoverCheck) struct RateTmuxTests {
    /// Three clips (a, b, c; 1 s at 25 fps) in batch b1 with the av-cut-in rubric, all
    /// assigned to the test's own login (the project's admin).
    static func project() throws -> Project {
        let template = try TemplateCache.shared.project("rate") {
            let project = try Project.create("rate")
            try project.ok(["rubric", "add", Standard.rubric])
            try Clips.make(project.dir + "/a.mp4", source: "testsrc", size: "160x120")
            try Clips.make(project.dir + "/b.mp4", source: "testsrc2", size: "176x144")
            try Clips.make(project.dir + "/c.mp4", source: "mandelbrot", size: "160x120")
            try project.ok(["clip", "add", project.dir + "/a.mp4", project.dir + "/b.mp4", project.dir + "/c.mp4",
                            "--batch", "b1", "--rubric", "av-cut-in"])
            try project.ok(["assign", "--batch", "b1", "--raters", testLogin])
            return project
        }
        return try template.copy()
    }

    static func rate(_ project: Project, columns: Int = 120, rows: Int = 40, extra: String = "") throws -> TmuxSession {
        let session = try TmuxSession("'\(CLI.binary.path)' rate --project '\(project.db)' \(extra)", columns: columns, rows: rows)
        try session.wait(for: "item ")
        return session
    }

    /// Own current labels as "clip criterion=value rN".
    static func labels(_ project: Project) throws -> [String] {
        exportedRows(try project.ok(["label", "export"])).map { "\($0["clip"]!) \($0["criterion"]!)=\($0["value"]!) r\($0["revision"]!)" }
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func rateThreeItemsByKeysThenQuit(size: (Int, Int)) throws {
        let project = try Self.project()
        let tui = try Self.rate(project, columns: size.0, rows: size.1)
        let first = try tui.wait(for: "item 1 of 3 with the clip") { $0.contains("item 1 of 3") && $0.contains("frame 0/24") }
        #expect(first.contains("Does another road user cut in"))
        #expect(first.contains("1 yes"))
        // a: yes, severe (4), good (4), ttc 1.5, a note; then Enter submits.
        try tui.send("1")
        try tui.wait(for: "How severe is the cut-in?")
        try tui.send("4", "4")
        try tui.type("1.5")
        try tui.send("Enter")
        try tui.send("e")
        try tui.type("merged late")
        try tui.send("Enter")
        try tui.wait(for: "Enter: submit this item")
        try tui.send("Enter")
        try tui.wait(for: "item 2 of 3")
        // b: no → the conditional criteria never appear.
        try tui.send("2")
        let b = try tui.wait(for: "Enter: submit this item")
        #expect(!b.contains("How severe is the cut-in?"))
        try tui.send("Enter")
        try tui.wait(for: "item 3 of 3")
        // c: step a few frames first, so the label records the frame on screen.
        try tui.send("Right", "Right", "Right")
        try tui.wait(for: "frame 3/24")
        try tui.send("3", "Enter")
        try tui.wait(for: "All 3 items in your queue are done")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        let (before, after) = try tui.sttyBeforeAndAfter()
        #expect(before == after)
        #expect(try tui.screen().contains("3 items submitted this session; 3 of 3 done"))
        #expect(try Self.labels(project) == ["a.mp4 ego-response=good r1", "a.mp4 notes=merged late r1", "a.mp4 present=yes r1",
                                              "a.mp4 severity=severe r1", "a.mp4 ttc=1.5 r1", "b.mp4 present=no r1",
                                              "c.mp4 present=unclear r1"])
        let c = try #require(exportedRows(try project.ok(["label", "export"])).first { $0["clip"] == "c.mp4" })
        #expect(c["frame"] == "3" && c["pts"] == "0.12")
        #expect(c["watched"] == "0.16")   // frames 0–3 of 25 seen
        let a = try #require(exportedRows(try project.ok(["label", "export"])).first { $0["clip"] == "a.mp4" })
        #expect(a["watched"] == "0.04" && Int(a["dwell_ms"] ?? "") ?? 0 > 0)
        #expect(try project.ok(["audit", "verify"]).contains("intact"))
    }

    @Test func reviseWithUAndResizeMidSession() throws {
        let project = try Self.project()
        let tui = try Self.rate(project, columns: 80, rows: 24)
        try tui.send("2", "Enter")
        try tui.wait(for: "item 2 of 3")
        try tui.resize(columns: 120, rows: 40)
        let wide = try tui.wait(for: "the 120×40 layout") {
            let lines = $0.components(separatedBy: "\n")
            return lines.count >= 40 && !lines[39].isEmpty && $0.contains("item 2 of 3")
        }
        #expect(wide.contains("Does another road user cut in ahead of ego?"))
        try tui.resize(columns: 60, rows: 20)
        try tui.wait(for: "needs a terminal of at least 80×24")
        try tui.resize(columns: 100, rows: 30)
        try tui.wait(for: "item 2 of 3")
        // u reopens a.mp4 with its saved answer; change it to yes → severe etc.
        try tui.send("u")
        try tui.wait(for: "revising a.mp4")
        try tui.send("1", "2", "3")
        try tui.type("4")
        try tui.send("Enter", "Enter")
        try tui.wait(for: "item 2 of 3")   // back to the first unfinished item
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        #expect(try Self.labels(project) == ["a.mp4 ego-response=acceptable r1", "a.mp4 present=yes r2",
                                              "a.mp4 severity=minor r1", "a.mp4 ttc=4 r1"])
        let history = try project.sql("SELECT value || ' r' || revision FROM label WHERE criterion = 'present' ORDER BY id;")
        #expect(history == "no r1\nyes r2\n")
    }

    @Test func killNineLosesNothingSubmittedAndResumes() throws {
        let project = try Self.project()
        let tui = try Self.rate(project)
        try tui.send("2", "Enter")
        try tui.wait(for: "item 2 of 3")
        try tui.send("3", "Enter")
        try tui.wait(for: "item 3 of 3")
        try tui.send("1")   // answered on screen but not submitted: not saved, by design
        try tui.wait(for: "How severe is the cut-in?")
        kill(try tui.commandPID(), SIGKILL)
        #expect(try tui.exitStatus() == 137)
        #expect(try Self.labels(project) == ["a.mp4 present=no r1", "b.mp4 present=unclear r1"])
        let again = try Self.rate(project)
        let screen = try again.wait(for: "item 3 of 3")
        #expect(screen.contains("c.mp4"))
        try again.send("q")
        #expect(try again.exitStatus() == 0)
        #expect(try project.ok(["audit", "verify"]).contains("intact"))
    }

    /// Asked to stop (TERM, HUP, INT) or crashed (SEGV, ILL — a Swift trap —, ABRT, BUS):
    /// the terminal is put back either way; a crash still dies of its signal.
    @Test(arguments: [("TERM", SIGTERM), ("HUP", SIGHUP), ("INT", SIGINT), ("SEGV", SIGSEGV), ("ILL", SIGILL), ("ABRT", SIGABRT), ("BUS", SIGBUS)])
    func signalsRestoreTheTerminal(signal: (String, Int32)) throws {
        let project = try Self.project()
        let tui = try Self.rate(project)
        try tui.send("2", "Enter")
        try tui.wait(for: "item 2 of 3")
        kill(try tui.commandPID(), signal.1)
        #expect(try tui.exitStatus() == 128 + signal.1)
        let (before, after) = try tui.sttyBeforeAndAfter()
        #expect(before == after, "SIG\(signal.0) left the terminal changed")
        #expect(try Self.labels(project) == ["a.mp4 present=no r1"])
    }

    @Test func ctrlCQuitsAndHelpShowsTheKeys() throws {
        let project = try Self.project()
        let tui = try Self.rate(project)
        try tui.send("?")
        let help = try tui.wait(for: "play / pause")
        #expect(help.contains("reopen the previous item"))
        try tui.send("x")
        try tui.wait(for: "1–9 answer")
        try tui.send("C-c")
        #expect(try tui.exitStatus() == 0)
        let (before, after) = try tui.sttyBeforeAndAfter()
        #expect(before == after)
    }

    @Test func withoutATerminalItSaysSo() throws {
        let project = try Self.project()
        let result = try project.run(["rate"])
        #expect(result.status == 2)
        #expect(concordMessage(result.stderr) == "concord: rate needs a terminal (standard input and output are not one); run it in a terminal or over ssh -t\n")
    }

    @Test func aSentBackItemReentersTheQueueAndTrainingShowsGoldAfterSubmitting() throws {
        let project = try Standard.copy()
        try project.ok(["send-back", "a.mp4", "--raters", "bob", "--note", "look at 2 s again"], as: "lena")
        let bob = try TmuxSession("'\(CLI.binary.path)' rate --project '\(project.db)' --as bob")
        let screen = try bob.wait(for: "sent back by the lead: look at 2 s again")
        #expect(screen.contains("item 1 of 3") && screen.contains("a.mp4"))
        try bob.send("Enter")                     // unchanged answers: resubmitted as they are
        try bob.wait(for: "item 3 of 3")          // c.mp4 is bob's next unfinished item
        try bob.send("q")
        #expect(try bob.exitStatus() == 0)
        let again = try TmuxSession("'\(CLI.binary.path)' rate --project '\(project.db)' --as bob")
        let resumed = try again.wait(for: "item 3 of 3")
        #expect(!resumed.contains("sent back"))
        try again.send("q")

        // A training item (gold add --training): only those show their gold answer in training.
        try project.ok(["gold", "add", "a.mp4", "--criterion", "present", "--value", "yes", "--training"], as: "lena")
        let alice = try TmuxSession("'\(CLI.binary.path)' rate --project '\(project.db)' --as alice --training")
        let before = try alice.wait(for: "item 1 of 3")
        #expect(!before.contains("gold"))         // never before submitting
        try alice.send("4")                       // ego-response good; present and severity were given
        try alice.type("2.5")
        try alice.send("Enter", "Enter")
        try alice.wait(for: "gold answers of the item you just submitted: present yes ✓")
        try alice.send("q")
        #expect(try alice.exitStatus() == 0)
    }

    @Test func skipWithAReasonAndFlagWithANoteByKeys() throws {
        let project = try Self.project()
        let tui = try Self.rate(project)
        try tui.wait(for: "item 1 of 3")
        try tui.send("f")
        try tui.wait(for: "Flag for the lead")
        try tui.type("glare at the end")
        try tui.send("Enter")
        try tui.wait(for: "flagged a.mp4 for the lead")
        try tui.send("s", "Enter")
        try tui.wait(for: "a skip needs a reason")
        try tui.send("s")
        try tui.type("camera covered")
        try tui.send("Enter")
        try tui.wait(for: "item 2 of 3")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        #expect(try project.sql("SELECT c.name || '|' || m.kind || '|' || m.note FROM item_mark m JOIN item i ON i.id = m.item_id JOIN clip c ON c.id = i.clip_id ORDER BY m.id;")
                == "a.mp4|flag|glare at the end\na.mp4|skip|camera covered\n")
        let status = try project.ok(["status", "--format", "json"])
        #expect(status.contains(#""skipped": 1, "flagged": 1"#))
        // A flag puts an item in the lead's queue only once it has a vote: a.mp4 has none yet.
        #expect(try project.ok(["queue"]) == "batch b1: the adjudication queue is empty (no disagreeing or flagged item awaits a decision)\n")
    }
}
