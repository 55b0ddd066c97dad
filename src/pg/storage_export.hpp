// storage_export.hpp — the table access ts_export and ts_import need beyond
// storage.hpp's. ts_import writes versions and events through
// storage::insert_version and storage::insert_event like every other
// writer, so whatever those maintain is maintained for imported stores.
#pragma once

#include "pg/storage.hpp"

namespace tspg {
namespace storage {

// How many versions and other events the store's stream holds (the
// export's header), read with the same snapshot as the stream.
struct StreamCounts {
    int64_t versions = 0;
    int64_t events = 0;
};
StreamCounts stream_counts(Session &s, int64_t store_id);

}  // namespace storage
}  // namespace tspg
