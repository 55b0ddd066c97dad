// value_walk.hpp — a pre-order walk of a Value with a heap stack.
//
// The encoders and the version hash all serialise a tree the same way
// (container header, then each element, object keys before their values).
// Walking with an explicit stack instead of recursion keeps deep documents
// (kMaxDepth levels) off the call stack of a PostgreSQL backend.
#pragma once

#include <vector>

#include "errors.hpp"
#include "json_value.hpp"

namespace tscore {

// Calls, in document order:
//   sink.scalar(v)  for null, booleans, numbers and strings
//   sink.open(v)    for arrays and objects, before their contents
//   sink.key(k)     for each object member, before its value
// Past max_depth nested containers it calls too_deep, which throws
// (Error(TooDeep) by default); it throws Error(Invalid) when object members
// are not strictly in key_less order (a serialisation of such a tree would
// not be canonical). Polls for interrupts once per value.
template <class Sink>
void walk_value(const Value &root, Sink &sink, int max_depth = kMaxDepth, void (*too_deep)() = throw_too_deep) {
    struct Frame {
        const Value *v;
        size_t next;
    };
    std::vector<Frame> stack;
    auto enter = [&](const Value &v) {
        poll();
        if (!v.is_container()) {
            sink.scalar(v);
            return;
        }
        if (stack.size() >= size_t(max_depth)) too_deep();
        sink.open(v);
        if (!v.items().empty() || !v.members().empty()) stack.push_back({&v, 0});
    };
    enter(root);
    while (!stack.empty()) {
        Frame &f = stack.back();
        const Value &c = *f.v;
        if (c.is_array()) {
            if (f.next == c.items().size()) {
                stack.pop_back();
                continue;
            }
            enter(c.items()[f.next++]);  // may grow the stack: f is not used after
        } else {
            const auto &members = c.members();
            if (f.next == members.size()) {
                stack.pop_back();
                continue;
            }
            size_t i = f.next++;
            if (i > 0 && !key_less(members[i - 1].first, members[i].first))
                throw Error(ErrorKind::Invalid, "object members are not in jsonb key order",
                            "An object key is out of order or repeated.");
            sink.key(members[i].first);
            enter(members[i].second);
        }
    }
}

}  // namespace tscore
