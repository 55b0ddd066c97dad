#!/usr/bin/env bash
# Try temporal_store in one command: installs what is needed (Debian 12,
# as root), builds and installs the extension, starts a throwaway
# PostgreSQL 15 in ./demo_cluster, creates a database with the extension,
# runs scripts/demo.sql, and leaves the server running for you to explore.
#
#   bash scripts/demo.sh          set up (again) and run the demo
#   bash scripts/demo.sh stop     stop the demo server
#   bash scripts/demo.sh clean    stop it and delete ./demo_cluster
#
# The server listens only on a unix socket inside the demo directory (no TCP),
# so it never clashes with another PostgreSQL on this machine. Re-running the
# script stops the demo server, reuses its data directory, and recreates the
# demo database from scratch.
#
# Environment: DEMO_DIR (default <repo>/demo_cluster), DEMO_PORT (54320, only
# names the socket file), DEMO_DB (temporal_store_demo), SKIP_DEPS=1.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
ACTION=${1:-start}
DEMO_DIR=${DEMO_DIR:-$REPO/demo_cluster}
DEMO_PORT=${DEMO_PORT:-54320}
DEMO_DB=${DEMO_DB:-temporal_store_demo}
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset PGHOST PGPORT PGDATABASE PGUSER PGSERVICE PGOPTIONS

say() { printf '\n==> %s\n' "$*"; }

# The OS user that owns and runs the server: initdb refuses root.
if [[ $(id -u) -eq 0 ]]; then
  SERVER_USER=postgres
else
  SERVER_USER=$(id -un)
fi
as_server() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u "$SERVER_USER" -- "$@"
  else
    "$@"
  fi
}

DATA=$DEMO_DIR/data
LOG=$DEMO_DIR/server.log

pg_bindir() { "${PG_CONFIG:-pg_config}" --bindir; }

# The socket directory: the demo directory, unless its path is too long for
# a unix socket address (about 107 bytes), then a stable directory in /tmp.
socket_dir() {
  if (( ${#DEMO_DIR} + 20 < 100 )); then
    echo "$DEMO_DIR"
  else
    echo "/tmp/ts_demo.$(printf '%s' "$DEMO_DIR" | md5sum | cut -c1-10)"
  fi
}

stop_server() {
  [[ -f "$DATA/PG_VERSION" ]] || return 0
  local bindir
  bindir=$(pg_bindir)
  if as_server "$bindir/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    say "stopping the demo server in $DATA"
    as_server "$bindir/pg_ctl" -D "$DATA" -m fast -w stop
  fi
}

case "$ACTION" in
  start) ;;
  stop)
    stop_server
    exit 0
    ;;
  clean)
    stop_server
    say "removing $DEMO_DIR"
    rm -rf "$DEMO_DIR"
    exit 0
    ;;
  *)
    echo "usage: $0 [start|stop|clean]" >&2
    exit 2
    ;;
esac

# ---------------------------------------------------------------------------
if [[ "${SKIP_DEPS:-0}" != 1 ]]; then
  say "checking packages (scripts/install_deps.sh)"
  bash "$REPO/scripts/install_deps.sh"
fi

BINDIR=$(pg_bindir)
if [[ "$("${PG_CONFIG:-pg_config}" --version)" != "PostgreSQL 15"* ]]; then
  echo "demo: pg_config is not PostgreSQL 15: $("${PG_CONFIG:-pg_config}" --version)" >&2
  exit 1
fi

say "building the extension (make)"
make -j2

say "installing the extension (make install)"
if ! make install; then
  echo "demo: make install failed; it writes PostgreSQL's system directories, run as root" >&2
  exit 1
fi

# ---------------------------------------------------------------------------
stop_server

SOCKDIR=$(socket_dir)
mkdir -p "$DEMO_DIR" "$SOCKDIR"
if [[ $(id -u) -eq 0 ]]; then
  # Only the demo directory changes owner, never the checkout.
  chown "$SERVER_USER:" "$DEMO_DIR" "$SOCKDIR"
fi
chmod 700 "$DEMO_DIR"
chmod 700 "$SOCKDIR"
if ! as_server test -w "$DEMO_DIR"; then
  echo "demo: user $SERVER_USER cannot reach $DEMO_DIR (a parent directory is private);" >&2
  echo "demo: run with DEMO_DIR=/tmp/temporal_store_demo" >&2
  exit 1
fi

if [[ -f "$DATA/PG_VERSION" && "$(cat "$DATA/PG_VERSION")" != 15 ]]; then
  say "$DATA is not a PostgreSQL 15 data directory: recreating it"
  rm -rf "$DATA"
fi
if [[ ! -f "$DATA/PG_VERSION" ]]; then
  say "creating a PostgreSQL 15 cluster in $DATA"
  rm -rf "$DATA"
  as_server "$BINDIR/initdb" -D "$DATA" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 --no-instructions >/dev/null
  echo "include_if_exists = 'demo.conf'" | as_server tee -a "$DATA/postgresql.conf" >/dev/null
else
  say "reusing the demo cluster in $DATA"
fi

# Connection settings, rewritten on every run: unix socket only, no TCP.
as_server tee "$DATA/demo.conf" >/dev/null <<EOF
# written by scripts/demo.sh
listen_addresses = ''
port = $DEMO_PORT
unix_socket_directories = '$SOCKDIR'
unix_socket_permissions = 0700
max_worker_processes = 16
EOF

say "starting the demo server (log: $LOG)"
if ! as_server "$BINDIR/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null; then
  echo "demo: the server did not start; the end of $LOG:" >&2
  tail -n 30 "$LOG" >&2 || true
  exit 1
fi

PSQL=(psql -X -h "$SOCKDIR" -p "$DEMO_PORT" -U postgres)

say "creating database $DEMO_DB with the extension"
"${PSQL[@]}" -d postgres -q -v ON_ERROR_STOP=1 <<EOF
SET client_min_messages = warning;
DROP DATABASE IF EXISTS "$DEMO_DB" WITH (FORCE);
CREATE DATABASE "$DEMO_DB";
EOF
"${PSQL[@]}" -d "$DEMO_DB" -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION temporal_store'

say "running scripts/demo.sql"
"${PSQL[@]}" -d "$DEMO_DB" -v ON_ERROR_STOP=1 --echo-all -P pager=off -f "$REPO/scripts/demo.sql"

cat <<EOF

==> the demo server is running. Connect with:

    psql -h $SOCKDIR -p $DEMO_PORT -U postgres $DEMO_DB

    (as root or the '$SERVER_USER' user: the socket is private to them)

Stop it with:

    bash scripts/demo.sh stop        # or: bash scripts/demo.sh clean  (also deletes $DEMO_DIR)
EOF
