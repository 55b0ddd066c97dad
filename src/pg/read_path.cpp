// read_path.cpp — see read_path.hpp.
#include "pg/read_path.hpp"

#include "core/payload_codec.hpp"
#include "core/state_cache.hpp"
#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/jsonb_format.hpp"
#include "pg/jsonb_replay.hpp"
#include "pg/settings.hpp"
#include "pg/storage.hpp"

namespace tspg {

namespace {

// temporal_store.cache_size is split between the two caches.
size_t half_cache_bytes(int kb) { return (size_t)kb * 1024 / 2; }

tscore::StateCache &cache() {
    static tscore::StateCache c(half_cache_bytes(settings.cache_size));
    return c;
}

tscore::BytesCache &jsonb_cache() {
    static tscore::BytesCache c(half_cache_bytes(settings.cache_size));
    return c;
}

ReplayCounts counts;

// Off in the snapshot worker: nothing there reads a state twice, and its
// memory should stay flat however long it runs.
bool caching = true;

// size: the tree's approx_size, when the caller already knows it.
void cache_tree(int64_t store_id, int64_t version, const std::string &hash, StatePtr state, size_t size = 0) {
    if (!caching) return;
    if (size == 0) size = tscore::approx_size(*state);
    cache().put(store_id, version, hash, std::move(state), size);
}

constexpr int kCompacted = MAKE_SQLSTATE('T', 'S', '0', '0', '2');

// A replay also caches every kCheckpointSpacing'th state it passes, when
// states are small enough for the cache to hold many of them: reads of
// nearby versions then replay a few deltas instead of a whole chain.
constexpr int64_t kCheckpointSpacing = 5;
constexpr size_t kCheckpointsPerCache = 256;  // a state must fit this many times
// Stored and jsonb forms are far smaller than a tree: a base whose bytes
// times this exceed the allowance is not worth measuring.
constexpr size_t kTreeExpansion = 16;

// How many versions at or below v the window must reach: down to the
// nearest version some cache holds (a linear chain stops there), at most
// `window`.
int64_t window_to_cached(int64_t store_id, int64_t v, int64_t window) {
    if (!caching) return window;
    for (int64_t d = 1; d < window && v - d > 0; d++)
        if (cache().holds(store_id, v - d) || jsonb_cache().holds(store_id, v - d)) return d + 1;
    return window;
}

[[noreturn]] void compacted_error(int64_t v) {
    ts_error(kCompacted, "version " + std::to_string(v) + " has been compacted",
             "Its payload was removed by ts_compact; its log entry and hash remain.");
}

// A version's first-parent chain back to the nearest full state: the
// deltas (newest first) and the state they apply to, in whichever form it
// was found.
struct Chain {
    std::vector<tscore::DecodedPayload> deltas;
    std::vector<std::pair<int64_t, std::string>> delta_versions;  // version and hash of each delta
    StatePtr tree;            // a cached tree
    JsonbBytes jsonb;         // a state cached as jsonb, or a jsonb snapshot
    tscore::Value value;      // a snapshot or full payload in the core's form
    size_t tree_bytes = 0;    // how big the base state is: the tree's size,
    size_t stored_bytes = 0;  // or its stored or jsonb form's
    std::string target_hash;
    int64_t base_version = 0;  // the version the base state is of
};

Chain collect_chain(Session &s, int64_t store_id, int64_t version, const std::string *known_hash) {
    // Walk back along first parents until a full state (cached tree or
    // jsonb, snapshot, or full payload), collecting deltas. Links come a
    // window at a time: the chain is mostly consecutive version numbers.
    Chain c;
    int64_t v = version;
    std::vector<std::pair<int64_t, ReadLink>> window;
    size_t pos = 0;
    const int64_t window_size = std::max(8, settings.snapshot_interval + 1);
    for (;;) {
        check_interrupts();
        while (pos < window.size() && window[pos].first > v) pos++;
        if (pos >= window.size() || window[pos].first != v) {
            // While a cached tree may serve the version itself, the first
            // fetch is its row alone: a cached version needs no more.
            bool maybe_cached = v == version && !known_hash && cache().holds(store_id, version);
            int64_t count = maybe_cached ? 1 : window_to_cached(store_id, v, window_size);
            // A window a cached state ends needs no snapshot: at worst the
            // replay from that state is a few deltas longer.
            window = storage::read_window(s, store_id, v, count, count == window_size);
            pos = 0;
            if (window.empty() || window[0].first != v)
                ts_error(ERRCODE_UNDEFINED_OBJECT, "version " + std::to_string(v) + " does not exist");
        }
        ReadLink &link = window[pos].second;
        if (v == version) {
            c.target_hash = link.hash;
            // Compacted stays compacted, even where this backend cached it.
            if (!link.payload && !link.snapshot) compacted_error(v);
        }
        c.base_version = v;
        if ((c.tree = cache().get(store_id, v, link.hash))) {
            c.tree_bytes = cache().bytes_of(store_id, v);
            return c;
        }
        if ((c.jsonb = jsonb_cache().get(store_id, v, link.hash))) {
            c.stored_bytes = c.jsonb->size();
            return c;
        }
        const std::string *full = link.snapshot ? &*link.snapshot : nullptr;
        if (!full && !link.payload) compacted_error(v);
        tscore::DecodedPayload p =
            reading_stored(s, store_id, v, [&] { return decode_for_state(full ? *full : *link.payload, false); });
        if (full || is_full_state(p)) {
            c.stored_bytes = (full ? full : &*link.payload)->size();
            c.base_version = v;
            if (p.kind == tscore::PayloadKind::RawState) {
                c.jsonb = reading_stored(s, store_id, v, [&] { return state_jsonb(std::move(p)); });
                // Later reads of the stretch above start here, inflated.
                if (caching) jsonb_cache().put(store_id, v, link.hash, c.jsonb, c.jsonb->size() + 64);
            } else
                c.value = std::move(p.body);
            return c;
        }
        c.deltas.push_back(std::move(p));
        c.delta_versions.emplace_back(v, link.hash);
        if (!link.first_parent)
            stored_data_error(s, store_id, v, "its payload is a delta but it has no parent", {}, {});
        v = *link.first_parent;
    }
}

// The chain's deltas applied to its base on the core tree; the result and
// checkpoints on the way go into the tree cache.
StatePtr replay_tree(Session &s, int64_t store_id, int64_t version, Chain &&c) {
    if (c.deltas.empty() && c.tree) return c.tree;
    tscore::Value state =
        c.tree    ? *c.tree
        : c.jsonb ? reading_stored(s, store_id, c.base_version,
                                   [&] { return jsonb_to_value((const Jsonb *)c.jsonb->data()); })
                  : std::move(c.value);
    // Checkpoints only for states the tree cache can hold a few hundred
    // of; their size is measured once, and only when the base's size says
    // it may be small enough.
    const size_t allowance = half_cache_bytes(settings.cache_size) / kCheckpointsPerCache;
    bool checkpoints = caching && (c.tree_bytes ? c.tree_bytes <= allowance
                                                : c.stored_bytes * kTreeExpansion <= allowance);
    size_t checkpoint_size = c.tree_bytes;
    for (size_t i = c.deltas.size(); i-- > 0;) {
        check_interrupts();
        const auto &[u, hash] = c.delta_versions[i];
        state = reading_stored(s, store_id, u,
                               [&] { return tscore::apply_payload(std::move(state), std::move(c.deltas[i])); });
        if (!checkpoints || i == 0 || u % kCheckpointSpacing != 0) continue;
        if (checkpoint_size == 0) checkpoint_size = tscore::approx_size(state);
        if (checkpoint_size > allowance) {
            checkpoints = false;
            continue;
        }
        cache_tree(store_id, u, hash, std::make_shared<const tscore::Value>(state), checkpoint_size);
    }
    auto result = std::make_shared<const tscore::Value>(std::move(state));
    cache_tree(store_id, version, c.target_hash, result);
    return result;
}

JsonbBytes tree_to_jsonb(const StatePtr &state) {
    return std::make_shared<const std::string>(value_to_jsonb_bytes(*state, nullptr));
}

}  // namespace

void disable_state_caches() {
    caching = false;
    cache().clear();
    jsonb_cache().clear();
}

void state_cache_resize(int kb) {
    cache().set_capacity(half_cache_bytes(kb));
    jsonb_cache().set_capacity(half_cache_bytes(kb));
}

void remember_state(int64_t store_id, int64_t version, const std::string &hash, tscore::Value state,
                    size_t size) {
    cache_tree(store_id, version, hash, std::make_shared<const tscore::Value>(std::move(state)), size);
}

tscore::Value take_state(Session &s, int64_t store_id, int64_t version, const std::string &hash) {
    StatePtr p = cache().take(store_id, version, hash);
    if (!p) {
        p = materialize(s, store_id, version);
        cache().take(store_id, version, hash);
    }
    // The only owner left: the tree can be moved rather than copied.
    if (p.use_count() == 1) return std::move(const_cast<tscore::Value &>(*p));
    return *p;
}

JsonbBytes materialize_jsonb(Session &s, int64_t store_id, int64_t version) {
    std::string hash;
    const std::string *known = nullptr;
    if (jsonb_cache().holds(store_id, version)) {
        std::optional<storage::VersionBrief> brief = storage::version_brief(s, store_id, version);
        if (!brief) ts_error(ERRCODE_UNDEFINED_OBJECT, "version " + std::to_string(version) + " does not exist");
        if (!brief->readable) compacted_error(version);
        if (JsonbBytes hit = jsonb_cache().get(store_id, version, brief->hash)) return hit;
        hash = std::move(brief->hash);
        known = &hash;
    }
    JsonbBytes bytes;
    if (StatePtr tree = known ? cache().get(store_id, version, hash) : nullptr) {
        bytes = tree_to_jsonb(tree);
    } else {
        // Without a known hash, the chain's first window reads the
        // version's own row (hash, compaction) and says the hash.
        Chain chain = collect_chain(s, store_id, version, known);
        hash = chain.target_hash;
        if (!chain.jsonb) {
            bytes = tree_to_jsonb(replay_tree(s, store_id, version, std::move(chain)));
        } else if (chain.deltas.empty()) {
            bytes = chain.jsonb;
        } else if (!jsonb_replayable((const Jsonb *)chain.jsonb->data(), chain.deltas)) {
            counts.jsonb_fallbacks++;
            bytes = tree_to_jsonb(replay_tree(s, store_id, version, std::move(chain)));
        } else if (std::optional<std::string> out =
                       replay_on_jsonb((const Jsonb *)chain.jsonb->data(), chain.deltas)) {
            counts.jsonb_replays++;
            bytes = std::make_shared<const std::string>(std::move(*out));
        } else {
            // An operation failed on the jsonb lane and consumed the chain:
            // the tree lane collects it again (and raises the error, if any).
            counts.jsonb_fallbacks++;
            bytes = tree_to_jsonb(materialize(s, store_id, version, &hash));
        }
    }
    if (caching) jsonb_cache().put(store_id, version, hash, bytes, bytes->size() + 64);
    return bytes;
}

ReplayCounts replay_counts() { return counts; }

Datum jsonb_bytes_datum(const JsonbBytes &bytes) {
    void *p = pg_guard([&] { return palloc(bytes->size()); });
    memcpy(p, bytes->data(), bytes->size());
    return PointerGetDatum(p);
}

JsonbBytes remembered_jsonb(int64_t store_id, int64_t version, const std::string &hash) {
    return jsonb_cache().get(store_id, version, hash);
}

void remember_jsonb(int64_t store_id, int64_t version, const std::string &hash, const Jsonb *jb) {
    if (!caching) return;
    auto bytes = std::make_shared<const std::string>((const char *)jb, VARSIZE(jb));
    size_t size = bytes->size() + 64;
    jsonb_cache().put(store_id, version, hash, std::move(bytes), size);
}

StatePtr remembered_state(int64_t store_id, int64_t version, const std::string &hash) {
    return cache().get(store_id, version, hash);
}

StatePtr materialize(Session &s, int64_t store_id, int64_t version, const std::string *known_hash,
                     std::string *hash_out) {
    if (known_hash) {
        if (StatePtr hit = cache().get(store_id, version, *known_hash)) return hit;
    }
    Chain chain = collect_chain(s, store_id, version, known_hash);
    if (hash_out) *hash_out = chain.target_hash;
    return replay_tree(s, store_id, version, std::move(chain));
}

}  // namespace tspg

