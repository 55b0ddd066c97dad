// history_index.hpp — reading and writing the history index
// (storage_paths.hpp) for ts_path_history, ts_blame, ts_stats,
// ts_path_stats and ts_log's path filter.
//
// Reachability is decided on runs (stretches of consecutive versions each
// the only child of the one below, see storage_paths.hpp): a walk visits
// one run per branch switch or merge, not one row per version, so the
// cost of these functions follows the versions that touched the path and
// the shape of the graph, not the length of the history.
#pragma once

#include <map>
#include <set>

#include "core/path_index.hpp"
#include "pg/read_path.hpp"
#include "pg/storage_paths.hpp"

namespace tspg {

// The versions reachable from `start` (all parents, or first parents
// only), discovered newest first, a run at a time.
class Reach {
public:
    Reach(Session &s, int64_t store_id, int64_t start, bool first_parent_only);
    // Whether v is reachable (any order; the walk goes down as far as
    // the lowest version asked about).
    bool contains(int64_t v);
    // Every reachable version, as ranges newest first.
    storage::VersionRanges all();

private:
    bool grow();  // adds the next run; false when nothing is left
    Session &s_;
    int64_t store_id_;
    bool first_only_;
    std::set<int64_t> pending_;
    storage::VersionRanges ranges_;  // disjoint, descending
};

// What analysis functions read, for tests that prove the index is used:
// candidate versions the index returned, runs visited, states read.
struct IndexReads {
    int64_t candidates = 0, runs = 0, states = 0;
};
IndexReads &index_reads();

// States of versions, read once per call (a handful are kept).
class StateReader {
public:
    StateReader(Session &s, int64_t store_id) : s_(s), store_id_(store_id) {}
    // nullptr when the version's state can no longer be read (compacted).
    StatePtr get(int64_t version);

private:
    Session &s_;
    int64_t store_id_;
    std::map<int64_t, StatePtr> cache_;
};

// Whether a candidate version changed the path: certain candidates did;
// for possible ones both states are compared (nullopt: a state is
// compacted, so it cannot be told). old/new receive the values when read.
std::optional<bool> changed_at(StateReader &states, const VersionRecord &v, const tscore::Path &path,
                               std::optional<tscore::Value> *old_value, std::optional<tscore::Value> *new_value);

// The array length at a path of a jsonb document (nullopt: no array).
std::optional<size_t> jsonb_array_length(const Jsonb *jb, const tscore::Path &path);

// Recomputes a store's index from its versions (compacted ones get one
// inexact root row: their change can no longer be told); returns the
// versions indexed.
int64_t rebuild_history_index(Session &s, int64_t store_id);

// A path argument: text[] without NULL elements, one dimension (22004,
// 22023).
tscore::Path path_argument(Datum d, const char *name);

}  // namespace tspg
