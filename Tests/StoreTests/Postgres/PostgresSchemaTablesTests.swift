import Foundation
import PostgresClient
import PostgresTestSupport
@testable import Store
import Testing

/// History is never rewritten, not even by the owner's own functions by mistake; and the one
/// aggregate read (current_labels) shows answers and nothing else.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresSchemaTablesTests {
    static func refusal(_ connection: PostgresConnection, _ sql: String) -> String? {
        do {
            try connection.execute(sql)
            return nil
        } catch let error as PostgresError {
            return error.serverMessage
        } catch {
            return "\(error)"
        }
    }

    /// The triggers hold even for the superuser (the privileges keep everyone else out
    /// already, PostgresRoleTests), on full tables and empty ones alike; label_current
    /// alone is kept up to date in place.
    @Test func everyTableButTheCurrentLabelsIsAppendOnly() throws {
        try PostgresCluster.with { cluster in
            let (project, _) = try InstalledProject.seeded(cluster)
            let superuser = try project.connect()
            for table in PostgresSchema.appendOnlyTables {
                let column = table == "audit_event" ? "seq" : table == "schema_version" ? "version" : table == "submission_request" ? "client_id" : "id"
                let message = "\(table) is append-only: history is never rewritten"
                #expect(Self.refusal(superuser, "UPDATE concord.\(table) SET \(column) = \(column)") == message)
                #expect(Self.refusal(superuser, "DELETE FROM concord.\(table)") == message)
                #expect(Self.refusal(superuser, "TRUNCATE concord.\(table) CASCADE") == message)
            }
            #expect(try superuser.execute("UPDATE concord.label_current SET label_id = label_id").affectedRows == 6)
            #expect(try project.column("SELECT count(*) FROM concord.label") == ["6"])
        }
    }

    /// Each rubric version's criteria are derived once, when the version is stored (by a copy
    /// here, as migrate makes one; add_rubric's are what every submit_item test checks
    /// answers against): the ids in the rubric's order, as its canonical JSON has them.
    @Test func everyRubricVersionHasItsCriteria() throws {
        try PostgresCluster.with { cluster in
            let (project, _) = try InstalledProject.seeded(cluster)
            #expect(try project.column("SELECT count(*) FROM concord.rubric_version") == ["1"])
            #expect(try project.column("SELECT count(*) FROM concord.rubric_criteria") == ["1"])
            #expect(try project.column("""
                SELECT count(*) FROM concord.rubric_version rv
                 WHERE (SELECT array_agg(c->>'id' ORDER BY n) FROM jsonb_array_elements(rv.canonical_json::jsonb->'criteria') WITH ORDINALITY x(c, n))
                       IS DISTINCT FROM (SELECT array_agg(c.id ORDER BY c.pos) FROM concord.op_criteria(rv.id) c)
                """) == ["0"])
        }
    }

    @Test func currentLabelsAreTheBatchsAnswersWithoutNotes() throws {
        try PostgresCluster.with { cluster in
            let (project, _) = try InstalledProject.seeded(cluster)
            for login in ["lena", "aud", "ada"] {
                let rows = try project.connect(as: login).execute("SELECT * FROM concord.current_labels('b') ORDER BY item_id, rater")
                #expect(rows.columns == ["item_id", "clip", "criterion", "rater", "value"])
                #expect(rows.rows == [["1", "c1.mp4", "present", "alice", "yes"], ["1", "c1.mp4", "present", "bob", "no"],
                                      ["2", "c2.mp4", "present", "alice", "no"]], "\(login)")
            }
            #expect(Self.refusal(try project.connect(as: "alice"), "SELECT * FROM concord.current_labels('b')")
                    == "permission denied for function current_labels")
            #expect(try project.connect(as: "aud").execute("SELECT count(*) FROM concord.current_labels('nope')").rows == [["0"]])
        }
    }
}
