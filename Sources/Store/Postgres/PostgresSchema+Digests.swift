import Foundation

extension PostgresSchema {
    /// One digest function per audited table, `concord.row_digest_label(p_first, p_last)`…,
    /// written out here from `Schema.auditedTables` and the columns' types in `tables`: static
    /// SQL whose plan PL/pgSQL keeps for the session, where the generic `concord.row_digest`
    /// looks every column up in the catalogs and plans a dynamic query on each call (most of a
    /// workbench commit's time went there). Byte for byte the same encoding as `RowDigest` and
    /// `concord.row_digest`, which stays as the reference (PostgresSchemaDigestTests compares
    /// all three on every audited table).
    ///
    /// Internal: owned by `{owner}`, no EXECUTE for anyone else; only the owner's SECURITY
    /// DEFINER functions call them, with their fixed search_path, so the functions set none of
    /// their own and name every table in full. No parallel plan, which could hand the
    /// aggregate rows out of id order (as `row_digest`); and always the generic plan (an
    /// index scan of the id range, right for one row and for a million): left to choose,
    /// PostgreSQL finds a custom plan for the given range cheaper and plans the query anew
    /// at every call, most of the time a one-row digest takes.
    static var rowDigestFunctions: String {
        Schema.auditedTables.map { table, columns in
            let line = columns.map { digestPiece(table: table, column: $0) }
            let format = line.map { "'\($0.format)'" }.joined(separator: " || chr(31) || ") + " || chr(10)"
            let arguments = line.map(\.argument).joined(separator: ",\n" + String(repeating: " ", count: 34))
            return """
                CREATE FUNCTION concord.row_digest_\(table)(p_first bigint, p_last bigint) RETURNS text
                LANGUAGE plpgsql STABLE SET max_parallel_workers_per_gather = 0 SET plan_cache_mode = force_generic_plan AS $$
                BEGIN
                    RETURN (SELECT encode(sha256(textsend(coalesce(string_agg(line, ''), ''))), 'hex')
                              FROM (SELECT format(\(format),
                                                  \(arguments)) AS line
                                      FROM concord.\(table) WHERE id BETWEEN p_first AND p_last ORDER BY id) lines);
                END
                $$;
                """
        }.joined(separator: "\n\n")
    }

    /// `CASE p_table WHEN 'rater' THEN concord.row_digest_rater(p_first, p_last) … END`: the
    /// static digest of a range of any audited table (NULL for a table that is not one).
    static func rowDigestCase(table: String, first: String, last: String) -> String {
        "CASE \(table)\n"
            + Schema.auditedTables.map { "                WHEN '\($0.table)' THEN concord.row_digest_\($0.table)(\(first), \(last))" }
                .joined(separator: "\n")
            + "\n            END"
    }

    /// RowDigest's encoding of one column as a `format()` piece and its argument: I<decimal>,
    /// D<IEEE bits in hex, no leading zeros>, S<text with \\ \u \n escapes> or N. A NOT NULL
    /// column needs no NULL test (format's %s writes NULL as nothing).
    private static func digestPiece(table: String, column: String) -> (format: String, argument: String) {
        let (type, notNull) = columnType(table: table, column: column)
        switch type {
        case "bigint":
            return notNull ? ("I%s", column) : ("%s", "coalesce('I' || \(column), 'N')")
        case "double precision":
            let bits = "'D' || coalesce(nullif(ltrim(encode(float8send(\(column)), 'hex'), '0'), ''), '0')"
            return notNull ? ("%s", bits) : ("%s", "CASE WHEN \(column) IS NULL THEN 'N' ELSE \(bits) END")
        case "text":
            let escaped = #"replace(replace(replace(\#(column), '\', '\\'), chr(31), '\u'), chr(10), '\n')"#
            return notNull ? ("S%s", escaped) : ("%s", "coalesce('S' || \(escaped), 'N')")
        default:
            preconditionFailure("PostgresSchema.digestPiece: \(table).\(column) is \(type), which RowDigest does not encode")
        }
    }

    /// A column's type and whether it is NOT NULL (a primary key is), as `tables` declares
    /// it: the line `name type …` inside `CREATE TABLE concord.<table> (`.
    static func columnType(table: String, column: String) -> (type: String, notNull: Bool) {
        let lines = tables.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let start = lines.firstIndex(of: "CREATE TABLE concord.\(table) (") else {
            preconditionFailure("PostgresSchema.columnType: no table \(table) in PostgresSchema.tables")
        }
        for line in lines[(start + 1)...] {
            if line.hasPrefix(")") { break }
            let words = line.split(separator: " ")
            guard words.first.map(String.init) == column, words.count > 1 else { continue }
            let type = words[1] == "double" ? "double precision" : String(words[1]).trimmingCharacters(in: [","])
            return (type, line.contains("NOT NULL") || line.contains("PRIMARY KEY"))
        }
        preconditionFailure("PostgresSchema.columnType: no column \(column) in concord.\(table)")
    }
}
