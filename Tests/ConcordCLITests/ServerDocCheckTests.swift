import Foundation
import PostgresTestSupport
import Testing

/// docs/server.md end to end, run by scripts/server-doc-check.sh on private clusters with
/// this build's `concord` (SERVER_DOC_CHECK_CONCORD): the PostgreSQL and openssl steps, and
/// the page's concord commands as its people run them (dana over peer, alice over TLS with
/// her password, bob with his certificate, carol's report on the standby; alice and bob in
/// `concord rate` in a terminal of their own). The script reads the page's pg_hba.conf,
/// concord.conf and concord commands out of the page itself, so the page cannot drift from
/// what PostgreSQL and concord do: each check compares a command's whole output, error
/// messages included, with what the page says. Here, beside the other tests that run the
/// binary, because it needs it.
/// Serialized: the script's OS users (cpgdoc-…) and ports (54329–54331) are fixed.
@Suite(.serialized, .enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct ServerDocCheckTests {
    static let script = CLI.packageRoot.appendingPathComponent("scripts/server-doc-check.sh").path
    static let page = CLI.packageRoot.appendingPathComponent("docs/server.md").path

    /// The script on `page` (nil: docs/server.md): its status, its whole output, and the
    /// lines that say what failed and how it ended.
    static func check(page: String? = nil) throws -> (status: Int32, output: String, verdict: [String]) {
        let environment = ["SERVER_DOC_CHECK_CONCORD=\(CLI.binary.path)"] + (page.map { ["SERVER_DOC_CHECK_DOC=\($0)"] } ?? [])
        let (status, output) = try PostgresCluster.runWithStatus(
            "/usr/bin/env", environment + ["/bin/bash", "-c", PostgresCluster.closeInheritedDescriptors, "close-fds", script])
        let verdict = output.split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("FAIL ") || $0.hasPrefix("server-doc-check: ") }
        return (status, output, verdict)
    }

    /// docs/server.md with `line` replaced by `replacement`, in a temporary file.
    static func alteredPage(_ line: String, _ replacement: String) throws -> String {
        let text = try String(contentsOfFile: page, encoding: .utf8)
        #expect(text.contains(line), "docs/server.md no longer has: \(line)")
        let altered = FileManager.default.temporaryDirectory.appendingPathComponent("server-\(UUID().uuidString).md").path
        try text.replacingOccurrences(of: line, with: replacement).write(toFile: altered, atomically: true, encoding: .utf8)
        return altered
    }

    @Test func everyStepOfTheServerDocumentDoesWhatItSays() throws {
        let (status, output, verdict) = try Self.check()
        #expect(status == 0, "\(output)")
        #expect(verdict == ["server-doc-check: all \(Self.checks(skippedIn: output)) checks passed"])
        // The rating really happened: alice's terminal, then dana's export of her label.
        #expect(output.contains("ok   alice answers the first item (cutin-left-close.mp4) and submits it: saved"), "\(output)")
        #expect(output.contains("ok   concord label export, as dana: alice's label (and bob's)"), "\(output)")
        // Nothing of the run is left: the raters' terminals (tmux, started under this test
        // runner's blocked signals) ended with it.
        #expect(Self.processesOfTheRun() == [])
    }

    /// Command lines of live processes that name a directory of the script's
    /// (`…/server-doc-check.XXXXXX/`), such as its tmux server and terminals; not the
    /// script itself.
    static func processesOfTheRun() -> [String] {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { Int($0) != nil } ?? []
        return pids.compactMap { pid -> String? in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let command = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return command.contains("/server-doc-check.") && !command.contains("server-doc-check.sh") ? command : nil
        }
    }

    /// The check can fail: a page whose pg_hba.conf lets bob in without his certificate
    /// (`trust` for `cert`) fails exactly the two checks that expect a refusal.
    @Test func aPageThatSaysSomethingElseFailsTheCheck() throws {
        let certLine = "hostssl  concord_w48  bob          0.0.0.0/0        cert"
        let altered = try Self.alteredPage(certLine, certLine.replacingOccurrences(of: " cert", with: " trust"))
        defer { try? FileManager.default.removeItem(atPath: altered) }
        let (status, output, verdict) = try Self.check(page: altered)
        #expect(status == 1)
        #expect(verdict == ["FAIL bob without his certificate", "FAIL a certificate whose CN is another role",
                            "server-doc-check: 2 of \(Self.checks(skippedIn: output)) checks failed"])
    }

    /// A page whose concord command is not the one the check runs (bob left out of the
    /// assignment) fails there, and the walk ends: what follows would build on it.
    @Test func aPageWhoseConcordCommandChangedFailsTheCheck() throws {
        let altered = try Self.alteredPage("    concord assign --batch week48 --raters alice,bob\n",
                                           "    concord assign --batch week48 --raters alice\n")
        defer { try? FileManager.default.removeItem(atPath: altered) }
        let (status, output, verdict) = try Self.check(page: altered)
        #expect(status == 1)
        let checks = output.split(separator: "\n").filter { $0.hasPrefix("ok   ") }.count + 1
        #expect(verdict == ["FAIL the page runs: concord assign --batch week48 --raters alice,bob",
                            "server-doc-check: 1 of \(checks) checks failed"])
        #expect(!output.contains("alice rates at her site"))
    }

    /// Without the concord binary the script refuses to start (exit 2), rather than check
    /// less than the page says.
    @Test func withoutConcordTheScriptRefuses() throws {
        let (status, output) = try PostgresCluster.runWithStatus(
            "/usr/bin/env", ["-u", "SERVER_DOC_CHECK_CONCORD", "/bin/bash", "-c", PostgresCluster.closeInheritedDescriptors,
                             "close-fds", Self.script])
        #expect(status == 2)
        #expect(output == "server-doc-check: name the concord binary whose commands the page runs: SERVER_DOC_CHECK_CONCORD=.build/debug/concord\n")
    }

    /// The script's 89 checks, less the IPv6 ones it skips (and says so) where there is no ::1.
    static func checks(skippedIn output: String) -> Int {
        89 - output.split(separator: "\n").filter { $0.hasPrefix("skip ") }.count
    }
}
