// fn_analysis.cpp — history analysis on the history index: ts_path_history,
// ts_blame, ts_stats, ts_path_stats (and the index's maintenance and test
// counters). None of them reads a state to find out which versions changed
// a path: the index says (history_index.hpp); states are read only for the
// values shown and to settle an inexact row.
#include <unordered_map>
#include <unordered_set>

#include "pg/args.hpp"
#include "pg/error_bridge.hpp"
#include "pg/history_index.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/refs.hpp"
#include "pg/srf.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
}

using namespace tspg;

namespace {

Datum path_datum(const tscore::Path &p) {
    std::vector<Datum> items;
    for (const std::string &k : p) items.push_back(string_to_text(k));
    return pg_guard([&] {
        return PointerGetDatum(construct_array(items.data(), (int)items.size(), TEXTOID, -1, false, TYPALIGN_INT));
    });
}

// One version's log record (branch name included), cached by version.
class Records {
public:
    Records(Session &s, int64_t store_id) : s_(s), store_id_(store_id) {}
    const VersionRecord &get(int64_t version) {
        auto it = map_.find(version);
        if (it != map_.end()) return it->second;
        if (map_.size() >= 1024) map_.clear();
        std::vector<VersionRecord> page = storage::versions_page(s_, store_id_, version, 1);
        if (page.empty() || page[0].version != version)
            ts_error(ERRCODE_DATA_CORRUPTED, "version " + std::to_string(version) + " is missing");
        return map_.emplace(version, std::move(page[0])).first->second;
    }

private:
    Session &s_;
    int64_t store_id_;
    std::unordered_map<int64_t, VersionRecord> map_;
};

}  // namespace

TS_FUNCTION(ts_path_history) {
    std::string name = arg_store(fcinfo, 0);
    if (PG_ARGISNULL(1)) ts_error(ERRCODE_NULL_VALUE_NOT_ALLOWED, "path must not be NULL");
    tscore::Path path = path_argument(PG_GETARG_DATUM(1), "path");
    std::optional<std::string> branch = arg_opt_text(fcinfo, 2);
    index_reads() = IndexReads{};

    SetResult result(fcinfo);
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    BranchRecord b = resolve_branch(s, st, branch);
    std::vector<storage::PathCandidate> cands = storage::path_candidates(s, st.id, path, b.head);
    index_reads().candidates = (int64_t)cands.size();
    Reach reach(s, st.id, b.head, false);
    StateReader states(s, st.id);
    Records records(s, st.id);
    for (const storage::PathCandidate &c : cands) {
        check_interrupts();
        if (!reach.contains(c.version)) continue;
        const VersionRecord &v = records.get(c.version);
        std::optional<tscore::Value> old_value, new_value;
        std::optional<bool> changed = changed_at(states, v, path, &old_value, &new_value);
        // A compacted version: the index says (possibly) changed; the
        // values cannot be read.
        if (changed && !*changed) continue;
        result.begin_row();
        Datum values[6];
        bool nulls[6] = {false, false, false, false, !old_value, !new_value};
        values[0] = Int64GetDatum(v.version);
        values[1] = TimestampTzGetDatum(v.committed_at);
        values[2] = string_to_text(v.author);
        if (v.message) values[3] = string_to_text(*v.message);
        else nulls[3] = true;
        if (old_value) values[4] = value_to_datum(*old_value);
        if (new_value) values[5] = value_to_datum(*new_value);
        result.add(values, nulls);
    }
    s.finish();
    return (Datum)0;
}

TS_FUNCTION(ts_blame) {
    std::string name = arg_store(fcinfo, 0);
    std::optional<std::string> rev = arg_opt_text(fcinfo, 1);
    index_reads() = IndexReads{};

    SetResult result(fcinfo);
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    int64_t at = rev ? resolve_revision(s, st, *rev) : resolve_branch(s, st, std::nullopt).head;
    StatePtr state = materialize(s, st.id, at);
    StateReader states(s, st.id);
    Records records(s, st.id);
    // First-parent chains, by their start (a merge's second parent starts
    // another); each is walked down once, however many leaves ask.
    std::unordered_map<int64_t, std::unique_ptr<Reach>> chains;
    auto chain = [&](int64_t start) -> Reach & {
        std::unique_ptr<Reach> &r = chains[start];
        if (!r) r = std::make_unique<Reach>(s, st.id, start, true);
        return *r;
    };
    std::vector<std::pair<tscore::Path, const tscore::Value *>> leaves;
    tscore::for_each_leaf(*state, [&](const tscore::Path &p, const tscore::Value &v) {
        check_interrupts();
        leaves.emplace_back(p, &v);
    });
    for (const auto &[path, value] : leaves) {
        int64_t start = at;
        int64_t blamed = 0;
        for (;;) {
            std::vector<storage::PathCandidate> cands = storage::path_candidates(s, st.id, path, start);
            index_reads().candidates += (int64_t)cands.size();
            Reach &fp = chain(start);
            std::optional<int64_t> found;
            for (const storage::PathCandidate &c : cands) {
                check_interrupts();
                if (!fp.contains(c.version)) continue;
                if (!c.certain) {
                    // The value at the path is `value` from here up to
                    // `start`; did the first parent hold another?
                    const VersionRecord &v = records.get(c.version);
                    if (v.first_parent) {
                        StatePtr before = states.get(*v.first_parent);
                        if (before) {
                            const tscore::Value *old = tscore::value_at(*before, path);
                            if (old && *old == *value) continue;
                        }
                    }
                }
                found = c.version;
                break;
            }
            if (!found) {
                // No version on the chain changed it (an index with gaps):
                // the chain's root holds it.
                found = fp.all().back().first;
            }
            const VersionRecord &v = records.get(*found);
            if (v.merge_parent) {
                // A value the merge brought from its second parent is
                // blamed there (git passes blame to a parent holding it).
                StatePtr other = states.get(*v.merge_parent);
                if (other) {
                    const tscore::Value *there = tscore::value_at(*other, path);
                    if (there && *there == *value) {
                        start = *v.merge_parent;
                        continue;
                    }
                }
            }
            blamed = *found;
            break;
        }
        const VersionRecord &v = records.get(blamed);
        result.begin_row();
        Datum values[5];
        bool nulls[5] = {false, false, false, false, false};
        values[0] = path_datum(path);
        values[1] = value_to_datum(*value);
        values[2] = Int64GetDatum(v.version);
        values[3] = string_to_text(v.author);
        values[4] = TimestampTzGetDatum(v.committed_at);
        result.add(values, nulls);
    }
    s.finish();
    return (Datum)0;
}

