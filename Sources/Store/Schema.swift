import GRDB

/// The project file's schema. Released migrations are never edited; a change is a new
/// migration appended here.
///
/// Every table but `label_current` is append-only: triggers reject UPDATE and DELETE, so
/// history cannot be rewritten through concord or by accident. `label_current` is a cache of
/// the latest revision per (item, rater, criterion), written by Store in the same transaction
/// as the labels (in key order for a bulk import, which is several times faster than a
/// per-row trigger), so reading a batch's current labels is one scan, not a GROUP BY over all
/// revisions. `audit verify` checks the cache against the labels.
enum Schema {
    /// Append-only tables and the columns that the audit log's digests cover, in order.
    static let auditedTables: [(table: String, columns: [String])] = [
        ("rater", ["id", "name", "created_at"]),
        ("rater_role", ["id", "rater_id", "role", "created_at"]),
        ("rubric_version", ["id", "name", "hash", "canonical_json", "source_path", "created_at"]),
        ("clip", ["id", "sha256", "name", "path", "codec", "duration", "frame_rate", "frame_count", "width", "height", "rotation", "size_bytes", "created_at"]),
        ("batch", ["id", "name", "rubric_version_id", "created_at"]),
        ("batch_setting", ["id", "batch_id", "overlap", "gold_rate", "created_at"]),
        ("item", ["id", "batch_id", "clip_id", "position"]),
        ("assignment", ["id", "item_id", "rater_id", "created_at"]),
        ("label", ["id", "item_id", "criterion", "rater_id", "value", "rubric_version_id", "frame", "pts", "dwell_ms", "submitted_at", "recorded_at", "revision", "source"]),
        ("item_mark", ["id", "item_id", "rater_id", "kind", "note", "created_at"]),
        ("submission", ["id", "item_id", "rater_id", "first_label_id", "last_label_id", "frame", "pts", "dwell_ms", "watched_share", "created_at"]),
        ("decision", ["id", "item_id", "criterion", "lead_id", "kind", "value", "reason", "note", "raters", "created_at"]),
        ("gold", ["id", "item_id", "criterion", "value", "added_by", "source", "created_at"]),
        ("batch_rule", ["id", "batch_id", "spread_threshold", "gold_threshold", "created_at"]),
        ("training_item", ["id", "item_id", "added_by", "created_at"]),
        ("decision_rater", ["id", "decision_id", "rater_id", "created_at"]),
        ("submission_display", ["id", "submission_id", "mode", "width", "height", "colors", "speeds", "created_at"]),
        ("label_prediction", ["id", "label_id", "confidence", "sample", "created_at"]),
        ("item_pair", ["id", "item_id", "batch_id", "clip_a_id", "clip_b_id", "pair_group", "created_at"]),
        ("clip_tag", ["id", "clip_id", "pair_group", "system", "created_at"]),
        ("assignment_side", ["id", "assignment_id", "left_clip", "created_at"]),
    ]

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
            CREATE TABLE project (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                name TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE TABLE rater (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                created_at TEXT NOT NULL
            );
            -- Role changes are revisions; the current role is the latest.
            CREATE TABLE rater_role (
                id INTEGER PRIMARY KEY,
                rater_id INTEGER NOT NULL REFERENCES rater(id),
                role TEXT NOT NULL CHECK (role IN ('rater', 'lead', 'auditor', 'admin', 'model')),
                created_at TEXT NOT NULL
            );
            CREATE INDEX rater_role_by_rater ON rater_role(rater_id, id);
            -- A rubric version is immutable and identified by its content hash.
            CREATE TABLE rubric_version (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE,
                canonical_json TEXT NOT NULL,
                source_path TEXT,
                created_at TEXT NOT NULL
            );
            CREATE TABLE clip (
                id INTEGER PRIMARY KEY,
                sha256 TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL UNIQUE,
                path TEXT NOT NULL,
                codec TEXT NOT NULL,
                duration REAL NOT NULL,
                frame_rate REAL NOT NULL,
                frame_count INTEGER NOT NULL,
                width INTEGER NOT NULL,
                height INTEGER NOT NULL,
                rotation INTEGER NOT NULL,
                size_bytes INTEGER NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE TABLE batch (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                rubric_version_id INTEGER NOT NULL REFERENCES rubric_version(id),
                created_at TEXT NOT NULL
            );
            -- Assignment settings are revisions too; the latest applies.
            CREATE TABLE batch_setting (
                id INTEGER PRIMARY KEY,
                batch_id INTEGER NOT NULL REFERENCES batch(id),
                overlap INTEGER,
                gold_rate REAL,
                created_at TEXT NOT NULL
            );
            CREATE TABLE item (
                id INTEGER PRIMARY KEY,
                batch_id INTEGER NOT NULL REFERENCES batch(id),
                clip_id INTEGER NOT NULL REFERENCES clip(id),
                position INTEGER NOT NULL,
                UNIQUE (batch_id, clip_id)
            );
            CREATE TABLE assignment (
                id INTEGER PRIMARY KEY,
                item_id INTEGER NOT NULL REFERENCES item(id),
                rater_id INTEGER NOT NULL REFERENCES rater(id),
                created_at TEXT NOT NULL,
                UNIQUE (item_id, rater_id)
            );
            CREATE INDEX assignment_by_rater ON assignment(rater_id, item_id);
            CREATE TABLE label (
                id INTEGER PRIMARY KEY,
                item_id INTEGER NOT NULL REFERENCES item(id),
                criterion TEXT NOT NULL,
                rater_id INTEGER NOT NULL REFERENCES rater(id),
                value TEXT NOT NULL,
                rubric_version_id INTEGER NOT NULL REFERENCES rubric_version(id),
                frame INTEGER,
                pts REAL,
                dwell_ms INTEGER,
                submitted_at TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                revision INTEGER NOT NULL CHECK (revision >= 1),
                source TEXT NOT NULL CHECK (source IN ('import', 'workbench'))
            );
            -- Keyed (item, rater, criterion): the order labels arrive in (a rater answers an
            -- item's criteria together; imports go clip by clip), so the cache grows by
            -- near-sequential B-tree inserts. No other index: every read of it is a scan of
            -- a batch or a lookup of one item.
            CREATE TABLE label_current (
                item_id INTEGER NOT NULL,
                rater_id INTEGER NOT NULL,
                criterion TEXT NOT NULL,
                label_id INTEGER NOT NULL,
                PRIMARY KEY (item_id, rater_id, criterion)
            ) WITHOUT ROWID;
            -- Skips and flags a rater puts on an item.
            CREATE TABLE item_mark (
                id INTEGER PRIMARY KEY,
                item_id INTEGER NOT NULL REFERENCES item(id),
                rater_id INTEGER NOT NULL REFERENCES rater(id),
                kind TEXT NOT NULL CHECK (kind IN ('skip', 'flag')),
                note TEXT,
                created_at TEXT NOT NULL
            );
            -- The audit log: each event carries the hash of the one before it.
            CREATE TABLE audit_event (
                seq INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                payload TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            );
            """)
            // v1's own tables, spelled out: tables added later get their triggers in their
            // own migration.
            let v1Tables = ["rater", "rater_role", "rubric_version", "clip", "batch", "batch_setting", "item", "assignment",
                            "label", "item_mark", "audit_event", "project"]
            for table in v1Tables {
                try db.execute(sql: """
                CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                BEGIN SELECT RAISE(ABORT, '\(table) is append-only: history is never rewritten'); END;
                CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                BEGIN SELECT RAISE(ABORT, '\(table) is append-only: history is never rewritten'); END;
                """)
            }
        }
        // v2 (issue 6): one row per item a rater submits from the workbench, with what they
        // had watched; the labels it wrote are label ids first...last (none when a
        // resubmission changed nothing).
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
            CREATE TABLE submission (
                id INTEGER PRIMARY KEY,
                item_id INTEGER NOT NULL REFERENCES item(id),
                rater_id INTEGER NOT NULL REFERENCES rater(id),
                first_label_id INTEGER,
                last_label_id INTEGER,
                frame INTEGER,
                pts REAL,
                dwell_ms INTEGER,
                watched_share REAL NOT NULL CHECK (watched_share >= 0 AND watched_share <= 1),
                created_at TEXT NOT NULL
            );
            CREATE INDEX submission_by_rater ON submission(rater_id, item_id);
            CREATE INDEX item_mark_by_rater ON item_mark(rater_id, item_id);
            CREATE TRIGGER submission_no_update BEFORE UPDATE ON submission
            BEGIN SELECT RAISE(ABORT, 'submission is append-only: history is never rewritten'); END;
            CREATE TRIGGER submission_no_delete BEFORE DELETE ON submission
            BEGIN SELECT RAISE(ABORT, 'submission is append-only: history is never rewritten'); END;
            """)
        }
        // v3 (issue 7): leads' decisions on the adjudication queue, gold answers, and the
        // batch's thresholds (disagreement spread for ordinal and numeric criteria, minimum
        // gold accuracy). All append-only; the latest row applies.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
            CREATE TABLE decision (
                id INTEGER PRIMARY KEY,
                item_id INTEGER NOT NULL REFERENCES item(id),
                criterion TEXT,
                lead_id INTEGER NOT NULL REFERENCES rater(id),
                kind TEXT NOT NULL CHECK (kind IN ('resolve', 'send_back', 'needs_revision')),
                value TEXT,
                reason TEXT CHECK (reason IS NULL OR reason IN ('rater_error', 'rubric_ambiguous', 'clip_ambiguous', 'genuine_disagreement', 'other')),
                note TEXT,
                raters TEXT,
                created_at TEXT NOT NULL
            );
            CREATE INDEX decision_by_item ON decision(item_id, criterion, id);
            CREATE TABLE gold (
                id INTEGER PRIMARY KEY,
                item_id INTEGER NOT NULL REFERENCES item(id),
                criterion TEXT NOT NULL,
                value TEXT NOT NULL,
                added_by INTEGER NOT NULL REFERENCES rater(id),
                source TEXT NOT NULL CHECK (source IN ('manual', 'golden')),
                created_at TEXT NOT NULL
            );
            CREATE INDEX gold_by_item ON gold(item_id, criterion, id);
            CREATE TABLE batch_rule (
                id INTEGER PRIMARY KEY,
                batch_id INTEGER NOT NULL REFERENCES batch(id),
                spread_threshold REAL,
                gold_threshold REAL,
                created_at TEXT NOT NULL
            );
            """)
            for table in ["decision", "gold", "batch_rule"] {
                try db.execute(sql: """
                CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                BEGIN SELECT RAISE(ABORT, '\(table) is append-only: history is never rewritten'); END;
                CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                BEGIN SELECT RAISE(ABORT, '\(table) is append-only: history is never rewritten'); END;
                """)
            }
        }
        // v4 (issue 14): the header names the file as concord's, so opening checks it
        // without touching the file (ProjectFileCheck); 0x436F6E63 is "Conc".
        migrator.registerMigration("v4") { db in
            try db.execute(sql: "PRAGMA application_id = 1131376227")
        }
        // v5 (issue 14): gold items a lead marks as training. Training mode shows only their
        // gold answers, and they never count toward gold accuracy. Append-only, as all history.
        migrator.registerMigration("v5") { db in
            try db.execute(sql: """
            CREATE TABLE training_item (
                id INTEGER PRIMARY KEY,
                item_id INTEGER NOT NULL REFERENCES item(id),
                added_by INTEGER NOT NULL REFERENCES rater(id),
                created_at TEXT NOT NULL
            );
            CREATE INDEX training_item_by_item ON training_item(item_id);
            CREATE TRIGGER training_item_no_update BEFORE UPDATE ON training_item
            BEGIN SELECT RAISE(ABORT, 'training_item is append-only: history is never rewritten'); END;
            CREATE TRIGGER training_item_no_delete BEFORE DELETE ON training_item
            BEGIN SELECT RAISE(ABORT, 'training_item is append-only: history is never rewritten'); END;
            """)
        }
        // v6 (issue 15): the raters a send-back names, one row each in the order the lead
        // named them, matched by rater id. They were a comma list in `decision.raters`,
        // matched with LIKE, where `_` is a wildcard (a send-back to a-b reached a_b). Old
        // lists are copied here (SendBackRaters.copyCommaLists); the column stays, NULL
        // from now on, since history is never rewritten.
        migrator.registerMigration("v6") { db in
            try db.execute(sql: """
            CREATE TABLE decision_rater (
                id INTEGER PRIMARY KEY,
                decision_id INTEGER NOT NULL REFERENCES decision(id),
                rater_id INTEGER NOT NULL REFERENCES rater(id),
                created_at TEXT NOT NULL
            );
            CREATE INDEX decision_rater_by_decision ON decision_rater(decision_id, id);
            CREATE INDEX decision_rater_by_rater ON decision_rater(rater_id, decision_id);
            CREATE TRIGGER decision_rater_no_update BEFORE UPDATE ON decision_rater
            BEGIN SELECT RAISE(ABORT, 'decision_rater is append-only: history is never rewritten'); END;
            CREATE TRIGGER decision_rater_no_delete BEFORE DELETE ON decision_rater
            BEGIN SELECT RAISE(ABORT, 'decision_rater is append-only: history is never rewritten'); END;
            """)
            try SendBackRaters.copyCommaLists(db)
        }
        // v7 (issue 17): the frame index of a clip whose container has none (MPEG-TS,
        // Matroska, AVI), scanned once at `clip add` and kept here by the clip's content, so
        // the workbench opens it without reading every packet (ProjectSession+ClipIndex).
        // Base64 text, so one SQL reads it on both stores. Not audited (a cache of what the
        // clip file holds), append-only all the same.
        migrator.registerMigration("v7") { db in
            try db.execute(sql: """
            CREATE TABLE clip_index (
                id INTEGER PRIMARY KEY,
                sha256 TEXT NOT NULL REFERENCES clip(sha256),
                format TEXT NOT NULL,
                frames TEXT NOT NULL,
                created_at TEXT NOT NULL,
                UNIQUE (sha256, format)
            );
            CREATE TRIGGER clip_index_no_update BEFORE UPDATE ON clip_index
            BEGIN SELECT RAISE(ABORT, 'clip_index is append-only: history is never rewritten'); END;
            CREATE TRIGGER clip_index_no_delete BEFORE DELETE ON clip_index
            BEGIN SELECT RAISE(ABORT, 'clip_index is append-only: history is never rewritten'); END;
            """)
        }
        // v8 (issue 17): the display each workbench submission was judged on (DisplayRecord).
        // A table of its own, not columns of `submission`, so the rows written before keep
        // their audit digests; at most one row per submission, none for a submission from a
        // client that did not say, and none for imports. Audited and append-only.
        migrator.registerMigration("v8") { db in
            try db.execute(sql: """
            CREATE TABLE submission_display (
                id INTEGER PRIMARY KEY,
                submission_id INTEGER NOT NULL UNIQUE REFERENCES submission(id),
                mode TEXT NOT NULL CHECK (mode IN ('kitty', 'sixel', 'blocks', 'ascii', 'player')),
                width INTEGER NOT NULL CHECK (width BETWEEN 0 AND 100000),
                height INTEGER NOT NULL CHECK (height BETWEEN 0 AND 100000),
                colors TEXT NOT NULL CHECK (colors IN ('24-bit', 'none') OR colors GLOB '[1-9]' OR colors GLOB '[1-9][0-9]'
                                            OR (colors GLOB '[1-2][0-9][0-9]' AND CAST(colors AS INTEGER) <= 256)),
                speeds TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE TRIGGER submission_display_no_update BEFORE UPDATE ON submission_display
            BEGIN SELECT RAISE(ABORT, 'submission_display is append-only: history is never rewritten'); END;
            CREATE TRIGGER submission_display_no_delete BEFORE DELETE ON submission_display
            BEGIN SELECT RAISE(ABORT, 'submission_display is append-only: history is never rewritten'); END;
            """)
        }
        // v9 (issue 19): what an imported prediction adds to its label — the model's
        // confidence in it and which repeated sample it is (docs/release-gate-and-judges.md).
        // A table of its own, as v8's, so `label`'s rows and digests stay as they were; one
        // row per label that has either, none for the rest. Audited and append-only.
        migrator.registerMigration("v9") { db in
            try db.execute(sql: """
            CREATE TABLE label_prediction (
                id INTEGER PRIMARY KEY,
                label_id INTEGER NOT NULL UNIQUE REFERENCES label(id),
                confidence REAL CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
                sample INTEGER CHECK (sample IS NULL OR sample >= 1),
                created_at TEXT NOT NULL,
                CHECK (confidence IS NOT NULL OR sample IS NOT NULL)
            );
            CREATE TRIGGER label_prediction_no_update BEFORE UPDATE ON label_prediction
            BEGIN SELECT RAISE(ABORT, 'label_prediction is append-only: history is never rewritten'); END;
            CREATE TRIGGER label_prediction_no_delete BEFORE DELETE ON label_prediction
            BEGIN SELECT RAISE(ABORT, 'label_prediction is append-only: history is never rewritten'); END;
            """)
        }
        migrator.registerMigration("v10") { db in try pairwiseBatches(db) }
        return migrator
    }
}
