extension PostgresOperations {
    /// A rater's writes from the workbench: `ProjectSession.submitItem` and `markItem`
    /// (ProjectSession+Workbench.swift).
    static let work = #"""
        -- The item's rubric version, clip and frame count, after checking the actor may work
        -- on it: a rater only on items assigned to them (itemContext in Swift). One query;
        -- internal, called by the owner's SECURITY DEFINER functions only, so no SET clause
        -- of its own (it names its tables in full).
        CREATE FUNCTION concord.op_item_context(p_actor concord.acting, p_item bigint,
                                                OUT rubric_version bigint, OUT frame_count bigint, OUT clip text)
        LANGUAGE plpgsql STABLE AS $$
        DECLARE
            v_assigned boolean;
        BEGIN
            SELECT b.rubric_version_id, c.frame_count, c.name,
                   EXISTS (SELECT 1 FROM concord.assignment a WHERE a.item_id = i.id AND a.rater_id = p_actor.id)
              INTO rubric_version, frame_count, clip, v_assigned
              FROM concord.item i JOIN concord.batch b ON b.id = i.batch_id JOIN concord.clip c ON c.id = i.clip_id
             WHERE i.id = p_item;
            IF rubric_version IS NULL THEN
                RAISE EXCEPTION 'no item %', p_item USING ERRCODE = 'P0002';
            END IF;
            IF p_actor.role = 'rater' AND NOT v_assigned THEN
                RAISE EXCEPTION 'item % is not assigned to %', p_item, p_actor.name USING ERRCODE = '42501';
            END IF;
        END
        $$;

