// fn_history.cpp — ts_log and ts_diff.
#include <algorithm>
#include <unordered_set>

#include "core/json_patch.hpp"
#include "pg/args.hpp"
#include "pg/history_index.hpp"
#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/read_path.hpp"
#include "pg/refs.hpp"
#include "pg/srf.hpp"

using namespace tspg;

namespace {

// Reachability from a start version, decided while the store's versions
// are read newest first: a parent is always older than its child, so a
// version is reachable once a reachable child has named it, and the set
// holds only the frontier (versions named but not yet read).
class Frontier {
public:
    Frontier(int64_t start, bool first_parent_only) : first_only_(first_parent_only) { pending_.insert(start); }
    // Whether v is reachable; if so, its parents become reachable.
    bool visit(const VersionRecord &v) {
        if (pending_.erase(v.version) == 0) return false;
        if (v.first_parent) pending_.insert(*v.first_parent);
        if (v.merge_parent && !first_only_) pending_.insert(*v.merge_parent);
        return true;
    }
    bool exhausted() const { return pending_.empty(); }

private:
    bool first_only_;
    std::unordered_set<int64_t> pending_;
};

// One row of ts_log, built in the result's per-row context.
void emit_log_row(SetResult &result, const VersionRecord &v) {
    result.begin_row();
    Datum values[8];
    bool nulls[8] = {false, false, false, false, false, false, false, false};
    values[0] = Int64GetDatum(v.version);
    values[1] = int8_array(v.parents());
    values[2] = string_to_text(v.branch_name);
    values[3] = string_to_text(v.author);
    if (v.message) values[4] = string_to_text(*v.message);
    else nulls[4] = true;
    values[5] = value_to_datum(v.metadata);
    values[6] = TimestampTzGetDatum(v.committed_at);
    values[7] = string_to_text(version_event_name(v.event_type));
    result.add(values, nulls);
}

}  // namespace

TS_FUNCTION(ts_log) {
    std::string name = arg_store(fcinfo, 0);
    std::optional<std::string> branch = arg_opt_text(fcinfo, 1);
    std::optional<std::string> author = arg_opt_text(fcinfo, 2);
    std::optional<TimestampTz> since = arg_opt_timestamptz(fcinfo, 3);
    std::optional<TimestampTz> until = arg_opt_timestamptz(fcinfo, 4);
    std::optional<tscore::Path> path;
    if (!PG_ARGISNULL(5)) path = path_argument(PG_GETARG_DATUM(5), "path");
    std::optional<int64_t> max_count;
    if (!PG_ARGISNULL(6)) max_count = PG_GETARG_INT32(6);
    std::optional<std::string> exclude = arg_opt_text(fcinfo, 7);
    bool first_parent = arg_bool_or(fcinfo, 8, false);

    if (max_count && *max_count < 0)
        ts_error(ERRCODE_INVALID_PARAMETER_VALUE, "max_count must not be negative");

    SetResult result(fcinfo);
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    BranchRecord b = resolve_branch(s, st, branch);
    std::optional<int64_t> exclude_from;
    if (exclude) exclude_from = resolve_revision(s, st, *exclude);

    if (path) {
        // The versions that changed the path, from the history index
        // (history_index.hpp), newest first; reachability is decided a
        // run at a time. No state is read except to settle an inexact row.
        index_reads() = IndexReads{};
        std::vector<storage::PathCandidate> cands = storage::path_candidates(s, st.id, *path, b.head);
        index_reads().candidates = (int64_t)cands.size();
        Reach included(s, st.id, b.head, first_parent);
        std::optional<Reach> excluded_from;
        if (exclude_from) excluded_from.emplace(s, st.id, *exclude_from, false);
        StateReader states(s, st.id);
        int64_t emitted = 0;
        for (const storage::PathCandidate &c : cands) {
            check_interrupts();
            if (max_count && emitted >= *max_count) break;
            if (!included.contains(c.version)) continue;
            if (excluded_from && excluded_from->contains(c.version)) continue;
            std::vector<VersionRecord> one = storage::versions_page(s, st.id, c.version, 1);
            if (one.empty()) continue;
            const VersionRecord &v = one[0];
            if (since && v.committed_at < *since) break;
            if (author && v.author != *author) continue;
            if (until && v.committed_at > *until) continue;
            if (!c.certain) {
                // Compacted: the index's word stands.
                std::optional<bool> changed = changed_at(states, v, *path, nullptr, nullptr);
                if (changed && !*changed) continue;
            }
            emit_log_row(result, v);
            emitted++;
        }
        s.finish();
        return (Datum)0;
    }

    // The store's versions newest first, a page at a time (the exclusion
    // may start above the head), deciding reachability on the way: the
    // walk stops at max_count rows, below `since` (commit times grow with
    // version numbers), or when nothing more is reachable.
    Frontier include(b.head, first_parent);
    std::optional<Frontier> excluded;
    if (exclude_from) excluded.emplace(*exclude_from, false);
    int64_t next = std::max(b.head, exclude_from.value_or(b.head));
    int64_t emitted = 0;
    int64_t page = 16;  // small first: a short log reads little
    bool more = !(max_count && *max_count == 0);
    while (more && next > 0) {
        std::vector<VersionRecord> batch = storage::versions_page(s, st.id, next, page);
        if (batch.empty()) break;
        next = batch.back().version - 1;
        page = std::min<int64_t>(page * 4, 1024);
        for (const VersionRecord &v : batch) {
            check_interrupts();
            bool is_excluded = excluded && excluded->visit(v);
            if (!include.visit(v) || is_excluded) {
                if (include.exhausted()) {
                    more = false;
                    break;
                }
                continue;
            }
            if (since && v.committed_at < *since) {
                more = false;
                break;
            }
            if (author && v.author != *author) continue;
            if (until && v.committed_at > *until) continue;
            emit_log_row(result, v);
            if (max_count && ++emitted >= *max_count) {
                more = false;
                break;
            }
        }
    }
    s.finish();
    return (Datum)0;
}


TS_FUNCTION(ts_diff) {
    std::string name = arg_store(fcinfo, 0);
    std::string from = arg_text(fcinfo, 1, "from_rev");
    std::string to = arg_text(fcinfo, 2, "to_rev");
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    StatePtr a = materialize(s, st.id, resolve_revision(s, st, from));
    StatePtr b = materialize(s, st.id, resolve_revision(s, st, to));
    s.finish();
    return value_to_datum(tscore::json_diff(*a, *b));
}
