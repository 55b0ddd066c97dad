// storage_direct.hpp — helpers of storage.cpp's write lock that read
// through table_access (storage_direct.cpp); not for other callers.
#pragma once

#include "pg/storage.hpp"

namespace tspg {
namespace storage {

// A live store by id (no lock taken).
std::optional<StoreRecord> store_by_id(Session &s, int64_t store_id);
// The store's counters (last version, last seq, last time) from the
// newest version and the newest other event; call with the lock held.
void read_counters(Session &s, StoreRecord &st);
// The live branch of that name with its head's HeadInfo.
std::optional<BranchRecord> branch_for_write(Session &s, int64_t store_id, std::string_view name);

}  // namespace storage
}  // namespace tspg
