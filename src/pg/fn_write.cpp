// fn_write.cpp — ts_commit, ts_patch, ts_restore: new versions on a branch.
#include "core/json_patch.hpp"
#include "core/path_index.hpp"
#include "pg/args.hpp"
#include "pg/error_bridge.hpp"
#include "pg/read_path.hpp"
#include "pg/refs.hpp"
#include "pg/write_path.hpp"

using namespace tspg;

namespace {

// Arguments 2..5 of every writing function: message, metadata, branch,
// expected_head.
WriteOptions write_options(FunctionCallInfo fcinfo, int first) {
    WriteOptions o;
    o.message = arg_opt_text(fcinfo, first);
    o.metadata = arg_json_or(fcinfo, first + 1, tscore::Value::object());
    o.branch = arg_opt_text(fcinfo, first + 2);
    o.expected_head = arg_opt_i64(fcinfo, first + 3);
    return o;
}

// The locked store and target branch of a write.
struct WriteTarget {
    StoreRecord store;
    BranchRecord branch;
};

WriteTarget begin_write(Session &s, const std::string &name, const WriteOptions &opt) {
    WriteTarget t;
    t.store = storage::get_store(s, name, Privilege::Write);
    std::string branch = branch_name_for(t.store, opt.branch);
    std::optional<BranchRecord> b;
    t.store = storage::lock_for_write(s, t.store.id, branch, b);
    if (!b) missing_branch(t.store, branch, opt.branch.has_value());
    t.branch = std::move(*b);
    check_expected_head(t.branch, opt.expected_head);
    return t;
}

}  // namespace

TS_FUNCTION(ts_commit) {
    std::string name = arg_store(fcinfo, 0);
    NewVersion nv;
    nv.jsonb = arg_jsonb(fcinfo, 1, "state");
    WriteOptions opt = write_options(fcinfo, 2);
    Session s(false);
    WriteTarget t = begin_write(s, name, opt);
    int64_t v = append_version(s, t.store, t.branch, std::move(nv), opt);
    s.finish();
    PG_RETURN_INT64(v);
}

TS_FUNCTION(ts_patch) {
    std::string name = arg_store(fcinfo, 0);
    tscore::Value patch = arg_json(fcinfo, 1, "patch");
    WriteOptions opt = write_options(fcinfo, 2);
    Session s(false);
    WriteTarget t = begin_write(s, name, opt);
    tscore::Value head = take_state(s, t.store.id, t.branch.head, t.branch.head_info->hash);
    NewVersion nv;
    nv.merge_patch = !patch.is_array();
    tscore::CapturedRoots roots = tscore::capture_patch_roots(head, patch, nv.merge_patch);
    nv.state = nv.merge_patch ? tscore::apply_merge_patch(std::move(head), patch)
                              : tscore::apply_json_patch(std::move(head), patch);
    nv.patch = &patch;
    nv.path_rows = tscore::rows_from_captured(roots, nv.state);
    int64_t v = append_version(s, t.store, t.branch, std::move(nv), opt);
    s.finish();
    PG_RETURN_INT64(v);
}

TS_FUNCTION(ts_restore) {
    std::string name = arg_store(fcinfo, 0);
    std::string rev = arg_text(fcinfo, 1, "rev");
    WriteOptions opt = write_options(fcinfo, 2);
    Session s(false);
    WriteTarget t = begin_write(s, name, opt);
    NewVersion nv;
    nv.state = *materialize(s, t.store.id, resolve_revision(s, t.store, rev));
    int64_t v = append_version(s, t.store, t.branch, std::move(nv), opt);
    s.finish();
    PG_RETURN_INT64(v);
}
