// storage_direct.hpp — helpers of storage.cpp's write lock that read
// through table_access (storage_direct.cpp); not for other callers.
#pragma once

#include "pg/storage.hpp"
#include "pg/table_access.hpp"

namespace tspg {
namespace storage {

// vis: what the scans see (default: what the session's SQL would).
// A live store by id (no lock taken).
std::optional<StoreRecord> store_by_id(Session &s, int64_t store_id,
                                       std::optional<tables::Visibility> vis = std::nullopt);
// The store's counters (last version, last seq, last time) from the
// newest version and the newest other event; call with the lock held.
void read_counters(Session &s, StoreRecord &st, std::optional<tables::Visibility> vis = std::nullopt);
// The live branch of that name with its head's HeadInfo; st has its
// counters (read_counters).
std::optional<BranchRecord> branch_for_write(Session &s, const StoreRecord &st, std::string_view name);
// The newest version at or below `version`, with its seq, branch and time.
struct VersionPoint {
    int64_t version, seq;
    int32_t branch_id;
    TimestampTz committed_at;
};
std::optional<VersionPoint> version_at_or_below(Session &s, int64_t store_id, int64_t version);

}  // namespace storage
}  // namespace tspg
