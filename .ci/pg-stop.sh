#!/usr/bin/env bash
# Stops the throwaway PostgreSQL cluster started by .ci/pg-start.sh and deletes its folder.
set -euo pipefail

PG_DIR="${CITYARRAY_PG_DIR:-${TMPDIR:-/tmp}/cityarray-pg}"
DATA="$PG_DIR/data"

[[ -d "$PG_DIR" ]] || { echo "pg-stop: nothing at $PG_DIR" >&2; exit 0; }

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [[ -n "$BIN" && -f "$DATA/PG_VERSION" ]]; then
    if [[ "$(id -u)" == 0 ]]; then
        su postgres -s /bin/bash -c "$(printf '%q ' "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 30 stop)" >/dev/null 2>&1 || true
    else
        "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    fi
fi
rm -rf "$PG_DIR"
echo "pg-stop: stopped and removed $PG_DIR" >&2
