// fn_maintenance.cpp — ts_snapshot, ts_compact, ts_verify.
#include <algorithm>
#include <deque>
#include <unordered_map>

#include "core/errors.hpp"
#include "core/payload_codec.hpp"
#include "pg/args.hpp"
#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/read_path.hpp"
#include "pg/refs.hpp"
#include "pg/settings.hpp"
#include "pg/srf.hpp"
#include "pg/write_path.hpp"

using namespace tspg;

TS_FUNCTION(ts_snapshot) {
    std::string name = arg_store(fcinfo, 0);
    std::optional<std::string> rev = arg_opt_text(fcinfo, 1);
    Session s(false);
    StoreRecord st = storage::get_store(s, name, Privilege::Write);
    int64_t v = rev ? resolve_revision(s, st, *rev) : resolve_branch(s, st, std::nullopt).head;
    snapshot_version(s, st.id, v);
    s.finish();
    PG_RETURN_INT64(v);
}

// Drops the payloads of versions committed before `before` that nothing at
// or after it needs. Every version that must stay readable (committed at or
// after `before`, a branch head or a tag) and whose replay would cross into
// the compacted part has its delta replaced by its full state first: the
// root of what remains (in the event table itself, since snapshots are
// derived data that may be dropped at any time).
TS_FUNCTION(ts_compact) {
    std::string name = arg_store(fcinfo, 0);
    TimestampTz before = arg_timestamptz(fcinfo, 1, "before");
    Session s(false);
    StoreRecord st = storage::get_store(s, name, Privilege::Write);
    st = storage::lock_store(s, st.id);
    std::vector<int64_t> keep = storage::versions_from(s, st.id, before);
    for (const BranchRecord &b : storage::list_branches(s, st.id)) keep.push_back(b.head);
    for (int64_t t : storage::tag_versions(s, st.id)) keep.push_back(t);
    std::sort(keep.begin(), keep.end());
    keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
    std::unordered_map<int64_t, bool> kept;
    for (int64_t k : keep) kept[k] = true;
    for (int64_t k : keep) {
        check_interrupts();
        ReadLink l = storage::read_link(s, st.id, k);
        if (l.snapshot || !l.payload) continue;
        if (is_full_state(decode_for_state(*l.payload, false))) continue;
        if (l.first_parent && kept.count(*l.first_parent)) continue;
        StatePtr state = materialize(s, st.id, k);
        storage::rewrite_payload_full(s, st.id, k,
                                      tscore::encode_payload(tscore::PayloadKind::FullState, *state, payload_encoding()));
        // As a commit's full state does, a large root gets its jsonb snapshot.
        if (std::optional<std::string> snap = large_state_snapshot(*state)) storage::insert_snapshot(s, st.id, k, *snap);
    }
    int64_t n = storage::clear_payloads_before(s, st.id, before, keep);
    storage::delete_snapshots_before(s, st.id, before, keep);
    if (n > 0) {
        EventRecord e;
        e.event_type = "HistoryCompacted";
        e.payload = tscore::Value::object();
        char *ts = pg_guard([&] { return DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(before))); });
        e.payload.set("before", tscore::Value::string(ts));
        e.payload.set("versions", tscore::Value::number(std::to_string(n)));
        append_event(s, st, std::move(e));
    }
    s.finish();
    PG_RETURN_INT64(n);
}

// Recomputes every state from the payloads alone (never the cache), checks
// each snapshot against it, and recomputes the hash chain. Reads the
// versions oldest first a page at a time and keeps only the last few
// states and hashes (a parent further back is read again), so memory stays
// bounded by a few states however long the history; problems stream out.
TS_FUNCTION(ts_verify) {
    std::string name = arg_store(fcinfo, 0);
    SetResult out(fcinfo);
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    constexpr size_t kRecentStates = 4, kRecentHashes = 4096;
    std::unordered_map<int64_t, std::shared_ptr<tscore::Value>> states;  // recent states by version
    std::unordered_map<int64_t, std::string> hashes;                     // recent hashes by version
    std::deque<int64_t> order;
    auto problem = [&](int64_t v, const std::string &what) {
        out.begin_row();
        Datum values[2] = {Int64GetDatum(v), string_to_text(what)};
        bool nulls[2] = {false, false};
        out.add(values, nulls);
    };
    auto hash_of = [&](int64_t v) -> std::optional<std::string> {
        auto h = hashes.find(v);
        if (h != hashes.end()) return h->second;
        return storage::version_hash(s, st.id, v);
    };
    int64_t after = 0;
    for (;;) {
        std::vector<storage::RawVersion> batch = storage::raw_versions(s, st.id, after, 256);
        if (batch.empty()) break;
        for (storage::RawVersion &rv : batch) {
            check_interrupts();
            const VersionRecord &v = rv.v;
            after = v.version;
            hashes[v.version] = v.hash;
            std::shared_ptr<tscore::Value> state;
            try {
                if (rv.payload) {
                    tscore::DecodedPayload p = decode_for_state(*rv.payload, false);
                    if (is_full_state(p)) {
                        state = std::make_shared<tscore::Value>(state_value(std::move(p)));
                    } else if (v.first_parent && states.count(*v.first_parent) && states[*v.first_parent]) {
                        state = std::make_shared<tscore::Value>(tscore::apply_payload(*states[*v.first_parent], p));
                    } else if (v.first_parent && !rv.snapshot) {
                        // A parent beyond the window of recent states.
                        state = std::make_shared<tscore::Value>(
                            tscore::apply_payload(*materialize(s, st.id, *v.first_parent), p));
                    } else if (!rv.snapshot) {
                        problem(v.version, "delta without a parent");
                    }
                }
                if (rv.snapshot) {
                    tscore::Value snap = state_value(*rv.snapshot);
                    if (state && !(*state == snap)) problem(v.version, "snapshot differs from the replayed state");
                    if (!state) state = std::make_shared<tscore::Value>(std::move(snap));
                }
            } catch (const tscore::Error &e) {
                // Over the memory budget is this session's limit, not damage.
                if (e.kind() == tscore::ErrorKind::MemoryLimit) throw;
                problem(v.version, std::string("payload cannot be decoded: ") + e.what());
                state.reset();
            } catch (const UserError &e) {
                // The read path's XX001, naming another version it read.
                if (e.sqlstate != ERRCODE_DATA_CORRUPTED) throw;
                problem(v.version, std::string("payload cannot be decoded: ") + e.what());
                state.reset();
            }
            if (state) {
                std::vector<std::string> parent_hashes;
                bool parents_known = true;
                for (int64_t p : v.parents()) {
                    std::optional<std::string> h = hash_of(p);
                    if (!h) {
                        parents_known = false;
                        break;
                    }
                    parent_hashes.push_back(std::move(*h));
                }
                if (!parents_known) problem(v.version, "a parent version is missing");
                else if (compute_version_hash(v, *state, parent_hashes) != v.hash)
                    problem(v.version, "hash does not match the recomputed hash");
            }
            states[v.version] = state;
            order.push_back(v.version);
            // Forget what is far behind: a child of such a version reads
            // its parent's state through the read path, its hash by index.
            if (order.size() > kRecentStates) states.erase(order[order.size() - kRecentStates - 1]);
            if (order.size() > kRecentHashes) {
                hashes.erase(order.front());
                order.pop_front();
            }
        }
    }
    s.finish();
    return (Datum)0;
}
