extension PostgresSchema {
    /// The cluster-wide roles of one project, and the owner's right to hand out the group
    /// roles (add_rater makes a login a member of the group of its concord role). Runs as
    /// the login running init, which has CREATEROLE.
    static let roles = """
        CREATE ROLE {owner} NOLOGIN;
        CREATE ROLE {rater} NOLOGIN;
        CREATE ROLE {lead} NOLOGIN;
        CREATE ROLE {auditor} NOLOGIN;
        CREATE ROLE {admin} NOLOGIN;
        CREATE ROLE {model} NOLOGIN;
        GRANT {rater}, {lead}, {auditor}, {admin}, {model} TO {owner} WITH ADMIN OPTION;
        """

    /// Run as the owner before any function exists: no function is ever executable by
    /// PUBLIC (PostgreSQL's default), each is granted by name below or not at all.
    static let ownerDefaults = """
        ALTER DEFAULT PRIVILEGES FOR ROLE {owner} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
        """

    /// What each group role may read and call (docs/security.md "Who reads what"). Nobody
    /// but the owner may INSERT, UPDATE or DELETE anything: writes happen only inside the
    /// owner's SECURITY DEFINER functions, which take the actor from session_user.
    /// Row-level security shows a rater only their own rows; the owner's functions bypass it
    /// (the owner owns the tables), and so see everything they must check.
    static var grants: String {
        """
        REVOKE ALL ON ALL TABLES IN SCHEMA concord FROM PUBLIC;
        REVOKE ALL ON ALL FUNCTIONS IN SCHEMA concord FROM PUBLIC;
        GRANT USAGE ON SCHEMA concord TO {rater}, {lead}, {auditor}, {admin}, {model};
        -- A model's login (a judge's service account) reads the project's structure, as a
        -- rater does, and no labels: concord can then tell it what a model may not do
        -- instead of "not a project" or a refused table.
        GRANT SELECT ON \(qualified(modelReadable)) TO {model};

        -- An auditor reads every row, as leads do, and writes nothing: an audit recomputes every
        -- row digest and every number of a report from the rows themselves (one that took the
        -- audited server's word for its hashes would be no audit), and the audit log's payloads
        -- carry every note anyway (docs/server.md "Who reads what").
        GRANT SELECT ON ALL TABLES IN SCHEMA concord TO {lead}, {auditor}, {admin};
        GRANT SELECT ON \(qualified(raterReadable)) TO {rater};

        GRANT EXECUTE ON FUNCTION concord.my_rater_id(), concord.my_role(), concord.names_me(bigint)
            TO {rater}, {lead}, {auditor}, {admin}, {model};
        GRANT EXECUTE ON FUNCTION concord.row_digest(text, bigint, bigint) TO \(groups(allowedTo: .verifyAudit));
        GRANT EXECUTE ON FUNCTION concord.current_labels(text) TO \(groups(allowedTo: .readAggregates));
        GRANT EXECUTE ON FUNCTION concord.add_rater(text, text, text) TO \(groups(allowedTo: .addRater));
        GRANT EXECUTE ON FUNCTION concord.add_rubric(text, text, text, text, text) TO \(groups(allowedTo: .addRubric));

        \(rowSecurity)
        """
    }

    /// Run by the login running init (the database's owner), after the owner's part.
    static let databaseGrants = """
        REVOKE ALL ON DATABASE {database} FROM PUBLIC;
        GRANT CONNECT ON DATABASE {database} TO {rater}, {lead}, {auditor}, {admin}, {model};
        GRANT TEMPORARY ON DATABASE {database} TO {lead}, {admin};
        """

    /// What a rater reads: everything concord shows them. Not gold, thresholds, the audit
    /// log, the retry table or clip tags (which model made a clip: raters rate blind).
    static let raterReadable = ["project", "rater", "rater_role", "rubric_version", "clip", "batch", "batch_setting",
                                "item", "assignment", "label", "label_current", "submission", "item_mark", "decision",
                                "decision_rater", "training_item", "schema_version", "clip_index", "submission_display",
                                "label_prediction", "item_pair", "assignment_side"]

    /// What a model's login reads: the structure, no one's answers.
    static let modelReadable = ["project", "rater", "rater_role", "rubric_version", "clip", "batch", "batch_setting",
                                "item", "schema_version"]

    /// The tables whose rows belong to one rater.
    static let ownedRowTables = ["assignment", "label", "label_current", "submission", "item_mark", "decision_rater"]

    /// "Reads every row" is one subquery, computed once per statement; written as
    /// `(SELECT my_role()) IN (…)` the IN was tested again on every row (0.1 s more per
    /// million-row scan), and put first it spares readers of every row the rater_id test.
    private static var rowSecurity: String {
        let everyone = "(SELECT concord.my_role() IN ('lead', 'auditor', 'admin'))"
        let owned = ownedRowTables.map { table in
            """
            ALTER TABLE concord.\(table) ENABLE ROW LEVEL SECURITY;
            CREATE POLICY visible ON concord.\(table) FOR SELECT
                USING (\(everyone) OR rater_id = (SELECT concord.my_rater_id()));
            """
        }.joined(separator: "\n")
        // A rater sees a decision only when it is a send-back naming them (the workbench
        // shows them the lead's note); resolutions would show other raters' answers.
        return owned + """

            ALTER TABLE concord.decision ENABLE ROW LEVEL SECURITY;
            CREATE POLICY visible ON concord.decision FOR SELECT
                USING (\(everyone) OR (kind = 'send_back' AND concord.names_me(id)));
            """
    }

    /// The group roles whose concord role has `permission` (Roles.swift), as placeholders:
    /// EXECUTE follows the one permission table.
    static func groups(allowedTo permission: Permission) -> String {
        Role.allCases.filter { permission.allowed(for: $0) }.map { "{\($0.rawValue)}" }.joined(separator: ", ")
    }

    private static func qualified(_ tables: [String]) -> String {
        tables.map { "concord.\($0)" }.joined(separator: ", ")
    }
}
