#!/usr/bin/env bash
# Run every test suite of temporal_store and end with one summary line:
#
#   N passed, N failed
#
# Steps: install Debian packages (scripts/install_deps.sh), build and install
# the extension (PGXS), build the CMake core and run its GoogleTest unit tests,
# then, in a scratch copy of the tree owned by the `postgres` OS user (initdb
# refuses root; the checkout itself is never chown'ed), run with PGXS
#   - pg_regress   sql/*.sql against expected/*.out       (make installcheck)
#   - isolation    test/specs/*.spec against test/expected (make installcheck)
#   - TAP          test/t/*.pl with prove                  (make installcheck)
#   - clients      test/clients/run_clients.sh: the examples/ change-feed
#                  followers (psycopg 3, node-postgres) under concurrent writers
# each on its own throwaway server, then the core's libFuzzer targets
# (test/fuzz.sh), and last test/sanitize.sh (unit tests and pg_regress again
# under ASan+UBSan). A suite with no tests counts 0.
#
# Exit status: 0 only if every suite ran and nothing failed.
#
# Environment:
#   TS_CONFORMANCE_DIR   conformance data (default: <repo>/../shared/conformance)
#   JOBS                 parallel build jobs (default: 2)
#   KEEP_SCRATCH=1       keep the scratch copy even when everything passed
#   SKIP_DEPS=1          do not run scripts/install_deps.sh
#   FUZZ_SECONDS         seconds per fuzz target (default: 10)
#   SKIP_SANITIZE=1      do not run test/sanitize.sh (ASan+UBSan builds)
set -uo pipefail

# The commit released as 0.1.0: TAP 100_upgrade builds it and updates a
# database it made (its source is exported from git into the scratch dir).
RELEASE_0_1_0=9ee1bfd44b069014e101e532295e873403b97705

START=$(date +%s)
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO" || exit 2

# Deterministic locale for initdb and the tests (C.UTF-8 ships with libc).
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset PGHOST PGPORT PGDATABASE PGUSER PGSERVICE PGOPTIONS
JOBS=${JOBS:-2}

TOTAL_PASS=0
TOTAL_FAIL=0
SUMMARY=()    # one line per suite
PROBLEMS=()   # suites or steps that could not run

section() { printf '\n=== %s ===\n' "$*"; }

# record SUITE PASSED FAILED
record() {
  TOTAL_PASS=$((TOTAL_PASS + $2))
  TOTAL_FAIL=$((TOTAL_FAIL + $3))
  SUMMARY+=("$(printf '%-22s %5d passed, %d failed' "$1" "$2" "$3")")
}

# problem STEP MESSAGE
problem() {
  PROBLEMS+=("$1: $2")
  echo "!!! $1: $2"
}

# Print the end of a file, framed, if it exists and is not empty.
show_tail() {
  local f=$1 n=${2:-200}
  [[ -s "$f" ]] || return 0
  echo "----- ${f#"$SCRATCH"/} (last $n lines) -----"
  tail -n "$n" "$f"
  echo "----- end of ${f##*/} -----"
}

# ---------------------------------------------------------------------------
section "dependencies"
if [[ "${SKIP_DEPS:-0}" == 1 ]]; then
  echo "SKIP_DEPS=1: not checking packages"
elif ! bash "$REPO/scripts/install_deps.sh"; then
  problem deps "scripts/install_deps.sh failed"
fi

PG_CONFIG=${PG_CONFIG:-pg_config}
if ! command -v "$PG_CONFIG" >/dev/null; then
  problem deps "pg_config not found"
fi

if [[ $(id -u) -eq 0 ]]; then
  PGUSER_OS=postgres
  if ! id "$PGUSER_OS" >/dev/null 2>&1; then
    problem deps "no 'postgres' OS user to run the PostgreSQL tests"
  fi
else
  PGUSER_OS=$(id -un)
fi

