#!/usr/bin/env bash
# test/clients/run_clients.sh — the change-feed followers of examples/
# (follow_changes.py with psycopg 3, follow_changes.js with node-postgres)
# against a throwaway server under concurrent writers.
#
# Each follower runs as a role that may read some stores only. Writers
# commit to different stores at once while one transaction took a change id
# early and stays open for seconds (so later ids commit first), one rolls
# back, and a reader keeps a transaction open. Every follower must print
# exactly the changes ts_changes lists for its role at the end — each once,
# in change_id order, none of a store it may not read — and a follower must
# be woken by the NOTIFY, not by its idle-poll timeout.
#
#   PG_CONFIG=... bash test/clients/run_clients.sh    (not as root: initdb refuses)
#
# Needs python3 with psycopg 3 (Debian: python3-psycopg), node and npm (the
# pinned pg package is installed from examples/package-lock.json into a
# scratch directory, never into the repository). Prints "ok"/"not ok" lines
# and ends with "clients: N passed, M failed"; exit status 0 only if none
# failed. KEEP=1 keeps the scratch directory.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PG_CONFIG=${PG_CONFIG:-pg_config}
K=40              # autocommitted patches per writer
HOLD=3            # seconds the early transaction stays open
DEADLINE=25       # seconds a follower may run at most

PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok - $*"; }
not_ok() { FAIL=$((FAIL + 1)); echo "not ok - $*"; }
check() { local desc=$1; shift; if "$@"; then ok "$desc"; else not_ok "$desc"; fi; }

if [[ $(id -u) -eq 0 ]]; then
  echo "run_clients.sh: run as a non-root user (initdb refuses root); test/run_all.sh does" >&2
  echo "clients: 0 passed, 1 failed"
  exit 1
fi

WORK=$(mktemp -d /tmp/ts_clients.XXXXXX)
BIN=$("$PG_CONFIG" --bindir)
PORT=$((30000 + RANDOM % 20000))
PIDS=()           # every background process this script started
export PGHOST=$WORK PGPORT=$PORT PGDATABASE=feed
unset PGUSER PGSERVICE PGOPTIONS PGAPPNAME

finish() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  if [[ -f "$WORK/data/postmaster.pid" ]]; then
    "$BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1
  fi
  if ((FAIL > 0)) || [[ "${KEEP:-0}" == 1 ]]; then
    [[ -f "$WORK/server.log" ]] && { echo "----- server log (last 30 lines) -----"; tail -n 30 "$WORK/server.log"; }
    echo "scratch kept: $WORK"
  else
    rm -rf "$WORK"
  fi
  echo "clients: $PASS passed, $FAIL failed"
}
trap finish EXIT

