extension PostgresSchema {
    /// Chars a string literal escapes as `\uXXXX` in `JSON.encode`'s spelling where jsonb's
    /// own text does not: BS and FF (jsonb: `\b`, `\f`), DEL, the C1 controls and the bidi
    /// controls (jsonb: as they are). A regular-expression bracket for PostgreSQL.
    private static let escapedUnlikeJSONB = #"'[\x08\x0c\x7f-\x9f\u202a-\u202e\u2066-\u2069]'"#

    /// `concord.canonical_json(jsonb)`: a value spelled byte for byte as `JSON.encode` writes
    /// the same value in Swift (Sources/JSONWriter), which is what the SQLite store's audit
    /// payloads are, so an event's payload reads the same on both stores (`audit show`,
    /// `migrate`; docs/security.md "Tamper detection"). jsonb's own text differs in three
    /// ways this undoes: ", " and ": " between tokens; keys in jsonb's order (shorter keys
    /// first) rather than by UTF-8 bytes (`COLLATE "C"` compares the bytes); and the escapes
    /// of `escapedUnlikeJSONB`. Every other string is jsonb's spelling already (`\"`, `\\`,
    /// `\n`, `\r`, `\t`, other C0 as lowercase `\u00xx`, everything else as it is).
    ///
    /// Numbers: jsonb holds numerics, which keep a written fraction ("1.0", "0.5") but not
    /// the Swift type. One without a point is an integer and is written as it is (Int64s
    /// beyond 2^53 too); one with a point is a Double and is written as Swift's description
    /// of that Double (`op_swift_double`: "0.5", "1.0", "1e-07", "1e+16"). So a write
    /// function puts a Double into a payload with `concord.json_double`, never as a bare
    /// float8, which jsonb would turn into "1" for 1.0.
    ///
    /// Called on every audited write, so built for speed (about 45 µs for a workbench
    /// commit's payload, where jsonb's text takes 2): a payload whose jsonb text holds none
    /// of `escapedUnlikeJSONB` (nearly all: `\b` and `\f` in the text also catch a backslash
    /// before b or f, which only costs the careful path) takes `canonical_json_plain`, which
    /// writes strings as jsonb does without looking at them. Both are PL/pgSQL, whose query
    /// plans are kept for the session, one query per object or array, scalars spelled
    /// inside it, collected with ARRAY(…) (cheaper to start than an aggregate). No
    /// `SET search_path`, which costs each call a configuration change: every name is
    /// schema-qualified, and built-in functions and operators come from pg_catalog, which
    /// is searched first whatever the path.
    static var canonicalJSON: String {
        """
        -- A JSON string literal as JSON.encode writes it, for text holding one of the
        -- characters jsonb spells differently (rare: the common case is jsonb's own text).
        CREATE FUNCTION concord.canonical_json_string(p_text text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT AS $$
            SELECT '"' || coalesce(string_agg(CASE
                       WHEN c = '"' THEN '\\"' WHEN c = '\\' THEN '\\\\'
                       WHEN c = E'\\n' THEN '\\n' WHEN c = E'\\r' THEN '\\r' WHEN c = E'\\t' THEN '\\t'
                       WHEN c ~ '[\\x01-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069]' THEN '\\u' || lpad(to_hex(ascii(c)), 4, '0')
                       ELSE c END, '' ORDER BY n), '') || '"'
              FROM regexp_split_to_table(p_text, '') WITH ORDINALITY AS t(c, n)
        $$;

        -- A Double for an audit payload: jsonb keeps the numeric's fraction, so a whole
        -- value keeps ".0" and canonical_json writes it as Swift writes that Double. Not
        -- finite: null, as JSON.encode writes it. -0 becomes 0: numeric has no negative zero.
        CREATE FUNCTION concord.json_double(p_value double precision) RETURNS jsonb
        LANGUAGE sql IMMUTABLE STRICT AS $$
            SELECT CASE WHEN p_value IN ('NaN', 'Infinity', '-Infinity') THEN 'null'::jsonb
                        WHEN p_value = trunc(p_value) THEN to_jsonb((p_value::text::numeric::text || '.0')::numeric)
                        ELSE to_jsonb(p_value::text::numeric) END
        $$;

        \(recursive("canonical_json_plain", escapes: false))

        \(recursive("canonical_json_escaped", escapes: true))

        -- The value as JSON.encode spells it (see PostgresSchema.canonicalJSON).
        CREATE FUNCTION concord.canonical_json(p_value jsonb) RETURNS text
        LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        BEGIN
            IF p_value::text ~ '[\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069]|\\\\[bf]' THEN
                RETURN concord.canonical_json_escaped(p_value);
            END IF;
            RETURN concord.canonical_json_plain(p_value);
        END
        $$;
        """
    }

    /// One of canonical_json's two recursive halves: `escapes` looks at every string for
    /// `escapedUnlikeJSONB`, the other takes jsonb's spelling of each as it is.
    private static func recursive(_ name: String, escapes: Bool) -> String {
        """
        CREATE FUNCTION concord.\(name)(p_value jsonb) RETURNS text
        LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        BEGIN
            CASE pg_catalog.jsonb_typeof(p_value)
            WHEN 'object' THEN
                RETURN '{' || pg_catalog.array_to_string(ARRAY(
                    SELECT \(escapes ? string("key") : "to_jsonb(key)::text") || ':' || \(member("value", name, escapes: escapes))
                      FROM pg_catalog.jsonb_each(p_value) ORDER BY key COLLATE "C"), ',') || '}';
            WHEN 'array' THEN
                RETURN '[' || pg_catalog.array_to_string(ARRAY(
                    SELECT \(member("value", name, escapes: escapes))
                      FROM pg_catalog.jsonb_array_elements(p_value) WITH ORDINALITY AS a(value, n) ORDER BY n), ',') || ']';
            ELSE
                RETURN (SELECT \(member("value", name, escapes: escapes)) FROM (SELECT p_value AS value) s);
            END CASE;
        END
        $$;
        """
    }

    /// The SQL spelling of text `expression` as a JSON string literal.
    private static func string(_ expression: String) -> String {
        "CASE WHEN \(expression) ~ \(escapedUnlikeJSONB) THEN concord.canonical_json_string(\(expression)) ELSE to_jsonb(\(expression))::text END"
    }

    /// The SQL spelling of jsonb `value`, an object's or array's member: scalars here,
    /// objects and arrays by the function `name` (the one this is part of).
    private static func member(_ value: String, _ name: String, escapes: Bool) -> String {
        let strings = escapes ? "WHEN 'string' THEN \(string("(\(value) #>> '{}')"))\n" : ""
        return """
            CASE jsonb_typeof(\(value))
                               \(strings)WHEN 'number' THEN CASE WHEN strpos(\(value)::text, '.') = 0 THEN \(value)::text
                                                       ELSE concord.op_swift_double(\(value)::text::float8) END
                               WHEN 'object' THEN concord.\(name)(\(value))
                               WHEN 'array' THEN concord.\(name)(\(value))
                               ELSE \(value)::text END
            """
    }
}
