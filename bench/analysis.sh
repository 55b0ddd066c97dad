#!/usr/bin/env bash
# bench/analysis.sh — on-demand benchmark of the history index (not CI):
#
#   1. a 100,000-version S history in which one path ("hot") was changed by
#      1% of the versions: ts_path_history of that path, ts_log(path => ...),
#      and a scan that materialises every version and its parent (what
#      ts_log(path) did before the index), side by side;
#   2. ts_blame at the head of a 10,000-version history against `git blame`
#      of the same history written as a pretty-printed JSON file (one leaf
#      per line) in a git repository built with git fast-import;
#   3. the commit path: ts_commit and ts_patch of a ~1 KB document, one
#      leaf changed per commit, and the history index's bytes per version.
#
#   bench/analysis.sh [--quick]        (--quick: 10x smaller histories)
#
# Environment: PGBIN (default /usr/lib/postgresql/15/bin; the extension must
# be installed there), BASE_PGBIN (optional: a second installation of an
# older build without the index; its commit rates are printed beside).
# Prints medians (of 5 runs; the full scan: of 3) and ratios, and writes
# them to bench/out/analysis.md. Runs a throwaway cluster under
# /tmp/ts_analysis.* as the postgres OS user when run as root.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
BASE_PGBIN=${BASE_PGBIN:-}
N_LONG=100000
N_BLAME=10000
N_COMMIT=3000
if [[ "${1:-}" == --quick ]]; then N_LONG=10000; N_BLAME=1000; N_COMMIT=1000; fi
OUT=$HERE/out
mkdir -p "$OUT"
command -v git >/dev/null || { echo "git is needed (apt-get install git)" >&2; exit 2; }