psql_as() { local role=$1; shift; "$BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -U "$role" "$@"; }

# ------------------------------------------------------------ prerequisites --
PYTHON=""
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null && "$py" -c 'import psycopg' 2>/dev/null; then PYTHON=$py; break; fi
done
check "python3 with psycopg 3 is available" test -n "$PYTHON"

NODE_OK=0
if command -v node >/dev/null && command -v npm >/dev/null; then
  mkdir -p "$WORK/npm"
  cp "$REPO/examples/package.json" "$REPO/examples/package-lock.json" "$WORK/npm/"
  if (cd "$WORK/npm" && timeout 180 npm ci --no-audit --no-fund --cache "$WORK/npm-cache" >"$WORK/npm.log" 2>&1); then
    NODE_OK=1
  else
    tail -n 20 "$WORK/npm.log"
  fi
fi
check "node and the pinned pg package (npm ci from examples/package-lock.json)" test "$NODE_OK" = 1

# ------------------------------------------------- docs show the same code --
# docs/change_feed.md shows each example in the fenced block after its
# "<!-- file: PATH -->" line; it must be the file, byte for byte.
for f in examples/follow_changes.py examples/follow_changes.js; do
  awk -v m="<!-- file: $f -->" '$0 == m {on = 1; next} on == 1 && /^```/ {on = 2; next}
                                 on == 2 && /^```$/ {exit} on == 2 {print}' \
    "$REPO/docs/change_feed.md" >"$WORK/doc_${f##*/}"
  if cmp -s "$WORK/doc_${f##*/}" "$REPO/$f"; then
    ok "docs/change_feed.md shows $f as it is"
  else
    not_ok "docs/change_feed.md shows $f as it is"
    diff "$REPO/$f" "$WORK/doc_${f##*/}" | head -n 10 | sed 's/^/  /'
  fi
done

# ------------------------------------------------------------------ server --
"$BIN/initdb" -D "$WORK/data" -A trust -U postgres -E UTF8 --no-locale >"$WORK/initdb.log" 2>&1 ||
  { cat "$WORK/initdb.log"; not_ok "initdb"; exit 1; }
cat >>"$WORK/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$WORK'
port = $PORT
fsync = off
CONF
"$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start >/dev/null ||
  { not_ok "server start"; exit 1; }

psql_as postgres -d postgres -c 'CREATE DATABASE feed' &&
psql_as postgres <<'SQL' >/dev/null
CREATE EXTENSION temporal_store;
CREATE ROLE feed_all LOGIN;     -- may read s1..s4
CREATE ROLE feed_some LOGIN;    -- may read s2 and s4
SELECT ts_create(s, '{"n": 0}') FROM unnest(ARRAY['s1', 's2', 's3', 's4', 'hidden']) s;
SELECT ts_grant(s::temporal_store, 'feed_all', 'read') FROM unnest(ARRAY['s1', 's2', 's3', 's4']) s;
SELECT ts_grant(s::temporal_store, 'feed_some', 'read') FROM unnest(ARRAY['s2', 's4']) s;
SQL
check "setup: extension, roles, five stores, grants" test $? -eq 0
START=$(psql_as postgres -c 'SELECT coalesce(max(change_id), 0) FROM ts_changes(0, 100000)')

# What each role must see: s1 K patches, a branch and a tag; s2, s3 K
# patches each; s4 the two patches of the long transaction.
declare -A EXPECT=([feed_all]=$((3 * K + 4)) [feed_some]=$((K + 2)))
declare -A STORES=([feed_all]="s1 s2 s3 s4" [feed_some]="s2 s4")

# --------------------------------------------------------------- followers --
declare -A FPID
start_follower() {  # NAME ROLE CLIENT AFTER COUNT
  local name=$1 role=$2 client=$3 after=$4 count=$5
  if [[ $client == py ]]; then
    [[ -n "$PYTHON" ]] || return 0
    PGUSER=$role PGAPPNAME=$name "$PYTHON" "$REPO/examples/follow_changes.py" \
      --after "$after" --count "$count" --seconds "$DEADLINE" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  else
    ((NODE_OK)) || return 0
    PGUSER=$role PGAPPNAME=$name NODE_PATH="$WORK/npm/node_modules" node "$REPO/examples/follow_changes.js" \
      --after "$after" --count "$count" --seconds "$DEADLINE" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  fi
  FPID[$name]=$!
  PIDS+=($!)
}
FOLLOWERS=("py_all feed_all py" "py_some feed_some py" "js_all feed_all js" "js_some feed_some js")
for f in "${FOLLOWERS[@]}"; do
  read -r name role client <<<"$f"
  start_follower "$name" "$role" "$client" "$START" "${EXPECT[$role]}"
done

# ----------------------------------------------------------------- writers --
# patches STORE N: N autocommitted ts_patch calls, one per line.
patches() { local i; for ((i = 1; i <= $2; i++)); do echo "SELECT ts_patch('$1', '{\"n\": $i}');"; done; }

# A reader's transaction stays open throughout (it took no change id: it
# must hold nothing back).
PGAPPNAME=reader psql_as feed_all -c "BEGIN" -c "SELECT ts_head('s1')" -c "SELECT pg_sleep($((HOLD + 5)))" -c "COMMIT" >/dev/null &
READER=$!; PIDS+=($READER)
# The long transaction takes its first change id, then waits.
PGAPPNAME=held psql_as postgres -c "BEGIN" -c "SELECT ts_patch('s4', '{\"held\": 1}')" \
  -c "SELECT pg_sleep($HOLD)" -c "SELECT ts_patch('s4', '{\"held\": 2}')" -c "COMMIT" >/dev/null &
HELD=$!; PIDS+=($HELD)
for ((i = 0; i < 100; i++)); do
  [[ $(psql_as postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'held' AND query LIKE '%pg_sleep%'") == 1 ]] && break
  sleep 0.1
done
check "the long transaction took its change id and is open" test "$i" -lt 100

WPIDS=()
{ patches s1 $K; echo "SELECT ts_branch('s1', 'dev');"; echo "SELECT ts_tag('s1', 't1');"; } | psql_as postgres >/dev/null &
WPIDS+=($!)
patches s2 $K | psql_as postgres >/dev/null & WPIDS+=($!)
patches s3 $K | psql_as postgres >/dev/null & WPIDS+=($!)
# A rollback on a store nobody else reads, then commits there.
{ echo "BEGIN;"; patches hidden 1; echo "SELECT pg_sleep(1);"; echo "ROLLBACK;"; patches hidden $((K / 2)); } |
  psql_as postgres >/dev/null &
WPIDS+=($!)
PIDS+=("${WPIDS[@]}")
wfail=0
for p in "${WPIDS[@]}" "$HELD" "$READER"; do wait "$p" || wfail=1; done
check "every writer and the reader succeeded" test $wfail -eq 0

# The scenario happened: a later change id (s2) committed before the long
# transaction's second write, which came after its sleep.
psql_as postgres -c "
  WITH c AS (SELECT * FROM ts_changes($START, 100000))
  SELECT EXISTS (SELECT 1 FROM c WHERE store = 's2'
                  AND change_id > (SELECT min(change_id) FROM c WHERE store = 's4')
                  AND committed_at < (SELECT max(committed_at) FROM c WHERE store = 's4'))" >"$WORK/interleaved"
check "a later change id committed while the earlier transaction was open" grep -qx t "$WORK/interleaved"

# ------------------------------------------------------------------ checks --
# The reference: what ts_changes lists for the role now, as the followers print it.
reference() {
  psql_as "$1" -c "SELECT format('{\"change_id\":%s,\"store\":%s,\"seq\":%s,\"event_type\":%s}',
                                  change_id, to_json(store::text), seq, to_json(event_type))
                     FROM ts_changes($START, 100000) ORDER BY change_id"
}
reference postgres >"$WORK/ref_postgres"
for role in feed_all feed_some; do
  reference "$role" >"$WORK/ref_$role"
  check "$role: ts_changes lists ${EXPECT[$role]} changes" test "$(wc -l <"$WORK/ref_$role")" -eq "${EXPECT[$role]}"
  got=$(sed -E 's/.*"store":"([^"]*)".*/\1/' "$WORK/ref_$role" | sort -u | xargs)
  check "$role: exactly the stores it may read ($got)" test "$got" = "${STORES[$role]}"
  pattern=$(echo "${STORES[$role]}" | sed -E 's/([a-z0-9]+)/"store":"\1"/g; s/ /|/g')
  check "$role: the owner's feed restricted to those stores is the same" \
    cmp -s "$WORK/ref_$role" <(grep -E "$pattern" "$WORK/ref_postgres")
done
check "the owner also sees the unreadable store's $((K / 2)) commits, not the rolled-back one" \
  test "$(grep -c '"store":"hidden"' "$WORK/ref_postgres")" -eq $((K / 2))

for f in "${FOLLOWERS[@]}"; do
  read -r name role client <<<"$f"
  if [[ -z "${FPID[$name]:-}" ]]; then
    not_ok "$name: not started (no $client client)"
    continue
  fi
  wait "${FPID[$name]}"; rc=$?
  check "$name: exited 0 after ${EXPECT[$role]} changes, before its deadline (exit $rc)" test $rc -eq 0
  [[ -s "$WORK/$name.err" ]] && sed 's/^/  stderr: /' "$WORK/$name.err"
  ids=$(sed -E 's/^\{"change_id":([0-9]+),.*/\1/' "$WORK/$name.out")
  check "$name: change ids strictly increasing" test "$ids" = "$(sort -n -u <<<"$ids")"
  if cmp -s "$WORK/$name.out" "$WORK/ref_$role"; then
    ok "$name: printed every change of its stores exactly once, in order, no gap"
  else
    not_ok "$name: printed every change of its stores exactly once, in order, no gap"
    diff "$WORK/ref_$role" "$WORK/$name.out" | head -n 20 | sed 's/^/  /'
  fi
done

# ----------------------------------------------------------- woken by NOTIFY --
# An idle follower (it polls every 5 s otherwise) sees a commit within 3 s.
for client in py js; do
  name=wake_$client
  LAST=$(psql_as postgres -c 'SELECT max(change_id) FROM ts_changes(0, 100000)')
  start_follower "$name" feed_some "$client" "$LAST" 1
  [[ -n "${FPID[$name]:-}" ]] || { not_ok "$name: not started (no $client client)"; continue; }
  # Wait until it listens and its first poll found nothing.
  for ((i = 0; i < 150; i++)); do
    [[ $(psql_as postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$name'
                               AND state = 'idle' AND query LIKE '%ts_changes%'") == 1 ]] && break
    sleep 0.1
  done
  psql_as postgres -c "SELECT ts_patch('s2', '{\"wake\": \"$client\"}')" >/dev/null
  t0=$(date +%s%N)
  wait "${FPID[$name]}"; rc=$?
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  check "$name: an idle follower saw a new commit after $ms ms (< 3000: woken by the NOTIFY, exit $rc)" \
    test $rc -eq 0 -a $ms -lt 3000
  check "$name: and printed it" grep -q '"store":"s2","seq":[0-9]*,"event_type":"StateUpdated"' "$WORK/$name.out"
done
