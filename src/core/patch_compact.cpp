// patch_compact.cpp — see patch_compact.hpp.
#include "patch_compact.hpp"

#include <cstring>

#include "errors.hpp"

namespace tscore {

namespace {

const char *const kOps[] = {"add", "remove", "replace", "move", "copy", "test"};
constexpr int kOpCount = 6;

int op_code(const std::string &op) {
    for (int i = 0; i < kOpCount; i++)
        if (op == kOps[i]) return i;
    return -1;
}

[[noreturn]] void corrupt() {
    throw Error(ErrorKind::CorruptPayload, "corrupt stored patch", "A compact patch operation is malformed.");
}

}  // namespace

std::optional<Value> compact_patch(const Value &patch) {
    BudgetScope budget;
    if (!patch.is_array()) return std::nullopt;
    Value out = Value::array();
    out.items().reserve(patch.items().size());
    for (const Value &op : patch.items()) {
        poll();
        if (!op.is_object()) return std::nullopt;
        const Value *name = op.find("op");
        const Value *path = op.find("path");
        if (!name || !name->is_string() || !path || !path->is_string()) return std::nullopt;
        int code = op_code(name->text());
        if (code < 0) return std::nullopt;
        Value c = Value::array();
        c.items().push_back(Value::number(std::to_string(code)));
        c.items().push_back(*path);
        if (code == 0 || code == 2 || code == 5) {
            const Value *v = op.find("value");
            if (!v) return std::nullopt;
            c.items().push_back(*v);
        } else if (code == 3 || code == 4) {
            const Value *from = op.find("from");
            if (!from || !from->is_string()) return std::nullopt;
            c.items().push_back(*from);
        }
        out.items().push_back(std::move(c));
    }
    return out;
}

Value expand_patch(const Value &compact) {
    BudgetScope budget;
    if (!compact.is_array()) corrupt();
    Value out = Value::array();
    out.items().reserve(compact.items().size());
    for (const Value &c : compact.items()) {
        poll();
        if (!c.is_array() || c.items().size() < 2 || !c.items()[0].is_number() || !c.items()[1].is_string())
            corrupt();
        const std::string &code_text = c.items()[0].text();
        if (code_text.size() != 1 || code_text[0] < '0' || code_text[0] >= '0' + kOpCount) corrupt();
        int code = code_text[0] - '0';
        bool has_arg = code != 1;
        if (c.items().size() != (has_arg ? 3u : 2u)) corrupt();
        Value op = Value::object();
        op.set("op", Value::string(kOps[code]));
        op.set("path", c.items()[1]);
        if (code == 3 || code == 4) {
            if (!c.items()[2].is_string()) corrupt();
            op.set("from", c.items()[2]);
        } else if (has_arg) {
            op.set("value", c.items()[2]);
        }
        out.items().push_back(std::move(op));
    }
    return out;
}

}  // namespace tscore