TMP=$(mktemp -d /tmp/ts_analysis.XXXXXX)
chmod 755 "$TMP"
AS=()
if [[ $(id -u) -eq 0 ]]; then chown postgres "$TMP"; AS=(runuser -u postgres --); fi
PORT=54791
cleanup() {
    for d in "$TMP"/data*; do
        [[ -f "$d/postmaster.pid" ]] && "${AS[@]}" "$(cat "$d/.bin")/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1 || true
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

start_cluster() {  # bin dir, data dir, port
    "${AS[@]}" "$1/initdb" -D "$2" -A trust >/dev/null
    echo "$1" > "$2/.bin"
    "${AS[@]}" "$1/pg_ctl" -D "$2" -w -l "$2/log" \
        -o "-p $3 -k $TMP -c listen_addresses= -c fsync=on -c synchronous_commit=on -c shared_buffers=256MB" start >/dev/null
    "${AS[@]}" "$1/psql" -h "$TMP" -p "$3" -d postgres -Xq -c "CREATE EXTENSION temporal_store"
}
q() {  # port, sql -> unaligned output
    "${AS[@]}" "$PGBIN/psql" -h "$TMP" -p "$1" -d postgres -XAtq -c "$2"
}
# Median wall time in ms of running SQL (inside one psql, \timing).
time_sql() {  # port, runs, sql
    local port=$1 runs=$2 sql=$3
    local script="$TMP/t.sql"
    { echo '\timing on'; for ((i = 0; i < runs; i++)); do echo "$sql"; done; } > "$script"
    chmod 644 "$script"
    "${AS[@]}" "$PGBIN/psql" -h "$TMP" -p "$port" -d postgres -Xq -o /dev/null -f "$script" 2>&1 \
        | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

start_cluster "$PGBIN" "$TMP/data" $PORT
echo "building a $N_LONG-version history (1% of versions change \"hot\") ..." >&2
q $PORT "SELECT ts_create('long', '{\"hot\": 0, \"n\": 0, \"cfg\": {\"a\": 1, \"b\": \"x\"}}')" >/dev/null
q $PORT "DO \$\$ BEGIN FOR i IN 1..$((N_LONG - 1)) LOOP
           IF i % 100 = 0 THEN PERFORM ts_patch('long', jsonb_build_object('hot', i));
           ELSE PERFORM ts_patch('long', jsonb_build_object('n', i)); END IF;
           IF i % 5000 = 0 THEN COMMIT; END IF; END LOOP; END \$\$" >/dev/null
q $PORT "SELECT ts_snapshot('long')" >/dev/null
q $PORT "VACUUM ANALYZE" >/dev/null
hot_rows=$(q $PORT "SELECT count(*) FROM ts_path_history('long', '{hot}')")
log_rows=$(q $PORT "SELECT count(*) FROM ts_log('long', path => '{hot}')")
ph=$(time_sql $PORT 5 "SELECT count(*) FROM ts_path_history('long', '{hot}');")
lg=$(time_sql $PORT 5 "SELECT count(*) FROM ts_log('long', path => '{hot}');")
scan_sql="SELECT count(*) FROM generate_series(1, $N_LONG) v WHERE ts_as_of('long', v) -> 'hot' IS DISTINCT FROM CASE WHEN v = 1 THEN NULL ELSE ts_as_of('long', v - 1) -> 'hot' END;"
scan_rows=$(q $PORT "$scan_sql")
sc=$(time_sql $PORT 3 "$scan_sql")

echo "building a $N_BLAME-version history and its git twin ..." >&2
q $PORT "SELECT ts_create('bl', (SELECT jsonb_object_agg('k' || i, 0) FROM generate_series(1, 50) i))" >/dev/null
q $PORT "DO \$\$ BEGIN FOR i IN 1..$((N_BLAME - 1)) LOOP
           PERFORM ts_patch('bl', jsonb_build_object('k' || (1 + (i * 7) % 50), i));
           IF i % 5000 = 0 THEN COMMIT; END IF; END LOOP; END \$\$" >/dev/null
q $PORT "VACUUM ANALYZE" >/dev/null
# The same history as git commits of a pretty-printed file, one leaf a line.
"${AS[@]}" git init -q "$TMP/repo"
python3 - "$N_BLAME" > "$TMP/fast-import" <<'PY'
import json, sys
n = int(sys.argv[1])
doc = {f"k{i}": 0 for i in range(1, 51)}
out = sys.stdout
for v in range(1, n + 1):
    if v > 1:
        i = v - 1
        doc[f"k{1 + (i * 7) % 50}"] = i
    data = json.dumps(doc, indent=2) + "\n"
    msg = f"v{v}\n"
    out.write("commit refs/heads/main\n")
    out.write(f"committer bench <bench@example.org> {1700000000 + v} +0000\n")
    out.write(f"data {len(msg)}\n{msg}")
    out.write(f"M 644 inline doc.json\ndata {len(data.encode())}\n{data}\n")
PY
chmod 644 "$TMP/fast-import"
(cd "$TMP/repo" && "${AS[@]}" git fast-import --quiet < "$TMP/fast-import" && "${AS[@]}" git checkout -q main)
bl_rows=$(q $PORT "SELECT count(*) FROM ts_blame('bl')")
bl=$(time_sql $PORT 5 "SELECT count(*) FROM ts_blame('bl');")
git_times=()
for _ in 1 2 3 4 5; do
    s=$(date +%s%N)
    (cd "$TMP/repo" && "${AS[@]}" git blame --porcelain doc.json > /dev/null)
    e=$(date +%s%N)
    git_times+=($(( (e - s) / 1000 )))
done
gb=$(printf '%s\n' "${git_times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}')
# Both agree? (the version blamed for k1 equals the git commit message)
ts_k1=$(q $PORT "SELECT version FROM ts_blame('bl') WHERE path = '{k1}'")
git_k1=$(cd "$TMP/repo" && "${AS[@]}" git blame -L '/"k1"/,+1' --porcelain doc.json | head -1 | cut -d' ' -f1 \
          | xargs -I{} "${AS[@]}" git log -1 --format=%s {} | tr -d v)

echo "commit path ..." >&2
commit_rates() {  # bin port -> "commit_per_s patch_per_s"
    local bin=$1 port=$2
    "${AS[@]}" "$bin/psql" -h "$TMP" -p "$port" -d postgres -XAtq -c \
        "SELECT ts_create('c1', (SELECT jsonb_object_agg('key' || i, 'value-' || i || '-xxxxxxxxxx') FROM generate_series(1, 40) i))" >/dev/null
    local f1="$TMP/commit.sql" f2="$TMP/patch.sql"
    echo "SELECT ts_commit('c1', (SELECT jsonb_object_agg('key' || i, CASE WHEN i = 1 + (random() * 39)::int THEN to_jsonb(random()) ELSE to_jsonb('value-' || i || '-xxxxxxxxxx') END) FROM generate_series(1, 40) i));" > "$f1"
    echo "SELECT ts_patch('c1', jsonb_build_array(jsonb_build_object('op', 'replace', 'path', '/key' || (1 + (random() * 39)::int), 'value', random())));" > "$f2"
    chmod 644 "$f1" "$f2"
    local r1 r2
    r1=$("${AS[@]}" "$bin/pgbench" -h "$TMP" -p "$port" -n -f "$f1" -t "$N_COMMIT" postgres 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
    r2=$("${AS[@]}" "$bin/pgbench" -h "$TMP" -p "$port" -n -f "$f2" -t "$N_COMMIT" postgres 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
    echo "$r1 $r2"
}
read -r c_new p_new < <(commit_rates "$PGBIN" $PORT)
idx_bytes=$(q $PORT "SELECT round((pg_total_relation_size('ts_internal.version_paths') + pg_total_relation_size('ts_internal.version_runs'))::numeric
                     / (SELECT count(*) FROM ts_internal.versions))")
ver_bytes=$(q $PORT "SELECT round(pg_total_relation_size('ts_internal.versions')::numeric / (SELECT count(*) FROM ts_internal.versions))")
c_base=-; p_base=-
if [[ -n "$BASE_PGBIN" ]]; then
    start_cluster "$BASE_PGBIN" "$TMP/data_base" $((PORT + 1))
    read -r c_base p_base < <(commit_rates "$BASE_PGBIN" $((PORT + 1)))
fi

ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.3f}' if b else '-')" "$1" "$2" 2>/dev/null || echo -; }
{
    echo "| figure | value | baseline | ratio |"
    echo "|---|---:|---:|---:|"
    echo "| ts_path_history of a path changed by 1% of $N_LONG versions ($hot_rows rows), ms | $ph | ts_log(path) $lg | $(ratio "$ph" "$lg") |"
    echo "| ts_path_history vs scan materialising every version and its parent ($scan_rows rows), ms | $ph | $sc | $(ratio "$ph" "$sc") |"
    echo "| ts_log(path) ($log_rows rows) vs the same scan, ms | $lg | $sc | $(ratio "$lg" "$sc") |"
    echo "| ts_blame at the head of $N_BLAME versions ($bl_rows leaves) vs git blame, ms | $bl | $gb | $(ratio "$bl" "$gb") |"
    echo "|   (version blamed for k1: temporal_store vs git) | $ts_k1 | $git_k1 | - |"
    echo "| ts_commit of a ~1 KB document, one leaf changed, commits/s (baseline: build without the index) | $c_new | $c_base | $(ratio "$c_new" "$c_base") |"
    echo "| ts_patch (JSON Patch, one replace), commits/s (same baseline) | $p_new | $p_base | $(ratio "$p_new" "$p_base") |"
    echo "| history index bytes per version (version_paths + version_runs, all stores) vs the versions table's | $idx_bytes | $ver_bytes | $(ratio "$idx_bytes" "$ver_bytes") |"
} | tee "$OUT/analysis.md"