TS_FUNCTION(ts_stats) {
    std::string name = arg_store(fcinfo, 0);
    std::optional<std::string> branch = arg_opt_text(fcinfo, 1);
    index_reads() = IndexReads{};
    SetResult result(fcinfo);
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    BranchRecord b = resolve_branch(s, st, branch);
    storage::VersionRanges ranges = Reach(s, st.id, b.head, false).all();
    std::vector<storage::AuthorStats> stats = storage::author_stats(s, st.id, ranges);
    for (const storage::AuthorStats &a : stats) {
        result.begin_row();
        Datum values[7];
        bool nulls[7] = {false, false, false, false, false, a.commits < 2, false};
        values[0] = string_to_text(a.author);
        values[1] = Int64GetDatum(a.commits);
        values[2] = TimestampTzGetDatum(a.first);
        values[3] = TimestampTzGetDatum(a.last);
        values[4] = Int64GetDatum(a.paths);
        if (a.commits >= 2) {
            Interval *iv = pg_guard([] { return (Interval *)palloc0(sizeof(Interval)); });
            iv->time = (a.last - a.first) / (a.commits - 1);
            values[5] = IntervalPGetDatum(iv);
        }
        int busiest = 0;
        for (int h = 1; h < 24; h++)
            if (a.hours[h] > a.hours[busiest]) busiest = h;
        values[6] = Int32GetDatum(busiest);
        result.add(values, nulls);
    }
    s.finish();
    return (Datum)0;
}

TS_FUNCTION(ts_path_stats) {
    std::string name = arg_store(fcinfo, 0);
    std::optional<std::string> branch = arg_opt_text(fcinfo, 1);
    std::optional<int32_t> depth;
    if (!PG_ARGISNULL(2)) depth = PG_GETARG_INT32(2);
    if (depth && *depth < 0) ts_error(ERRCODE_INVALID_PARAMETER_VALUE, "depth must not be negative");
    index_reads() = IndexReads{};
    SetResult result(fcinfo);
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    BranchRecord b = resolve_branch(s, st, branch);
    storage::VersionRanges ranges = Reach(s, st.id, b.head, false).all();

    // Rows come by encoded path: paths sharing a cut prefix are adjacent.
    bool open = false;
    std::string group;  // the cut path, encoded
    std::unordered_set<int64_t> versions;
    std::unordered_set<std::string> authors;
    TimestampTz last = 0;
    auto flush = [&] {
        if (!open) return;
        result.begin_row();
        Datum values[4];
        bool nulls[4] = {false, false, false, false};
        values[0] = path_datum(tscore::decode_path(group));
        values[1] = Int64GetDatum((int64_t)versions.size());
        values[2] = Int64GetDatum((int64_t)authors.size());
        values[3] = TimestampTzGetDatum(last);
        result.add(values, nulls);
        versions.clear();
        authors.clear();
        last = 0;
    };
    storage::for_each_path_row(s, st.id, ranges,
                               [&](const std::string &enc, int64_t version, const std::string &author, TimestampTz t) {
                                   std::string cut = enc;
                                   if (depth) {
                                       tscore::Path p = tscore::decode_path(enc);
                                       if (p.size() > (size_t)*depth) p.resize(*depth);
                                       cut = tscore::encode_path(p);
                                   }
                                   if (!open || cut != group) {
                                       flush();
                                       group = cut;
                                       open = true;
                                   }
                                   versions.insert(version);
                                   authors.insert(author);
                                   last = std::max(last, t);
                               });
    flush();
    s.finish();
    return (Datum)0;
}

TS_FUNCTION(ts_internal_rebuild_history_index) {
    std::optional<int64_t> only = arg_opt_i64(fcinfo, 0);
    Session s(false);
    int64_t n = 0;
    std::vector<int64_t> ids = only ? std::vector<int64_t>{*only} : storage::all_store_ids(s);
    for (int64_t id : ids) n += rebuild_history_index(s, id);
    s.finish();
    PG_RETURN_INT64(n);
}

TS_FUNCTION(ts_internal_history_index_reads) {
    const IndexReads &r = index_reads();
    tscore::Value o = tscore::Value::object();
    o.set("candidates", tscore::Value::number(std::to_string(r.candidates)));
    o.set("runs", tscore::Value::number(std::to_string(r.runs)));
    o.set("states", tscore::Value::number(std::to_string(r.states)));
    return value_to_datum(o);
}
