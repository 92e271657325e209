extension PostgresOperations {
    /// `ProjectSession.assign(batch:items:)` (ProjectSession+TopUp.swift), row for row: the
    /// assignments `assign --until-ci` chose, each (item, rater) pair by position in the two
    /// arrays. Raters are checked in byte order, as the Swift write does, so the first
    /// problem named is the same on both stores.
    static let topUp = #"""
        CREATE FUNCTION concord.assign_items(p_batch text, p_items bigint[], p_raters text[], p_as text DEFAULT NULL) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_actor concord.acting;
            v_before bigint[];
            v_batch bigint;
            v_rater concord.acting;
            v_name text;
            v_names text[] := '{}';
            v_ids bigint[] := '{}';
            v_at text;
            v_created int := 0;
        BEGIN
            PERFORM concord.write_lock();
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'assign');
            IF coalesce(cardinality(p_items), 0) <> coalesce(cardinality(p_raters), 0) THEN
                RAISE EXCEPTION 'p_items and p_raters must pair up: % items, % raters',
                    coalesce(cardinality(p_items), 0), coalesce(cardinality(p_raters), 0) USING ERRCODE = '22023';
            END IF;
            v_before := concord.max_ids(ARRAY['assignment']);
            v_batch := concord.op_batch_id(p_batch);
            FOR v_name IN SELECT x FROM unnest(p_raters) x GROUP BY x ORDER BY x COLLATE "C" LOOP
                v_rater := concord.rater_named(v_name);
                IF v_rater.id IS NULL THEN
                    RAISE EXCEPTION 'no rater named %; add them with: concord rater add % --role rater',
                        concord.quoted(v_name), concord.op_printable_cut(v_name) USING ERRCODE = 'P0002';
                END IF;
                IF v_rater.role = 'auditor' THEN
                    RAISE EXCEPTION '% is an auditor; auditors read reports and do not label', concord.quoted(v_name) USING ERRCODE = '22023';
                END IF;
                v_names := v_names || v_name;
                v_ids := v_ids || v_rater.id;
            END LOOP;
            v_at := concord.now_text();
            FOR i IN 1 .. coalesce(cardinality(p_items), 0) LOOP
                IF NOT EXISTS (SELECT 1 FROM item WHERE id = p_items[i] AND batch_id = v_batch) THEN
                    RAISE EXCEPTION 'item % is not in batch %', p_items[i], concord.quoted(p_batch) USING ERRCODE = '22023';
                END IF;
                v_created := v_created + concord.op_assign_one(p_items[i], v_ids[array_position(v_names, p_raters[i])], v_at);
            END LOOP;
            PERFORM concord.audit_append(v_actor, 'assign.items',
                jsonb_build_object('batch', p_batch, 'items', to_jsonb(p_items), 'raters', to_jsonb(p_raters)),
                ARRAY['assignment'], v_before);
            RETURN jsonb_build_object('created', v_created);
        END
        $$;
        """#
}
