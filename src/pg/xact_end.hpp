// xact_end.hpp — the transaction events after which a transaction's own
// state in this backend (locks noted, writes counted, notifications due)
// is gone: one list, for every transaction callback of the extension.
#pragma once

#include "pg/pg_headers.hpp"

namespace tspg {

inline bool ends_transaction(XactEvent event) {
    return event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT || event == XACT_EVENT_PREPARE ||
           event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT;
}

}  // namespace tspg
