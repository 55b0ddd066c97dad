// jsonb_format.hpp — reading jsonb's binary format in place (utils/jsonb.h):
// the pieces jsonb_convert.cpp uses, shared with the commit path's
// jsonb diff and hash (jsonb_delta.cpp).
#pragma once

#include "pg/pg_headers.hpp"
#include "core/errors.hpp"
#include "core/json_value.hpp"

namespace tspg {

// A numeric datum's text, exactly as numeric_out prints it (the second
// form reuses the caller's buffer).
std::string numeric_text(const char *numeric);
void numeric_text_into(const char *numeric, std::string &out);
// The scalar child with JEntry `entry` whose data is at base + offset.
tscore::Value scalar_at(uint32 entry, const char *base, uint32 offset, uint32 len);
// Length of child `index` of c, given the offset where its data starts.
uint32 entry_length(const JsonbContainer *c, int index, uint32 offset);
// The tree of a container (a raw-scalar container gives its scalar).
tscore::Value container_to_value(const JsonbContainer *c);

// One child of a jsonb container: its JEntry and where its data lies.
struct JsonbChild {
    uint32 entry;
    const char *base;  // the container's data area
    uint32 off, len;   // offset of the data (before alignment) and length

    uint32 type() const { return entry & JENTRY_TYPEMASK; }
    bool is_container() const { return type() == JENTRY_ISCONTAINER; }
    const JsonbContainer *container() const { return (const JsonbContainer *)(base + INTALIGN(off)); }
};

// Writing a tree in which some strings are placeholders for children of
// existing jsonb containers (jsonb_replay.cpp): a placeholder is a string
// of a NUL byte and a 4-byte index into refs, which jsonb text can never
// hold (jsonb refuses \u0000). The result is a whole Jsonb varlena.
// size_hint: the expected size, reserved up front (no growth by doubling).
std::string value_to_jsonb_bytes(const tscore::Value &root, const std::vector<JsonbChild> *refs,
                                 size_t size_hint = 0);
tscore::Value placeholder(uint32 index);
bool placeholder_index(const tscore::Value &v, uint32 &index);

// A pre-order walk of a container with a heap stack (deep documents stay
// off the call stack), reading offsets as it goes. Calls, in document
// order:
//   sink.open(c)      for the root and every nested container, before its
//                     contents (JsonContainerSize/IsObject tell what it is)
//   sink.close()      after a container's last child
//   sink.key(k)       for each object member, before its value
//   sink.scalar(ch)   for every scalar child
// Past max_depth nested containers it calls too_deep, which throws
// (Error(TooDeep) by default). Polls for interrupts once per child. The
// root must not be a raw scalar.
template <class Sink>
void walk_jsonb(const JsonbContainer *root, Sink &sink, int max_depth = tscore::kMaxDepth,
                void (*too_deep)() = tscore::throw_too_deep) {
    struct Frame {
        const JsonbContainer *c;
        uint32 n, i;
        bool object;
        const char *base;
        uint32 key_off, val_off;  // running offsets of the next key and value
    };
    std::vector<Frame> stack;
    auto open = [&](const JsonbContainer *c) {
        if ((int)stack.size() >= max_depth) too_deep();
        sink.open(c);
        uint32 n = JsonContainerSize(c);
        bool object = JsonContainerIsObject(c);
        Frame f{c, n, 0, object, (const char *)&c->children[object ? 2 * n : n], 0, 0};
        if (object && n > 0) f.val_off = getJsonbOffset(c, (int)n);
        stack.push_back(f);
    };
    open(root);
    while (!stack.empty()) {
        tscore::poll();
        Frame &f = stack.back();
        if (f.i == f.n) {
            stack.pop_back();
            sink.close();
            continue;
        }
        uint32 i = f.i++;
        JsonbChild ch;
        if (f.object) {
            uint32 klen = entry_length(f.c, (int)i, f.key_off);
            sink.key(std::string_view(f.base + f.key_off, klen));
            f.key_off += klen;
            uint32 len = entry_length(f.c, (int)(f.n + i), f.val_off);
            ch = JsonbChild{f.c->children[f.n + i], f.base, f.val_off, len};
            f.val_off += len;
        } else {
            uint32 len = entry_length(f.c, (int)i, f.key_off);
            ch = JsonbChild{f.c->children[i], f.base, f.key_off, len};
            f.key_off += len;
        }
        if (ch.is_container())
            open(ch.container());  // may move f: not used after
        else
            sink.scalar(ch);
    }
}

}  // namespace tspg
