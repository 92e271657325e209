extension PostgresOperations {
    /// `ProjectSession.addClips` and `assign` (ProjectSession+Clips.swift), row for row.
    static let clips = #"""
        -- Registers clips as items of a batch, creating the batch with the latest version of
        -- p_rubric when it does not exist. All or nothing. p_clips: an array of objects with
        -- the clip table's columns (sha256, name, path, codec, duration, frame_rate,
        -- frame_count, width, height, rotation, size_bytes). Returns [{item, clip, new_clip}].
        CREATE FUNCTION concord.add_clips(p_batch text, p_rubric text, p_clips jsonb, p_as text DEFAULT NULL) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_actor concord.acting;
            v_before bigint[];
            v_at text;
            v_batch bigint;
            v_batch_rubric text;
            v_rubric bigint;
            v_position bigint;
            v_clip jsonb;
            v_path text;
            v_seen jsonb := '{}';
            v_clip_id bigint;
            v_known text;
            v_in_batch boolean;
            v_new boolean;
            v_item bigint;
            v_added jsonb := '[]';
            v_listed jsonb := '[]';
        BEGIN
            PERFORM concord.write_lock();
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'addClips');
            IF p_batch IS NULL OR p_batch !~ '^[A-Za-z0-9._-]{1,64}$' THEN
                RAISE EXCEPTION '% is not a valid batch name; use letters, digits, ''.'', ''_'' or ''-''', concord.quoted(coalesce(p_batch, ''))
                    USING ERRCODE = '22023';
            END IF;
            IF jsonb_typeof(p_clips) IS DISTINCT FROM 'array' THEN
                RAISE EXCEPTION 'add_clips: the clips must be a JSON array of objects' USING ERRCODE = '22023';
            END IF;
            v_before := concord.max_ids(ARRAY['batch', 'clip', 'item']);
            v_at := concord.now_text();
            SELECT b.id, r.name INTO v_batch, v_batch_rubric FROM batch b JOIN rubric_version r ON r.id = b.rubric_version_id
             WHERE b.name = p_batch;
            IF v_batch IS NOT NULL THEN
                IF p_rubric IS NOT NULL AND p_rubric <> v_batch_rubric THEN
                    RAISE EXCEPTION 'batch % uses the rubric %, not %; leave out --rubric or choose another batch',
                        concord.quoted(p_batch), concord.quoted(v_batch_rubric), concord.quoted(p_rubric) USING ERRCODE = '22023';
                END IF;
            ELSE
                IF p_rubric IS NULL THEN
                    RAISE EXCEPTION 'batch % does not exist yet; name its rubric with --rubric NAME', concord.quoted(p_batch)
                        USING ERRCODE = '22023';
                END IF;
                SELECT id INTO v_rubric FROM rubric_version WHERE name = p_rubric ORDER BY id DESC LIMIT 1;
                IF v_rubric IS NULL THEN
                    RAISE EXCEPTION 'no rubric named %; add it first with: concord rubric add FILE.yaml', concord.quoted(p_rubric)
                        USING ERRCODE = 'P0002';
                END IF;
                INSERT INTO batch (name, rubric_version_id, created_at) VALUES (p_batch, v_rubric, v_at) RETURNING id INTO v_batch;
            END IF;
            SELECT coalesce(max(position), 0) INTO v_position FROM item WHERE batch_id = v_batch;
            FOR v_clip IN SELECT value FROM jsonb_array_elements(p_clips) LOOP
                IF jsonb_typeof(v_clip) IS DISTINCT FROM 'object'
                   OR NOT v_clip ?& ARRAY['sha256', 'name', 'path', 'codec', 'duration', 'frame_rate', 'frame_count',
                                          'width', 'height', 'rotation', 'size_bytes'] THEN
                    RAISE EXCEPTION 'add_clips: each clip needs sha256, name, path, codec, duration, frame_rate, frame_count, width, height, rotation and size_bytes'
                        USING ERRCODE = '22023';
                END IF;
                v_path := v_clip->>'path';
                IF v_seen ? (v_clip->>'sha256') THEN
                    RAISE EXCEPTION '%: the same content as %, given twice; add each clip once',
                        concord.op_printable(v_path), concord.op_printable(v_seen->>(v_clip->>'sha256')) USING ERRCODE = '22023';
                END IF;
                v_seen := v_seen || jsonb_build_object(v_clip->>'sha256', v_path);
                v_new := false;
                SELECT id, name INTO v_clip_id, v_known FROM clip WHERE sha256 = v_clip->>'sha256';
                IF v_clip_id IS NOT NULL THEN
                    -- In the batch's own items (a pairwise batch's pool), not only as clip a of a pair.
                    v_in_batch := EXISTS (SELECT 1 FROM item i WHERE i.batch_id = v_batch AND i.clip_id = v_clip_id
                                             AND NOT EXISTS (SELECT 1 FROM item_pair p WHERE p.item_id = i.id));
                    -- One content, one name: the clip would be recorded under its first name
                    -- while the user goes on using the new one, which nothing else knows.
                    IF v_known <> v_clip->>'name' AND NOT v_in_batch THEN
                        RAISE EXCEPTION '%: the same content is already in the project as the clip %; a clip keeps one name: add it as % (rename or link the file) and refer to it by that name; nothing was added',
                            concord.op_printable(v_path), concord.op_printable(v_known), concord.op_printable(v_known) USING ERRCODE = '22023';
                    END IF;
                    IF v_in_batch THEN
                        RAISE EXCEPTION '%: already added to batch % as %; nothing was added',
                            concord.op_printable(v_path), concord.quoted(p_batch), v_known USING ERRCODE = '22023';
                    END IF;
                ELSE
                    SELECT sha256 INTO v_known FROM clip WHERE name = v_clip->>'name';
                    IF v_known IS NOT NULL THEN
                        RAISE EXCEPTION '%: a different clip named % is already in the project (sha256 %…); rename the file',
                            concord.op_printable(v_path), concord.quoted(v_clip->>'name'), left(v_known, 12) USING ERRCODE = '22023';
                    END IF;
                    INSERT INTO clip (sha256, name, path, codec, duration, frame_rate, frame_count, width, height, rotation, size_bytes, created_at)
                    VALUES (v_clip->>'sha256', v_clip->>'name', v_path, v_clip->>'codec', (v_clip->>'duration')::float8,
                            (v_clip->>'frame_rate')::float8, (v_clip->>'frame_count')::bigint, (v_clip->>'width')::bigint,
                            (v_clip->>'height')::bigint, (v_clip->>'rotation')::bigint, (v_clip->>'size_bytes')::bigint, v_at)
                    RETURNING id INTO v_clip_id;
                    v_new := true;
                END IF;
                v_position := v_position + 1;
                INSERT INTO item (batch_id, clip_id, position) VALUES (v_batch, v_clip_id, v_position) RETURNING id INTO v_item;
                v_added := v_added || jsonb_build_array(jsonb_build_object('item', v_item, 'clip', v_clip->>'name', 'new_clip', v_new));
                v_listed := v_listed || jsonb_build_array(jsonb_build_object('name', v_clip->>'name', 'sha256', v_clip->>'sha256'));
            END LOOP;
            PERFORM concord.audit_append(v_actor, 'clip.add', jsonb_build_object('batch', p_batch, 'clips', v_listed),
                                         ARRAY['batch', 'clip', 'item'], v_before);
            RETURN v_added;
        END
        $$;

        -- Assigns the batch's items to raters: every rater every item, or with p_overlap N
        -- each item to N raters, spread so every rater gets the same number of items (±1);
        -- with p_gold_rate, the batch's gold questions mixed into each queue. Existing
        -- assignments are kept. In a pairwise batch the items are its pairs (never its pool)
        -- and each new assignment gets its side (op_assign_sides). Returns {"created": the
        -- number of new assignments}.
        CREATE FUNCTION concord.assign(p_batch text, p_raters text[], p_overlap integer DEFAULT NULL,
                                       p_gold_rate double precision DEFAULT NULL, p_as text DEFAULT NULL) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_actor concord.acting;
            v_before bigint[];
            v_count int := coalesce(cardinality(p_raters), 0);
            v_batch bigint;
            v_rater concord.acting;
            v_ids bigint[] := '{}';
            v_name text;
            v_items bigint[];
            v_n int;
            v_at text;
            v_created int := 0;
            v_gold bigint[];
            v_assigned bigint[];
            v_regular int;
            v_have int;
            v_want int;
            v_k int;
            v_pairwise boolean;
        BEGIN
            PERFORM concord.write_lock();
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'assign');
            IF v_count = 0 THEN
                RAISE EXCEPTION '--raters needs at least one rater name' USING ERRCODE = '22023';
            END IF;
            IF p_overlap IS NOT NULL AND (p_overlap < 1 OR p_overlap > v_count) THEN
                RAISE EXCEPTION '--overlap must be between 1 and the number of raters (%); got %', v_count, p_overlap USING ERRCODE = '22023';
            END IF;
            IF p_gold_rate IS NOT NULL AND NOT (p_gold_rate >= 0 AND p_gold_rate <= 1 AND p_gold_rate <> 'NaN') THEN
                RAISE EXCEPTION '--gold-rate must be a fraction between 0 and 1; got %', concord.op_swift_double(p_gold_rate)
                    USING ERRCODE = '22023';
            END IF;
            v_before := concord.max_ids(ARRAY['assignment', 'batch_setting', 'assignment_side']);
            v_batch := concord.op_batch_id(p_batch);
            v_pairwise := concord.op_is_pairwise((SELECT rubric_version_id FROM batch WHERE id = v_batch));
            IF v_pairwise AND p_gold_rate IS NOT NULL THEN
                RAISE EXCEPTION 'batch % compares pairs; --gold-rate mixes gold questions into batches of single clips only: leave it out',
                    concord.quoted(p_batch) USING ERRCODE = '22023';
            END IF;
            FOREACH v_name IN ARRAY p_raters LOOP
                v_rater := concord.rater_named(v_name);
                IF v_rater.id IS NULL THEN
                    RAISE EXCEPTION 'no rater named %; add them with: concord rater add % --role rater',
                        concord.quoted(v_name), concord.op_printable_cut(v_name) USING ERRCODE = 'P0002';
                END IF;
                IF v_rater.role = 'auditor' THEN
                    RAISE EXCEPTION '% is an auditor; auditors read reports and do not label', concord.quoted(v_name) USING ERRCODE = '22023';
                END IF;
                IF v_rater.id = ANY (v_ids) THEN
                    RAISE EXCEPTION '% is named twice in --raters', concord.quoted(v_name) USING ERRCODE = '22023';
                END IF;
                v_ids := v_ids || v_rater.id;
            END LOOP;
            -- A pairwise batch's pool clips are never assigned: its pair items are.
            v_items := ARRAY(SELECT i.id FROM item i WHERE i.batch_id = v_batch
                                AND (NOT v_pairwise OR EXISTS (SELECT 1 FROM item_pair p WHERE p.item_id = i.id)) ORDER BY i.position);
            IF v_pairwise AND coalesce(cardinality(v_items), 0) = 0 THEN
                RAISE EXCEPTION 'batch % has no pairs yet; add them with: concord pair add --batch % --file pairs.csv, or plan them with: concord assign --batch % --raters a,b --pairs all-within-group',
                    concord.quoted(p_batch), p_batch, p_batch USING ERRCODE = '22023';
            END IF;
            v_at := concord.now_text();
            v_n := coalesce(p_overlap, v_count);
            -- Item i goes to raters i·n, i·n+1, … (mod R): consecutive items rotate through
            -- the raters, so loads differ by at most one and pairs of raters co-occur evenly.
            FOR i IN 0 .. coalesce(cardinality(v_items), 0) - 1 LOOP
                FOR j IN 0 .. v_n - 1 LOOP
                    v_created := v_created + concord.op_assign_one(v_items[i + 1], v_ids[(i * v_n + j) % v_count + 1], v_at);
                END LOOP;
            END LOOP;
            IF p_gold_rate > 0 THEN
                -- The gold questions of the batch in batch order, each rater starting at a
                -- different one, until they make up about p_gold_rate of the rater's queue.
                v_gold := ARRAY(SELECT i.id FROM item i WHERE i.batch_id = v_batch
                                   AND EXISTS (SELECT 1 FROM gold g WHERE g.item_id = i.id) ORDER BY i.position);
                IF cardinality(v_gold) = 0 THEN
                    RAISE EXCEPTION '--gold-rate needs gold questions in the batch; add them first with: concord gold add ITEM --criterion C --value V'
                        USING ERRCODE = '22023';
                END IF;
                FOR r IN 0 .. v_count - 1 LOOP
                    v_assigned := ARRAY(SELECT a.item_id FROM assignment a JOIN item i ON i.id = a.item_id
                                         WHERE a.rater_id = v_ids[r + 1] AND i.batch_id = v_batch);
                    v_regular := (SELECT count(*) FROM unnest(v_assigned) x WHERE x <> ALL (v_gold));
                    v_have := cardinality(v_assigned) - v_regular;
                    -- gold / (regular + gold) ≈ rate  ⇒  gold ≈ rate · regular / (1 − rate)
                    v_want := CASE WHEN p_gold_rate >= 1 THEN cardinality(v_gold)
                                   ELSE least(cardinality(v_gold), ceil(p_gold_rate * v_regular::float8 / (1 - p_gold_rate))::int) END;
                    v_k := 0;
                    WHILE v_have + v_k < v_want LOOP
                        v_created := v_created + concord.op_assign_one(v_gold[(r + v_k) % cardinality(v_gold) + 1], v_ids[r + 1], v_at);
                        v_k := v_k + 1;
                        EXIT WHEN v_k >= cardinality(v_gold);
                    END LOOP;
                END LOOP;
            END IF;
            IF p_overlap IS NOT NULL OR p_gold_rate IS NOT NULL THEN
                INSERT INTO batch_setting (batch_id, overlap, gold_rate, created_at) VALUES (v_batch, p_overlap, p_gold_rate, v_at);
            END IF;
            IF v_pairwise THEN
                PERFORM concord.op_assign_sides(p_batch, v_batch, v_before[1], v_at);
            END IF;
            PERFORM concord.audit_append(v_actor, 'assign',
                jsonb_build_object('batch', p_batch, 'raters', to_jsonb(p_raters), 'overlap', p_overlap, 'gold_rate', concord.json_double(p_gold_rate)),
                ARRAY['assignment', 'batch_setting', 'assignment_side'], v_before);
            RETURN jsonb_build_object('created', v_created);
        END
        $$;

        -- INSERT OR IGNORE of one assignment: 1 when it is new. Checked first rather than ON
        -- CONFLICT, which would draw an id for every existing assignment and leave gaps.
        CREATE FUNCTION concord.op_assign_one(p_item bigint, p_rater bigint, p_at text) RETURNS int
        LANGUAGE plpgsql SET search_path = concord, pg_temp AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM assignment WHERE item_id = p_item AND rater_id = p_rater) THEN
                RETURN 0;
            END IF;
            INSERT INTO assignment (item_id, rater_id, created_at) VALUES (p_item, p_rater, p_at);
            RETURN 1;
        END
        $$;
        """#
}
