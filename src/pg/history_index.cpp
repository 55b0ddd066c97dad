// history_index.cpp — see history_index.hpp.
#include "pg/history_index.hpp"

#include <algorithm>

#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
}

namespace tspg {

IndexReads &index_reads() {
    static IndexReads r;
    return r;
}

Reach::Reach(Session &s, int64_t store_id, int64_t start, bool first_parent_only)
    : s_(s), store_id_(store_id), first_only_(first_parent_only) {
    pending_.insert(start);
}

bool Reach::grow() {
    while (!pending_.empty()) {
        check_interrupts();
        int64_t x = *pending_.rbegin();
        pending_.erase(std::prev(pending_.end()));
        if (!ranges_.empty() && x >= ranges_.back().first) continue;  // inside the last run read
        int64_t lo = storage::run_start(s_, store_id_, x);
        index_reads().runs++;
        ranges_.emplace_back(lo, x);
        storage::GraphNode g = storage::graph_node(s_, store_id_, lo);
        if (g.first_parent) pending_.insert(*g.first_parent);
        if (g.merge_parent && !first_only_) pending_.insert(*g.merge_parent);
        return true;
    }
    return false;
}

bool Reach::contains(int64_t v) {
    for (;;) {
        if (!ranges_.empty() && v >= ranges_.back().first) {
            // Every reachable version at or above the last run's start is
            // in a range read.
            auto it = std::partition_point(ranges_.begin(), ranges_.end(),
                                           [v](const std::pair<int64_t, int64_t> &r) { return r.first > v; });
            return it != ranges_.end() && v <= it->second;
        }
        if (pending_.empty() || *pending_.rbegin() < v) return false;
        if (!grow()) return false;
    }
}

storage::VersionRanges Reach::all() {
    while (grow()) {
    }
    return ranges_;
}

StatePtr StateReader::get(int64_t version) {
    auto it = cache_.find(version);
    if (it != cache_.end()) return it->second;
    std::optional<storage::VersionBrief> b = storage::version_brief(s_, store_id_, version);
    StatePtr st;
    if (b && b->readable) {
        st = materialize(s_, store_id_, version, &b->hash);
        index_reads().states++;
    }
    if (cache_.size() >= 16) cache_.erase(cache_.begin());
    cache_.emplace(version, st);
    return st;
}

std::optional<bool> changed_at(StateReader &states, const VersionRecord &v, const tscore::Path &path,
                               std::optional<tscore::Value> *old_value, std::optional<tscore::Value> *new_value) {
    StatePtr after = states.get(v.version);
    StatePtr before = v.first_parent ? states.get(*v.first_parent) : nullptr;
    const tscore::Value *a = before ? tscore::value_at(*before, path) : nullptr;
    const tscore::Value *b = after ? tscore::value_at(*after, path) : nullptr;
    if (old_value && a) *old_value = *a;
    if (new_value && b) *new_value = *b;
    if (!after || (v.first_parent && !before)) return std::nullopt;
    if (!a || !b) return a != b;
    return !(*a == *b);
}

std::optional<size_t> jsonb_array_length(const Jsonb *jb, const tscore::Path &path) {
    return pg_guard([&]() -> std::optional<size_t> {
        const JsonbContainer *c = &jb->root;
        if (JsonContainerIsScalar(c)) return std::nullopt;
        for (const std::string &k : path) {
            JsonbValue *v;
            if (JsonContainerIsObject(c)) {
                v = getKeyJsonValueFromContainer(const_cast<JsonbContainer *>(c), k.data(), (int)k.size(), nullptr);
            } else {
                size_t i;
                if (!tscore::parse_array_index(k, i) || i >= JsonContainerSize(c)) return std::nullopt;
                v = getIthJsonbValueFromContainer(const_cast<JsonbContainer *>(c), (uint32)i);
            }
            if (v == nullptr || v->type != jbvBinary) return std::nullopt;
            c = v->val.binary.data;
        }
        if (!JsonContainerIsArray(c)) return std::nullopt;
        return (size_t)JsonContainerSize(c);
    });
}

int64_t rebuild_history_index(Session &s, int64_t store_id) {
    storage::delete_history_index(s, store_id);
    storage::fill_run_starts(s, store_id);
    int64_t n = 0;
    int64_t next = 1;
    // What PostgreSQL allocates for one version (index rows, their index
    // entries) goes when the version is done: a rebuild of a whole
    // database (the update from 0.1.0) must not grow with its history.
    MemoryContext per_version = pg_guard([] {
        return AllocSetContextCreate(CurrentMemoryContext, "temporal_store history rebuild", ALLOCSET_DEFAULT_SIZES);
    });
    for (;;) {
        std::vector<storage::RawVersion> page = storage::raw_versions(s, store_id, next - 1, 256);
        if (page.empty()) break;
        for (const storage::RawVersion &rv : page) {
            check_interrupts();
            pg_guard([&] { MemoryContextReset(per_version); });
            MemoryContext outer = MemoryContextSwitchTo(per_version);
            const VersionRecord &v = rv.v;
            next = v.version + 1;
            std::optional<storage::VersionBrief> self = storage::version_brief(s, store_id, v.version);
            std::optional<storage::VersionBrief> parent =
                v.first_parent ? storage::version_brief(s, store_id, *v.first_parent) : std::nullopt;
            std::vector<tscore::PathRow> rows;
            if (!self || !self->readable || (v.first_parent && (!parent || !parent->readable))) {
                rows.push_back(tscore::PathRow{tscore::Path{}, false});
            } else {
                StatePtr after = materialize(s, store_id, v.version, &self->hash);
                if (!v.first_parent) {
                    rows = tscore::rows_for_state(*after);
                } else {
                    StatePtr before = materialize(s, store_id, *v.first_parent, &parent->hash);
                    rows = tscore::rows_between(*before, *after);
                }
            }
            storage::insert_version_paths(store_id, v.version, rows);
            MemoryContextSwitchTo(outer);
            n++;
        }
    }
    pg_guard([&] { MemoryContextDelete(per_version); });
    return n;
}

tscore::Path path_argument(Datum d, const char *name) {
    ArrayType *arr = pg_guard([&] { return DatumGetArrayTypeP(d); });
    if (ARR_NDIM(arr) > 1)
        ts_error(ERRCODE_INVALID_PARAMETER_VALUE, std::string(name) + " must be a one-dimensional array of keys");
    Datum *elems;
    bool *nulls;
    int n;
    pg_guard([&] { deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n); });
    tscore::Path out;
    for (int i = 0; i < n; i++) {
        if (nulls[i]) ts_error(ERRCODE_NULL_VALUE_NOT_ALLOWED, std::string(name) + " must not contain NULL elements");
        out.push_back(text_to_string(elems[i]));
    }
    return out;
}

}  // namespace tspg
