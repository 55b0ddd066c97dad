// change_notify.cpp — see change_notify.hpp.
#include "pg/change_notify.hpp"

#include <algorithm>

#include "pg/pg_headers.hpp"
#include "pg/xact_end.hpp"

namespace tspg {
namespace change_notify {

namespace {

int64_t newest = 0;  // the transaction's newest change id, 0 if none

// Called by PostgreSQL, outside every C++ frame: Async_Notify may
// ereport and longjmp straight back into the transaction's commit.
void on_xact(XactEvent event, void *) {
    if (event == XACT_EVENT_PRE_COMMIT && newest > 0) {
        char payload[64];
        snprintf(payload, sizeof payload, "{\"change_id\": " INT64_FORMAT "}", newest);
        newest = 0;
        Async_Notify("temporal_store", payload);
        return;
    }
    if (ends_transaction(event) || event == XACT_EVENT_PRE_PREPARE)
        newest = 0;
}

}  // namespace

void register_xact_callback() { RegisterXactCallback(on_xact, nullptr); }

void note(int64_t change_id) { newest = std::max(newest, change_id); }

}  // namespace change_notify
}  // namespace tspg
