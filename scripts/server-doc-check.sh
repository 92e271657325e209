#!/usr/bin/env bash
# Runs docs/server.md end to end on private clusters, with the real concord, and checks that
# each step does what the page says, messages included.
#
#   sudo SERVER_DOC_CHECK_CONCORD=.build/debug/concord scripts/server-doc-check.sh
#
# Why a script: docs/server.md is a DBA's walk from `apt-get install postgresql` to a rater
# rating over TLS, and every step of it must have been run. Debian's own cluster (in
# /etc/postgresql and /var/lib/postgresql, port 5432) is never touched: the script starts
# its own clusters with initdb in a temporary directory, run by the OS user concord-pg, on
# 127.0.0.1 only and on ports SERVER_DOC_CHECK_PORT (default 54329) to +2. It reads the
# configuration files (concord.conf, pg_hba.conf) and the page's concord commands out of
# docs/server.md itself, so the page and the check cannot drift apart, and replaces only
# what must differ on a private cluster (see `from_doc` and `on_page`); the few concord
# commands it runs besides (a refused init, a write on the standby) check what the page
# says of them. The people of the
# page are OS users made here and deleted afterwards: dana (concord's admin, over peer on
# the socket), alice (a rater with a password, over TCP with verify-full), bob (a rater with
# a client certificate) and carol (an auditor reading the standby) become cpgdoc-dana,
# cpgdoc-alice, cpgdoc-bob and cpgdoc-carol.
#
# concord is the binary SERVER_DOC_CHECK_CONCORD names (ServerDocCheckTests passes the
# build the tests use); it is copied into the temporary directory, where every test user
# can run it and a rebuild cannot swap it mid-run. alice's and bob's `concord rate` run in
# a terminal of their own (tmux), answer an item and quit, as a rater would.
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
CONCORD=${SERVER_DOC_CHECK_CONCORD:-}
DB=concord_w48
DANA=cpgdoc-dana ALICE=cpgdoc-alice BOB=cpgdoc-bob CAROL=cpgdoc-carol

