// store_type.cpp — I/O, comparison and hashing of temporal_store.
#include "pg/store_type.hpp"

#include "core/revision.hpp"
#include "pg/error_bridge.hpp"
#include "pg/spi_session.hpp"
#include "pg/storage.hpp"

extern "C" {
#include "common/hashfn.h"
}

namespace tspg {

namespace {

struct StoreName {
    const char *data;
    size_t len;
};

StoreName view_of(Datum d) {
    struct varlena *v = pg_guard([&] { return PG_DETOAST_DATUM_PACKED(d); });
    const char *p = VARDATA_ANY(v);
    size_t n = VARSIZE_ANY_EXHDR(v);
    if (n < 1 || (uint8_t)p[0] != kStoreTypeFormat)
        ts_error(ERRCODE_DATA_CORRUPTED, "invalid temporal_store value",
                 "Unknown format byte " + std::to_string(n ? (uint8_t)p[0] : 0) + ".");
    return {p + 1, n - 1};
}

int compare(Datum a, Datum b) {
    StoreName x = view_of(a), y = view_of(b);
    int c = memcmp(x.data, y.data, std::min(x.len, y.len));
    if (c != 0) return c < 0 ? -1 : 1;
    return x.len < y.len ? -1 : x.len > y.len ? 1 : 0;
}

// Input checks that the store exists (never privileges), except while
// check_function_bodies is off, as in pg_dump's output, so user tables
// holding handles restore before the extension's own data.
void check_exists(const std::string &name) {
    if (!check_function_bodies) return;
    // Not read-only: a statement inside a function that has just created
    // the store (a PL/pgSQL block) must see it.
    Session s(false);
    bool found = storage::find_store(s, name).has_value();
    s.finish();
    if (!found) ts_error(ERRCODE_UNDEFINED_OBJECT, "store \"" + name + "\" does not exist");
}

}  // namespace

std::string store_name_of(Datum d) {
    StoreName n = view_of(d);
    return std::string(n.data, n.len);
}

Datum make_store_datum(std::string_view name) {
    size_t size = VARHDRSZ + 1 + name.size();
    struct varlena *v = pg_guard([&] { return (struct varlena *)palloc(size); });
    SET_VARSIZE(v, size);
    VARDATA(v)[0] = (char)kStoreTypeFormat;
    memcpy(VARDATA(v) + 1, name.data(), name.size());
    return PointerGetDatum(v);
}

}  // namespace tspg

using namespace tspg;

TS_FUNCTION(temporal_store_in) {
    std::string name = PG_GETARG_CSTRING(0);
    tscore::validate_store_name(name);
    check_exists(name);
    return make_store_datum(name);
}

TS_FUNCTION(temporal_store_out) {
    std::string name = store_name_of(PG_GETARG_DATUM(0));
    return CStringGetDatum(pg_guard([&] { return pnstrdup(name.data(), name.size()); }));
}

// Binary input: a format byte, then the name's UTF-8 bytes (the rest of
// the value). Whatever is wrong with the bytes is 22P03, including an empty
// or truncated value: pq_getmsgbyte would report a missing byte as a
// protocol violation (08P01), as if the connection were at fault.
TS_FUNCTION(temporal_store_recv) {
    StringInfo buf = (StringInfo)PG_GETARG_POINTER(0);
    if (buf->cursor >= buf->len)
        ts_error(ERRCODE_INVALID_BINARY_REPRESENTATION, "invalid temporal_store binary value",
                 "The value is empty; it must hold a format byte and the store's name.");
    int format = (uint8_t)buf->data[buf->cursor++];
    if (format != kStoreTypeFormat)
        ts_error(ERRCODE_INVALID_BINARY_REPRESENTATION, "invalid temporal_store binary format",
                 "Format byte " + std::to_string(format) + " is not known to this version.");
    int len = buf->len - buf->cursor;
    if (len == 0)
        ts_error(ERRCODE_INVALID_BINARY_REPRESENTATION, "invalid temporal_store binary value",
                 "The value ends after its format byte; the store's name is missing.");
    std::string name(buf->data + buf->cursor, len);
    buf->cursor = buf->len;
    tscore::validate_store_name(name);
    check_exists(name);
    return make_store_datum(name);
}

TS_FUNCTION(temporal_store_send) {
    StoreName n = view_of(PG_GETARG_DATUM(0));
    bytea *out = pg_guard([&] {
        bytea *b = (bytea *)palloc(VARHDRSZ + 1 + n.len);
        SET_VARSIZE(b, VARHDRSZ + 1 + n.len);
        return b;
    });
    VARDATA(out)[0] = (char)kStoreTypeFormat;
    memcpy(VARDATA(out) + 1, n.data, n.len);
    return PointerGetDatum(out);
}

TS_FUNCTION(temporal_store_cmp) { return Int32GetDatum(compare(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1))); }
TS_FUNCTION(temporal_store_eq) { return BoolGetDatum(compare(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) == 0); }
TS_FUNCTION(temporal_store_ne) { return BoolGetDatum(compare(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) != 0); }
TS_FUNCTION(temporal_store_lt) { return BoolGetDatum(compare(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) < 0); }
TS_FUNCTION(temporal_store_le) { return BoolGetDatum(compare(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) <= 0); }
TS_FUNCTION(temporal_store_gt) { return BoolGetDatum(compare(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) > 0); }
TS_FUNCTION(temporal_store_ge) { return BoolGetDatum(compare(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) >= 0); }

TS_FUNCTION(temporal_store_hash) {
    StoreName n = view_of(PG_GETARG_DATUM(0));
    return hash_any((const unsigned char *)n.data, (int)n.len);
}
