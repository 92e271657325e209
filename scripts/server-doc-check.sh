#!/usr/bin/env bash
# Runs the PostgreSQL steps of docs/server.md end to end on a private cluster, and checks
# that each one does what the document says, messages included.
#
#   sudo scripts/server-doc-check.sh        # as root: it makes and removes OS users
#
# Why a script: docs/server.md is a DBA's walk from `apt-get install postgresql` to a rater
# connecting over TLS, and every step of it must have been run. Debian's own cluster (in
# /etc/postgresql and /var/lib/postgresql, port 5432) is never touched: the script starts
# its own clusters with initdb in a temporary directory, run by the OS user concord-pg, on
# 127.0.0.1 only and on ports SERVER_DOC_CHECK_PORT (default 54329) to +2. It reads the
# configuration files (concord.conf, pg_hba.conf) out of docs/server.md itself, so the
# document and the check cannot drift apart, and replaces only what must differ on a
# private cluster (see `from_doc`). The people of the document are OS users made here and
# deleted afterwards: dana (concord's admin), alice (a rater with a password), bob (a rater
# with a client certificate) become cpgdoc-dana, cpgdoc-alice and cpgdoc-bob.
#
# concord's own commands are not run: where the document runs `concord init` or
# `concord rater add`, this script lays out the same kind of objects by hand (a small
# stand-in, `standin_init`): an owner role nobody logs in as, group roles, row-level
# security, a SECURITY DEFINER write function. What it checks is PostgreSQL's side: who can
# connect how, what a client sees when TLS is wrong, that a dump restores with its policies,
# and that a standby refuses writes.
#
# Exit status: 0 when every check passed, 1 when one failed (each failure is printed with
# what was expected and what came), 2 when the machine lacks what the script needs.
# Everything it made is removed on every path (trap on EXIT).

set -uo pipefail

# A caller such as a test runner may hand us descriptors (pipes, sockets); the servers
# pg_ctl starts would inherit them and keep them open after we exit.
for fd in /proc/self/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done

BIN=/usr/lib/postgresql/15/bin
SERVER_USER=concord-pg
PORT=${SERVER_DOC_CHECK_PORT:-54329}
STANDBY_PORT=$((PORT + 1))
RESTORE_PORT=$((PORT + 2))
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOC=${SERVER_DOC_CHECK_DOC:-$ROOT/docs/server.md}   # another copy of the page, to see the check fail
DB=concord_w48
DANA=cpgdoc-dana ALICE=cpgdoc-alice BOB=cpgdoc-bob