# Conformance data, resolved to an absolute path.
CONF_SRC=${TS_CONFORMANCE_DIR:-$REPO/../shared/conformance}
if [[ -d "$CONF_SRC" ]]; then
  CONF_SRC=$(cd "$CONF_SRC" && pwd)
else
  problem conformance "no conformance data at $CONF_SRC"
fi

# ---------------------------------------------------------------------------
section "build the extension (make)"
EXT_OK=1
if ! timeout 1200 make -j"$JOBS" PG_CONFIG="$PG_CONFIG"; then
  problem build "make failed"
  EXT_OK=0
fi

if ((EXT_OK)); then
  section "install the extension (make install)"
  if ! timeout 300 make install PG_CONFIG="$PG_CONFIG"; then
    problem install "make install failed (it needs root)"
    EXT_OK=0
  fi
fi

# ---------------------------------------------------------------------------
section "core: CMake build and GoogleTest"
run_unit_tests() {
  if ! timeout 1200 cmake -S . -B build -DCMAKE_BUILD_TYPE=Release; then
    problem unit "cmake configure failed"; return
  fi
  if ! timeout 1200 cmake --build build -j"$JOBS"; then
    problem unit "cmake build failed"; return
  fi
  if [[ ! -x build/core_tests ]]; then
    problem unit "build/core_tests was not built (GoogleTest missing?)"; return
  fi
  local log rc ran passed skipped failed
  log=$(mktemp /tmp/ts_gtest.XXXXXX)
  # --gtest_brief prints only failures; the counts come from the last lines:
  # "[==========] N tests from M test suites ran.", "[  PASSED  ] N tests.",
  # "[  SKIPPED ] N tests" (brief mode omits the "FAILED ... listed below").
  timeout 600 build/core_tests --gtest_brief=1 --gtest_color=no 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  ran=$(sed -nE 's/^\[==========\] ([0-9]+) tests? from .* ran\..*/\1/p' "$log" | tail -n1)
  passed=$(sed -nE 's/^\[  PASSED  \] ([0-9]+) tests?\..*/\1/p' "$log" | tail -n1)
  skipped=$(sed -nE 's/^\[  SKIPPED \] ([0-9]+) tests?,.*/\1/p' "$log" | tail -n1)
  rm -f "$log"
  if [[ -z "$ran" || -z "$passed" ]]; then
    # No summary: the binary crashed or timed out.
    record "unit (gtest)" 0 1
    problem unit "core_tests ended without a summary (exit $rc)"
    return
  fi
  failed=$((ran - passed - ${skipped:-0}))
  record "unit (gtest)" "$passed" "$failed"
  if [[ $rc -ne 0 && $failed -eq 0 ]]; then
    problem unit "core_tests exited $rc"
  fi
}
run_unit_tests

