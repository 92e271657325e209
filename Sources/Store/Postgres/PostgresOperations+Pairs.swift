extension PostgresOperations {
    /// `ProjectSession.addPairs`, `tagClips` and `assignPairs` (ProjectSession+Pairs.swift),
    /// row for row, and what `assign` shares with them (docs/pairwise.md "Projects").
    static let pairs = #"""
        -- ProjectSession.pairwiseBatch: the batch named, whose rubric must have a pairwise
        -- criterion; with p_create, a batch that does not exist is made with the latest
        -- version of p_rubric, which must have one. Internal.
        CREATE FUNCTION concord.op_pairwise_batch(p_batch text, p_rubric text, p_at text, p_create boolean) RETURNS bigint
        LANGUAGE plpgsql SET search_path = concord, pg_temp AS $$
        DECLARE
            v_batch bigint;
            v_rubric bigint;
            v_rubric_name text;
        BEGIN
            IF p_create AND (p_batch IS NULL OR p_batch !~ '^[A-Za-z0-9._-]{1,64}$') THEN
                RAISE EXCEPTION '% is not a valid batch name; use letters, digits, ''.'', ''_'' or ''-''', concord.quoted(coalesce(p_batch, ''))
                    USING ERRCODE = '22023';
            END IF;
            SELECT b.id, r.name, r.id INTO v_batch, v_rubric_name, v_rubric FROM batch b JOIN rubric_version r ON r.id = b.rubric_version_id
             WHERE b.name = p_batch;
            IF v_batch IS NOT NULL THEN
                IF p_rubric IS NOT NULL AND p_rubric <> v_rubric_name THEN
                    RAISE EXCEPTION 'batch % uses the rubric %, not %; leave out --rubric or choose another batch',
                        concord.quoted(p_batch), concord.quoted(v_rubric_name), concord.quoted(p_rubric) USING ERRCODE = '22023';
                END IF;
                IF NOT concord.op_is_pairwise(v_rubric) THEN
                    RAISE EXCEPTION 'batch % rates one clip at a time (its rubric % has no pairwise criterion); put pairs in a batch whose rubric has a criterion of type: pairwise',
                        concord.quoted(p_batch), concord.quoted(v_rubric_name) USING ERRCODE = '22023';
                END IF;
                RETURN v_batch;
            END IF;
            IF NOT p_create THEN
                RETURN concord.op_batch_id(p_batch);   -- refuses, naming the batches there are
            END IF;
            IF p_rubric IS NULL THEN
                RAISE EXCEPTION 'batch % does not exist yet; name its rubric with --rubric NAME', concord.quoted(p_batch)
                    USING ERRCODE = '22023';
            END IF;
            SELECT id INTO v_rubric FROM rubric_version WHERE name = p_rubric ORDER BY id DESC LIMIT 1;
            IF v_rubric IS NULL THEN
                RAISE EXCEPTION 'no rubric named %; add it first with: concord rubric add FILE.yaml', concord.quoted(p_rubric)
                    USING ERRCODE = 'P0002';
            END IF;
            IF NOT concord.op_is_pairwise(v_rubric) THEN
                RAISE EXCEPTION 'the rubric % has no pairwise criterion; pairs need a rubric with a criterion of type: pairwise',
                    concord.quoted(p_rubric) USING ERRCODE = '22023';
            END IF;
            INSERT INTO batch (name, rubric_version_id, created_at) VALUES (p_batch, v_rubric, p_at) RETURNING id INTO v_batch;
            RETURN v_batch;
        END
        $$;

        -- Whether a rubric version has a pairwise criterion (Rubric.isPairwise). Internal.
        CREATE FUNCTION concord.op_is_pairwise(p_rubric_version bigint) RETURNS boolean
        LANGUAGE sql STABLE SET search_path = concord, pg_temp AS $$
            SELECT coalesce((SELECT bool_or((c->>'pairwise')::boolean) FROM rubric_criteria rc, jsonb_array_elements(rc.criteria) c
                              WHERE rc.id = p_rubric_version), false)
        $$;

        -- ProjectSession.checkPairs: each request's clip ids [[a, b], …] after checking every
        -- request (p_pairs [{a, b, group, source}]): an unknown clip, a clip paired with
        -- itself, a group that cannot be stored, a pair given twice in either order (unless
        -- p_allow_repeats: a plan gives one pair to several raters). One problem is the
        -- refusal; more are counted, the first 20 in the DETAIL, one per line. Internal.
        CREATE FUNCTION concord.op_check_pairs(p_batch text, p_pairs jsonb, p_allow_repeats boolean) RETURNS jsonb
        LANGUAGE plpgsql STABLE SET search_path = concord, pg_temp AS $$
        DECLARE
            v_pair jsonb;
            v_place text;
            v_a bigint;
            v_b bigint;
            v_name text;
            v_problem text;
            v_key text;
            v_first jsonb := '{}';
            v_problems text[] := '{}';
            v_checked jsonb := '[]';
            v_file text;
            v_count int;
        BEGIN
            IF jsonb_typeof(p_pairs) IS DISTINCT FROM 'array' THEN
                RAISE EXCEPTION 'the pairs must be a JSON array of objects' USING ERRCODE = '22023';
            END IF;
            FOR v_pair IN SELECT value FROM jsonb_array_elements(p_pairs) LOOP
                IF jsonb_typeof(v_pair) IS DISTINCT FROM 'object' OR jsonb_typeof(v_pair->'a') IS DISTINCT FROM 'string'
                   OR jsonb_typeof(v_pair->'b') IS DISTINCT FROM 'string' THEN
                    RAISE EXCEPTION 'each pair must be a JSON object with the clip names a and b' USING ERRCODE = '22023';
                END IF;
                v_place := coalesce(concord.op_printable(v_pair->>'source'),
                                    'the pair ' || concord.quoted(v_pair->>'a') || ', ' || concord.quoted(v_pair->>'b'));
                SELECT n INTO v_name FROM (VALUES (1, v_pair->>'a'), (2, v_pair->>'b')) x(k, n)
                 WHERE NOT EXISTS (SELECT 1 FROM clip c WHERE c.name = x.n) ORDER BY k LIMIT 1;
                IF FOUND THEN
                    v_problems := v_problems || (v_place || ': no clip named ' || concord.quoted(v_name)
                        || ' in the project; add it first with: concord clip add FILE --batch ' || p_batch);
                    CONTINUE;
                END IF;
                SELECT id INTO v_a FROM clip WHERE name = v_pair->>'a';
                SELECT id INTO v_b FROM clip WHERE name = v_pair->>'b';
                IF v_a = v_b THEN
                    v_problems := v_problems || (v_place || ': the clip ' || concord.quoted(v_pair->>'a')
                        || ' is paired with itself; a pair needs two different clips');
                    CONTINUE;
                END IF;
                v_problem := concord.op_stored_text_problem(v_pair->>'group');
                IF v_problem IS NOT NULL THEN
                    v_problems := v_problems || (v_place || ': the group ' || v_problem);
                    CONTINUE;
                END IF;
                v_key := least(v_a, v_b) || ' ' || greatest(v_a, v_b);
                IF NOT p_allow_repeats AND v_first ? v_key THEN
                    v_problems := v_problems || (v_place || ': the pair ' || concord.quoted(v_pair->>'a') || ', ' || concord.quoted(v_pair->>'b')
                        || ' again (first at ' || (v_first->>v_key) || '); list each pair once, in either order');
                    CONTINUE;
                END IF;
                v_first := v_first || jsonb_build_object(v_key, coalesce(concord.op_printable(v_pair->>'source'), 'an earlier pair'));
                v_checked := v_checked || jsonb_build_array(jsonb_build_array(v_a, v_b));
            END LOOP;
            v_count := cardinality(v_problems);
            IF v_count = 1 THEN
                RAISE EXCEPTION '%', v_problems[1] || '; nothing was added' USING ERRCODE = '22023';
            ELSIF v_count > 1 THEN
                -- "pairs.csv:12" → "pairs.csv": the first source without its line number.
                SELECT regexp_replace(x->>'source', ':?[0-9]*$', '') INTO v_file
                  FROM jsonb_array_elements(p_pairs) x WHERE x->>'source' IS NOT NULL LIMIT 1;
                RAISE EXCEPTION '%', coalesce(concord.op_printable(v_file), 'the pairs') || ': ' || v_count || ' problems; nothing was added'
                    USING ERRCODE = '22023',
                          DETAIL = array_to_string(v_problems[1:20] || CASE WHEN v_count > 20
                                                                            THEN ARRAY['… and ' || (v_count - 20) || ' more'] ELSE '{}' END, chr(10));
            END IF;
            RETURN v_checked;
        END
        $$;

        -- The clip's item in the batch's pool (an item with no item_pair row), added at the
        -- end of the batch when it has none. Internal.
        CREATE FUNCTION concord.op_pool_item(p_batch bigint, p_clip bigint) RETURNS bigint
        LANGUAGE plpgsql SET search_path = concord, pg_temp AS $$
        DECLARE
            v_item bigint;
        BEGIN
            SELECT i.id INTO v_item FROM item i
             WHERE i.batch_id = p_batch AND i.clip_id = p_clip AND NOT EXISTS (SELECT 1 FROM item_pair p WHERE p.item_id = i.id)
             ORDER BY i.id LIMIT 1;
            IF v_item IS NULL THEN
                INSERT INTO item (batch_id, clip_id, position)
                VALUES (p_batch, p_clip, (SELECT coalesce(max(position), 0) + 1 FROM item WHERE batch_id = p_batch))
                RETURNING id INTO v_item;
            END IF;
            RETURN v_item;
        END
        $$;

        -- PairBatchWriter.pair: the batch's pair item of clips a and b (either order) and the
        -- names in the batch's order, or a new one: both clips join the pool when not in it,
        -- then the pair's item (clip a's, at the end of the batch) and its item_pair row,
        -- whose group is p_group, else the clips' group when both are tagged with the same
        -- one, else none. Internal.
        CREATE FUNCTION concord.op_pair(p_batch bigint, p_a bigint, p_b bigint, p_group text, p_at text,
                                        OUT item bigint, OUT a text, OUT b text, OUT is_new boolean)
        LANGUAGE plpgsql SET search_path = concord, pg_temp AS $$
        DECLARE
            v_group text := p_group;
        BEGIN
            SELECT p.item_id, ca.name, cb.name, false INTO item, a, b, is_new
              FROM item_pair p JOIN clip ca ON ca.id = p.clip_a_id JOIN clip cb ON cb.id = p.clip_b_id
             WHERE p.batch_id = p_batch AND least(p.clip_a_id, p.clip_b_id) = least(p_a, p_b)
               AND greatest(p.clip_a_id, p.clip_b_id) = greatest(p_a, p_b);
            IF FOUND THEN
                RETURN;
            END IF;
            PERFORM concord.op_pool_item(p_batch, p_a);
            PERFORM concord.op_pool_item(p_batch, p_b);
            INSERT INTO item (batch_id, clip_id, position)
            VALUES (p_batch, p_a, (SELECT coalesce(max(position), 0) + 1 FROM concord.item i WHERE i.batch_id = p_batch))
            RETURNING id INTO item;
            IF v_group IS NULL THEN
                SELECT ta.pair_group INTO v_group
                  FROM (SELECT pair_group FROM clip_tag WHERE clip_id = p_a ORDER BY id DESC LIMIT 1) ta,
                       (SELECT pair_group FROM clip_tag WHERE clip_id = p_b ORDER BY id DESC LIMIT 1) tb
                 WHERE ta.pair_group = tb.pair_group;
            END IF;
            INSERT INTO item_pair (item_id, batch_id, clip_a_id, clip_b_id, pair_group, created_at)
            VALUES (item, p_batch, p_a, p_b, v_group, p_at);
            SELECT name INTO a FROM clip WHERE id = p_a;
            SELECT name INTO b FROM clip WHERE id = p_b;
            is_new := true;
        END
        $$;

        -- Adds pairs to a pairwise batch, creating it with the latest version of p_rubric when
        -- it does not exist. p_pairs: [{a, b, group, source}] (source: where the pair came
        -- from, "pairs.csv:12", for messages). A pair the batch has in either order is
        -- reported with "new": false, in the batch's order, and nothing written. All or
        -- nothing. Returns [{item, a, b, new}].
        CREATE FUNCTION concord.add_pairs(p_batch text, p_rubric text, p_pairs jsonb, p_as text DEFAULT NULL) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_actor concord.acting;
            v_before bigint[];
            v_at text;
            v_batch bigint;
            v_checked jsonb;
            v_pair record;
            v_added jsonb := '[]';
            v_listed jsonb := '[]';
        BEGIN
            PERFORM concord.write_lock();
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'addClips');
            v_before := concord.max_ids(ARRAY['batch', 'item', 'item_pair']);
            v_at := concord.now_text();
            v_batch := concord.op_pairwise_batch(p_batch, p_rubric, v_at, true);
            v_checked := concord.op_check_pairs(p_batch, p_pairs, false);
            FOR i IN 0 .. jsonb_array_length(v_checked) - 1 LOOP
                SELECT * INTO v_pair FROM concord.op_pair(v_batch, (v_checked->i->>0)::bigint, (v_checked->i->>1)::bigint,
                                                          p_pairs->i->>'group', v_at);
                v_added := v_added || jsonb_build_array(jsonb_build_object('item', v_pair.item, 'a', v_pair.a, 'b', v_pair.b,
                                                                           'new', v_pair.is_new));
                IF v_pair.is_new THEN
                    v_listed := v_listed || jsonb_build_array(jsonb_build_array(v_pair.a, v_pair.b));
                END IF;
            END LOOP;
            PERFORM concord.audit_append(v_actor, 'pair.add', jsonb_build_object('batch', p_batch, 'pairs', v_listed),
                                         ARRAY['batch', 'item', 'item_pair'], v_before);
            RETURN v_added;
        END
        $$;

        -- Records clips' groups and systems: p_tags [{clip, group, system}]. A missing field
        -- keeps the clip's current value (a tag is never cleared, only replaced); a row is
        -- written for each clip whose tags then differ from its latest row (or that has
        -- none). Returns {"written"}.
        CREATE FUNCTION concord.tag_clips(p_tags jsonb, p_as text DEFAULT NULL) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_actor concord.acting;
            v_before bigint[];
            v_at text;
            v_tag jsonb;
            v_what text;
            v_clip bigint;
            v_latest record;
            v_group text;
            v_system text;
            v_listed jsonb := '[]';
        BEGIN
            PERFORM concord.write_lock();
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'addClips');
            IF jsonb_typeof(p_tags) IS DISTINCT FROM 'array' THEN
                RAISE EXCEPTION 'the tags must be a JSON array of objects' USING ERRCODE = '22023';
            END IF;
            FOR v_tag IN SELECT value FROM jsonb_array_elements(p_tags) LOOP
                IF jsonb_typeof(v_tag) IS DISTINCT FROM 'object' OR jsonb_typeof(v_tag->'clip') IS DISTINCT FROM 'string' THEN
                    RAISE EXCEPTION 'each tag must be a JSON object with a clip name' USING ERRCODE = '22023';
                END IF;
                FOREACH v_what IN ARRAY ARRAY['group', 'system'] LOOP
                    IF v_tag->>v_what = '' THEN
                        RAISE EXCEPTION 'the % of % is empty; give a name or leave out --%', v_what, concord.quoted(v_tag->>'clip'), v_what
                            USING ERRCODE = '22023';
                    END IF;
                    PERFORM concord.op_check_stored_text(v_tag->>v_what, 'the ' || v_what || ' of ' || concord.quoted(v_tag->>'clip'));
                END LOOP;
            END LOOP;
            v_before := concord.max_ids(ARRAY['clip_tag']);
            v_at := concord.now_text();
            FOR v_tag IN SELECT value FROM jsonb_array_elements(p_tags) LOOP
                CONTINUE WHEN v_tag->>'group' IS NULL AND v_tag->>'system' IS NULL;
                SELECT id INTO v_clip FROM clip WHERE name = v_tag->>'clip';
                IF v_clip IS NULL THEN
                    RAISE EXCEPTION 'no clip named % in the project; add it with: concord clip add FILE --batch B --group G --system S',
                        concord.quoted(v_tag->>'clip') USING ERRCODE = '22023';
                END IF;
                SELECT pair_group, system INTO v_latest FROM clip_tag WHERE clip_id = v_clip ORDER BY id DESC LIMIT 1;
                IF FOUND THEN
                    v_group := coalesce(v_tag->>'group', v_latest.pair_group);
                    v_system := coalesce(v_tag->>'system', v_latest.system);
                    CONTINUE WHEN v_latest.pair_group IS NOT DISTINCT FROM v_group AND v_latest.system IS NOT DISTINCT FROM v_system;
                ELSE
                    v_group := v_tag->>'group';
                    v_system := v_tag->>'system';
                END IF;
                INSERT INTO clip_tag (clip_id, pair_group, system, created_at) VALUES (v_clip, v_group, v_system, v_at);
                v_listed := v_listed || jsonb_build_array(jsonb_build_object('clip', v_tag->>'clip', 'group', v_group, 'system', v_system));
            END LOOP;
            PERFORM concord.audit_append(v_actor, 'clip.tag', jsonb_build_object('tags', v_listed), ARRAY['clip_tag'], v_before);
            RETURN jsonb_build_object('written', jsonb_array_length(v_listed));
        END
        $$;

        -- Assigns planned pairs: p_plan [{rater, a, b, group}]. Creates each pair item the
        -- batch lacks (as add_pairs), assigns it to the rater (an existing assignment is
        -- kept) and writes the side of each new one (op_assign_sides). All or nothing.
        -- Returns {"created"}.
        CREATE FUNCTION concord.assign_pairs(p_batch text, p_plan jsonb, p_as text DEFAULT NULL) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_actor concord.acting;
            v_before bigint[];
            v_at text;
            v_batch bigint;
            v_name text;
            v_checked jsonb;
            v_pair record;
            v_created int := 0;
        BEGIN
            PERFORM concord.write_lock();
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'assign');
            v_before := concord.max_ids(ARRAY['item', 'item_pair', 'assignment', 'assignment_side']);
            v_at := concord.now_text();
            v_batch := concord.op_pairwise_batch(p_batch, NULL, v_at, false);
            IF jsonb_typeof(p_plan) IS DISTINCT FROM 'array' THEN
                RAISE EXCEPTION 'the plan must be a JSON array of objects' USING ERRCODE = '22023';
            END IF;
            FOR v_name IN SELECT r FROM (SELECT DISTINCT e->>'rater' AS r FROM jsonb_array_elements(p_plan) e) x ORDER BY r COLLATE "C" LOOP
                PERFORM concord.op_assignable_rater(v_name);
            END LOOP;
            v_checked := concord.op_check_pairs(p_batch, p_plan, true);
            FOR i IN 0 .. jsonb_array_length(v_checked) - 1 LOOP
                SELECT * INTO v_pair FROM concord.op_pair(v_batch, (v_checked->i->>0)::bigint, (v_checked->i->>1)::bigint,
                                                          p_plan->i->>'group', v_at);
                v_created := v_created + concord.op_assign_one(v_pair.item, (concord.rater_named(p_plan->i->>'rater')).id, v_at);
            END LOOP;
            PERFORM concord.op_assign_sides(p_batch, v_batch, v_before[3], v_at);
            PERFORM concord.audit_append(v_actor, 'assign.pairs',
                                         jsonb_build_object('batch', p_batch, 'pairs', jsonb_array_length(p_plan), 'new_assignments', v_created),
                                         ARRAY['item', 'item_pair', 'assignment', 'assignment_side'], v_before);
            RETURN jsonb_build_object('created', v_created);
        END
        $$;

        -- A rater who may be given work, or the refusal (as assign words it). Internal.
        CREATE FUNCTION concord.op_assignable_rater(p_name text) RETURNS concord.acting
        LANGUAGE plpgsql STABLE SET search_path = concord, pg_temp AS $$
        DECLARE
            v_rater concord.acting := concord.rater_named(p_name);
        BEGIN
            IF v_rater.id IS NULL THEN
                RAISE EXCEPTION 'no rater named %; add them with: concord rater add % --role rater',
                    concord.quoted(p_name), concord.op_printable_cut(p_name) USING ERRCODE = '22023';
            END IF;
            IF v_rater.role = 'auditor' THEN
                RAISE EXCEPTION '% is an auditor; auditors read reports and do not label', concord.quoted(p_name) USING ERRCODE = '22023';
            END IF;
            RETURN v_rater;
        END
        $$;

        -- The sides of the batch's new pair assignments (ids above p_after), rater by rater
        -- in the order of their first new one, each rater's in id order: PairSides' rule
        -- (op_sides), given the sides the rater already has in the batch. Internal.
        CREATE FUNCTION concord.op_assign_sides(p_batch_name text, p_batch bigint, p_after bigint, p_at text) RETURNS void
        LANGUAGE plpgsql SET search_path = concord, pg_temp AS $$
        DECLARE
            v_rater record;
            v_had_a int;
            v_had_b int;
            v_sides text[];
        BEGIN
            FOR v_rater IN SELECT a.rater_id, r.name, array_agg(a.id ORDER BY a.id) AS ids
                             FROM assignment a JOIN item_pair p ON p.item_id = a.item_id JOIN rater r ON r.id = a.rater_id
                            WHERE p.batch_id = p_batch AND a.id > p_after
                            GROUP BY a.rater_id, r.name ORDER BY min(a.id) LOOP
                SELECT count(*) FILTER (WHERE s.left_clip = 'a'), count(*) FILTER (WHERE s.left_clip = 'b') INTO v_had_a, v_had_b
                  FROM assignment_side s JOIN assignment a ON a.id = s.assignment_id JOIN item i ON i.id = a.item_id
                 WHERE a.rater_id = v_rater.rater_id AND i.batch_id = p_batch;
                v_sides := concord.op_sides(p_batch_name, v_rater.name, v_had_a, v_had_b, cardinality(v_rater.ids));
                INSERT INTO assignment_side (assignment_id, left_clip, created_at)
                SELECT id, v_sides[n], p_at FROM unnest(v_rater.ids) WITH ORDINALITY u(id, n) ORDER BY n;
            END LOOP;
        END
        $$;

        -- PairSides.sides, step for step: p_count sides ('a': clip a on the left) for a rater
        -- who has p_had_a and p_had_b in the batch, balanced and shuffled by Fisher–Yates with
        -- SplitMix64 seeded by the FNV-1a hash of batch, NUL, rater, NUL, p_had_a + p_had_b.
        -- Internal.
        CREATE FUNCTION concord.op_sides(p_batch text, p_rater text, p_had_a int, p_had_b int, p_count int) RETURNS text[]
        LANGUAGE plpgsql IMMUTABLE SET search_path = concord, pg_temp AS $$
        DECLARE
            v_state numeric := concord.op_fnv1a(convert_to(p_batch, 'UTF8') || '\x00'::bytea || convert_to(p_rater, 'UTF8')
                                                || '\x00'::bytea || convert_to((p_had_a + p_had_b)::text, 'UTF8'));
            v_total int := p_had_a + p_had_b + p_count;
            v_extra int := 0;
            v_new_a int;
            v_sides text[];
            v_j int;
            v_swap text;
        BEGIN
            IF p_count <= 0 THEN
                RETURN '{}';
            END IF;
            IF v_total % 2 = 1 THEN
                v_state := mod(v_state + 11400714819323198485, 18446744073709551616);
                IF mod(concord.op_splitmix(v_state), 2) = 0 THEN
                    v_extra := 1;
                END IF;
            END IF;
            v_new_a := least(p_count, greatest(0, v_total / 2 + v_extra - p_had_a));
            v_sides := array_fill('a'::text, ARRAY[v_new_a]) || array_fill('b'::text, ARRAY[p_count - v_new_a]);
            FOR i IN REVERSE p_count - 1 .. 1 LOOP
                v_state := mod(v_state + 11400714819323198485, 18446744073709551616);
                v_j := mod(concord.op_splitmix(v_state), i + 1)::int;
                v_swap := v_sides[i + 1];
                v_sides[i + 1] := v_sides[v_j + 1];
                v_sides[v_j + 1] := v_swap;
            END LOOP;
            RETURN v_sides;
        END
        $$;

        -- x xor (x >> p_shift) of an unsigned 64-bit number held in numeric (bigint would
        -- overflow where the generators wrap). Internal.
        CREATE FUNCTION concord.op_u64_xorshift(p_x numeric, p_shift int) RETURNS numeric
        LANGUAGE sql IMMUTABLE SET search_path = concord, pg_temp AS $$
            SELECT CASE WHEN v < 0 THEN v + 18446744073709551616 ELSE v END
              FROM (SELECT ((b # (b >> p_shift))::bigint)::numeric AS v
                      FROM (SELECT (CASE WHEN p_x >= 9223372036854775808 THEN p_x - 18446744073709551616 ELSE p_x END)::bigint::bit(64) AS b) x) y
        $$;

        -- SplitMix64's output for a state (Steele, Lea & Flood 2014), as Swift's SplitMix64. Internal.
        CREATE FUNCTION concord.op_splitmix(p_state numeric) RETURNS numeric
        LANGUAGE sql IMMUTABLE SET search_path = concord, pg_temp AS $$
            SELECT concord.op_u64_xorshift(mod(concord.op_u64_xorshift(mod(concord.op_u64_xorshift(p_state, 30) * 13787848793156543929,
                                                                             18446744073709551616), 27) * 10723151780598845931,
                                                18446744073709551616), 31)
        $$;

        -- FNV-1a (64 bits) of some bytes. Internal.
        CREATE FUNCTION concord.op_fnv1a(p_bytes bytea) RETURNS numeric
        LANGUAGE plpgsql IMMUTABLE SET search_path = concord, pg_temp AS $$
        DECLARE
            v_hash numeric := 14695981039346656037;
        BEGIN
            FOR i IN 0 .. length(p_bytes) - 1 LOOP
                v_hash := mod(concord.op_u64_xor(v_hash, get_byte(p_bytes, i)) * 1099511628211, 18446744073709551616);
            END LOOP;
            RETURN v_hash;
        END
        $$;

        -- x xor a byte, x an unsigned 64-bit number in numeric. Internal.
        CREATE FUNCTION concord.op_u64_xor(p_x numeric, p_byte int) RETURNS numeric
        LANGUAGE sql IMMUTABLE SET search_path = concord, pg_temp AS $$
            SELECT p_x - mod(p_x, 256) + (mod(p_x, 256)::int # p_byte)
        $$;
        """#
}
