import Foundation
import PostgresTestSupport
import Testing

/// docs/server.md's PostgreSQL and openssl steps, run by scripts/server-doc-check.sh on
/// private clusters (it reads the page's pg_hba.conf and concord.conf itself), so the page
/// cannot drift from what PostgreSQL does: each of its checks compares a command's whole
/// output, error messages included, with what the page says.
/// Serialized: the script's OS users (cpgdoc-…) and ports (54329–54331) are fixed.
@Suite(.serialized, .enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct ServerDocCheckTests {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/server-doc-check.sh").path

    @Test func everyStepOfTheServerDocumentDoesWhatItSays() throws {
        let (status, output) = try PostgresCluster.runWithStatus(
            "/bin/bash", ["-c", PostgresCluster.closeInheritedDescriptors, "close-fds", Self.script])
        let failures = output.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { $0.hasPrefix("FAIL ") || $0.hasPrefix("server-doc-check: ") }
        #expect(status == 0, "\(output)")
        #expect(failures == ["server-doc-check: all \(Self.checks(skippedIn: output)) checks passed"])
    }

    /// The check can fail: a page whose pg_hba.conf lets bob in without his certificate
    /// (`trust` for `cert`) fails exactly the two checks that expect a refusal.
    @Test func aPageThatSaysSomethingElseFailsTheCheck() throws {
        let page = try String(contentsOfFile: URL(fileURLWithPath: Self.script).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/server.md").path, encoding: .utf8)
        let certLine = "hostssl  concord_w48  bob          0.0.0.0/0        cert"
        #expect(page.contains(certLine))
        let altered = FileManager.default.temporaryDirectory.appendingPathComponent("server-\(UUID().uuidString).md").path
        try page.replacingOccurrences(of: certLine, with: certLine.replacingOccurrences(of: " cert", with: " trust"))
            .write(toFile: altered, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: altered) }
        let (status, output) = try PostgresCluster.runWithStatus(
            "/usr/bin/env", ["SERVER_DOC_CHECK_DOC=\(altered)", "/bin/bash", "-c", PostgresCluster.closeInheritedDescriptors,
                             "close-fds", Self.script])
        #expect(status == 1)
        #expect(output.split(separator: "\n").filter { $0.hasPrefix("FAIL ") || $0.hasPrefix("server-doc-check: ") }
                == ["FAIL bob without his certificate", "FAIL a certificate whose CN is another role",
                    "server-doc-check: 2 of \(Self.checks(skippedIn: output)) checks failed"])
    }

    /// The script's 62 checks, less the IPv6 ones it skips (and says so) where there is no ::1.
    static func checks(skippedIn output: String) -> Int {
        62 - output.split(separator: "\n").filter { $0.hasPrefix("skip ") }.count
    }
}
