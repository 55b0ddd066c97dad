// jsonb_delta.cpp — see jsonb_delta.hpp.
#include "pg/jsonb_delta.hpp"

#include <algorithm>
#include <optional>

#include "core/errors.hpp"
#include "core/json_patch.hpp"
#include "pg/jsonb_format.hpp"

namespace tspg {

namespace {

// A child with what the diff needs: its bytes and its tree.
struct Child : JsonbChild {
    Child() = default;
    Child(const JsonbChild &c) : JsonbChild(c) {}
    // The data without the padding that aligns numerics and containers.
    // jsonb's layout is canonical and position-independent, so equal
    // values have equal bytes, and a numeric's bytes fix its text.
    std::string_view bytes() const {
        uint32 start = (type() == JENTRY_ISNUMERIC || type() == JENTRY_ISCONTAINER) ? INTALIGN(off) : off;
        return std::string_view(base + start, off + len - start);
    }
    bool same(const Child &o) const { return type() == o.type() && bytes() == o.bytes(); }
    tscore::Value value() const { return is_container() ? container_to_value(container()) : scalar_at(entry, base, off, len); }
};

// All children of a container: an array's elements, or an object's keys
// (0..n-1) then its values (n..2n-1).
std::vector<Child> children(const JsonbContainer *c) {
    uint32 n = JsonContainerSize(c);
    uint32 count = JsonContainerIsObject(c) ? 2 * n : n;
    const char *base = (const char *)&c->children[count];
    std::vector<Child> out;
    out.reserve(count);
    uint32 off = 0;
    tscore::poll((long)count);
    for (uint32 i = 0; i < count; i++) {
        uint32 len = entry_length(c, (int)i, off);
        out.push_back(Child(JsonbChild{c->children[i], base, off, len}));
        off += len;
    }
    return out;
}

// The kind of a container child as json_diff sees it: containers split
// into objects and arrays.
int kind_of(const Child &c) {
    if (!c.is_container()) return (int)c.type();
    return JsonContainerIsObject(c.container()) ? -1 : -2;
}

// The operations a diff emits: RFC 6902 names and compact-form codes
// (patch_compact.hpp).
enum class Op { Add, Remove, Replace };
const char *op_name(Op op) { return op == Op::Add ? "add" : op == Op::Remove ? "remove" : "replace"; }
const char *op_code(Op op) { return op == Op::Add ? "0" : op == Op::Remove ? "1" : "2"; }

// Thrown past kJsonbDiffDepth; jsonb_diff turns it into nullopt.
struct TooDeep {};

class Differ {
public:
    Differ(tscore::Value &out, bool compact) : out_(out), compact_(compact) {}

    void diff(const Child &a, const Child &b, int level) {
        if (kind_of(a) != kind_of(b)) return emit(Op::Replace, &b);
        if (!a.is_container()) {
            if (a.bytes() != b.bytes()) emit(Op::Replace, &b);
            return;
        }
        if (a.bytes() == b.bytes()) return;  // unchanged subtree
        if (level > kJsonbDiffDepth) throw TooDeep{};
        if (JsonContainerIsObject(a.container()))
            diff_objects(a.container(), b.container(), level);
        else
            diff_arrays(a.container(), b.container(), level);
    }

    void diff_roots(const JsonbContainer *a, const JsonbContainer *b) {
        bool sa = JsonContainerIsScalar(a), sb = JsonContainerIsScalar(b);
        if (sa || sb) {
            // A raw scalar document: compare it as a value at the root.
            if (sa && sb) {
                std::vector<Child> ca = children(a), cb = children(b);
                return diff(ca[0], cb[0], 1);
            }
            return emit(Op::Replace, nullptr, b);
        }
        if (JsonContainerIsObject(a) != JsonContainerIsObject(b)) return emit(Op::Replace, nullptr, b);
        if (JsonContainerIsObject(a))
            diff_objects(a, b, 1);
        else
            diff_arrays(a, b, 1);
    }

private:
    struct Step {
        std::string_view key;
        bool is_key;
        size_t index;
    };

    // An operation at the current location, built as json_diff builds it
    // (members in key_less order: "op" < "path" < "value"); its value is a
    // child, or a whole document (whole), or none.
    void emit(Op op, const Child *value, const JsonbContainer *whole = nullptr) {
        std::string pointer;
        for (const Step &s : path_) {
            if (s.is_key) {
                tscore::append_pointer_token(pointer, s.key);
            } else {
                pointer += '/';
                pointer += std::to_string(s.index);
            }
        }
        std::optional<tscore::Value> v;
        if (value)
            v = value->value();
        else if (whole)
            v = container_to_value(whole);
        if (compact_) {
            // [code, path, value]
            tscore::Value c = tscore::Value::array();
            c.items().reserve(3);
            c.items().push_back(tscore::Value::number(op_code(op)));
            c.items().push_back(tscore::Value::string(std::move(pointer)));
            if (v) c.items().push_back(std::move(*v));
            out_.items().push_back(std::move(c));
            return;
        }
        tscore::Value o = tscore::Value::object();
        o.members().reserve(3);
        o.push_member_sorted("op", tscore::Value::string(op_name(op)));
        o.push_member_sorted("path", tscore::Value::string(std::move(pointer)));
        if (v) o.push_member_sorted("value", std::move(*v));
        out_.items().push_back(std::move(o));
    }
    void emit_at(std::string_view key, Op op, const Child *value) {
        path_.push_back({key, true, 0});
        emit(op, value);
        path_.pop_back();
    }
    void emit_at(size_t index, Op op, const Child *value) {
        path_.push_back({{}, false, index});
        emit(op, value);
        path_.pop_back();
    }

