import Foundation
import PostgresClient

/// concord's schema inside a PostgreSQL database (docs/server.md): the tables of the SQLite
/// project file, owned by a role nobody logs in as, and the functions through which every
/// write happens. The SQL lives in the `PostgresSchema+*.swift` files as text with
/// placeholders (`{owner}`, `{rater}`…) that `render` turns into the database's own role
/// names, so two projects in one cluster never share a role.
///
/// The SQL is split into statements by `PostgresSchema.statements` (libpq's extended
/// protocol runs one at a time); it may use `'…'` literals with `''` inside, `"…"`
/// identifiers, `$tag$…$tag$` bodies and `--` comments, but no `E'…'` literal with `\'`.
enum PostgresSchema {
    /// The version row `schema_version` holds; a later layout adds a row, never edits one.
    /// pg2: the tables `rubric_criteria`, `clip_index` and `submission_display`, and
    /// `submit_item`'s display argument (a pg1 project cannot take this concord's writes).
    /// pg3: the table `label_prediction` and `import_labels`' confidence and sample columns.
    /// pg4: pairwise batches — the tables `item_pair`, `clip_tag` and `assignment_side`,
    /// `item` without UNIQUE(batch_id, clip_id), and the functions add_pairs, tag_clips and
    /// assign_pairs.
    static let version = "pg4"

    /// Role names are `<database>_owner`… and PostgreSQL cuts names at 63 bytes, so the
    /// longest suffix ("_auditor", 8 bytes) leaves 55; 48 keeps room for a suffix added later.
    static let maxDatabaseNameBytes = 48

    /// The placeholder → role-name suffix pairs; `{database}` is the database itself.
    static let roleSuffixes = ["owner", "rater", "lead", "auditor", "admin", "model"]

    /// `sql` with each placeholder replaced by its quoted identifier: `{rater}` by
    /// `"concord_w48_rater"`, `{database}` by `"concord_w48"`. The database name has been
    /// checked by `install` (`databaseNameProblem`); anything else here is a programming error.
    static func render(_ sql: String, database: String) -> String {
        precondition(databaseNameProblem(database) == nil, "PostgresSchema.render: \(databaseNameProblem(database)!)")
        var text = sql.replacingOccurrences(of: "{database}", with: quoteIdentifier(database))
        for suffix in roleSuffixes {
            text = text.replacingOccurrences(of: "{\(suffix)}", with: quoteIdentifier(roleName(suffix, database: database)))
        }
        return text
    }

    static func roleName(_ suffix: String, database: String) -> String { "\(database)_\(suffix)" }

    /// Why `database` cannot hold a concord project, or nil. Beyond the length, the name is
    /// kept to letters, digits, '_', '-' and '.', so that a role name rendered into a string
    /// literal or a dollar-quoted body can never end it.
    static func databaseNameProblem(_ database: String) -> String? {
        let bytes = database.utf8.count
        if bytes > maxDatabaseNameBytes {
            return "the database name \(quoted(database)) is \(bytes) bytes long; concord names its roles after it "
                + "(\(printableCut(database))_owner, …_rater…) and PostgreSQL cuts role names at 63 bytes, so it may have "
                + "at most \(maxDatabaseNameBytes): ask the DBA for a database with a shorter name"
        }
        let safe = !database.isEmpty && database.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == "."
        }
        if !safe {
            return "the database name \(quoted(database)) is not one concord can name roles after; "
                + "ask the DBA for a database named with letters, digits, '_', '-' or '.' only"
        }
        return nil
    }

    /// `name` as an SQL identifier: between double quotes, any double quote doubled.
    static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// What the connected database holds, as far as the login may see.
    enum Layout: Equatable {
        /// A concord project of this concord's layout (or one whose version row this login
        /// may not read: the grants then decide what it can do).
        case current
        /// A concord project of another layout: the versions its rows name.
        case other([String])
        /// No concord schema.
        case none
    }

    /// Whether the connected database holds a concord project of this layout: the schema
    /// `concord` and the version row. The catalogs say whether the table exists to anyone;
    /// the row is read only when the login may (a login with no concord role may not).
    static func isProject(connection: PostgresConnection) -> Bool {
        layout(connection: connection) == .current
    }

    static func layout(connection: PostgresConnection) -> Layout {
        // Two statements: a statement naming a missing or unreadable table fails as a whole,
        // whichever CASE branch would have been taken.
        let catalog = "SELECT to_regclass('concord.schema_version') IS NOT NULL AS exists, "
            + "coalesce(has_table_privilege(to_regclass('concord.schema_version'), 'SELECT'), false) AS readable"
        guard let row = try? connection.execute(catalog).rows.first, row.first == "t" else { return .none }
        guard row.last == "t" else { return .current }
        guard let versions = try? connection.execute("SELECT version FROM concord.schema_version ORDER BY version").rows
        else { return .none }
        let names = versions.compactMap { $0.first ?? nil }
        return names.contains(version) ? .current : .other(names)
    }
}
