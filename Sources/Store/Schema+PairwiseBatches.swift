import GRDB

extension Schema {
    /// v10 (issue 20): pairwise batches (docs/pairwise.md "Projects"). A pair is an item of
    /// its own whose `clip_id` is clip a, so a clip may now be in several items of one batch:
    /// `item` is rebuilt without UNIQUE (batch_id, clip_id) by SQLite's twelve steps (new
    /// table, copy with ids unchanged, drop, rename, triggers and an index again; GRDB runs a
    /// migration with foreign keys off and checks them after). That a clip is in a batch's
    /// pool once is now kept by Store's code (`addClips`, `addPairs`); that a pair is in a
    /// batch once, in either order, by `item_pair_once`. Three new audited, append-only tables:
    ///
    /// - `item_pair`: which clips a pair item compares (a, b) and its group (the prompt);
    /// - `clip_tag`: a clip's group and system (the model) as `clip add --group --system`
    ///   gave them, a row per change, the latest applies;
    /// - `assignment_side`: which clip of the pair the assigned rater sees on the left,
    ///   written with the assignment (none for items about one clip).
    static func pairwiseBatches(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE item_v10 (
                id INTEGER PRIMARY KEY,
                batch_id INTEGER NOT NULL REFERENCES batch(id),
                clip_id INTEGER NOT NULL REFERENCES clip(id),
                position INTEGER NOT NULL
            );
            INSERT INTO item_v10 (id, batch_id, clip_id, position) SELECT id, batch_id, clip_id, position FROM item ORDER BY id;
            DROP TABLE item;
            ALTER TABLE item_v10 RENAME TO item;
            CREATE INDEX item_by_batch_clip ON item(batch_id, clip_id);
            CREATE TABLE item_pair (
                id INTEGER PRIMARY KEY,
                item_id INTEGER NOT NULL UNIQUE REFERENCES item(id),
                batch_id INTEGER NOT NULL REFERENCES batch(id),
                clip_a_id INTEGER NOT NULL REFERENCES clip(id),
                clip_b_id INTEGER NOT NULL REFERENCES clip(id),
                pair_group TEXT,
                created_at TEXT NOT NULL,
                CHECK (clip_a_id <> clip_b_id)
            );
            CREATE UNIQUE INDEX item_pair_once ON item_pair(batch_id, min(clip_a_id, clip_b_id), max(clip_a_id, clip_b_id));
            CREATE TABLE clip_tag (
                id INTEGER PRIMARY KEY,
                clip_id INTEGER NOT NULL REFERENCES clip(id),
                pair_group TEXT,
                system TEXT,
                created_at TEXT NOT NULL
            );
            CREATE INDEX clip_tag_by_clip ON clip_tag(clip_id, id);
            CREATE TABLE assignment_side (
                id INTEGER PRIMARY KEY,
                assignment_id INTEGER NOT NULL UNIQUE REFERENCES assignment(id),
                left_clip TEXT NOT NULL CHECK (left_clip IN ('a', 'b')),
                created_at TEXT NOT NULL
            );
            """)
        for table in ["item", "item_pair", "clip_tag", "assignment_side"] {
            try db.execute(sql: """
                CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                BEGIN SELECT RAISE(ABORT, '\(table) is append-only: history is never rewritten'); END;
                CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                BEGIN SELECT RAISE(ABORT, '\(table) is append-only: history is never rewritten'); END;
                """)
        }
    }
}
