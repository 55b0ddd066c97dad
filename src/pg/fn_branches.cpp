// fn_branches.cpp — branches and tags: ts_branch, ts_branches,
// ts_drop_branch, ts_rename_branch, ts_reset, ts_tag, ts_tags, ts_drop_tag.
#include "core/revision.hpp"
#include "pg/ancestry.hpp"
#include "pg/args.hpp"
#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/refs.hpp"
#include "pg/srf.hpp"
#include "pg/write_path.hpp"

using namespace tspg;

namespace {

// Branches and tags share one namespace within a store.
void require_free_name(Session &s, const StoreRecord &st, const std::string &name) {
    if (storage::find_branch(s, st.id, name))
        ts_error(ERRCODE_DUPLICATE_OBJECT, "branch \"" + name + "\" already exists");
    if (storage::find_tag(s, st.id, name))
        ts_error(ERRCODE_DUPLICATE_OBJECT, "tag \"" + name + "\" already exists",
                 "Branches and tags share one namespace within a store.");
}

BranchRecord existing_branch(Session &s, const StoreRecord &st, const std::string &name) {
    std::optional<BranchRecord> b = storage::find_branch(s, st.id, name);
    if (!b) ts_error(ERRCODE_UNDEFINED_OBJECT, "branch \"" + name + "\" does not exist");
    return *b;
}

tscore::Value json_num(int64_t v) { return tscore::Value::number(std::to_string(v)); }
tscore::Value json_str(const std::string &s) { return tscore::Value::string(s); }

}  // namespace

TS_FUNCTION(ts_branch) {
    std::string store = arg_store(fcinfo, 0);
    std::string name = arg_text(fcinfo, 1, "name");
    std::optional<std::string> from_rev = arg_opt_text(fcinfo, 2);
    tscore::validate_ref_name(name, "branch");
    Session s(false);
    StoreRecord st = storage::get_store(s, store, Privilege::Write);
    st = storage::lock_store(s, st.id);
    require_free_name(s, st, name);
    int64_t from = from_rev ? resolve_revision(s, st, *from_rev) : resolve_branch(s, st, std::nullopt).head;
    BranchRecord b;
    b.id = st.next_branch++;
    b.name = name;
    b.head = from;
    b.created_from = from;
    EventRecord e;
    e.event_type = "BranchCreated";
    e.version = from;
    e.branch_id = b.id;
    e.payload = tscore::Value::object();
    e.payload.set("branch", json_str(name));
    e.payload.set("from", json_num(from));
    e.committed_at = next_commit_time(st);
    b.created_at = e.committed_at;
    storage::insert_branch(s, st.id, b, st.last_seq + 1);
    storage::save_next_branch(s, st);
    append_event(s, st, std::move(e));
    s.finish();
    PG_RETURN_INT64(from);
}

TS_FUNCTION(ts_branches) {
    std::string store = arg_store(fcinfo, 0);
    Session s(true);
    StoreRecord st = storage::get_store(s, store, Privilege::Read);
    std::vector<BranchRecord> branches = storage::list_branches(s, st.id);
    std::optional<BranchRecord> main = storage::find_branch(s, st.id, "main");
    std::vector<Divergence> div;
    for (const BranchRecord &b : branches) div.push_back(diverge(s, st.id, b.head, main ? main->head : b.head));
    s.finish();
    SetResult out(fcinfo);
    for (size_t i = 0; i < branches.size(); i++) {
        Datum values[6];
        bool nulls[6] = {false, false, false, false, false, false};
        values[0] = string_to_text(branches[i].name);
        values[1] = Int64GetDatum(branches[i].head);
        values[2] = TimestampTzGetDatum(branches[i].created_at);
        values[3] = Int64GetDatum(branches[i].created_from);
        values[4] = Int64GetDatum(div[i].ahead);
        values[5] = Int64GetDatum(div[i].behind);
        out.add(values, nulls);
    }
    return (Datum)0;
}

TS_FUNCTION(ts_drop_branch) {
    std::string store = arg_store(fcinfo, 0);
    std::string name = arg_text(fcinfo, 1, "name");
    Session s(false);
    StoreRecord st = storage::get_store(s, store, Privilege::Write);
    st = storage::lock_store(s, st.id);
    BranchRecord b = existing_branch(s, st, name);
    if (b.id == 1)
        ts_error(ERRCODE_INVALID_PARAMETER_VALUE, "cannot drop branch \"main\"",
                 "Every store keeps its main branch.");
    EventRecord e;
    e.event_type = "BranchDropped";
    e.version = b.head;
    e.branch_id = b.id;
    e.payload = tscore::Value::object();
    e.payload.set("branch", json_str(name));
    e.payload.set("head", json_num(b.head));
    append_event(s, st, std::move(e));
    storage::mark_branch_dropped(s, st.id, b.id, st.last_at);
    s.finish();
    PG_RETURN_VOID();
}

