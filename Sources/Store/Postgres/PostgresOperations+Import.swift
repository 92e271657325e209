extension PostgresOperations {
    /// `ProjectSession.importLabels` and its `LabelImporter` (LabelImporter.swift), set-based:
    /// the client COPYs the file's rows into its temporary table `label_import`
    /// (`labelImportTable`) and calls `concord.import_labels` in the same transaction. Every
    /// row is checked as the Swift importer checks it, with its wording; any problem refuses
    /// the whole file (the first 20 in the error's DETAIL, one per line), otherwise the new
    /// labels and revisions are written in file order with one audit event.
    ///
    /// What the rows name (clips, batches, raters) is resolved once per distinct name, not
    /// per row, and the rows are then joined against those small tables: a million rows are
    /// a few hash joins.
    static let importLabels = #"""
        -- Clock.canonical: an ISO 8601 date-time as people write it ("2026-11-24T13:05:12Z",
        -- "2026-11-24T13:05:12.5+01:00", "2026-11-24 13:05") in the Store's UTC form, or NULL.
        -- A day past its month's end (2026-02-30, 2025-02-29) is no date (Clock.daysIn).
        CREATE FUNCTION concord.op_clock_canonical(p_text text) RETURNS text
        LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = concord, pg_temp AS $$
        DECLARE
            v_part text[] := regexp_match(p_text,
                '^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$');
            v_year int; v_month int; v_day int; v_hour int; v_minute int; v_second int; v_millis int; v_offset int := 0;
            v_y int; v_era int; v_yoe int; v_doy int; v_doe int;
            v_seconds bigint;
        BEGIN
            IF v_part IS NULL THEN
                RETURN NULL;
            END IF;
            v_year := v_part[1]::int; v_month := v_part[2]::int; v_day := v_part[3]::int;
            v_hour := coalesce(v_part[4]::int, 0); v_minute := coalesce(v_part[5]::int, 0); v_second := coalesce(v_part[6]::int, 0);
            v_millis := coalesce(rpad(left(v_part[7], 3), 3, '0')::int, 0);
            IF v_month NOT BETWEEN 1 AND 12 OR v_hour > 23 OR v_minute > 59 OR v_second > 60
               OR v_day NOT BETWEEN 1 AND (CASE WHEN v_month = 2 AND v_year % 4 = 0 AND (v_year % 100 <> 0 OR v_year % 400 = 0) THEN 29
                                                WHEN v_month = 2 THEN 28 WHEN v_month IN (4, 6, 9, 11) THEN 30 ELSE 31 END) THEN
                RETURN NULL;
            END IF;
            IF v_part[8] IS NOT NULL AND v_part[8] <> 'Z' THEN
                v_offset := (CASE WHEN left(v_part[8], 1) = '+' THEN 1 ELSE -1 END)
                    * (substr(v_part[8], 2, 2)::int * 3600 + substr(v_part[8], 5, 2)::int * 60);
            END IF;
            -- Days from the civil date (Howard Hinnant's algorithm), then seconds.
            v_y := CASE WHEN v_month <= 2 THEN v_year - 1 ELSE v_year END;
            v_era := (CASE WHEN v_y >= 0 THEN v_y ELSE v_y - 399 END) / 400;
            v_yoe := v_y - v_era * 400;
            v_doy := (153 * (v_month + CASE WHEN v_month > 2 THEN -3 ELSE 9 END) + 2) / 5 + v_day - 1;
            v_doe := v_yoe * 365 + v_yoe / 4 - v_yoe / 100 + v_doy;
            v_seconds := (v_era * 146097 + v_doe - 719468)::bigint * 86400 + v_hour * 3600 + v_minute * 60 + v_second - v_offset;
            RETURN to_char(to_timestamp(v_seconds) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '.' || lpad(v_millis::text, 3, '0') || 'Z';
        END
        $$;

        -- Rubric.isShown: whether a criterion is shown given answers (criterion → value).
        -- Every condition of its `when` must hold, on an earlier criterion that is itself
        -- shown; numbers compare as numbers ("5" matches "5.0").
        CREATE FUNCTION concord.op_is_shown(p_criteria jsonb, p_answers jsonb, p_id text) RETURNS boolean
        LANGUAGE plpgsql IMMUTABLE SET search_path = concord, pg_temp AS $$
        DECLARE
            v_condition record;
            v_earlier jsonb;
            v_answer text;
        BEGIN
            FOR v_condition IN
                SELECT w.key, w.value FROM jsonb_array_elements(p_criteria) c, jsonb_each(c->'when') w WHERE c->>'id' = p_id
            LOOP
                SELECT c INTO v_earlier FROM jsonb_array_elements(p_criteria) c WHERE c->>'id' = v_condition.key;
                v_answer := p_answers->>v_condition.key;
                IF v_earlier IS NULL OR v_answer IS NULL THEN
                    RETURN false;
                END IF;
                IF v_earlier->>'scale' IN ('interval', 'ratio') THEN
                    IF concord.op_number(v_answer) IS NULL OR NOT EXISTS (
                        SELECT 1 FROM jsonb_array_elements_text(v_condition.value) a WHERE concord.op_number(a) = concord.op_number(v_answer)) THEN
                        RETURN false;
                    END IF;
                ELSIF NOT v_condition.value ? v_answer THEN
                    RETURN false;
                END IF;
                IF NOT concord.op_is_shown(p_criteria, p_answers, v_condition.key) THEN
                    RETURN false;
                END IF;
            END LOOP;
            RETURN true;
        END
        $$;

        -- Where a row's clip reference (a name, or 12+ hex digits of a SHA-256) and batch
        -- column lead: the one item, or the Swift importer's problem for the row.
        CREATE FUNCTION concord.op_import_target(p_ref text, p_batch_ref text, p_only bigint)
        RETURNS TABLE (item_id bigint, batch_id bigint, clip_name text, frame_count bigint, problem text)
        LANGUAGE plpgsql STABLE SET search_path = concord, pg_temp AS $$
        DECLARE
            v_clip bigint;
            v_lower text;
            v_matches bigint;
            v_named bigint;
            v_count bigint;
            v_names text;
        BEGIN
            SELECT c.id, c.name, c.frame_count INTO v_clip, clip_name, frame_count FROM clip c WHERE c.name = p_ref;
            IF v_clip IS NULL THEN
                v_lower := lower(p_ref);
                IF length(v_lower) NOT BETWEEN 12 AND 64 OR v_lower !~ '^[0-9a-f]+$' THEN
                    problem := 'no clip named ' || concord.quoted(p_ref)
                        || ' in the project; add it with concord clip add, or use its SHA-256 (12+ hex digits)';
                    RETURN NEXT;
                    RETURN;
                END IF;
                SELECT count(*), min(c.id) INTO v_matches, v_clip FROM clip c WHERE starts_with(c.sha256, v_lower);
                IF v_matches <> 1 THEN
                    problem := CASE WHEN v_matches = 0 THEN 'no clip has a SHA-256 starting with ' || v_lower
                                    ELSE v_matches || ' clips have a SHA-256 starting with ' || v_lower || '; give more digits' END;
                    RETURN NEXT;
                    RETURN;
                END IF;
                SELECT c.name, c.frame_count INTO clip_name, frame_count FROM clip c WHERE c.id = v_clip;
            END IF;
            IF p_batch_ref IS NOT NULL THEN
                SELECT b.id INTO v_named FROM batch b WHERE b.name = p_batch_ref;
                IF v_named IS NULL THEN
                    problem := 'no batch named ' || concord.quoted(p_batch_ref);
                    RETURN NEXT;
                    RETURN;
                END IF;
            END IF;
            SELECT count(*), min(i.id), min(i.batch_id), string_agg(b.name, ', ' ORDER BY b.name COLLATE "C")
              INTO v_count, item_id, batch_id, v_names
              FROM item i JOIN batch b ON b.id = i.batch_id
             WHERE i.clip_id = v_clip AND (p_only IS NULL OR i.batch_id = p_only) AND (v_named IS NULL OR i.batch_id = v_named)
               -- A pair item's clip_id is its clip a: a row naming that clip means the clip
               -- (its pool item), never one of its pairs.
               AND NOT EXISTS (SELECT 1 FROM item_pair p WHERE p.item_id = i.id);
            IF v_count = 0 AND v_named IS NOT NULL THEN
                problem := 'the clip ' || clip_name || ' is not in batch ' || concord.quoted(p_batch_ref);
            ELSIF v_count = 0 THEN
                problem := 'the clip ' || clip_name || ' is in no batch' || CASE WHEN p_only IS NULL THEN '' ELSE ' of --batch' END
                    || '; add it with concord clip add --batch';
            ELSIF v_count > 1 THEN
                problem := 'the clip ' || clip_name || ' is in ' || v_count || ' batches (' || v_names || '); choose one with --batch';
            ELSIF concord.op_is_pairwise((SELECT b.rubric_version_id FROM batch b WHERE b.id = batch_id)) THEN
                -- A pair's answer is only half the story without the side each rater saw clip
                -- a on, which the workbench records and a file cannot vouch for (LabelImporter).
                problem := 'batch ' || concord.quoted(v_names) || ' compares pairs of clips; label import does not take answers about pairs '
                    || '(the side each rater saw is part of them): raters answer pairs in concord rate';
            END IF;
            IF problem IS NOT NULL THEN
                item_id := NULL;
                batch_id := NULL;
            END IF;
            RETURN NEXT;
        END
        $$;

        -- One import problem as the Swift importer words it: the row as the file gave it, and
        -- what the plan found (its batch, the criterion's position, a duplicate's first line).
        CREATE FUNCTION concord.op_import_problem(p_problem text, p_clip text, p_rater text, p_criterion text, p_value text,
                                                  p_frame bigint, p_submitted_at text, p_batch text, p_batch_id bigint,
                                                  p_pos int, p_first_line bigint) RETURNS text
        LANGUAGE plpgsql STABLE SET search_path = concord, pg_temp AS $$
        DECLARE
            v_target record;
            v_batch record;
            v_criterion record;
        BEGIN
            SELECT * INTO v_target FROM pg_temp.import_target WHERE ref = p_clip AND batch_key = coalesce('=' || p_batch, '-');
            SELECT * INTO v_batch FROM pg_temp.import_batch WHERE id = p_batch_id;
            SELECT * INTO v_criterion FROM pg_temp.import_criterion WHERE batch_id = p_batch_id AND pos = p_pos;
            RETURN CASE p_problem
                WHEN 'target' THEN v_target.problem
                WHEN 'rater' THEN (SELECT problem FROM pg_temp.import_rater WHERE name = p_rater)
                WHEN 'criterion' THEN 'the rubric ' || concord.quoted(v_batch.rubric_name) || ' of batch ' || concord.quoted(v_batch.name)
                    || ' has no criterion ' || concord.quoted(p_criterion) || '; criteria: ' || v_batch.criteria
                WHEN 'text' THEN 'the value of ' || p_criterion || ' ' || concord.op_stored_text_problem(p_value)
                WHEN 'value' THEN p_criterion || ': ' || concord.op_value_problem(v_criterion.scale, v_criterion.options,
                    v_criterion.low, v_criterion.high, v_criterion.step, p_value)
                WHEN 'frame' THEN 'frame ' || p_frame || ' is outside the clip ' || v_target.clip_name || ', which has frames 0–'
                    || (v_target.frame_count - 1)
                WHEN 'submitted_at' THEN 'submitted_at ' || concord.quoted(p_submitted_at)
                    || ' is not an ISO 8601 date-time like 2026-11-24T13:05:12Z'
                WHEN 'duplicate' THEN 'a second label for clip ' || v_target.clip_name || ', rater ' || p_rater || ', criterion '
                    || p_criterion || ' (first at line ' || p_first_line || '); keep one row each'
                WHEN 'hidden' THEN p_criterion || ' is only asked when '
                    || (SELECT string_agg(condition, ' and ' ORDER BY condition COLLATE "C")
                          FROM (SELECT w.key || ' is ' || (SELECT string_agg(v, ' or ' ORDER BY n)
                                                             FROM jsonb_array_elements_text(w.value) WITH ORDINALITY x(v, n)) AS condition
                                  FROM jsonb_each(v_criterion.conditions) w) conditions)
                    || ', which this rater''s answers for ' || p_clip || ' do not meet'
                END;
        END
        $$;

        -- Whether the caller's temporary table p_table is one import_labels may read as the
        -- owner: a plain table of plain columns named and typed p_columns ("name type"), so
        -- that nothing of the caller's (a policy, a rule, a view, a child table) runs with
        -- the owner's rights.
        CREATE FUNCTION concord.op_plain_temp_table(p_table oid, p_columns text[]) RETURNS boolean
        LANGUAGE sql STABLE SET search_path = concord, pg_temp AS $$
            SELECT p_table IS NOT NULL
               AND EXISTS (SELECT 1 FROM pg_class WHERE oid = p_table AND relkind = 'r' AND NOT relrowsecurity AND NOT relhasrules
                              AND NOT relhassubclass AND relpersistence = 't')
               AND (SELECT array_agg(attname || ' ' || atttypid::regtype::text ORDER BY attnum) FROM pg_attribute
                     WHERE attrelid = p_table AND attnum > 0 AND NOT attisdropped) IS NOT DISTINCT FROM p_columns
        $$;

        -- Stops import_labels' one-pass first import at a row it cannot write as it is (a
        -- problem, a name the caller's list left out, a line before the first): the checks
        -- of every row then run instead. STABLE, not VOLATILE: a volatile function in the
        -- INSERT's SELECT list keeps the planner from merging that SELECT into the INSERT,
        -- which then copies every row once more (0.2 s of a million); it has no argument
        -- to be folded on, and only IMMUTABLE functions are evaluated while planning.
        CREATE FUNCTION concord.op_import_unfit() RETURNS bigint
        LANGUAGE plpgsql STABLE AS $$
        BEGIN
            RAISE EXCEPTION 'import_labels: a row the one-pass import cannot write' USING ERRCODE = 'CC001';
        END
        $$;

        -- The names the rows use, each resolved once: import_names (each (clip, batch)
        -- reference, rater, and value of an option or number criterion; a text criterion's
        -- values are not needed: NULL), then import_value, import_target and import_rater.
        -- From the rows themselves (one pass over them, a hash table per grouping set), or,
        -- when p_listed, from the caller's list of them in pg_temp.label_import_names (a few
        -- hundred rows instead of a pass over a million). A list is only a shortcut for the
        -- one-pass first import, which stops at any row whose names it lacks; every other
        -- use takes the names from the rows.
        CREATE FUNCTION concord.op_import_names(p_listed boolean, p_only bigint) RETURNS void
        LANGUAGE plpgsql SET search_path = concord, pg_temp AS $$
        BEGIN
            DROP TABLE IF EXISTS import_names, import_value, import_target, import_rater;
            IF p_listed THEN
                CREATE TEMP TABLE import_names ON COMMIT DROP AS
                SELECT true AS of_clip, false AS of_rater, false AS of_value, clip, batch, NULL::text AS rater,
                       NULL::text AS criterion, NULL::text AS value
                  FROM pg_temp.label_import_names WHERE clip IS NOT NULL GROUP BY clip, batch
                UNION ALL
                SELECT false, true, false, NULL, NULL, rater, NULL, NULL
                  FROM pg_temp.label_import_names WHERE rater IS NOT NULL GROUP BY rater
                UNION ALL
                SELECT false, false, true, NULL, NULL, NULL, v.criterion, v.value
                  FROM (SELECT criterion, CASE WHEN criterion IN (SELECT id FROM import_criterion WHERE scale <> 'text') THEN value END AS value
                          FROM pg_temp.label_import_names WHERE criterion IS NOT NULL) v
                 GROUP BY v.criterion, v.value;
            ELSE
                CREATE TEMP TABLE import_names ON COMMIT DROP AS
                SELECT GROUPING(r.clip) = 0 AS of_clip, GROUPING(r.rater) = 0 AS of_rater, GROUPING(r.criterion) = 0 AS of_value,
                       r.clip, r.batch, r.rater, r.criterion, r.value
                  FROM (SELECT clip, batch, rater, criterion,
                               CASE WHEN criterion IN (SELECT id FROM import_criterion WHERE scale <> 'text') THEN value END AS value
                          FROM pg_temp.label_import) r
                 GROUP BY GROUPING SETS ((r.clip, r.batch), (r.rater), (r.criterion, r.value));
            END IF;
            -- Each distinct value of an option or number criterion, checked (control characters
            -- too: StoredText) and respelled once: a million rows hold a few dozen of them.
            CREATE TEMP TABLE import_value ON COMMIT DROP AS
            SELECT c.batch_id, c.id AS criterion, v.value, concord.op_canonical_answer(c.scale, v.value) AS canonical,
                   v.value ~ '[\x01-\x08\x0B-\x1F]' AS control,
                   CASE WHEN c.scale IN ('nominal', 'ordinal') THEN NOT coalesce(v.value = ANY (c.options), false)
                        WHEN c.scale IN ('interval', 'ratio') AND c.low IS NOT NULL THEN NOT concord.op_in_range(v.value, c.low, c.high, c.step)
                        ELSE false END AS out_of_domain
              FROM import_names v
              JOIN import_criterion c ON c.id = v.criterion AND c.scale <> 'text'
             WHERE v.of_value AND v.value IS NOT NULL;
            -- Each distinct (clip, batch) reference and rater name, resolved once. The usual
            -- reference, a clip's name whose one item (in the batch named, if any) is in a
            -- batch of single clips, is resolved for all at once, by joins; op_import_target
            -- resolves the others one by one and words their problems. (One call each cost
            -- 0.13 ms: a tenth of a second for a thousand clips.)
            CREATE TEMP TABLE import_target ON COMMIT DROP AS
            WITH refs AS (SELECT clip, batch FROM import_names WHERE of_clip),
            plain AS (
                SELECT r.clip, r.batch, min(i.id) AS item_id, min(i.batch_id) AS batch_id, r.clip AS clip_name, c.frame_count
                  FROM refs r
                  JOIN clip c ON c.name = r.clip
                  LEFT JOIN batch named ON named.name = r.batch
                  JOIN item i ON i.clip_id = c.id AND (p_only IS NULL OR i.batch_id = p_only)
                             AND (r.batch IS NULL OR i.batch_id = named.id)
                             AND NOT EXISTS (SELECT 1 FROM item_pair p WHERE p.item_id = i.id)
                 GROUP BY r.clip, r.batch, c.frame_count
                HAVING count(*) = 1),
            resolved AS (
                SELECT p.*, b.rubric_version_id FROM plain p JOIN import_batch b ON b.id = p.batch_id
                 WHERE NOT concord.op_is_pairwise(b.rubric_version_id))
            SELECT r.clip AS ref, coalesce('=' || r.batch, '-') AS batch_key, r.item_id, r.batch_id, r.clip_name, r.frame_count,
                   NULL::text AS problem, r.rubric_version_id
              FROM resolved r
            UNION ALL
            SELECT r.clip, coalesce('=' || r.batch, '-'), t.*, b.rubric_version_id
              FROM refs r
              CROSS JOIN LATERAL concord.op_import_target(r.clip, r.batch, p_only) t
              LEFT JOIN import_batch b ON b.id = t.batch_id
             WHERE NOT EXISTS (SELECT 1 FROM resolved d WHERE d.clip = r.clip AND d.batch IS NOT DISTINCT FROM r.batch);
            CREATE TEMP TABLE import_rater ON COMMIT DROP AS
            SELECT r.rater AS name, a.id,
                   CASE WHEN a.id IS NULL THEN 'no rater named ' || concord.quoted(r.rater) || '; add them with: concord rater add '
                                               || concord.op_printable_cut(r.rater) || ' --role rater'
                        WHEN a.role = 'auditor' THEN concord.quoted(r.rater) || ' is an auditor; auditors do not label' END AS problem
              FROM (SELECT rater FROM import_names WHERE of_rater) r
              LEFT JOIN LATERAL concord.rater_named(r.rater) a ON true;
            ANALYZE import_value;
            ANALYZE import_target;
            ANALYZE import_rater;
        END
        $$;

        -- Imports the rows of pg_temp.label_import all or nothing: every row is checked
        -- (clip, batch, rater, criterion, value, frame, submitted_at, one row per label, the
        -- criterion's `when`) and only when there is no problem are the new labels and
        -- revisions written, in file order; a row equal to the current label writes nothing.
        -- Returns {"added", "revised", "unchanged"}.
        CREATE FUNCTION concord.import_labels(p_file text, p_file_sha256 text, p_batch text DEFAULT NULL, p_as text DEFAULT NULL)
        RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp
        -- Hash joins and aggregates in memory: the plans for a million rows joined to a few
        -- thousand names (the caller's table has no statistics, so estimates are poor). No
        -- JIT: compiling each statement's expressions took longer than running them. The
        -- maintenance memory sorts label_current's key in one pass when it is built anew.
        SET work_mem = '256MB' SET maintenance_work_mem = '256MB' SET enable_nestloop = off SET jit = off AS $$
        DECLARE
            v_actor concord.acting;
            v_only bigint;
            v_table oid := to_regclass('pg_temp.label_import');
            v_rows bigint;
            v_problems bigint;
            v_lines text[];
            v_before bigint[];
            v_now text;
            v_summary record;
            v_full boolean;
            v_sort text;
            v_no_labels boolean;
            v_last bigint;
            v_digest text;
            v_parallel text;
            v_done boolean := false;
            v_list oid := to_regclass('pg_temp.label_import_names');
            v_listed boolean;
            v_alike boolean;
            v_first_line bigint;
            v_written bigint;
            v_added bigint;
            v_revised bigint;
            v_unchanged bigint;
        BEGIN
            PERFORM concord.write_lock();
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'importLabels');
            -- The caller's tables are read as the owner (op_plain_temp_table says which may be).
            IF NOT concord.op_plain_temp_table(v_table, ARRAY['line bigint', 'clip text', 'rater text', 'criterion text', 'value text',
                   'frame bigint', 'submitted_at text', 'batch text', 'confidence double precision', 'sample bigint']) THEN
                RAISE EXCEPTION 'import_labels reads the file''s rows from the temporary table label_import (line bigint, clip text, rater text, criterion text, value text, frame bigint, submitted_at text, batch text, confidence double precision, sample bigint), filled by COPY in the same transaction'
                    USING ERRCODE = '22023';
            END IF;
            IF v_list IS NOT NULL AND NOT concord.op_plain_temp_table(v_list, ARRAY['clip text', 'batch text', 'rater text',
                                                                                    'criterion text', 'value text']) THEN
                RAISE EXCEPTION 'import_labels reads the names the rows use, when the caller lists them, from the temporary table label_import_names (clip text, batch text, rater text, criterion text, value text): a row each naming a clip (with its batch column), a rater, or a criterion with a value'
                    USING ERRCODE = '22023';
            END IF;
            v_only := CASE WHEN p_batch IS NULL THEN NULL ELSE concord.op_batch_id(p_batch) END;
            -- Read under the write lock: no other write can add a label before this one ends.
            v_no_labels := NOT EXISTS (SELECT 1 FROM label_current);

            -- The project's batches and their criteria (from each rubric version's JSON).
            CREATE TEMP TABLE import_batch ON COMMIT DROP AS
            SELECT b.id, b.name, b.rubric_version_id, rv.name AS rubric_name, rv.canonical_json::jsonb->'criteria' AS criteria_json,
                   (SELECT string_agg(c->>'id', ', ' ORDER BY n) FROM jsonb_array_elements(rv.canonical_json::jsonb->'criteria')
                                                                 WITH ORDINALITY x(c, n)) AS criteria
              FROM batch b JOIN rubric_version rv ON rv.id = b.rubric_version_id;
            CREATE TEMP TABLE import_criterion ON COMMIT DROP AS
            SELECT b.id AS batch_id, c.*, c.conditions <> '{}' AS conditional,
                   EXISTS (SELECT 1 FROM jsonb_array_elements(b.criteria_json) o WHERE o->'when' ? c.id) AS referenced
              FROM import_batch b, concord.op_criteria(b.rubric_version_id) c;
            ANALYZE import_criterion;
            -- The caller's list of names serves the one-pass first import only (below).
            v_listed := v_list IS NOT NULL AND v_no_labels;
            PERFORM concord.op_import_names(v_listed, v_only);

            -- The usual first import, in one pass: a project without labels, a file of plain
            -- labels (no confidence or sample) for criteria without `when`, one row a line
            -- (no value spans lines). Each row is resolved and checked as below (rowProblem)
            -- and written at once with its label id and its label_current row; no plan of a
            -- million rows is kept. A row's id follows from its line alone: the first row's
            -- line (as COPY stored it) gives the first id, so ids come in line order whatever
            -- order the rows came in (no sort, no window). Every row is written or stops the
            -- pass (op_import_unfit): a problem, a name the caller's list left out, a model's
            -- confidence or sample, a line before the first. So the rows written are all the
            -- rows, and no count is needed before; label's key, built after, refuses a line
            -- given twice, and the largest id then shows whether the lines ran unbroken (every
            -- number from the first to the last). A stop, a line twice, a gap or a second row
            -- for one label (label_current's key) undoes the block, and the checks below run
            -- instead, which find and word every problem.
            v_first_line := (SELECT line FROM pg_temp.label_import LIMIT 1);
            IF v_no_labels AND v_first_line IS NOT NULL AND NOT EXISTS (SELECT 1 FROM import_criterion WHERE conditional) THEN
                BEGIN
                    v_before := concord.max_ids(ARRAY['label', 'label_prediction']);
                    v_now := concord.now_text();
                    ALTER TABLE label DROP CONSTRAINT label_pkey;
                    ALTER TABLE label_current DROP CONSTRAINT label_current_pkey;
                    WITH written AS (
                        INSERT INTO label (id, item_id, criterion, rater_id, value, rubric_version_id, frame, pts, dwell_ms,
                                           submitted_at, recorded_at, revision, source)
                        SELECT CASE WHEN t.ref IS NOT NULL AND ra.name IS NOT NULL AND (v.value IS NOT NULL OR c.scale = 'text')
                                         AND r.line >= v_first_line AND r.confidence IS NULL AND r.sample IS NULL
                                         AND (\#(rowProblem)) IS NULL
                                    THEN v_before[1] + r.line - v_first_line + 1 ELSE concord.op_import_unfit() END,
                               t.item_id, r.criterion, ra.id, coalesce(v.canonical, r.value), t.rubric_version_id,
                               r.frame, NULL, NULL, coalesce(concord.op_clock_canonical(r.submitted_at), v_now), v_now, 1, 'import'
                          \#(everyRowResolved)
                        RETURNING item_id, rater_id, criterion, id)
                    INSERT INTO label_current (item_id, rater_id, criterion, label_id)
                    SELECT item_id, rater_id, criterion, id FROM written;
                    GET DIAGNOSTICS v_written = ROW_COUNT;
                    ALTER TABLE label ADD CONSTRAINT label_pkey PRIMARY KEY (id);
                    IF (concord.max_ids(ARRAY['label']))[1] <> v_before[1] + v_written THEN
                        RAISE EXCEPTION 'import_labels: the lines do not run unbroken' USING ERRCODE = 'CC001';
                    END IF;
                    ALTER TABLE label_current ADD CONSTRAINT label_current_pkey PRIMARY KEY (item_id, rater_id, criterion);
                    PERFORM setval(pg_get_serial_sequence('concord.label', 'id'), v_before[1] + v_written);
                    v_rows := v_written;
                    v_added := v_written;
                    v_revised := 0;
                    v_unchanged := 0;
                    v_problems := 0;
                    v_done := true;
                EXCEPTION WHEN unique_violation OR SQLSTATE 'CC001' THEN
                    v_done := false;
                END;
            END IF;

            IF NOT v_done THEN
            IF v_listed THEN
                PERFORM concord.op_import_names(false, v_only);
            END IF;
            v_rows := (SELECT count(*) FROM pg_temp.label_import);
            -- Every row, resolved, with its first problem (in the Swift importer's order of
            -- checks) and the current label it would revise. Values in their stored spelling.
            -- A project without labels (the usual first import) leaves out the two joins that
            -- find current labels: a million probes of empty tables are not free.
            EXECUTE format($plan$
            CREATE TEMP TABLE import_plan ON COMMIT DROP AS
            SELECT r.line, t.item_id, t.batch_id, t.rubric_version_id, ra.id AS rater_id, c.pos, r.criterion, r.frame,
                   r.confidence, r.sample,
                   coalesce(v.canonical, r.value) AS value,
                   CASE WHEN r.submitted_at IS NOT NULL THEN concord.op_clock_canonical(r.submitted_at) END AS submitted_at,
                   \#(rowProblem) AS problem,
                   NULL::bigint AS first_line, %s
              \#(resolvedRows) %s
            $plan$,
                CASE WHEN NOT v_no_labels THEN
                    $current$lc.label_id AS current_id,
                   CASE WHEN c.scale IN ('interval', 'ratio') THEN concord.op_canonical_answer(c.scale, l.value) ELSE l.value END AS current_value,
                   l.frame AS current_frame, l.revision AS current_revision,
                   lp.confidence AS current_confidence, lp.sample AS current_sample$current$
                ELSE 'NULL::bigint AS current_id, NULL::text COLLATE "C" AS current_value, NULL::bigint AS current_frame, '
                     'NULL::bigint AS current_revision, NULL::double precision AS current_confidence, NULL::bigint AS current_sample' END,
                CASE WHEN NOT v_no_labels THEN
                    $current$
              LEFT JOIN label_current lc ON lc.item_id = t.item_id AND lc.rater_id = ra.id AND lc.criterion = r.criterion
              LEFT JOIN label l ON l.id = lc.label_id
              LEFT JOIN label_prediction lp ON lp.label_id = lc.label_id$current$
                ELSE '' END);
            ANALYZE import_plan;

            -- The checks across rows, then the writes. One row per (item, criterion, rater):
            -- a later row for a label an earlier sound row already gives is a problem
            -- (LabelImporter's lineOfKey). Looking for such pairs among a million rows costs
            -- seconds, so the first pass looks only among rows whose label exists (they revise
            -- it or leave it); a pair of new labels cannot both enter label_current, whose key
            -- refuses the second. Then, or when there are problems anyway, a full pass finds
            -- every pair, and the `when` checks are made again without them.
            -- (A project without labels has no such rows: its first pass skips the look.)
            v_full := false;
            LOOP
                IF v_full OR NOT v_no_labels THEN
                    UPDATE import_plan p SET problem = 'duplicate', first_line = d.first_line
                      FROM (SELECT item_id, pos, rater_id, min(line) AS first_line FROM import_plan
                             WHERE problem IS NULL AND (v_full OR current_id IS NOT NULL)
                             GROUP BY item_id, pos, rater_id HAVING count(*) > 1) d
                     WHERE p.problem IS NULL AND p.item_id = d.item_id AND p.pos = d.pos AND p.rater_id = d.rater_id AND p.line > d.first_line;
                END IF;

                -- `when` conditions see the rater's answers after the import: the current labels
                -- overlaid by the file's sound rows, for the criteria some condition names. Those
                -- answers take few distinct values (present: yes or no…), so each condition is
                -- decided once per distinct set of answers, then applied to every row.
                IF EXISTS (SELECT 1 FROM import_criterion WHERE conditional)
                   AND EXISTS (SELECT 1 FROM import_plan p JOIN import_criterion c ON c.batch_id = p.batch_id AND c.pos = p.pos
                                WHERE p.problem IS NULL AND c.conditional) THEN
                    CREATE TEMP TABLE import_answers ON COMMIT DROP AS
                    SELECT k.item_id, k.rater_id, coalesce(cur.answers, '{}') || coalesce(fil.answers, '{}') AS answers
                      FROM (SELECT DISTINCT p.item_id, p.rater_id FROM import_plan p
                              JOIN import_criterion c ON c.batch_id = p.batch_id AND c.pos = p.pos
                             WHERE p.problem IS NULL AND c.conditional) k
                      LEFT JOIN (SELECT p.item_id, p.rater_id, jsonb_object_agg(c.id, p.value) AS answers FROM import_plan p
                                   JOIN import_criterion c ON c.batch_id = p.batch_id AND c.pos = p.pos AND c.referenced
                                  WHERE p.problem IS NULL GROUP BY p.item_id, p.rater_id) fil
                             ON fil.item_id = k.item_id AND fil.rater_id = k.rater_id
                      LEFT JOIN (SELECT lc.item_id, lc.rater_id, jsonb_object_agg(lc.criterion, l.value) AS answers
                                   FROM label_current lc JOIN label l ON l.id = lc.label_id
                                  WHERE lc.criterion IN (SELECT id FROM import_criterion WHERE referenced) GROUP BY lc.item_id, lc.rater_id) cur
                             ON cur.item_id = k.item_id AND cur.rater_id = k.rater_id;
                    ANALYZE import_answers;
                    CREATE TEMP TABLE import_shown ON COMMIT DROP AS
                    SELECT d.batch_id, d.pos, d.answers, concord.op_is_shown(b.criteria_json, d.answers, c.id) AS shown
                      FROM (SELECT DISTINCT p.batch_id, p.pos, a.answers FROM import_plan p
                              JOIN import_criterion c ON c.batch_id = p.batch_id AND c.pos = p.pos AND c.conditional
                              JOIN import_answers a ON a.item_id = p.item_id AND a.rater_id = p.rater_id
                             WHERE p.problem IS NULL) d
                      JOIN import_batch b ON b.id = d.batch_id
                      JOIN import_criterion c ON c.batch_id = d.batch_id AND c.pos = d.pos;
                    UPDATE import_plan p SET problem = 'hidden'
                      FROM import_criterion c, import_answers a, import_shown s
                     WHERE p.problem IS NULL AND c.batch_id = p.batch_id AND c.pos = p.pos AND c.conditional
                       AND a.item_id = p.item_id AND a.rater_id = p.rater_id
                       AND s.batch_id = p.batch_id AND s.pos = p.pos AND s.answers = a.answers AND NOT s.shown;
                    DROP TABLE import_answers, import_shown;
                END IF;

                -- The problems, and for a sound file what it adds and revises and whether
                -- the rows are in line order (below), in one scan.
                SELECT count(*) FILTER (WHERE problem IS NOT NULL) AS problems,
                       count(*) FILTER (WHERE current_id IS NULL) AS added,
                       count(*) FILTER (WHERE current_id IS NOT NULL AND NOT unchanged) AS revised,
                       count(*) FILTER (WHERE unchanged) AS unchanged,
                       coalesce(bool_and(line >= previous), true) AS in_line_order
                  INTO v_summary
                  FROM (SELECT line, lag(line) OVER () AS previous, current_id, problem,
                               current_id IS NOT NULL AND current_value = value AND current_frame IS NOT DISTINCT FROM frame
                               AND current_confidence IS NOT DISTINCT FROM confidence
                               AND current_sample IS NOT DISTINCT FROM sample AS unchanged
                          FROM import_plan) p;
                v_problems := v_summary.problems;
                IF v_problems = 0 THEN
                    -- The writes: a label per new or changed row, in file order, and
                    -- label_current pointed at each. A revision 1 is a new key of label_current,
                    -- a later one replaces its key's pointer: a plain INSERT (and an UPDATE only
                    -- when something is revised) cost half of an INSERT … ON CONFLICT.
                    -- Label ids follow the file's lines. The joins above read label_import in
                    -- the order COPY wrote it, which is the file's, and mostly keep that order;
                    -- the scan just made proves it (no line before the one above it). When not
                    -- (a join hashed the file's rows, an UPDATE above moved some), import_plan
                    -- is made again in line order by CREATE TABLE AS, which only appends (an
                    -- INSERT may fill space left on earlier pages), and checked again. Either
                    -- way the INSERT below reads it with a plain sequential scan (a temporary
                    -- table has no index, no parallel or synchronised scan), so ids are handed
                    -- out in line order without sorting a million wide rows. (A window, not
                    -- array_agg(line) = array_agg(line ORDER BY line): PostgreSQL 16 may sort an
                    -- aggregate's input for its ORDER BY, which would hide the order read.)
                    IF NOT v_summary.in_line_order THEN
                        CREATE TEMP TABLE import_sorted ON COMMIT DROP AS SELECT * FROM import_plan ORDER BY line;
                        DROP TABLE import_plan;
                        ALTER TABLE import_sorted RENAME TO import_plan;
                        IF NOT (SELECT coalesce(bool_and(line >= previous), true)
                                  FROM (SELECT line, lag(line) OVER () AS previous FROM import_plan) p) THEN
                            RAISE EXCEPTION 'import_labels: the rows could not be put in line order';
                        END IF;
                    END IF;
                    v_before := concord.max_ids(ARRAY['label', 'label_prediction']);
                    v_now := concord.now_text();
                    BEGIN
                        IF v_no_labels THEN
                            -- The project's first labels: the keys of label and label_current
                            -- are built once, sorted, after the rows are written, instead of a
                            -- million insertions into each (a WAL record per row and key: about
                            -- a quarter of the writes' time). They are the same constraints, in
                            -- place before this transaction ends; label_current's refuses a
                            -- second row for a new label as the plain INSERT would
                            -- (unique_violation, below). Both tables are locked until COMMIT
                            -- meanwhile: with no labels yet, a reader waits for the import's
                            -- instead of reading none.
                            ALTER TABLE label DROP CONSTRAINT label_pkey;
                            ALTER TABLE label_current DROP CONSTRAINT label_current_pkey;
                        END IF;
                        -- Ids given here, in that order, and the identity moved past them
                        -- after: a million calls of the identity's sequence were a third of
                        -- the INSERT's time. The write lock keeps every other writer out.
                        INSERT INTO label (id, item_id, criterion, rater_id, value, rubric_version_id, frame, pts, dwell_ms, submitted_at,
                                           recorded_at, revision, source)
                        SELECT v_before[1] + row_number() OVER (), p.item_id, p.criterion, p.rater_id, p.value, p.rubric_version_id,
                               p.frame, NULL, NULL, coalesce(p.submitted_at, v_now), v_now, coalesce(p.current_revision, 0) + 1, 'import'
                          FROM import_plan p
                         WHERE NOT (p.current_id IS NOT NULL AND p.current_value = p.value AND p.current_frame IS NOT DISTINCT FROM p.frame
                                    AND p.current_confidence IS NOT DISTINCT FROM p.confidence
                                    AND p.current_sample IS NOT DISTINCT FROM p.sample);
                        GET DIAGNOSTICS v_written = ROW_COUNT;
                        IF v_written > 0 THEN
                            PERFORM setval(pg_get_serial_sequence('concord.label', 'id'), v_before[1] + v_written);
                        END IF;
                        INSERT INTO label_current (item_id, rater_id, criterion, label_id)
                        SELECT item_id, rater_id, criterion, id FROM label WHERE id > v_before[1] AND revision = 1;
                        IF v_no_labels THEN
                            ALTER TABLE label ADD CONSTRAINT label_pkey PRIMARY KEY (id);
                            ALTER TABLE label_current ADD CONSTRAINT label_current_pkey PRIMARY KEY (item_id, rater_id, criterion);
                        END IF;
                        -- A confidence or sample goes with its label (LabelImporter's
                        -- insertPredictions): one row per new label that has either, in label
                        -- order. One row per (item, criterion, rater) in the file, so the key finds it.
                        IF EXISTS (SELECT 1 FROM import_plan WHERE confidence IS NOT NULL OR sample IS NOT NULL) THEN
                            INSERT INTO label_prediction (label_id, confidence, sample, created_at)
                            SELECT l.id, p.confidence, p.sample, v_now
                              FROM import_plan p
                              JOIN label l ON l.id > v_before[1] AND l.item_id = p.item_id AND l.rater_id = p.rater_id
                                          AND l.criterion = p.criterion
                             WHERE p.confidence IS NOT NULL OR p.sample IS NOT NULL
                             ORDER BY l.id;
                        END IF;
                        IF v_summary.revised > 0 THEN
                            UPDATE label_current lc SET label_id = l.id
                              FROM label l
                             WHERE l.id > v_before[1] AND l.revision > 1
                               AND lc.item_id = l.item_id AND lc.rater_id = l.rater_id AND lc.criterion = l.criterion;
                        END IF;
                        EXIT;
                    EXCEPTION WHEN unique_violation THEN
                        -- Two rows for one new label: nothing of this block was written. After
                        -- the full pass there can be none, so the violation is something else.
                        IF v_full THEN
                            RAISE;
                        END IF;
                    END;
                ELSIF v_full THEN
                    EXIT;
                END IF;
                v_full := true;
                UPDATE import_plan SET problem = NULL WHERE problem = 'hidden';
            END LOOP;
            v_added := v_summary.added;
            v_revised := v_summary.revised;
            v_unchanged := v_summary.unchanged;
            END IF;

            IF v_problems > 0 THEN
                -- In file order; the first 20, then how many more.
                SELECT array_agg(concord.op_printable(p_file) || ':' || x.line || ': '
                                 || concord.op_printable(concord.op_import_problem(x.problem, r.clip, r.rater, r.criterion, r.value, r.frame,
                                                                                   r.submitted_at, r.batch, x.batch_id, x.pos, x.first_line),
                                                         false, true) ORDER BY x.line)
                  INTO v_lines
                  FROM (SELECT * FROM import_plan WHERE problem IS NOT NULL ORDER BY line LIMIT 20) x
                  JOIN pg_temp.label_import r ON r.line = x.line;
                IF v_problems > 20 THEN
                    v_lines := v_lines || ('… and ' || (v_problems - 20) || ' more');
                END IF;
                RAISE EXCEPTION '%', concord.op_printable(p_file) || ': ' || v_problems || ' problem'
                    || CASE WHEN v_problems = 1 THEN '' ELSE 's' END || '; nothing was imported'
                    USING ERRCODE = '22023', DETAIL = array_to_string(v_lines, chr(10));
            END IF;
            -- label has no statistics yet after a first import: without this the planner
            -- sorts the new rows for the digest instead of reading them in primary-key order
            -- (the digest's ORDER BY stands either way). Put back after: a SET LOCAL made in
            -- a function would last until the caller's COMMIT.
            v_sort := current_setting('enable_sort');
            PERFORM set_config('enable_sort', 'off', true);
            -- The new labels' digest without RowDigest's escapes when no stored text can
            -- need one (PostgresOperations+ImportDigest.swift): criteria are the rubric's ids
            -- and option and number values the respelled ones checked above, each looked at
            -- once; times are Clock's spelling (op_clock_canonical, now_text) and source is
            -- 'import'. A text criterion's values are not looked at: a file with one takes
            -- row_digest_label. No parallel plan, which could hand the aggregate rows out of
            -- id order (as row_digest_label).
            v_last := (concord.max_ids(ARRAY['label']))[1];
            IF v_last > v_before[1]
               AND (concord.max_ids(ARRAY['label_prediction']))[1] = v_before[2]
               AND NOT EXISTS (SELECT 1 FROM import_criterion WHERE id ~ '[\\\x1F\n]')
               AND NOT EXISTS (SELECT 1 FROM import_value WHERE value ~ '[\\\x1F\n]' OR canonical ~ '[\\\x1F\n]')
               AND NOT EXISTS (SELECT 1 FROM import_names n JOIN import_criterion c ON c.id = n.criterion
                                WHERE n.of_value AND c.scale = 'text') THEN
                v_parallel := current_setting('max_parallel_workers_per_gather');
                PERFORM set_config('max_parallel_workers_per_gather', '0', true);
                EXECUTE $digest$\#(importedLabelDigest)$digest$ INTO v_digest, v_alike USING v_before[1] + 1, v_last, v_now;
                IF NOT v_alike THEN
                    EXECUTE $digest$\#(plainLabelDigest)$digest$ INTO v_digest USING v_before[1] + 1, v_last;
                END IF;
                PERFORM set_config('max_parallel_workers_per_gather', v_parallel, true);
                PERFORM concord.audit_append_rows(v_actor, 'label.import',
                    jsonb_build_object('file', p_file, 'file_sha256', p_file_sha256, 'rows', v_rows, 'added', v_added,
                                       'revised', v_revised),
                    jsonb_build_array(jsonb_build_object('table', 'label', 'first', v_before[1] + 1, 'last', v_last, 'digest', v_digest)));
            ELSE
                PERFORM concord.audit_append(v_actor, 'label.import',
                    jsonb_build_object('file', p_file, 'file_sha256', p_file_sha256, 'rows', v_rows, 'added', v_added,
                                       'revised', v_revised),
                    ARRAY['label', 'label_prediction'], v_before);
            END IF;
            PERFORM set_config('enable_sort', v_sort, true);
            DROP TABLE IF EXISTS import_plan;
            DROP TABLE import_names, import_value, import_target, import_rater, import_criterion, import_batch;
            RETURN jsonb_build_object('added', v_added, 'revised', v_revised, 'unchanged', v_unchanged);
        END
        $$;
        """#

    /// Each row `r` of label_import with what its names resolved to (`rowProblem`'s `t`,
    /// `ra`, `c` and `v`), for the plan of every row: a row whose clip or rater resolved to
    /// nothing has no plan row, as the names come from the rows themselves.
    static let resolvedRows = resolved(join: "JOIN")

    /// The same keeping every row, its `t` and `ra` NULL where the names did not resolve
    /// (a caller's list of names that left one out), for the one-pass first import, which
    /// must see every row to stop at such a one.
    static let everyRowResolved = resolved(join: "LEFT JOIN")

    private static func resolved(join: String) -> String {
        """
        FROM pg_temp.label_import r
        \(join) import_target t ON t.ref = r.clip AND t.batch_key = coalesce('=' || r.batch, '-')
        \(join) import_rater ra ON ra.name = r.rater
        LEFT JOIN import_criterion c ON c.batch_id = t.batch_id AND c.id = r.criterion
        LEFT JOIN import_value v ON v.batch_id = t.batch_id AND v.criterion = r.criterion AND v.value = r.value
        """
    }

    /// A row's first problem, in the Swift importer's order of checks (LabelImporter), from
    /// the row `r` of label_import and what it resolved to: its target `t`, rater `ra`,
    /// criterion `c` and value `v`; NULL for a sound row. One text for the plan of every row
    /// and for the one-pass first import, so both judge a row alike.
    static let rowProblem = #"""
        CASE WHEN t.problem IS NOT NULL THEN 'target'
             WHEN ra.problem IS NOT NULL THEN 'rater'
             WHEN c.id IS NULL THEN 'criterion'
             WHEN coalesce(v.control, r.value ~ '[\x01-\x08\x0B-\x1F]') THEN 'text'
             WHEN v.out_of_domain THEN 'value'
             WHEN r.frame < 0 OR r.frame >= t.frame_count THEN 'frame'
             WHEN r.submitted_at IS NOT NULL AND concord.op_clock_canonical(r.submitted_at) IS NULL THEN 'submitted_at'
        END
        """#
}