# ---------------------------------------------------------------------------
# Scratch copy for the PostgreSQL suites.
SCRATCH=""
cleanup() {
  if [[ -n "$SCRATCH" && -d "$SCRATCH" ]]; then
    if [[ "${KEEP_SCRATCH:-0}" == 1 || $TOTAL_FAIL -gt 0 || ${#PROBLEMS[@]} -gt 0 ]]; then
      echo "scratch copy kept: $SCRATCH"
    else
      rm -rf "$SCRATCH"
    fi
  fi
}

# as_pg CMD...: run CMD in the scratch repo as the PostgreSQL test user.
as_pg() {
  local envs=(LC_ALL=C.UTF-8 LANG=C.UTF-8 PATH="$PATH" TS_CONFORMANCE_DIR="$CONF_DIR"
              PG_CONFIG="$PG_CONFIG" HOME="$SCRATCH" TS_RELEASE_0_1_0_SRC="$SCRATCH/release-0.1.0")
  if [[ $(id -u) -eq 0 ]]; then
    (cd "$SCRATCH/repo" && runuser -u "$PGUSER_OS" -- env "${envs[@]}" "$@")
  else
    (cd "$SCRATCH/repo" && env "${envs[@]}" "$@")
  fi
}

PG_READY=0
if ((EXT_OK)) && [[ -n "$PGUSER_OS" ]] && id "$PGUSER_OS" >/dev/null 2>&1; then
  section "scratch copy for the PostgreSQL suites"
  SCRATCH=$(mktemp -d /tmp/temporal_store_tests.XXXXXX)
  trap cleanup EXIT
  mkdir -p "$SCRATCH/repo" "$SCRATCH/shared"
  # Everything but git metadata, CMake build trees and earlier test output.
  excludes=(--exclude=./.git --exclude=./demo_cluster --exclude='./tmp_check*'
            --exclude=./results --exclude=./output_iso --exclude=./log
            --exclude=./regression.diffs --exclude=./regression.out)
  for d in */; do
    [[ -f "$d/CMakeCache.txt" ]] && excludes+=("--exclude=./${d%/}")
  done
  if tar -C "$REPO" "${excludes[@]}" -cf - . | tar -C "$SCRATCH/repo" -xf -; then
    # The conformance data is copied too, so the tests never depend on the
    # permissions of the directories above the checkout.
    CONF_DIR="$SCRATCH/shared/conformance"
    if [[ -d "$CONF_SRC" ]]; then
      cp -r "$CONF_SRC" "$CONF_DIR"
    fi
    mkdir -p "$SCRATCH/release-0.1.0"
    if ! git -C "$REPO" archive --format=tar "$RELEASE_0_1_0" 2>/dev/null | tar -C "$SCRATCH/release-0.1.0" -xf -; then
      problem upgrade "cannot export release 0.1.0 ($RELEASE_0_1_0) from git: TAP 100_upgrade will fail"
    fi
    if [[ $(id -u) -eq 0 ]]; then
      chown -R "$PGUSER_OS:" "$SCRATCH"
    fi
    chmod 755 "$SCRATCH"
    echo "scratch: $SCRATCH (user $PGUSER_OS), conformance data from $CONF_SRC"
    PG_READY=1
  else
    problem scratch "copying the tree to $SCRATCH failed"
  fi
else
  problem postgres "extension not built/installed: PostgreSQL suites not run"
fi

# Parse pg_regress / pg_isolation_regress output: sets R_PASS R_FAIL, or
# returns 1 if there is no summary line.
parse_pg_regress() {
  local log=$1 line a b k
  line=$(grep -E '^ *(All [0-9]+ tests passed|[0-9]+ of [0-9]+ tests (passed|failed))' "$log" | tail -n1)
  if [[ "$line" =~ All\ ([0-9]+)\ tests\ passed ]]; then
    R_PASS=${BASH_REMATCH[1]}; R_FAIL=0
  elif [[ "$line" =~ ([0-9]+)\ of\ ([0-9]+)\ tests\ failed,\ ([0-9]+)\ of\ these ]]; then
    a=${BASH_REMATCH[1]}; b=${BASH_REMATCH[2]}; k=${BASH_REMATCH[3]}
    R_FAIL=$((a - k)); R_PASS=$((b - R_FAIL))
  elif [[ "$line" =~ ([0-9]+)\ of\ ([0-9]+)\ tests\ failed ]]; then
    a=${BASH_REMATCH[1]}; b=${BASH_REMATCH[2]}
    R_FAIL=$a; R_PASS=$((b - a))
  elif [[ "$line" =~ ([0-9]+)\ of\ ([0-9]+)\ tests\ passed ]]; then
    # "N of M tests passed, K failed test(s) ignored."
    R_PASS=${BASH_REMATCH[2]}; R_FAIL=0
  else
    return 1
  fi
}

# run_pg_regress NAME COUNT DIFFS LOG-DIR MAKE-ARGS...
# (pg_regress writes initdb.log and postmaster.log to <outputdir>/log)
run_pg_regress() {
  local name=$1 count=$2 diffs=$3 logdir=$4 log rc
  shift 4
  if ((count == 0)); then
    echo "$name: no tests"
    record "$name" 0 0
    return
  fi
  log=$SCRATCH/$name.log
  as_pg timeout 900 make installcheck "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  if parse_pg_regress "$log"; then
    record "$name" "$R_PASS" "$R_FAIL"
    if ((R_FAIL > 0)); then
      show_tail "$diffs" 400
      show_tail "$logdir/postmaster.log" 40
    elif ((rc != 0)); then
      problem "$name" "make installcheck exited $rc"
    fi
  else
    record "$name" 0 "$count"
    problem "$name" "did not run (make exited $rc; no pg_regress summary)"
    show_tail "$logdir/initdb.log" 50
    show_tail "$logdir/postmaster.log" 50
  fi
}

if ((PG_READY)); then
  shopt -s nullglob
  regress_tests=()
  for f in "$SCRATCH"/repo/sql/*.sql; do
    b=${f##*/}
    [[ $b == temporal_store--* ]] || regress_tests+=("$b")
  done
  specs=("$SCRATCH"/repo/test/specs/*.spec)
  taps=("$SCRATCH"/repo/test/t/*.pl)
  shopt -u nullglob

  # pg_regress aborts the whole suite at the first test without an expected
  # file. Give such tests an empty one in the scratch copy instead: they fail
  # on their own, and the diff shows the output to review.
  missing_expected() {
    local dir=$1 name=$2
    if [[ ! -e "$dir/$name.out" ]]; then
      echo "note: no expected output ${dir#"$SCRATCH/repo/"}/$name.out: $name will fail (see its diff)"
      as_pg mkdir -p "$dir"
      as_pg touch "$dir/$name.out"
    fi
  }
  for b in "${regress_tests[@]}"; do
    missing_expected "$SCRATCH/repo/expected" "${b%.sql}"
  done
  for f in "${specs[@]}"; do
    b=${f##*/}
    missing_expected "$SCRATCH/repo/test/expected" "${b%.spec}"
  done

  section "pg_regress (${#regress_tests[@]} tests)"
  run_pg_regress regress "${#regress_tests[@]}" "$SCRATCH/repo/regression.diffs" \
    "$SCRATCH/repo/log" \
    ISOLATION= TAP_TESTS=

  section "isolation (${#specs[@]} specs)"
  run_pg_regress isolation "${#specs[@]}" "$SCRATCH/repo/output_iso/regression.diffs" \
    "$SCRATCH/repo/output_iso/log" \
    REGRESS= TAP_TESTS=

  section "TAP (${#taps[@]} files)"
  if ((${#taps[@]} == 0)); then
    echo "TAP: no tests"
    record "tap" 0 0
  else
    log=$SCRATCH/tap.log
    as_pg timeout 900 make installcheck REGRESS= ISOLATION= 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    tests=$(sed -nE 's/^Files=[0-9]+, Tests=([0-9]+),.*/\1/p' "$log" | tail -n1)
    if [[ -z "$tests" ]]; then
      record "tap" 0 1
      problem tap "prove did not finish (make exited $rc)"
    else
      # Summary report lines: "t/x.pl (Wstat: 512 (exited 2) Tests: 40 Failed: 3)".
      # Failed assertions count each; a script that died or broke its plan
      # (non-zero Wstat, no failed assertion) counts as one failure.
      read -r failed_asserts failed <<<"$(grep -E '\(Wstat: [0-9]+.*Tests: [0-9]+ +Failed: [0-9]+\)' "$log" |
        sed -E 's/.*\(Wstat: ([0-9]+).*Failed: ([0-9]+)\)$/\1 \2/' |
        awk '{a += $2; f += ($2 > 0 ? $2 : ($1 != 0 ? 1 : 0))} END {print a + 0, f + 0}')"
      if grep -q '^Result: FAIL' "$log" && ((failed == 0)); then
        failed=1
      fi
      tests=$((tests - failed_asserts))
      record "tap" "$tests" "$failed"
      if ((rc != 0 && failed == 0)); then
        problem tap "make installcheck exited $rc"
      fi
    fi
    if ((rc != 0)); then
      # The test scripts' own logs, then the servers' logs.
      for f in "$SCRATCH"/repo/tmp_check/log/regress_log_*; do
        show_tail "$f" 120
      done
      for f in "$SCRATCH"/repo/tmp_check/log/*.log; do
        show_tail "$f" 40
      done
    fi
  fi
fi

# ---------------------------------------------------------------------------
# Clients: the change-feed followers of examples/ (Python psycopg 3, Node pg)
# against a throwaway server under concurrent writers (test/clients/).
if ((PG_READY)); then
  section "clients (examples/ followers)"
  log=$SCRATCH/clients.log
  as_pg timeout 300 bash test/clients/run_clients.sh 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  line=$(grep -E '^clients: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n1)
  if [[ "$line" =~ ^clients:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    record "clients" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
    if ((rc != 0 && BASH_REMATCH[2] == 0)); then
      problem clients "run_clients.sh exited $rc"
    fi
  else
    record "clients" 0 1
    problem clients "run_clients.sh ended without a summary (exit $rc)"
  fi
fi

# Fuzzing (test/fuzz.sh): every libFuzzer target of the core for
# FUZZ_SECONDS (default 10) each; one passed per target that ran without a
# crash, one failed per target that crashed or did not build.
run_fuzz() {
  local log ok bad rc
  section "fuzz (${FUZZ_SECONDS:-10} s per target)"
  log=$(mktemp -t ts_fuzz.XXXXXX)
  timeout 900 bash "$REPO/test/fuzz.sh" "${FUZZ_SECONDS:-10}" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  ok=$(grep -cE '^target [^ ]+: ok,' "$log")
  bad=$(grep -cE '^target [^ ]+: (crash|build failed)' "$log")
  if ! grep -qE '^[0-9]+ targets, [0-9]+ execs, [0-9]+ crashes$' "$log"; then
    record fuzz "$ok" "$((bad > 0 ? bad : 1))"
    problem fuzz "test/fuzz.sh ended without a summary (exit $rc)"
  else
    record fuzz "$ok" "$bad"
  fi
  rm -f "$log"
}
run_fuzz

# Unit tests and pg_regress again, built with ASan+UBSan (test/sanitize.sh,
# its own scratch directory and private PostgreSQL copy); its counts are
# taken from its last line.
run_sanitize() {
  local log rc line
  if [[ "${SKIP_SANITIZE:-0}" == 1 ]]; then
    echo "SKIP_SANITIZE=1: not run"; return
  fi
  log=$(mktemp /tmp/ts_sanitize.XXXXXX)
  timeout 1800 bash "$REPO/test/sanitize.sh" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  line=$(tail -n1 "$log")
  rm -f "$log"
  if [[ "$line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    record "sanitize (asan+ubsan)" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
    if ((rc != 0 && BASH_REMATCH[2] == 0)); then
      problem sanitize "test/sanitize.sh exited $rc"
    fi
  else
    record "sanitize (asan+ubsan)" 0 1
    problem sanitize "test/sanitize.sh ended without a summary (exit $rc)"
  fi
}
section "sanitizers (test/sanitize.sh)"
run_sanitize

# ---------------------------------------------------------------------------
section "summary"
cleanup
trap - EXIT
for s in "${SUMMARY[@]}"; do echo "  $s"; done
for p in "${PROBLEMS[@]}"; do echo "  could not run: $p"; done
echo "  time: $(( $(date +%s) - START )) s"
echo "${TOTAL_PASS} passed, ${TOTAL_FAIL} failed"

if ((TOTAL_FAIL > 0 || ${#PROBLEMS[@]} > 0)); then
  exit 1
fi
exit 0
