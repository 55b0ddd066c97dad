// fn_changes.cpp — ts_changes: the database-wide change feed.
#include <unordered_map>

#include "pg/args.hpp"
#include "pg/change_feed.hpp"
#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/srf.hpp"
#include "pg/store_type.hpp"
#include "pg/storage.hpp"

using namespace tspg;

// Every change (version or event) of every store the caller may read,
// with after_id < change_id < the feed's horizon (change_feed.hpp), in
// change_id order, at most max_count rows. VOLATILE: each page is read
// with a snapshot taken after the horizon.
TS_FUNCTION(ts_changes) {
    int64_t after = PG_ARGISNULL(0) ? 0 : PG_GETARG_INT64(0);
    int64_t max_count = PG_ARGISNULL(1) ? 1000 : PG_GETARG_INT32(1);
    if (max_count < 0) ts_error(ERRCODE_INVALID_PARAMETER_VALUE, "max_count must not be negative");
    SetResult out(fcinfo);
    Session s(false);
    int64_t below = change_feed::horizon();
    // Stores seen so far: their name if the caller may read them.
    std::unordered_map<int64_t, std::optional<std::string>> readable;
    auto name_if_readable = [&](int64_t store_id) -> const std::optional<std::string> & {
        auto it = readable.find(store_id);
        if (it != readable.end()) return it->second;
        std::optional<std::string> name;
        std::optional<StoreRecord> st = storage::store_any_by_id(s, store_id);
        if (st && storage::has_privilege(s, *st, Privilege::Read)) name = st->name;
        return readable.emplace(store_id, std::move(name)).first->second;
    };
    constexpr int64_t kPage = 256;
    int64_t emitted = 0;
    while (emitted < max_count) {
        std::vector<storage::ChangeRow> page = storage::changes_page(s, after, below, kPage);
        for (const storage::ChangeRow &c : page) {
            check_interrupts();
            after = c.change_id;
            const std::optional<std::string> &name = name_if_readable(c.store_id);
            if (!name) continue;
            out.begin_row();
            Datum values[6];
            bool nulls[6] = {false, false, false, !c.version, false, false};
            values[0] = Int64GetDatum(c.change_id);
            values[1] = make_store_datum(*name);
            values[2] = Int64GetDatum(c.seq);
            if (c.version) values[3] = Int64GetDatum(*c.version);
            values[4] = string_to_text(c.event_type);
            values[5] = TimestampTzGetDatum(c.committed_at);
            out.add(values, nulls);
            if (++emitted >= max_count) break;
        }
        if ((int64_t)page.size() < kPage) break;
    }
    s.finish();
    return (Datum)0;
}
