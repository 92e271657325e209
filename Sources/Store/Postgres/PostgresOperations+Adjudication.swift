extension PostgresOperations {
    /// A lead's writes: `resolve`, `sendBack`, `markNeedsRevision`, `addGold` and
    /// `setBatchRule` (ProjectSession+Adjudication.swift), each returning the id it wrote.
    static let adjudication = #"""
        -- The final value of p_criterion on p_item, with a reason: a new revision of the
        -- decision. Returns {"decision": id}.
        CREATE FUNCTION concord.resolve(p_item bigint, p_criterion text, p_value text, p_reason text,
                                        p_note text DEFAULT NULL, p_as text DEFAULT NULL) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_actor concord.acting;
            v_before bigint[];
            v_spec record;
            v_value text;
            v_problem text;
            v_previous text;
            v_id bigint;
        BEGIN
            PERFORM concord.write_lock();
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'adjudicate');
            PERFORM concord.op_check_stored_text(p_value, 'the value');
            PERFORM concord.op_check_stored_text(p_note, 'the note');
            IF p_reason IS NULL OR p_reason NOT IN ('rater_error', 'rubric_ambiguous', 'clip_ambiguous', 'genuine_disagreement', 'other') THEN
                RAISE EXCEPTION '% is not a reason; use one of rater_error, rubric_ambiguous, clip_ambiguous, genuine_disagreement, other',
                    concord.quoted(coalesce(p_reason, '')) USING ERRCODE = '22023';
            END IF;
            v_before := concord.max_ids(ARRAY['decision']);
            SELECT * INTO v_spec FROM concord.op_item_criterion(p_item, p_criterion, true);
            IF v_spec.c_scale = 'text' THEN
                RAISE EXCEPTION '% is a text criterion: notes are not resolved', concord.quoted(p_criterion) USING ERRCODE = '22023';
            END IF;
            v_value := concord.op_canonical_answer(v_spec.c_scale, coalesce(p_value, ''));
            v_problem := concord.op_value_problem(v_spec.c_scale, v_spec.c_options, v_spec.c_low, v_spec.c_high, v_spec.c_step, v_value);
            IF v_problem IS NOT NULL THEN
                RAISE EXCEPTION '%: %', p_criterion, v_problem USING ERRCODE = '22023';
            END IF;
            SELECT value INTO v_previous FROM decision WHERE item_id = p_item AND criterion = p_criterion AND kind = 'resolve'
             ORDER BY id DESC LIMIT 1;
            INSERT INTO decision (item_id, criterion, lead_id, kind, value, reason, note, created_at)
            VALUES (p_item, p_criterion, v_actor.id, 'resolve', v_value, p_reason, concord.op_trimmed(p_note), concord.now_text())
            RETURNING id INTO v_id;
            PERFORM concord.audit_append(v_actor, 'decision.resolve',
                jsonb_build_object('item', p_item, 'criterion', p_criterion, 'value', v_value, 'reason', p_reason, 'before', v_previous),
                ARRAY['decision'], v_before);
            RETURN jsonb_build_object('decision', v_id);
        END
        $$;

        -- Sends p_item back to raters who had it: it re-enters their queues (until they
        -- submit it again), with the lead's note. Returns {"decision": id}.
        CREATE FUNCTION concord.send_back(p_item bigint, p_raters text[], p_note text DEFAULT NULL, p_as text DEFAULT NULL) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_actor concord.acting;
            v_before bigint[];
            v_name text;
            v_rater concord.acting;
            v_ids bigint[] := '{}';
            v_at text;
            v_id bigint;
        BEGIN
            PERFORM concord.write_lock();
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'adjudicate');
            IF coalesce(cardinality(p_raters), 0) = 0 THEN
                RAISE EXCEPTION '--raters needs at least one rater' USING ERRCODE = '22023';
            END IF;
            PERFORM concord.op_check_stored_text(p_note, 'the note');
            v_before := concord.max_ids(ARRAY['decision', 'decision_rater']);
            PERFORM concord.op_item_rubric(p_item);
            FOREACH v_name IN ARRAY p_raters LOOP
                v_rater := concord.rater_named(v_name);
                IF v_rater.id IS NULL THEN
                    RAISE EXCEPTION 'no rater named %', concord.quoted(v_name) USING ERRCODE = 'P0002';
                END IF;
                v_ids := v_ids || v_rater.id;
                IF NOT EXISTS (SELECT 1 FROM assignment WHERE item_id = p_item AND rater_id = v_rater.id) THEN
                    RAISE EXCEPTION 'item % is not assigned to %; send it back only to raters who had it', p_item, v_name
                        USING ERRCODE = '22023';
                END IF;
            END LOOP;
            IF (SELECT count(DISTINCT r) FROM unnest(p_raters) r) <> cardinality(p_raters) THEN
                RAISE EXCEPTION 'a rater is named twice in --raters' USING ERRCODE = '22023';
            END IF;
            v_at := concord.now_text();
            INSERT INTO decision (item_id, lead_id, kind, note, created_at) VALUES (p_item, v_actor.id, 'send_back', concord.op_trimmed(p_note), v_at)
            RETURNING id INTO v_id;
            -- The raters it names, one row each in the order the lead named them (SendBackRaters).
            INSERT INTO decision_rater (decision_id, rater_id, created_at)
            SELECT v_id, r, v_at FROM unnest(v_ids) WITH ORDINALITY u(r, n) ORDER BY n;
            PERFORM concord.audit_append(v_actor, 'decision.send_back',
                jsonb_build_object('item', p_item, 'raters', to_jsonb(p_raters), 'note', concord.op_trimmed(p_note)),
                ARRAY['decision', 'decision_rater'], v_before);
            RETURN jsonb_build_object('decision', v_id);
        END
        $$;

        -- Marks a criterion of the item's rubric as needing revision (its wording misled
        -- raters). Returns {"decision": id}.
        CREATE FUNCTION concord.mark_needs_revision(p_item bigint, p_criterion text, p_note text DEFAULT NULL,
                                                    p_as text DEFAULT NULL) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_actor concord.acting;
            v_before bigint[];
            v_id bigint;
        BEGIN
            PERFORM concord.write_lock();
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'adjudicate');
            PERFORM concord.op_check_stored_text(p_note, 'the note');
            v_before := concord.max_ids(ARRAY['decision']);
            PERFORM concord.op_item_criterion(p_item, p_criterion, false);
            INSERT INTO decision (item_id, criterion, lead_id, kind, note, created_at)
            VALUES (p_item, p_criterion, v_actor.id, 'needs_revision', concord.op_trimmed(p_note), concord.now_text())
            RETURNING id INTO v_id;
            PERFORM concord.audit_append(v_actor, 'decision.needs_revision', jsonb_build_object('item', p_item, 'criterion', p_criterion),
                                         ARRAY['decision'], v_before);
            RETURN jsonb_build_object('decision', v_id);
        END
        $$;

        -- A known answer for a gold question; p_training also marks the item as a training
        -- item (once: the mark is history, never removed). Returns {"gold": id}.
        CREATE FUNCTION concord.add_gold(p_item bigint, p_criterion text, p_value text, p_from_golden boolean DEFAULT false,
                                         p_training boolean DEFAULT false, p_as text DEFAULT NULL) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_actor concord.acting;
            v_before bigint[];
            v_spec record;
            v_value text;
            v_problem text;
            v_at text;
            v_id bigint;
        BEGIN
            PERFORM concord.write_lock();
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'manageGold');
            PERFORM concord.op_check_stored_text(p_value, 'the value');
            v_before := concord.max_ids(ARRAY['gold', 'training_item']);
            SELECT * INTO v_spec FROM concord.op_item_criterion(p_item, p_criterion, true);
            IF v_spec.c_scale = 'text' THEN
                RAISE EXCEPTION '% is a text criterion and cannot be a gold question', concord.quoted(p_criterion) USING ERRCODE = '22023';
            END IF;
            v_value := concord.op_canonical_answer(v_spec.c_scale, coalesce(p_value, ''));
            v_problem := concord.op_value_problem(v_spec.c_scale, v_spec.c_options, v_spec.c_low, v_spec.c_high, v_spec.c_step, v_value);
            IF v_problem IS NOT NULL THEN
                RAISE EXCEPTION '%: %', p_criterion, v_problem USING ERRCODE = '22023';
            END IF;
            v_at := concord.now_text();
            INSERT INTO gold (item_id, criterion, value, added_by, source, created_at)
            VALUES (p_item, p_criterion, v_value, v_actor.id, CASE WHEN p_from_golden THEN 'golden' ELSE 'manual' END, v_at)
            RETURNING id INTO v_id;
            IF p_training AND NOT EXISTS (SELECT 1 FROM training_item WHERE item_id = p_item) THEN
                INSERT INTO training_item (item_id, added_by, created_at) VALUES (p_item, v_actor.id, v_at);
            END IF;
            PERFORM concord.audit_append(v_actor, 'gold.add',
                jsonb_build_object('item', p_item, 'criterion', p_criterion, 'value', v_value, 'training', coalesce(p_training, false)),
                ARRAY['gold', 'training_item'], v_before);
            RETURN jsonb_build_object('gold', v_id);
        END
        $$;

        -- A batch's thresholds: the spread above which ordinal and numeric votes disagree,
        -- and the gold accuracy below which a rater is flagged. NULL keeps the last value.
        -- Returns {"rule": id}.
        CREATE FUNCTION concord.set_batch_rule(p_batch text, p_spread double precision DEFAULT NULL,
                                               p_gold double precision DEFAULT NULL, p_as text DEFAULT NULL) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_actor concord.acting;
            v_before bigint[];
            v_batch bigint;
            v_last record;
            v_id bigint;
        BEGIN
            PERFORM concord.write_lock();
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'assign');
            IF p_spread IS NOT NULL AND NOT (p_spread >= 0 AND p_spread <> 'NaN') THEN
                RAISE EXCEPTION '--disagreement-spread must be 0 or more; got %', concord.op_swift_double(p_spread) USING ERRCODE = '22023';
            END IF;
            IF p_gold IS NOT NULL AND NOT (p_gold >= 0 AND p_gold <= 1 AND p_gold <> 'NaN') THEN
                RAISE EXCEPTION '--gold-threshold must be between 0 and 1; got %', concord.op_swift_double(p_gold) USING ERRCODE = '22023';
            END IF;
            v_before := concord.max_ids(ARRAY['batch_rule']);
            v_batch := concord.op_batch_id(p_batch);
            SELECT spread_threshold, gold_threshold INTO v_last FROM batch_rule WHERE batch_id = v_batch ORDER BY id DESC LIMIT 1;
            INSERT INTO batch_rule (batch_id, spread_threshold, gold_threshold, created_at)
            VALUES (v_batch, coalesce(p_spread, v_last.spread_threshold), coalesce(p_gold, v_last.gold_threshold), concord.now_text())
            RETURNING id INTO v_id;
            PERFORM concord.audit_append(v_actor, 'batch.rule',
                jsonb_build_object('batch', p_batch, 'spread_threshold', concord.json_double(p_spread), 'gold_threshold', concord.json_double(p_gold)),
                ARRAY['batch_rule'], v_before);
            RETURN jsonb_build_object('rule', v_id);
        END
        $$;
        """#
}
