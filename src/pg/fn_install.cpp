// fn_install.cpp — ts_internal.check_database(), which the install and
// upgrade scripts call before they create anything.
//
// temporal_store keeps names, documents and payloads as UTF-8 and compares
// them byte-wise, so it works in UTF8 databases only. TS_FUNCTION refuses
// every call elsewhere (require_utf8_database); this function does nothing
// more, so that CREATE EXTENSION and ALTER EXTENSION UPDATE fail at once,
// with that error, and leave nothing behind.
#include "pg/error_bridge.hpp"

TS_FUNCTION(ts_internal_check_database) { PG_RETURN_VOID(); }
