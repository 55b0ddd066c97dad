// schema_version.hpp — the library refuses to work on tables of an older
// version of the extension's SQL (a new library installed, ALTER EXTENSION
// UPDATE not yet run) instead of failing on a missing column.
#pragma once

namespace tspg {

// The SQL version this library's queries are written for.
constexpr const char *kSchemaVersion = "0.2.0";

// Raises 55000 with a hint to run ALTER EXTENSION temporal_store UPDATE
// when the installed extension is older. Checked until it passes once in
// a backend (an update only ever moves forward).
void require_current_schema();

}  // namespace tspg
