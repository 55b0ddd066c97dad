// module.cpp — the library's entry: magic block and _PG_init.
#include "pg/pg_headers.hpp"
#include "pg/settings.hpp"

extern "C" {
PG_MODULE_MAGIC;
void _PG_init(void);
}

void _PG_init(void) { tspg::define_settings(); }
