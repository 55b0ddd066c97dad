// fn_write.cpp — ts_commit, ts_patch, ts_restore: new versions on a branch.
#include "core/json_patch.hpp"
#include "core/path_index.hpp"
#include "pg/args.hpp"
#include "pg/error_bridge.hpp"
#include "pg/history_index.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/jsonb_delta.hpp"
#include "pg/jsonb_replay.hpp"
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
    JsonbBytes head = remembered_jsonb(t.store.id, t.branch.head, t.branch.head_info->hash);
    if (!head) head = materialize_jsonb(s, t.store.id, t.branch.head);
    NewVersion nv;
    nv.merge_patch = !patch.is_array();
    nv.patch = &patch;
    // A JSON Patch is applied to the head's jsonb where it can be (only the
    // containers on its paths are opened); the new state stays jsonb, as
    // ts_commit's does. Otherwise, and when an operation fails there (the
    // tree then raises the error), on the head's tree.
    std::optional<std::string> next;
    if (!nv.merge_patch) {
        std::vector<tscore::DecodedPayload> ops;
        ops.push_back(tscore::DecodedPayload{tscore::PayloadKind::JsonPatch, tscore::Compression::None, patch, {}});
        if (jsonb_replayable((const Jsonb *)head->data(), ops)) next = replay_on_jsonb((const Jsonb *)head->data(), ops);
    }
    if (next) {
        nv.jsonb = (const Jsonb *)next->data();
        // The history index's rows from the two jsonb states (unchanged
        // subtrees compare by their bytes), before the head's entry goes.
        const Jsonb *after = nv.jsonb;
        if (std::optional<tscore::Value> d = jsonb_diff((const Jsonb *)head->data(), after, true))
            nv.path_rows = tscore::rows_from_diff(
                *d, [after](const tscore::Path &p) { return jsonb_array_length(after, p); });
    } else {
        tscore::Value tree = jsonb_to_value((const Jsonb *)head->data());
        tscore::CapturedRoots roots = tscore::capture_patch_roots(tree, patch, nv.merge_patch);
        nv.state = nv.merge_patch ? tscore::apply_merge_patch(std::move(tree), patch)
                                  : tscore::apply_json_patch(std::move(tree), patch);
        nv.path_rows = tscore::rows_from_captured(roots, nv.state);
    }
    // The parent is superseded: its entry goes (as the tree it used to be
    // was taken out of the cache), and the new state's can reuse its memory.
    head = JsonbBytes();
    forget_state(t.store.id, t.branch.head);
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
