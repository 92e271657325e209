import Foundation
import JSONWriter
import PostgresClient
import Rubric

/// The writes of a PostgreSQL project: each public write of `ProjectSession` checks what it
/// checks on either store (role, names, rubric semantics, friendly messages), then, on
/// PostgreSQL, calls the one database function that performs it (docs/server.md "Who may
/// write what"). The function checks the actor, role, ownership and values again, because
/// a rater with `psql` can call it too, writes the rows and computes the audit event.
extension ProjectSession {
    /// The `p_as` argument: the rater an admin acts as (`--as`), or NULL for oneself.
    var actingAsArgument: String? { via == nil ? nil : actor.name }

    func addRater(_ name: String, role: Role, on postgres: PostgresProject) throws -> Bool {
        try postgres.call("add_rater", [name, role.rawValue, actingAsArgument]) == "true"
    }

    func addRubric(_ rubric: Rubric, sourcePath: String, on postgres: PostgresProject) throws -> RubricVersionInfo {
        let added = try postgres.call("add_rubric", [rubric.name, rubric.contentHash, rubric.canonicalJSON, sourcePath, actingAsArgument])
        return RubricVersionInfo(name: rubric.name, hash: rubric.contentHash, added: added == "true")
    }

    func addClips(_ clips: [ClipFacts], batch: String, rubric: String?, on postgres: PostgresProject) throws -> [AddedItem] {
        let objects: [[String: Any]] = clips.map {
            ["sha256": $0.sha256, "name": $0.name, "path": $0.path, "codec": $0.codec, "duration": $0.duration,
             "frame_rate": $0.frameRate, "frame_count": $0.frameCount, "width": $0.width, "height": $0.height,
             "rotation": $0.rotation, "size_bytes": $0.sizeBytes]
        }
        let result = try postgres.call("add_clips", [batch, rubric, JSON.encode(objects), actingAsArgument])
        return try Self.jsonArray(result, "add_clips").map { entry in
            guard let item = (entry["item"] as? NSNumber)?.int64Value, let clip = entry["clip"] as? String,
                  let newClip = entry["new_clip"] as? Bool else { throw Self.unexpected("add_clips", result) }
            return AddedItem(item: item, clip: clip, newClip: newClip)
        }
    }

    func assign(batch: String, raters: [String], overlap: Int?, goldRate: Double?, on postgres: PostgresProject) throws -> Int {
        let result = try postgres.call("assign", [batch, Self.textArray(raters), overlap, goldRate, actingAsArgument])
        guard let created = (try Self.jsonObject(result, "assign")["created"] as? NSNumber)?.intValue else {
            throw Self.unexpected("assign", result)
        }
        return created
    }

    /// `wanted` holds every criterion of the item's rubric ("" withdraws), worked out from
    /// the rubric's `when` rules here, where the rubric's semantics live. Repeated after a
    /// lost connection with the same client id, it writes nothing twice.
    func submitItem(_ submission: ItemSubmission, wanted: [String: String], on postgres: PostgresProject) throws -> SubmitResult {
        let result = try postgres.call("submit_item", [submission.clientID.uuidString.lowercased(), submission.item, JSON.encode(wanted),
                                                       submission.frame, submission.pts, submission.dwellMs,
                                                       submission.watchedShare, actingAsArgument,
                                                       submission.display.map(Self.displayJSON)], idempotent: true)
        let object = try Self.jsonObject(result, "submit_item")
        guard let written = (object["written"] as? NSNumber)?.intValue, let withdrawn = (object["withdrawn"] as? NSNumber)?.intValue else {
            throw Self.unexpected("submit_item", result)
        }
        return SubmitResult(written: written, withdrawn: withdrawn)
    }

    /// `concord.warm_up` on this session's connection and on any it reconnects with.
    func warmUpCommits(on postgres: PostgresProject) {
        postgres.warmUpCommits(actingAs: actingAsArgument)
    }

    func markItem(_ item: Int64, kind: ItemMarkKind, note: String, on postgres: PostgresProject) throws {
        try postgres.call("mark_item", [item, kind.rawValue, note, actingAsArgument])
    }

    func resolve(item: Int64, criterion: String, value: String, reason: DecisionReason, note: String?,
                 on postgres: PostgresProject) throws -> Int64 {
        let result = try postgres.call("resolve", [item, criterion, value, reason.rawValue, note, actingAsArgument])
        guard let id = (try Self.jsonObject(result, "resolve")["decision"] as? NSNumber)?.int64Value else {
            throw Self.unexpected("resolve", result)
        }
        return id
    }

    func sendBack(item: Int64, raters: [String], note: String?, on postgres: PostgresProject) throws {
        try postgres.call("send_back", [item, Self.textArray(raters), note, actingAsArgument])
    }

    func markNeedsRevision(item: Int64, criterion: String, note: String?, on postgres: PostgresProject) throws {
        try postgres.call("mark_needs_revision", [item, criterion, note, actingAsArgument])
    }

