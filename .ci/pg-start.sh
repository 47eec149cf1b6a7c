#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the tests and CI.
#
#   source .ci/pg-start.sh   exports CITYARRAY_TEST_POSTGRES_URL in the calling shell
#   bash .ci/pg-start.sh     prints an `export CITYARRAY_TEST_POSTGRES_URL=...` line
#
# Installs the Debian `postgresql` package when no server binaries are found (needs root), then runs
# initdb in a temp folder, owned by the `postgres` user when run as root. Running it again while the
# cluster is up reuses it. Stop and delete it with .ci/pg-stop.sh.
# Settings (all optional): CITYARRAY_PG_DIR (default ${TMPDIR:-/tmp}/cityarray-pg),
# CITYARRAY_PG_PORT (first port tried, default 54329).

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    # Sourced: do the work in a child bash (its `set -e` and exits cannot hurt the caller), then export.
    if _cityarray_pg_url="$(bash "${BASH_SOURCE[0]}" --print-url)"; then
        export CITYARRAY_TEST_POSTGRES_URL="$_cityarray_pg_url"
        unset _cityarray_pg_url
        echo "pg-start: CITYARRAY_TEST_POSTGRES_URL=$CITYARRAY_TEST_POSTGRES_URL" >&2
        return 0
    else
        unset _cityarray_pg_url
        echo "pg-start: FAILED to start PostgreSQL" >&2
        return 1
    fi
fi

set -euo pipefail

PG_DIR="${CITYARRAY_PG_DIR:-${TMPDIR:-/tmp}/cityarray-pg}"
FIRST_PORT="${CITYARRAY_PG_PORT:-54329}"
DB_NAME=cityarray_test
DB_USER=cityarray_test
DB_PASS=cityarray_test   # a throwaway cluster that listens on loopback only

log() { echo "pg-start: $*" >&2; }

find_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [[ -n "$dir" && -x "$dir/initdb" ]] && echo "$dir"
}

BIN="$(find_bin || true)"
if [[ -z "$BIN" ]]; then
    [[ "$(id -u)" == 0 ]] || { log "PostgreSQL is not installed and this is not root: apt-get install postgresql"; exit 1; }
    log "installing PostgreSQL (Debian package 'postgresql')"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # The package's own cluster may fail to start where there is no init system; we don't use it.
    apt-get install -y -qq postgresql >&2 || { BIN="$(find_bin || true)"; [[ -n "$BIN" ]] || exit 1; }
    BIN="$(find_bin || true)"
    [[ -n "$BIN" ]] || { log "no initdb under /usr/lib/postgresql/*/bin after install"; exit 1; }
fi

# Run PostgreSQL tools as the `postgres` user when root (initdb refuses root), else as ourselves.
if [[ "$(id -u)" == 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    OWNER=postgres
    as_pg() { su postgres -s /bin/bash -c "$(printf '%q ' "$@")"; }
else
    OWNER="$(id -un)"
    as_pg() { "$@"; }
fi

DATA="$PG_DIR/data"
SOCK="$PG_DIR"

psql_admin() { as_pg "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U postgres -d postgres "$@"; }

url() { echo "postgresql://$DB_USER:$DB_PASS@127.0.0.1:$PORT/$DB_NAME"; }

print_result() {
    if [[ "${1:-}" == "--print-url" ]]; then url; else echo "export CITYARRAY_TEST_POSTGRES_URL=$(url)"; fi
}

# Already running from an earlier call? Reuse it.
if [[ -f "$PG_DIR/port" && -f "$DATA/PG_VERSION" ]]; then
    PORT="$(cat "$PG_DIR/port")"
    if as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1 && psql_admin -c "select 1" >/dev/null 2>&1; then
        log "reusing the cluster in $PG_DIR on port $PORT"
        print_result "${1:-}"
        exit 0
    fi
    log "stale cluster in $PG_DIR: recreating it"
    as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT="$FIRST_PORT"
while ! port_free "$PORT"; do
    PORT=$((PORT + 1))
    (( PORT < FIRST_PORT + 100 )) || { log "no free port from $FIRST_PORT"; exit 1; }
done

rm -rf "$PG_DIR"
mkdir -p "$PG_DIR"
chown "$OWNER" "$PG_DIR"
chmod 700 "$PG_DIR"
echo "$PORT" > "$PG_DIR/port"

log "initdb in $DATA ($("$BIN/postgres" --version))"
as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
    || as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; exit 1; }

cat >> "$DATA/postgresql.conf" <<CONF

# cityarray test cluster (.ci/pg-start.sh)
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCK'
max_connections = 300
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
# Deliberately not UTC, so a UTC/local time mix-up in the schema shows up in the tests.
timezone = 'America/Mexico_City'
CONF

log "starting on 127.0.0.1:$PORT"
if ! as_pg "$BIN/pg_ctl" -D "$DATA" -l "$PG_DIR/server.log" -w -t 60 start >/dev/null; then
    cat "$PG_DIR/server.log" >&2 || true
    exit 1
fi

psql_admin <<SQL
CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASS';
CREATE DATABASE $DB_NAME OWNER $DB_USER;
SQL

log "ready: $(url)"
print_result "${1:-}"
