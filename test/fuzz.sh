#!/usr/bin/env bash
# Build the libFuzzer targets of the core (test/fuzz/fuzz_*.cpp) with
# ASan + UBSan and run each for SECONDS, then print exactly one last line:
#
#   N targets, N execs, N crashes
#
#   bash test/fuzz.sh SECONDS [TARGET...]     (default: 10 s, every target)
#
# Each target starts from a fresh work copy of its committed seed corpus
# (test/fuzz/corpus/<target>/; the committed one is never written), plus,
# when present, seeds made from the shared conformance data. Before the
# summary there is one line per target:
#   target NAME: ok, N execs
#   target NAME: crash, N execs (artifact: PATH)
#   target NAME: build failed
# "crashes" counts targets that crashed (libFuzzer stops a target at its
# first crash, leak, timeout or out-of-memory); a target that failed to
# build counts as a crash too, so the exit status is non-zero on either.
#
# Environment:
#   FUZZ_BUILD_DIR   build and run directory (default: <repo>/build/fuzz)
#   JOBS             targets fuzzed at the same time (default: 2)
#   FUZZ_NICE        niceness of the fuzzing processes (default: 10)
#   FUZZ_FLAGS       extra libFuzzer flags (e.g. -runs=1000000)
#   TS_CONFORMANCE_DIR  conformance data (default: <repo>/../shared/conformance)
# If clang++ or the libFuzzer runtime is missing, installs `clang` and
# `libclang-rt-dev` with apt-get when root (scripts/install_deps.sh lists
# them too), and fails otherwise.
set -uo pipefail

SECS=${1:-10}
shift || true
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${FUZZ_BUILD_DIR:-$REPO/build/fuzz}
JOBS=${JOBS:-2}
NICE=${FUZZ_NICE:-10}
CONF=${TS_CONFORMANCE_DIR:-$REPO/../shared/conformance}
if ! [[ "$SECS" =~ ^[0-9]+$ ]] || ((SECS < 1)); then
  echo "usage: bash test/fuzz.sh SECONDS [TARGET...]" >&2
  exit 2
fi

# --- toolchain --------------------------------------------------------------
toolchain_ok() {
  command -v clang++ >/dev/null || return 1
  local d
  d=$(mktemp -d) || return 1
  printf '%s\n' '#include <cstdint>' '#include <cstddef>' \
    'extern "C" int LLVMFuzzerTestOneInput(const uint8_t *, size_t) { return 0; }' >"$d/t.cpp"
  clang++ -fsanitize=fuzzer,address,undefined "$d/t.cpp" -o "$d/t" >/dev/null 2>&1
  local rc=$?
  rm -rf "$d"
  return $rc
}
if ! toolchain_ok; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "fuzz: installing clang and the libFuzzer runtime"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q && apt-get install -y -q --no-install-recommends clang libclang-rt-dev
  fi
  if ! toolchain_ok; then
    echo "fuzz: clang++ with -fsanitize=fuzzer does not work (packages: clang libclang-rt-dev)" >&2
    echo "0 targets, 0 execs, 1 crashes"
    exit 1
  fi
fi