usage_error() { printf 'server-doc-check: %s\n' "$*" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || usage_error "run as root: it makes OS users and runs the servers as $SERVER_USER"
[ -n "$CONCORD" ] || usage_error "name the concord binary whose commands the page runs: SERVER_DOC_CHECK_CONCORD=.build/debug/concord"
[ -x "$CONCORD" ] || usage_error "SERVER_DOC_CHECK_CONCORD=$CONCORD is not an executable file: build it (swift build --product concord)"
[ -x "$BIN/initdb" ] || usage_error "PostgreSQL 15 is missing ($BIN/initdb): apt-get install postgresql"
[ -f "$DOC" ] || usage_error "cannot read $DOC"
command -v openssl >/dev/null || usage_error "openssl is missing: apt-get install openssl"
command -v tmux >/dev/null || usage_error "tmux is missing (the raters' concord rate runs in it): apt-get install tmux"
for port in "$PORT" "$STANDBY_PORT" "$RESTORE_PORT"; do
    ss -Htln "sport = :$port" | grep -q . && usage_error "port $port is in use: choose others with SERVER_DOC_CHECK_PORT=N (N to N+2)"
done

W=$(mktemp -d "${TMPDIR:-/tmp}/server-doc-check.XXXXXX") || usage_error "mktemp failed"
# shown URI: a value as concord's messages quote it (Printable's quoted()): in quotes, cut at
# 80 characters with "… (N bytes)" after a longer one. The socket's URI outgrows 80 when
# TMPDIR is long (make test's is).
shown() { if [ "${#1}" -le 80 ]; then printf "'%s'" "$1"; else printf "'%s'… (%d bytes)" "${1:0:80}" "$(printf %s "$1" | wc -c)"; fi; }
chmod 755 "$W"      # the test users must reach their homes, the socket directory and concord
runuser -u nobody -- test -x "$W" || usage_error "$W is out of other users' reach: set TMPDIR to a directory they can enter"
MADE_USERS=()
# useradd and userdel lock /etc/passwd and give up at once when another process (a test
# making its own users) holds it: try again for a while.
patiently() {
    local try
    for try in $(seq 50); do "$@" && return 0; [ "$try" -lt 50 ] && sleep 0.2; done
    return 1
}
TMUX_SOCKET=$W/tmux.sock    # the raters' terminals: a tmux server of this run's own
TUI_PIDS=()                 # its server, and each terminal's first process (a process group)
cleanup() {
    # Not tmux kill-server: the server sends itself SIGTERM, which a caller's blocked signal
    # mask (a test runner's, inherited) keeps out, and it stays. SIGKILL cannot be blocked.
    for pid in "${TUI_PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; kill -KILL "$pid" 2>/dev/null; done
    for data in "$W/standby" "$W/restore" "$W/primary"; do
        [ -f "$data/postmaster.pid" ] && runuser -u "$SERVER_USER" -- "$BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1
    done
    for user in "${MADE_USERS[@]}"; do patiently userdel "$user" >/dev/null 2>&1; done
    rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP    # so that cleanup runs on these too
install -d -m 755 "$W/bin" && install -m 755 "$CONCORD" "$W/bin/concord" || usage_error "cannot copy $CONCORD"

FAILURES=0 CHECKS=0
step() { printf '\n== %s\n' "$*"; }
passed() { printf 'ok   %s\n' "$1"; CHECKS=$((CHECKS + 1)); }
failed() { printf 'FAIL %s\n%s\n' "$1" "$2"; FAILURES=$((FAILURES + 1)); CHECKS=$((CHECKS + 1)); }
summary() {
    if [ "$FAILURES" -ne 0 ]; then printf '\nserver-doc-check: %d of %d checks failed\n' "$FAILURES" "$CHECKS"; exit 1; fi
    printf '\nserver-doc-check: all %d checks passed\n' "$CHECKS"
}

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

# essential CHECK...: a check the rest of the walk builds on (concord init, the raters, the
# clips); when it fails, the walk ends there, rather than fail every step after it.
essential() {
    local before=$FAILURES
    "$@"
    [ "$FAILURES" -eq "$before" ] || summary
}

# ipv6 CHECK...: the check where the machine has ::1 (the server then listens there too);
# said and left out where it has not.
ipv6() {
    if ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/'; then "$@"; else printf 'skip %s (no ::1 here)\n' "$2"; fi
}

# Commands as an OS user, with that user's own home (~/.postgresql, ~/.pgpass), concord on
# the PATH and the private cluster's socket and port for connections that name neither.
as() {
    local user=$1; shift
    local home; home=$(getent passwd "$user" | cut -d: -f6)
    runuser -u "$user" -- env -i PATH="$W/bin:/usr/bin:/bin" HOME="$home" LC_ALL=C PGHOST="$W/run" PGPORT="$PORT" "$@"
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

# The page's names, replaced by this private cluster's (the port is PGPORT's, which `as`
# sets: the page's URIs name none).
private_names() {
    sed -E -e "s|/etc/postgresql/15/main/tls|$W/tls|g" \
        -e "s|/etc/postgresql/15/main|$W/primary|g" \
        -e "s|/var/run/postgresql|$W/run|g" \
        -e "s|/srv/clips|$W/srv/clips|g" \
        -e "s|eval\\.example\\.org|localhost|g" -e "s|reports\\.example\\.org|localhost|g" \
        -e "s|^listen_addresses = '\\*'|listen_addresses = '127.0.0.1, ::1'|" \
        -e "s|192\\.0\\.2\\.20/32|127.0.0.1/32|g" \
        -e "s/\\bpostgres\\b/$SERVER_USER/g" \
        -e "s/\\bdana\\b/$DANA/g" -e "s/\\balice\\b/$ALICE/g" -e "s/\\bbob\\b/$BOB/g" -e "s/\\bcarol\\b/$CAROL/g"
}

# from_doc FILE: the fenced block docs/server.md marks with `<!-- server-doc-check: FILE -->`,
# with the page's names replaced by this private cluster's.
from_doc() {
    local block
    block=$(awk -v want="$1" '$0 == "<!-- server-doc-check: " want " -->" {found=1; next}
                               found && /^```/ {if (inside) exit; inside=1; next}
                               inside {print}' "$DOC")
    [ -n "$block" ] || usage_error "docs/server.md has no block marked server-doc-check: $1"
    printf '%s\n' "$block" | private_names
}

# on_page LINE...: a command exactly as the page writes it (its lines, continued with ` \`,
# in one of its indented code blocks), into PAGE as one line with this cluster's names. A
# page that no longer says it fails the check, and the walk ends there: what follows builds
# on it.
DOC_TEXT=$'\n'$(cat "$DOC")$'\n'
on_page() {
    local block="" line
    for line in "$@"; do block+="    $line"$'\n'; done
    if [[ "$DOC_TEXT" != *$'\n'"$block"* ]]; then
        failed "the page runs: $1" "  docs/server.md has no such command (in an indented code block):
$block"
        summary
    fi
    PAGE=$(printf '%s ' "$@" | sed -E -e 's/ \\ +/ /g' -e 's/ +$//' | private_names)
}

# Terminals of their own for the raters' `concord rate` (tmux, 120×40, as a person would
# have): tui_start NAME USER COMMAND runs COMMAND as USER in their home; its exit status
# lands in $W/NAME.status, and its last screen stays readable (the terminal's shell waits
# to be killed at the end).
tui_start() {
    local name=$1 user=$2 command=$3
    local home; home=$(getent passwd "$user" | cut -d: -f6)
    printf 'cd && %s\n' "$command" >"$W/$name.sh"
    chmod 644 "$W/$name.sh"
    # The pane's TERM and TMUX tell concord it is in tmux; the rest is the user's clean login.
    printf '%s\n' "runuser -u '$user' -- env -i PATH='$W/bin:/usr/bin:/bin' HOME='$home' LC_ALL=C.UTF-8 PGPORT='$PORT' \\" \
        "    TERM=\"\$TERM\" TMUX=\"\$TMUX\" bash '$W/$name.sh'" "echo \$? >'$W/$name.status'" "sleep 600" >"$W/$name-terminal.sh"
    must tmux -S "$TMUX_SOCKET" -f /dev/null new-session -d -x 120 -y 40 -s "$name" "sh '$W/$name-terminal.sh'"
    TUI_PIDS+=($(tmux -S "$TMUX_SOCKET" display-message -p -t "$name" '#{pid} #{pane_pid}'))
}
tui_screen() { tmux -S "$TMUX_SOCKET" capture-pane -p -t "$1"; }
tui_keys() { local name=$1; shift; for key in "$@"; do must tmux -S "$TMUX_SOCKET" send-keys -t "$name" "$key"; done; }
# tui_wait NAME TEXT: until the screen shows TEXT (20 s at most; not a timing check).
tui_wait() {
    for _ in $(seq 200); do tui_screen "$1" | grep -qF -- "$2" && return 0; sleep 0.1; done
    failed "$1's screen shows \"$2\"" "$(printf '  the screen:\n%s' "$(tui_screen "$1")")"
    summary
}
# tui_exit NAME: the command's exit status, once it has ended (20 s at most).
tui_exit() {
    for _ in $(seq 200); do [ -f "$W/$1.status" ] && { cat "$W/$1.status"; return 0; }; sleep 0.1; done
    echo "still running"
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
cat >>"$W/primary/postgresql.conf" <<CONF
port = $PORT
unix_socket_directories = '$W/run'
include_dir = 'conf.d'
CONF
mkdir "$W/primary/conf.d"
chown "$SERVER_USER": "$W/primary/conf.d"
must as_postgres "$BIN/pg_ctl" -D "$W/primary" -l "$W/primary/server.log" -w -t 60 start
for person in "$DANA" "$ALICE" "$BOB" "$CAROL"; do
    id "$person" >/dev/null 2>&1 && usage_error "the OS user $person exists already (a previous run?): userdel $person"
    must patiently useradd --create-home --home-dir "$W/home/$person" --shell /usr/sbin/nologin "$person"
    MADE_USERS+=("$person")
done
DANA_HOME=$W/home/$DANA ALICE_HOME=$W/home/$ALICE BOB_HOME=$W/home/$BOB CAROL_HOME=$W/home/$CAROL

# ---------------------------------------------------------------------------------------
step "roles and the database (§2); concord init as dana, over peer (§3)"
must as_postgres createuser --createrole "$DANA"
must as_postgres createdb -O "$DANA" "$DB"
must as_postgres createuser "$ALICE"
must as_postgres createuser "$BOB"
must as_postgres psql -d postgres -c "SELECT 1"   # the superuser over peer, as `sudo -u postgres psql`
on_page 'concord init --project "postgresql:///concord_w48?host=/var/run/postgresql" --name cut-ins'
essential expect "concord init, as dana over peer" "created project 'cut-ins' at $(shown "postgresql:///$DB?host=$W/run"); $DANA is its admin" as "$DANA" bash -c "cd && $PAGE"
expect "init made concord's roles, cluster-wide, named after the database" \
    "concord_w48_admin concord_w48_auditor concord_w48_lead concord_w48_model concord_w48_owner concord_w48_rater" \
    as_postgres psql -X -At -d postgres -c "SELECT string_agg(rolname, ' ' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'concord\\_w48\\_%'"
expect "... nobody logs in as them; the schema and its tables belong to the owner role; dana is the first admin" "f
concord_w48_owner
concord_w48_owner
t|f" \
    as_postgres psql -X -At -d "$DB" -c "SELECT bool_or(rolcanlogin) FROM pg_roles WHERE rolname LIKE 'concord\\_w48\\_%'" \
    -c "SELECT nspowner::regrole FROM pg_namespace WHERE nspname = 'concord'" \
    -c "SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables WHERE schemaname = 'concord'" \
    -c "SELECT pg_has_role('$DANA', 'concord_w48_admin', 'MEMBER'), pg_has_role('$DANA', 'concord_w48_owner', 'MEMBER')"
DATACL="\"$DANA\"=CTc/\"$DANA\" concord_w48_rater=c/\"$DANA\" concord_w48_lead=Tc/\"$DANA\" concord_w48_auditor=c/\"$DANA\" concord_w48_admin=Tc/\"$DANA\" concord_w48_model=c/\"$DANA\""
expect "... and the database lets only concord's group roles connect (and its owner), not PUBLIC" "$DATACL" \
    as_postgres psql -X -At -d postgres -c "SELECT array_to_string(datacl, ' ') FROM pg_database WHERE datname = '$DB'"

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
must as_postgres createdb -O "$DANA" concord_w49
refused "... and concord init of the next project refuses, naming the ALTER ROLE to ask the DBA for" \
    "concord: $DANA cannot create roles, which concord init needs for the project's roles; ask the DBA to run: ALTER ROLE \"$DANA\" CREATEROLE" \
    as "$DANA" concord init --project "postgresql:///concord_w49?host=$W/run"
must as_postgres dropdb concord_w49
on_page 'export CONCORD_PROJECT="postgresql:///concord_w48?host=/var/run/postgresql"'
DANA_PROJECT=$PAGE
# as_dana COMMAND: a command line of the page as dana, in her home, with CONCORD_PROJECT set
as_dana() { as "$DANA" bash -c "set -o pipefail && cd && $DANA_PROJECT && $1"; }
refused "a login role alone reaches nothing of the project (CONNECT is for concord's group roles)" \
    "psql: error: connection to server on socket \"$W/run/.s.PGSQL.$PORT\" failed: FATAL:  permission denied for database \"$DB\"
DETAIL:  User does not have CONNECT privilege." \
    as "$ALICE" psql -X -At -d "$DB" -c "SELECT 1"
on_page 'concord rater add alice --role rater      # the login role alice must exist (§2)'
essential expect "... so dana, without CREATEROLE, gives alice her concord role: concord rater add" "$ALICE is now a rater" as_dana "$PAGE"
on_page 'concord rater add bob --role rater'
essential expect "... and bob his" "$BOB is now a rater" as_dana "$PAGE"
expect "... through the owner's function, which grants the group role" "t|t" \
    as_postgres psql -X -At -d postgres \
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
expect "alice connects: verify-full, SCRAM with the password from ~/.pgpass, TLS 1.3" "$ALICE|t|TLSv1.3" \
    as "$ALICE" psql -X -At "$ALICE_URI" -c "SELECT session_user, ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
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
expect "bob connects with his certificate, no password" "$BOB|/CN=$BOB" \
    as "$BOB" psql -X -At "$BOB_URI" -c "SELECT session_user, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
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
step "the first rater rating remotely: dana's concord commands on the server (§8)"
# Two of the demo's clips as the week's (/srv/clips/week48 in the page), and the rubric
# the page adds, from the repository, in dana's home.
DEMO=$ROOT/assets/demo
CLIP_A=cutin-left-close.mp4 CLIP_B=lead-brakes.mp4
[ -f "$DEMO/$CLIP_A" ] && [ -f "$DEMO/$CLIP_B" ] && [ -f "$ROOT/rubrics/av-cut-in.yaml" ] ||
    usage_error "the demo's clips ($DEMO) or rubrics/av-cut-in.yaml are missing"
# dana's alone (0750): the raters, on this one machine, must not find the clips where
# the project recorded them, as they would not from their own sites.
install -d -m 755 "$W/srv" "$W/srv/clips"
install -d -o "$DANA" -g "$DANA" -m 750 "$W/srv/clips/week48"
install -o "$DANA" -g "$DANA" -m 644 "$DEMO/$CLIP_A" "$DEMO/$CLIP_B" "$W/srv/clips/week48/"
install -d -o "$DANA" -g "$DANA" -m 755 "$DANA_HOME/rubrics"
install -o "$DANA" -g "$DANA" -m 644 "$ROOT/rubrics/av-cut-in.yaml" "$DANA_HOME/rubrics/"
on_page 'concord rubric add rubrics/av-cut-in.yaml'
essential expect "concord rubric add" "added rubric 'av-cut-in' version <sha256>" as_dana "$PAGE | sed -E 's/[0-9a-f]{64}/<sha256>/'"
on_page 'concord clip add /srv/clips/week48/*.mp4 --batch week48 --rubric av-cut-in'
essential expect "concord clip add" "item 1: $CLIP_A
item 2: $CLIP_B
added 2 clips to batch 'week48'" as_dana "$PAGE"
on_page 'concord assign --batch week48 --raters alice,bob'
essential expect "concord assign" "4 new assignments in batch 'week48'" as_dana "$PAGE"

step "alice rates at her site: concord rate over TLS (verify-full, SCRAM from ~/.pgpass), her copies of the clips under other names (§8)"
# Her copies: the same bytes under names of her own; concord finds them by SHA-256.
install -d -o "$ALICE" -g "$ALICE" -m 755 "$ALICE_HOME/clips" "$ALICE_HOME/clips/week48"
install -o "$ALICE" -g "$ALICE" -m 644 "$DEMO/$CLIP_A" "$ALICE_HOME/clips/week48/monday-1.mp4"
install -o "$ALICE" -g "$ALICE" -m 644 "$DEMO/$CLIP_B" "$ALICE_HOME/clips/week48/monday-2.mp4"
on_page 'concord rate --project "postgresql://alice@eval.example.org/concord_w48?sslmode=verify-full" \' \
        '    --clips ~/clips/week48'
ALICE_RATE=$PAGE
tui_start alice "$ALICE" "$ALICE_RATE"
tui_wait alice "item 1 of 2"
FIRST=$(tui_screen alice | grep -oE "$CLIP_A|$CLIP_B" | head -1)
tui_wait alice "frame 0/" && passed "alice's terminal plays $FIRST from her own copy (the player shows frame 0/…)"
expect "alice cannot read the clips where dana added them" "no" \
    as "$ALICE" bash -c "test -r '$W/srv/clips/week48/$FIRST' && echo yes || echo no"
tui_keys alice 2 Enter          # present: no, then submit
tui_wait alice "item 2 of 2"
if tui_screen alice | grep -qF "saved $FIRST"; then passed "alice answers the first item ($FIRST) and submits it: saved"
else failed "alice answers the first item and submits it: saved" "$(tui_screen alice)"; fi
tui_keys alice q
expect "alice quits: concord rate exits 0" "0" tui_exit alice
if tui_screen alice | grep -qF "1 item submitted this session; 1 of 2 done"; then passed "... and says what she did"
else failed "... and says what she did" "$(tui_screen alice)"; fi

step "bob rates with his client certificate, no password (§7, §8)"
install -d -o "$BOB" -g "$BOB" -m 755 "$BOB_HOME/clips" "$BOB_HOME/clips/week48"
install -o "$BOB" -g "$BOB" -m 644 "$DEMO/$CLIP_A" "$DEMO/$CLIP_B" "$BOB_HOME/clips/week48/"
tui_start bob "$BOB" "${ALICE_RATE//$ALICE/$BOB}"
tui_wait bob "item 1 of 2"
BOB_FIRST=$(tui_screen bob | grep -oE "$CLIP_A|$CLIP_B" | head -1)
tui_keys bob 3 Enter            # present: unclear, then submit
tui_wait bob "item 2 of 2"
tui_keys bob q
expect "bob submits one item and quits" "0" tui_exit bob

step "dana sees the labels (§8); what a rater with a wrong password or a wrong CA sees"
on_page 'concord label export'
expect "concord label export, as dana: alice's label (and bob's)" "clip,rater,criterion,value
$FIRST,$ALICE,present,no
$BOB_FIRST,$BOB,present,unclear" as_dana "$PAGE | cut -d, -f1-4"
refused "a wrong password: concord's one line" "concord: the PostgreSQL server for 'postgresql://$ALICE@localhost/$DB?sslmode=verify-full' refused user '$ALICE': password authentication failed for user \"$ALICE\"; check the user name and password (~/.pgpass or PGPASSWORD), or ask its administrator for a login role" \
    as "$ALICE" env PGPASSWORD='not hers' bash -c "cd && $ALICE_RATE"
# alice's root.crt swapped for another authority's, as if an impostor answered for the server
cp "$ALICE_HOME/.postgresql/root.crt" "$W/alice-root.crt" && install -o "$ALICE" -m 644 "$W/other-ca.crt" "$ALICE_HOME/.postgresql/root.crt"
refused "a root certificate that did not sign the server's: concord's one line" \
    "concord: cannot connect to PostgreSQL for 'postgresql://$ALICE@localhost/$DB?sslmode=verify-full': connection to server at \"localhost\" (127.0.0.1), port $PORT failed: SSL error: certificate verify failed" \
    as "$ALICE" bash -c "cd && $ALICE_RATE"
install -o "$ALICE" -m 644 "$W/alice-root.crt" "$ALICE_HOME/.postgresql/root.crt"

step "what the database enforces, as a rater sees it from psql (§4, Who reads what)"
expect "alice reads only her own labels" "$ALICE $FIRST present=no" \
    as "$ALICE" psql -X -At -d "$DB" -c "SELECT r.name || ' ' || c.name || ' ' || l.criterion || '=' || l.value
        FROM concord.label l JOIN concord.rater r ON r.id = l.rater_id JOIN concord.item i ON i.id = l.item_id
        JOIN concord.clip c ON c.id = i.clip_id"
refused "alice cannot insert a label directly" "ERROR:  permission denied for table label" \
    as "$ALICE" psql -X -At -d "$DB" -c "INSERT INTO concord.label (item_id, criterion, rater_id, value, rubric_version_id,
        submitted_at, recorded_at, revision, source) VALUES (1, 'present', 1, 'yes', 1, '', '', 1, 'workbench')"
refused "alice cannot make herself admin through concord's function" "ERROR:  permission denied for function add_rater" \
    as "$ALICE" psql -X -At -d "$DB" -c "SELECT concord.add_rater('$ALICE', 'admin')"

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
    "pg_dump: error: query failed: ERROR:  permission denied for sequence assignment_id_seq
pg_dump: detail: Query was: SELECT last_value, is_called FROM concord.assignment_id_seq" \
    as "$DANA" pg_dump -Fc -f "$W/home/$DANA/$DB.dump" "$DB"

must as_postgres createdb -O "$DANA" "${DB}_check"
expect "pg_restore into a new database of the same cluster" "" as_postgres pg_restore -d "${DB}_check" "$DUMP"
expect "the copy keeps the rows, the owner, row-level security and the policies" "2|concord_w48_owner|t|12" \
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
# How many objects name a role (N) is the schema's business, not the page's.
expect "without the roles, pg_restore -C fails on each object that names one" \
    "pg_restore: error: could not execute query: ERROR:  role \"$DANA\" does not exist
pg_restore: warning: errors ignored on restore: N
exit 1" \
    bash -c "grep -m1 '^pg_restore: error' '$W/no-roles.log'; tail -2 '$W/no-roles.log' | sed -E 's/(errors ignored on restore:) [0-9]+\$/\\1 N/'"
must restore_as "$SERVER_USER" dropdb "$DB"
expect "psql -f roles.sql: only the bootstrap superuser exists already" \
    "psql:$ROLES:16: ERROR:  role \"$SERVER_USER\" already exists" \
    restore_as "$SERVER_USER" psql -X -q -d postgres -f "$ROLES"
expect "pg_restore -C -d postgres recreates the database under its own name" "" \
    restore_as "$SERVER_USER" pg_restore -C -d postgres "$DUMP"
expect "alice, by peer on the new server, still reads only her own labels" "$ALICE|present|no" \
    restore_as "$ALICE" psql -X -At -d "$DB" -c "SELECT r.name, l.criterion, l.value FROM concord.label l JOIN concord.rater r ON r.id = l.rater_id"
expect "... and the database's privileges came back (CONNECT for concord's group roles, none for PUBLIC)" "$DATACL" \
    restore_as "$SERVER_USER" psql -X -At -d postgres -c "SELECT array_to_string(datacl, ' ') FROM pg_database WHERE datname = '$DB'"
expect "... and concord finds the restored project's audit log intact, as dana over peer" \
    "audit log intact: 8 events, chain and 22 audited rows verified" \
    restore_as "$DANA" bash -c "set -o pipefail && cd && ${DANA_PROJECT//$W\/run/$W\/run-restore} && concord audit verify | sed -n 1p"
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
# carol, an auditor who reads reports on the standby: a login role with a password, as in
# §2 and §6, made an auditor by dana on the primary; that write must reach the standby.
must as_postgres createuser "$CAROL"
CAROL_PASSWORD='reports 48'
answer "$W/answers" "$CAROL_PASSWORD" "$CAROL_PASSWORD"
must setsid -w runuser -u "$SERVER_USER" -- env -i PATH=/usr/bin:/bin LC_ALL=C PGHOST="$W/run" PGPORT="$PORT" \
    psql -X -d postgres -c "\\password $CAROL" <"$W/answers"
rm "$W/answers"
on_page 'concord rater add carol --role auditor'
expect "dana makes carol an auditor, on the primary" "$CAROL is now an auditor" as_dana "$PAGE"
seen=""
for _ in $(seq 300); do   # waits for replay; not a timing check
    seen=$(standby_as "$SERVER_USER" psql -X -At -d "$DB" -c "SELECT string_agg(name, ' ' ORDER BY name) FROM concord.rater")
    [ "$seen" = "$ALICE $BOB $CAROL $DANA" ] && break
    sleep 0.1
done
expect "concord's write on the primary reaches the standby" "$ALICE $BOB $CAROL $DANA" printf '%s' "$seen"
expect "alice, by peer on the standby, still reads only her own labels" "$ALICE|present|no" \
    standby_as "$ALICE" psql -X -At -d "$DB" -c "SELECT r.name, l.criterion, l.value FROM concord.label l JOIN concord.rater r ON r.id = l.rater_id"
refused "a write on the standby is refused, through concord's functions" "concord: PostgreSQL refused the statement: cannot execute INSERT in a read-only transaction [SQLSTATE 25006]" \
    standby_as "$DANA" bash -c "cd && ${DANA_PROJECT//$W\/run/$W\/run-standby} && concord rater add nobody --role rater"
refused "... and for the superuser too" \
    "ERROR:  cannot execute INSERT in a read-only transaction" \
    standby_as "$SERVER_USER" psql -X -At -d "$DB" -c "INSERT INTO concord.label (rater_id, value) VALUES (1, 'x')"
expect "reads in a REPEATABLE READ READ ONLY transaction, as concord's reads are, work there" "no" \
    standby_as "$ALICE" psql -X -q -At -d "$DB" -c "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" \
    -c "SELECT string_agg(value, ',' ORDER BY id) FROM concord.label" -c "COMMIT"
refused "LISTEN, which concord's live dashboard and queue use, does not" \
    "ERROR:  cannot execute LISTEN during recovery" \
    standby_as "$ALICE" psql -X -At -d "$DB" -c "LISTEN concord"
# carol, at her desk: the CA's certificate and her password, then the page's report command
install -d -o "$CAROL" -g "$CAROL" -m 700 "$CAROL_HOME/.postgresql"
install -o "$CAROL" -g "$CAROL" -m 644 "$TLS/ca.crt" "$CAROL_HOME/.postgresql/root.crt"
printf 'localhost:%s:%s:%s:%s\n' "$STANDBY_PORT" "$DB" "$CAROL" "$CAROL_PASSWORD" >"$CAROL_HOME/.pgpass"
chown "$CAROL": "$CAROL_HOME/.pgpass" && chmod 600 "$CAROL_HOME/.pgpass"
on_page 'concord report --project "postgresql://carol@reports.example.org/concord_w48?sslmode=verify-full" \' \
        '    --batch week48 --out week48.html'
expect "carol's concord report reads the standby, over TLS with verify-full" "" \
    as "$CAROL" env PGPORT="$STANDBY_PORT" bash -c "cd && $PAGE"
expect "... and the report is the week's: 2 items, 2 raters, 2 labels, 50% complete" \
    "<h1>Audit report: batch week48</h1>
<tr><td>2</td><td>2 / 0</td><td>2</td><td>50%</td>" \
    grep -o -e '<h1>[^<]*</h1>' -e '<tr><td>[0-9]*</td><td>[0-9]* / [0-9]*</td><td>[0-9]*</td><td>[0-9]*%</td>' "$CAROL_HOME/week48.html"
must as_postgres "$BIN/pg_ctl" -D "$W/standby" -m fast -w stop
expect "a standby retired for good: its slot is dropped on the primary (else the primary keeps WAL for it)" "" \
    as_postgres psql -X -At -d postgres -c "SELECT pg_drop_replication_slot('reports')"

# ---------------------------------------------------------------------------------------
step "moving a project out of the server before it goes: concord migrate into a file (§13)"
on_page 'concord migrate --from "postgresql:///concord_w48?host=/var/run/postgresql" --to week48-archive.db'
# It prints every table's count; the first line, the labels, the events and the verdict:
expect "concord migrate, as dana: the server's project into a new file" \
    "copied $(shown "postgresql:///$DB?host=$W/run") into week48-archive.db:
  label               2
  audit_event         9
the copy's audit log verified intact and ends at the source's newest event
anchor 9:<sha256>   (the same in both; keep it outside the project, pass it to audit verify --anchor later)" \
    as_dana "$PAGE | sed -E 's/[0-9a-f]{64}/<sha256>/' | grep -E '^(copied |  label |  audit_event |the copy|anchor )'"

# ---------------------------------------------------------------------------------------
step "removing a project: the database, then its roles, which outlive it (§11)"
expect "dropdb" "" as_postgres dropdb "$DB"
expect "the project's roles are still there" "concord_w48_admin concord_w48_auditor concord_w48_lead concord_w48_model concord_w48_owner concord_w48_rater" \
    as_postgres psql -X -At -d postgres -c "SELECT string_agg(rolname, ' ' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'concord\\_w48\\_%'"
# a new database of the same name, and dana with CREATEROLE back for its init (§3)
must as_postgres createdb -O "$DANA" "$DB"
must as_postgres psql -X -d postgres -c "ALTER ROLE \"$DANA\" CREATEROLE"
refused "... so concord init refuses a new database of the same name, naming the roles it found" "concord: the roles concord_w48_admin, concord_w48_auditor, concord_w48_lead, concord_w48_model, concord_w48_owner, concord_w48_rater already exist (left by an earlier project in a database named '$DB'?); ask the DBA to drop them (DROP ROLE …) or to create a database of another name" \
    as "$DANA" concord init --project "postgresql:///$DB?host=$W/run"
must as_postgres dropdb "$DB"
must as_postgres psql -X -d postgres -c "ALTER ROLE \"$DANA\" NOCREATEROLE"
expect "DROP ROLE takes them" "" \
    as_postgres psql -X -q -d postgres -c "DROP ROLE concord_w48_owner, concord_w48_rater, concord_w48_lead, concord_w48_auditor, concord_w48_admin, concord_w48_model"
expect "... and the people's login roles stay theirs" "$ALICE $BOB $CAROL $DANA replicator" \
    as_postgres psql -X -At -d postgres -c "SELECT string_agg(rolname, ' ' ORDER BY rolname) FROM pg_roles WHERE rolcanlogin AND NOT rolsuper"

# ---------------------------------------------------------------------------------------
step "a project file onto the server: concord migrate into an empty database, instead of init (§8, §13)"
# The archive of §13 as dana's concord.db; a new empty database, and CREATEROLE for the copy.
must as "$DANA" mv "$DANA_HOME/week48-archive.db" "$DANA_HOME/concord.db"
must as_postgres createdb -O "$DANA" "$DB"
must as_postgres psql -X -d postgres -c "ALTER ROLE \"$DANA\" CREATEROLE"
on_page 'concord migrate --from concord.db --to "postgresql:///concord_w48?host=/var/run/postgresql"'
expect "concord migrate, as dana: the file into the empty database" \
    "copied concord.db into $(shown "postgresql:///$DB?host=$W/run"):
  label               2
  audit_event         9
the copy's audit log verified intact and ends at the source's newest event
anchor 9:<sha256>   (the same in both; keep it outside the project, pass it to audit verify --anchor later)" \
    as_dana "$PAGE | sed -E 's/[0-9a-f]{64}/<sha256>/' | grep -E '^(copied |  label |  audit_event |the copy|anchor )'"
must as_postgres psql -X -d postgres -c "ALTER ROLE \"$DANA\" NOCREATEROLE"
expect "alice, by peer, reads her own label in the copy, and only hers" "$ALICE|present|no" \
    as "$ALICE" psql -X -At -d "$DB" -c "SELECT r.name, l.criterion, l.value FROM concord.label l JOIN concord.rater r ON r.id = l.rater_id"

summary
