// fn_events.cpp — ts_events: a store's event stream, payloads decoded.
#include "core/payload_codec.hpp"
#include "pg/args.hpp"
#include "pg/error_bridge.hpp"
#include "pg/event_stream.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/read_path.hpp"
#include "pg/srf.hpp"
#include "pg/state_payload.hpp"
#include "pg/storage.hpp"

using namespace tspg;

namespace {

// A version payload as users see it: its encoding and its body.
tscore::Value describe_payload(const std::string &bytes) {
    tscore::DecodedPayload p = decode_for_state(bytes);
    bool full = is_full_state(p);
    bool compressed = p.compression != tscore::Compression::None;
    if (full) p.body = state_value(std::move(p));  // a large state may be kept as jsonb
    tscore::Value out = tscore::Value::object();
    const char *encoding = full                                        ? "full"
                           : p.kind == tscore::PayloadKind::JsonPatch ? "json_patch"
                           : p.kind == tscore::PayloadKind::MergePatch ? "merge_patch"
                                                                       : "document";
    out.set("encoding", tscore::Value::string(encoding));
    out.set("compressed", tscore::Value::boolean(compressed));
    out.set(full ? "state" : "patch", std::move(p.body));
    return out;
}

}  // namespace

// Streams: pages of versions and of events merged in seq order, each row
// built in a per-row memory context, so memory stays flat however long
// the history.
TS_FUNCTION(ts_events) {
    std::string name = arg_store(fcinfo, 0);
    int64_t after = PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1);
    SetResult result(fcinfo);
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    for_each_stream_item(s, st.id, after, [&](const storage::StreamItem &it) {
        result.begin_row();
        Datum values[10];
        bool nulls[10] = {false, false, false, false, false, false, false, false, false, false};
        if (it.is_version) {
            const VersionRecord &v = it.version;
            values[0] = Int64GetDatum(v.seq);
            values[1] = string_to_text(version_event_name(v.event_type));
            values[2] = Int64GetDatum(v.version);
            values[3] = string_to_text(v.branch_name);
            values[4] = int8_array(v.parents());
            values[5] = string_to_text(v.author);
            if (v.message) values[6] = string_to_text(*v.message);
            else nulls[6] = true;
            values[7] = value_to_datum(v.metadata);
            values[8] = TimestampTzGetDatum(v.committed_at);
            if (it.payload)
                values[9] = value_to_datum(
                    reading_stored(s, st.id, v.version, [&] { return describe_payload(*it.payload); }));
            else nulls[9] = true;
        } else {
            const EventRecord &e = it.event;
            values[0] = Int64GetDatum(e.seq);
            values[1] = string_to_text(e.event_type);
            if (e.version) values[2] = Int64GetDatum(*e.version);
            else nulls[2] = true;
            if (e.branch_id) values[3] = string_to_text(e.branch_name);
            else nulls[3] = true;
            nulls[4] = true;
            values[5] = string_to_text(e.author);
            if (e.message) values[6] = string_to_text(*e.message);
            else nulls[6] = true;
            values[7] = value_to_datum(e.metadata);
            values[8] = TimestampTzGetDatum(e.committed_at);
            if (e.payload.is_null()) nulls[9] = true;
            else values[9] = value_to_datum(e.payload);
        }
        result.add(values, nulls);
    });
    s.finish();
    return (Datum)0;
}
