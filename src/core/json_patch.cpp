// json_patch.cpp — applying RFC 6902 JSON Patches.
//
// Operations edit the document in place, one after another; the document
// is the caller's copy, so a failing operation leaves nothing half-applied
// for anyone to see.
#include "json_patch.hpp"

#include <algorithm>
#include <cstdint>

#include "errors.hpp"
#include "patch_compact.hpp"

namespace tscore {

bool parse_array_index(std::string_view token, size_t &index) {
    if (token.empty() || (token.size() > 1 && token[0] == '0')) return false;
    size_t v = 0;
    for (char c : token) {
        if (c < '0' || c > '9') return false;
        v = v > (SIZE_MAX - 9) / 10 ? SIZE_MAX : v * 10 + static_cast<size_t>(c - '0');
    }
    index = v;
    return true;
}

namespace {

enum class Op { Add, Remove, Replace, Move, Copy, Test };

bool parse_op(std::string_view name, Op &op) {
    static const std::pair<std::string_view, Op> ops[] = {
        {"add", Op::Add},   {"remove", Op::Remove}, {"replace", Op::Replace},
        {"move", Op::Move}, {"copy", Op::Copy},     {"test", Op::Test},
    };
    for (const auto &[n, o] : ops)
        if (n == name) {
            op = o;
            return true;
        }
    return false;
}

Value *child(Value *parent, const std::string &token) {
    if (parent->is_object()) return parent->find(token);
    size_t i;
    if (parent->is_array() && parse_array_index(token, i) && i < parent->items().size()) return &parent->items()[i];
    return nullptr;
}

// The node at the first n tokens of path, or nullptr when there is none.
Value *resolve(Value &doc, const Path &path, size_t n) {
    Value *cur = &doc;
    for (size_t i = 0; i < n && cur; i++) cur = child(cur, path[i]);
    return cur;
}

// A value placed under n path tokens must keep the document within kMaxDepth.
void check_depth(size_t n, const Value &v) {
    if (n + static_cast<size_t>(nesting_depth(v)) > static_cast<size_t>(kMaxDepth)) throw_too_deep();
}

// A path or name quoted for a message, escaped so it cannot garble it.
std::string quoted(const std::string &s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

const char *op_name(Op op) {
    static const char *const names[] = {"add", "remove", "replace", "move", "copy", "test"};
    return names[static_cast<int>(op)];
}

// One operation, read out of whichever form the patch is in.
struct OpSpec {
    Op op = Op::Add;
    const std::string *path = nullptr;
    const std::string *from = nullptr;  // move, copy
    Value *value = nullptr;             // add, replace, test
    bool value_movable = false;         // the patch is the caller's to consume
};

// One operation of a patch: its index and the errors it raises.
class Operation {
public:
    Operation(Value &doc, const OpSpec &spec, size_t index) : doc_(doc), spec_(spec), index_(index) {}
    void apply();

private:
    [[noreturn]] void invalid(const std::string &reason) const {
        throw Error(ErrorKind::InvalidPatch,
                    "invalid JSON Patch operation at index " + std::to_string(index_) + ": " + reason, summary());
    }
    [[noreturn]] void failed(const std::string &reason) const {
        throw Error(ErrorKind::InvalidPatch,
                    "JSON Patch operation at index " + std::to_string(index_) + " failed: " + reason, summary());
    }
    // The detail: the operation without its value, which may be large.
    std::string summary() const {
        std::string s = "The operation is {";
        append_json_string(s, "op");
        s += ": ";
        append_json_string(s, op_name(spec_.op));
        for (auto [key, v] : {std::pair<const char *, const std::string *>{"path", spec_.path}, {"from", spec_.from}}) {
            if (!v) continue;
            s += ", ";
            append_json_string(s, key);
            s += ": ";
            append_json_string(s, *v);
        }
        return s + "}.";
    }
    Path pointer(const std::string &text) const {
        try {
            return parse_pointer(text);
        } catch (const Error &e) {
            invalid(e.what());
        }
    }
    [[noreturn]] void missing(const char *what, const std::string &text) const {
        failed(std::string(what) + " " + quoted(text) + " does not exist");
    }
    // The operation's value: moved out of the patch when it may be.
    Value take_value() const { return spec_.value_movable ? std::move(*spec_.value) : *spec_.value; }

    void add(const Path &path, const std::string &text, Value v);
    Value remove(const Path &path, const std::string &text, const char *what);

    Value &doc_;
    const OpSpec &spec_;
    size_t index_;
};

void Operation::apply() {
    const std::string &text = *spec_.path;
    Path path = pointer(text);
    poll(static_cast<long>(1 + path.size()));

    switch (spec_.op) {
        case Op::Add:
            add(path, text, take_value());
            return;
        case Op::Remove:
            remove(path, text, "path");
            return;
        case Op::Replace: {
            check_depth(path.size(), *spec_.value);
            Value *target = resolve(doc_, path, path.size());
            if (!target) failed("path " + quoted(text) + " does not exist");
            *target = take_value();
            return;
        }
        case Op::Test: {
            const Value *target = resolve(doc_, path, path.size());
            if (!target) failed("path " + quoted(text) + " does not exist");
            if (*target != *spec_.value) failed("value at path " + quoted(text) + " differs from the expected value");
            return;
        }
        case Op::Move: {
            const std::string &from_text = *spec_.from;
            Path from = pointer(from_text);
            if (from == path) {
                if (!resolve(doc_, from, from.size())) failed("from path " + quoted(from_text) + " does not exist");
                return;
            }
            if (path.size() > from.size() && std::equal(from.begin(), from.end(), path.begin()))
                failed("cannot move path " + quoted(from_text) + " into its own child " + quoted(text));
            add(path, text, remove(from, from_text, "from path"));
            return;
        }
        case Op::Copy: {
            const std::string &from_text = *spec_.from;
            Path from = pointer(from_text);
            const Value *source = resolve(doc_, from, from.size());
            if (!source) failed("from path " + quoted(from_text) + " does not exist");
            add(path, text, *source);
            return;
        }
    }
}

void Operation::add(const Path &path, const std::string &text, Value v) {
    check_depth(path.size(), v);
    if (path.empty()) {
        doc_ = std::move(v);
        return;
    }
    Value *parent = resolve(doc_, path, path.size() - 1);
    if (!parent) failed("parent of path " + quoted(text) + " does not exist");
    const std::string &last = path.back();
    if (parent->is_object()) {
        parent->set(last, std::move(v));
        return;
    }
    if (!parent->is_array()) failed("parent of path " + quoted(text) + " is not an object or array");
    auto &items = parent->items();
    size_t i = items.size();
    if (last != "-" && !parse_array_index(last, i)) failed("invalid array index in path " + quoted(text));
    if (i > items.size()) failed("array index in path " + quoted(text) + " is out of range");
    poll(static_cast<long>(items.size() - i));  // the elements the insert moves
    items.insert(items.begin() + static_cast<std::ptrdiff_t>(i), std::move(v));
}

Value Operation::remove(const Path &path, const std::string &text, const char *what) {
    if (path.empty()) failed("cannot remove the whole document");
    Value *parent = resolve(doc_, path, path.size() - 1);
    if (!parent) missing(what, text);
    const std::string &last = path.back();
    Value out;
    if (parent->is_object()) {
        Value *target = parent->find(last);
        if (!target) missing(what, text);
        out = std::move(*target);
        parent->erase(last);
        return out;
    }
    size_t i;
    if (!parent->is_array() || !parse_array_index(last, i) || i >= parent->items().size()) missing(what, text);
    auto &items = parent->items();
    poll(static_cast<long>(items.size() - i));  // the elements the erase moves
    out = std::move(items[i]);
    items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
    return out;
}

// An RFC 6902 operation object, checked member by member.
OpSpec rfc_spec(const Value &op, size_t index) {
    auto invalid = [&](const std::string &reason) {
        std::string detail;
        if (op.is_object()) {
            for (const char *key : {"op", "path", "from"}) {
                const Value *v = op.find(key);
                if (!v || !v->is_string()) continue;
                detail += detail.empty() ? "The operation is {" : ", ";
                append_json_string(detail, key);
                detail += ": ";
                append_json_string(detail, v->text());
            }
            if (!detail.empty()) detail += "}.";
        }
        throw Error(ErrorKind::InvalidPatch,
                    "invalid JSON Patch operation at index " + std::to_string(index) + ": " + reason, detail);
    };
    if (!op.is_object()) invalid("operation is not an object");
    const Value *name = op.find("op");
    if (!name || !name->is_string()) invalid("missing or non-string \"op\" member");
    OpSpec spec;
    if (!parse_op(name->text(), spec.op)) invalid("unknown op " + quoted(name->text()));
    const Value *path = op.find("path");
    if (!path || !path->is_string()) invalid("missing or non-string \"path\" member");
    spec.path = &path->text();
    if (spec.op == Op::Move || spec.op == Op::Copy) {
        const Value *from = op.find("from");
        if (!from || !from->is_string()) invalid("missing or non-string \"from\" member");
        spec.from = &from->text();
    }
    if (spec.op == Op::Add || spec.op == Op::Replace || spec.op == Op::Test) {
        const Value *v = op.find("value");
        if (!v) invalid("missing \"value\" member");
        spec.value = const_cast<Value *>(v);  // never moved from: value_movable is false
    }
    return spec;
}

}  // namespace

Value apply_json_patch(Value doc, const Value &patch) {
    BudgetScope budget;
    if (!patch.is_array()) throw Error(ErrorKind::InvalidPatch, "JSON Patch must be an array of operations");
    const auto &ops = patch.items();
    for (size_t i = 0; i < ops.size(); i++) {
        OpSpec spec = rfc_spec(ops[i], i);
        Operation(doc, spec, i).apply();
    }
    return doc;
}

Value apply_compact_patch(Value doc, Value &&compact) {
    BudgetScope budget;
    auto corrupt = [] {
        throw Error(ErrorKind::CorruptPayload, "corrupt stored patch", "A compact patch operation is malformed.");
    };
    if (!compact.is_array()) corrupt();
    auto &ops = compact.items();
    for (size_t i = 0; i < ops.size(); i++) {
        Value &c = ops[i];
        if (!c.is_array() || c.items().size() < 2 || !c.items()[0].is_number() || !c.items()[1].is_string())
            corrupt();
        const std::string &code = c.items()[0].text();
        if (code.size() != 1 || code[0] < '0' || code[0] > '5') corrupt();
        OpSpec spec;
        spec.op = static_cast<Op>(code[0] - '0');
        bool has_arg = spec.op != Op::Remove;
        if (c.items().size() != (has_arg ? 3u : 2u)) corrupt();
        spec.path = &c.items()[1].text();
        if (spec.op == Op::Move || spec.op == Op::Copy) {
            if (!c.items()[2].is_string()) corrupt();
            spec.from = &c.items()[2].text();
        } else if (has_arg) {
            spec.value = &c.items()[2];
            spec.value_movable = true;
        }
        Operation(doc, spec, i).apply();
    }
    return doc;
}

}  // namespace tscore