namespace tspg {

int64_t snapshot_version(Session &s, int64_t store_id, int64_t version) {
    if (storage::has_snapshot(s, store_id, version)) return 0;
    StatePtr state = materialize(s, store_id, version);
    storage::insert_snapshot(s, store_id, version, encode_snapshot(*state));
    return 1;
}

int64_t snapshot_chain(Session &s, int64_t store_id, int64_t head, int interval) {
    // Back along first parents to the nearest snapshot (or the root),
    // passing full-state keyframes: the stretch behind a keyframe may have
    // no snapshots yet. Only version numbers are kept on the way back.
    std::vector<int64_t> chain;  // newest first, excluding the base
    for (int64_t v = head;;) {
        check_interrupts();
        storage::ChainStep step = storage::chain_step(s, store_id, v);
        if (step.has_snapshot) {
            if (v == head) return 0;
            break;
        }
        if (step.compacted) break;  // the version after it is a full-state root
        chain.push_back(v);
        if (!step.first_parent) break;
        v = *step.first_parent;
    }
    // Forward from the base, one payload at a time: a snapshot wherever
    // `interval` deltas have passed since the last full state, and at head.
    int64_t built = 0;
    tscore::Value state;
    std::string head_hash;
    int since_full = 0;
    bool have_state = false;
    if (chain.empty()) return 0;
    int64_t oldest = chain.back();
    {
        storage::ChainStep first = storage::chain_step(s, store_id, oldest);
        if (first.first_parent && !first.compacted) {
            // The base is the snapshot just below the oldest version.
            ReadLink base = storage::read_link(s, store_id, *first.first_parent);
            if (base.snapshot) {
                state = reading_stored(s, store_id, *first.first_parent, [&] { return state_value(*base.snapshot); });
                have_state = true;
            }
        }
    }
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        check_interrupts();
        int64_t v = *it;
        ReadLink link = storage::read_link(s, store_id, v);
        if (!link.payload) compacted_error(v);
        tscore::DecodedPayload p = reading_stored(s, store_id, v, [&] { return decode_for_state(*link.payload, false); });
        if (is_full_state(p)) {
            state = reading_stored(s, store_id, v, [&] { return state_value(std::move(p)); });
            have_state = true;
            since_full = 0;
        } else {
            if (!have_state) compacted_error(link.first_parent.value_or(v));
            state = reading_stored(s, store_id, v, [&] { return tscore::apply_payload(std::move(state), std::move(p)); });
            since_full++;
        }
        if (v == head) head_hash = link.hash;
        // The head always gets one, even when it is a full-state keyframe:
        // that is what ends its being pending.
        if (since_full >= std::max(1, interval) || v == head) {
            storage::insert_snapshot(s, store_id, v, encode_snapshot(state));
            built++;
            since_full = 0;
        }
    }
    cache_tree(store_id, head, head_hash, std::make_shared<const tscore::Value>(std::move(state)));
    return built;
}

void stored_data_error(Session &s, int64_t store_id, int64_t version, const std::string &what,
                                    std::string detail, std::string hint) {
    std::optional<std::string> name = storage::store_name(s, store_id);
    std::string store = name ? "store \"" + *name + "\"" : "store id " + std::to_string(store_id);
    if (hint.empty())
        hint = name ? "ts_verify('" + *name + "') lists every version whose stored data cannot be read."
                    : "ts_verify lists every version whose stored data cannot be read.";
    ts_error(ERRCODE_DATA_CORRUPTED, "could not read version " + std::to_string(version) + " of " + store + ": " + what,
             std::move(detail), std::move(hint));
}


}  // namespace tspg
