// error_bridge.cpp — see error_bridge.hpp.
#include "pg/error_bridge.hpp"

#include <new>

#include "core/errors.hpp"
#include "core/limits.hpp"

namespace tspg {

namespace {

// What capture_current_exception saved. A catch block must not allocate
// through palloc (an out-of-memory longjmp would cross it): the message and
// hint go into fixed buffers, and the detail, which can be long (every
// conflicting path of a merge), is moved out of the exception, which does
// not allocate.
struct Captured {
    ErrorData *pg_error = nullptr;
    int sqlstate = 0;
    char message[2048];
    char hint[1024];
    std::string detail;
};
Captured captured;

// Copies at most cap - 1 bytes, never cutting a UTF-8 character in two.
void copy_text(char *dst, size_t cap, const char *src) {
    size_t n = src ? strnlen(src, cap - 1) : 0;
    if (src && src[n] != '\0')
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;
    if (n) memcpy(dst, src, n);
    dst[n] = '\0';
}

int sqlstate_of(tscore::ErrorKind kind) {
    switch (kind) {
        case tscore::ErrorKind::InvalidJson: return ERRCODE_INVALID_TEXT_REPRESENTATION;
        case tscore::ErrorKind::InvalidPatch: return ERRCODE_INVALID_PARAMETER_VALUE;
        case tscore::ErrorKind::BadRevision: return ERRCODE_INVALID_TEXT_REPRESENTATION;
        case tscore::ErrorKind::BadName: return ERRCODE_INVALID_PARAMETER_VALUE;
        case tscore::ErrorKind::Conflict: return MAKE_SQLSTATE('T', 'S', '0', '0', '1');
        case tscore::ErrorKind::TooDeep: return ERRCODE_STATEMENT_TOO_COMPLEX;
        case tscore::ErrorKind::MemoryLimit: return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
        case tscore::ErrorKind::CorruptPayload: return ERRCODE_DATA_CORRUPTED;
        case tscore::ErrorKind::Invalid: return ERRCODE_INVALID_PARAMETER_VALUE;
    }
    return ERRCODE_INTERNAL_ERROR;
}

}  // namespace

void ts_error(int sqlstate, std::string message, std::string detail, std::string hint) {
    throw UserError(sqlstate, std::move(message), std::move(detail), std::move(hint));
}

void refuse_database_encoding() {
    throw UserError(ERRCODE_FEATURE_NOT_SUPPORTED, "temporal_store requires a UTF8 database",
                    std::string("This database's encoding is ") + GetDatabaseEncodingName() + ".",
                    "Create a UTF8 database (CREATE DATABASE name ENCODING 'UTF8' TEMPLATE template0) "
                    "and use temporal_store there.");
}

void capture_current_exception() noexcept {
    captured.pg_error = nullptr;
    captured.sqlstate = ERRCODE_INTERNAL_ERROR;
    captured.message[0] = captured.hint[0] = '\0';
    captured.detail.clear();
    try {
        throw;
    } catch (const PgError &e) {
        captured.pg_error = e.data;
    } catch (UserError &e) {
        captured.sqlstate = e.sqlstate;
        copy_text(captured.message, sizeof captured.message, e.what());
        captured.detail.swap(e.detail);
        copy_text(captured.hint, sizeof captured.hint, e.hint.c_str());
    } catch (tscore::Error &e) {
        captured.sqlstate = sqlstate_of(e.kind());
        copy_text(captured.message, sizeof captured.message, e.what());
        captured.detail.swap(e.mutable_detail());
        // The core does not know the setting behind its budget.
        const char *hint = e.kind() == tscore::ErrorKind::MemoryLimit
                               ? "Raise temporal_store.max_memory (a superuser setting), or split the operation "
                                 "into smaller ones."
                               : e.hint().c_str();
        copy_text(captured.hint, sizeof captured.hint, hint);
    } catch (const std::bad_alloc &) {
        captured.sqlstate = ERRCODE_OUT_OF_MEMORY;
        copy_text(captured.message, sizeof captured.message, "out of memory");
    } catch (const std::exception &e) {
        captured.sqlstate = ERRCODE_INTERNAL_ERROR;
        copy_text(captured.message, sizeof captured.message, e.what());
    } catch (...) {
        copy_text(captured.message, sizeof captured.message, "unknown C++ exception");
    }
}

void raise_captured_error() {
    if (captured.pg_error) {
        ErrorData *ed = captured.pg_error;
        captured.pg_error = nullptr;
        ReThrowError(ed);
    }
    ereport(ERROR, (errcode(captured.sqlstate), errmsg_internal("%s", captured.message),
                    !captured.detail.empty() ? errdetail_internal("%s", captured.detail.c_str()) : 0,
                    captured.hint[0] ? errhint("%s", captured.hint) : 0));
    pg_unreachable();
}

namespace {

// The core's hooks (core/limits.hpp). A pending cancel, statement_timeout
// or termination becomes the PostgreSQL error ProcessInterrupts raises,
// caught by pg_guard and thrown as PgError through the core's frames; the
// boundary re-raises it unchanged.
void core_interrupt_hook() { check_interrupts(); }

// check_stack_depth's error (54001, hint on max_stack_depth) before a
// recursive walk of the core runs out of stack.
void core_stack_hook() {
    if (unlikely(stack_is_too_deep())) pg_guard([] { check_stack_depth(); });
}

}  // namespace

void install_core_hooks() {
    tscore::set_interrupt_hook(core_interrupt_hook);
    tscore::set_stack_hook(core_stack_hook);
}

void report_captured(int elevel, const char *prefix) {
    if (captured.pg_error) {
        ErrorData *ed = captured.pg_error;
        captured.pg_error = nullptr;
        ereport(elevel, (errcode(ed->sqlerrcode), errmsg_internal("%s: %s", prefix, ed->message ? ed->message : ""),
                         ed->detail ? errdetail_internal("%s", ed->detail) : 0,
                         ed->hint ? errhint("%s", ed->hint) : 0,
                         ed->context ? errcontext("%s", ed->context) : 0));
        FreeErrorData(ed);
        return;
    }
    ereport(elevel, (errcode(captured.sqlstate), errmsg_internal("%s: %s", prefix, captured.message),
                     !captured.detail.empty() ? errdetail_internal("%s", captured.detail.c_str()) : 0,
                     captured.hint[0] ? errhint("%s", captured.hint) : 0));
    captured.detail.clear();
}

void throw_caught_pg_error(const GuardFrame &frame) {
    PG_exception_stack = frame.saved_stack;
    error_context_stack = frame.saved_context;
    // CopyErrorData must not run in ErrorContext.
    MemoryContextSwitchTo(frame.saved_memory);
    ErrorData *ed = CopyErrorData();
    FlushErrorState();
    throw PgError(ed);
}

}  // namespace tspg
