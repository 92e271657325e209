import Foundation
import PostgresTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

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

    /// Alice's submissions as "clip quality" ("clip NULL": one that wrote no label), and how
    /// many client ids the server recorded.
    static func stored(_ project: PrivatePostgresProject) throws -> (submissions: [String], requests: Int) {
        let rows = try project.rows("""
            SELECT c.name || ' ' || l.value FROM concord.submission s JOIN concord.item i ON i.id = s.item_id
            JOIN concord.clip c ON c.id = i.clip_id LEFT JOIN concord.label l ON l.id BETWEEN s.first_label_id AND s.last_label_id
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

    /// The worst moment: the server committed the submission and the answer was lost on the
    /// way back (a proxy drops it, then refuses connections). The workbench cannot know the
    /// answers were saved, so it keeps them; the next Enter sends the same submission, same
    /// client-made id, which the server recognises: one submission, not two.
    @Test func anAnswerLostAfterCommitIsSentAgainAsTheSameSubmission() throws {
        let project = try Self.project("rate-pg-lost-answer")
        // A socket's path must fit in 108 bytes: a short directory of its own.
        let proxyDir = FileManager.default.temporaryDirectory.path + "/px-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: proxyDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: proxyDir) }
        try writeFile(project.dir + "/proxy.py", Self.replyDroppingProxy)
        let python = ProcessInfo.processInfo.environment["CONCORD_TEST_PYTHON"] ?? Tool.which("python3") ?? "/usr/bin/python3"
        let proxy = try Tool.launch(python, [project.dir + "/proxy.py", proxyDir, project.cluster.socketDirectory, project.dir])
        // SIGKILL: a child of the test process inherits its blocked signals, SIGTERM included.
        defer { kill(proxy.process.processIdentifier, SIGKILL); _ = proxy.wait() }
        try PostgresRestartTests.waitUntil("the proxy listens", { }) { FileManager.default.fileExists(atPath: proxyDir + "/.s.PGSQL.5432") }
        let uri = "postgresql://alice@/\(project.database)?host=\(proxyDir)"
        let tui = try TmuxSession("'\(CLI.binary.path)' rate --project '\(uri)' --preview ascii")
        let first = try tui.wait(for: "item 1 of 6")
        let clip = try #require(["cutin-left-close.mp4", "cutin-right-far.mp4"].first { first.contains($0) })
        try tui.send("2")
        try tui.wait(for: "Enter: submit this item")
        try tui.send("Enter")
        let refused = try tui.wait(for: "the answers kept") {
            $0.contains("not saved: the server cannot be reached; your answers are kept: Enter sends them again")
        }
        #expect(refused.contains("item 1 of 6") && refused.contains("[2 fair]"))
        #expect(try Self.stored(project).submissions == ["\(clip) 2"])   // committed, unacknowledged
        try writeFile(project.dir + "/forward", "")
        try tui.send("Enter")
        let saved = try tui.wait(for: "saved \(clip)")
        #expect(saved.contains("item 2 of 6"))
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
        let stored = try Self.stored(project)
        #expect(stored.submissions == ["\(clip) 2"])
        #expect(stored.requests == 1)
    }

    static let replyDroppingProxy = #"""
#!/usr/bin/env python3
"""A Unix-socket proxy in front of a PostgreSQL server that loses one answer: it forwards
everything until a client sends a statement naming `submit_item`; then it lets the server
run and commit it, reads the server's whole answer (up to ReadyForQuery) and, instead of
passing it on, closes the client's connection; from then on it closes every new
connection at once, until the file CONTROL/forward exists. So the client saw its
submission go out and never heard that it was committed.

  reply_dropping_proxy.py LISTEN_DIR SERVER_DIR CONTROL_DIR

It ends by itself after two minutes, should the test that started it not end it.
"""
import os, socket, sys, threading

listen_dir, server_dir, control = sys.argv[1:4]
dropped = threading.Event()


def pump_client(client, server, armed):
    try:
        while data := client.recv(65536):
            if b"submit_item" in data and not dropped.is_set():
                armed.set()   # before the server can answer
            server.sendall(data)
    except OSError:
        pass
    finally:
        server.close()


def pump_server(server, client, armed):
    buffer = b""
    try:
        while data := server.recv(65536):
            if not armed.is_set():
                client.sendall(data)
                continue
            buffer += data
            while len(buffer) >= 5:
                length = int.from_bytes(buffer[1:5], "big")
                if len(buffer) < 1 + length:
                    break
                kind, buffer = buffer[0:1], buffer[1 + length:]
                if kind == b"Z":   # committed and idle again: lose the answer
                    dropped.set()
                    client.shutdown(socket.SHUT_RDWR)
                    client.close()
                    server.close()
                    return
    except OSError:
        pass
    finally:
        client.close()


listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(os.path.join(listen_dir, ".s.PGSQL.5432"))
listener.listen(16)
listener.settimeout(120)
print("listening", flush=True)
while True:
    try:
        client, _ = listener.accept()
    except socket.timeout:
        os._exit(0)
    if dropped.is_set() and not os.path.exists(os.path.join(control, "forward")):
        client.close()
        continue
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.connect(os.path.join(server_dir, ".s.PGSQL.5432"))
    armed = threading.Event()
    threading.Thread(target=pump_client, args=(client, server, armed), daemon=True).start()
    threading.Thread(target=pump_server, args=(server, client, armed), daemon=True).start()
"""#
}
