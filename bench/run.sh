#!/usr/bin/env bash
# bench/run.sh — on-demand benchmarks of temporal_store against FULL, a plain
# table with one full jsonb copy per version, side by side in one throwaway
# PostgreSQL 15 cluster (fsync=on, synchronous_commit=on).
#
#   bench/run.sh            full run (about 9-12 minutes)
#   bench/run.sh --quick    smaller counts (about 4 minutes)
#   bench/run.sh --smoke    tiny counts, checks the plumbing only (~2 minutes)
#   bench/run.sh --keep     keep the cluster's temp dir (data, logs) after
#   bench/run.sh --profile  also load pg_stat_statements (track = all) and save,
#                           per throughput run, where the time went statement by
#                           statement (bench/out/raw/pss/); slows both sides
#
# Writes bench/out/results.md, bench/out/asof_latency.svg,
# bench/out/bytes_per_version.svg and the raw measurements in bench/out/raw/.
# See bench/README.md for what every figure means.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MODE=full
KEEP=0
PROFILE=0
for a in "$@"; do
    case "$a" in
        --quick) MODE=quick ;;
        --smoke) MODE=smoke ;;
        --keep) KEEP=1 ;;
        --profile) PROFILE=1 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown argument: $a" >&2; exit 2 ;;
    esac
done

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PYTHON=${PYTHON:-/usr/bin/python3}
[ -x "$PYTHON" ] || PYTHON=python3
OUT=$HERE/out
RAW=$OUT/raw

# ---------------------------------------------------------------- counts --
if [ "$MODE" = full ]; then
    S_CHECKS="1000 10000 100000"   # S history lengths measured (the last is the 100k run)
    M_CHECKS="1000 2000 5000 10000"
    S_CHUNK=5000; M_CHUNK=500      # growth between progress samples
    TP_SECS=8; TP_REPS=5           # pgbench -T per throughput run, runs per side
    W_SECS=10; W_REPS=4            # worker running vs stopped
    LAT_REPS=5; LAT_TX_S=2000; LAT_TX_M=200
    BATCH_REPS=3; BATCH_TX=4       # transactions of 1,000 commits per run (the first, which
                                   # prepares the 1,000 statements, is left out)
    BURST=10000
    MERGE_REPS=5
    MEM_RANDOM=4                   # random versions probed per M history length (+ the worst)
    WAIT_LIMIT=60                  # s to let the worker catch up before measuring reads
elif [ "$MODE" = quick ]; then
    S_CHECKS="1000 10000 20000"
    M_CHECKS="500 1000 2000"
    S_CHUNK=5000; M_CHUNK=500
    TP_SECS=4; TP_REPS=3
    W_SECS=5; W_REPS=3
    LAT_REPS=3; LAT_TX_S=800; LAT_TX_M=80
    BATCH_REPS=3; BATCH_TX=3
    BURST=3000
    MERGE_REPS=3
    MEM_RANDOM=2
    WAIT_LIMIT=40
else
    S_CHECKS="500 1000 2000"
    M_CHECKS="100 200"
    S_CHUNK=500; M_CHUNK=100
    TP_SECS=2; TP_REPS=2
    W_SECS=2; W_REPS=2
    LAT_REPS=2; LAT_TX_S=100; LAT_TX_M=20
    BATCH_REPS=1; BATCH_TX=2
    BURST=500
    MERGE_REPS=2
    MEM_RANDOM=1
    WAIT_LIMIT=20
fi
BATCH=1000                         # commits per transaction in the batch figure
S_BYTES=1000; S_DOCS=2000          # ~1 KB documents, d_1..d_2000 (palindrome walk)
M_BYTES=100000; M_DOCS=500         # ~100 KB documents
L_BYTES=1000000; L_PATHS=1000; L_COMMITS=10   # merge: ~1 MB, 1,000 paths per side in 10 commits
WORKER_LOCK_KEY="x'74735f776f726b'::bigint"  # src/pg/worker.cpp kWorkerLockKey ("ts_work")

