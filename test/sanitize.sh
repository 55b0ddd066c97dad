#!/usr/bin/env bash
# Run the core's unit tests and the pg_regress suite under AddressSanitizer
# and UndefinedBehaviorSanitizer, and end with one summary line:
#
#   N passed, N failed
#
# Steps, all in a scratch directory (mktemp; the checkout and the system
# PostgreSQL installation are never written):
#   1. CMake build of the core and its GoogleTest unit tests with
#      -fsanitize=address,undefined; run them (leak detection on).
#   2. A private copy of the PostgreSQL installation (bin, lib, share,
#      include under one prefix; its binaries find the rest relative to
#      themselves), and the extension built with the same flags
#      (make EXTRA_FLAGS=...) and installed into that copy.
#   3. pg_regress (make installcheck, regress suite only) with libasan
#      preloaded into pg_regress and everything it starts (initdb, the
#      server, psql), so the uninstrumented server can load the
#      instrumented module. Leak detection is off there: PostgreSQL frees
#      memory by exiting. As root, this step runs as the `postgres` OS user
#      (initdb refuses root) in a copy of the tree it owns.
#   4. Every sanitizer log file, and the server log, is scanned for reports.
#
# Counted: unit test cases + pg_regress test files + one failure per
# sanitizer report. Exit status 0 only if nothing failed and every step ran.
#
# Environment:
#   JOBS            parallel build jobs (default: 2)
#   KEEP_SCRATCH=1  keep the scratch directory even when everything passed
#   PG_CONFIG       the PostgreSQL installation to copy (default: pg_config)
set -uo pipefail

START=$(date +%s)
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO" || exit 2

export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset PGHOST PGPORT PGDATABASE PGUSER PGSERVICE PGOPTIONS
unset LD_PRELOAD ASAN_OPTIONS UBSAN_OPTIONS
JOBS=${JOBS:-2}
SYS_PG_CONFIG=${PG_CONFIG:-pg_config}

# -O1: ASan's usual level; it compiles about a third faster than -O2.
SAN_FLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"

PASS=0
FAIL=0
PROBLEMS=()

TIMES=()      # "step: N s" for the summary
T0=$(date +%s)
section() {
  lap
  printf '\n=== sanitize: %s ===\n' "$*"
  STEP=$1
}
# lap: record how long the current step took.
STEP=""
lap() {
  local now
  now=$(date +%s)
  [[ -n "$STEP" ]] && TIMES+=("$(printf '%-34s %4d s' "$STEP" $((now - T0)))")
  T0=$now
}
problem() {
  PROBLEMS+=("$1")
  echo "!!! $1"
}

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/temporal_store_sanitize.XXXXXX") || exit 2
chmod 755 "$SCRATCH"
LOGDIR=$SCRATCH/sanitizer-logs   # every sanitizer writes its reports here
mkdir -p "$LOGDIR"
chmod 1777 "$LOGDIR"             # the server user writes here too

