// limits.cpp — see limits.hpp.
#include "limits.hpp"

#include <string>

#include "errors.hpp"

namespace tscore {

namespace limits_detail {

long poll_countdown = kPollInterval;
LimitHook stack_hook = nullptr;
size_t left_bytes = SIZE_MAX;

namespace {
LimitHook interrupt_hook = nullptr;
size_t budget_bytes = 0;  // 0: unlimited
size_t scope_limit = SIZE_MAX;  // the budget the outermost open scope started with
int scope_depth = 0;
}  // namespace

void poll_slow() {
    poll_countdown = kPollInterval;
    if (interrupt_hook) interrupt_hook();
}

void over_budget(size_t) {
    std::string kb = std::to_string((budget_bytes + 1023) / 1024);
    throw Error(ErrorKind::MemoryLimit, "JSON operation exceeds the memory limit of " + kb + " kB",
                "The values it builds or copies would take more than " + kb + " kB.");
}

}  // namespace limits_detail

using namespace limits_detail;

void set_interrupt_hook(LimitHook hook) { interrupt_hook = hook; }

void set_stack_hook(LimitHook hook) { stack_hook = hook; }

void set_memory_budget(size_t bytes) {
    budget_bytes = bytes;
    // A scope already open keeps counting against the new budget.
    if (scope_depth > 0) {
        size_t used = scope_limit - left_bytes;
        scope_limit = bytes ? bytes : SIZE_MAX;
        left_bytes = used >= scope_limit ? 0 : scope_limit - used;
    }
}

size_t memory_budget() { return budget_bytes; }

size_t budget_used() { return scope_depth > 0 ? scope_limit - left_bytes : 0; }

BudgetScope::BudgetScope() {
    if (scope_depth++ == 0) {
        scope_limit = budget_bytes ? budget_bytes : SIZE_MAX;
        left_bytes = scope_limit;
    }
}

BudgetScope::~BudgetScope() {
    if (--scope_depth == 0) left_bytes = SIZE_MAX;
}

}  // namespace tscore