# ---------------------------------------------------------------- cluster --
WORK=$(mktemp -d /tmp/ts_bench.XXXXXX)
chmod 755 "$WORK"
SOCK=$WORK
PORT=$((20000 + RANDOM % 20000))
AS_PG=()
if [ "$(id -u)" = 0 ]; then
    chown postgres "$WORK"
    AS_PG=(runuser -u postgres --)
fi
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U postgres)
SAMPLER_PID=
HOLDER_PID=
START=$(date +%s)

cleanup() {
    set +e
    [ -n "$SAMPLER_PID" ] && { rm -f "$WORK/sampling"; wait "$SAMPLER_PID" 2>/dev/null; }
    [ -n "$HOLDER_PID" ] && { exec 3>&-; kill "$HOLDER_PID" 2>/dev/null; }
    if [ -f "$WORK/data/postmaster.pid" ]; then
        "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1
    fi
    if [ "$KEEP" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

log() { printf '[%5ss] %s\n' "$(( $(date +%s) - START ))" "$*" >&2; }
q() { local db=$1; shift; "${PSQL[@]}" -d "$db" -At -c "$*"; }
pgb() { "$PGBIN/pgbench" -h "$SOCK" -p "$PORT" -U postgres -n -c1 -M prepared "$@"; }
now_ms() { date +%s%3N; }

rm -rf "$RAW"
mkdir -p "$RAW/lat" "$WORK/scripts"
log "mode $MODE; work dir $WORK"

"${AS_PG[@]}" "$PGBIN/initdb" -D "$WORK/data" -A trust -U postgres -E UTF8 --no-locale >/dev/null
cat >> "$WORK/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$SOCK'
port = $PORT
fsync = on
synchronous_commit = on
full_page_writes = on
shared_preload_libraries = 'temporal_store'
shared_buffers = 512MB
max_wal_size = 8GB
checkpoint_timeout = 30min
max_worker_processes = 16
log_min_messages = warning
EOF
if [ "$PROFILE" = 1 ]; then
    cat >> "$WORK/data/postgresql.conf" <<EOF
shared_preload_libraries = 'temporal_store, pg_stat_statements'
pg_stat_statements.track = all
EOF
fi
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start >/dev/null

# ------------------------------------------------------------------ data --
log "generating documents"
"$PYTHON" "$HERE/gen.py" seq s $S_BYTES $S_DOCS 11 "$WORK" > "$RAW/gen_s.json"
"$PYTHON" "$HERE/gen.py" seq m $M_BYTES $M_DOCS 12 "$WORK" > "$RAW/gen_m.json"
"$PYTHON" "$HERE/gen.py" merge $L_BYTES $L_PATHS $L_COMMITS 13 "$WORK" > "$RAW/gen_l.json"
chmod 644 "$WORK"/*.csv "$WORK"/*.json

for db in bs bm; do
    n=${db#b}
    q postgres "CREATE DATABASE $db"
    "${PSQL[@]}" -d $db -v name=$n -v docs="$WORK/${n}_docs.csv" -v steps="$WORK/${n}_steps.csv" \
        -f "$HERE/sql/setup.sql" -f "$HERE/sql/functions.sql"
done
q postgres "CREATE DATABASE bl"
"${PSQL[@]}" -d bl -v patches="$WORK/merge_patches.csv" -v base="$WORK/merge_base.json" \
    -f "$HERE/sql/setup_merge.sql" -c "SET check_function_bodies = off" -f "$HERE/sql/functions.sql"

if [ "$PROFILE" = 1 ]; then
    for db in bs bm bl; do q $db "CREATE EXTENSION pg_stat_statements"; done
    mkdir -p "$RAW/pss"
fi
P_S=$(q bs "SELECT bench.period()")
P_M=$(q bm "SELECT bench.period()")
DOC_S=$(q bs "SELECT avg(octet_length(doc))::int FROM bench.docs")
DOC_M=$(q bm "SELECT avg(octet_length(doc))::int FROM bench.docs")
DOC_L=$(q bl "SELECT octet_length(ts_as_of('l', 1)::text)")

{
    echo -e "mode\t$MODE$([ "$PROFILE" = 1 ] && echo ' + profile (pg_stat_statements loaded: figures not comparable with other runs)')"
    echo -e "started\t$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo -e "server\t$(q postgres 'SELECT version()')"
    echo -e "extension\t$(q bs "SELECT extversion FROM pg_extension WHERE extname = 'temporal_store'")"
    echo -e "commit\t$(git -C "$HERE/.." rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$HERE/.." diff --quiet HEAD -- src sql 2>/dev/null || echo ' (+ uncommitted changes in src/ or sql/)')"
    SO=$("$PGBIN/pg_config" --pkglibdir)/temporal_store.so
    echo -e "library\t$SO, built $(date -u -r "$SO" +%Y-%m-%dT%H:%M:%SZ), md5 $(md5sum "$SO" | cut -c1-12)"
    echo -e "machine\t$(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
    for g in fsync synchronous_commit full_page_writes shared_buffers temporal_store.snapshot_interval \
             temporal_store.snapshot_max_bytes temporal_store.worker_naptime temporal_store.cache_size \
             temporal_store.compression_threshold; do
        echo -e "setting\t$g = $(q bs "SHOW $g")"
    done
    echo -e "batch\t$BATCH"
    echo -e "doc_s\t$DOC_S"; echo -e "doc_m\t$DOC_M"; echo -e "doc_l\t$DOC_L"
    echo -e "period_s\t$P_S"; echo -e "period_m\t$P_M"
    echo -e "counts\tS history lengths: $S_CHECKS; M history lengths: $M_CHECKS; histories built by single-commit transactions (pgbench), store and FULL alternately in chunks of $S_CHUNK (S) / $M_CHUNK (M)"
    echo -e "counts\tthroughput: $TP_REPS runs per side of pgbench -c1 -T $TP_SECS, interleaved; worker on/off: $W_REPS runs each of -T $W_SECS"
    echo -e "counts\tas_of latency: $LAT_REPS runs per side of $LAT_TX_S (S) / $LAT_TX_M (M) random versions, interleaved"
    echo -e "counts\tbatches: $BATCH_REPS runs per side of $BATCH_TX transactions x $BATCH commits (rate from transactions 2..$BATCH_TX); burst: $BURST commits; merge: $MERGE_REPS runs; memory: worst + $MEM_RANDOM random versions per M history length"
} > "$RAW/meta.tsv"
sed -n 's/^counts\t//p' "$RAW/meta.tsv" | while read -r line; do log "counts: $line"; done

# ------------------------------------------------------- pgbench scripts --
# Version V of a store (and of FULL) is step V-1 of the sequence; :n is the
# store's head, :f FULL's newest version when the run starts.
S=$WORK/scripts
for st in s m; do
    cat > "$S/commit_$st.sql" <<EOF
SELECT ts_commit('$st', d.doc::jsonb) FROM bench.steps s JOIN bench.docs d ON d.i = s.doc_i WHERE s.s = :n::bigint % :p::int;
\\set n :n + 1
EOF
    cat > "$S/patch_$st.sql" <<EOF
SELECT ts_patch('$st', s.patch::jsonb) FROM bench.steps s WHERE s.s = :n::bigint % :p::int;
\\set n :n + 1
EOF
    cat > "$S/asof_$st.sql" <<EOF
\\set v random(1, :nv)
SELECT ts_as_of('$st', :v::bigint);
EOF
done
cat > "$S/insert.sql" <<'EOF'
INSERT INTO bench.full (version, doc) SELECT :f::bigint + 1, d.doc::jsonb FROM bench.steps s JOIN bench.docs d ON d.i = s.doc_i WHERE s.s = :f::bigint % :p::int;
\set f :f + 1
EOF
cat > "$S/select.sql" <<'EOF'
\set v random(1, :nv)
SELECT doc FROM bench.full WHERE version = :v::bigint;
EOF
{
    echo 'BEGIN;'
    for ((k = 0; k < BATCH; k++)); do
        echo "SELECT ts_commit('s', d.doc::jsonb) FROM bench.steps s JOIN bench.docs d ON d.i = s.doc_i WHERE s.s = (:n::bigint + $k) % :p::int;"
    done
    echo 'COMMIT;'
    echo "\\set n :n + $BATCH"
} > "$S/batch_commit_s.sql"
{
    echo 'BEGIN;'
    for ((k = 0; k < BATCH; k++)); do
        echo "INSERT INTO bench.full (version, doc) SELECT :f::bigint + $((k + 1)), d.doc::jsonb FROM bench.steps s JOIN bench.docs d ON d.i = s.doc_i WHERE s.s = (:f::bigint + $k) % :p::int;"
    done
    echo 'COMMIT;'
    echo "\\set f :f + $BATCH"
} > "$S/batch_insert.sql"
chmod 644 "$S"/*.sql

# Runs alternate ts-first and FULL-first from one repetition to the next.
sides() { if (( $1 % 2 )); then echo "ts full"; else echo "full ts"; fi; }
head_of() { q "$1" "SELECT ts_resolve('$2', 'main')"; }
full_max() { q "$1" "SELECT max(version) FROM bench.full"; }

# One pgbench run with WAL accounting: tp.tsv gets
# group rep side tps transactions wal_bytes.
tp_run() {
    local group=$1 rep=$2 side=$3 db=$4 script=$5; shift 5
    q "$db" "CHECKPOINT"
    [ "$PROFILE" = 1 ] && q "$db" "SELECT pg_stat_statements_reset()" >/dev/null
    local l0 l1 out tx tps
    l0=$(q "$db" "SELECT pg_current_wal_insert_lsn()")
    out=$(pgb -f "$script" "$@" "$db" 2>&1) || { echo "$out" >&2; return 1; }
    l1=$(q "$db" "SELECT pg_current_wal_insert_lsn()")
    tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
    tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' <<<"$out")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$group" "$rep" "$side" "$tps" "$tx" \
        "$(q "$db" "SELECT pg_wal_lsn_diff('$l1', '$l0')::bigint")" >> "$RAW/tp.tsv"
    if [ "$PROFILE" = 1 ]; then
        "${PSQL[@]}" -d "$db" -c "SELECT calls, round((total_exec_time / calls * 1000)::numeric, 1) AS us_per_call,
                round(total_exec_time::numeric, 1) AS total_ms, wal_bytes / calls AS wal_per_call,
                left(regexp_replace(query, '\s+', ' ', 'g'), 160) AS statement
           FROM pg_stat_statements WHERE calls > 0 AND query !~ 'pg_stat_statements|pg_current_wal'
          ORDER BY total_exec_time DESC LIMIT 15" > "$RAW/pss/${group}_${side}_$rep.txt"
    fi
}

# Waits (up to $3 s) until the worker has caught up with the store: no
# version is snapshot_interval or more deltas from a full state and the
# head is not pending by the worker's criterion. Records how long it took
# and what was left.
wait_worker() {
    local db=$1 st=$2 limit=$3 t0 b
    t0=$(now_ms)
    while :; do
        b=$(q "$db" "SELECT far, head_pending FROM bench.backlog('$st', 0)")
        [ "$b" = "0|0" ] && break
        if (( $(now_ms) - t0 > limit * 1000 )); then break; fi
        sleep 1
    done
    printf '%s\t%s\t%s\t%s\n' "$st" "$(head_of "$db" "$st")" "$b" "$(( $(now_ms) - t0 ))" >> "$RAW/worker_wait.tsv"
}

# Peak backend memory of one read in a fresh session: VmHWM after the read
# minus VmRSS before it, the peak having been reset (clear_refs) after a
# warm-up read of another store. Includes shared-buffer pages first touched.
mem_probe() {
    local db=$1 st=$2 n=$3 v=$4 side=$5 read
    if [ "$side" = ts ]; then read="SELECT ts_as_of('$st', $v) \\g /dev/null"
    else read="SELECT doc FROM bench.full WHERE version = $v \\g /dev/null"; fi
    local r
    r=$("${PSQL[@]}" -d "$db" -At <<EOF
SELECT ts_as_of('tiny', 1) IS NULL AS w1, (SELECT version FROM bench.full WHERE version = 1) AS w2, bench.proc_kb('VmRSS') AS w3 \\gset
SELECT bench.reset_peak() \\g /dev/null
SELECT bench.proc_kb('VmRSS') AS before, bench.proc_kb('RssShmem') AS shm0 \\gset
$read
SELECT bench.proc_kb('VmHWM') AS peak, bench.proc_kb('RssShmem') AS shm1, bench.proc_kb('VmRSS') AS after \\gset
\\echo :before :peak :shm0 :shm1 :after
EOF
)
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$st" "$n" "$v" "$side" "$(tr ' ' '\t' <<<"$r")" \
        "$(q "$db" "SELECT dist FROM bench.distances('$st', $v - 1) WHERE version = $v")" >> "$RAW/mem.tsv"
}

# Everything measured at one history length of store st.
measure_history() {
    local db=$1 st=$2 n=$3 tx=$4 r side
    wait_worker "$db" "$st" "$WAIT_LIMIT"
    local b
    b=$(q "$db" "SELECT far, max_dist, avg_dist, worst FROM bench.backlog('$st', 0)")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$st" "$n" "$(q "$db" "SELECT bench.ext_bytes()")" \
        "$(q "$db" "SELECT pg_total_relation_size('bench.full')")" "$(head_of "$db" "$st")" \
        "$(full_max "$db")" "$(tr '|' '\t' <<<"$b")" >> "$RAW/history.tsv"
    q "$db" "SELECT '$st', $n, c.relname, pg_total_relation_size(c.oid), pg_relation_size(c.oid),
                    (SELECT count(*) FROM ts_internal.snapshots)
               FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
              WHERE s.nspname = 'ts_internal' AND c.relkind = 'r' ORDER BY 1" | tr '|' '\t' >> "$RAW/tables.tsv"
    for ((r = 1; r <= LAT_REPS; r++)); do
        for side in $(sides $r); do
            if [ "$side" = ts ]; then f=$S/asof_$st.sql; else f=$S/select.sql; fi
            pgb -t "$tx" -D nv="$n" -f "$f" -l --log-prefix="$RAW/lat/${st}_${n}_${side}_$r" "$db" >/dev/null 2>&1
        done
    done
    # Context, not a target: the same reads with the per-backend state cache
    # off, i.e. every read replays from a full state. Separates the history
    # length's effect from the cache's (which helps most on short histories).
    for ((r = 1; r <= LAT_REPS; r++)); do
        PGOPTIONS="-c temporal_store.cache_size=0" pgb -t "$tx" -D nv="$n" -f "$S/asof_$st.sql" -l \
            --log-prefix="$RAW/lat/${st}_${n}_tscold_$r" "$db" >/dev/null 2>&1
    done
    if [ "$st" = m ]; then
        local worst vs v
        worst=$(cut -d'|' -f4 <<<"$b")
        vs="$worst $(q "$db" "SELECT string_agg((1 + floor(random() * $n))::bigint::text, ' ') FROM generate_series(1, $MEM_RANDOM)")"
        for v in $vs; do
            mem_probe "$db" "$st" "$n" "$v" ts
            mem_probe "$db" "$st" "$n" "$v" full
        done
    fi
}

# Grows store st and FULL to `target` versions, `chunk` single-commit
# transactions at a time on each side (pgbench, as in the throughput
# runs), recording progress and the rates seen.
grow() {  # db store target chunk period
    local db=$1 st=$2 target=$3 chunk=$4 p=$5 h k t0 t1 t2
    h=$(head_of "$db" "$st")
    while (( h < target )); do
        k=$(( target - h < chunk ? target - h : chunk ))
        t0=$(now_ms)
        pgb -t "$k" -f "$S/commit_$st.sql" -D n="$h" -D p="$p" "$db" >/dev/null 2>&1
        t1=$(now_ms)
        pgb -t "$k" -f "$S/insert.sql" -D f="$(full_max "$db")" -D p="$p" "$db" >/dev/null 2>&1
        t2=$(now_ms)
        h=$(head_of "$db" "$st")
        printf '%s\t%s\t%s\t%s\t%s\n' "$st" "$t2" "$h" "$(( t1 - t0 ))" "$(( t2 - t1 ))" >> "$RAW/progress.tsv"
    done
}

rss_sampler() {  # worker of database $1, every 0.5 s, while $WORK/sampling exists
    local db=$1 pid
    while [ -e "$WORK/sampling" ]; do
        pid=$(q "$db" "SELECT pid FROM pg_stat_activity WHERE backend_type = 'temporal_store worker' AND datname = current_database() LIMIT 1" 2>/dev/null || true)
        if [ -n "$pid" ] && [ -r "/proc/$pid/status" ]; then
            awk -v t="$(now_ms)" -v p="$pid" '/^(VmRSS|RssAnon|RssShmem|VmHWM):/ {a[$1] = $2}
                END {printf "%s\t%s\t%s\t%s\t%s\t%s\n", t, p, a["VmRSS:"], a["RssAnon:"], a["RssShmem:"], a["VmHWM:"]}' \
                "/proc/$pid/status" >> "$RAW/worker_rss.tsv" 2>/dev/null || true
        fi
        sleep 0.5
    done
}

workers_alive() { q "$1" "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'temporal_store worker' AND datname = current_database()"; }

# Stops the database's worker and keeps it stopped: an idle session holds
# the worker's advisory lock (session-level, taken in a statement that
# ends at once: the session holds no snapshot that would keep vacuum and
# HOT pruning back), so a worker started by the launcher or by a commit
# exits at once.
worker_stop() {
    local db=$1 i
    [ -n "$HOLDER_PID" ] && return 0   # already stopped
    rm -f "$WORK/hold.fifo"; mkfifo "$WORK/hold.fifo"
    PGAPPNAME=ts_bench_hold "${PSQL[@]}" -d "$db" < "$WORK/hold.fifo" >/dev/null 2>&1 3>&- &
    HOLDER_PID=$!
    exec 3>"$WORK/hold.fifo"
    echo "SELECT pg_advisory_lock($WORKER_LOCK_KEY);" >&3
    for ((i = 0; i < 100; i++)); do
        q "$db" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'temporal_store worker' AND datname = current_database()" >/dev/null
        if [ "$(q "$db" "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = 'ts_bench_hold' AND a.state = 'idle'")" = 1 ] \
            && [ "$(workers_alive "$db")" = 0 ]; then return 0; fi
        sleep 0.2
    done
    echo "could not stop the worker" >&2
    return 1
}

worker_start() {
    local db=$1 i
    if [ -n "$HOLDER_PID" ]; then
        exec 3>&-                    # EOF: the holding session ends, releasing the lock
        wait "$HOLDER_PID" 2>/dev/null || true
        HOLDER_PID=
    fi
    for ((i = 0; i < 50; i++)); do
        q "$db" "SELECT ts_worker_start()" >/dev/null
        [ "$(workers_alive "$db")" -ge 1 ] && return 0
        sleep 0.2
    done
    echo "could not start the worker" >&2
    return 1
}

# ------------------------------------------------ S: the 100k-commit run --
# Builds store s and FULL to each S history length, measuring storage and
# as_of latency at each; the worker's memory is sampled throughout.
log "S history: $S_CHECKS (worker memory sampled)"
touch "$WORK/sampling"
rss_sampler bs & SAMPLER_PID=$!
printf '%s\t%s\t%s\t0\t0\n' s "$(now_ms)" 1 >> "$RAW/progress.tsv"
for n in $S_CHECKS; do
    grow bs s "$n" "$S_CHUNK" "$P_S"
    # The worker's PostgreSQL memory contexts, into the server log (the
    # C++ state cache is malloc'ed and does not show there).
    q bs "SELECT pid, pg_log_backend_memory_contexts(pid) FROM pg_stat_activity WHERE backend_type = 'temporal_store worker' AND datname = current_database()" >> "$RAW/worker_contexts.txt" || true
    log "  S at $n versions: measuring"
    measure_history bs s "$n" "$LAT_TX_S"
done
rm -f "$WORK/sampling"; wait "$SAMPLER_PID" || true; SAMPLER_PID=

# ------------------------------------------------------------ M history --
log "M history: $M_CHECKS"
for n in $M_CHECKS; do
    grow bm m "$n" "$M_CHUNK" "$P_M"
    log "  M at $n versions: measuring"
    measure_history bm m "$n" "$LAT_TX_M"
done

# ----------------------------------------------------------- throughput --
log "S single-client throughput: ts_commit vs INSERT"
for ((r = 1; r <= TP_REPS; r++)); do
    for side in $(sides $r); do
        if [ $side = ts ]; then tp_run S_commit "$r" ts bs "$S/commit_s.sql" -T "$TP_SECS" -D n="$(head_of bs s)" -D p="$P_S"
        else tp_run S_commit "$r" full bs "$S/insert.sql" -T "$TP_SECS" -D f="$(full_max bs)" -D p="$P_S"; fi
    done
done

log "M single-client throughput: ts_commit, ts_patch vs INSERT"
for ((r = 1; r <= TP_REPS; r++)); do
    if (( r % 2 )); then order="commit full patch"; else order="patch full commit"; fi
    for what in $order; do
        case $what in
            commit) tp_run M_commit "$r" ts bm "$S/commit_m.sql" -T "$TP_SECS" -D n="$(head_of bm m)" -D p="$P_M" ;;
            full) tp_run M_commit "$r" full bm "$S/insert.sql" -T "$TP_SECS" -D f="$(full_max bm)" -D p="$P_M" ;;
            patch) tp_run M_patch "$r" ts bm "$S/patch_m.sql" -T "$TP_SECS" -D n="$(head_of bm m)" -D p="$P_M" ;;
        esac
    done
done

log "S batches: $BATCH commits per transaction"
for ((r = 1; r <= BATCH_REPS; r++)); do
    for side in $(sides $r); do
        if [ $side = ts ]; then tp_run S_batch "$r" ts bs "$S/batch_commit_s.sql" -t "$BATCH_TX" -D n="$(head_of bs s)" -D p="$P_S" \
                -l --log-prefix="$RAW/lat/batch_0_ts_$r"
        else tp_run S_batch "$r" full bs "$S/batch_insert.sql" -t "$BATCH_TX" -D f="$(full_max bs)" -D p="$P_S" \
                -l --log-prefix="$RAW/lat/batch_0_full_$r"; fi
    done
done

# --------------------------------------------------------------- worker --
log "worker running vs stopped (S ts_commit)"
for ((r = 1; r <= W_REPS; r++)); do
    if (( r % 2 )); then order="on off"; else order="off on"; fi
    for state in $order; do
        if [ "$state" = on ]; then worker_start bs; else worker_stop bs; fi
        tp_run W_commit "$r" "$state" bs "$S/commit_s.sql" -T "$W_SECS" -D n="$(head_of bs s)" -D p="$P_S"
        printf '%s\t%s\t%s\n' "$r" "$state" "$(workers_alive bs)" >> "$RAW/worker_state.tsv"
    done
done
worker_start bs

log "burst of $BURST commits, then the worker's backlog"
wait_worker bs s "$WAIT_LIMIT"
V0=$(head_of bs s)
T0=$(now_ms)
pgb -t "$BURST" -f "$S/commit_s.sql" -D n="$V0" -D p="$P_S" bs >/dev/null 2>&1
T1=$(now_ms)
BURST_MS=$(( T1 - T0 ))
LIMIT_MS=$(( BURST_MS * 3 > 60000 ? BURST_MS * 3 : 60000 ))
echo -e "burst\t$BURST\t$V0\t$(head_of bs s)\t$BURST_MS" > "$RAW/burst.tsv"
while :; do
    el=$(( $(now_ms) - T1 ))
    b=$(q bs "SELECT far, max_dist, avg_dist, head_pending FROM bench.backlog('s', $V0)")
    w=$(q bs "SELECT coalesce(max(snapshots_built), 0) || '|' || coalesce(max(pending), 0) FROM ts_worker_status() WHERE database = current_database()")
    printf 'poll\t%s\t%s\t%s\n' "$el" "$(tr '|' '\t' <<<"$b")" "$(tr '|' '\t' <<<"$w")" >> "$RAW/burst.tsv"
    far=$(cut -d'|' -f1 <<<"$b"); pend=$(cut -d'|' -f4 <<<"$b")
    if [ "$far" = 0 ] && [ "$pend" = 0 ]; then break; fi
    (( el > LIMIT_MS )) && break
    sleep 1
done

# ---------------------------------------------------------------- merge --
log "merge of two ~1 MB documents, $L_PATHS paths per side"
for ((r = 1; r <= MERGE_REPS; r++)); do
    q bl "SELECT ts_branch('l', 'o$r', '1'), ts_branch('l', 't$r', '1')" >/dev/null
    q bl "SELECT count(ts_patch('l', p.patch::jsonb, branch => 'o$r')) FROM (SELECT patch FROM bench.mpatch WHERE side = 'ours' ORDER BY k) p" >/dev/null
    q bl "SELECT count(ts_patch('l', p.patch::jsonb, branch => 't$r')) FROM (SELECT patch FROM bench.mpatch WHERE side = 'theirs' ORDER BY k) p" >/dev/null
    ho=$(q bl "SELECT ts_resolve('l', 'o$r')"); ht=$(q bl "SELECT ts_resolve('l', 't$r')")
    base=$(q bl "SELECT ts_merge_base('l', 'o$r', 't$r')")
    read_ms=; merge_ms=
    for what in $( (( r % 2 )) && echo "read merge" || echo "merge read"); do
        if [ "$what" = read ]; then
            read_ms=$("${PSQL[@]}" -d bl -At -c "SELECT ts_as_of('tiny', 1) IS NULL" \
                -c "SELECT bench.time_ms('SELECT ts_as_of(''l'', $base), ts_as_of(''l'', $ho), ts_as_of(''l'', $ht)')" | tail -1)
        else
            merge_ms=$("${PSQL[@]}" -d bl -At -c "SELECT ts_as_of('tiny', 1) IS NULL" \
                -c "SELECT bench.time_ms('SELECT ts_merge(''l'', ''t$r'', ''o$r'')')" | tail -1)
        fi
    done
    kind=$(q bl "SELECT event_type || ':' || cardinality(parents) FROM ts_version('l', 'o$r')")
    printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$merge_ms" "$read_ms" "$base" "$kind" >> "$RAW/merge.tsv"
done

# --------------------------------------------------------------- report --
ELAPSED=$(( $(date +%s) - START ))
echo -e "elapsed_s\t$ELAPSED" >> "$RAW/meta.tsv"
log "report"
cp "$WORK/server.log" "$RAW/server.log" 2>/dev/null || true
"$PYTHON" "$HERE/report.py" "$OUT"
for p in asof_latency bytes_per_version worker_rss; do
    [ -f "$OUT/$p.gp" ] || continue
    gnuplot "$OUT/$p.gp" 2>>"$RAW/gnuplot.log" || echo "gnuplot failed for $p (see $RAW/gnuplot.log)" >&2
done
log "done in ${ELAPSED}s: $OUT/results.md, $OUT/asof_latency.svg, $OUT/bytes_per_version.svg"