    void diff_objects(const JsonbContainer *a, const JsonbContainer *b, int level) {
        std::vector<Child> ca = children(a), cb = children(b);
        size_t na = JsonContainerSize(a), nb = JsonContainerSize(b);
        size_t i = 0, j = 0;
        while (i < na || j < nb) {
            tscore::poll();
            std::string_view ka = i < na ? ca[i].bytes() : std::string_view();
            std::string_view kb = j < nb ? cb[j].bytes() : std::string_view();
            if (j == nb || (i < na && tscore::key_less(ka, kb))) {
                emit_at(ka, Op::Remove, nullptr);
                i++;
            } else if (i == na || tscore::key_less(kb, ka)) {
                emit_at(kb, Op::Add, &cb[nb + j]);
                j++;
            } else {
                path_.push_back({ka, true, 0});
                diff(ca[na + i++], cb[nb + j++], level + 1);
                path_.pop_back();
            }
        }
    }

    void diff_arrays(const JsonbContainer *a, const JsonbContainer *b, int level) {
        std::vector<Child> ca = children(a), cb = children(b);
        const size_t shorter = std::min(ca.size(), cb.size());
        size_t prefix = 0, suffix = 0;
        if (ca.size() != cb.size()) {
            while (prefix < shorter && ca[prefix].same(cb[prefix])) prefix++;
            while (suffix < shorter - prefix && ca[ca.size() - 1 - suffix].same(cb[cb.size() - 1 - suffix])) suffix++;
        }
        const size_t ma = ca.size() - prefix - suffix, mb = cb.size() - prefix - suffix;
        for (size_t k = 0; k < std::min(ma, mb); k++) {
            tscore::poll();
            path_.push_back({{}, false, prefix + k});
            diff(ca[prefix + k], cb[prefix + k], level + 1);
            path_.pop_back();
        }
        for (size_t k = ma; k > mb; k--) {
            tscore::poll();
            emit_at(prefix + k - 1, Op::Remove, nullptr);
        }
        for (size_t k = ma; k < mb; k++) {
            tscore::poll();
            emit_at(prefix + k, Op::Add, &cb[prefix + k]);
        }
    }

    tscore::Value &out_;
    bool compact_;
    std::vector<Step> path_;
};

// Writes what walk_jsonb visits in the hash's state encoding.
class HashSink {
public:
    explicit HashSink(tscore::StateHashWriter &w) : w_(w) {}
    void open(const JsonbContainer *c) {
        if (JsonContainerIsObject(c))
            w_.open_object(JsonContainerSize(c));
        else
            w_.open_array(JsonContainerSize(c));
    }
    void close() {}
    void key(std::string_view k) { w_.key(k); }
    void scalar(const JsonbChild &c) {
        switch (c.type()) {
            case JENTRY_ISSTRING: w_.string(std::string_view(c.base + c.off, c.len)); return;
            case JENTRY_ISNUMERIC:
                numeric_text_into(c.base + INTALIGN(c.off), scratch_);
                w_.number(scratch_);
                return;
            case JENTRY_ISBOOL_FALSE: w_.boolean(false); return;
            case JENTRY_ISBOOL_TRUE: w_.boolean(true); return;
            case JENTRY_ISNULL: w_.null(); return;
            default: break;
        }
        throw tscore::Error(tscore::ErrorKind::CorruptPayload, "unexpected jsonb entry type");
    }

private:
    tscore::StateHashWriter &w_;
    std::string scratch_;  // number text, reused across the walk
};

}  // namespace

std::optional<tscore::Value> jsonb_diff(const Jsonb *a, const Jsonb *b, bool compact) {
    tscore::Value out = tscore::Value::array();
    try {
        Differ d(out, compact);
        d.diff_roots(&a->root, &b->root);
    } catch (const TooDeep &) {
        return std::nullopt;
    }
    return out;
}

void jsonb_hash_state(const Jsonb *jb, tscore::StateHashWriter &w, bool new_state) {
    const JsonbContainer *root = &jb->root;
    HashSink sink(w);
    if (JsonContainerIsScalar(root))
        sink.scalar(children(root)[0]);
    else if (new_state)
        walk_jsonb(root, sink, tscore::kMaxStateDepth, tscore::throw_state_too_deep);
    else
        walk_jsonb(root, sink);
}

}  // namespace tspg
