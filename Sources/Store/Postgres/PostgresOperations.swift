/// The write functions of a PostgreSQL project (docs/server.md): one SECURITY DEFINER
/// function per Store write that is not identity or rubric (`PostgresSchema` has those).
///
/// Each does exactly what the Swift write of `ProjectSession` does on a project file — the
/// same rows, revisions, `label_current` upkeep, audit action and details — and enforces in
/// the database what no client may be trusted with: the actor is `session_user`
/// (`concord.actor`), the role's permission (`concord.require`), a rater's own items only,
/// and every value inside its criterion's domain. Each takes the write lock before it writes
/// (first, or for the workbench's commit after its checks: `+Work` says why that is safe), so
/// writes queue like SQLite's BEGIN IMMEDIATE and one write's new ids are contiguous.
///
/// The text uses `PostgresSchema.render`'s placeholders (`{owner}`, `{rater}`…) and its
/// statement rules (`$$` bodies, `--` comments, no `E'…'` literals). Errors: SQLSTATE
/// 42501 for a permission, 22023 for bad input, P0002 for a thing that does not exist,
/// with the Swift Store's wording.
enum PostgresOperations {
    static let sql = [helpers, pairs, clips, topUp, work, adjudication, importLabels, grants].joined(separator: "\n")

    /// The table a client COPYs a labels file into before calling `concord.import_labels`,
    /// in the same transaction (`LabelImportRow`'s fields; `ON COMMIT DROP`). The function
    /// runs as the owner, so the client lets it read the table.
    static let labelImportTable = """
        CREATE TEMP TABLE label_import (line bigint NOT NULL, clip text NOT NULL, rater text NOT NULL, criterion text NOT NULL,
                                        value text NOT NULL, frame bigint, submitted_at text, batch text,
                                        confidence double precision, sample bigint) ON COMMIT DROP
        """

    /// The COPY statement for `labelImportTable`'s rows, in its column order; confidence and
    /// sample are left NULL (most files have neither: a million rows send two fields fewer).
    static let labelImportCopy = "COPY label_import (line, clip, rater, criterion, value, frame, submitted_at, batch) FROM STDIN"
    /// The same with a model's confidence and sample (`label_prediction`), for a file that has either.
    static let labelImportCopyWithPredictions =
        "COPY label_import (line, clip, rater, criterion, value, frame, submitted_at, batch, confidence, sample) FROM STDIN"

    /// The names the rows of `label_import` use, when the client lists them
    /// (`LabelImportNames`): a row each naming a clip (with its batch column), a rater, or a
    /// criterion with one of its values. Read by `concord.import_labels` as the owner, like
    /// `label_import`.
    static let labelImportNamesTable = """
        CREATE TEMP TABLE label_import_names (clip text, batch text, rater text, criterion text, value text) ON COMMIT DROP
        """
    static let labelImportNamesCopy = "COPY label_import_names (clip, batch, rater, criterion, value) FROM STDIN"

    /// Who may call what: each function and the permission (`Permission` in Roles.swift)
    /// whose roles get EXECUTE. Everyone else, PUBLIC included, has none.
    static let functions: [(signature: String, permission: Permission)] = [
        ("add_clips(text, text, jsonb, text)", .addClips),
        ("assign(text, text[], integer, double precision, text)", .assign),
        ("assign_items(text, bigint[], text[], text)", .assign),
        ("set_batch_rule(text, double precision, double precision, text)", .assign),
        ("submit_item(uuid, bigint, jsonb, bigint, double precision, bigint, double precision, text, jsonb)", .submitLabels),
        ("warm_up(text)", .submitLabels),
        ("mark_item(bigint, text, text, text)", .submitLabels),
        ("resolve(bigint, text, text, text, text, text)", .adjudicate),
        ("send_back(bigint, text[], text, text)", .adjudicate),
        ("mark_needs_revision(bigint, text, text, text)", .adjudicate),
        ("add_gold(bigint, text, text, boolean, boolean, text)", .manageGold),
        ("import_labels(text, text, text, text)", .importLabels),
        ("add_pairs(text, text, jsonb, text)", .addClips),
        ("tag_clips(jsonb, text)", .addClips),
        ("assign_pairs(text, jsonb, text)", .assign),
    ]

    /// The internal helpers (`+Helpers`): the owner's alone.
    static let internalFunctions = [
        "op_printable(text, boolean, boolean)", "op_printable_cut(text)", "op_stored_text_problem(text)",
        "op_check_stored_text(text, text)", "op_trimmed(text)", "op_swift_double(double precision)",
        "op_number_text(double precision)", "op_number(text)", "op_number_long(text)", "op_criteria(bigint)",
        "op_value_problem(text, text[], double precision, double precision, double precision, text)",
        "op_canonical_answer(text, text)", "op_batch_id(text)", "op_item_rubric(bigint)",
        "op_item_criterion(bigint, text, boolean)", "op_item_context(concord.acting, bigint)",
        "op_assign_one(bigint, bigint, text)", "op_in_range(text, double precision, double precision, double precision)",
        "op_clock_canonical(text)", "op_is_shown(jsonb, jsonb, text)", "op_import_target(text, text, bigint)",
        "op_import_problem(text, text, text, text, text, bigint, text, text, bigint, integer, bigint)",
        "op_submit_item(boolean, uuid, bigint, jsonb, bigint, double precision, bigint, double precision, text, jsonb)",
        "op_submission_display(boolean, bigint, jsonb, text)",
        "pairwise_values(jsonb)", "op_pairwise_batch(text, text, text, boolean)", "op_is_pairwise(bigint)",
        "op_check_pairs(text, jsonb, boolean)", "op_pool_item(bigint, bigint)", "op_pair(bigint, bigint, bigint, text, text)",
        "op_assignable_rater(text)", "op_assign_sides(text, bigint, bigint, text)", "op_sides(text, text, integer, integer, integer)",
        "op_u64_xorshift(numeric, integer)", "op_splitmix(numeric)", "op_fnv1a(bytea)", "op_u64_xor(numeric, integer)",
    ]

    /// Owned by `{owner}` (install creates them as the owner; said here too, so that this SQL
    /// holds on its own), REVOKEd from PUBLIC (a function is everyone's by default) and
    /// GRANTed to the group roles of `Permission.allowed(for:)`; admins may do everything.
    static var grants: String {
        let revokes = (functions.map(\.signature) + internalFunctions).map {
            "ALTER FUNCTION concord.\($0) OWNER TO {owner};\nREVOKE ALL ON FUNCTION concord.\($0) FROM PUBLIC;"
        }
        let grants = functions.map { function, permission in
            let roles = Role.allCases.filter { permission.allowed(for: $0) }.map { "{\($0.rawValue)}" }
            return "GRANT EXECUTE ON FUNCTION concord.\(function) TO \(roles.joined(separator: ", "));"
        }
        return (revokes + grants).joined(separator: "\n")
    }
}
