extension PostgresSchema {
    /// The writes that make a project and its people: the first admin at init, raters and
    /// their roles (with the login's membership in the matching group role, which is what
    /// the database's privileges and row-level security follow), rubric versions; and the
    /// one aggregate read auditors get.
    static let raters = """
        -- Makes the login p_name (when a login role of that name exists) a member of the
        -- group role of p_role and of no other concord group: privileges follow the concord
        -- role. A rater nobody logs in as (imported, a model) needs no login role.
        CREATE FUNCTION concord.sync_membership(p_name text, p_role text) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_login oid;
            v_group regrole;
            v_groups regrole[] := ARRAY['{rater}', '{lead}', '{auditor}', '{admin}', '{model}']::regrole[];
            v_wanted regrole := CASE p_role WHEN 'rater' THEN '{rater}' WHEN 'lead' THEN '{lead}'
                                            WHEN 'auditor' THEN '{auditor}' WHEN 'admin' THEN '{admin}'
                                            WHEN 'model' THEN '{model}' END;
        BEGIN
            SELECT oid INTO v_login FROM pg_roles
             WHERE rolname = p_name AND rolcanlogin AND NOT rolsuper AND oid <> '{owner}'::regrole AND oid <> ALL (v_groups);
            IF v_login IS NULL THEN
                RETURN;
            END IF;
            FOREACH v_group IN ARRAY v_groups LOOP
                IF v_group <> v_wanted AND EXISTS (SELECT 1 FROM pg_auth_members WHERE roleid = v_group AND member = v_login) THEN
                    EXECUTE format('REVOKE %s FROM %I', v_group, p_name);
                END IF;
            END LOOP;
            IF NOT EXISTS (SELECT 1 FROM pg_auth_members WHERE roleid = v_wanted AND member = v_login) THEN
                EXECUTE format('GRANT %s TO %I', v_wanted, p_name);
            END IF;
        END
        $$;

        -- ProjectSession.addRater: a new rater with a role, or a new role revision; false
        -- when the rater already has that role (no audit event). The login's group
        -- membership is brought in line either way, so running it again repairs a login
        -- role the DBA created after the rater was added.
        CREATE FUNCTION concord.add_rater(p_name text, p_role text, p_as text DEFAULT NULL) RETURNS boolean
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_actor concord.acting;
            v_existing concord.acting;
            v_before bigint[];
            v_at text;
            v_details jsonb;
            v_id bigint;
        BEGIN
            PERFORM concord.write_lock();
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'addRater');
            IF p_name IS NULL OR p_name !~ '^[A-Za-z0-9._-]{1,64}$' THEN
                RAISE EXCEPTION '% is not a valid rater name; use letters, digits, ''.'', ''_'' or ''-'' (like a login name)',
                    concord.quoted(coalesce(p_name, '')) USING ERRCODE = '22023';
            END IF;
            IF p_role IS NULL OR p_role NOT IN ('rater', 'lead', 'auditor', 'admin', 'model') THEN
                RAISE EXCEPTION '% is not a role; use rater, lead, auditor, admin or model', concord.quoted(coalesce(p_role, ''))
                    USING ERRCODE = '22023';
            END IF;
            v_before := concord.max_ids(ARRAY['rater', 'rater_role']);
            v_at := concord.now_text();
            v_existing := concord.rater_named(p_name);
            IF v_existing.id IS NOT NULL THEN
                PERFORM concord.sync_membership(p_name, p_role);
                IF v_existing.role = p_role THEN
                    RETURN false;
                END IF;
                INSERT INTO rater_role (rater_id, role, created_at) VALUES (v_existing.id, p_role, v_at);
                v_details := jsonb_build_object('rater', p_name, 'role', p_role, 'previous_role', v_existing.role);
            ELSE
                INSERT INTO rater (name, created_at) VALUES (p_name, v_at) RETURNING id INTO v_id;
                INSERT INTO rater_role (rater_id, role, created_at) VALUES (v_id, p_role, v_at);
                PERFORM concord.sync_membership(p_name, p_role);
                v_details := jsonb_build_object('rater', p_name, 'role', p_role);
            END IF;
            PERFORM concord.audit_append(v_actor, 'rater.add', v_details, ARRAY['rater', 'rater_role'], v_before);
            RETURN true;
        END
        $$;

        -- ProjectSession.addRubric: an immutable version identified by the SHA-256 of its
        -- canonical JSON; the same content again writes nothing and returns false. The
        -- database checks the hash and the name against the JSON, so a client cannot file a
        -- rubric under another's identity.
        CREATE FUNCTION concord.add_rubric(p_name text, p_hash text, p_canonical_json text, p_source_path text,
                                           p_as text DEFAULT NULL) RETURNS boolean
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_actor concord.acting;
            v_before bigint[];
            v_json jsonb;
        BEGIN
            PERFORM concord.write_lock();
            v_actor := concord.actor(p_as);
            PERFORM concord.require(v_actor, 'addRubric');
            IF p_hash IS DISTINCT FROM encode(sha256(convert_to(p_canonical_json, 'UTF8')), 'hex') THEN
                RAISE EXCEPTION 'the rubric % does not match its hash %: its canonical JSON hashes to %', concord.quoted(coalesce(p_name, '')),
                    concord.quoted(coalesce(p_hash, '')), encode(sha256(convert_to(coalesce(p_canonical_json, ''), 'UTF8')), 'hex')
                    USING ERRCODE = '22023';
            END IF;
            BEGIN
                v_json := p_canonical_json::jsonb;
            EXCEPTION WHEN invalid_text_representation THEN
                RAISE EXCEPTION 'the rubric % is not JSON', concord.quoted(coalesce(p_name, '')) USING ERRCODE = '22023';
            END;
            IF jsonb_typeof(v_json) <> 'object' OR v_json->>'name' IS DISTINCT FROM p_name THEN
                RAISE EXCEPTION 'the rubric % is named % in its canonical JSON', concord.quoted(coalesce(p_name, '')),
                    concord.quoted(coalesce(v_json->>'name', '')) USING ERRCODE = '22023';
            END IF;
            IF EXISTS (SELECT 1 FROM rubric_version WHERE hash = p_hash) THEN
                RETURN false;
            END IF;
            v_before := concord.max_ids(ARRAY['rubric_version']);
            INSERT INTO rubric_version (name, hash, canonical_json, source_path, created_at)
            VALUES (p_name, p_hash, p_canonical_json, p_source_path, concord.now_text());
            PERFORM concord.audit_append(v_actor, 'rubric.add',
                jsonb_build_object('rubric', p_name, 'hash', p_hash, 'source', p_source_path), ARRAY['rubric_version'], v_before);
            RETURN true;
        END
        $$;

        -- A batch's current answers and nothing else (no notes, timings, frames or
        -- revisions): what agreement needs, for leads, auditors and admins. Text criteria
        -- (free notes to the lead) take no part in agreement and are left out. In no
        -- particular order: callers group the rows, and sorting a million of them costs
        -- about a third of the read.
        CREATE FUNCTION concord.current_labels(p_batch text)
            RETURNS TABLE (item_id bigint, clip text, criterion text, rater text, value text)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        BEGIN
            PERFORM concord.require(concord.actor(NULL), 'readAggregates');
            RETURN QUERY
                WITH text_criterion AS (
                    SELECT rv.id AS rubric_version_id, c->>'id' AS criterion
                      FROM rubric_version rv, jsonb_array_elements(rv.canonical_json::jsonb->'criteria') c
                     WHERE c->>'scale' = 'text')
                SELECT i.id, c.name, lc.criterion, r.name, l.value
                  FROM batch b
                  JOIN item i ON i.batch_id = b.id
                  JOIN clip c ON c.id = i.clip_id
                  JOIN label_current lc ON lc.item_id = i.id
                  JOIN label l ON l.id = lc.label_id
                  JOIN rater r ON r.id = lc.rater_id
                 WHERE b.name = p_batch AND l.value <> ''
                   AND NOT EXISTS (SELECT 1 FROM text_criterion t
                                    WHERE t.rubric_version_id = l.rubric_version_id AND t.criterion = lc.criterion);
        END
        $$;

        -- The project row, the first admin (the login running init) and the init event,
        -- exactly as ProjectStore.create writes them. Called once by install, then dropped.
        CREATE FUNCTION concord.init_project(p_name text) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_at text := concord.now_text();
            v_id bigint;
        BEGIN
            PERFORM concord.write_lock();
            INSERT INTO project (id, name, created_at) VALUES (1, p_name, v_at);
            INSERT INTO rater (name, created_at) VALUES (session_user, v_at) RETURNING id INTO v_id;
            INSERT INTO rater_role (rater_id, role, created_at) VALUES (v_id, 'admin', v_at);
            INSERT INTO schema_version (version, installed_at) VALUES ('\(version)', v_at);
            PERFORM concord.audit_append(ROW(v_id, session_user, 'admin', NULL)::concord.acting, 'init',
                jsonb_build_object('project', p_name, 'admin', session_user), ARRAY['rater', 'rater_role'], ARRAY[0, 0]::bigint[]);
            PERFORM concord.sync_membership(session_user, 'admin');
        END
        $$;
        """
}
