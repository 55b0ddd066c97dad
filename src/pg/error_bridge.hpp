// error_bridge.hpp — the one place where C++ exceptions and PostgreSQL
// errors (longjmp) meet.
//
// * ts_boundary(fcinfo-less body): runs the body of an SQL entry point;
//   any C++ exception is turned into ereport(ERROR) after every C++ frame
//   of the body has been unwound.
// * pg_guard(f): runs a call into PostgreSQL that may ereport; the error is
//   caught with sigsetjmp, copied, and thrown as PgError, so C++ destructors
//   run; ts_boundary re-raises it unchanged (SQLSTATE, detail, context).
// * ts_try(body): for a loop that must go on past one item's failure (the
//   snapshot worker, a store at a time): any C++ exception or PostgreSQL
//   error of the body is caught and kept; the caller reports it with
//   report_captured() and then aborts its transaction.
// * ts_error(...): throws a UserError with SQLSTATE, message, detail, hint
//   from C++ code (the boundary reports it).
// Nothing else in the extension may call sigsetjmp or catch exceptions to
// report them.
#pragma once

#include "pg_headers.hpp"

#include <exception>
#include <stdexcept>

namespace tspg {

// A PostgreSQL error caught by pg_guard; data is in the caller's context.
class PgError : public std::exception {
public:
    explicit PgError(ErrorData *d) : data(d) {}
    const char *what() const noexcept override { return data && data->message ? data->message : "postgres error"; }
    ErrorData *data;
};

// An error the extension raises itself.
class UserError : public std::runtime_error {
public:
    UserError(int sqlstate, std::string message, std::string detail = {}, std::string hint = {})
        : std::runtime_error(message), sqlstate(sqlstate), detail(std::move(detail)), hint(std::move(hint)) {}
    int sqlstate;
    std::string detail;
    std::string hint;
};

[[noreturn]] void ts_error(int sqlstate, std::string message, std::string detail = {}, std::string hint = {});

// temporal_store works in UTF8 databases only (names, documents and
// payloads are UTF-8; see docs/concepts.md, "Database encoding"). Every SQL
// entry point checks it first; the error is 0A000 with the encoding named.
[[noreturn]] void refuse_database_encoding();
inline void require_utf8_database() {
    if (unlikely(GetDatabaseEncoding() != PG_UTF8)) refuse_database_encoding();
}

// Raises the error captured by run_boundary; never returns.
[[noreturn]] void raise_captured_error();

// Saves what is needed to report an exception: called only inside catch.
void capture_current_exception() noexcept;

// Runs body; on a C++ exception, unwinds it and raises it as a PostgreSQL
// error. Body returns Datum.
template <class Body>
Datum ts_boundary(Body &&body) {
    bool failed = false;
    Datum result = (Datum)0;
    try {
        result = body();
    } catch (...) {
        capture_current_exception();
        failed = true;
    }
    if (failed) raise_captured_error();
    return result;
}

// Runs body (returning nothing); true if it completed. On a C++ exception
// or a PostgreSQL error (caught by a pg_guard inside the body) the body's
// frames are unwound and the error kept for report_captured(); the caller
// must then abort the transaction (or subtransaction) the body ran in, and
// report before it does (the kept error may live in its memory).
template <class Body>
bool ts_try(Body &&body) {
    try {
        body();
        return true;
    } catch (...) {
        capture_current_exception();
    }
    return false;
}

// Reports the error kept by ts_try at `elevel` (WARNING, LOG), its message
// prefixed with `prefix` and ": ", its SQLSTATE, detail and hint kept.
void report_captured(int elevel, const char *prefix);

// Low-level guard state (used by pg_guard only).
struct GuardFrame {
    sigjmp_buf *saved_stack;
    ErrorContextCallback *saved_context;
    MemoryContext saved_memory;
};
[[noreturn]] void throw_caught_pg_error(const GuardFrame &frame);

// Runs f(), a call into PostgreSQL that may ereport(ERROR). f must not own
// objects with destructors: it is skipped by longjmp on error.
template <class F>
auto pg_guard(F &&f) -> decltype(f()) {
    GuardFrame frame{PG_exception_stack, error_context_stack, CurrentMemoryContext};
    sigjmp_buf local;
    if (sigsetjmp(local, 0) == 0) {
        PG_exception_stack = &local;
        // f must not throw; should a C++ exception escape it all the same,
        // the PostgreSQL error stack must not keep pointing at this frame.
        try {
            if constexpr (std::is_void_v<decltype(f())>) {
                f();
                PG_exception_stack = frame.saved_stack;
                return;
            } else {
                auto r = f();
                PG_exception_stack = frame.saved_stack;
                return r;
            }
        } catch (...) {
            PG_exception_stack = frame.saved_stack;
            throw;
        }
    }
    throw_caught_pg_error(frame);
}

// CHECK_FOR_INTERRUPTS from C++ loops.
inline void check_interrupts() {
    if (unlikely(INTERRUPTS_PENDING_CONDITION())) pg_guard([] { ProcessInterrupts(); });
}

// Installs the core's interrupt and stack hooks (core/limits.hpp), which
// call check_interrupts and check_stack_depth; once, from _PG_init.
void install_core_hooks();

}  // namespace tspg

// Defines an SQL-callable function whose body runs inside ts_boundary,
// in a UTF8 database only.
#define TS_FUNCTION(name)                                \
    extern "C" {                                         \
    PG_FUNCTION_INFO_V1(name);                           \
    Datum name(PG_FUNCTION_ARGS);                        \
    }                                                    \
    static Datum name##_impl(FunctionCallInfo fcinfo);   \
    Datum name(PG_FUNCTION_ARGS) {                       \
        return tspg::ts_boundary([&] {                   \
            tspg::require_utf8_database();               \
            return name##_impl(fcinfo);                  \
        });                                              \
    }                                                    \
    static Datum name##_impl(FunctionCallInfo fcinfo)