cleanup() {
  if [[ "${KEEP_SCRATCH:-0}" == 1 || $FAIL -gt 0 || ${#PROBLEMS[@]} -gt 0 ]]; then
    echo "scratch directory kept: $SCRATCH"
  else
    rm -rf "$SCRATCH"
  fi
}
trap cleanup EXIT

if [[ $(id -u) -eq 0 ]]; then
  PGUSER_OS=postgres
else
  PGUSER_OS=$(id -un)
fi

# ---------------------------------------------------------------------------
section "unit tests: CMake build"
run_unit_tests() {
  local build=$SCRATCH/unit log=$SCRATCH/unit.log rc ran passed skipped
  if ! timeout 1200 cmake -S "$REPO" -B "$build" -DCMAKE_BUILD_TYPE=None \
      -DCMAKE_CXX_FLAGS="$SAN_FLAGS" -DCMAKE_EXE_LINKER_FLAGS="$SAN_FLAGS" >/dev/null; then
    problem "unit: cmake configure failed"; return
  fi
  if ! timeout 1800 cmake --build "$build" -j"$JOBS" --target core_tests; then
    problem "unit: build of core_tests failed (GoogleTest missing?)"; return
  fi
  section "unit tests: run"
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:log_path=$LOGDIR/unit-asan" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$LOGDIR/unit-ubsan" \
    timeout 900 "$build/core_tests" --gtest_brief=1 --gtest_color=no 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  ran=$(sed -nE 's/^\[==========\] ([0-9]+) tests? from .* ran\..*/\1/p' "$log" | tail -n1)
  passed=$(sed -nE 's/^\[  PASSED  \] ([0-9]+) tests?\..*/\1/p' "$log" | tail -n1)
  skipped=$(sed -nE 's/^\[  SKIPPED \] ([0-9]+) tests?,.*/\1/p' "$log" | tail -n1)
  if [[ -z "$ran" || -z "$passed" ]]; then
    # No summary: stopped by a sanitizer (its report is counted below) or
    # crashed (counted once below if there is no report).
    UNIT_ABORTED=1
    echo "unit: core_tests ended without a summary (exit $rc)"
    return
  fi
  PASS=$((PASS + passed))
  FAIL=$((FAIL + ran - passed - ${skipped:-0}))
  echo "unit: $passed passed, $((ran - passed - ${skipped:-0})) failed"
  if [[ $rc -ne 0 && $ran -eq $((passed + ${skipped:-0})) ]]; then
    problem "unit: core_tests exited $rc"
  fi
}
UNIT_ABORTED=0
run_unit_tests

# ---------------------------------------------------------------------------
section "private PostgreSQL copy"
# The same directories the system installation uses, under $PGROOT, so that
# relative lookups from the copied binaries (and from its pg_config) land in
# the copy. pg_config reports those directories already relocated.
PGROOT=$SCRATCH/pg
PRIV_PG_CONFIG=""
make_private_pg() {
  local bindir sharedir incdir d
  if ! bindir=$("$SYS_PG_CONFIG" --bindir 2>/dev/null); then
    problem "pg_config ($SYS_PG_CONFIG) not found"; return 1
  fi
  sharedir=$("$SYS_PG_CONFIG" --sharedir)
  incdir=$("$SYS_PG_CONFIG" --includedir)
  # bin's parent holds bin and lib (Debian: /usr/lib/postgresql/15).
  for d in "$(dirname "$bindir")" "$sharedir" "$incdir"; do
    mkdir -p "$PGROOT$(dirname "$d")" &&
      cp -a "$d" "$PGROOT$(dirname "$d")/" || { problem "copying $d failed"; return 1; }
  done
  PRIV_PG_CONFIG=$PGROOT$bindir/pg_config
  if [[ "$("$PRIV_PG_CONFIG" --pkglibdir)" != "$PGROOT"/* ]]; then
    problem "the copied pg_config does not relocate (pkglibdir: $("$PRIV_PG_CONFIG" --pkglibdir))"
    return 1
  fi
  echo "private copy: $PGROOT ($(du -sh "$PGROOT" | cut -f1))"
}

# as_pg CMD...: run CMD in the scratch tree as the PostgreSQL test user.
as_pg() {
  local envs=(LC_ALL=C.UTF-8 LANG=C.UTF-8 PATH="$PATH" HOME="$SCRATCH")
  if [[ $(id -u) -eq 0 ]]; then
    (cd "$SCRATCH/repo" && runuser -u "$PGUSER_OS" -- env "${envs[@]}" "$@")
  else
    (cd "$SCRATCH/repo" && env "${envs[@]}" "$@")
  fi
}

PG_OK=0
if ! id "$PGUSER_OS" >/dev/null 2>&1; then
  problem "no '$PGUSER_OS' OS user to run the PostgreSQL tests"
elif make_private_pg; then
  # The tree without git metadata, build trees and earlier test output.
  mkdir -p "$SCRATCH/repo"
  excludes=(--exclude=./.git --exclude=./demo_cluster --exclude='./tmp_check*'
            --exclude=./results --exclude=./output_iso --exclude=./log
            --exclude=./regression.diffs --exclude=./regression.out
            --exclude='*.o' --exclude='*.so' --exclude='*.bc' --exclude=./.deps)
  for d in */; do
    [[ -f "$d/CMakeCache.txt" ]] && excludes+=("--exclude=./${d%/}")
  done
  if tar -C "$REPO" "${excludes[@]}" -cf - . | tar -C "$SCRATCH/repo" -xf -; then
    if [[ $(id -u) -eq 0 ]]; then
      chown -R "$PGUSER_OS:" "$SCRATCH/repo" "$SCRATCH/pg"
    fi
    PG_OK=1
  else
    problem "copying the tree to $SCRATCH/repo failed"
  fi
fi

# ---------------------------------------------------------------------------
if ((PG_OK)); then
  section "extension: build and install"
  if ! as_pg timeout 1800 make -j"$JOBS" PG_CONFIG="$PRIV_PG_CONFIG" EXTRA_FLAGS="$SAN_FLAGS"; then
    problem "make of the instrumented extension failed"; PG_OK=0
  elif ! as_pg timeout 300 make install PG_CONFIG="$PRIV_PG_CONFIG" EXTRA_FLAGS="$SAN_FLAGS" >/dev/null; then
    problem "make install into the private copy failed"; PG_OK=0
  elif ! ldd "$SCRATCH/repo/temporal_store.so" | grep -q libasan; then
    problem "temporal_store.so is not linked with libasan"; PG_OK=0
  fi
fi

if ((PG_OK)); then
  shopt -s nullglob
  regress_tests=()
  for f in "$SCRATCH"/repo/sql/*.sql; do
    b=${f##*/}
    [[ $b == temporal_store--* ]] || regress_tests+=("${b%.sql}")
  done
  shopt -u nullglob
  section "pg_regress"
  echo "${#regress_tests[@]} tests; libasan preloaded into pg_regress and the processes it starts"
  # A test without an expected file fails alone instead of stopping the suite.
  for b in "${regress_tests[@]}"; do
    [[ -e "$SCRATCH/repo/expected/$b.out" ]] || as_pg touch "expected/$b.out"
  done
  # The preloaded start-up object (built here, a few lines of C):
  # - Preloading libasan alone hangs the server at startup (gcc 12's libasan,
  #   glibc 2.36): the constructor of libgpg-error (a dependency of postgres,
  #   psql and initdb) calls bindtextdomain, whose first malloc starts ASan
  #   while gettext's lock is held for writing; ASan's start calls dlerror,
  #   which takes that lock again and leaves it broken, and the next
  #   bindtextdomain waits for ever. Marked -z initfirst, this object starts
  #   ASan before any other constructor runs.
  # - UBSan starts at its first report and reads UBSAN_OPTIONS from
  #   /proc/self/environ, which PostgreSQL has overwritten with the process
  #   title by then; its options come from __ubsan_default_options instead.
  #   Its log_path is not honoured next to ASan's runtime either, so UBSan
  #   reports of the server land in log/postmaster.log (scanned below).
  LIBASAN=$(readlink -f "$(${CC:-gcc} -print-file-name=libasan.so)")
  printf '%s\n' \
    'void __asan_init(void);' \
    '__attribute__((constructor)) static void start_asan_first(void) { __asan_init(); }' \
    'const char *__ubsan_default_options(void) { return "print_stacktrace=1:halt_on_error=1"; }' \
    >"$SCRATCH/sanitizer_start.c"
  if ! ${CC:-gcc} -shared -fPIC -Wl,-z,initfirst -o "$SCRATCH/sanitizer_start.so" \
      "$SCRATCH/sanitizer_start.c" "$LIBASAN"; then
    problem "building the sanitizer start-up object failed"
    PG_OK=0
  fi
fi

REGRESS_RAN=0
if ((PG_OK)); then
  chmod a+r "$SCRATCH/sanitizer_start.so"
  log=$SCRATCH/regress.log
  # ASan's frames are several times larger: the errors test (a 9,000-level
  # merge) overflows a backend's usual 8 MB stack under ASan, not without;
  # and the recursive walks check max_stack_depth, so the server gets a
  # 64 MB stack and max_stack_depth to match (tests that set their own
  # max_stack_depth still do).
  # libasan comes first in LD_PRELOAD, so ASan's link-order check passes.
  printf '%s\n' "max_stack_depth = 48MB   # ASan builds: see test/sanitize.sh" >>"$SCRATCH/repo/test/regress.conf"
  as_pg bash -c 'ulimit -s 65536 || echo "warning: could not raise the stack limit"; exec "$@"' sh \
    env LD_PRELOAD="$LIBASAN:$SCRATCH/sanitizer_start.so" \
        ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:disable_coredump=1:log_path=$LOGDIR/asan" \
    timeout 1200 make installcheck PG_CONFIG="$PRIV_PG_CONFIG" ISOLATION= TAP_TESTS= 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  line=$(grep -E '^ *(All [0-9]+ tests passed|[0-9]+ of [0-9]+ tests (passed|failed))' "$log" | tail -n1)
  if [[ "$line" =~ All\ ([0-9]+)\ tests\ passed ]]; then
    PASS=$((PASS + BASH_REMATCH[1])); REGRESS_RAN=1
  elif [[ "$line" =~ ([0-9]+)\ of\ ([0-9]+)\ tests\ failed ]]; then
    PASS=$((PASS + BASH_REMATCH[2] - BASH_REMATCH[1])); FAIL=$((FAIL + BASH_REMATCH[1]))
    REGRESS_RAN=1
    [[ -s "$SCRATCH/repo/regression.diffs" ]] && head -n 300 "$SCRATCH/repo/regression.diffs"
  else
    FAIL=$((FAIL + ${#regress_tests[@]}))
    problem "pg_regress did not run (make exited $rc)"
    tail -n 50 "$SCRATCH/repo/log/initdb.log" 2>/dev/null
  fi
fi

# ---------------------------------------------------------------------------
section "sanitizer reports"
# One failure per report: each report is one file (log_path gives every
# process its own), but a file may hold several; count report headers.
REPORT_RE='ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|WARNING: AddressSanitizer'
reports=0
shopt -s nullglob
for f in "$LOGDIR"/*; do
  n=$(grep -cE "$REPORT_RE" "$f")
  ((n > 0)) || continue
  reports=$((reports + n))
  echo "----- ${f##*/} ($n report(s)) -----"
  head -n 80 "$f"
done
shopt -u nullglob
# Reports that went to stderr instead (the server log, the test output).
for f in "$SCRATCH/repo/log/postmaster.log" "$SCRATCH/unit.log"; do
  [[ -f "$f" ]] || continue
  n=$(grep -cE "$REPORT_RE" "$f")
  ((n > 0)) || continue
  reports=$((reports + n))
  echo "----- ${f#"$SCRATCH"/} ($n report(s)) -----"
  grep -nE -A 30 "$REPORT_RE" "$f" | head -n 80
done
if ((REGRESS_RAN)) && grep -qE 'terminated by signal|server process .* was terminated' \
    "$SCRATCH/repo/log/postmaster.log" 2>/dev/null; then
  echo "note: a server process died (see above and $SCRATCH/repo/log/postmaster.log)"
  grep -E 'terminated by signal|was terminated' "$SCRATCH/repo/log/postmaster.log" | head -n 5
fi
echo "sanitizer reports: $reports"
FAIL=$((FAIL + reports))
if ((UNIT_ABORTED && reports == 0)); then
  FAIL=$((FAIL + 1))   # core_tests died without a sanitizer report
fi

# ---------------------------------------------------------------------------
section "summary"
for t in "${TIMES[@]}"; do echo "  $t"; done
for p in "${PROBLEMS[@]}"; do echo "  could not run: $p"; done
echo "  time: $(( $(date +%s) - START )) s"
cleanup
trap - EXIT
echo "${PASS} passed, ${FAIL} failed"
if ((FAIL > 0 || ${#PROBLEMS[@]} > 0)); then
  exit 1
fi
exit 0