    func addGold(item: Int64, criterion: String, value: String, fromGolden: Bool, training: Bool, on postgres: PostgresProject) throws {
        try postgres.call("add_gold", [item, criterion, value, fromGolden, training, actingAsArgument])
    }

    func setBatchRule(batch: String, spreadThreshold: Double?, goldThreshold: Double?, on postgres: PostgresProject) throws {
        try postgres.call("set_batch_rule", [batch, spreadThreshold, goldThreshold, actingAsArgument])
    }

    /// COPY the rows into the session's temporary table, then let the database check and
    /// write them, in one transaction: a refused file leaves nothing behind.
    func importLabels(_ rows: [LabelImportRow], file: String, fileSHA256: String, batch: String?,
                      on postgres: PostgresProject) throws -> ImportSummary {
        let predictions = rows.contains { $0.confidence != nil || $0.sample != nil }
        return try importLabels(file: file, fileSHA256: fileSHA256, batch: batch, predictions: predictions, on: postgres) { each in
            for row in rows { try each(row) }
        }.summary
    }

    /// The same for rows made while they are sent (`produce` calls its argument once per
    /// row; it runs again if the connection is lost and the transaction retried): the
    /// server stores them as they come (`copyIn(_:produce:)`). `refusedNUL` is true when a
    /// row held a NUL character, which stopped the COPY: nothing was imported, and the
    /// caller words the file's problems (`ProjectSession.importLabels(file:…)`).
    /// `predictions` false sends no confidence and sample columns.
    func importLabels(file: String, fileSHA256: String, batch: String?, predictions: Bool = true, on postgres: PostgresProject,
                      produce: (_ each: (LabelImportRow) throws -> Void) throws -> Void) throws -> (summary: ImportSummary, refusedNUL: Bool) {
        var refusedNUL = false
        let result: String?
        do {
            result = try postgres.transaction { connection in
                refusedNUL = false
                try connection.execute(PostgresOperations.labelImportTable)
                // The function runs as the project's owner role, which may read the caller's
                // temporary table only when the caller says so.
                let owner = PostgresSchema.quoteIdentifier(PostgresSchema.roleName("owner", database: try PostgresProject.currentDatabase(connection)))
                try connection.execute("GRANT SELECT ON label_import TO \(owner)")
                let copy = predictions ? PostgresOperations.labelImportCopyWithPredictions : PostgresOperations.labelImportCopy
                var names = LabelImportNames()
                _ = try connection.copyIn(copy) { stream in
                    try produce { row in
                        names.note(row)
                        let taken = stream.row { fields in
                            fields.append(row.line)
                            fields.append(row.clip)
                            fields.append(row.rater)
                            fields.append(row.criterion)
                            fields.append(row.value)
                            fields.append(row.frame)
                            fields.append(row.submittedAt)
                            fields.append(row.batch)
                            if predictions {
                                fields.append(row.confidence.map { "\($0)" })
                                fields.append(row.sample)
                            }
                        }
                        guard taken else {
                            refusedNUL = stream.refusedNUL
                            throw CopyRefused()
                        }
                    }
                }
                // The names the rows used, so the database need not gather them from a
                // million rows (LabelImportNames).
                try connection.execute(PostgresOperations.labelImportNamesTable)
                try connection.execute("GRANT SELECT ON label_import_names TO \(owner)")
                _ = try connection.copyIn(PostgresOperations.labelImportNamesCopy, rows: names.rows)
                return try connection.execute("SELECT concord.import_labels($1, $2, $3, $4)::text",
                                              [file, fileSHA256, batch, actingAsArgument]).rows.first?.first ?? nil
            }
        } catch where refusedNUL {
            return (ImportSummary(added: 0, revised: 0, unchanged: 0), true)
        }
        let object = try Self.jsonObject(result, "import_labels")
        guard let added = (object["added"] as? NSNumber)?.intValue, let revised = (object["revised"] as? NSNumber)?.intValue,
              let unchanged = (object["unchanged"] as? NSNumber)?.intValue else { throw Self.unexpected("import_labels", result) }
        return (ImportSummary(added: added, revised: revised, unchanged: unchanged), false)
    }

    // MARK: Results

    static func jsonObject(_ text: String?, _ function: String) throws -> [String: Any] {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw unexpected(function, text)
        }
        return object
    }

    static func jsonArray(_ text: String?, _ function: String) throws -> [[String: Any]] {
        guard let text, let array = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else {
            throw unexpected(function, text)
        }
        return array
    }

    static func unexpected(_ function: String, _ text: String?) -> StoreError {
        StoreError(.project, "the database's concord.\(function) answered \(quoted(text ?? "nothing")), which this concord does not understand; "
                   + "is the project's schema from another concord version?")
    }

    /// A text[] argument in PostgreSQL's array syntax, every element quoted.
    static func textArray(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }
}

/// A row `CopyStream.row` did not take; `copyIn` throws the COPY's own reason instead.
private struct CopyRefused: Error {}