usage_error() { printf 'server-doc-check: %s\n' "$*" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || usage_error "run as root: it makes OS users and runs the servers as $SERVER_USER"
[ -x "$BIN/initdb" ] || usage_error "PostgreSQL 15 is missing ($BIN/initdb): apt-get install postgresql"
[ -f "$DOC" ] || usage_error "cannot read $DOC"
command -v openssl >/dev/null || usage_error "openssl is missing: apt-get install openssl"
for port in "$PORT" "$STANDBY_PORT" "$RESTORE_PORT"; do
    ss -Htln "sport = :$port" | grep -q . && usage_error "port $port is in use: choose others with SERVER_DOC_CHECK_PORT=N (N to N+2)"
done

W=$(mktemp -d "${TMPDIR:-/tmp}/server-doc-check.XXXXXX") || usage_error "mktemp failed"
chmod 755 "$W"      # the test users must reach their homes and the socket directory
runuser -u nobody -- test -x "$W" || usage_error "$W is out of other users' reach: set TMPDIR to a directory they can enter"
MADE_USERS=()
# useradd and userdel lock /etc/passwd and give up at once when another process (a test
# making its own users) holds it: try again for a while.
patiently() {
    local try
    for try in $(seq 50); do "$@" && return 0; [ "$try" -lt 50 ] && sleep 0.2; done
    return 1
}
cleanup() {
    for data in "$W/standby" "$W/restore" "$W/primary"; do
        [ -f "$data/postmaster.pid" ] && runuser -u "$SERVER_USER" -- "$BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1
    done
    for user in "${MADE_USERS[@]}"; do patiently userdel "$user" >/dev/null 2>&1; done
    rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP    # so that cleanup runs on these too

FAILURES=0 CHECKS=0
step() { printf '\n== %s\n' "$*"; }
passed() { printf 'ok   %s\n' "$1"; CHECKS=$((CHECKS + 1)); }
failed() { printf 'FAIL %s\n%s\n' "$1" "$2"; FAILURES=$((FAILURES + 1)); CHECKS=$((CHECKS + 1)); }

# expect NAME EXPECTED COMMAND...: the command succeeds and prints exactly EXPECTED
# (standard output and standard error together).
expect() {
    local name=$1 expected=$2; shift 2
    local output status
    output=$("$@" 2>&1); status=$?
    if [ "$status" -eq 0 ] && [ "$output" = "$expected" ]; then passed "$name"
    else failed "$name" "$(printf '  expected (exit 0):\n%s\n  got (exit %s):\n%s' "$expected" "$status" "$output")"; fi
}

# refused NAME EXPECTED COMMAND...: the command fails and prints exactly EXPECTED.
refused() {
    local name=$1 expected=$2; shift 2
    local output status
    output=$("$@" 2>&1); status=$?
    if [ "$status" -ne 0 ] && [ "$output" = "$expected" ]; then passed "$name"
    else failed "$name" "$(printf '  expected (failure):\n%s\n  got (exit %s):\n%s' "$expected" "$status" "$output")"; fi
}

# ipv6 CHECK...: the check where the machine has ::1 (the server then listens there too);
# said and left out where it has not.
ipv6() {
    if ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/'; then "$@"; else printf 'skip %s (no ::1 here)\n' "$2"; fi
}

# Commands as an OS user, with that user's own home (~/.postgresql, ~/.pgpass) and the
# private cluster's socket for local connections.
as() {
    local user=$1; shift
    local home; home=$(getent passwd "$user" | cut -d: -f6)
    runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME="$home" LC_ALL=C PGHOST="$W/run" PGPORT="$PORT" "$@"
}
as_postgres() { as "$SERVER_USER" "$@"; }
must() { "$@" >"$W/last.log" 2>&1 || { cat "$W/last.log"; usage_error "set-up step failed: $*"; }; }

# pg_ctl reload only signals the postmaster; wait until a new session reports the new load
# time, so the next connection is judged by the new files.
reload_primary() {
    local before; before=$(as_postgres psql -X -At -d postgres -c "SELECT pg_conf_load_time()")
    must as_postgres "$BIN/pg_ctl" -D "$W/primary" reload
    for _ in $(seq 100); do
        [ "$(as_postgres psql -X -At -d postgres -c "SELECT pg_conf_load_time()")" != "$before" ] && return
        sleep 0.1
    done
    usage_error "the primary did not reload its configuration"
}

# from_doc FILE: the fenced block docs/server.md marks with `<!-- server-doc-check: FILE -->`,
# with the document's names replaced by this private cluster's.
from_doc() {
    local block
    block=$(awk -v want="$1" '$0 == "<!-- server-doc-check: " want " -->" {found=1; next}
                               found && /^```/ {if (inside) exit; inside=1; next}
                               inside {print}' "$DOC")
    [ -n "$block" ] || usage_error "docs/server.md has no block marked server-doc-check: $1"
    printf '%s\n' "$block" | sed -E \
        -e "s|/etc/postgresql/15/main/tls|$W/tls|g" \
        -e "s|/etc/postgresql/15/main|$W/primary|g" \
        -e "s|^listen_addresses = '\\*'|listen_addresses = '127.0.0.1, ::1'|" \
        -e "s|192\\.0\\.2\\.20/32|127.0.0.1/32|g" \
        -e "s/\\bpostgres\\b/$SERVER_USER/g" \
        -e "s/\\bdana\\b/$DANA/g" -e "s/\\balice\\b/$ALICE/g" -e "s/\\bbob\\b/$BOB/g"
}

# ---------------------------------------------------------------------------------------
step "the cluster: initdb as $SERVER_USER, as apt-get install postgresql does for Debian's (docs/server.md §1)"
# The tests' harness makes the same account; whoever comes first wins, and that is fine.
make_server_user() {
    id "$SERVER_USER" >/dev/null 2>&1 || useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$SERVER_USER" || id "$SERVER_USER" >/dev/null 2>&1
}
must patiently make_server_user
mkdir -p "$W/run" "$W/primary" "$W/home" "$W/pghome"
chown "$SERVER_USER": "$W/run" "$W/primary" "$W/pghome"
chmod 700 "$W/primary" "$W/pghome"
must as_postgres "$BIN/initdb" -D "$W/primary" --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --no-locale
cat >>"$W/primary/postgresql.conf" <<EOF
port = $PORT
unix_socket_directories = '$W/run'
include_dir = 'conf.d'
EOF
mkdir "$W/primary/conf.d"
chown "$SERVER_USER": "$W/primary/conf.d"
must as_postgres "$BIN/pg_ctl" -D "$W/primary" -l "$W/primary/server.log" -w -t 60 start
for person in "$DANA" "$ALICE" "$BOB"; do
    id "$person" >/dev/null 2>&1 && usage_error "the OS user $person exists already (a previous run?): userdel $person"
    must patiently useradd --create-home --home-dir "$W/home/$person" --shell /usr/sbin/nologin "$person"
    MADE_USERS+=("$person")
done

# ---------------------------------------------------------------------------------------
step "roles and the database (§2); the stand-in for concord init (§3)"
must as_postgres createuser --createrole "$DANA"
must as_postgres createdb -O "$DANA" "$DB"
must as_postgres createuser "$ALICE"
must as_postgres createuser "$BOB"
must as_postgres psql -d postgres -c "SELECT 1"   # the superuser over peer, as `sudo -u postgres psql`

# The stand-in for `concord init`, run by the admin over peer: what matters to the DBA is the
# kind of objects (cluster-wide NOLOGIN roles named after the database, one schema owned by
# the owner role, row-level security, SECURITY DEFINER functions), not concord's tables.
standin_init() {
    as "$DANA" psql -X -q -v ON_ERROR_STOP=1 -d "$DB" <<'SQL'
BEGIN;
CREATE ROLE concord_w48_owner NOLOGIN;
CREATE ROLE concord_w48_rater NOLOGIN;
CREATE ROLE concord_w48_lead NOLOGIN;
CREATE ROLE concord_w48_auditor NOLOGIN;
CREATE ROLE concord_w48_admin NOLOGIN;
CREATE ROLE concord_w48_model NOLOGIN;
GRANT concord_w48_owner TO CURRENT_USER;
GRANT concord_w48_rater, concord_w48_lead, concord_w48_auditor, concord_w48_admin, concord_w48_model
    TO concord_w48_owner WITH ADMIN OPTION;
CREATE SCHEMA concord AUTHORIZATION concord_w48_owner;
SET ROLE concord_w48_owner;
CREATE TABLE concord.rater (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE concord.label (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                            rater_id bigint NOT NULL REFERENCES concord.rater, value text NOT NULL);
CREATE FUNCTION concord.my_rater_id() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = concord, pg_temp AS $$ SELECT id FROM rater WHERE name = session_user $$;
ALTER TABLE concord.label ENABLE ROW LEVEL SECURITY;
CREATE POLICY label_read ON concord.label FOR SELECT
    USING (rater_id = concord.my_rater_id() OR pg_has_role(session_user, 'concord_w48_lead', 'MEMBER'));
CREATE FUNCTION concord.submit(p_value text) RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = concord, pg_temp
    AS $$ INSERT INTO label (rater_id, value) VALUES (my_rater_id(), p_value) RETURNING id $$;
CREATE FUNCTION concord.add_rater(p_name text, p_role text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = concord, pg_temp AS $$
BEGIN
    INSERT INTO rater (name) VALUES (p_name) ON CONFLICT DO NOTHING;
    EXECUTE format('GRANT %I TO %I', 'concord_w48_' || p_role, p_name);
END $$;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA concord FROM PUBLIC;
GRANT USAGE ON SCHEMA concord TO concord_w48_rater, concord_w48_lead, concord_w48_admin;
GRANT SELECT ON concord.rater, concord.label TO concord_w48_rater, concord_w48_lead, concord_w48_admin;
GRANT EXECUTE ON FUNCTION concord.my_rater_id() TO concord_w48_rater, concord_w48_lead, concord_w48_admin;
GRANT EXECUTE ON FUNCTION concord.submit(text) TO concord_w48_rater;
GRANT EXECUTE ON FUNCTION concord.add_rater(text, text) TO concord_w48_admin;
INSERT INTO concord.rater (name) VALUES (session_user);
RESET ROLE;
GRANT concord_w48_admin TO CURRENT_USER;
REVOKE concord_w48_owner FROM CURRENT_USER;
REVOKE ALL ON DATABASE concord_w48 FROM PUBLIC;
GRANT CONNECT ON DATABASE concord_w48 TO concord_w48_rater, concord_w48_lead, concord_w48_auditor,
    concord_w48_admin, concord_w48_model;
COMMIT;
SQL
}
must standin_init

step "CREATEROLE on PostgreSQL 15 is nearly a superuser: the admin loses it after init (§3)"
expect "with CREATEROLE, the admin can make itself a member of pg_execute_server_program" \
    "GRANT ROLE" as "$DANA" psql -X -d "$DB" -c "GRANT pg_execute_server_program TO CURRENT_USER"
expect "... and then run programs as the server's OS user" \
    "$SERVER_USER" as "$DANA" psql -X -q -At -d "$DB" \
    -c "CREATE TEMP TABLE who (name text)" -c "COPY who FROM PROGRAM 'id -un'" -c "SELECT name FROM who"
must as "$DANA" psql -X -d "$DB" -c "REVOKE pg_execute_server_program FROM CURRENT_USER"
must as_postgres psql -X -d postgres -c "ALTER ROLE \"$DANA\" NOCREATEROLE"
refused "after ALTER ROLE dana NOCREATEROLE it cannot" \
    "ERROR:  must have admin option on role \"pg_execute_server_program\"" \
    as "$DANA" psql -X -d "$DB" -c "GRANT pg_execute_server_program TO CURRENT_USER"
expect "... and still adds raters (the owner's SECURITY DEFINER function grants the group role)" "t|t" \
    as "$DANA" psql -X -q -At -d "$DB" \
    -c "DO \$\$ BEGIN PERFORM concord.add_rater('$ALICE', 'rater'); PERFORM concord.add_rater('$BOB', 'rater'); END \$\$" \
    -c "SELECT pg_has_role('$ALICE', 'concord_w48_rater', 'MEMBER'), pg_has_role('$BOB', 'concord_w48_rater', 'MEMBER')"

# ---------------------------------------------------------------------------------------
step "pg_hba.conf from the document; local connections by peer (§4)"
from_doc pg_hba.conf >"$W/primary/pg_hba.conf"
reload_primary
SOCKET="$W/run/.s.PGSQL.$PORT"
expect "alice on the server is alice in the database (peer)" \
    "$ALICE" as "$ALICE" psql -X -At -d "$DB" -c "SELECT session_user"
refused "alice cannot claim to be bob" \
    "psql: error: connection to server on socket \"$SOCKET\" failed: FATAL:  Peer authentication failed for user \"$BOB\"" \
    as "$ALICE" psql -X -At -U "$BOB" -d "$DB" -c "SELECT 1"
refused "alice reaches no other database" \
    "psql: error: connection to server on socket \"$SOCKET\" failed: FATAL:  no pg_hba.conf entry for host \"[local]\", user \"$ALICE\", database \"postgres\", no encryption" \
    as "$ALICE" psql -X -At -d postgres -c "SELECT 1"

step "what the database enforces, as a rater sees it from psql (the stand-in's policy)"
expect "alice submits through the SECURITY DEFINER function" "1" \
    as "$ALICE" psql -X -At -d "$DB" -c "SELECT concord.submit('alice-first')"
expect "bob too" "2" as "$BOB" psql -X -At -d "$DB" -c "SELECT concord.submit('bob-first')"
expect "alice reads only her own labels" "$ALICE|alice-first" \
    as "$ALICE" psql -X -At -d "$DB" -c "SELECT r.name, l.value FROM concord.label l JOIN concord.rater r ON r.id = l.rater_id"
refused "alice cannot insert a label directly" "ERROR:  permission denied for table label" \
    as "$ALICE" psql -X -At -d "$DB" -c "INSERT INTO concord.label (rater_id, value) VALUES (3, 'forged')"
refused "alice cannot make herself admin" "ERROR:  permission denied for function add_rater" \
    as "$ALICE" psql -X -At -d "$DB" -c "SELECT concord.add_rater('$ALICE', 'admin')"

# ---------------------------------------------------------------------------------------
step "TLS: a private CA, the server's certificate, concord.conf from the document (§5)"
# The CA stays with root, away from the server's files (/root/concord-ca in the document);
# the server's key, certificate and the CA's certificate go to /etc/postgresql/15/main/tls.
CA=$W/ca TLS=$W/tls
mkdir -m 700 "$CA" && install -d -o "$SERVER_USER" -g "$SERVER_USER" -m 755 "$TLS"
(
    cd "$CA" || exit 1
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
        -subj "/CN=concord_w48 CA" -keyout ca.key -out ca.crt &&
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -subj "/CN=localhost" -keyout server.key -out server.csr &&
    echo "subjectAltName = DNS:localhost" >server.ext &&
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 \
        -extfile server.ext -out server.crt &&
    install -o "$SERVER_USER" -g "$SERVER_USER" -m 644 ca.crt server.crt "$TLS"/ &&
    install -o "$SERVER_USER" -g "$SERVER_USER" -m 600 server.key "$TLS"/
) >"$W/last.log" 2>&1 || { cat "$W/last.log"; usage_error "openssl failed"; }
expect "the CA's key is readable by root only" "600" stat -c %a "$CA/ca.key"
from_doc conf.d/concord.conf >"$W/primary/conf.d/concord.conf"
must as_postgres "$BIN/pg_ctl" -D "$W/primary" -l "$W/primary/server.log" -w -t 60 restart
expect "the server has TLS on (ssl = on from concord.conf)" "on" \
    as_postgres psql -X -At -d postgres -c "SHOW ssl"

# ---------------------------------------------------------------------------------------
step "a remote rater with a password: SCRAM over hostssl (§5, §6)"
# psql asks for passwords on the terminal; with none (setsid), it reads them from standard
# input, one a line, which is how this script answers.
answer() { local file=$1; shift; printf '%s\n' "$@" >"$file"; chmod 644 "$file"; }
ALICE_FIRST_PASSWORD='correct horse 48' ALICE_PASSWORD='battery staple 48'
answer "$W/answers" "$ALICE_FIRST_PASSWORD" "$ALICE_FIRST_PASSWORD"
expect "the DBA sets alice's first password with \\password" "Enter new password for user \"$ALICE\": 
Enter it again: " \
    setsid -w runuser -u "$SERVER_USER" -- env -i PATH=/usr/bin:/bin LC_ALL=C PGHOST="$W/run" PGPORT="$PORT" \
    psql -X -d postgres -c "\\password $ALICE" <"$W/answers"
expect "psql sent only a SCRAM verifier" "SCRAM-SHA-256" \
    as_postgres psql -X -At -d postgres -c "SELECT left(rolpassword, 13) FROM pg_authid WHERE rolname = '$ALICE'"
ALICE_URI="postgresql://$ALICE@localhost:$PORT/$DB?sslmode=verify-full"
ALICE_HOME=$W/home/$ALICE
refused "without the CA certificate, verify-full refuses to connect" \
    "psql: error: connection to server at \"localhost\" (127.0.0.1), port $PORT failed: root certificate file \"$ALICE_HOME/.postgresql/root.crt\" does not exist
Either provide the file or change sslmode to disable server certificate verification." \
    as "$ALICE" psql -X -At "$ALICE_URI" -c "SELECT 1"
must as "$ALICE" mkdir -m 700 "$ALICE_HOME/.postgresql"
cp "$TLS/ca.crt" "$ALICE_HOME/.postgresql/root.crt" && chown "$ALICE": "$ALICE_HOME/.postgresql/root.crt"
answer "$W/answers" "$ALICE_FIRST_PASSWORD" "$ALICE_PASSWORD" "$ALICE_PASSWORD"
expect "alice connects with the DBA's password and chooses her own with \\password" "Password for user $ALICE: 
Enter new password for user \"$ALICE\": 
Enter it again: " \
    setsid -w runuser -u "$ALICE" -- env -i PATH=/usr/bin:/bin HOME="$ALICE_HOME" LC_ALL=C \
    psql -X "$ALICE_URI" -c '\password' <"$W/answers"
rm "$W/answers"
printf 'localhost:%s:%s:%s:%s\n' "$PORT" "$DB" "$ALICE" "$ALICE_PASSWORD" >"$ALICE_HOME/.pgpass"
chown "$ALICE": "$ALICE_HOME/.pgpass" && chmod 600 "$ALICE_HOME/.pgpass"
expect "alice connects: verify-full, SCRAM with the password from ~/.pgpass, TLS 1.3" "$ALICE|t|TLSv1.3|alice-first" \
    as "$ALICE" psql -X -At "$ALICE_URI" \
    -c "SELECT session_user, ssl, version, (SELECT string_agg(value, ',') FROM concord.label) FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
ipv6 expect "... over IPv6 too (the ::/0 line)" "$ALICE|::1" \
    as "$ALICE" env PGPASSWORD="$ALICE_PASSWORD" psql -X -At "$ALICE_URI&hostaddr=::1" -c "SELECT session_user, inet_client_addr()"
refused "the first password no longer works" \
    "psql: error: connection to server at \"localhost\" (127.0.0.1), port $PORT failed: FATAL:  password authentication failed for user \"$ALICE\"" \
    as "$ALICE" env PGPASSWORD="$ALICE_FIRST_PASSWORD" psql -X -At "$ALICE_URI" -c "SELECT 1"
chmod 644 "$ALICE_HOME/.pgpass"
refused "libpq ignores a ~/.pgpass others can read" \
    "WARNING: password file \"$ALICE_HOME/.pgpass\" has group or world access; permissions should be u=rw (0600) or less
psql: error: connection to server at \"localhost\" (127.0.0.1), port $PORT failed: fe_sendauth: no password supplied" \
    as "$ALICE" psql -X -At -w "$ALICE_URI" -c "SELECT 1"
chmod 600 "$ALICE_HOME/.pgpass"
refused "the server's name is not the certificate's" \
    "psql: error: connection to server at \"127.0.0.1\", port $PORT failed: server certificate for \"localhost\" (and 1 other name) does not match host name \"127.0.0.1\"" \
    as "$ALICE" psql -X -At "postgresql://$ALICE@127.0.0.1:$PORT/$DB?sslmode=verify-full" -c "SELECT 1"
expect "sslmode=require does not check the name: the same connection is accepted" "1" \
    as "$ALICE" env PGPASSWORD="$ALICE_PASSWORD" psql -X -At "postgresql://$ALICE@127.0.0.1:$PORT/$DB?sslmode=require" -c "SELECT 1"
(cd "$W" && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
    -subj "/CN=someone else's CA" -keyout other-ca.key -out other-ca.crt) >"$W/last.log" 2>&1 || usage_error "openssl failed"
chmod 644 "$W/other-ca.crt" "$W/other-ca.key"
refused "a root certificate that did not sign the server's (as with a server impersonating eval.example.org)" \
    "psql: error: connection to server at \"localhost\" (127.0.0.1), port $PORT failed: SSL error: certificate verify failed" \
    as "$ALICE" psql -X -At "$ALICE_URI&sslrootcert=$W/other-ca.crt" -c "SELECT 1"
refused "without TLS there is no way in" \
    "psql: error: connection to server at \"localhost\" (127.0.0.1), port $PORT failed: FATAL:  no pg_hba.conf entry for host \"127.0.0.1\", user \"$ALICE\", database \"$DB\", no encryption" \
    as "$ALICE" psql -X -At "postgresql://$ALICE@localhost:$PORT/$DB?sslmode=disable" -c "SELECT 1"

# ---------------------------------------------------------------------------------------
step "a remote rater with a client certificate: cert over hostssl (§7)"
BOB_HOME=$W/home/$BOB
BOB_URI="postgresql://$BOB@localhost:$PORT/$DB?sslmode=verify-full"
# bob, on his own machine: the key never leaves it
must as "$BOB" mkdir -m 700 "$BOB_HOME/.postgresql"
must as "$BOB" openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$BOB" \
    -keyout "$BOB_HOME/.postgresql/postgresql.key" -out "$BOB_HOME/bob.csr"
must as "$BOB" chmod 600 "$BOB_HOME/.postgresql/postgresql.key"
cp "$TLS/ca.crt" "$BOB_HOME/.postgresql/root.crt" && chown "$BOB": "$BOB_HOME/.postgresql/root.crt"
refused "bob without his certificate" \
    "psql: error: connection to server at \"localhost\" (127.0.0.1), port $PORT failed: FATAL:  connection requires a valid client certificate" \
    as "$BOB" psql -X -At "$BOB_URI" -c "SELECT 1"
# the DBA signs bob's request
must openssl x509 -req -in "$BOB_HOME/bob.csr" -CA "$TLS/ca.crt" -CAkey "$CA/ca.key" -CAcreateserial -days 365 \
    -out "$W/bob.crt"
cp "$W/bob.crt" "$BOB_HOME/.postgresql/postgresql.crt" && chown "$BOB": "$BOB_HOME/.postgresql/postgresql.crt"
expect "bob connects with his certificate, no password" "$BOB|/CN=$BOB|bob-first" \
    as "$BOB" psql -X -At "$BOB_URI" \
    -c "SELECT session_user, client_dn, (SELECT string_agg(value, ',') FROM concord.label) FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
ipv6 expect "... over IPv6 too (the ::/0 line)" "$BOB|::1" \
    as "$BOB" psql -X -At "$BOB_URI&hostaddr=::1" -c "SELECT session_user, inet_client_addr()"
must as "$BOB" chmod 644 "$BOB_HOME/.postgresql/postgresql.key"
refused "libpq refuses a key others can read" \
    "psql: error: connection to server at \"localhost\" (127.0.0.1), port $PORT failed: private key file \"$BOB_HOME/.postgresql/postgresql.key\" has group or world access; file must have permissions u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) or less if owned by root" \
    as "$BOB" psql -X -At "$BOB_URI" -c "SELECT 1"
must as "$BOB" chmod 600 "$BOB_HOME/.postgresql/postgresql.key"
# alice's certificate, from the same CA, presented by bob's login
(cd "$W" && openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$ALICE" \
    -keyout alice.key -out alice.csr && openssl x509 -req -in alice.csr -CA "$TLS/ca.crt" -CAkey "$CA/ca.key" \
    -CAcreateserial -days 1 -out alice.crt && chown "$BOB": alice.key alice.crt && chmod 600 alice.key) \
    >"$W/last.log" 2>&1 || usage_error "openssl failed"
refused "a certificate whose CN is another role" \
    "psql: error: connection to server at \"localhost\" (127.0.0.1), port $PORT failed: FATAL:  certificate authentication failed for user \"$BOB\"" \
    as "$BOB" psql -X -At "$BOB_URI&sslcert=$W/alice.crt&sslkey=$W/alice.key" -c "SELECT 1"
# a certificate bob signed himself, with the right CN
(cd "$W" && openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$BOB" \
    -keyout forged.key -out forged.csr && openssl x509 -req -in forged.csr -CA other-ca.crt -CAkey other-ca.key \
    -CAcreateserial -days 1 -out forged.crt && chown "$BOB": forged.key forged.crt && chmod 600 forged.key) \
    >"$W/last.log" 2>&1 || usage_error "openssl failed"
refused "a certificate with bob's name from another CA" \
    "psql: error: connection to server at \"localhost\" (127.0.0.1), port $PORT failed: SSL error: tlsv1 alert unknown ca" \
    as "$BOB" psql -X -At "$BOB_URI&sslcert=$W/forged.crt&sslkey=$W/forged.key" -c "SELECT 1"
must as_postgres psql -X -d postgres -c "ALTER ROLE \"$BOB\" NOLOGIN"
refused "a person who leaves: ALTER ROLE bob NOLOGIN (their name and labels stay)" \
    "psql: error: connection to server at \"localhost\" (127.0.0.1), port $PORT failed: FATAL:  role \"$BOB\" is not permitted to log in" \
    as "$BOB" psql -X -At "$BOB_URI" -c "SELECT 1"
must as_postgres psql -X -d postgres -c "ALTER ROLE \"$BOB\" LOGIN"

# ---------------------------------------------------------------------------------------
step "backups: pg_dump -Fc and the roles; checking a backup (§9)"
BACKUPS=$W/backups      # /var/backups/concord in the document
install -d -o "$SERVER_USER" -g "$SERVER_USER" -m 700 "$BACKUPS"
DUMP=$BACKUPS/$DB-$(date +%F).dump
ROLES=$BACKUPS/roles-$(date +%F).sql
expect "pg_dump -Fc as the superuser" "" as_postgres pg_dump -Fc -f "$DUMP" "$DB"
expect "pg_dumpall --roles-only" "" as_postgres pg_dumpall --roles-only -f "$ROLES"
expect "the roles file holds the concord roles and alice's SCRAM verifier" "1|6|1" \
    awk -v alice="$ALICE" '/^CREATE ROLE concord_w48_owner;$/ {owner++}
                           /^CREATE ROLE concord_w48_/ {groups++}
                           index($0, "ALTER ROLE \"" alice "\"") == 1 && /PASSWORD .SCRAM-SHA-256\$/ {scram++}
                           END {print owner "|" groups "|" scram}' "$ROLES"
refused "the concord admin cannot dump the database: dumps are the superuser's" \
    "pg_dump: error: query failed: ERROR:  permission denied for sequence label_id_seq
pg_dump: detail: Query was: SELECT last_value, is_called FROM concord.label_id_seq" \
    as "$DANA" pg_dump -Fc -f "$W/home/$DANA/$DB.dump" "$DB"

must as_postgres createdb -O "$DANA" "${DB}_check"
expect "pg_restore into a new database of the same cluster" "" as_postgres pg_restore -d "${DB}_check" "$DUMP"
expect "the copy keeps the rows, the owner, row-level security and the policy" "2|concord_w48_owner|t|1" \
    as_postgres psql -X -At -d "${DB}_check" -c "SELECT (SELECT count(*) FROM concord.label),
        (SELECT tableowner FROM pg_tables WHERE schemaname = 'concord' AND tablename = 'label'),
        (SELECT relrowsecurity FROM pg_class WHERE oid = 'concord.label'::regclass),
        (SELECT count(*) FROM pg_policies WHERE schemaname = 'concord')"
expect "... but not the database's own privileges (CONNECT), which only pg_restore -C carries" "f|t" \
    as_postgres psql -X -At -d postgres -c "SELECT (SELECT datacl IS NULL FROM pg_database WHERE datname = '$DB'),
                                                   (SELECT datacl IS NULL FROM pg_database WHERE datname = '${DB}_check')"
refused "... which does no harm: pg_hba.conf admits only the superuser to the copy" \
    "psql: error: connection to server on socket \"$W/run/.s.PGSQL.$PORT\" failed: FATAL:  no pg_hba.conf entry for host \"[local]\", user \"$ALICE\", database \"${DB}_check\", no encryption" \
    as "$ALICE" psql -X -At -d "${DB}_check" -c "SELECT 1"
must as_postgres dropdb "${DB}_check"

step "the server lost: roles first, then pg_restore -C on a new cluster (§9)"
mkdir "$W/restore" "$W/run-restore"
chown "$SERVER_USER": "$W/restore" "$W/run-restore"
chmod 700 "$W/restore"
must as_postgres "$BIN/initdb" -D "$W/restore" --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --no-locale
must as_postgres "$BIN/pg_ctl" -D "$W/restore" -l "$W/restore/server.log" -w -t 60 \
    -o "-p $RESTORE_PORT -k $W/run-restore -c listen_addresses=''" start
restore_as() { local user=$1; shift; as "$user" env PGHOST="$W/run-restore" PGPORT="$RESTORE_PORT" "$@"; }
restore_as "$SERVER_USER" pg_restore -C -d postgres "$DUMP" >"$W/no-roles.log" 2>&1
echo "exit $?" >>"$W/no-roles.log"
expect "without the roles, pg_restore -C fails on each object that names one" \
    "pg_restore: error: could not execute query: ERROR:  role \"$DANA\" does not exist
pg_restore: warning: errors ignored on restore: 14
exit 1" \
    bash -c "grep -m1 '^pg_restore: error' '$W/no-roles.log'; tail -2 '$W/no-roles.log'"
must restore_as "$SERVER_USER" dropdb "$DB"
expect "psql -f roles.sql: only the bootstrap superuser exists already" \
    "psql:$ROLES:16: ERROR:  role \"$SERVER_USER\" already exists" \
    restore_as "$SERVER_USER" psql -X -q -d postgres -f "$ROLES"
expect "pg_restore -C -d postgres recreates the database under its own name" "" \
    restore_as "$SERVER_USER" pg_restore -C -d postgres "$DUMP"
expect "alice, by peer on the new server, still reads only her own labels" "alice-first" \
    restore_as "$ALICE" psql -X -At -d "$DB" -c "SELECT value FROM concord.label"
ACL="\"$DANA\"=CTc/\"$DANA\""
for role in rater lead auditor admin model; do ACL="$ACL concord_w48_$role=c/\"$DANA\""; done
expect "... and the database's privileges came back (CONNECT for concord's group roles, none for PUBLIC)" "$ACL" \
    restore_as "$SERVER_USER" psql -X -At -d postgres -c "SELECT array_to_string(datacl, ' ') FROM pg_database WHERE datname = '$DB'"
must as_postgres "$BIN/pg_ctl" -D "$W/restore" -m fast -w stop

# ---------------------------------------------------------------------------------------
step "a read-only standby for reports: pg_basebackup -R (§10)"
REPLICATOR_PASSWORD='replica 48'
printf '%s\n%s\n' "$REPLICATOR_PASSWORD" "$REPLICATOR_PASSWORD" >"$W/answers"
chmod 644 "$W/answers"
expect "the primary's defaults already allow streaming replication" "replica|10" \
    as_postgres psql -X -At -d postgres -c "SELECT current_setting('wal_level') || '|' || current_setting('max_wal_senders')"
must as_postgres createuser --replication replicator
must setsid -w runuser -u "$SERVER_USER" -- env -i PATH=/usr/bin:/bin LC_ALL=C PGHOST="$W/run" PGPORT="$PORT" \
    psql -X -d postgres -c "\\password replicator" <"$W/answers"
rm "$W/answers"
# on the standby's machine, as postgres: the CA certificate and the password
STANDBY_CA=$W/pghome/ca.crt     # /etc/postgresql/15/main/tls/ca.crt on the standby
cp "$TLS/ca.crt" "$STANDBY_CA" && chown "$SERVER_USER": "$STANDBY_CA"
printf 'localhost:%s:replication:replicator:%s\n' "$PORT" "$REPLICATOR_PASSWORD" >"$W/pghome/.pgpass"
chown "$SERVER_USER": "$W/pghome/.pgpass" && chmod 600 "$W/pghome/.pgpass"
mkdir "$W/standby" "$W/run-standby"
chown "$SERVER_USER": "$W/standby" "$W/run-standby"
chmod 700 "$W/standby"
standby_as() { local user=$1; shift; as "$user" env PGHOST="$W/run-standby" PGPORT="$STANDBY_PORT" "$@"; }
expect "pg_basebackup -R -X stream -C -S reports, over TLS with verify-full" "" \
    runuser -u "$SERVER_USER" -- env -i PATH=/usr/bin:/bin HOME="$W/pghome" LC_ALL=C \
    "$BIN/pg_basebackup" -d "host=localhost port=$PORT user=replicator sslmode=verify-full sslrootcert=$STANDBY_CA" \
    -D "$W/standby" -R -X stream -C -S reports --checkpoint=fast
expect "-R wrote the connection to the primary and made it a standby" \
    "primary_conninfo = 'user=replicator passfile=''$W/pghome/.pgpass'' channel_binding=prefer host=localhost port=$PORT sslmode=''verify-full'' sslcompression=0 sslrootcert=''$STANDBY_CA'' sslsni=1 ssl_min_protocol_version=TLSv1.2 gssencmode=prefer krbsrvname=postgres target_session_attrs=any'
primary_slot_name = 'reports'
standby.signal" \
    bash -c "grep -E '^primary_(conninfo|slot_name)' '$W/standby/postgresql.auto.conf'; ls '$W/standby' | grep signal"
must as_postgres "$BIN/pg_ctl" -D "$W/standby" -l "$W/standby/server.log" -w -t 60 \
    -o "-p $STANDBY_PORT -k $W/run-standby" start
expect "hot_standby is on by default: the standby answers queries" "on" \
    standby_as "$SERVER_USER" psql -X -At -d postgres -c "SHOW hot_standby"
expect "the standby is in recovery" "t" standby_as "$SERVER_USER" psql -X -At -d postgres -c "SELECT pg_is_in_recovery()"
expect "the primary streams to it through the slot" "streaming|async|reports|t" \
    as_postgres psql -X -At -d postgres -c "SELECT r.state, r.sync_state, s.slot_name, s.active
        FROM pg_stat_replication r JOIN pg_replication_slots s ON s.active_pid = r.pid"
must as "$ALICE" psql -X -At -d "$DB" -c "SELECT concord.submit('alice-second')"
seen=""
for _ in $(seq 300); do   # waits for replay; not a timing check
    seen=$(standby_as "$ALICE" psql -X -At -d "$DB" -c "SELECT string_agg(value, ',' ORDER BY id) FROM concord.label")
    [ "$seen" = "alice-first,alice-second" ] && break
    sleep 0.1
done
expect "a label written on the primary reaches the standby, where alice still reads only hers" \
    "alice-first,alice-second" printf '%s' "$seen"
refused "a write on the standby is refused, through concord's function" \
    "ERROR:  cannot execute INSERT in a read-only transaction
CONTEXT:  SQL function \"submit\" statement 1" \
    standby_as "$ALICE" psql -X -At -d "$DB" -c "SELECT concord.submit('on the standby')"
refused "... and for the superuser too" \
    "ERROR:  cannot execute INSERT in a read-only transaction" \
    standby_as "$SERVER_USER" psql -X -At -d "$DB" -c "INSERT INTO concord.label (rater_id, value) VALUES (1, 'x')"
expect "reads in a REPEATABLE READ READ ONLY transaction, as concord's reads are, work there" "alice-first,alice-second" \
    standby_as "$ALICE" psql -X -q -At -d "$DB" -c "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" \
    -c "SELECT string_agg(value, ',' ORDER BY id) FROM concord.label" -c "COMMIT"
refused "LISTEN, which concord's live dashboard and queue use, does not" \
    "ERROR:  cannot execute LISTEN during recovery" \
    standby_as "$ALICE" psql -X -At -d "$DB" -c "LISTEN concord"
must as_postgres "$BIN/pg_ctl" -D "$W/standby" -m fast -w stop
expect "a standby retired for good: its slot is dropped on the primary (else the primary keeps WAL for it)" "" \
    as_postgres psql -X -At -d postgres -c "SELECT pg_drop_replication_slot('reports')"

# ---------------------------------------------------------------------------------------
step "removing a project: the database, then its roles, which outlive it (§11)"
expect "dropdb" "" as_postgres dropdb "$DB"
expect "the project's roles are still there" "concord_w48_admin concord_w48_auditor concord_w48_lead concord_w48_model concord_w48_owner concord_w48_rater" \
    as_postgres psql -X -At -d postgres -c "SELECT string_agg(rolname, ' ' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'concord\\_w48\\_%'"
expect "DROP ROLE takes them" "" \
    as_postgres psql -X -q -d postgres -c "DROP ROLE concord_w48_owner, concord_w48_rater, concord_w48_lead, concord_w48_auditor, concord_w48_admin, concord_w48_model"
expect "... and the people's login roles stay theirs" "$ALICE $BOB $DANA replicator" \
    as_postgres psql -X -At -d postgres -c "SELECT string_agg(rolname, ' ' ORDER BY rolname) FROM pg_roles WHERE rolcanlogin AND NOT rolsuper"

if [ "$FAILURES" -ne 0 ]; then printf '\nserver-doc-check: %d of %d checks failed\n' "$FAILURES" "$CHECKS"; exit 1; fi
printf '\nserver-doc-check: all %d checks passed\n' "$CHECKS"
