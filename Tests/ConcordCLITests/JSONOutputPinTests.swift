import Foundation
import Testing

/// JSON as the commands write it today, pinned byte for byte on the standard project before
/// concord's JSON writers became one (issue 15): the pretty JSON of `status`, `queue` and
/// `gate`, the JSON Lines and Label Studio exports, and the audit payloads the log hashes.
/// Only what changes from run to run (times, the audit anchor) is replaced before comparing.
@Suite struct JSONOutputPinTests {
    /// `text` with every timestamp concord writes ("2026-03-04T05:06:07.000Z") but `keep`
    /// replaced by TIME.
    static func timeless(_ text: String, keep: String = "2026-03-04T05:06:07.000Z") -> String {
        let pattern = try! NSRegularExpression(pattern: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"#)
        var out = text
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            let range = Range(match.range, in: text)!
            if text[range] != keep { out.replaceSubrange(range, with: "TIME") }
        }
        return out
    }

    @Test(arguments: StoreKind.available)
    func statusQueueAndGateAsBefore(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        let status = try project.ok(["status", "--format", "json"])
        #expect(status == #"""
            [{"batch": "b1", "items": 3, "rubric": "av-cut-in", "rubric_hash": "8b2f332d8f47ee53f65b0857142584a43d167e4c1d4ad1e771c6a73813064137", "raters": [{"rater": "alice", "role": "rater", "assigned": 3, "labeled": 2, "labels": 3, "skipped": 0, "flagged": 0}, {"rater": "bob", "role": "rater", "assigned": 3, "labeled": 3, "labels": 4, "skipped": 0, "flagged": 0}, {"rater": "lena", "role": "lead", "assigned": 3, "labeled": 1, "labels": 1, "skipped": 0, "flagged": 0}, {"rater": "m1", "role": "model", "assigned": 0, "labeled": 0, "labels": 2, "skipped": 0, "flagged": 0}]}]

            """#)
        let queue = try project.ok(["queue", "--format", "json"], as: "lena")
        #expect(queue == #"""
            {
              "batch": "b1",
              "entries": [{"item": 1, "clip": "a.mp4", "criterion": "present", "scale": "nominal", "votes": [{"rater": "alice", "value": "yes"}, {"rater": "bob", "value": "no"}, {"rater": "lena", "value": "yes"}], "spread": 1.0, "magnitude": 0.33333333333333337, "priority": 0.33333333333333337, "alpha_gain": null, "flags": [], "reopened": false, "sent_back_to": null}]
            }

            """#)
        let anchor = try project.sql("SELECT seq || ':' || hash FROM audit_event ORDER BY seq DESC LIMIT 1;").trimmingCharacters(in: .newlines)
        let gate = try project.run(["gate", "--batch", "b1", "--min-alpha", "0.1", "--criterion", "present", "--format", "json"])
        #expect(gate.stdout.replacingOccurrences(of: anchor, with: "ANCHOR") == #"""
            {
              "batch": "b1",
              "rubric_hash": "8b2f332d8f47ee53f65b0857142584a43d167e4c1d4ad1e771c6a73813064137",
              "passed": true,
              "use_ci_lower": false,
              "min_units": 30,
              "bootstrap": null,
              "audit_anchor": "ANCHOR",
              "checks": [{"subject": "present", "statistic": "krippendorff_alpha_nominal", "value": 0.33333333333333337, "estimate": null, "threshold": 0.1, "passed": true, "note": null, "pairable_units": 2, "q": null, "small_sample": true}]
            }

            """#)
    }

    @Test(arguments: StoreKind.available)
    func exportsAsBefore(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        let jsonl = Self.timeless(try project.ok(["label", "export", "--format", "jsonl"]))
        #expect(jsonl == #"""
            {"clip": "a.mp4", "rater": "alice", "criterion": "present", "value": "yes", "frame": 10, "submitted_at": "2026-03-04T05:06:07.000Z", "batch": "b1", "item": 1, "rubric_hash": "8b2f332d8f47ee53f65b0857142584a43d167e4c1d4ad1e771c6a73813064137", "revision": 1, "pts": null, "dwell_ms": null, "watched": null, "display": null, "display_size": null, "colors": null, "speeds": null, "confidence": null, "sample": null}
            {"clip": "a.mp4", "rater": "alice", "criterion": "severity", "value": "minor", "frame": null, "submitted_at": "TIME", "batch": "b1", "item": 1, "rubric_hash": "8b2f332d8f47ee53f65b0857142584a43d167e4c1d4ad1e771c6a73813064137", "revision": 1, "pts": null, "dwell_ms": null, "watched": null, "display": null, "display_size": null, "colors": null, "speeds": null, "confidence": null, "sample": null}
            {"clip": "a.mp4", "rater": "bob", "criterion": "present", "value": "no", "frame": null, "submitted_at": "TIME", "batch": "b1", "item": 1, "rubric_hash": "8b2f332d8f47ee53f65b0857142584a43d167e4c1d4ad1e771c6a73813064137", "revision": 1, "pts": null, "dwell_ms": null, "watched": null, "display": null, "display_size": null, "colors": null, "speeds": null, "confidence": null, "sample": null}
            {"clip": "a.mp4", "rater": "lena", "criterion": "present", "value": "yes", "frame": null, "submitted_at": "TIME", "batch": "b1", "item": 1, "rubric_hash": "8b2f332d8f47ee53f65b0857142584a43d167e4c1d4ad1e771c6a73813064137", "revision": 1, "pts": null, "dwell_ms": null, "watched": null, "display": null, "display_size": null, "colors": null, "speeds": null, "confidence": null, "sample": null}
            {"clip": "a.mp4", "rater": "m1", "criterion": "present", "value": "yes", "frame": null, "submitted_at": "TIME", "batch": "b1", "item": 1, "rubric_hash": "8b2f332d8f47ee53f65b0857142584a43d167e4c1d4ad1e771c6a73813064137", "revision": 1, "pts": null, "dwell_ms": null, "watched": null, "display": null, "display_size": null, "colors": null, "speeds": null, "confidence": null, "sample": null}
            {"clip": "b.mp4", "rater": "alice", "criterion": "present", "value": "no", "frame": null, "submitted_at": "TIME", "batch": "b1", "item": 2, "rubric_hash": "8b2f332d8f47ee53f65b0857142584a43d167e4c1d4ad1e771c6a73813064137", "revision": 1, "pts": null, "dwell_ms": null, "watched": null, "display": null, "display_size": null, "colors": null, "speeds": null, "confidence": null, "sample": null}
            {"clip": "b.mp4", "rater": "bob", "criterion": "present", "value": "no", "frame": null, "submitted_at": "TIME", "batch": "b1", "item": 2, "rubric_hash": "8b2f332d8f47ee53f65b0857142584a43d167e4c1d4ad1e771c6a73813064137", "revision": 1, "pts": null, "dwell_ms": null, "watched": null, "display": null, "display_size": null, "colors": null, "speeds": null, "confidence": null, "sample": null}
            {"clip": "b.mp4", "rater": "m1", "criterion": "present", "value": "no", "frame": null, "submitted_at": "TIME", "batch": "b1", "item": 2, "rubric_hash": "8b2f332d8f47ee53f65b0857142584a43d167e4c1d4ad1e771c6a73813064137", "revision": 1, "pts": null, "dwell_ms": null, "watched": null, "display": null, "display_size": null, "colors": null, "speeds": null, "confidence": null, "sample": null}
            {"clip": "c.mp4", "rater": "bob", "criterion": "present", "value": "yes", "frame": null, "submitted_at": "TIME", "batch": "b1", "item": 3, "rubric_hash": "8b2f332d8f47ee53f65b0857142584a43d167e4c1d4ad1e771c6a73813064137", "revision": 1, "pts": null, "dwell_ms": null, "watched": null, "display": null, "display_size": null, "colors": null, "speeds": null, "confidence": null, "sample": null}
            {"clip": "c.mp4", "rater": "bob", "criterion": "ttc", "value": "3.5", "frame": null, "submitted_at": "TIME", "batch": "b1", "item": 3, "rubric_hash": "8b2f332d8f47ee53f65b0857142584a43d167e4c1d4ad1e771c6a73813064137", "revision": 1, "pts": null, "dwell_ms": null, "watched": null, "display": null, "display_size": null, "colors": null, "speeds": null, "confidence": null, "sample": null}

            """#)
        let studio = try project.ok(["label", "export", "--format", "labelstudio"])
        #expect(studio == #"""
            [{"annotations":[{"completed_by":{"username":"alice"},"result":[{"from_name":"present","meta":{"frame":10},"to_name":"video","type":"choices","value":{"choices":["yes"]}},{"from_name":"severity","to_name":"video","type":"choices","value":{"choices":["minor"]}}]},{"completed_by":{"username":"bob"},"result":[{"from_name":"present","to_name":"video","type":"choices","value":{"choices":["no"]}}]},{"completed_by":{"username":"lena"},"result":[{"from_name":"present","to_name":"video","type":"choices","value":{"choices":["yes"]}}]},{"completed_by":{"username":"m1"},"result":[{"from_name":"present","to_name":"video","type":"choices","value":{"choices":["yes"]}}]}],"data":{"batch":"b1","video":"a.mp4"},"id":1},{"annotations":[{"completed_by":{"username":"alice"},"result":[{"from_name":"present","to_name":"video","type":"choices","value":{"choices":["no"]}}]},{"completed_by":{"username":"bob"},"result":[{"from_name":"present","to_name":"video","type":"choices","value":{"choices":["no"]}}]},{"completed_by":{"username":"m1"},"result":[{"from_name":"present","to_name":"video","type":"choices","value":{"choices":["no"]}}]}],"data":{"batch":"b1","video":"b.mp4"},"id":2},{"annotations":[{"completed_by":{"username":"bob"},"result":[{"from_name":"present","to_name":"video","type":"choices","value":{"choices":["yes"]}},{"from_name":"ttc","to_name":"video","type":"number","value":{"number":3.5}}]}],"data":{"batch":"b1","video":"c.mp4"},"id":3}]

            """#)
    }

    /// The payloads of the standard project's events and of an import from a file whose name
    /// holds what the audit log escapes (DEL, C1 and bidi controls as \u) and what it keeps
    /// (text beyond ASCII, a quote and a backslash escaped as JSON does). Row digests cover
    /// times, clip hashes come from FFmpeg and the admin is whoever runs the tests: replaced.
    @Test(arguments: StoreKind.available)
    func auditPayloadsAsBefore(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        let file = project.dir + "/DEL\u{7F} C1\u{85} bidi\u{202E} \"q\" \\ é.csv"
        try writeFile(file, "clip,rater,criterion,value\nb.mp4,alice,present,yes\n")
        try project.ok(["label", "import", file])
        var payloads = try project.sql("SELECT payload FROM audit_event ORDER BY seq;")
        for (pattern, replacement) in [(#""(digest|sha256)":"[0-9a-f]{64}""#, #""$1":"HEX""#), (#""(admin|via)":"[^"]*""#, #""$1":"LOGIN""#)] {
            payloads = payloads.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        payloads = payloads.replacingOccurrences(of: project.dir, with: "DIR")
            .replacingOccurrences(of: try Standard.template().dir, with: "TEMPLATE")
            .replacingOccurrences(of: CLI.packageRoot.path, with: "ROOT")
        #expect(payloads == #"""
            {"admin":"LOGIN","project":"p","rows":[{"digest":"HEX","first":1,"last":1,"table":"rater"},{"digest":"HEX","first":1,"last":1,"table":"rater_role"}]}
            {"hash":"8b2f332d8f47ee53f65b0857142584a43d167e4c1d4ad1e771c6a73813064137","rows":[{"digest":"HEX","first":1,"last":1,"table":"rubric_version"}],"rubric":"av-cut-in","source":"ROOT/rubrics/av-cut-in.yaml"}
            {"rater":"alice","role":"rater","rows":[{"digest":"HEX","first":2,"last":2,"table":"rater"},{"digest":"HEX","first":2,"last":2,"table":"rater_role"}]}
            {"rater":"bob","role":"rater","rows":[{"digest":"HEX","first":3,"last":3,"table":"rater"},{"digest":"HEX","first":3,"last":3,"table":"rater_role"}]}
            {"rater":"lena","role":"lead","rows":[{"digest":"HEX","first":4,"last":4,"table":"rater"},{"digest":"HEX","first":4,"last":4,"table":"rater_role"}]}
            {"rater":"aud","role":"auditor","rows":[{"digest":"HEX","first":5,"last":5,"table":"rater"},{"digest":"HEX","first":5,"last":5,"table":"rater_role"}]}
            {"rater":"adm2","role":"admin","rows":[{"digest":"HEX","first":6,"last":6,"table":"rater"},{"digest":"HEX","first":6,"last":6,"table":"rater_role"}]}
            {"rater":"m1","role":"model","rows":[{"digest":"HEX","first":7,"last":7,"table":"rater"},{"digest":"HEX","first":7,"last":7,"table":"rater_role"}]}
            {"batch":"b1","clips":[{"name":"a.mp4","sha256":"HEX"},{"name":"b.mp4","sha256":"HEX"},{"name":"c.mp4","sha256":"HEX"}],"rows":[{"digest":"HEX","first":1,"last":1,"table":"batch"},{"digest":"HEX","first":1,"last":3,"table":"clip"},{"digest":"HEX","first":1,"last":3,"table":"item"}]}
            {"batch":"b1","gold_rate":null,"overlap":null,"raters":["alice","bob","lena"],"rows":[{"digest":"HEX","first":1,"last":9,"table":"assignment"}]}
            {"added":10,"file":"TEMPLATE/labels.csv","file_sha256":"698b855b46cbc1e25fac526b46217293f04225d507495fe40578236d3c4786d7","revised":0,"rows":[{"digest":"HEX","first":1,"last":10,"table":"label"}]}
            {"added":0,"file":"DIR/DEL\u007f C1\u0085 bidi\u202e \"q\" \\ é.csv","file_sha256":"dc75ed2dfa50f3824603ec6e7d807461cef14f0805ac58b9963113c93eb3601a","revised":1,"rows":[{"digest":"HEX","first":11,"last":11,"table":"label"}]}

            """#)
    }
}