TS_FUNCTION(ts_rename_branch) {
    std::string store = arg_store(fcinfo, 0);
    std::string name = arg_text(fcinfo, 1, "name");
    std::string new_name = arg_text(fcinfo, 2, "new_name");
    tscore::validate_ref_name(new_name, "branch");
    Session s(false);
    StoreRecord st = storage::get_store(s, store, Privilege::Write);
    st = storage::lock_store(s, st.id);
    BranchRecord b = existing_branch(s, st, name);
    if (b.id == 1)
        ts_error(ERRCODE_INVALID_PARAMETER_VALUE, "cannot rename branch \"main\"",
                 "Functions whose branch argument is NULL fall back to main.");
    require_free_name(s, st, new_name);
    storage::set_branch_name(s, st.id, b.id, new_name);
    EventRecord e;
    e.event_type = "BranchRenamed";
    e.version = b.head;
    e.branch_id = b.id;
    e.payload = tscore::Value::object();
    e.payload.set("from", json_str(name));
    e.payload.set("to", json_str(new_name));
    append_event(s, st, std::move(e));
    s.finish();
    PG_RETURN_VOID();
}

TS_FUNCTION(ts_reset) {
    std::string store = arg_store(fcinfo, 0);
    std::string name = arg_text(fcinfo, 1, "branch");
    std::string rev = arg_text(fcinfo, 2, "rev");
    std::optional<std::string> message = arg_opt_text(fcinfo, 3);
    Session s(false);
    StoreRecord st = storage::get_store(s, store, Privilege::Admin);
    st = storage::lock_store(s, st.id);
    BranchRecord b = existing_branch(s, st, name);
    int64_t to = resolve_revision(s, st, rev);
    EventRecord e;
    e.event_type = "BranchReset";
    e.version = to;
    e.branch_id = b.id;
    e.message = message;
    e.payload = tscore::Value::object();
    e.payload.set("branch", json_str(name));
    e.payload.set("from", json_num(b.head));
    e.payload.set("to", json_num(to));
    storage::move_branch_head(s, st.id, b.id, to, st.last_seq + 1);
    append_event(s, st, std::move(e));
    s.finish();
    PG_RETURN_INT64(to);
}

TS_FUNCTION(ts_tag) {
    std::string store = arg_store(fcinfo, 0);
    std::string name = arg_text(fcinfo, 1, "name");
    std::optional<std::string> rev = arg_opt_text(fcinfo, 2);
    std::optional<std::string> message = arg_opt_text(fcinfo, 3);
    tscore::validate_ref_name(name, "tag");
    Session s(false);
    StoreRecord st = storage::get_store(s, store, Privilege::Write);
    st = storage::lock_store(s, st.id);
    require_free_name(s, st, name);
    int64_t v = rev ? resolve_revision(s, st, *rev) : resolve_branch(s, st, std::nullopt).head;
    EventRecord e;
    e.event_type = "TagCreated";
    e.version = v;
    e.message = message;
    e.payload = tscore::Value::object();
    e.payload.set("tag", json_str(name));
    e.payload.set("version", json_num(v));
    e.committed_at = next_commit_time(st);
    storage::insert_tag(s, st.id, storage::TagRecord{name, v, e.committed_at, s.caller_name(), message});
    append_event(s, st, std::move(e));
    s.finish();
    PG_RETURN_INT64(v);
}

TS_FUNCTION(ts_tags) {
    std::string store = arg_store(fcinfo, 0);
    Session s(true);
    StoreRecord st = storage::get_store(s, store, Privilege::Read);
    std::vector<storage::TagRecord> tags = storage::list_tags(s, st.id);
    s.finish();
    SetResult out(fcinfo);
    for (const storage::TagRecord &t : tags) {
        Datum values[5];
        bool nulls[5] = {false, false, false, false, false};
        values[0] = string_to_text(t.name);
        values[1] = Int64GetDatum(t.version);
        values[2] = TimestampTzGetDatum(t.created_at);
        values[3] = string_to_text(t.author);
        if (t.message) values[4] = string_to_text(*t.message);
        else nulls[4] = true;
        out.add(values, nulls);
    }
    return (Datum)0;
}

TS_FUNCTION(ts_drop_tag) {
    std::string store = arg_store(fcinfo, 0);
    std::string name = arg_text(fcinfo, 1, "name");
    Session s(false);
    StoreRecord st = storage::get_store(s, store, Privilege::Write);
    st = storage::lock_store(s, st.id);
    std::optional<int64_t> v = storage::find_tag(s, st.id, name);
    if (!v) ts_error(ERRCODE_UNDEFINED_OBJECT, "tag \"" + name + "\" does not exist");
    storage::delete_tag(s, st.id, name);
    EventRecord e;
    e.event_type = "TagDropped";
    e.version = *v;
    e.payload = tscore::Value::object();
    e.payload.set("tag", json_str(name));
    e.payload.set("version", json_num(*v));
    append_event(s, st, std::move(e));
    s.finish();
    PG_RETURN_VOID();
}
