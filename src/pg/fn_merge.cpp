// fn_merge.cpp — ts_merge, ts_merge_conflicts, ts_merge_base, ts_revert,
// ts_cherry_pick: everything built on the three-way merge.
#include "core/errors.hpp"
#include "core/merge3.hpp"
#include "pg/ancestry.hpp"
#include "pg/args.hpp"
#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/read_path.hpp"
#include "pg/refs.hpp"
#include "pg/srf.hpp"
#include "pg/write_path.hpp"

using namespace tspg;

namespace {

constexpr int kMergeConflict = MAKE_SQLSTATE('T', 'S', '0', '0', '1');

enum class Strategy { ThreeWay, Ours, Theirs, FastForward, NoFastForward };

Strategy parse_strategy(const std::string &s) {
    if (s == "three_way") return Strategy::ThreeWay;
    if (s == "ours") return Strategy::Ours;
    if (s == "theirs") return Strategy::Theirs;
    if (s == "fast_forward") return Strategy::FastForward;
    if (s == "no_ff") return Strategy::NoFastForward;
    ts_error(ERRCODE_INVALID_PARAMETER_VALUE, "unknown merge strategy \"" + s + "\"", {},
             "Use three_way, ours, theirs, fast_forward or no_ff.");
}

tscore::MergeStrategy core_strategy(Strategy s) {
    return s == Strategy::Ours ? tscore::MergeStrategy::Ours
           : s == Strategy::Theirs ? tscore::MergeStrategy::Theirs
                                   : tscore::MergeStrategy::ThreeWay;
}

// The state of the merge base of a and b. Several best bases (criss-cross
// histories) are merged into a virtual base first, as git's recursive
// strategy does; conflicts between bases keep the newest base's value.
tscore::Value base_state(Session &s, int64_t store_id, int64_t a, int64_t b, int depth = 0) {
    std::vector<int64_t> bases = diverge(s, store_id, a, b).bases;
    if (bases.empty())
        ts_error(ERRCODE_DATA_CORRUPTED, "versions " + std::to_string(a) + " and " + std::to_string(b) +
                                             " have no common ancestor");
    tscore::Value acc = *materialize(s, store_id, bases[0]);
    for (size_t i = 1; i < bases.size(); i++) {
        check_interrupts();
        tscore::Value vb = depth < 32 ? base_state(s, store_id, bases[0], bases[i], depth + 1)
                                      : *materialize(s, store_id, bases[i]);
        acc = tscore::merge3(vb, acc, *materialize(s, store_id, bases[i]), tscore::MergeStrategy::Ours).merged;
    }
    return acc;
}

[[noreturn]] void conflict_error(const std::vector<tscore::Conflict> &conflicts, const std::string &what) {
    ts_error(kMergeConflict, what + ": " + std::to_string(conflicts.size()) + " conflicting path" +
                                 (conflicts.size() == 1 ? "" : "s"),
             tscore::conflict_paths_json(conflicts),
             "Use ts_merge_conflicts to see them, then merge with strategy ours or theirs, or pass resolved.");
}

Datum path_array(const tscore::Path &path) {
    std::vector<Datum> d;
    for (const std::string &k : path) d.push_back(string_to_text(k));
    return pg_guard([&] {
        return PointerGetDatum(construct_array(d.data(), (int)d.size(), TEXTOID, -1, false, TYPALIGN_INT));
    });
}

// Applies the change that `rev` made (or undoes it) onto a branch.
Datum replay_change(FunctionCallInfo fcinfo, bool revert) {
    std::string name = arg_store(fcinfo, 0);
    std::string rev = arg_text(fcinfo, 1, "rev");
    WriteOptions opt;
    opt.message = arg_opt_text(fcinfo, 2);
    opt.metadata = arg_json_or(fcinfo, 3, tscore::Value::object());
    opt.branch = arg_opt_text(fcinfo, 4);
    opt.expected_head = arg_opt_i64(fcinfo, 5);
    Session s(false);
    StoreRecord st = storage::get_store(s, name, Privilege::Write);
    st = storage::lock_store(s, st.id);
    BranchRecord b = resolve_branch(s, st, opt.branch);
    check_expected_head(b, opt.expected_head);
    int64_t r = resolve_revision(s, st, rev);
    storage::GraphNode node = storage::graph_node(s, st.id, r);
    if (!node.first_parent)
        ts_error(ERRCODE_INVALID_PARAMETER_VALUE,
                 std::string("cannot ") + (revert ? "revert" : "cherry-pick") + " version " + std::to_string(r),
                 "It is the store's first version and has no parent to compare with.");
    StatePtr changed = materialize(s, st.id, r);
    StatePtr parent = materialize(s, st.id, *node.first_parent);
    StatePtr head = materialize(s, st.id, b.head);
    tscore::MergeResult m = revert ? tscore::merge3(*changed, *head, *parent, tscore::MergeStrategy::ThreeWay)
                                   : tscore::merge3(*parent, *head, *changed, tscore::MergeStrategy::ThreeWay);
    if (!m.conflicts.empty())
        conflict_error(m.conflicts, std::string(revert ? "revert" : "cherry-pick") + " of version " +
                                        std::to_string(r) + " conflicts");
    NewVersion nv;
    nv.state = std::move(m.merged);
    int64_t v = append_version(s, st, b, std::move(nv), opt);
    s.finish();
    PG_RETURN_INT64(v);
}

}  // namespace

