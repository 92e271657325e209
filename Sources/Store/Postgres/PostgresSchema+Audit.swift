extension PostgresSchema {
    /// The key of the one advisory lock every write takes ("concord" in ASCII): writers
    /// queue behind each other like SQLite's BEGIN IMMEDIATE, so one write's new ids are
    /// contiguous (the audit event names them as first...last) and the chain has one head.
    static let writeLockKey: Int64 = 0x63_6F_6E_63_6F_72_64

    /// The audit core, computed inside the database so no client can write a wrong or forged
    /// event (docs/security.md "Tamper detection"): the same digests and hashes as `Audit`
    /// and `RowDigest` in Swift, so `audit verify` and `migrate` check both stores alike.
    static var auditCore: String {
        """
        -- Timestamps in the Store's Clock format (UTC, milliseconds truncated, "Z"). This and
        -- write_lock are internal (the owner's functions call them) and set no search_path:
        -- a SQL function with a SET clause is parsed and planned again at every call, one
        -- without is inlined into the calling query, whose plan PL/pgSQL keeps. Their bodies
        -- name only pg_catalog's functions, which come first in any search_path.
        CREATE FUNCTION concord.now_text() RETURNS text
        LANGUAGE sql VOLATILE AS $$
            SELECT pg_catalog.to_char(pg_catalog.timezone('UTC', pg_catalog.clock_timestamp()), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
        $$;

        CREATE FUNCTION concord.write_lock() RETURNS void
        LANGUAGE sql AS $$
            SELECT pg_catalog.pg_advisory_xact_lock(\(writeLockKey))
        $$;

        -- The columns each audited table's digest covers, in order (Schema.auditedTables).
        CREATE FUNCTION concord.audited_columns(p_table text) RETURNS text[]
        LANGUAGE sql IMMUTABLE SET search_path = concord, pg_temp AS $$
            SELECT CASE p_table
        \(auditedColumnCases)
            END
        $$;

        -- The largest id of each table (0 for none): what a write notes before inserting, so
        -- audit_append can name the rows it inserted.
        CREATE FUNCTION concord.max_ids(p_tables text[]) RETURNS bigint[]
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_ids bigint[] := '{}';
            v_id bigint;
            v_table text;
        BEGIN
            FOREACH v_table IN ARRAY p_tables LOOP
                IF concord.audited_columns(v_table) IS NULL THEN
                    RAISE EXCEPTION 'max_ids: % is not an audited table', v_table USING ERRCODE = '22023';
                END IF;
                EXECUTE format('SELECT coalesce(max(id), 0) FROM concord.%I', v_table) INTO v_id;
                v_ids := v_ids || v_id;
            END LOOP;
            RETURN v_ids;
        END
        $$;

        -- SHA-256 over rows p_first..p_last of an audited table, byte for byte RowDigest's
        -- encoding: per row its columns as I<decimal>, D<IEEE bits in hex, no leading
        -- zeros>, S<text with \\ \\u \\n escapes> or N, separated by 0x1F and ended by LF.
        -- Built for large writes (an import of a million labels is one range): one format()
        -- per row, rows taken in id order from the primary key rather than sorted inside the
        -- aggregate, and no parallel plan, which could hand the aggregate rows out of order.
        -- The text of one range must stay under PostgreSQL's 1 GB (about ten million labels).
        CREATE FUNCTION concord.row_digest(p_table text, p_first bigint, p_last bigint) RETURNS text
        LANGUAGE plpgsql STABLE SECURITY DEFINER
        SET search_path = concord, pg_temp SET max_parallel_workers_per_gather = 0 AS $$
        DECLARE
            v_columns text[] := concord.audited_columns(p_table);
            v_formats text[] := '{}';
            v_arguments text[] := '{}';
            v_type text;
            v_not_null boolean;
            v_column text;
            v_digest text;
        BEGIN
            IF v_columns IS NULL THEN
                RAISE EXCEPTION 'row_digest: % is not an audited table', p_table USING ERRCODE = '22023';
            END IF;
            FOREACH v_column IN ARRAY v_columns LOOP
                SELECT format_type(a.atttypid, NULL), a.attnotnull INTO v_type, v_not_null FROM pg_attribute a
                 WHERE a.attrelid = format('concord.%I', p_table)::regclass AND a.attname = v_column AND NOT a.attisdropped;
                -- format()'s %s writes NULL as nothing, so a NOT NULL column needs no test.
                IF v_type = 'bigint' AND v_not_null THEN
                    v_formats := v_formats || 'I%s'::text;
                    v_arguments := v_arguments || quote_ident(v_column);
                ELSIF v_type = 'bigint' THEN
                    v_formats := v_formats || '%s'::text;
                    v_arguments := v_arguments || format('coalesce(''I'' || %I, ''N'')', v_column);
                ELSIF v_type = 'double precision' THEN
                    v_formats := v_formats || '%s'::text;
                    v_arguments := v_arguments || format('CASE WHEN %1$I IS NULL THEN ''N'' '
                        'ELSE ''D'' || coalesce(nullif(ltrim(encode(float8send(%1$I), ''hex''), ''0''), ''''), ''0'') END', v_column);
                ELSIF v_type = 'text' THEN
                    v_formats := v_formats || (CASE WHEN v_not_null THEN 'S%s' ELSE '%s' END);
                    v_arguments := v_arguments || format(CASE WHEN v_not_null THEN '%s' ELSE 'coalesce(''S'' || %s, ''N'')' END,
                        format('replace(replace(replace(%I, ''\\'', ''\\\\''), chr(31), ''\\u''), chr(10), ''\\n'')', v_column));
                ELSE
                    RAISE EXCEPTION 'row_digest: %.% is a %, which RowDigest does not encode', p_table, v_column, v_type;
                END IF;
            END LOOP;
            -- textsend: the text's bytes as stored, UTF-8 (install refuses other encodings).
            EXECUTE format('SELECT encode(sha256(textsend(coalesce(string_agg(line, ''''), ''''))), ''hex'') '
                           'FROM (SELECT format(%L, %s) AS line FROM concord.%I WHERE id BETWEEN $1 AND $2 ORDER BY id) lines',
                           array_to_string(v_formats, chr(31)) || chr(10), array_to_string(v_arguments, ', '), p_table)
                INTO v_digest USING p_first, p_last;
            RETURN v_digest;
        END
        $$;

        \(rowDigestFunctions)

        -- Appends the audit event of one write, exactly as Audit.append does in Swift: its
        -- payload, already in JSON.encode's spelling (sorted keys, compact, Swift's numbers
        -- and escapes, so that a payload reads the same on both stores:
        -- PostgresSchema+CanonicalJSON.swift), chained to the head. Then tells the live
        -- dashboard and queues (NOTIFY is delivered at COMMIT). The caller holds the write
        -- lock, so the chain's head is the one read here. With p_dry (the workbench's dry run,
        -- warm_up: PostgresOperations+Work.swift) it does all of that but insert and notify,
        -- so that each statement is planned for the connection and nothing is written.
        -- Internal, no SET clause (the caller's is in force), every name in full.
        CREATE FUNCTION concord.audit_append_payload(p_actor concord.acting, p_action text, p_payload text,
                                                     p_dry boolean) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            v_seq bigint;
            v_prev text;
            v_at text;
        BEGIN
            SELECT e.seq, e.hash INTO v_seq, v_prev FROM concord.audit_event e ORDER BY e.seq DESC LIMIT 1;
            v_seq := coalesce(v_seq, 0) + 1;
            v_prev := coalesce(v_prev, pg_catalog.repeat('0', 64));
            v_at := concord.now_text();
            INSERT INTO concord.audit_event (seq, at, actor, action, payload, prev_hash, hash)
            SELECT v_seq, v_at, p_actor.name, p_action, p_payload, v_prev,
                   pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.concat_ws(pg_catalog.chr(10), v_prev,
                       v_seq::text, v_at, p_actor.name, p_action, p_payload), 'UTF8')), 'hex')
             WHERE NOT p_dry;
            IF NOT p_dry THEN
                PERFORM pg_catalog.pg_notify('concord', p_action);
            END IF;
        END
        $$;

        -- The audit event of one write: the details, the rows it inserted (p_rows: [{table,
        -- first, last, digest}], in the write's table order; none writes nothing, a no-op),
        -- in canonical JSON, appended by audit_append_payload. The caller holds the write
        -- lock, so its ids are contiguous, and computed the digests with the
        -- row_digest_<table> functions: a CASE over every audited table would look up all
        -- sixteen functions again in each transaction.
        CREATE FUNCTION concord.audit_append_rows(p_actor concord.acting, p_action text, p_details jsonb, p_rows jsonb) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        BEGIN
            IF coalesce(jsonb_array_length(p_rows), 0) = 0 THEN
                RETURN;
            END IF;
            PERFORM concord.audit_append_payload(p_actor, p_action,
                concord.canonical_json(coalesce(p_details, '{}')
                    || CASE WHEN p_actor.via IS NULL THEN '{}' ELSE jsonb_build_object('via', p_actor.via) END
                    || jsonb_build_object('rows', p_rows)),
                false);
        END
        $$;

        -- The audit event of a write that inserted rows p_first[i]..p_last[i] of each table
        -- p_tables[i], under the write lock (a table with none, NULL or last < first, is left
        -- out): their digests, then audit_append_rows.
        CREATE FUNCTION concord.audit_append(p_actor concord.acting, p_action text, p_details jsonb,
                                             p_tables text[], p_first bigint[], p_last bigint[]) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_rows jsonb := '[]';
            v_digest text;
        BEGIN
            IF coalesce(array_length(p_tables, 1), 0) <> coalesce(array_length(p_first, 1), 0)
               OR coalesce(array_length(p_tables, 1), 0) <> coalesce(array_length(p_last, 1), 0) THEN
                RAISE EXCEPTION 'audit_append: % tables but % first and % last ids', array_length(p_tables, 1),
                    array_length(p_first, 1), array_length(p_last, 1) USING ERRCODE = '22023';
            END IF;
            FOR i IN 1..coalesce(array_length(p_tables, 1), 0) LOOP
                CONTINUE WHEN p_first[i] IS NULL OR p_last[i] IS NULL OR p_last[i] < p_first[i];
                v_digest := \(rowDigestCase(table: "p_tables[i]", first: "p_first[i]", last: "p_last[i]"));
                IF v_digest IS NULL THEN
                    RAISE EXCEPTION 'audit_append: % is not an audited table', p_tables[i] USING ERRCODE = '22023';
                END IF;
                v_rows := v_rows || jsonb_build_array(jsonb_build_object(
                    'table', p_tables[i], 'first', p_first[i], 'last', p_last[i], 'digest', v_digest));
            END LOOP;
            PERFORM concord.audit_append_rows(p_actor, p_action, p_details, v_rows);
        END
        $$;

        -- The same for a write that noted each table's largest id before inserting
        -- (max_ids): the rows inserted after p_before[i] in each of p_tables. Takes the
        -- write lock itself, so the ids read now are the write's own.
        CREATE FUNCTION concord.audit_append(p_actor concord.acting, p_action text, p_details jsonb,
                                             p_tables text[], p_before bigint[]) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = concord, pg_temp AS $$
        DECLARE
            v_first bigint[] := '{}';
        BEGIN
            PERFORM concord.write_lock();
            IF coalesce(array_length(p_tables, 1), 0) <> coalesce(array_length(p_before, 1), 0) THEN
                RAISE EXCEPTION 'audit_append: % tables but % ids before', array_length(p_tables, 1), array_length(p_before, 1)
                    USING ERRCODE = '22023';
            END IF;
            FOR i IN 1..coalesce(array_length(p_tables, 1), 0) LOOP
                v_first := v_first || (p_before[i] + 1);
            END LOOP;
            PERFORM concord.audit_append(p_actor, p_action, p_details, p_tables, v_first, concord.max_ids(p_tables));
        END
        $$;
        """
    }

    /// `WHEN 'rater' THEN ARRAY['id', 'name', 'created_at']`… from `Schema.auditedTables`,
    /// so the database digests exactly the columns Swift does.
    private static var auditedColumnCases: String {
        Schema.auditedTables.map { table, columns in
            "        WHEN '\(table)' THEN ARRAY[\(columns.map { "'\($0)'" }.joined(separator: ", "))]"
        }.joined(separator: "\n")
    }
}
