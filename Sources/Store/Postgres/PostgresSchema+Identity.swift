extension PostgresSchema {
    /// Who is acting and what they may do, decided inside the database from `session_user`
    /// (the login the server authenticated), never from an argument: the same rules and the
    /// same words as `ProjectStore.session` and `ProjectSession.require` in Swift.
    static let identity = """
        -- The acting concord rater: id, name, current role, and the admin's login when an
        -- admin acts as someone else (--as).
        CREATE TYPE concord.acting AS (id bigint, name text, role text, via text);

        -- A value as Swift's `quoted` shows it in a message: between single quotes, controls
        -- and invisible format characters escaped, cut at 80 characters with the byte count.
        CREATE FUNCTION concord.quoted(p_value text) RETURNS text
        LANGUAGE plpgsql IMMUTABLE SET search_path = concord, pg_temp AS $$
        DECLARE
            v_out text := '';
            v_code int;
            v_char text;
        BEGIN
            IF p_value = '' THEN
                RETURN '''''';
            END IF;
            FOREACH v_char IN ARRAY regexp_split_to_array(left(p_value, 80), '') LOOP
                v_code := ascii(v_char);
                v_out := v_out || CASE
                    WHEN v_char = '\\' THEN '\\\\'
                    WHEN v_code = 9 THEN '\\t'
                    WHEN v_code = 10 THEN '\\n'
                    WHEN v_code = 13 THEN '\\r'
                    WHEN v_code = 27 THEN '\\e'
                    WHEN v_code < 32 OR v_code = 127 THEN '\\x' || upper(lpad(to_hex(v_code), 2, '0'))
                    WHEN (v_code BETWEEN 128 AND 159) OR v_code = 173 OR (v_code BETWEEN 1536 AND 1541) OR v_code IN (1564, 1757, 1807, 2274, 6158)
                      OR (v_code BETWEEN 8203 AND 8207) OR (v_code BETWEEN 8232 AND 8238) OR (v_code BETWEEN 8288 AND 8292)
                      OR (v_code BETWEEN 8294 AND 8303) OR v_code = 65279 OR (v_code BETWEEN 65529 AND 65531)
                      OR v_code = 69821 OR v_code = 69837 OR (v_code BETWEEN 78896 AND 78904) OR (v_code BETWEEN 113824 AND 113827)
                      OR (v_code BETWEEN 119155 AND 119162) OR v_code = 917505 OR (v_code BETWEEN 917536 AND 917631)
                      THEN '\\u{' || upper(lpad(to_hex(v_code), 4, '0')) || '}'
                    ELSE v_char END;
            END LOOP;
            RETURN '''' || v_out || ''''
                || CASE WHEN length(p_value) > 80 THEN '… (' || octet_length(p_value) || ' bytes)' ELSE '' END;
        END
        $$;

        -- "a rater", "an auditor" (Role.withArticle).
        CREATE FUNCTION concord.with_article(p_role text) RETURNS text
        LANGUAGE sql IMMUTABLE SET search_path = concord, pg_temp AS $$
            SELECT CASE WHEN p_role IN ('auditor', 'admin') THEN 'an ' ELSE 'a ' END || p_role
        $$;

        -- The rater the login is and their current role. Row-level security asks these for
        -- every read (as `(SELECT concord.my_rater_id())`, evaluated once per statement).
        CREATE FUNCTION concord.my_rater_id() RETURNS bigint
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = concord, pg_temp AS $$
            SELECT id FROM concord.rater WHERE name = session_user
        $$;

        CREATE FUNCTION concord.my_role() RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = concord, pg_temp AS $$
            SELECT rr.role FROM concord.rater r JOIN concord.rater_role rr ON rr.rater_id = r.id
             WHERE r.name = session_user ORDER BY rr.id DESC LIMIT 1
        $$;

        -- Whether a decision (a send-back) names the login's rater. A function, not a
        -- subquery in the policy: a policy's subquery runs with the reader's privileges, and
        -- an auditor may read only the ids of decision_rater.
        CREATE FUNCTION concord.names_me(p_decision bigint) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = concord, pg_temp AS $$
            SELECT EXISTS (SELECT 1 FROM concord.decision_rater
                            WHERE decision_id = p_decision AND rater_id = concord.my_rater_id())
        $$;

        -- A rater by name with their current role, or NULL. Internal, called by the owner's
        -- SECURITY DEFINER functions only: PL/pgSQL, so its plans are kept for the session
        -- (a SQL function that cannot be inlined is parsed and planned at every call), and no
        -- SET clause of its own (it names its tables in full).
        CREATE FUNCTION concord.rater_named(p_name text) RETURNS concord.acting
        LANGUAGE plpgsql STABLE AS $$
        DECLARE
            v_rater concord.acting;
        BEGIN
            SELECT r.id, r.name,
                   coalesce((SELECT rr.role FROM concord.rater_role rr WHERE rr.rater_id = r.id ORDER BY rr.id DESC LIMIT 1), 'rater'),
                   NULL
              INTO v_rater FROM concord.rater r WHERE r.name = p_name;
            RETURN v_rater;
        END
        $$;

        -- Who acts: the rater named session_user; with p_as (an admin's --as) that rater,
        -- with `via` naming the admin. ProjectStore.session's checks, in its order.
        CREATE FUNCTION concord.actor(p_as text DEFAULT NULL) RETURNS concord.acting
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_me concord.acting := concord.rater_named(session_user);
            v_them concord.acting;
        BEGIN
            IF v_me.id IS NULL THEN
                RAISE EXCEPTION '% is not a rater in this project; an admin can add you with: concord rater add % --role rater',
                    session_user, session_user USING ERRCODE = '42501';
            END IF;
            IF p_as IS NULL THEN
                RETURN v_me;
            END IF;
            IF v_me.role <> 'admin' THEN
                RAISE EXCEPTION '--as is for admins; % is %', session_user, concord.with_article(v_me.role)
                    USING ERRCODE = '42501';
            END IF;
            IF p_as = session_user THEN
                RETURN v_me;
            END IF;
            v_them := concord.rater_named(p_as);
            IF v_them.id IS NULL THEN
                RAISE EXCEPTION 'no rater named %; see: concord rater list', concord.quoted(p_as) USING ERRCODE = '22023';
            END IF;
            v_them.via := session_user;
            RETURN v_them;
        END
        $$;

        -- What each role may do: the table of Permission.allowed(for:) in Roles.swift, cell
        -- for cell (PostgresSchemaPermissionTests compares them), with its sentence.
        -- Neither it nor allowed sets a search_path (their bodies name nothing but constants
        -- and concord's own functions, in full), so both are inlined into the query that
        -- asks them instead of being parsed and planned at every call.
        CREATE FUNCTION concord.permissions() RETURNS TABLE (permission text, roles text[], sentence text)
        LANGUAGE sql IMMUTABLE AS $$
            VALUES
                ('addRater',       ARRAY['admin'],                   'add raters or change roles (admins only)'),
                ('addRubric',      ARRAY['admin', 'lead'],           'add rubrics (admins and leads)'),
                ('addClips',       ARRAY['admin', 'lead'],           'add clips (admins and leads)'),
                ('assign',         ARRAY['admin', 'lead'],           'assign work (admins and leads)'),
                ('importLabels',   ARRAY['admin', 'lead'],           'import labels (admins and leads)'),
                ('submitLabels',   ARRAY['admin', 'lead', 'rater'],  'submit labels (raters, leads and admins)'),
                ('readAllLabels',  ARRAY['admin', 'lead'],           'read other raters'' labels (leads and admins; raters see only their own)'),
                ('readOwnLabels',  ARRAY['admin', 'lead', 'rater'],  'read labels (raters see their own; leads and admins all)'),
                ('readAggregates', ARRAY['admin', 'lead', 'auditor'], 'read agreement and progress of the whole project (leads, auditors and admins)'),
                ('listRaters',     ARRAY['admin', 'lead', 'auditor'], 'list raters (leads, auditors and admins)'),
                ('verifyAudit',    ARRAY['admin', 'lead', 'auditor'], 'verify the audit log (leads, auditors and admins)'),
                ('adjudicate',     ARRAY['admin', 'lead'],           'see the adjudication queue or decide items (leads and admins)'),
                ('manageGold',     ARRAY['admin', 'lead'],           'add gold answers (leads and admins)')
        $$;

        CREATE FUNCTION concord.allowed(p_permission text, p_role text) RETURNS boolean
        LANGUAGE sql IMMUTABLE AS $$
            SELECT p_role = ANY (roles) FROM concord.permissions() WHERE permission = p_permission
        $$;

        -- Internal, called by the owner's SECURITY DEFINER functions only, under their fixed
        -- search_path: no SET clause of its own (a SET costs a save and restore of the
        -- settings at every call).
        CREATE FUNCTION concord.require(p_actor concord.acting, p_permission text) RETURNS void
        LANGUAGE plpgsql STABLE AS $$
        DECLARE
            v_sentence text;
            v_allowed boolean;
        BEGIN
            SELECT p_actor.role = ANY (roles), sentence INTO v_allowed, v_sentence
              FROM concord.permissions() WHERE permission = p_permission;
            IF v_sentence IS NULL THEN
                RAISE EXCEPTION 'require: no permission named %', p_permission USING ERRCODE = '22023';
            END IF;
            IF NOT v_allowed THEN
                RAISE EXCEPTION '% is % and cannot %', p_actor.name, concord.with_article(p_actor.role), v_sentence
                    USING ERRCODE = '42501';
            END IF;
        END
        $$;
        """
}
