// store_type.hpp — the temporal_store type: a handle naming one store.
//
// Stored as a varlena: one format byte (kStoreTypeFormat) then the store's
// name, verbatim. The binary send/receive form is the same bytes.
#pragma once

#include "pg/pg_headers.hpp"

namespace tspg {

constexpr uint8_t kStoreTypeFormat = 1;

std::string store_name_of(Datum d);
Datum make_store_datum(std::string_view name);

}  // namespace tspg
