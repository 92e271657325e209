extension PostgresOperations {
    /// The digest of labels `$1`…`$2` (ids) as `concord.row_digest_label` computes it, for a
    /// range whose text columns hold none of the characters RowDigest escapes (backslash,
    /// U+001F, line feed): the same bytes without the three `replace` calls per text column,
    /// a fifth of the digest of a million labels. `import_labels` uses it only when its
    /// checks prove that of every row it wrote (PostgresOperations+Import.swift); anything
    /// else goes through `row_digest_label`. Built from the same column list and types
    /// (`Schema.auditedTables`, `PostgresSchema.columnType`), and compared with
    /// `row_digest_label` and RowDigest by PostgresOperationsImportTests.
    static var plainLabelDigest: String {
        let columns = Schema.auditedTables.first { $0.table == "label" }!.columns
        // One expression per column, joined by concat_ws: the same text as one format()
        // call, 15% sooner over a million rows.
        let pieces = columns.map { column -> String in
            let (type, notNull) = PostgresSchema.columnType(table: "label", column: column)
            switch (type, notNull) {
            case ("bigint", true): return "'I' || \(column)"
            case ("bigint", false): return "coalesce('I' || \(column), 'N')"
            case ("text", true): return "'S' || \(column)"
            case ("text", false): return "coalesce('S' || \(column), 'N')"
            case ("double precision", _):
                let bits = "'D' || coalesce(nullif(ltrim(encode(float8send(\(column)), 'hex'), '0'), ''), '0')"
                return notNull ? bits : "CASE WHEN \(column) IS NULL THEN 'N' ELSE \(bits) END"
            default:
                preconditionFailure("plainLabelDigest: label.\(column) is \(type), which RowDigest does not encode")
            }
        }
        return """
            SELECT encode(sha256(textsend(coalesce(string_agg(line, ''), ''))), 'hex')
              FROM (SELECT concat_ws(chr(31), \(pieces.joined(separator: ", "))) || chr(10) AS line
                      FROM concord.label WHERE id BETWEEN $1 AND $2 ORDER BY id) lines
            """
    }

    /// `plainLabelDigest` for labels an import has just written, which share what an import
    /// writes alike: no pts or dwell, `recorded_at` the import's time (`$3`), source
    /// 'import'. Those columns' text is written once, not built per row: a third less time
    /// over a million labels. The second column says whether every row in `$1`…`$2` is
    /// such a label; `import_labels` takes the digest only then. Compared with
    /// `row_digest_label` by PostgresOperationsImportTests.
    static var importedLabelDigest: String {
        let columns = Schema.auditedTables.first { $0.table == "label" }!.columns
        // The text below spells out each column of label in this order.
        precondition(columns == ["id", "item_id", "criterion", "rater_id", "value", "rubric_version_id", "frame", "pts", "dwell_ms",
                                 "submitted_at", "recorded_at", "revision", "source"],
                     "importedLabelDigest: label's columns changed; spell the new ones out here")
        return #"""
            SELECT encode(sha256(textsend(coalesce(string_agg(line, ''), ''))), 'hex'), coalesce(bool_and(alike), true)
              FROM (SELECT 'I' || id || E'\x1FI' || item_id || E'\x1FS' || criterion || E'\x1FI' || rater_id || E'\x1FS' || value
                           || E'\x1FI' || rubric_version_id || E'\x1F' || coalesce('I' || frame, 'N') || E'\x1FN\x1FN\x1FS' || submitted_at
                           || (E'\x1FS' || $3 || E'\x1FI') || revision || E'\x1FSimport\n' AS line,
                           pts IS NULL AND dwell_ms IS NULL AND recorded_at = $3 AND source = 'import' AS alike
                      FROM concord.label WHERE id BETWEEN $1 AND $2 ORDER BY id) lines
            """#
    }
}
