#!/usr/bin/env bash
# bench/feed_lag.sh — on-demand benchmark of the change feed: how long after
# a write a follower sees it, under concurrent writers, on a throwaway
# PostgreSQL 15 cluster (fsync=on, synchronous_commit=on).
#
#   bench/feed_lag.sh                  8 writers for 20 s
#   bench/feed_lag.sh --seconds 10     (any duration)
#   bench/feed_lag.sh --clients 4      (any number of writers)
#   bench/feed_lag.sh --keep           keep the cluster's temp dir
#
# Each writer (a pgbench client) has its own store holding a ~1 KB document
# (bench/gen.py) and commits ts_patch of one leaf in a loop. One follower
# (bench/feed_follower.py: the loop of examples/follow_changes.py, LISTEN +
# poll) records when it saw each change. lag = seen - committed_at, one
# machine clock. Prints a table and writes bench/out/feed_lag.md and the raw
# measurements to bench/out/raw/feed/. See bench/README.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SECS=20
CLIENTS=8
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) SECS=$2; shift ;;
        --clients) CLIENTS=$2; shift ;;
        --keep) KEEP=1 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PYTHON=${PYTHON:-/usr/bin/python3}
[ -x "$PYTHON" ] || PYTHON=python3
"$PYTHON" -c 'import psycopg' 2>/dev/null || { echo "needs python3 with psycopg 3 (python3-psycopg)" >&2; exit 1; }
OUT=$HERE/out
RAW=$OUT/raw/feed

# ---------------------------------------------------------------- cluster --
WORK=$(mktemp -d /tmp/ts_feedlag.XXXXXX)
chmod 755 "$WORK"
PORT=$((20000 + RANDOM % 20000))
AS_PG=()
if [ "$(id -u)" = 0 ]; then
    chown postgres "$WORK"
    AS_PG=(runuser -u postgres --)
fi
export PGHOST=$WORK PGPORT=$PORT PGUSER=postgres PGDATABASE=feed
unset PGSERVICE PGOPTIONS
PSQL=(psql -X -q -v ON_ERROR_STOP=1)
FOLLOWER_PID=
START=$(date +%s)

cleanup() {
    set +e
    [ -n "$FOLLOWER_PID" ] && kill "$FOLLOWER_PID" 2>/dev/null
    if [ -f "$WORK/data/postmaster.pid" ]; then
        "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1
    fi
    if [ "$KEEP" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

log() { printf '[%5ss] %s\n' "$(( $(date +%s) - START ))" "$*" >&2; }
q() { "${PSQL[@]}" -At -c "$*"; }

rm -rf "$RAW"
mkdir -p "$RAW"
log "$CLIENTS writers for $SECS s; work dir $WORK"

"${AS_PG[@]}" "$PGBIN/initdb" -D "$WORK/data" -A trust -U postgres -E UTF8 --no-locale >/dev/null
cat >> "$WORK/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$WORK'
port = $PORT
fsync = on
synchronous_commit = on
full_page_writes = on
shared_preload_libraries = 'temporal_store'
shared_buffers = 256MB
max_wal_size = 8GB
checkpoint_timeout = 30min
max_connections = 50
log_min_messages = warning
EOF
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start >/dev/null
PGDATABASE=postgres q "CREATE DATABASE feed"
q "CREATE EXTENSION temporal_store"

# ------------------------------------------------------------------- data --
"$PYTHON" "$HERE/gen.py" seq s 1000 2 11 "$WORK" > "$RAW/gen.json"
DOC=$("$PYTHON" -c 'import csv,sys; csv.field_size_limit(1 << 30); r = list(csv.reader(open(sys.argv[1])))
print(next(row[1] for row in r if row[0] == "1"))' "$WORK/s_docs.csv")
"${PSQL[@]}" -v doc="$DOC" -v n="$CLIENTS" >/dev/null <<'SQL'
SELECT ts_create('w' || i, :'doc'::jsonb) FROM generate_series(1, :n) i;
SELECT ts_create('feed_end');
SQL
DOC_BYTES=$(q "SELECT octet_length(ts_head('w1')::text)")
cat > "$WORK/patch.sql" <<'SQL'
\set n random(1, 1000000000)
SELECT ts_patch(('w' || (:client_id + 1)::int)::temporal_store, jsonb_build_object('limits', jsonb_build_object('rps', :n::int)));
SQL
q "CHECKPOINT"
AFTER=$(q "SELECT coalesce(max(change_id), 0) FROM ts_changes(0, 1000000)")

# ---------------------------------------------------------------- the run --
LOAD=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')   # others' load on the machine
"$PYTHON" "$HERE/feed_follower.py" "$AFTER" "$WORK/target" "$RAW/seen.tsv" $((SECS + 120)) \
    2> "$RAW/follower.err" &
FOLLOWER_PID=$!
sleep 1
log "pgbench: $CLIENTS clients, -T $SECS, ts_patch of a ${DOC_BYTES}-byte document"
"$PGBIN/pgbench" -n -M prepared -c "$CLIENTS" -j "$CLIENTS" -T "$SECS" -f "$WORK/patch.sql" \
    > "$RAW/pgbench.txt" 2>&1
TARGET=$(q "SELECT max(change_id) FROM ts_changes($AFTER, 10000000)")
echo "$TARGET" > "$WORK/target"
q "SELECT ts_patch('feed_end', '{\"end\": true}')" >/dev/null
log "writers done (last change id $TARGET); waiting for the follower"
if ! wait "$FOLLOWER_PID"; then
    FOLLOWER_PID=
    cat "$RAW/follower.err" >&2
    exit 1
fi
FOLLOWER_PID=
q "SELECT change_id FROM ts_changes($AFTER, 10000000) WHERE change_id <= $TARGET ORDER BY change_id" > "$RAW/feed_ids.txt"
cp "$WORK/server.log" "$RAW/"

# ----------------------------------------------------------------- report --
COMMIT=$(git -C "$HERE/.." rev-parse --short HEAD 2>/dev/null || echo unknown)
"$PYTHON" "$HERE/feed_report.py" "$RAW" "$SECS" "$CLIENTS" "$DOC_BYTES" "$TARGET" "$COMMIT" "$(nproc)" "$LOAD" |
    tee "$OUT/feed_lag.md"
log "done: bench/out/feed_lag.md"
