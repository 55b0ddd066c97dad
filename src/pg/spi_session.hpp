// spi_session.hpp — SPI access to the extension's tables, as their owner.
//
// A Session switches the current user to the owner of the ts_internal
// schema (PUBLIC cannot reach those tables) in a security-restricted
// operation, after remembering the caller, whose privileges on the store
// are checked by the storage layer. Its first statement pins search_path
// to "pg_catalog, pg_temp" and connects to SPI; every statement also
// qualifies its functions and operators (a hostile role's look-alikes
// must never run with the owner's rights). Statements are prepared once
// per backend and kept.
#pragma once

#include "pg/pg_headers.hpp"
#include "core/json_value.hpp"

namespace tspg {

struct Param {
    Oid type;
    Datum value;
    bool null;
};

namespace param {
Param i64(int64_t v);
Param i32(int32_t v);
Param oid(Oid v);
Param opt_i64(std::optional<int64_t> v);
Param text(std::string_view s);
Param opt_text(const std::optional<std::string> &s);
Param bytea(std::string_view bytes);
Param opt_bytea(const std::optional<std::string> &bytes);
Param jsonb(const tscore::Value &v);
Param timestamptz(TimestampTz t);
Param character(char c);
Param boolean(bool b);
Param null(Oid type);
}  // namespace param

// The rows a statement returned; valid until the next statement or the end
// of the session. Accessors copy out of PostgreSQL memory.
class Rows {
public:
    Rows(SPITupleTable *tt, uint64_t n) : tt_(tt), n_(n) {}
    uint64_t size() const { return n_; }
    bool empty() const { return n_ == 0; }
    bool is_null(uint64_t row, int col) const;
    Datum datum(uint64_t row, int col) const;
    int64_t i64(uint64_t row, int col) const;
    std::optional<int64_t> opt_i64(uint64_t row, int col) const;
    int32_t i32(uint64_t row, int col) const;
    bool boolean(uint64_t row, int col) const;
    char character(uint64_t row, int col) const;
    TimestampTz timestamptz(uint64_t row, int col) const;
    std::string str(uint64_t row, int col) const;
    std::optional<std::string> opt_str(uint64_t row, int col) const;
    std::string bytes(uint64_t row, int col) const;           // bytea contents
    std::optional<std::string> opt_bytes(uint64_t row, int col) const;
    tscore::Value json(uint64_t row, int col) const;          // jsonb; NULL -> {}

    // Frees the rows (SPI_freetuptable) once copied out: statements run in
    // a loop would otherwise keep every page until the session ends.
    void release();

private:
    SPITupleTable *tt_;
    uint64_t n_;
};

// An open cursor of a Session's statement: fetch() pages of rows; close()
// it before the Session finishes (the transaction's end closes it too).
class Cursor {
public:
    explicit Cursor(Portal portal) : portal_(portal) {}
    Rows fetch(long count);
    void close();

private:
    Portal portal_;
};

// A store privilege; each level implies those below it.
enum class Privilege { Read = 1, Write = 2, Admin = 3 };

// The one mapping between privileges and their names (grants store names).
inline const char *privilege_name(Privilege p) {
    return p == Privilege::Admin ? "admin" : p == Privilege::Write ? "write" : "read";
}
inline std::optional<Privilege> privilege_from_name(std::string_view name) {
    if (name == "read") return Privilege::Read;
    if (name == "write") return Privilege::Write;
    if (name == "admin") return Privilege::Admin;
    return std::nullopt;
}

// Counts the writing statements (INSERT, UPDATE, DELETE) run through any
// Session of this backend: state cached since an epoch is stale once it
// moves. Direct inserts (table_access) do not move it.
uint64_t sql_write_epoch();

// The owner of the ts_internal schema (the role that installed the
// extension), as whom every Session runs.
Oid extension_owner();

class Session {
public:
    // read_only: the calling function is STABLE and must write nothing.
    explicit Session(bool read_only);
    ~Session();
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    // Runs a statement (prepared once, by the address of sql).
    Rows run(const char *sql, std::initializer_list<Param> params, long limit = 0);
    Rows run(const char *sql, const std::vector<Param> &params, long limit = 0);
    // Opens a cursor on a statement (prepared once, like run's).
    Cursor open_cursor(const char *sql, std::initializer_list<Param> params);

    Oid caller() const { return caller_; }
    const std::string &caller_name() const;  // looked up on first use
    bool read_only() const { return read_only_; }

    // Ends SPI (connected by the first statement, if any) and restores the
    // caller's user; results built afterwards live in the caller's memory
    // context. No statement may run after it.
    void finish();

private:
    void pin_search_path();
    void connect();
    SPIPlanPtr plan_for(const char *sql, int n, Oid *types);
    bool read_only_;
    bool switched_ = false;  // running as the owner of ts_internal
    bool spi_ = false;       // SPI connected
    bool finished_ = false;
    int guc_nest_ = 0;       // GUC nest level of the pinned search_path, or 0
    Oid caller_;
    mutable bool have_caller_name_ = false;
    mutable std::string caller_name_;
    Oid saved_user_;
    int saved_sec_;
};

}  // namespace tspg
