import Foundation
import Testing

/// `audit verify --anchor SEQ:HASH`: the two attacks the self-contained chain cannot see on
/// its own (a log rewritten from some event onwards with every hash recomputed, and a log
/// cut short) are caught against an anchor kept outside the project file. The attacks are
/// made behind concord's back with Python's sqlite3 and hashlib, and on PostgreSQL by its
/// superuser (the DBA, whom no grant stops) with psql.
@Suite struct AuditAnchorTests {
    /// The `anchor SEQ:HASH` line of a successful verify.
    static func anchor(_ output: String) throws -> String {
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("anchor ") })
        return String(line.dropFirst("anchor ".count).prefix { $0 != " " })
    }

    /// Sets event `seq`'s time to `at` and recomputes its hash and every later one, as an
    /// attacker who knows the hashing rule would (docs/security.md "Tamper detection").
    static func rewriteChain(_ project: Project, from seq: Int, at: String) throws {
        if project.kind == .postgres {
            // The append-only triggers bind the owner too; a superuser switches them off.
            try project.sql("""
                ALTER TABLE audit_event DISABLE TRIGGER USER;
                UPDATE audit_event SET at = '\(at)' WHERE seq = \(seq);
                DO $$
                DECLARE prev text; event record; next text;
                BEGIN
                    SELECT hash INTO prev FROM audit_event WHERE seq = \(seq) - 1;
                    FOR event IN SELECT * FROM audit_event WHERE seq >= \(seq) ORDER BY seq LOOP
                        next := encode(sha256(convert_to(prev || E'\\n' || event.seq || E'\\n' || event.at || E'\\n' || event.actor
                                                         || E'\\n' || event.action || E'\\n' || event.payload, 'UTF8')), 'hex');
                        UPDATE audit_event SET prev_hash = prev, hash = next WHERE seq = event.seq;
                        prev := next;
                    END LOOP;
                END $$;
                ALTER TABLE audit_event ENABLE TRIGGER USER;
                """)
            return
        }
        let result = try Tool.run("/usr/bin/python3", ["-c", """
            import hashlib, sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("DROP TRIGGER audit_event_no_update")
            c.execute("BEGIN")
            c.execute("UPDATE audit_event SET at = ? WHERE seq = ?", (sys.argv[3], int(sys.argv[2])))
            prev = c.execute("SELECT hash FROM audit_event WHERE seq = ?", (int(sys.argv[2]) - 1,)).fetchone()[0]
            for seq, at, actor, action, payload in c.execute(
                    "SELECT seq, at, actor, action, payload FROM audit_event WHERE seq >= ? ORDER BY seq", (int(sys.argv[2]),)).fetchall():
                h = hashlib.sha256(f"{prev}\\n{seq}\\n{at}\\n{actor}\\n{action}\\n{payload}".encode()).hexdigest()
                c.execute("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, h, seq))
                prev = h
            c.execute("COMMIT")
            """, project.db, "\(seq)", at])
        try #require(result.status == 0, "python: \(result.stderr)")
    }

    @Test(arguments: StoreKind.available)
    func theAnchorIsTheNewestEventAndStillMatchesAsTheLogGrows(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        let out = try project.ok(["audit", "verify"])
        #expect(out.hasPrefix("audit log intact: 11 events, chain and 41 audited rows verified\nanchor 11:"))
        let anchor = try Self.anchor(out)
        #expect(anchor == (try project.sql("SELECT seq || ':' || hash FROM audit_event ORDER BY seq DESC LIMIT 1;")).trimmingCharacters(in: .newlines))
        // More writes: the old anchor is still in the chain; the new head is event 12.
        try project.ok(["rater", "add", "zoe", "--role", "rater"])
        let later = try project.ok(["audit", "verify", "--anchor", anchor])
        #expect(later.hasPrefix("audit log intact: 12 events, chain and 43 audited rows verified; 1 anchor matched\nanchor 12:"))
        #expect(try Self.anchor(later) != anchor)
        // Both anchors, as an auditor.
        #expect(try project.ok(["audit", "verify", "--anchor", anchor, "--anchor", try Self.anchor(later)], as: "aud")
            .contains("; 2 anchors matched\n"))
        // Two different anchors for one event: the wrong one is not hidden by the right one.
        let wrong = "11:" + String(repeating: "0", count: 64)
        let both = try project.run(["audit", "verify", "--anchor", anchor, "--anchor", wrong])
        #expect(both.status == 1 && both.stderr.contains("event 11 has hash \(anchor.dropFirst(3).prefix(16))…, not the 0000000000000000… recorded for it"))
    }

    @Test(arguments: StoreKind.available)
    func aRecomputedChainVerifiesAloneButNotAgainstItsAnchor(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        let anchor = try Self.anchor(try project.ok(["audit", "verify"]))
        let oldSeven = "7:" + (try project.sql("SELECT hash FROM audit_event WHERE seq = 7;")).trimmingCharacters(in: .newlines)
        try Self.rewriteChain(project, from: 7, at: "2020-01-01T00:00:00.000Z")
        // The rewrite is invisible to the chain alone: this is why anchors exist.
        #expect(try project.ok(["audit", "verify"]).hasPrefix("audit log intact: 11 events"))
        let newHash = (try project.sql("SELECT hash FROM audit_event WHERE seq = 11;")).trimmingCharacters(in: .newlines)
        for recorded in [anchor, oldSeven] {
            let result = try project.run(["audit", "verify", "--anchor", recorded])
            let seq = recorded.prefix { $0 != ":" }
            let current = seq == "11" ? newHash : (try project.sql("SELECT hash FROM audit_event WHERE seq = 7;")).trimmingCharacters(in: .newlines)
            #expect(result.status == 1 && result.stdout.isEmpty)
            #expect(result.stderr == "concord: audit log BROKEN: event \(seq) has hash \(current.prefix(16))…, not the \(recorded.dropFirst(seq.count + 1).prefix(16))… recorded for it: the log was rewritten at or before event \(seq)\n",
                    "\(result.stderr)")
        }
        // An anchor before the rewrite still matches: the damage starts after it.
        let six = "6:" + (try project.sql("SELECT hash FROM audit_event WHERE seq = 6;")).trimmingCharacters(in: .newlines)
        #expect(try project.ok(["audit", "verify", "--anchor", six]).contains("1 anchor matched"))
    }

    @Test(arguments: StoreKind.available)
    func aLogCutShortFailsAgainstItsAnchor(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        try project.ok(["rater", "add", "zoe", "--role", "rater"])   // event 12 writes one rater row
        let anchor = try Self.anchor(try project.ok(["audit", "verify"]))
        #expect(anchor.hasPrefix("12:"))
        // Remove event 12 and the row it wrote: what is left is a whole, shorter log.
        try project.sql((kind == .sqlite ? "DROP TRIGGER audit_event_no_delete; DROP TRIGGER rater_no_delete; DROP TRIGGER rater_role_no_delete;"
                         : "ALTER TABLE audit_event DISABLE TRIGGER USER; ALTER TABLE rater DISABLE TRIGGER USER; ALTER TABLE rater_role DISABLE TRIGGER USER;")
                        + """

            DELETE FROM audit_event WHERE seq = 12;
            DELETE FROM rater_role WHERE rater_id = (SELECT id FROM rater WHERE name = 'zoe');
            DELETE FROM rater WHERE name = 'zoe';
            """)
        let alone = try project.run(["audit", "verify"])
        #expect(alone.status == 0, "\(alone.stderr)")
        let result = try project.run(["audit", "verify", "--anchor", anchor])
        #expect(result.status == 1)
        #expect(result.stderr == "concord: audit log BROKEN: event 12, recorded earlier, is gone: the log now ends at event 11, so its newest events were deleted or the log was replaced\n")
    }

    static let malformedAnchors = ["12", "12:", ":abc", "0:" + String(repeating: "a", count: 64), "x:" + String(repeating: "a", count: 64),
                                   "5:" + String(repeating: "A", count: 64), "5:" + String(repeating: "a", count: 63), "5:\u{1b}[2J"]

    /// Every spelling on SQLite; two on PostgreSQL (the option is checked before either store is read).
    @Test(arguments: malformedAnchors.map { (StoreKind.sqlite, $0) } + StoreKind.postgresIfAvailable.flatMap { [($0, "12:"), ($0, "5:\u{1b}[2J")] })
    func aMalformedAnchorIsRefusedWithExit2(kind: StoreKind, text: String) throws {
        let project = try Standard.forReading(kind)
        defer { project.remove() }
        let before = try project.snapshot()
        let result = try project.run(["audit", "verify", "--anchor", text])
        #expect(result.status == 2 && result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("concord: --anchor '") && result.stderr.hasSuffix("' is not SEQ:HASH (an event number, a colon and 64 lowercase hex digits), as `concord audit verify` prints it on its 'anchor' line\n"))
        #expect(!result.stderr.contains("\u{1b}") && result.stderr.split(separator: "\n").count == 1)
        #expect(try project.snapshot() == before)
    }
}
