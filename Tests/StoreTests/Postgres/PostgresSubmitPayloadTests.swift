import Foundation
import PostgresClient
import PostgresTestSupport
@testable import Store
import Testing

/// The workbench's commit spells its audit payload itself (op_submit_item, under the write
/// lock, where concord.canonical_json would take a fifth of the time): each payload it
/// writes is exactly what concord.canonical_json makes of the same value, with and without
/// labels written, with an admin's `via`, and for watched shares Swift spells in different
/// ways (1.0, 0.25, 0.0, 1e-07; -0 as 0.0, as json_double writes it).
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresSubmitPayloadTests {
    @Test func aCommitsPayloadIsCanonicalJSON() throws {
        try PostgresCluster.with { cluster in
            let twin = try TwinProject.make(cluster)
            try twin.call("add_clips", ["b", "ops", TwinProject.json(TwinProject.clips(1...2)), nil])
            try twin.call("assign", ["b", "{alice,lena}", nil, nil, nil])
            try twin.project.createLogin("alice")
            try twin.call("add_rater", ["alice", "rater", nil])
            let alice = try twin.project.connect(as: "alice")
            let submit = "SELECT concord.submit_item($1, $2, $3, NULL, NULL, NULL, $4)"
            for (item, answers, share) in [("1", #"{"present": "yes", "severity": "low"}"#, "1"),
                                           ("1", #"{"present": "yes", "severity": "low"}"#, "0.25"),   // unchanged: no label
                                           ("2", #"{"present": "no", "ttc": "2.50"}"#, "1e-07"),
                                           ("2", #"{"present": "no"}"#, "0"),
                                           ("2", #"{"present": "yes"}"#, "-0")] {
                try alice.execute(submit, [UUID().uuidString, item, answers, share])
            }
            try twin.submit(ItemSubmission(item: 1, answers: ["present": "no", "notes": "n"], frame: 1, pts: 0.04, dwellMs: 5,
                                           watchedShare: 0.5), as: "lena")   // ada acting as lena: via
            let payloads = try twin.project.column("SELECT payload FROM concord.audit_event WHERE action = 'item.submit' ORDER BY seq")
            #expect(payloads.count == 6)
            for payload in payloads {
                #expect(try twin.project.column("SELECT concord.canonical_json($1::jsonb)", [payload]) == [payload])
            }
            // Spot checks of what the spelling must get right (and a comparison of equals
            // alone would not show): the share as Swift writes it, a commit writing no label,
            // the admin's via.
            #expect(payloads[1]?.hasPrefix(#"{"item":1,"rows":[{"digest":""#) == true)
            #expect(payloads[1]?.contains(#","last":2,"table":"submission"}],"watched_share":0.25,"withdrawn":0,"written":0}"#) == true)
            #expect(payloads[2]?.contains(#""watched_share":1e-07,"#) == true)
            #expect(payloads[3]?.contains(#""watched_share":0.0,"withdrawn":1,"written":0}"#) == true)
            #expect(payloads[4]?.contains(#""watched_share":0.0,"withdrawn":0,"written":1}"#) == true)
            #expect(payloads[5]?.contains(#""table":"submission"}],"via":"ada","watched_share":0.5,"withdrawn":0,"written":2}"#) == true)
            #expect(try twin.project.column("SELECT count(*) FROM concord.audit_event WHERE action = 'item.submit' AND payload LIKE '%\"table\":\"label\"%'")
                    == ["5"])
        }
    }
}
