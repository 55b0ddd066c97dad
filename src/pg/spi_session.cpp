// spi_session.cpp — see spi_session.hpp.
#include "pg/spi_session.hpp"

#include <exception>
#include <unordered_map>

#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/schema_version.hpp"

namespace tspg {

namespace param {
Param i64(int64_t v) { return {INT8OID, Int64GetDatum(v), false}; }
Param i32(int32_t v) { return {INT4OID, Int32GetDatum(v), false}; }
Param oid(Oid v) { return {OIDOID, ObjectIdGetDatum(v), false}; }
Param opt_i64(std::optional<int64_t> v) { return v ? i64(*v) : null(INT8OID); }
Param text(std::string_view s) { return {TEXTOID, string_to_text(s), false}; }
Param opt_text(const std::optional<std::string> &s) { return s ? text(*s) : null(TEXTOID); }
Param bytea(std::string_view b) {
    struct varlena *p = pg_guard([&] { return (struct varlena *)palloc(VARHDRSZ + b.size()); });
    SET_VARSIZE(p, VARHDRSZ + b.size());
    memcpy(VARDATA(p), b.data(), b.size());
    return {BYTEAOID, PointerGetDatum(p), false};
}
Param opt_bytea(const std::optional<std::string> &b) { return b ? bytea(*b) : null(BYTEAOID); }
Param jsonb(const tscore::Value &v) { return {JSONBOID, value_to_datum(v), false}; }
Param timestamptz(TimestampTz t) { return {TIMESTAMPTZOID, TimestampTzGetDatum(t), false}; }
Param character(char c) { return {CHAROID, CharGetDatum(c), false}; }
Param boolean(bool b) { return {BOOLOID, BoolGetDatum(b), false}; }
Param null(Oid type) { return {type, (Datum)0, true}; }
}  // namespace param

void Rows::release() {
    SPITupleTable *tt = tt_;
    tt_ = nullptr;
    n_ = 0;
    if (tt) pg_guard([&] { SPI_freetuptable(tt); });
}

bool Rows::is_null(uint64_t row, int col) const {
    bool isnull;
    SPI_getbinval(tt_->vals[row], tt_->tupdesc, col + 1, &isnull);
    return isnull;
}
Datum Rows::datum(uint64_t row, int col) const {
    bool isnull;
    return SPI_getbinval(tt_->vals[row], tt_->tupdesc, col + 1, &isnull);
}
int64_t Rows::i64(uint64_t row, int col) const { return DatumGetInt64(datum(row, col)); }
std::optional<int64_t> Rows::opt_i64(uint64_t row, int col) const {
    if (is_null(row, col)) return std::nullopt;
    return i64(row, col);
}
int32_t Rows::i32(uint64_t row, int col) const { return DatumGetInt32(datum(row, col)); }
bool Rows::boolean(uint64_t row, int col) const { return DatumGetBool(datum(row, col)); }
char Rows::character(uint64_t row, int col) const { return DatumGetChar(datum(row, col)); }
TimestampTz Rows::timestamptz(uint64_t row, int col) const { return DatumGetTimestampTz(datum(row, col)); }
std::string Rows::str(uint64_t row, int col) const { return text_to_string(datum(row, col)); }
std::optional<std::string> Rows::opt_str(uint64_t row, int col) const {
    if (is_null(row, col)) return std::nullopt;
    return str(row, col);
}
std::string Rows::bytes(uint64_t row, int col) const {
    Datum d = datum(row, col);
    struct varlena *v = pg_guard([&] { return PG_DETOAST_DATUM_PACKED(d); });
    return std::string(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
}
std::optional<std::string> Rows::opt_bytes(uint64_t row, int col) const {
    if (is_null(row, col)) return std::nullopt;
    return bytes(row, col);
}
tscore::Value Rows::json(uint64_t row, int col) const {
    if (is_null(row, col)) return tscore::Value::object();
    return datum_to_value(datum(row, col));
}

namespace {

// Prepared statements, kept for the backend's life. Keyed by the address
// of the statement text, which is always a string literal.
struct PlanKey {
    const char *sql;
    bool operator==(const PlanKey &o) const { return sql == o.sql; }
};
struct PlanKeyHash {
    size_t operator()(const PlanKey &k) const { return std::hash<const void *>()(k.sql); }
};
std::unordered_map<PlanKey, SPIPlanPtr, PlanKeyHash> plans;

uint64_t write_epoch = 0;

// Owner of ts_internal, looked up once per backend.
Oid internal_owner = InvalidOid;

Oid lookup_internal_owner() {
    return pg_guard([] {
        Oid nsp = get_namespace_oid("ts_internal", false);
        HeapTuple tup = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(nsp));
        if (!HeapTupleIsValid(tup)) elog(ERROR, "cache lookup failed for schema ts_internal");
        Oid owner = ((Form_pg_namespace)GETSTRUCT(tup))->nspowner;
        ReleaseSysCache(tup);
        return owner;
    });
}

}  // namespace

uint64_t sql_write_epoch() { return write_epoch; }

Oid extension_owner() {
    if (internal_owner == InvalidOid) internal_owner = lookup_internal_owner();
    return internal_owner;
}

Session::Session(bool read_only) : read_only_(read_only) {
    require_current_schema();
    caller_ = GetUserId();
    if (internal_owner == InvalidOid) internal_owner = lookup_internal_owner();
    GetUserIdAndSecContext(&saved_user_, &saved_sec_);
    // As PostgreSQL's own maintenance commands run code as another role:
    // a security-restricted operation, so nothing the caller prepared
    // (temporary objects, SET ROLE, cursors) can act with the owner's rights.
    SetUserIdAndSecContext(internal_owner,
                           saved_sec_ | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
    switched_ = true;
}

Session::~Session() {
    // Only what cannot fail. On the normal path finish() has run; on an
    // error the transaction's (or subtransaction's) abort ends SPI, pops
    // the pinned search_path and restores the user, which is restored here
    // too so that C++ code unwinding to the entry point runs as the caller.
    if (switched_) SetUserIdAndSecContext(saved_user_, saved_sec_);
}

void Session::pin_search_path() {
    // The caller's search_path must not decide which function or operator
    // an unqualified name in our SQL means (every statement also qualifies
    // its functions and operators): pinned for the statements' duration,
    // and restored by finish() or the transaction's abort.
    guc_nest_ = pg_guard([] {
        int level = NewGUCNestLevel();
        (void)set_config_option("search_path", "pg_catalog, pg_temp", PGC_SUSET, PGC_S_SESSION, GUC_ACTION_SAVE,
                                true, 0, false);
        return level;
    });
}

const std::string &Session::caller_name() const {
    if (!have_caller_name_) {
        Oid caller = caller_;
        caller_name_ = pg_guard([&] { return GetUserNameFromId(caller, false); });
        have_caller_name_ = true;
    }
    return caller_name_;
}

void Session::finish() {
    finished_ = true;
    if (spi_) {
        spi_ = false;
        pg_guard([] { SPI_finish(); });
    }
    if (guc_nest_ > 0) {
        int level = guc_nest_;
        guc_nest_ = 0;
        pg_guard([&] { AtEOXact_GUC(false, level); });
    }
    if (switched_) SetUserIdAndSecContext(saved_user_, saved_sec_);
    switched_ = false;
}

Rows Session::run(const char *sql, std::initializer_list<Param> params, long limit) {
    return run(sql, std::vector<Param>(params), limit);
}

void Session::connect() {
    if (finished_) throw std::logic_error("statement run after Session::finish");
    if (spi_) return;
    // Connected on the first statement: the hot paths read and write
    // through table_access and often need none.
    pin_search_path();
    pg_guard([&] {
        if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    });
    spi_ = true;
}

SPIPlanPtr Session::plan_for(const char *sql, int n, Oid *types) {
    auto it = plans.find(PlanKey{sql});
    if (it != plans.end()) return it->second;
    SPIPlanPtr plan = pg_guard([&] {
        // Generic plans: the statements are simple index lookups, and a
        // custom plan per call would re-plan on every execution.
        SPIPlanPtr p = SPI_prepare_cursor(sql, n, types, CURSOR_OPT_GENERIC_PLAN);
        if (p == nullptr) elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
        SPI_keepplan(p);
        return p;
    });
    plans.emplace(PlanKey{sql}, plan);
    return plan;
}

namespace {
struct BoundParams {
    int n;
    Oid types[32];
    Datum values[32];
    char nulls[32];
};
BoundParams bind(const std::vector<Param> &params) {
    BoundParams b;
    b.n = (int)params.size();
    if (b.n > 32) throw std::logic_error("too many statement parameters");
    for (int i = 0; i < b.n; i++) {
        b.types[i] = params[i].type;
        b.values[i] = params[i].value;
        b.nulls[i] = params[i].null ? 'n' : ' ';
    }
    return b;
}
}  // namespace

Rows Session::run(const char *sql, const std::vector<Param> &params, long limit) {
    connect();
    BoundParams b = bind(params);
    SPIPlanPtr plan = plan_for(sql, b.n, b.types);
    bool ro = read_only_;
    int rc = pg_guard([&] { return SPI_execute_plan(plan, b.values, b.nulls, ro, limit); });
    if (rc < 0) throw std::runtime_error(std::string("SPI_execute_plan failed: ") + SPI_result_code_string(rc));
    if (rc != SPI_OK_SELECT) write_epoch++;
    return Rows(SPI_tuptable, SPI_processed);
}

Cursor Session::open_cursor(const char *sql, std::initializer_list<Param> params) {
    connect();
    BoundParams b = bind(std::vector<Param>(params));
    SPIPlanPtr plan = plan_for(sql, b.n, b.types);
    bool ro = read_only_;
    Portal portal = pg_guard([&] { return SPI_cursor_open(nullptr, plan, b.values, b.nulls, ro); });
    return Cursor(portal);
}

Rows Cursor::fetch(long count) {
    Portal p = portal_;
    pg_guard([&] { SPI_cursor_fetch(p, true, count); });
    return Rows(SPI_tuptable, SPI_processed);
}

void Cursor::close() {
    Portal p = portal_;
    portal_ = nullptr;
    if (p) pg_guard([&] { SPI_cursor_close(p); });
}

}  // namespace tspg
