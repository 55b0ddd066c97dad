// write_path.hpp — appending versions and events.
//
// Callers lock the store first (storage::lock_store) and pass the locked
// record; every append advances its in-memory counters (the tables are
// the record of them: nothing else is saved).
#pragma once

#include "pg/storage.hpp"
#include "core/json_value.hpp"
#include "core/path_index.hpp"

namespace tspg {

// The optional arguments every writing function shares.
struct WriteOptions {
    std::optional<std::string> message;
    tscore::Value metadata = tscore::Value::object();
    std::optional<std::string> branch;
    std::optional<int64_t> expected_head;
};

// A new version to append on a branch.
struct NewVersion {
    tscore::Value state;                 // the full new state, unless jsonb is set
    // The new state as the caller's jsonb (ts_commit): diffed against the
    // parent's jsonb and hashed in place; state is built from it only when
    // a full-state payload must be written.
    const Jsonb *jsonb = nullptr;
    const tscore::Value *patch = nullptr;  // the delta as given (ts_patch), if any
    bool merge_patch = false;            // patch is RFC 7396, else RFC 6902
    char event_type = kStateUpdated;
    std::optional<int64_t> merge_parent;
    std::optional<TimestampTz> at;       // committed_at, when fixed by the caller
    // The paths the change touched (history index), when the caller knows
    // them (ts_patch); otherwise computed from the delta.
    std::optional<std::vector<tscore::PathRow>> path_rows;
};

// Deltas after which a commit stores a full state itself: four times
// temporal_store.snapshot_interval. The worker normally snapshots long
// before; this bounds every read's replay when it is stopped.
int32_t replay_hard_cap();

// The version hash of a record with that state, given its parents'
// hashes in parent order (raw 32-byte strings).
std::string compute_version_hash(const VersionRecord &v, const tscore::Value &state,
                                 const std::vector<std::string> &parent_hashes);
std::string compute_version_hash(const VersionRecord &v, const Jsonb *state,
                                 const std::vector<std::string> &parent_hashes);

// Checks expected_head (40001).
void check_expected_head(const BranchRecord &b, const std::optional<int64_t> &expected);

// The next committed_at on the store's clock.
TimestampTz next_commit_time(StoreRecord &st);

// Appends a version on branch b (moving its head); returns its number.
int64_t append_version(Session &s, StoreRecord &st, BranchRecord &b, NewVersion nv, const WriteOptions &opt);

// Appends a non-version event.
void append_event(Session &s, StoreRecord &st, EventRecord e);

}  // namespace tspg
