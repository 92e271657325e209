extension PostgresOperations {
    /// What the write functions share: Printable's escaping and StoredText's rule (so the
    /// database words its refusals as the Swift Store does), NumberText's parsing and
    /// canonical spelling, a rubric version's criteria read from its canonical JSON, and the
    /// value-domain check (`Criterion.problem(with:)`). Internal: owned by `{owner}`, no
    /// EXECUTE for anyone else; the SECURITY DEFINER functions call them as the owner.
    static let helpers = #"""
        -- printableText (Sources/Printable) without quotes: backslashes doubled, controls and
        -- invisible format characters escaped. With p_keep_newlines and without doubling it
        -- is safeLines, the last guard a whole import problem line passes through.
        CREATE FUNCTION concord.op_printable(p_text text, p_double_backslashes boolean DEFAULT true,
                                             p_keep_newlines boolean DEFAULT false) RETURNS text
        LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = concord, pg_temp AS $$
        DECLARE
            v_out text := '';
            v_char text;
            v_code int;
            v_quoted text;
        BEGIN
            -- Most values are printable ASCII: nothing to do.
            IF p_text ~ '^[ -~]*$' AND NOT (p_double_backslashes AND strpos(p_text, '\') > 0) THEN
                RETURN p_text;
            END IF;
            FOREACH v_char IN ARRAY regexp_split_to_array(p_text, '') LOOP
                v_code := ascii(v_char);
                IF v_char = '\' THEN
                    v_out := v_out || CASE WHEN p_double_backslashes THEN '\\' ELSE '\' END;
                ELSIF v_code = 10 AND p_keep_newlines THEN
                    v_out := v_out || v_char;
                ELSIF v_code < 128 THEN
                    v_out := v_out || CASE
                        WHEN v_code = 9 THEN '\t'
                        WHEN v_code = 10 THEN '\n'
                        WHEN v_code = 13 THEN '\r'
                        WHEN v_code = 27 THEN '\e'
                        WHEN v_code < 32 OR v_code = 127 THEN '\x' || upper(lpad(to_hex(v_code), 2, '0'))
                        ELSE v_char END;
                ELSE
                    -- C1 controls, bidi and other invisible format characters: as `quoted`
                    -- shows them (one list of them, in PostgresSchema+Identity).
                    v_quoted := concord.quoted(v_char);
                    v_out := v_out || substr(v_quoted, 2, length(v_quoted) - 2);
                END IF;
            END LOOP;
            RETURN v_out;
        END
        $$;

        -- printableCut: the first 80 characters of a value, printable.
        CREATE FUNCTION concord.op_printable_cut(p_text text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT SET search_path = concord, pg_temp AS $$
            SELECT concord.op_printable(left(p_text, 80))
        $$;

        -- StoredText.problem: why a value cannot be stored (a C0 control other than TAB and
        -- LF; PostgreSQL text holds no NUL at all), or NULL.
        CREATE FUNCTION concord.op_stored_text_problem(p_text text) RETURNS text
        LANGUAGE plpgsql IMMUTABLE SET search_path = concord, pg_temp AS $$
        DECLARE
            v_at int;
            v_code int;
            v_hex text;
        BEGIN
            IF p_text IS NULL OR p_text !~ '[\x01-\x08\x0B-\x1F]' THEN
                RETURN NULL;
            END IF;
            v_at := length(substring(p_text from '^[^\x01-\x08\x0B-\x1F]*')) + 1;
            v_code := ascii(substr(p_text, v_at, 1));
            v_hex := 'U+' || upper(lpad(to_hex(v_code), 4, '0'));
            RETURN 'contains the control character '
                || CASE v_code WHEN 7 THEN 'BEL (' || v_hex || ')' WHEN 8 THEN 'BS (' || v_hex || ')'
                               WHEN 11 THEN 'VT (' || v_hex || ')' WHEN 12 THEN 'FF (' || v_hex || ')'
                               WHEN 13 THEN 'CR (' || v_hex || ')' WHEN 27 THEN 'ESC (' || v_hex || ')'
                               ELSE v_hex END
                || ' at character ' || v_at
                || '; a value may hold tabs and line feeds but no other control character: remove it';
        END
        $$;

        -- StoredText.check: refuses a value that cannot be stored, naming it as p_what.
        CREATE FUNCTION concord.op_check_stored_text(p_text text, p_what text) RETURNS void
        LANGUAGE plpgsql IMMUTABLE SET search_path = concord, pg_temp AS $$
        DECLARE
            v_problem text := concord.op_stored_text_problem(p_text);
        BEGIN
            IF v_problem IS NOT NULL THEN
                RAISE EXCEPTION '% %', p_what, v_problem USING ERRCODE = '22023';
            END IF;
        END
        $$;

        -- String.trimmingCharacters(in: .whitespacesAndNewlines) at both ends: Foundation's
        -- set, which is Unicode's White_Space and U+200B ZERO WIDTH SPACE (a space separator
        -- in older Unicode); NULL when nothing is left (ProjectSession.trimmed).
        CREATE FUNCTION concord.op_trimmed(p_text text) RETURNS text
        LANGUAGE plpgsql IMMUTABLE SET search_path = concord, pg_temp AS $$
        BEGIN
            RETURN nullif(regexp_replace(p_text,
                '^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200B\u2028\u2029\u202F\u205F\u3000]+|[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200B\u2028\u2029\u202F\u205F\u3000]+$',
                '', 'g'), '');
        END
        $$;

        -- Swift's description of a Double ("\(d)"), as the Swift messages print one: the
        -- shortest round-tripping digits, fixed notation from 1e-4 up to 2^53 ("2.0",
        -- "1000000000000000.5"), exponents beyond ("1e-05", "1e+16"). PostgreSQL's own
        -- shortest output has the same digits but turns to exponents at 1e15 and drops ".0".
        CREATE FUNCTION concord.op_swift_double(p_value double precision) RETURNS text
        LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = concord, pg_temp AS $$
        DECLARE
            v_text text := p_value::text;
            v_digits text;
            v_exponent int;
            v_point int;
        BEGIN
            IF p_value = 'NaN'::float8 THEN RETURN 'nan'; END IF;
            IF p_value = 'Infinity'::float8 THEN RETURN 'inf'; END IF;
            IF p_value = '-Infinity'::float8 THEN RETURN '-inf'; END IF;
            IF strpos(v_text, 'e') > 0 AND abs(p_value) >= 1e-4 AND abs(p_value) <= 9007199254740992 THEN
                -- d.ddde+XX with XX 15: the digits with the point moved right.
                v_exponent := split_part(v_text, 'e', 2)::int;
                v_digits := replace(ltrim(split_part(v_text, 'e', 1), '-'), '.', '');
                v_point := v_exponent + 1;
                v_digits := rpad(v_digits, greatest(length(v_digits), v_point), '0');
                v_text := CASE WHEN p_value < 0 THEN '-' ELSE '' END || left(v_digits, v_point)
                    || CASE WHEN length(v_digits) > v_point THEN '.' || substr(v_digits, v_point + 1) ELSE '' END;
            END IF;
            IF v_text ~ '^-?[0-9]+$' THEN
                v_text := v_text || '.0';
            END IF;
            RETURN v_text;
        END
        $$;

        -- NumberText.format (JSON.canonicalNumber): whole numbers below 1e15 without a
        -- fraction ("10", -0 as "0"), anything else as Swift's description. PL/pgSQL: a SQL
        -- function that cannot be inlined (its argument is used thrice) is planned per call.
        CREATE FUNCTION concord.op_number_text(p_value double precision) RETURNS text
        LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = concord, pg_temp AS $$
        BEGIN
            RETURN CASE WHEN p_value = trunc(p_value) AND abs(p_value) < 1e15 THEN p_value::bigint::text
                        ELSE concord.op_swift_double(p_value) END;
        END
        $$;

        -- op_number for a decimal number with an exponent or of 300 characters or more, which
        -- float8 could refuse as out of range where Swift reads infinity (not finite: NULL)
        -- or zero. numeric holds it unless its exponent is past ±1000.
        CREATE FUNCTION concord.op_number_long(p_text text) RETURNS double precision
        LANGUAGE sql IMMUTABLE STRICT SET search_path = concord, pg_temp AS $$
            SELECT CASE
                WHEN p_text ~ '^[+-]?[0.]*([eE]|$)' THEN 0
                WHEN p_text ~ '[eE][+-]?[0-9]{5,}$' OR abs(substring(p_text from '[eE]([+-]?[0-9]+)$')::int) > 1000 THEN
                    CASE WHEN p_text ~ '[eE]-' THEN 0 END
                WHEN abs(p_text::numeric) >= 1.7976931348623158e308 THEN NULL
                WHEN abs(p_text::numeric) < 1e-320 THEN 0
                ELSE p_text::numeric::float8 END
        $$;

        -- NumberText.parse: the finite number a value spells in plain decimal notation, or
        -- NULL. One SQL expression, neither SET nor STRICT, so that it is inlined into the
        -- query that calls it (a SQL function that is not is planned again at every call): a
        -- short number without an exponent is what float8 reads; the rest takes the long way.
        CREATE FUNCTION concord.op_number(p_text text) RETURNS double precision
        LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE
                WHEN p_text !~ '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$' THEN NULL
                WHEN length(p_text) < 300 AND strpos(p_text, 'e') = 0 AND strpos(p_text, 'E') = 0 THEN p_text::float8
                ELSE concord.op_number_long(p_text) END
        $$;

        -- The criteria of a rubric version (Sources/Rubric/CanonicalJSON.swift): position
        -- (0-based, the rubric's order), id, scale, option values in order, range and step of
        -- numeric criteria, and the `when` object; as concord.rubric_criteria holds them,
        -- read from the canonical JSON once when the version was stored.
        CREATE FUNCTION concord.op_criteria(p_rubric_version bigint)
        RETURNS TABLE (pos int, id text, scale text, options text[], low double precision,
                       high double precision, step double precision, conditions jsonb)
        -- PL/pgSQL, not SQL: its query plan is kept for the session, where a SQL function's
        -- was made again on every call.
        LANGUAGE plpgsql STABLE SET search_path = concord, pg_temp AS $$
        BEGIN
            RETURN QUERY
            SELECT c.pos, c.id, c.scale, c.options, c.low, c.high, c.step, c.conditions
              FROM concord.rubric_criteria rc,
                   jsonb_to_recordset(rc.criteria) AS c(pos int, id text, scale text, options text[], low double precision,
                                                        high double precision, step double precision, conditions jsonb)
             WHERE rc.id = p_rubric_version
             ORDER BY c.pos;
        END
        $$;

        -- Whether a value is a number within [p_low, p_high] and, with a step, on p_low + k ×
        -- p_step for a whole k, allowing for binary rounding (0.1 × 3 is not exactly 0.3).
        -- One expression: inlined into the import's query (no SET clause, so it can be).
        CREATE FUNCTION concord.op_in_range(p_value text, p_low double precision, p_high double precision,
                                            p_step double precision) RETURNS boolean
        LANGUAGE sql IMMUTABLE AS $$
            SELECT coalesce(concord.op_number(p_value) BETWEEN p_low AND p_high
                            AND (p_step IS NULL
                                 OR abs((concord.op_number(p_value) - p_low) / p_step - round((concord.op_number(p_value) - p_low) / p_step))
                                    <= 1e-9 * greatest(1, abs((concord.op_number(p_value) - p_low) / p_step))), false)
        $$;

        -- Criterion.problem(with:): why a value is outside the criterion's domain, or NULL.
        -- Options for nominal and ordinal criteria; a number in range (and on the step) for
        -- interval and ratio ones; text criteria take any text.
        CREATE FUNCTION concord.op_value_problem(p_scale text, p_options text[], p_low double precision,
                                                 p_high double precision, p_step double precision, p_value text) RETURNS text
        LANGUAGE plpgsql IMMUTABLE SET search_path = concord, pg_temp AS $$
        DECLARE
            v_expected text;
        BEGIN
            IF p_scale IN ('nominal', 'ordinal') THEN
                IF p_value = ANY (p_options) THEN
                    RETURN NULL;
                END IF;
                RETURN 'expected one of ' || (SELECT string_agg(concord.op_printable(o), ', ' ORDER BY n)
                                                FROM unnest(p_options) WITH ORDINALITY u(o, n))
                    || '; found ' || concord.quoted(p_value);
            END IF;
            IF p_scale NOT IN ('interval', 'ratio') OR p_low IS NULL THEN
                RETURN NULL;
            END IF;
            IF concord.op_in_range(p_value, p_low, p_high, p_step) THEN
                RETURN NULL;
            END IF;
            v_expected := 'expected a number from ' || concord.op_number_text(p_low) || ' to ' || concord.op_number_text(p_high);
            IF p_step IS NOT NULL THEN
                v_expected := v_expected || ' in steps of ' || concord.op_number_text(p_step);
            END IF;
            RETURN v_expected || '; found ' || concord.quoted(p_value);
        END
        $$;

        -- Criterion.canonicalAnswer: numbers in their one stored spelling ("1.50" → "1.5",
        -- "07" → "7"), anything else unchanged. One expression (no SET clause), inlined into the import.
        CREATE FUNCTION concord.op_canonical_answer(p_scale text, p_value text) RETURNS text
        LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE WHEN p_scale IN ('interval', 'ratio') AND concord.op_number(p_value) IS NOT NULL
                        THEN concord.op_number_text(concord.op_number(p_value)) ELSE p_value END
        $$;

        -- ProjectSession.batchID: a batch by name, or the Swift refusal listing the batches.
        CREATE FUNCTION concord.op_batch_id(p_name text) RETURNS bigint
        LANGUAGE plpgsql STABLE SET search_path = concord, pg_temp AS $$
        DECLARE
            v_id bigint;
            v_names text;
        BEGIN
            SELECT id INTO v_id FROM batch WHERE name = p_name;
            IF v_id IS NULL THEN
                SELECT string_agg(name, ', ' ORDER BY name COLLATE "C") INTO v_names FROM batch;
                RAISE EXCEPTION '%', 'no batch named ' || concord.quoted(p_name)
                    || CASE WHEN v_names IS NULL THEN '; add clips with: concord clip add FILE... --batch NAME --rubric NAME'
                            ELSE '; batches: ' || v_names END
                    USING ERRCODE = 'P0002';
            END IF;
            RETURN v_id;
        END
        $$;

        -- The rubric version of an item's batch ("no item N" when there is no such item).
        CREATE FUNCTION concord.op_item_rubric(p_item bigint) RETURNS bigint
        LANGUAGE plpgsql STABLE SET search_path = concord, pg_temp AS $$
        DECLARE
            v_rubric bigint;
        BEGIN
            SELECT b.rubric_version_id INTO v_rubric FROM item i JOIN batch b ON b.id = i.batch_id WHERE i.id = p_item;
            IF v_rubric IS NULL THEN
                RAISE EXCEPTION 'no item %', p_item USING ERRCODE = 'P0002';
            END IF;
            RETURN v_rubric;
        END
        $$;

        -- What the adjudication functions check of a criterion they are given: the item's
        -- rubric has it ("…; criteria: a, b" with p_list_criteria). Returns the criterion.
        CREATE FUNCTION concord.op_item_criterion(p_item bigint, p_criterion text, p_list_criteria boolean)
        RETURNS TABLE (c_scale text, c_options text[], c_low double precision, c_high double precision, c_step double precision)
        LANGUAGE plpgsql STABLE SET search_path = concord, pg_temp AS $$
        DECLARE
            v_rubric bigint := concord.op_item_rubric(p_item);
            v_name text;
            v_ids text;
        BEGIN
            RETURN QUERY SELECT c.scale, c.options, c.low, c.high, c.step FROM concord.op_criteria(v_rubric) c WHERE c.id = p_criterion;
            IF NOT FOUND THEN
                SELECT name INTO v_name FROM rubric_version WHERE id = v_rubric;
                SELECT string_agg(c.id, ', ' ORDER BY c.pos) INTO v_ids FROM concord.op_criteria(v_rubric) c;
                RAISE EXCEPTION '%', 'the rubric ' || concord.quoted(v_name) || ' has no criterion ' || concord.quoted(p_criterion)
                    || CASE WHEN p_list_criteria THEN '; criteria: ' || v_ids ELSE '' END
                    USING ERRCODE = '22023';
            END IF;
        END
        $$;
        """#
}
