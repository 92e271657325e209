import Foundation
import PostgresTestSupport
import Testing

/// `concord rate` on a PostgreSQL project when the server goes away (issue 16): the
/// workbench says "reconnecting…", keeps the rater's answers, acknowledges nothing before
/// the server committed, and the submission is stored once. The rater logs in as
/// themselves (the URI's role); the server is this test's own, stopped and started under it.
@Suite(.serialized, .tmuxLeftoverCheck, .enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct RatePostgresTmuxTests {
    static let rubric = """
        name: quality
        criteria:
          - id: quality
            question: Overall quality?
            scale: ordinal
            options:
              - {value: "1", key: "1", label: bad}
              - {value: "2", key: "2", label: fair}
              - {value: "3", key: "3", label: good}
        """

    /// The demo's six clips assigned to alice, a rater with a login role of her own.
    static func project(_ label: String) throws -> PrivatePostgresProject {
        let project = try PrivatePostgresProject(label)
        try project.addRubric(rubric, name: "quality")
        try project.addRaters(["alice"], role: "rater")
        try project.addDemoClips(batch: "b1", rubric: "quality", raters: ["alice"])
        return project
    }

    static func rate(_ project: PrivatePostgresProject) throws -> TmuxSession {
        let tui = try TmuxSession("'\(CLI.binary.path)' rate --project '\(project.uri(as: "alice"))' --preview ascii")
        try tui.wait(for: "item 1 of 6")
        return tui
    }

    /// Alice's submissions as "clip quality", and how many client ids the server recorded.
    static func stored(_ project: PrivatePostgresProject) throws -> (submissions: [String], requests: Int) {
        let rows = try project.rows("""
            SELECT c.name || ' ' || l.value FROM concord.submission s JOIN concord.item i ON i.id = s.item_id
            JOIN concord.clip c ON c.id = i.clip_id JOIN concord.label l ON l.id BETWEEN s.first_label_id AND s.last_label_id
            ORDER BY s.id
            """)
        let requests = try project.rows("SELECT count(*) FROM concord.submission_request")
        return (rows.map { $0[0] ?? "NULL" }, Int(requests.first?.first.flatMap { $0 } ?? "") ?? -1)
    }

    @Test func serverStoppedAtSubmitShowsReconnectingAndSavesOnceWhenBack() throws {
        let project = try Self.project("rate-pg-restart")
        let tui = try Self.rate(project)
        let first = try tui.screen()
        let clip = try #require(["cutin-left-close.mp4", "cutin-right-far.mp4"].first { first.contains($0) })
        try tui.send("2")
        try tui.wait(for: "Enter: submit this item")
        try project.cluster.stopImmediately()
        try tui.send("Enter")
        // While the server is away: said on the message line, nothing acknowledged.
        let waiting = try tui.wait(for: "the reconnecting line") { $0.contains("reconnecting… (attempt ") }
        #expect(waiting.contains("): not saved yet, your answers are kept"))
        #expect(waiting.contains("item 1 of 6") && !waiting.contains("saved \(clip)"))
        #expect(!waiting.contains("WARNING") && !waiting.contains("FATAL"), "libpq wrote on the screen:\n\(waiting)")
        try project.cluster.start()
        let saved = try tui.wait(for: "saved \(clip)")
        #expect(saved.contains("item 2 of 6"))
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        #expect(try tui.screen().contains("1 item submitted this session; 1 of 6 done"))
        let stored = try Self.stored(project)
        #expect(stored.submissions == ["\(clip) 2"])
        #expect(stored.requests == 1)
    }

    /// The Store gives up after its 30 s window: the answers stay on screen, the message says
    /// the server cannot be reached, and the next Enter sends the kept submission.
    @Test func serverAwayLongerThanTheWindowKeepsTheAnswersForTheNextEnter() throws {
        let project = try Self.project("rate-pg-away")
        let tui = try Self.rate(project)
        let first = try tui.screen()
        let clip = try #require(["cutin-left-close.mp4", "cutin-right-far.mp4"].first { first.contains($0) })
        try tui.send("3")
        try tui.wait(for: "Enter: submit this item")
        try project.cluster.stopImmediately()
        try tui.send("Enter")
        let refused = try tui.wait(for: "the Store giving up", timeout: 60) {
            $0.contains("not saved: the server cannot be reached; your answers are kept: Enter sends them again (lost the connection")
        }
        #expect(refused.contains("item 1 of 6") && refused.contains("[3 good]"))
        try project.cluster.start()
        try tui.send("Enter")
        let saved = try tui.wait(for: "saved \(clip)")
        #expect(saved.contains("item 2 of 6"))
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        let stored = try Self.stored(project)
        #expect(stored.submissions == ["\(clip) 3"])
        #expect(stored.requests == 1)
    }
}
