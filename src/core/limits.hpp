// limits.hpp — what keeps the core's work on user input interruptible and
// bounded: an interrupt hook, a stack hook and a memory budget, all set by
// the host (the extension's glue; unit tests set them by hand).
//
// * poll(units): every loop whose length the input decides counts its work
//   here, about one unit per element visited, moved or built. Every
//   kPollInterval units the interrupt hook runs; it may throw (the glue's
//   turns a pending cancel or statement_timeout into an exception), which
//   unwinds the core like any other error. Never called from a destructor
//   or a noexcept function.
// * check_stack(): called once per level by the core's few recursive walks;
//   the stack hook throws when the call stack is near the host's limit.
// * charge(bytes): the bytes of tree nodes and strings a core operation
//   builds or copies (not the trees its caller hands in). Each public
//   operation on input (applying a patch, a diff, a merge, decoding a
//   payload, parsing text) runs in a BudgetScope; the charges made inside
//   the outermost scope count against the budget, and passing it throws
//   Error(MemoryLimit). Outside any scope nothing is limited.
//
// The state is per process (a PostgreSQL backend is single-threaded).
#pragma once

#include <cstddef>
#include <cstdint>

namespace tscore {

// Units of work between two calls of the interrupt hook: a few hundred
// microseconds of the cheapest work, so a cancel is seen well within a
// millisecond of any loop that polls.
constexpr long kPollInterval = 4096;

// Deepest state a version may hold. PostgreSQL's jsonb text input reads
// about 13,000 levels of objects with the default max_stack_depth (2MB),
// measured on PostgreSQL 15; a stored state stays safely below that so that
// every version can be written out as text and read back.
constexpr int kMaxStateDepth = 10000;

using LimitHook = void (*)();

// The interrupt hook (nullptr: none).
void set_interrupt_hook(LimitHook hook);
// The stack hook (nullptr: none; the walks then rely on kMaxDepth alone).
void set_stack_hook(LimitHook hook);
// The memory budget in bytes of one operation (0: unlimited).
void set_memory_budget(size_t bytes);
size_t memory_budget();

namespace limits_detail {
extern long poll_countdown;
extern LimitHook stack_hook;
extern size_t left_bytes;  // bytes still allowed in the current scope
void poll_slow();
[[noreturn]] void over_budget(size_t bytes);
}  // namespace limits_detail

// Counts units of work; runs the interrupt hook every kPollInterval units.
inline void poll(long units = 1) {
    if ((limits_detail::poll_countdown -= units) < 0) limits_detail::poll_slow();
}

// Runs the stack hook, if any.
inline void check_stack() {
    if (limits_detail::stack_hook) limits_detail::stack_hook();
}

// Counts bytes about to be allocated; throws Error(MemoryLimit) when they
// pass the budget of the current scope.
inline void charge(size_t bytes) {
    if (bytes > limits_detail::left_bytes) limits_detail::over_budget(bytes);
    limits_detail::left_bytes -= bytes;
}

// The budget of one operation: the outermost scope starts counting from
// zero, nested scopes share it.
class BudgetScope {
public:
    BudgetScope();
    ~BudgetScope();
    BudgetScope(const BudgetScope &) = delete;
    BudgetScope &operator=(const BudgetScope &) = delete;
};

// Bytes charged in the current outermost scope so far (tests, diagnostics).
size_t budget_used();

}  // namespace tscore
