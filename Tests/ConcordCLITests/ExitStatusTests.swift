import ArgumentParser
import Foundation
import Testing
@testable import concord

/// Issue 14: concord's exit statuses are 0 (success), 1 (a check failed) and 2 (usage,
/// input or any other error) and nothing else — an error type nobody mapped included, which
/// swift-argument-parser would end with 1; and `--project`/`--as` work before the verb.
@Suite struct ExitStatusTests {
    struct Unmapped: Error, CustomStringConvertible {
        var description: String { "something nobody mapped went wrong" }
    }

    @Test func anErrorNobodyMappedIsStatus2WithItsMessage() {
        let outcome = Main.outcome(of: Unmapped())
        #expect(outcome.status == 2)
        #expect(outcome.message == "Error: something nobody mapped went wrong")
        #expect(!outcome.toStandardOutput)
    }

    @Test func thrownExitCodesKeepTheirMeaningOnly() {
        #expect(Main.outcome(of: ExitCode.success).status == 0)
        #expect(Main.outcome(of: ExitCode(1)).status == 1)
        #expect(Main.outcome(of: ExitCode(1)).message == "")
        for code: Int32 in [2, 3, 64, 70, 127, 255] { #expect(Main.outcome(of: ExitCode(code)).status == 2, "\(code)") }
        #expect(Main.outcome(of: CheckFailed(message: "gate failed")) == (1, "gate failed", false))
        #expect(Main.outcome(of: InputError("bad")) == (2, "bad", false))
    }

    @Test func helpAndVersionAreAnswersOnStandardOutput() throws {
        let version = try CLI.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == "0.1.0\n")
        #expect(version.stderr == "")
        let help = try CLI.run(["label", "export", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("OVERVIEW: Export the current labels you may read (raters: their own).\n"))
        #expect(help.stderr == "")
    }

    /// swift-argument-parser's usage and validation errors (its 64) are 2.
    @Test func usageAndValidationErrorsAre2() throws {
        let unknown = try CLI.run(["status", "--frobnicate"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("concord: Unknown option '--frobnicate'\n"))
        let missing = try CLI.run(["report", "--batch", "b1"])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("concord: Missing expected argument '--out <out>'\n"))
        let invalid = try CLI.run(["report", "--out", "-", "--bootstrap", "0"])
        #expect(invalid.status == 2)
        #expect(invalid.stderr.hasPrefix("concord: --bootstrap must be between 1 and 100000; got 0\n"))
    }

    // MARK: - --project and --as before the verb

    @Test func leadingOptionsMoveAfterTheVerbsPath() {
        #expect(LeadingOptions.moved(["--project", "p.db", "status"]) == ["status", "--project", "p.db"])
        #expect(LeadingOptions.moved(["--project=p.db", "--as", "bob", "label", "export", "--format", "jsonl"])
                == ["label", "export", "--project=p.db", "--as", "bob", "--format", "jsonl"])
        #expect(LeadingOptions.moved(["--as=bob", "rubric", "add", "--", "-odd.yaml"])
                == ["rubric", "add", "--as=bob", "--", "-odd.yaml"])
        #expect(LeadingOptions.moved(["--project", "p.db", "audit", "verify", "--anchor", "3:ab"])
                == ["audit", "verify", "--project", "p.db", "--anchor", "3:ab"])
        // A positional argument that happens to be a verb's name is not part of the path.
        #expect(LeadingOptions.moved(["--project", "p.db", "agreement", "status"]) == ["agreement", "--project", "p.db", "status"])
        // Left alone: nothing leading, a dangling option, and options already after the verb.
        #expect(LeadingOptions.moved(["status", "--project", "p.db"]) == ["status", "--project", "p.db"])
        #expect(LeadingOptions.moved(["--project"]) == ["--project"])
        #expect(LeadingOptions.moved([]) == [])
    }

    @Test func projectAndAsWorkBeforeTheVerb() throws {
        let project = try Standard.copy()
        defer { project.remove() }
        #expect(try CLI.run(["--project", project.db, "status"]).stdout == (try project.ok(["status"])))
        #expect(try CLI.run(["--project=\(project.db)", "rater", "list"]).stdout == (try project.ok(["rater", "list"])))
        let alices = try CLI.run(["--as", "alice", "--project", project.db, "label", "export"])
        #expect(alices.status == 0, "\(alices.stderr)")
        #expect(labelKeys(alices.stdout) == labelKeys(try project.ok(["label", "export"], as: "alice")))
        #expect(labelKeys(alices.stdout) == ["a.mp4 alice present=yes", "a.mp4 alice severity=minor", "b.mp4 alice present=no"])
        let verified = try CLI.run(["--project", project.db, "audit", "verify"])
        #expect(verified.status == 0)
        #expect(verified.stdout.hasPrefix("audit log intact: 11 events"))
        // $CONCORD_PROJECT still stands in for --project.
        let fromEnvironment = try CLI.run(["status"], environment: ["CONCORD_PROJECT": project.db])
        #expect(fromEnvironment.status == 0)
        #expect(fromEnvironment.stdout == (try project.ok(["status"])))
        // A verb without a project still says so.
        let preview = try CLI.run(["--project", project.db, "preview", try Standard.clip("a.mp4")])
        #expect(preview.status == 2)
        #expect(preview.stderr.hasPrefix("concord: Unknown option '--project'\n"))
    }
}
