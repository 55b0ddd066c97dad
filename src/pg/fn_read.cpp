// fn_read.cpp — ts_head, ts_as_of, ts_resolve, ts_step, ts_version.
#include "pg/args.hpp"
#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/read_path.hpp"
#include "pg/refs.hpp"
#include "pg/srf.hpp"

using namespace tspg;

namespace {

// Reads one version's state and returns it as jsonb.
Datum state_datum(Session &s, const StoreRecord &st, int64_t version) {
    JsonbBytes state = materialize_jsonb(s, st.id, version);
    s.finish();
    return jsonb_bytes_datum(state);
}

}  // namespace

TS_FUNCTION(ts_head) {
    std::string name = arg_store(fcinfo, 0);
    std::optional<std::string> branch = arg_opt_text(fcinfo, 1);
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    BranchRecord b = resolve_branch(s, st, branch);
    return state_datum(s, st, b.head);
}

TS_FUNCTION(ts_as_of_version) {
    std::string name = arg_store(fcinfo, 0);
    int64_t v = arg_i64(fcinfo, 1, "version");
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    return state_datum(s, st, v);  // an unknown version is 42704 there
}

TS_FUNCTION(ts_as_of_time) {
    std::string name = arg_store(fcinfo, 0);
    TimestampTz at = arg_timestamptz(fcinfo, 1, "at");
    std::optional<std::string> branch = arg_opt_text(fcinfo, 2);
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    BranchRecord b = resolve_branch(s, st, branch);
    std::optional<int64_t> v = storage::branch_head_at(s, st.id, b.id, at);
    if (!v) {
        s.finish();
        PG_RETURN_NULL();
    }
    return state_datum(s, st, *v);
}

TS_FUNCTION(ts_as_of_rev) {
    std::string name = arg_store(fcinfo, 0);
    std::string rev = arg_text(fcinfo, 1, "rev");
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    return state_datum(s, st, resolve_revision(s, st, rev));
}

TS_FUNCTION(ts_resolve) {
    std::string name = arg_store(fcinfo, 0);
    std::string rev = arg_text(fcinfo, 1, "rev");
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    int64_t v = resolve_revision(s, st, rev);
    s.finish();
    PG_RETURN_INT64(v);
}

TS_FUNCTION(ts_step) {
    std::string name = arg_store(fcinfo, 0);
    std::string rev = arg_text(fcinfo, 1, "rev");
    int32_t n = arg_i32(fcinfo, 2, "n");
    std::optional<std::string> branch = arg_opt_text(fcinfo, 3);
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    int64_t from = resolve_revision(s, st, rev);
    int64_t result;
    if (n <= 0) {
        result = first_parent_steps(s, st, from, -(int64_t)n);
    } else {
        // Forward: the branch's first-parent chain from its head back to
        // `from`, then n steps toward the head.
        BranchRecord b = resolve_branch(s, st, branch);
        std::vector<int64_t> chain{b.head};
        while (chain.back() != from) {
            check_interrupts();
            ReadLink l = storage::read_link(s, st.id, chain.back());
            if (!l.first_parent)
                ts_error(ERRCODE_UNDEFINED_OBJECT,
                         "version " + std::to_string(from) + " is not on the first-parent chain of branch \"" +
                             b.name + "\"",
                         "ts_step goes forward only along the branch's first parents.");
            chain.push_back(*l.first_parent);
        }
        if ((size_t)n >= chain.size())
            ts_error(ERRCODE_UNDEFINED_OBJECT,
                     "cannot step " + std::to_string(n) + (n == 1 ? " version" : " versions") +
                         " forward from version " + std::to_string(from),
                     "Branch \"" + b.name + "\" has its head " + std::to_string(chain.size() - 1) +
                         " steps ahead, at version " + std::to_string(b.head) + ".");
        result = chain[chain.size() - 1 - n];
    }
    s.finish();
    PG_RETURN_INT64(result);
}

TS_FUNCTION(ts_version) {
    std::string name = arg_store(fcinfo, 0);
    std::string rev = arg_text(fcinfo, 1, "rev");
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    int64_t v = resolve_revision(s, st, rev);
    VersionRecord rec = *storage::find_version(s, st.id, v);
    s.finish();

    TupleDesc desc;
    pg_guard([&] {
        if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
            elog(ERROR, "return type must be a row type");
        BlessTupleDesc(desc);
    });
    Datum values[9];
    bool nulls[9] = {false, false, false, false, false, false, false, false, false};
    values[0] = Int64GetDatum(rec.version);
    values[1] = int8_array(rec.parents());
    values[2] = string_to_text(rec.branch_name);
    values[3] = string_to_text(rec.author);
    if (rec.message) values[4] = string_to_text(*rec.message);
    else nulls[4] = true;
    values[5] = value_to_datum(rec.metadata);
    values[6] = TimestampTzGetDatum(rec.committed_at);
    values[7] = string_to_text(version_event_name(rec.event_type));
    values[8] = bytea_datum(rec.hash);
    HeapTuple tuple = pg_guard([&] { return heap_form_tuple(desc, values, nulls); });
    return HeapTupleGetDatum(tuple);
}

// ts_internal.jsonb_replays(): how often this backend replayed a chain on
// jsonb, and how often such a replay gave way to the tree (tests show with
// it which lane a read took).
TS_FUNCTION(ts_internal_jsonb_replays) {
    ReplayCounts c = replay_counts();
    tscore::Value out = tscore::Value::object();
    out.set("replays", tscore::Value::number(std::to_string(c.jsonb_replays)));
    out.set("fallbacks", tscore::Value::number(std::to_string(c.jsonb_fallbacks)));
    return value_to_datum(out);
}
