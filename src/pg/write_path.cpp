// write_path.cpp — see write_path.hpp.
#include "pg/write_path.hpp"

#include "core/json_patch.hpp"
#include "core/payload_codec.hpp"
#include "core/state_cache.hpp"
#include "core/version_hash.hpp"
#include "pg/change_notify.hpp"
#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/jsonb_delta.hpp"
#include "pg/read_path.hpp"
#include "pg/settings.hpp"
#include "pg/history_index.hpp"
#include "pg/storage_paths.hpp"
#include "pg/worker.hpp"

namespace tspg {

namespace {

// new_state: the state is about to be stored, and one deeper than
// tscore::kMaxStateDepth is refused (54001) before anything is written.
std::string version_hash_of(const VersionRecord &v, const std::vector<std::string> &parent_hashes,
                            const tscore::Value *state, const Jsonb *jsonb, bool new_state = false) {
    tscore::VersionHashInput in;
    for (const std::string &raw : parent_hashes) {
        tscore::Digest d{};
        memcpy(d.data(), raw.data(), std::min(raw.size(), d.size()));
        in.parents.push_back(d);
    }
    if (state)
        in.state = state;
    else
        in.write_state = [jsonb, new_state](tscore::StateHashWriter &w) { jsonb_hash_state(jsonb, w, new_state); };
    in.new_state = new_state;
    in.author = v.author;
    in.message = v.message;
    in.metadata = &v.metadata;
    // committed_at in microseconds since the Unix epoch.
    in.committed_at_unix_us = v.committed_at + (int64_t)(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;
    tscore::Digest h = tscore::version_hash(in);
    return std::string((const char *)h.data(), h.size());
}

// The patch (compact form) from the branch head's jsonb to the new one, or
// nullopt for a document too deep for jsonb_diff (the caller then diffs
// trees).
std::optional<tscore::Value> diff_from_jsonb(Session &s, const StoreRecord &st, const BranchRecord &b,
                                             const HeadInfo &parent, const Jsonb *next) {
    JsonbBytes before = remembered_jsonb(st.id, b.head, parent.hash);
    if (!before) before = materialize_jsonb(s, st.id, b.head);
    return jsonb_diff((const Jsonb *)before->data(), next, true);
}

}  // namespace

std::string compute_version_hash(const VersionRecord &v, const tscore::Value &state,
                                 const std::vector<std::string> &parent_hashes) {
    return version_hash_of(v, parent_hashes, &state, nullptr);
}

std::string compute_version_hash(const VersionRecord &v, const Jsonb *state,
                                 const std::vector<std::string> &parent_hashes) {
    return version_hash_of(v, parent_hashes, nullptr, state);
}

int32_t replay_hard_cap() { return (int32_t)std::min<int64_t>(INT32_MAX, 4 * (int64_t)settings.snapshot_interval); }

void check_expected_head(const BranchRecord &b, const std::optional<int64_t> &expected) {
    if (expected && *expected != b.head)
        ts_error(ERRCODE_T_R_SERIALIZATION_FAILURE,
                 "branch \"" + b.name + "\" has moved",
                 "Expected head " + std::to_string(*expected) + ", found " + std::to_string(b.head) + ".",
                 "Read the new head and retry.");
}

TimestampTz next_commit_time(StoreRecord &st) {
    TimestampTz now = GetCurrentTimestamp();
    TimestampTz t = std::max(now, st.last_at + 1);
    st.last_at = t;
    return t;
}

int64_t append_version(Session &s, StoreRecord &st, BranchRecord &b, NewVersion nv, const WriteOptions &opt) {
    VersionRecord v;
    v.version = st.last_version + 1;
    v.seq = st.last_seq + 1;
    v.committed_at = nv.at ? *nv.at : next_commit_time(st);
    st.last_at = std::max(st.last_at, v.committed_at);
    v.branch_id = b.id;
    v.event_type = nv.event_type;
    v.author = s.caller_name();
    v.message = opt.message;
    v.metadata = opt.metadata;
    v.merge_parent = nv.merge_parent;

    std::vector<std::string> parent_hashes;
    std::string payload;
    tscore::EncodeOptions eo = payload_encoding();
    // With the state as jsonb, its tree is built only for a full payload.
    bool have_tree = nv.jsonb == nullptr;
    auto tree = [&]() -> const tscore::Value & {
        if (!have_tree) {
            nv.state = jsonb_to_value(nv.jsonb);
            have_tree = true;
        }
        return nv.state;
    };
    auto full_payload = [&] { return tscore::encode_payload(tscore::PayloadKind::FullState, tree(), eo); };
    // The paths this version changed, for the history index
    // (storage_paths.hpp), from the delta where one is computed anyway.
    std::optional<std::vector<tscore::PathRow>> path_rows = std::move(nv.path_rows);
    auto array_len = [&](const tscore::Path &p) -> std::optional<size_t> {
        if (nv.jsonb) return jsonb_array_length(nv.jsonb, p);
        const tscore::Value *x = tscore::value_at(nv.state, p);
        if (x && x->is_array()) return x->items().size();
        return std::nullopt;
    };
    if (nv.event_type == kStateCreated) {
        v.generation = 1;
        v.chain_len = 0;
        payload = full_payload();
        path_rows = tscore::rows_for_state(tree());
    } else {
        v.first_parent = b.head;
        std::optional<HeadInfo> parent = b.head_info;
        if (!parent) {
            std::optional<VersionRecord> rec = storage::find_version(s, st.id, b.head);
            parent = HeadInfo{rec->hash, rec->generation, rec->chain_len, rec->chain_bytes, rec->has_snapshot};
        }
        v.generation = parent->generation + 1;
        parent_hashes.push_back(parent->hash);
        if (nv.merge_parent) {
            std::optional<VersionRecord> mp = storage::find_version(s, st.id, *nv.merge_parent);
            v.generation = std::max(v.generation, mp->generation + 1);
            parent_hashes.push_back(mp->hash);
        }
        // A delta against the first parent, unless the replay chain reaches
        // the hard cap (reads stay bounded with the worker stopped) or the
        // delta is no smaller than the state.
        int32_t parent_len = parent->has_snapshot ? 0 : parent->chain_len;
        int32_t parent_bytes = parent->has_snapshot ? 0 : parent->chain_bytes;
        bool keyframe = parent_len + 1 >= replay_hard_cap();
        if (keyframe && !parent->has_snapshot) {
            // chain_len counts from the full state or snapshot the parent's
            // own parent had; the worker may have snapshotted a version on
            // the chain since. Then the chain is shorter and goes on.
            if (std::optional<storage::ChainSince> since =
                    storage::chain_since_snapshot(s, st.id, b.head, replay_hard_cap())) {
                parent_len = since->deltas;
                parent_bytes = (int32_t)std::min<int64_t>(INT32_MAX, since->bytes);
                keyframe = parent_len + 1 >= replay_hard_cap();
            }
        }
        std::string full;      // the full-state payload, when encoded
        size_t state_bytes = 0;  // the state's jsonb size, or its tree's estimate
        if (!keyframe) {
            if (nv.patch) {
                payload = tscore::encode_payload(
                    nv.merge_patch ? tscore::PayloadKind::MergePatch : tscore::PayloadKind::JsonPatch, *nv.patch, eo);
            } else if (std::optional<tscore::Value> d = nv.jsonb ? diff_from_jsonb(s, st, b, *parent, nv.jsonb)
                                                                 : std::nullopt) {
                // Already in the compact stored form.
                path_rows = tscore::rows_from_diff(*d, array_len);
                payload = tscore::encode_payload(tscore::PayloadKind::CompactJsonPatch, *d, eo);
            } else {
                StatePtr before = materialize(s, st.id, b.head, &parent->hash);
                tscore::Value delta = tscore::json_diff(*before, tree());
                path_rows = tscore::rows_from_diff(delta, array_len);
                payload = tscore::encode_payload(tscore::PayloadKind::JsonPatch, delta, eo);
            }
            // The state's size: its jsonb's, or the tree's estimate.
            state_bytes = nv.jsonb ? VARSIZE(nv.jsonb) : tscore::approx_size(nv.state);
            if (payload.size() > 64 && payload.size() * 2 > state_bytes) {
                full = full_payload();
                keyframe = full.size() <= payload.size();
            }
        }
        if (!path_rows) {
            // A given patch (diffed where it points), or a keyframe whose
            // delta was not computed.
            if (nv.patch) {
                StatePtr before = materialize(s, st.id, b.head, &parent->hash);
                path_rows = tscore::rows_from_patch(*before, tree(), *nv.patch, nv.merge_patch);
            } else if (std::optional<tscore::Value> d = nv.jsonb ? diff_from_jsonb(s, st, b, *parent, nv.jsonb)
                                                                 : std::nullopt) {
                path_rows = tscore::rows_from_diff(*d, array_len);
            } else {
                StatePtr before = materialize(s, st.id, b.head, &parent->hash);
                path_rows = tscore::rows_between(*before, tree());
            }
        }
        if (keyframe) {
            payload = full.empty() ? full_payload() : std::move(full);
            v.chain_len = 0;
            v.chain_bytes = 0;
        } else {
            v.chain_len = parent_len + 1;
            v.chain_bytes = (int32_t)std::min<int64_t>(INT32_MAX, (int64_t)parent_bytes + (int64_t)payload.size());
            // Every snapshot_interval deltas of a large state, the worker
            // is woken at commit instead of after its naptime: a chain of
            // such states that reaches the hard cap costs the commit a full
            // state, and reads of it replay long deltas meanwhile.
            if (state_bytes >= kJsonbStateBytes && v.chain_len % std::max(1, settings.snapshot_interval) == 0)
                wake_worker_at_commit();
        }
    }
    // Also refuses a state too deep to be stored (kMaxStateDepth), before
    // anything is written.
    v.hash = nv.jsonb ? version_hash_of(v, parent_hashes, nullptr, nv.jsonb, true)
                      : version_hash_of(v, parent_hashes, &nv.state, nullptr, true);

    // The store's newest version so far named its own branch's head; when
    // that is another branch, its row takes over (see the install script).
    if (st.last_version > 0 && st.last_version_branch != b.id)
        storage::pass_branch(s, st.id, st.last_version_branch, st.last_version, st.last_version_seq, v.seq);
    int64_t change_id = storage::insert_version(s, st.id, v, payload);
    if (path_rows) storage::insert_version_paths(st.id, v.version, *path_rows);
    if (storage::starts_run(v.version, v.first_parent, v.merge_parent)) storage::insert_run_start(st.id, v.version);
    // A full state of a large document gets its jsonb snapshot beside it,
    // so that reads after it take the jsonb lane at once (state_payload.hpp).
    bool has_snapshot = false;
    if (v.chain_len == 0) {
        std::optional<std::string> snap = nv.jsonb ? large_state_snapshot(nv.jsonb) : large_state_snapshot(tree());
        if (snap) {
            storage::insert_snapshot(s, st.id, v.version, *snap);
            has_snapshot = true;
        }
    }
    b.head = v.version;
    b.head_info = HeadInfo{v.hash, v.generation, v.chain_len, v.chain_bytes, has_snapshot};
    st.last_version = v.version;
    st.last_seq = v.seq;
    st.last_version_branch = b.id;
    st.last_version_seq = v.seq;
    st.last_version_info = *b.head_info;
    storage::remember_write(st, b);
    change_notify::note(change_id);
    // The new state for the next write and reads of it: as given.
    if (nv.jsonb)
        remember_jsonb(st.id, v.version, v.hash, nv.jsonb);
    else
        remember_state(st.id, v.version, v.hash, nv.state);
    ensure_worker_running();
    return v.version;
}

void append_event(Session &s, StoreRecord &st, EventRecord e) {
    e.seq = ++st.last_seq;
    if (e.committed_at == 0) e.committed_at = next_commit_time(st);
    e.author = s.caller_name();
    int64_t change_id = storage::insert_event(s, st.id, e);
    change_notify::note(change_id);
}

}  // namespace tspg
