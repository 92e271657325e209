import Foundation
import Testing

/// The crash soak, short (issue 9): 8 writers through the workbench's commit path, one
/// SIGKILLed at random every 0.05–0.5 s and restarted, a lead reading meanwhile. Every
/// acknowledged submission must be in the history exactly once and never overwritten by an
/// older one, the audit chain intact, no lock error anywhere. `make soak` runs it for 10
/// minutes on a release build and writes RELIABILITY.md.
@Suite struct SoakTests {
    @Test func killNineSoakLosesNothingAcknowledged() throws {
        let bin = CLI.binary.deletingLastPathComponent()
        let result = try Tool.run("/usr/bin/python3", [CLI.packageRoot.appendingPathComponent("scripts/soak.py").path,
                                                       "--seconds", "20", "--json",
                                                       "--concord", CLI.binary.path,
                                                       "--driver", bin.appendingPathComponent("store-bench").path])
        let json = try #require(result.stdout.split(separator: "\n").last.map(String.init), "no output: \(result.stderr)")
        let r = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(result.status == 0, "\(json) \(result.stderr)")
        #expect((r["kills"] as? Int ?? 0) >= 20, "\(json)")
        #expect((r["acknowledged"] as? Int ?? 0) > 200, "\(json)")
        for key in ["missing", "duplicated", "misplaced", "regressed", "audit_verify_exit"] {
            #expect(r[key] as? Int == 0, "\(key): \(json)")
        }
        #expect((r["lock_errors"] as? [String])?.isEmpty == true, "\(json)")
        #expect((r["early_exits"] as? [Any])?.isEmpty == true, "\(json)")
        #expect(((r["reader"] as? [String: Any])?["reads"] as? Int ?? 0) > 10, "\(json)")
    }
}
