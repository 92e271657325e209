import Foundation
import Testing

/// `concord adjudicate` in a real terminal (tmux, 120×40) on copies of the standard project
/// with more disagreement: the queue screen's votes, a decision keyed in and recorded, a
/// send-back and a rubric mark by keys; the dashboard against `concord agreement --batch`,
/// before and after another process imports labels; who may not use it; the terminal
/// given back.
@Suite(.serialized, .tmuxLeftoverCheck) struct AdjudicateTmuxTests {
    /// The standard project plus two labels that make b.mp4 and c.mp4 disagree on
    /// `present` too: the queue is c.mp4 (alice no, bob yes), a.mp4 (alice yes, bob no,
    /// lena yes), b.mp4 (alice no, bob no, lena yes), in that order.
    static func project(_ kind: StoreKind = .sqlite) throws -> Project {
        let project = try Standard.copy(kind)
        try writeFile(project.dir + "/more.csv", "clip,rater,criterion,value\nb.mp4,lena,present,yes\nc.mp4,alice,present,no\n")
        try project.ok(["label", "import", project.dir + "/more.csv"])
        return project
    }

    static func adjudicate(_ project: Project, as who: String = "lena") throws -> TmuxSession {
        try TmuxSession("'\(CLI.binary.path)' adjudicate --project '\(project.db)' --as \(who)", columns: 120, rows: 40, label: "adjudicate")
    }

    /// Decisions as "kind|value|reason|note|raters|lead", oldest first, by the sqlite3 CLI
    /// (a send-back's raters are `decision_rater` rows, schema v6).
    static func decisions(_ project: Project) throws -> [String] {
        try project.sql("""
            SELECT d.kind || '|' || coalesce(d.criterion, '') || '|' || coalesce(d.value, '') || '|' || coalesce(d.reason, '') || '|'
                   || coalesce(d.note, '') || '|'
                   || coalesce((SELECT group_concat(x.name, ',') FROM decision_rater dr JOIN rater x ON x.id = dr.rater_id WHERE dr.decision_id = d.id), '')
                   || '|' || r.name
            FROM decision d JOIN rater r ON r.id = d.lead_id ORDER BY d.id;
            """).split(separator: "\n").map(String.init)
    }