        -- Submits a whole item: a label per new or changed answer (revision + 1), an empty
        -- value withdrawing an answer the rater cleared or the rubric no longer shows,
        -- label_current pointed at them, and a submission row with what the rater watched.
        -- p_answers maps the rubric's criteria to the wanted values, as the client worked
        -- them out from the rubric's `when` rules ("" or missing: no answer). The client
        -- also checks completeness; the database checks each value against its criterion.
        --
        -- p_client_id is the client's id for this submission: the same id again (a retry
        -- after a lost connection) writes nothing and returns the first call's result with
        -- "replayed": true. Returns {"written", "withdrawn", "replayed"}.
        --
        -- The write lock is taken late, after every check that does not depend on the rows
        -- this call writes (role, item, values), so that writers queue only behind each
        -- other's writing and COMMIT. What the checks read is either immutable (items,
        -- clips, rubric versions), only ever grows (assignments), or is read again under the
        -- lock: the actor (a role changed meanwhile, or an admin's --as no longer allowed, is
        -- then checked anew, as if the lock had been taken first) and the client id (a retry
        -- racing its first call replays it instead of failing on the id). Everything that
        -- depends on what other writers write happens under the lock: each answer's current
        -- revision, the timestamps, the new ids (contiguous: no other writer takes ids from
        -- the identities meanwhile) and the audit chain's head.
        --
        -- With p_dry (warm_up's dry run, never a caller's) it makes every check and runs every
        -- statement but writes nothing: no lock, no row (each INSERT's rows are filtered out
        -- by NOT p_dry, so no identity hands out an id), no event, no NOTIFY. Internal: the
        -- owner's alone; submit_item is the callers' door, with p_dry false.
        --
        -- Always the generic plan (plan_cache_mode, for the functions it calls too): left to
        -- choose, PostgreSQL plans each statement anew for its first five calls in a session
        -- before it compares a generic plan, about 1.3 ms more for each of a rater's first
        -- five commits, most of that under the write lock; the generic plans are the ones it
        -- settles on after them.
        CREATE FUNCTION concord.op_submit_item(p_dry boolean, p_client_id uuid, p_item bigint, p_answers jsonb, p_frame bigint,
                                               p_pts double precision, p_dwell_ms bigint, p_watched_share double precision,
                                               p_as text, p_display jsonb DEFAULT NULL) RETURNS jsonb
        LANGUAGE plpgsql SET search_path = concord, pg_temp SET plan_cache_mode = force_generic_plan AS $$
        DECLARE
            v_actor concord.acting;
            v_context record;
            v_rubric_name text;
            v_full_view boolean;
            v_criteria jsonb;
            v_replay record;
            v_key text;
            v_problem record;
            v_now text;
            v_first bigint;
            v_last bigint;
            v_written int;
            v_withdrawn int;
            v_submission bigint;
            v_display text;
            v_result jsonb;
            v_share text;
            v_payload text;
        BEGIN
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'submitLabels');
            -- A retry's client id is looked up once, under the lock below: its checks here pass
            -- as its first call's did (items, clips and rubrics never change, assignments grow).
            v_context := concord.op_item_context(v_actor, p_item);
            -- The rubric's criteria as rubric_criteria holds them (its JSON is not parsed here).
            SELECT rv.name, rc.require_full_view, rc.criteria INTO v_rubric_name, v_full_view, v_criteria
              FROM rubric_version rv JOIN rubric_criteria rc ON rc.id = rv.id WHERE rv.id = v_context.rubric_version;
            IF jsonb_typeof(p_answers) IS DISTINCT FROM 'object' THEN
                RAISE EXCEPTION 'submit_item: the answers must be a JSON object of criterion → value' USING ERRCODE = '22023';
            END IF;
            -- The first answer, in key order, naming no criterion or not a string.
            SELECT a.key, NOT v_criteria @> jsonb_build_array(jsonb_build_object('id', a.key)) AS unknown INTO v_problem
              FROM jsonb_each(p_answers) a
             WHERE NOT v_criteria @> jsonb_build_array(jsonb_build_object('id', a.key)) OR jsonb_typeof(a.value) <> 'string'
             ORDER BY a.key COLLATE "C" LIMIT 1;
            IF v_problem.unknown THEN
                RAISE EXCEPTION 'the rubric % has no criterion %', concord.quoted(v_rubric_name), concord.quoted(v_problem.key)
                    USING ERRCODE = '22023';
            ELSIF v_problem.key IS NOT NULL THEN
                RAISE EXCEPTION 'submit_item: the answer to % must be a JSON string', concord.quoted(v_problem.key) USING ERRCODE = '22023';
            END IF;
            -- Values that cannot be stored (op_stored_text_problem's test), refused in key order
            -- with StoredText's words.
            SELECT e.key INTO v_key FROM jsonb_each_text(p_answers) e
             WHERE e.value ~ '[\x01-\x08\x0B-\x1F]' ORDER BY e.key COLLATE "C" LIMIT 1;
            IF v_key IS NOT NULL THEN
                PERFORM concord.op_check_stored_text(p_answers->>v_key, 'the value of ' || v_key);
            END IF;
            -- Numbers in their one stored spelling ("1.0" → "1"), as imports and decisions store
            -- them; every check is of the value as it will be stored. The first criterion, in
            -- the rubric's order, whose value is outside its domain.
            SELECT c.id, concord.op_value_problem(c.scale, c.options, c.low, c.high, c.step, w.wanted) AS problem INTO v_problem
              FROM jsonb_to_recordset(v_criteria) AS c(pos int, id text, scale text, options text[], low float8, high float8, step float8)
                   CROSS JOIN LATERAL (SELECT concord.op_canonical_answer(c.scale, coalesce(p_answers->>c.id, '')) AS wanted) w
             WHERE w.wanted <> '' AND NOT (c.scale IN ('nominal', 'ordinal') AND coalesce(w.wanted = ANY (c.options), false))
               AND concord.op_value_problem(c.scale, c.options, c.low, c.high, c.step, w.wanted) IS NOT NULL
             ORDER BY c.pos LIMIT 1;
            IF v_problem.problem IS NOT NULL THEN
                RAISE EXCEPTION '%: %', v_problem.id, v_problem.problem USING ERRCODE = '22023';
            END IF;
            IF v_full_view AND p_watched_share < 1 THEN
                RAISE EXCEPTION '%', 'the rubric ' || concord.quoted(v_rubric_name) || ' asks for the whole clip to be watched first ('
                    || floor(p_watched_share * 100)::bigint || '% seen)' USING ERRCODE = '22023';
            END IF;
            IF p_frame IS NOT NULL AND (p_frame < 0 OR p_frame >= v_context.frame_count) THEN
                RAISE EXCEPTION 'frame % is outside the clip % (0–%)', p_frame, v_context.clip, v_context.frame_count - 1
                    USING ERRCODE = '22023';
            END IF;
            IF p_watched_share IS NULL OR NOT (p_watched_share >= 0 AND p_watched_share <= 1) OR p_watched_share = 'NaN' THEN
                RAISE EXCEPTION 'watched share % is not between 0 and 1', concord.op_swift_double(p_watched_share)
                    USING ERRCODE = '22023';
            END IF;
            -- The watched share as the audit payload spells it, before the lock, which it does
            -- not need: what canonical_json makes of json_double (every Double in a payload),
            -- Swift's description of the Double, for a share checked above to be finite; "+ 0"
            -- turns -0 into 0, as json_double's numeric does. A sixth of canonical_json's time.
            v_share := concord.op_swift_double(p_watched_share + 0);
            -- The write lock: what follows depends on other writers.
            IF NOT p_dry THEN
                PERFORM concord.write_lock();
            END IF;
            IF concord.actor(p_as) IS DISTINCT FROM v_actor THEN
                v_actor := concord.actor(p_as);
                PERFORM concord.require(v_actor, 'submitLabels');
                PERFORM concord.op_item_context(v_actor, p_item);
            END IF;
            IF p_client_id IS NOT NULL THEN
                SELECT rater_id, result INTO v_replay FROM submission_request WHERE client_id = p_client_id;
                IF FOUND THEN
                    IF v_replay.rater_id <> v_actor.id THEN
                        RAISE EXCEPTION 'the submission id % was used by another rater; the client must make a new id for each submission', p_client_id
                            USING ERRCODE = '22023';
                    END IF;
                    RETURN v_replay.result || '{"replayed": true}';
                END IF;
            END IF;
            v_now := concord.now_text();
            -- A label per new or changed answer, in the rubric's order (ids are given in the
            -- order of the sorted rows: the identity's default is computed above the sort),
            -- and label_current pointed at them, in one statement.
            WITH wanted AS (
                SELECT c.pos, c.id, concord.op_canonical_answer(c.scale, coalesce(p_answers->>c.id, '')) AS value,
                       coalesce(l.revision, 0) + 1 AS revision, coalesce(l.value, '') AS current
                  FROM jsonb_to_recordset(v_criteria) AS c(pos int, id text, scale text)
                  LEFT JOIN label_current lc ON lc.item_id = p_item AND lc.rater_id = v_actor.id AND lc.criterion = c.id
                  LEFT JOIN label l ON l.id = lc.label_id
            ), written AS (
                INSERT INTO label (item_id, criterion, rater_id, value, rubric_version_id, frame, pts, dwell_ms, submitted_at,
                                   recorded_at, revision, source)
                SELECT p_item, w.id, v_actor.id, w.value, v_context.rubric_version, p_frame, p_pts, p_dwell_ms, v_now, v_now,
                       w.revision, 'workbench'
                  FROM wanted w WHERE w.value <> w.current AND NOT p_dry ORDER BY w.pos
                RETURNING id, criterion, value
            ), pointed AS (
                INSERT INTO label_current (item_id, rater_id, criterion, label_id)
                SELECT p_item, v_actor.id, criterion, id FROM written
                ON CONFLICT (item_id, rater_id, criterion) DO UPDATE SET label_id = excluded.label_id
            )
            SELECT min(id), max(id), count(*) FILTER (WHERE value <> ''), count(*) FILTER (WHERE value = '')
              INTO v_first, v_last, v_written, v_withdrawn FROM written;
            INSERT INTO submission (item_id, rater_id, first_label_id, last_label_id, frame, pts, dwell_ms, watched_share, created_at)
            SELECT p_item, v_actor.id, v_first, v_last, p_frame, p_pts, p_dwell_ms, p_watched_share, v_now WHERE NOT p_dry
            RETURNING id INTO v_submission;
            -- What the rater judged on (PostgresSchema+Display.swift): its row and its entry of the rows.
            v_display := concord.op_submission_display(p_dry, v_submission, p_display, v_now);
            -- The event's payload, {item, rows: [{digest, first, last, table}…], via?,
            -- watched_share, withdrawn, written}, spelled here as concord.canonical_json spells
            -- it (keys in byte order, no spaces; integers and hex digests as they are; the one
            -- free text, an admin's name in via, and the share through canonical_json itself),
            -- where the general function would take a fifth of the time this holds the lock
            -- (PostgresSubmitPayloadTests and PostgresCanonicalJSONTests compare the two). Dry, there is no submission: NULL.
            v_payload := '{"item":' || p_item || ',"rows":['
                || CASE WHEN v_first IS NULL THEN ''
                        ELSE '{"digest":"' || concord.row_digest_label(v_first, v_last) || '","first":' || v_first
                             || ',"last":' || v_last || ',"table":"label"},' END
                || '{"digest":"' || concord.row_digest_submission(v_submission, v_submission) || '","first":' || v_submission
                || ',"last":' || v_submission || ',"table":"submission"}' || v_display || ']'
                || CASE WHEN v_actor.via IS NULL THEN '' ELSE ',"via":' || concord.canonical_json(to_jsonb(v_actor.via)) END
                || ',"watched_share":' || v_share || ',"withdrawn":' || v_withdrawn || ',"written":' || v_written || '}';
            PERFORM concord.audit_append_payload(v_actor, 'item.submit', v_payload, p_dry);
            v_result := jsonb_build_object('written', v_written, 'withdrawn', v_withdrawn);
            IF p_client_id IS NOT NULL THEN
                INSERT INTO submission_request (client_id, rater_id, submission_id, result, created_at)
                SELECT p_client_id, v_actor.id, v_submission, v_result, v_now WHERE NOT p_dry;
            END IF;
            RETURN v_result || '{"replayed": false}';
        END
        $$;

        -- The callers' door to op_submit_item (above, which says what it does).
        CREATE FUNCTION concord.submit_item(p_client_id uuid, p_item bigint, p_answers jsonb, p_frame bigint DEFAULT NULL,
                                            p_pts double precision DEFAULT NULL, p_dwell_ms bigint DEFAULT NULL,
                                            p_watched_share double precision DEFAULT 0, p_as text DEFAULT NULL,
                                            p_display jsonb DEFAULT NULL) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        BEGIN
            RETURN concord.op_submit_item(false, p_client_id, p_item, p_answers, p_frame, p_pts, p_dwell_ms, p_watched_share, p_as,
                                          p_display);
        END
        $$;

        -- Readies this connection for the workbench's commits, writing nothing: PostgreSQL
        -- compiles a PL/pgSQL function and plans each of its statements for a connection the
        -- first time it runs them, 10–60 ms that a session's first commit would otherwise
        -- spend, several of them holding the write lock. So the session that will commit calls
        -- this once after connecting: a dry run of the commit (op_submit_item with p_dry) on an
        -- item the actor may work on, and the digest of an empty range of labels (a dry run
        -- inserts none to digest). Takes no lock a writer takes and consumes no id. Returns
        -- whether there was an item to rehearse on; refuses what submit_item would refuse.
        CREATE FUNCTION concord.warm_up(p_as text DEFAULT NULL) RETURNS boolean
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_actor concord.acting := concord.actor(p_as);
            v_item bigint;
        BEGIN
            PERFORM concord.require(v_actor, 'submitLabels');
            v_item := coalesce((SELECT min(a.item_id) FROM assignment a WHERE a.rater_id = v_actor.id),
                               CASE WHEN v_actor.role <> 'rater' THEN (SELECT min(i.id) FROM item i) END);
            IF v_item IS NULL THEN
                RETURN false;
            END IF;
            PERFORM concord.op_submit_item(true, gen_random_uuid(), v_item, '{}', NULL, NULL, NULL, 1, p_as,
                                           '{"mode": "kitty", "width": 0, "height": 0, "colors": "24-bit", "speeds": ""}');
            PERFORM concord.row_digest_label(1, 0);
            RETURN true;
        END
        $$;

        -- Skips (with a reason) or flags (with a note) an item in the acting rater's queue.
        -- Returns {"mark": the item_mark row's id}.
        CREATE FUNCTION concord.mark_item(p_item bigint, p_kind text, p_note text, p_as text DEFAULT NULL) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_actor concord.acting;
            v_note text := concord.op_trimmed(p_note);
            v_id bigint;
        BEGIN
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'submitLabels');
            IF p_kind IS NULL OR p_kind NOT IN ('skip', 'flag') THEN
                RAISE EXCEPTION '% is not a kind of mark; use skip or flag', concord.quoted(coalesce(p_kind, '')) USING ERRCODE = '22023';
            END IF;
            IF v_note IS NULL THEN
                RAISE EXCEPTION '%', CASE p_kind WHEN 'skip' THEN 'a skip needs a reason' ELSE 'a flag needs a note' END
                    USING ERRCODE = '22023';
            END IF;
            PERFORM concord.op_check_stored_text(v_note, CASE p_kind WHEN 'skip' THEN 'the reason' ELSE 'the note' END);
            PERFORM concord.op_item_context(v_actor, p_item);
            -- The lock after the checks, the actor read again under it: as submit_item.
            PERFORM concord.write_lock();
            IF concord.actor(p_as) IS DISTINCT FROM v_actor THEN
                v_actor := concord.actor(p_as);
                PERFORM concord.require(v_actor, 'submitLabels');
                PERFORM concord.op_item_context(v_actor, p_item);
            END IF;
            INSERT INTO item_mark (item_id, rater_id, kind, note, created_at) VALUES (p_item, v_actor.id, p_kind, v_note, concord.now_text())
            RETURNING id INTO v_id;
            PERFORM concord.audit_append_rows(v_actor, 'item.' || p_kind, jsonb_build_object('item', p_item, 'kind', p_kind, 'note', v_note),
                jsonb_build_array(jsonb_build_object('table', 'item_mark', 'first', v_id, 'last', v_id,
                                                     'digest', concord.row_digest_item_mark(v_id, v_id))));
            RETURN jsonb_build_object('mark', v_id);
        END
        $$;
        """#
}
