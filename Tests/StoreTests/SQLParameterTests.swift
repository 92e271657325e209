import Foundation
import Testing

/// Issue 9, "all SQL parameterised": every value reaches SQLite as a bound parameter (`?`),
/// never spliced into the SQL text. This scans every Swift file under Sources/ for SQL
/// string literals that are built with interpolation (`"... \(x) ..."`) or concatenation
/// (`"..." + x`, `sql += x`) and fails, naming file:line and the expression, for any not on
/// the short allow-list below: names of tables and columns that come from constants in the
/// code, and fragments that are themselves literals with `?` placeholders.
@Suite struct SQLParameterTests {
    /// (file name, interpolated expression) → why it is not a value.
    static let allowed: [String: String] = [
        "Audit.swift|columns.joined(separator: \", \")": "column names from the constant Schema.auditedTables",
        "Audit.swift|table": "a table name from Schema.auditedTables or from the fixed list a write passes to `audited`",
        "ProjectSession+Verify.swift|table": "a table name from the constant Schema.auditedTables",
        "ProjectSession+Labels.swift|conditions.joined(separator: \" AND \")": "literal conditions with ? placeholders (exportLabels)",
        "ProjectSession+Labels.swift|pairColumns": "a literal fragment: the pair columns of exportLabels",
        "ProjectSession+Labels.swift|pairJoins": "a literal fragment: the pair joins of exportLabels",
        "ProjectSession+Workbench.swift|batch == nil ? \"\" : \"AND b.name = ?\"": "a literal fragment with a ? placeholder",
        "Schema.swift|table": "trigger and table names from the fixed table lists of a migration",
        "Schema+PairwiseBatches.swift|table": "trigger names from v10's fixed table list",
        // The PostgreSQL store (issue 16): names and fragments from constants; values bound as $n.
        "PostgresProject.swift|function": "the name of one of concord's write functions, a literal at each caller",
        "PostgresProject.swift|placeholders": "$1, $2… made from the number of arguments, which are bound",
        "PostgresSchema+Audit.swift|writeLockKey": "the constant key of the write lock",
        "PostgresSchema+Audit.swift|auditedColumnCases": "CASE arms built from the constant Schema.auditedTables",
        "PostgresSchema+Install.swift|Schema.auditedTables.map { \"'\\($0.table)'\" }.joined(separator: \", \")": "table names from the constant Schema.auditedTables",
        "PostgresSchema+Install.swift|version": "the constant PostgresSchema.version",
        "PostgresSchema+Install.swift|quoted(database)": "a message's advice (DROP ROLE …), not SQL that runs",
        "PostgresSchema+Raters.swift|version": "the constant PostgresSchema.version",
        "PostgresSchema+Security.swift|qualified(raterReadable)": "table names from a constant list",
        "PostgresSchema+Security.swift|qualified(modelReadable)": "table names from a constant list",
        "PostgresSchema+Security.swift|groups(allowedTo: .verifyAudit)": "group-role placeholders from the permission table",
        "PostgresSchema+Security.swift|groups(allowedTo: .readAggregates)": "group-role placeholders from the permission table",
        "PostgresSchema+Security.swift|groups(allowedTo: .addRater)": "group-role placeholders from the permission table",
        "PostgresSchema+Security.swift|groups(allowedTo: .addRubric)": "group-role placeholders from the permission table",
        "PostgresSchema+Security.swift|rowSecurity": "policies built from the constant table lists",
        "PostgresSchema+Security.swift|table": "a table name from the constant PostgresSchema.ownedRowTables",
        "PostgresSchema+Audit.swift|rowDigestFunctions": "the generated per-table digest functions (PostgresSchema+Digests.swift), from the constant Schema.auditedTables",
        "PostgresSchema+Audit.swift|rowDigestCase(table: \"p_tables[i]\", first: \"p_first[i]\", last: \"p_last[i]\")": "a CASE over the constant Schema.auditedTables; its arguments are plpgsql variable names",
        "PostgresSchema+CanonicalJSON.swift|recursive(\"canonical_json_plain\", escapes: false)": "a function body generated from constants",
        "PostgresSchema+CanonicalJSON.swift|recursive(\"canonical_json_escaped\", escapes: true)": "a function body generated from constants",
        "PostgresSchema+CanonicalJSON.swift|name": "one of the two constant function names above",
        "PostgresSchema+CanonicalJSON.swift|escapes ? string(\"key\") : \"to_jsonb(key)::text\"": "a constant SQL expression on the column key",
        "PostgresSchema+CanonicalJSON.swift|member(\"value\", name, escapes: escapes)": "a constant SQL expression on the column value",
        "PostgresSchema+Digests.swift|table": "a table name from the constant Schema.auditedTables",
        "PostgresSchema+Digests.swift|format": "the row format built from the constant column list of Schema.auditedTables",
        "PostgresSchema+Digests.swift|arguments": "column expressions built from the constant column list of Schema.auditedTables",
        "PostgresOperations+Import.swift|plainLabelDigest": "the label digest's SQL, built from the constant column list of Schema.auditedTables",
        "PostgresOperations+Import.swift|importedLabelDigest": "the imported labels' digest SQL, a constant spelling out label's columns (checked against Schema.auditedTables)",
        "PostgresOperations+Import.swift|resolvedRows": "the constant FROM that joins each row to what its names resolved to (PostgresOperations+Import.swift)",
        "PostgresOperations+Import.swift|everyRowResolved": "resolvedRows keeping every row (LEFT JOINs), a constant like it (PostgresOperations+Import.swift)",
        "PostgresOperations+Import.swift|join": "resolvedRows' join keyword, JOIN or LEFT JOIN, from the two constants that use it (PostgresOperations+Import.swift)",
        "PostgresOperations+Import.swift|rowProblem": "the constant CASE that names a row's first problem (PostgresOperations+Import.swift)",
        "PostgresOperations+ImportDigest.swift|pieces.joined(separator: \", \")": "column expressions built from the constant column list of Schema.auditedTables",
        "PostgresSchema+Security.swift|everyone": "a constant SQL condition",
        "PostgresSchema+Tables.swift|table": "a table name from the constant PostgresSchema.appendOnlyTables",
        "PostgresSchema+Tables.swift|submissionDisplayTable": "the constant CREATE TABLE of submission_display (PostgresSchema+Display.swift)",
        "PostgresSchema+Tables.swift|labelPredictionTable": "the constant CREATE TABLE of label_prediction (PostgresSchema+Prediction.swift)",
        "PostgresSchema+Tables.swift|pairTables": "the constant CREATE TABLEs of the pair tables (PostgresSchema+Pairs.swift)",
        "PostgresSchema+Tables.swift|pairwiseValuesFunction": "the constant CREATE FUNCTION concord.pairwise_values (PostgresSchema+Pairs.swift)",
        "PostgresSchema+Training.swift|groups(allowedTo: .submitLabels)": "group-role placeholders from the permission table",
        "PostgresSchema+ClipIndex.swift|groups(allowedTo: .addClips)": "group-role placeholders from the permission table",
        "ProjectMigration.swift|table.name": "a table name from the constant ProjectMigration.tables",
        "ProjectMigration.swift|list": "column names from the constant ProjectMigration.tables",
        "ProjectMigration.swift|key": "key column names from the constant ProjectMigration.tables",
        "ProjectMigration.swift|marks": "? placeholders, one per column",
        "ProjectMigration.swift|condition": "empty, or a literal WHERE on the key columns with ? placeholders",
        "ProjectSession+Postgres.swift|owner": "the owner role's name, quoted by PostgresSchema.quoteIdentifier from the connected database's name",
    ]

    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    // MARK: - The scan