# --- build ------------------------------------------------------------------
ALL=()
for f in "$REPO"/test/fuzz/fuzz_*.cpp; do
  b=${f##*/}
  ALL+=("${b%.cpp}")
done
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=("${ALL[@]}")

mkdir -p "$OUT"
echo "fuzz: building ${#TARGETS[@]} targets in $OUT"
make -k -s -f "$REPO/test/fuzz/fuzz.mk" REPO="$REPO" OUT="$OUT" -j"$JOBS" \
  "${TARGETS[@]/#/$OUT/}" 2>&1 | tail -n 60

# A target whose build failed may still have an older binary: only an
# up-to-date one runs.
BUILT=()
for t in "${TARGETS[@]}"; do
  if [[ -x "$OUT/$t" ]] && make -q -f "$REPO/test/fuzz/fuzz.mk" REPO="$REPO" OUT="$OUT" "$OUT/$t" 2>/dev/null; then
    BUILT+=("$t")
  fi
done
built() {
  local b
  for b in "${BUILT[@]}"; do [[ $b == "$1" ]] && return 0; done
  return 1
}

# --- seeds from the conformance data (never copied into the repo) -----------
# JSON Patch records give "DOC\0PATCH" seeds, RFC 7396 records
# "DOC\0PATCH\0EXPECTED" three-way seeds; whole files seed the JSON parser.
make_conformance_seeds() {
  local dir=$1
  [[ -d "$CONF" ]] && command -v python3 >/dev/null || return 0
  python3 - "$CONF" "$dir" <<'PY' || echo "fuzz: could not make conformance seeds (ignored)"
import glob, json, os, sys
conf, out = sys.argv[1], sys.argv[2]
def dump(v):
    return json.dumps(v, ensure_ascii=False).encode()
def put(target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
for i, path in enumerate(sorted(glob.glob(os.path.join(conf, "*", "*.json")))):
    with open(path, "rb") as f:
        text = f.read()
    put("fuzz_json_text", "file%d" % i, text)
    try:
        records = json.loads(text)
    except ValueError:
        continue
    for j, r in enumerate(records if isinstance(records, list) else []):
        if not isinstance(r, dict) or "doc" not in r or "patch" not in r:
            continue
        doc, patch = dump(r["doc"]), dump(r["patch"])
        if "json-merge-patch" in path:
            third = dump(r.get("expected", r["doc"]))
            put("fuzz_merge3", "c%d_%d" % (i, j), b"J" + doc + b"\0" + patch + b"\0" + third)
        else:
            put("fuzz_json_patch", "c%d_%d" % (i, j), b"J" + doc + b"\0" + patch)
            put("fuzz_patch_compact", "c%d_%d" % (i, j), doc + b"\0" + patch)
PY
}

# --- run --------------------------------------------------------------------
RUN=$OUT/run
rm -rf "$RUN"
mkdir -p "$RUN/conformance"
make_conformance_seeds "$RUN/conformance"

# run_one TARGET: fuzzes it; writes RUN/TARGET.result ("ok N" / "crash N PATH").
run_one() {
  local t=$1 dir=$RUN/$1 rc execs artifact seeds=()
  mkdir -p "$dir/corpus" "$dir/artifacts"
  if [[ -d "$REPO/test/fuzz/corpus/$t" ]]; then
    cp -r "$REPO/test/fuzz/corpus/$t/." "$dir/corpus/"
  fi
  [[ -d "$RUN/conformance/$t" ]] && seeds+=("$RUN/conformance/$t")
  # -max_len bounds input size and so the nesting of parsed trees;
  # -timeout (s per input) and -rss_limit_mb turn hangs and memory
  # blow-ups into reported crashes.
  # shellcheck disable=SC2086
  nice -n "$NICE" "$OUT/$t" -max_total_time="$SECS" -max_len=4096 -timeout=20 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/" ${FUZZ_FLAGS:-} \
    "$dir/corpus" "${seeds[@]}" >"$dir/log" 2>&1
  rc=$?
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$dir/log" | tail -n1)
  if [[ -z "$execs" ]]; then  # no final stats (e.g. a crash): the last "#N" status line
    execs=$(sed -nE 's/^#([0-9]+)[[:space:]].*/\1/p' "$dir/log" | tail -n1)
  fi
  artifact=$(sed -nE 's/.*Test unit written to (.*)$/\1/p' "$dir/log" | tail -n1)
  if ((rc == 0)) && [[ -z "$artifact" ]] && [[ -n "$execs" ]]; then
    echo "ok ${execs}" >"$dir.result"
  else
    echo "crash ${execs:-0} ${artifact:-none (exit $rc)}" >"$dir.result"
  fi
}

START=$(date +%s)
running=0
for t in "${TARGETS[@]}"; do
  built "$t" || continue
  run_one "$t" &
  running=$((running + 1))
  if ((running >= JOBS)); then
    wait -n
    running=$((running - 1))
  fi
done
wait

N=0 EXECS=0 CRASHES=0
for t in "${TARGETS[@]}"; do
  N=$((N + 1))
  if ! built "$t"; then
    echo "target $t: build failed"
    CRASHES=$((CRASHES + 1))
    continue
  fi
  read -r status execs artifact <"$RUN/$t.result"
  EXECS=$((EXECS + execs))
  if [[ $status == ok ]]; then
    echo "target $t: ok, $execs execs"
  else
    CRASHES=$((CRASHES + 1))
    echo "target $t: crash, $execs execs (artifact: $artifact)"
    echo "----- $t: libFuzzer log from the first error -----"
    # From the first error line on (the violated property or sanitizer
    # report, then the stack), without libFuzzer's progress lines.
    grep -vE '^#[0-9]+[[:space:]]' "$RUN/$t/log" |
      awk '/property violated|unexpected error kind|terminate called|==[0-9]+==ERROR|ERROR: libFuzzer|^SUMMARY/ {p = 1} p' |
      head -n 60
    echo "----- end of $t log -----"
  fi
done
echo "fuzz: ${SECS} s per target, $(( $(date +%s) - START )) s in all, logs in $RUN"
echo "$N targets, $EXECS execs, $CRASHES crashes"
((CRASHES == 0))
