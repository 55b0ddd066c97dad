# PGXS build of the temporal_store extension (C++17).
#
#   make && make install          build and install into the local PostgreSQL
#   make installcheck             pg_regress + isolation suites on a temporary
#                                 instance (run as a non-root user: initdb
#                                 refuses root); see test/run_all.sh for all
#
# The PostgreSQL-free core (src/core) is also built by CMakeLists.txt for
# its GoogleTest unit tests and Google Benchmark micro-benchmarks.

EXTENSION  = temporal_store
MODULE_big = temporal_store
EXTVERSION = 0.2.0

CORE_SRCS = $(sort $(wildcard src/core/*.cpp))
PG_SRCS   = $(sort $(wildcard src/pg/*.cpp))
OBJS      = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

DATA = $(wildcard sql/temporal_store--*.sql)

# pg_regress: every sql/*.sql but the install/upgrade scripts.
REGRESS = $(sort $(filter-out temporal_store--%,$(basename $(notdir $(wildcard sql/*.sql)))))
REGRESS_OPTS = --inputdir=. --temp-instance=./tmp_check --temp-config=test/regress.conf \
               --load-extension=temporal_store
ISOLATION = $(sort $(basename $(notdir $(wildcard test/specs/*.spec))))
ISOLATION_OPTS = --inputdir=test --outputdir=output_iso --temp-instance=./tmp_check_iso \
                 --temp-config=test/regress.conf --load-extension=temporal_store
TAP_TESTS = 1
PROVE_TESTS = $(sort $(wildcard test/t/*.pl))

EXTRA_CLEAN = tmp_check tmp_check_iso output_iso results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)

# Server headers as system headers: PostgreSQL 15's use `register`, an error
# in C++17. -isystem wins over the -I pgxs adds.
PG_CPPFLAGS = -isystem $(shell $(PG_CONFIG) --includedir-server) -Isrc
PG_CXXFLAGS = -std=c++17 -Wno-missing-field-initializers $(EXTRA_FLAGS)
# EXTRA_FLAGS (empty by default): added to every compile and to the link,
# e.g. test/sanitize.sh passes -fsanitize=address,undefined.
PG_LDFLAGS  = $(EXTRA_FLAGS)
SHLIB_LINK  = -lstdc++ -lz -ldeflate

# The bitcode rule would compile C++17 with clang and without our flags;
# header dependencies are not tracked unless asked for.
override with_llvm = no
override autodepend = yes

include $(PGXS)
