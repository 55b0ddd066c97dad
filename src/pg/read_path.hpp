// read_path.hpp — materialising a version's state.
//
// The nearest full state on the version's first-parent chain (cache entry,
// snapshot or full payload) plus the deltas after it, applied in memory in
// the core tree. Results go into a per-backend LRU cache of jsonb states,
// checked by hash, in the memory context "temporal_store state cache".
#pragma once

#include "pg/pg_headers.hpp"
#include "pg/spi_session.hpp"
#include "core/errors.hpp"
#include "core/json_value.hpp"
#include "pg/error_bridge.hpp"
#include "pg/state_payload.hpp"

namespace tspg {

using StatePtr = std::shared_ptr<const tscore::Value>;

// known_hash: the version's hash, when the caller has it (saves a fetch);
// hash_out: where to say it, when the caller does not.
StatePtr materialize(Session &s, int64_t store_id, int64_t version, const std::string *known_hash = nullptr,
                     std::string *hash_out = nullptr);

// The state as jsonb bytes (a whole Jsonb varlena); a cached state is a
// copy away.
JsonbBytes materialize_jsonb(Session &s, int64_t store_id, int64_t version);
// How often this backend replayed a chain on jsonb (jsonb_replay.hpp), and
// how often such a replay gave way to the tree.
struct ReplayCounts {
    int64_t jsonb_replays = 0, jsonb_fallbacks = 0;
};
ReplayCounts replay_counts();
// Copies such bytes into a Datum in the current memory context.
Datum jsonb_bytes_datum(const JsonbBytes &bytes);
// The cached jsonb of a version (nullptr when not cached), and caching one.
JsonbBytes remembered_jsonb(int64_t store_id, int64_t version, const std::string &hash);
void remember_jsonb(int64_t store_id, int64_t version, const std::string &hash, const Jsonb *jb);

// Drops a version's cached state (a parent a write has superseded).
void forget_state(int64_t store_id, int64_t version) noexcept;
// Remembers a state the write path has just produced (cached as jsonb).
void remember_state(int64_t store_id, int64_t version, const std::string &hash, const tscore::Value &state);

void state_cache_resize(int kb) noexcept;
// For the snapshot worker: no caching at all.
void disable_state_caches();

}  // namespace tspg

namespace tspg {

// Writes snapshots on the first-parent chain that ends at `head`: one every
// `interval` versions after the nearest stored full state or snapshot, and
// one at head itself. Returns how many were written.
int64_t snapshot_chain(Session &s, int64_t store_id, int64_t head, int interval);

// Writes one snapshot of `version` (0 if it already had one).
int64_t snapshot_version(Session &s, int64_t store_id, int64_t version);

// Stored data of a version that cannot be read (a payload or snapshot the
// core or the jsonb reader cannot decode): XX001 naming the store and the
// version, so that damage outside the extension can be found.
[[noreturn]] void stored_data_error(Session &s, int64_t store_id, int64_t version, const std::string &what,
                                    std::string detail, std::string hint);

// Runs f, which decodes stored data of `version`; see stored_data_error.
template <class F>
auto reading_stored(Session &s, int64_t store_id, int64_t version, F &&f) -> decltype(f()) {
    std::string what, detail, hint;
    try {
        return f();
    } catch (tscore::Error &e) {
        if (e.kind() != tscore::ErrorKind::CorruptPayload) throw;
        what = e.what();
        detail.swap(e.mutable_detail());
        hint = e.hint();
    } catch (UserError &e) {
        if (e.sqlstate != ERRCODE_DATA_CORRUPTED) throw;
        what = e.what();
        detail.swap(e.detail);
        hint.swap(e.hint);
    }
    stored_data_error(s, store_id, version, what, std::move(detail), std::move(hint));
}


}  // namespace tspg
