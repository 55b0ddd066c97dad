// storage_paths.hpp — the history index: every query on
// ts_internal.version_paths (which paths each version changed, see
// core/path_index.hpp) and ts_internal.version_runs (where the version
// graph stops being a straight line: versions whose first parent is not
// the version just below, merges, and version 1).
#pragma once

#include "core/path_index.hpp"
#include "pg/storage.hpp"

namespace tspg {
namespace storage {

// Written by the commit path (direct inserts, the store's lock held).
void insert_version_paths(int64_t store_id, int64_t version, const std::vector<tscore::PathRow> &rows);
void insert_run_start(int64_t store_id, int64_t version);
// Whether a version starts a run: version 1, a merge, or a first parent
// other than the version below.
inline bool starts_run(int64_t version, const std::optional<int64_t> &first_parent,
                       const std::optional<int64_t> &merge_parent) {
    return !first_parent || merge_parent || *first_parent != version - 1;
}

// The newest run start at or below `version` (every version from it up to
// `version` has the one below as its only parent).
int64_t run_start(Session &s, int64_t store_id, int64_t version);

// Versions at or below `upto` that changed `path` certainly (a row at or
// below it) or possibly (an inexact row above it), newest first.
struct PathCandidate {
    int64_t version;
    bool certain;
};
std::vector<PathCandidate> path_candidates(Session &s, int64_t store_id, const tscore::Path &path, int64_t upto);

// Ranges [lo, hi] of version numbers (a history's reachable versions).
using VersionRanges = std::vector<std::pair<int64_t, int64_t>>;

// Per author over the versions in the ranges: commits, first and last
// commit, commits per UTC hour, distinct paths changed.
struct AuthorStats {
    std::string author;
    int64_t commits = 0;
    TimestampTz first = 0, last = 0;
    int64_t hours[24] = {};
    int64_t paths = 0;
};
std::vector<AuthorStats> author_stats(Session &s, int64_t store_id, const VersionRanges &ranges);

// The index rows of the versions in the ranges, by path then version,
// read through a cursor: f(encoded path, version, author, committed_at).
void for_each_path_row(Session &s, int64_t store_id, const VersionRanges &ranges,
                       const std::function<void(const std::string &, int64_t, const std::string &, TimestampTz)> &f);

// Rebuilding (the upgrade from 0.1.0, ts_internal.rebuild_history_index).
void delete_history_index(Session &s, int64_t store_id);
void fill_run_starts(Session &s, int64_t store_id);
std::vector<int64_t> all_store_ids(Session &s);

}  // namespace storage
}  // namespace tspg