    struct Literal {
        var line: Int
        var body: String
        var interpolations: [String]
        /// The source text right after the closing quote (up to the end of the line).
        var after: String
    }

    struct Finding: Equatable, CustomStringConvertible {
        var file: String
        var line: Int
        var expression: String
        var description: String { "\(file):\(line): \(expression)" }
    }

    /// The string literals of Swift source `text` (comments skipped), with the expressions
    /// interpolated into them.
    static func literals(_ text: String) -> [Literal] {
        let chars = Array(text)
        var out: [Literal] = []
        var i = 0, line = 1
        func at(_ k: Int) -> Character? { k < chars.count ? chars[k] : nil }

        /// Reads a literal whose opening quote(s) start at `i` (after any `#`s); returns the
        /// index after its closing delimiter.
        func readString(from start: Int, hashes: Int) -> (Literal, Int) {
            let multiline = at(start) == "\"" && at(start + 1) == "\"" && at(start + 2) == "\""
            var k = start + (multiline ? 3 : 1)
            let startLine = line
            var body = "", interpolations: [String] = []
            let close = String(repeating: "\"", count: multiline ? 3 : 1) + String(repeating: "#", count: hashes)
            let escape = "\\" + String(repeating: "#", count: hashes)
            while k < chars.count {
                if String(chars[k..<min(chars.count, k + close.count)]) == close { k += close.count; break }
                if String(chars[k..<min(chars.count, k + escape.count)]) == escape {
                    let next = k + escape.count
                    if at(next) == "(" {
                        // An interpolation: balanced parentheses, nested literals skipped whole.
                        var depth = 1, m = next + 1
                        var expression = ""
                        while m < chars.count && depth > 0 {
                            let c = chars[m]
                            if c == "\"" {
                                let (inner, end) = readString(from: m, hashes: 0)
                                expression += String(chars[m..<end]); _ = inner
                                m = end; continue
                            }
                            if c == "(" { depth += 1 } else if c == ")" { depth -= 1; if depth == 0 { break } }
                            if c == "\n" { line += 1 }
                            expression.append(c); m += 1
                        }
                        interpolations.append(expression)
                        body += "\\(" + expression + ")"
                        k = m + 1
                        continue
                    }
                    body.append(chars[k]); if let n = at(next) { body.append(n) }
                    k = next + 1
                    continue
                }
                if chars[k] == "\n" { line += 1 }
                body.append(chars[k]); k += 1
            }
            var after = ""
            var m = k
            while m < chars.count && chars[m] != "\n" { after.append(chars[m]); m += 1 }
            return (Literal(line: startLine, body: body, interpolations: interpolations, after: after), k)
        }

        while i < chars.count {
            let c = chars[i]
            if c == "\n" { line += 1; i += 1; continue }
            if c == "/" && at(i + 1) == "/" {
                while i < chars.count && chars[i] != "\n" { i += 1 }
                continue
            }
            if c == "/" && at(i + 1) == "*" {
                var depth = 0
                repeat {
                    if chars[i] == "/" && at(i + 1) == "*" { depth += 1; i += 2; continue }
                    if chars[i] == "*" && at(i + 1) == "/" { depth -= 1; i += 2; continue }
                    if chars[i] == "\n" { line += 1 }
                    i += 1
                } while i < chars.count && depth > 0
                continue
            }
            if c == "#" && (at(i + 1) == "\"" || at(i + 1) == "#") {
                var hashes = 0
                while at(i + hashes) == "#" { hashes += 1 }
                if at(i + hashes) == "\"" {
                    let (literal, end) = readString(from: i + hashes, hashes: hashes)
                    out.append(literal); i = end; continue
                }
            }
            if c == "\"" {
                let (literal, end) = readString(from: i, hashes: 0)
                out.append(literal); i = end; continue
            }
            i += 1
        }
        return out
    }

