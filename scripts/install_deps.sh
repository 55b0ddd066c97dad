#!/usr/bin/env bash
# Install (idempotently) every Debian package needed to build, test, demo and
# benchmark temporal_store on Debian 12. Safe to re-run: when everything is
# already installed it only checks and exits, without touching the network.
#
#   sudo bash scripts/install_deps.sh        (or as root)
set -euo pipefail

PACKAGES=(
  # build: PGXS extension and the CMake core
  g++ make cmake pkg-config zlib1g-dev libdeflate-dev
  # PostgreSQL 15 server, client, headers/pgxs, pg_regress, isolation tester,
  # TAP perl modules (PostgreSQL::Test::Cluster)
  postgresql-15 postgresql-client-15 postgresql-server-dev-15
  # TAP tests: IPC::Run (Test::More and JSON::PP ship with perl itself)
  perl libipc-run-perl
  # unit tests and micro-benchmarks of the core
  libgtest-dev libbenchmark-dev
  # fuzzing the core (test/fuzz.sh): clang and the libFuzzer runtime
  clang libclang-rt-dev
  # test/sanitize.sh: gcc's ASan and UBSan runtimes (g++ already pulls them in)
  libasan8 libubsan1
  # benchmark driver and plots
  python3 gnuplot-nox
  # clients test and examples/: the Python change-feed follower (psycopg 3)
  python3-psycopg
  # scripts: runuser/setpriv (util-linux), tar, mktemp
  util-linux tar coreutils
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == installed ]] || missing+=("$p")
done

# clients test and examples/: the Node follower needs node and npm. Debian's
# nodejs and npm only when neither command exists: a NodeSource nodejs
# (which ships its own npm) conflicts with Debian's npm package.
if ! command -v node >/dev/null && ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
elif ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install_deps: warning: only one of node and npm is installed; the clients test needs both" >&2
fi

if ((${#missing[@]} == 0)); then
  echo "install_deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install_deps: missing packages: ${missing[*]}" >&2
  echo "install_deps: run this script as root (or with sudo) to install them" >&2
  exit 1
fi

echo "install_deps: installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install_deps: done"