TS_FUNCTION(ts_merge) {
    std::string name = arg_store(fcinfo, 0);
    std::string source = arg_text(fcinfo, 1, "source");
    std::optional<std::string> target = arg_opt_text(fcinfo, 2);
    Strategy strategy = parse_strategy(PG_ARGISNULL(3) ? "three_way" : text_to_string(PG_GETARG_DATUM(3)));
    WriteOptions opt;
    opt.message = arg_opt_text(fcinfo, 4);
    opt.metadata = arg_json_or(fcinfo, 5, tscore::Value::object());
    opt.expected_head = arg_opt_i64(fcinfo, 6);
    std::optional<tscore::Value> resolved;
    if (!PG_ARGISNULL(7)) resolved = datum_to_value(PG_GETARG_DATUM(7));

    Session s(false);
    StoreRecord st = storage::get_store(s, name, Privilege::Write);
    st = storage::lock_store(s, st.id);
    BranchRecord b = resolve_branch(s, st, target);
    check_expected_head(b, opt.expected_head);
    int64_t src = resolve_revision(s, st, source);
    int64_t head = b.head;
    int64_t result;
    if (is_ancestor(s, st.id, src, head)) {
        result = head;  // already merged: a no-op for every strategy
    } else if (strategy != Strategy::NoFastForward && is_ancestor(s, st.id, head, src)) {
        EventRecord e;
        e.event_type = "BranchMerged";
        e.version = src;
        e.branch_id = b.id;
        e.message = opt.message;
        e.metadata = opt.metadata;
        e.payload = tscore::Value::object();
        e.payload.set("source", tscore::Value::string(source));
        e.payload.set("from", tscore::Value::number(std::to_string(head)));
        e.payload.set("to", tscore::Value::number(std::to_string(src)));
        e.payload.set("fast_forward", tscore::Value::boolean(true));
        storage::move_branch_head(s, st.id, b.id, src, st.last_seq + 1);
        append_event(s, st, std::move(e));
        result = src;
    } else if (strategy == Strategy::FastForward) {
        ts_error(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                 "cannot fast-forward branch \"" + b.name + "\" to \"" + source + "\"",
                 "The branch has versions that \"" + source + "\" does not contain.",
                 "Use strategy three_way or no_ff to write a merge version.");
    } else {
        NewVersion nv;
        if (resolved) {
            nv.state = std::move(*resolved);
        } else {
            tscore::Value base = base_state(s, st.id, head, src);
            tscore::MergeResult m = tscore::merge3(base, *materialize(s, st.id, head), *materialize(s, st.id, src),
                                                   core_strategy(strategy));
            if (core_strategy(strategy) == tscore::MergeStrategy::ThreeWay && !m.conflicts.empty())
                conflict_error(m.conflicts, "merge of \"" + source + "\" into \"" + b.name + "\" conflicts");
            nv.state = std::move(m.merged);
        }
        nv.event_type = kBranchMerged;
        nv.merge_parent = src;
        result = append_version(s, st, b, std::move(nv), opt);
    }
    s.finish();
    PG_RETURN_INT64(result);
}

TS_FUNCTION(ts_merge_conflicts) {
    std::string name = arg_store(fcinfo, 0);
    std::string source = arg_text(fcinfo, 1, "source");
    std::optional<std::string> target = arg_opt_text(fcinfo, 2);
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    BranchRecord b = resolve_branch(s, st, target);
    int64_t src = resolve_revision(s, st, source);
    std::vector<tscore::Conflict> conflicts;
    if (!is_ancestor(s, st.id, src, b.head) && !is_ancestor(s, st.id, b.head, src)) {
        tscore::Value base = base_state(s, st.id, b.head, src);
        conflicts = tscore::merge3(base, *materialize(s, st.id, b.head), *materialize(s, st.id, src),
                                   tscore::MergeStrategy::ThreeWay)
                        .conflicts;
    }
    s.finish();
    SetResult out(fcinfo);
    for (const tscore::Conflict &c : conflicts) {
        Datum values[4];
        bool nulls[4] = {false, !c.base, !c.ours, !c.theirs};
        values[0] = path_array(c.path);
        if (c.base) values[1] = value_to_datum(*c.base);
        if (c.ours) values[2] = value_to_datum(*c.ours);
        if (c.theirs) values[3] = value_to_datum(*c.theirs);
        out.add(values, nulls);
    }
    return (Datum)0;
}

TS_FUNCTION(ts_merge_base) {
    std::string name = arg_store(fcinfo, 0);
    std::string a = arg_text(fcinfo, 1, "a");
    std::string b = arg_text(fcinfo, 2, "b");
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    std::vector<int64_t> bases = diverge(s, st.id, resolve_revision(s, st, a), resolve_revision(s, st, b)).bases;
    s.finish();
    if (bases.empty()) PG_RETURN_NULL();
    PG_RETURN_INT64(bases[0]);
}

TS_FUNCTION(ts_revert) { return replay_change(fcinfo, true); }
TS_FUNCTION(ts_cherry_pick) { return replay_change(fcinfo, false); }

// ts_internal.walk_visits(): versions read by this backend's last graph walk.
TS_FUNCTION(ts_internal_walk_visits) { PG_RETURN_INT64(last_walk_visits()); }