    /// SQL as this code base writes it: upper-case keywords.
    static let sqlPattern = try! NSRegularExpression(
        pattern: #"\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE (TABLE|TRIGGER|INDEX|UNIQUE INDEX)|DROP|PRAGMA|WHERE|VALUES|JOIN|ORDER BY|GROUP BY|AND)\b"#)

    static func isSQL(_ body: String) -> Bool {
        sqlPattern.firstMatch(in: body, range: NSRange(body.startIndex..., in: body)) != nil
    }

    /// `sql += x` or `sql = sql + x` with x not a string literal.
    static let appendPattern = try! NSRegularExpression(pattern: #"\b\w*(sql|SQL|Sql)\w*\s*(\+=|=\s*\w+\s*\+)\s*([^\s"])"#)

    /// Interpolations and concatenations of non-literals into SQL in one file's text.
    static func findings(file: String, text: String) -> [Finding] {
        var found: [Finding] = []
        for literal in literals(text) where isSQL(literal.body) {
            for expression in literal.interpolations {
                found.append(Finding(file: file, line: literal.line, expression: expression))
            }
            // "... '" + name: a value glued on after the literal.
            let after = literal.after.drop(while: { $0 == " " })
            if after.hasPrefix("+") && !after.dropFirst().drop(while: { $0 == " " }).hasPrefix("\"") {
                found.append(Finding(file: file, line: literal.line, expression: "+ " + after.dropFirst().drop(while: { $0 == " " })))
            }
        }
        for (number, line) in text.components(separatedBy: "\n").enumerated() {
            let code = line.components(separatedBy: "//").first ?? line
            if let match = appendPattern.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) {
                _ = match
                found.append(Finding(file: file, line: number + 1, expression: code.trimmingCharacters(in: .whitespaces)))
            }
        }
        return found
    }

    static func scanSources() throws -> [Finding] {
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }.sorted()
        #expect(files.count > 50, "Sources/ was not found at \(sources.path)")
        var found: [Finding] = []
        for file in files {
            let text = try String(contentsOfFile: sources.appendingPathComponent(file).path, encoding: .utf8)
            found += findings(file: file, text: text)
        }
        return found
    }

