// fn_stores.cpp — ts_create, ts_drop, ts_stores.
#include "core/revision.hpp"
#include "pg/args.hpp"
#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/srf.hpp"
#include "pg/store_type.hpp"
#include "pg/write_path.hpp"

using namespace tspg;

TS_FUNCTION(ts_create) {
    std::string name = arg_text(fcinfo, 0, "name");
    tscore::validate_store_name(name);
    NewVersion nv;
    nv.state = arg_json_or(fcinfo, 1, tscore::Value::object());
    nv.event_type = kStateCreated;
    WriteOptions opt;
    opt.message = arg_opt_text(fcinfo, 2);
    opt.metadata = arg_json_or(fcinfo, 3, tscore::Value::object());

    Session s(false);
    // Concurrent creates of one name queue here, so the later one sees the
    // earlier one's store (42710) rather than a unique-index violation.
    storage::lock_store_name(s, name);
    if (storage::find_store(s, name))
        ts_error(ERRCODE_DUPLICATE_OBJECT, "store \"" + name + "\" already exists");
    TimestampTz now = GetCurrentTimestamp();
    StoreRecord st;
    st.id = storage::insert_store(s, name, s.caller_name(), now);
    st = storage::lock_store(s, st.id);
    nv.at = now;  // version 1 is committed at the creation time
    BranchRecord main;
    main.id = 1;
    main.name = "main";
    main.head = 1;
    main.created_from = 1;
    main.created_at = now;
    storage::insert_branch(s, st.id, main, 0);
    append_version(s, st, main, std::move(nv), opt);
    s.finish();
    return make_store_datum(name);
}

TS_FUNCTION(ts_drop) {
    std::string name = arg_store(fcinfo, 0);
    Session s(false);
    StoreRecord st = storage::get_store(s, name, Privilege::Admin);
    st = storage::lock_store(s, st.id);
    storage::delete_store_contents(s, st.id);
    EventRecord e;
    e.event_type = "StoreDropped";
    append_event(s, st, e);
    storage::mark_store_dropped(s, st.id, st.last_at);
    s.finish();
    PG_RETURN_VOID();
}

// Streams the stores the caller may read, each row in a per-row context;
// only those stores' sizes are computed.
TS_FUNCTION(ts_stores) {
    SetResult out(fcinfo);
    Session s(true);
    storage::for_each_store(s, [&](const StoreRecord &st) {
        if (!storage::has_privilege(s, st, Privilege::Read)) return;
        storage::StoreSummary r = storage::store_summary(s, st);
        out.begin_row();
        Datum values[7];
        bool nulls[7] = {false, false, false, false, false, false, false};
        values[0] = make_store_datum(r.store.name);
        values[1] = string_to_text(storage::owner_name(r.store));
        values[2] = TimestampTzGetDatum(r.store.created_at);
        values[3] = Int64GetDatum(r.versions);
        values[4] = Int64GetDatum(r.branches);
        values[5] = Int64GetDatum(r.head_version);
        values[6] = Int64GetDatum(r.bytes);
        out.add(values, nulls);
    });
    s.finish();
    return (Datum)0;
}