    @Test func votesThenResolveSendBackAndMarkByKeys() throws {
        let project = try Self.project()
        #expect(try project.ok(["queue"], as: "lena").hasPrefix("batch b1: 3 entries awaiting a decision\n"))
        let tui = try Self.adjudicate(project)
        // The queue screen and the clip's timeline beside it (the clip, as in rate).
        let first = try tui.wait(for: "entry 1 of 3 with the clip") { $0.contains("entry 1 of 3") && $0.contains("frame 0/24") }
        #expect(first.contains("batch b1 · present · lead lena · c.mp4"))
        #expect(first.contains("Does another road user cut in ahead of ego?"))
        #expect(first.contains("1 yes (1) · 2 no (1) · 3 unclear"))
        // Every vote with its rater (imported labels have no dwell time or watched share).
        #expect(first.contains("alice no         dwell — · seen —"))
        #expect(first.contains("bob   yes        dwell — · seen —"))
        #expect(first.contains("Count it when the other road user's wheels"))   // the rubric's help

        // Final value "no" (key 2), reason 1 (rater error), a rationale, Enter.
        try tui.send("2")
        try tui.wait(for: "final value no — why?")
        try tui.send("1")
        try tui.wait(for: "rationale: ")
        try tui.type("bob saw a shadow")
        try tui.send("Enter")
        let second = try tui.wait(for: "entry 2 of 3")
        #expect(second.contains("resolved c.mp4 present as no (rater error)"))
        #expect(second.contains("· a.mp4"))
        #expect(second.contains("lena  yes") && second.contains("m1    yes") && second.contains("· model"))
        // Committed before the screen moved on.
        #expect(try Self.decisions(project) == ["resolve|present|no|rater_error|bob saw a shadow||lena"])
        #expect(try project.ok(["queue"], as: "lena").hasPrefix("batch b1: 2 entries awaiting a decision\n"))

        // Send a.mp4 back to bob (rater 2 of alice, bob, lena) with a note.
        try tui.send("b")
        try tui.wait(for: "send back to (numbers toggle, Enter):")
        try tui.send("2")
        try tui.wait(for: "2 [x] bob")
        try tui.send("Enter")
        try tui.type("look again at 0.5 s")
        try tui.send("Enter")
        let third = try tui.wait(for: "entry 3 of 3")
        #expect(third.contains("sent a.mp4 back to bob"))
        #expect(try Self.decisions(project).last == "send_back||||look again at 0.5 s|bob|lena")

        // b.mp4: the rubric criterion needs revision (the entry stays open).
        try tui.send("x")
        try tui.type("say what counts as the lane marking")
        try tui.send("Enter")
        try tui.wait(for: "marked present of the rubric as needing revision")
        #expect(try Self.decisions(project).last == "needs_revision|present|||say what counts as the lane marking||lena")
        // G then an option's key: b.mp4's known answer for present becomes a gold question.
        try tui.send("G")
        try tui.wait(for: "gold answer: press the option's key")
        try tui.send("2")
        try tui.wait(for: "gold answer recorded: b.mp4 present = no")
        #expect(try project.sql("SELECT c.name || '|' || g.criterion || '|' || g.value || '|' || g.source FROM gold g JOIN item i ON i.id = g.item_id JOIN clip c ON c.id = i.clip_id;")
                == "b.mp4|present|no|manual\n")
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        let (before, after) = try tui.sttyBeforeAndAfter()
        #expect(before == after)
        #expect(try tui.screen().contains("concord adjudicate: 3 decisions this session; 2 of 3 queue entries decided"))
        #expect(try project.lastEvent() == "lena|gold.add")
        #expect(try project.ok(["audit", "verify"]).contains("intact"))
    }

    /// The dashboard's alpha line for `criterion`: the value it prints (four decimals).
    static func dashboardAlpha(_ screen: String, criterion: String) -> String? {
        // The focused criterion is marked "›".
        for line in screen.replacingOccurrences(of: "›", with: " ").split(separator: "\n") where line.contains(" \(criterion) ") {
            if let match = line.firstMatch(of: /α \((nominal|ordinal|interval|ratio)\)\s+(-?\d+\.\d{4})/) { return String(match.2) }
        }
        return nil
    }

    /// `concord agreement --batch b1 --format json`'s alpha for `criterion`, as the
    /// dashboard prints it.
    static func agreementAlpha(_ project: Project, criterion: String, metric: String) throws -> String {
        let json = try project.ok(["agreement", "--batch", "b1", "--format", "json"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let criteria = try #require(root["criteria"] as? [String: Any])
        let one = try #require(criteria[criterion] as? [String: Any])
        let metrics = try #require(one["metrics"] as? [String: Any])
        let value = try #require((metrics[metric] as? [String: Any])?["value"] as? Double, "\(criterion) \(metric) in \(json)")
        return String(format: "%.4f", value)
    }

    @Test func theDashboardEqualsConcordAgreementAndFollowsAnotherProcess() throws {
        let project = try Self.project()
        let tui = try Self.adjudicate(project)
        try tui.wait(for: "entry 1 of 3")
        try tui.send("d")
        let dashboard = try tui.wait(for: "live agreement")
        let expected = try Self.agreementAlpha(project, criterion: "present", metric: "krippendorff_alpha_nominal")
        #expect(expected == "-0.3125")
        #expect(Self.dashboardAlpha(dashboard, criterion: "present") == expected, "\(dashboard)")
        #expect(dashboard.contains("present: rater pairs"))
        #expect(dashboard.contains("alice–bob"))
        #expect(dashboard.contains("without bob α 0.0000 (+0.3125)"))
        #expect(dashboard.contains("Gold accuracy: 0 gold answers"))
        // Bootstrap intervals appear (computed when the dashboard opened).
        try tui.wait(for: "a bootstrap interval") { screen in
            screen.split(separator: "\n").contains { $0.contains("present ") && $0.contains("[-") }
        }

        // Another process imports labels while the dashboard is open.
        try writeFile(project.dir + "/live.csv", "clip,rater,criterion,value\nb.mp4,bob,present,yes\na.mp4,bob,present,yes\n")
        try project.ok(["label", "import", project.dir + "/live.csv"])
        let updated = try Self.agreementAlpha(project, criterion: "present", metric: "krippendorff_alpha_nominal")
        #expect(updated != expected)
        // Wait for the whole repaint: tmux can be captured between the chunks of one screen
        // update (the alpha row already new, the status line not yet). No key is pressed: the
        // dashboard must notice by itself (how fast is a benchmark figure, BENCHMARKS.md).
        let after = try tui.wait(for: "present α \(updated)", timeout: 15) {
            Self.dashboardAlpha($0, criterion: "present") == updated && $0.contains("label revisions applied live") && !$0.contains("· 0 label revisions")
        }
        #expect(after.contains("2 label revisions applied live"))
        #expect(after.contains("updated "))

        #expect(after.contains("j/k criterion · d, Esc or q: back to the queue ·"))
        // q steps back to the queue (its picture again), as d and Esc do; there q quits.
        try tui.send("q")
        let queue = try tui.wait(for: "entry 1 of 3 with the clip") { $0.contains("entry 1 of 3") && $0.contains("frame 0/24") }
        #expect(!queue.contains("live agreement"))
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        let (before, restored) = try tui.sttyBeforeAndAfter()
        #expect(before == restored)
    }

    @Test func ratersAuditorsAndModelsGetThePermissionErrorBeforeAnyScreen() throws {
        let project = try Self.project()
        for (who, role) in [("alice", "a rater"), ("aud", "an auditor"), ("m1", "a model")] {
            let result = try project.run(["adjudicate"], as: who)
            #expect(result.status == 2)
            #expect(concordMessage(result.stderr)
                    == "concord: \(who) is \(role) and cannot see the adjudication queue or decide items (leads and admins)\n")
        }
        // In a terminal too: the error, no screen, the terminal untouched.
        let tui = try Self.adjudicate(project, as: "bob")
        #expect(try tui.exitStatus() == 2)
        #expect(try tui.screen().contains("concord: bob is a rater and cannot see the adjudication queue"))
        let (before, after) = try tui.sttyBeforeAndAfter()
        #expect(before == after)
        #expect(try Self.decisions(project).isEmpty)
    }

    /// Asked to stop (TERM, HUP, INT) or crashed (SEGV, ILL — a Swift trap —, ABRT, BUS):
    /// the terminal is put back either way; a crash still dies of its signal.
    @Test(arguments: [("TERM", SIGTERM), ("HUP", SIGHUP), ("INT", SIGINT), ("SEGV", SIGSEGV), ("ILL", SIGILL), ("ABRT", SIGABRT), ("BUS", SIGBUS)])
    func signalsRestoreTheTerminal(signal: (String, Int32)) throws {
        let project = try Self.project()
        let tui = try Self.adjudicate(project)
        try tui.wait(for: "entry 1 of 3")
        try tui.send("d")
        try tui.wait(for: "live agreement")
        kill(try tui.commandPID(), signal.1)
        #expect(try tui.exitStatus() == 128 + signal.1)
        let (before, after) = try tui.sttyBeforeAndAfter()
        #expect(before == after, "SIG\(signal.0) left the terminal changed")
    }

    @Test func ctrlCQuitsHelpShowsTheKeysAndAnEmptyQueueSaysSo() throws {
        let project = try Self.project()
        let tui = try Self.adjudicate(project)
        try tui.wait(for: "entry 1 of 3")
        try tui.send("?")
        let help = try tui.wait(for: "send the item back")
        #expect(help.contains("Reasons: 1 rater error · 2 rubric ambiguous · 3 clip ambiguous · 4 genuine disagreement · 5 other"))
        try tui.send("z")
        try tui.wait(for: "entry 1 of 3")
        try tui.send("C-c")
        #expect(try tui.exitStatus() == 0)
        let (before, after) = try tui.sttyBeforeAndAfter()
        #expect(before == after)

        // Every entry resolved by command: the screen says the queue is empty.
        for clip in ["a.mp4", "b.mp4", "c.mp4"] {
            try project.ok(["resolve", clip, "--criterion", "present", "--value", "yes", "--reason", "other"], as: "lena")
        }
        let empty = try Self.adjudicate(project)
        try empty.wait(for: "The adjudication queue of batch b1 is empty")
        try empty.send("q")
        #expect(try empty.exitStatus() == 0)
    }
}