    // MARK: - Tests

    @Test func everySQLValueIsABoundParameter() throws {
        let found = try Self.scanSources()
        // The scan does see SQL: these are the allowed ones.
        #expect(found.count >= Self.allowed.count)
        let unexplained = found.filter { Self.allowed[URL(fileURLWithPath: $0.file).lastPathComponent + "|" + $0.expression] == nil }
        #expect(unexplained == [], "SQL built from values (use ? and arguments:), or add a justified entry to the allow-list:\n\(unexplained.map(\.description).joined(separator: "\n"))")
        // Every entry of the allow-list is still needed (the list stays short and true).
        let used = Set(found.map { URL(fileURLWithPath: $0.file).lastPathComponent + "|" + $0.expression })
        for key in Self.allowed.keys.sorted() { #expect(used.contains(key), "allow-list entry no longer used: \(key)") }
    }

    /// The scan finds what it must: each way of splicing a value into SQL, and nothing in
    /// messages, comments or parameterised statements.
    @Test func theScanCatchesSplicedValues() {
        let source = #"""
        // A comment: SELECT * FROM rater WHERE name = '\(name)'
        /* also a comment: "SELECT \(x)" */
        try db.execute(sql: "SELECT id FROM rater WHERE name = '\(name)'")
        let rows = try Row.fetchAll(db, sql: """
            SELECT id FROM label
            WHERE value = '\(value)' AND criterion = ?
            """, arguments: [criterion])
        let q = "DELETE FROM label WHERE id = " + String(id)
        sql += name
        var other = "SELECT 1 FROM item WHERE c.name = ?"
        other += " AND i.batch_id = ?"
        throw StoreError.input("no rater named '\(name)'; see: concord rater list")
        try db.execute(sql: "INSERT INTO project (id, name) VALUES (1, ?)", arguments: [name])
        """#
        let found = Self.findings(file: "Fake.swift", text: source)
        #expect(found.map(\.description) == [
            "Fake.swift:3: name",
            "Fake.swift:4: value",
            "Fake.swift:8: + String(id)",
            "Fake.swift:9: sql += name",
        ])
    }
}
