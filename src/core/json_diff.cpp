// json_diff.cpp — an RFC 6902 patch between two trees.
//
// Objects are walked key by key (a merge of two sorted member lists);
// arrays of equal length pair up element by element; when the length
// changed, the common prefix and suffix are kept and the middle is paired
// up element by element, removing or adding what is left over. Values of different
// kinds, and scalars that differ, are replaced whole. The patch reproduces
// b exactly: apply_json_patch(a, json_diff(a, b)) == b.
#include <algorithm>

#include "json_patch.hpp"

namespace tscore {

namespace {

class Differ {
public:
    explicit Differ(Value &out) : out_(out) {}

    // level: the nesting level a and b have if they are containers.
    void diff(const Value &a, const Value &b, int level) {
        if (a.kind() != b.kind()) return emit("replace", &b);
        switch (a.kind()) {
            case Kind::Null:
            case Kind::True:
            case Kind::False:
                return;
            case Kind::Number:
            case Kind::String:
                if (a.text() != b.text()) emit("replace", &b);
                return;
            case Kind::Object:
                if (level > kMaxDepth) throw_too_deep();
                check_stack();
                return diff_objects(a.members(), b.members(), level);
            case Kind::Array:
                if (level > kMaxDepth) throw_too_deep();
                check_stack();
                return diff_arrays(a.items(), b.items(), level);
        }
    }

private:
    // One step of the current location: an object key or an array index.
    // The pointer text is only built when an operation is emitted.
    struct Step {
        const std::string *key;  // nullptr: an array index
        size_t index;
    };

    // An operation at the current location. Members in key_less order:
    // "op" < "path" < "value".
    void emit(const char *op, const Value *value) {
        std::string pointer;
        for (const Step &s : path_) {
            if (s.key) {
                append_pointer_token(pointer, *s.key);
            } else {
                pointer += '/';
                pointer += std::to_string(s.index);
            }
        }
        poll();
        charge(sizeof(Value) + 3 * sizeof(Member) + pointer.size());
        Value o = Value::object();
        o.members().reserve(value ? 3 : 2);
        o.push_member_sorted("op", Value::string(op));
        o.push_member_sorted("path", Value::string(std::move(pointer)));
        if (value) o.push_member_sorted("value", *value);
        out_.items().push_back(std::move(o));
    }
    void emit_at(const std::string &key, const char *op, const Value *value) {
        path_.push_back({&key, 0});
        emit(op, value);
        path_.pop_back();
    }
    void emit_at(size_t index, const char *op, const Value *value) {
        path_.push_back({nullptr, index});
        emit(op, value);
        path_.pop_back();
    }

    void diff_objects(const std::vector<Member> &am, const std::vector<Member> &bm, int level) {
        poll(static_cast<long>(am.size() + bm.size()));  // emit polls too
        size_t i = 0, j = 0;
        while (i < am.size() || j < bm.size()) {
            if (j == bm.size() || (i < am.size() && key_less(am[i].first, bm[j].first))) {
                emit_at(am[i].first, "remove", nullptr);
                i++;
            } else if (i == am.size() || key_less(bm[j].first, am[i].first)) {
                emit_at(bm[j].first, "add", &bm[j].second);
                j++;
            } else {
                path_.push_back({&am[i].first, 0});
                diff(am[i++].second, bm[j++].second, level + 1);
                path_.pop_back();
            }
        }
    }

    void diff_arrays(const std::vector<Value> &a, const std::vector<Value> &b, int level) {
        poll(static_cast<long>(a.size() + b.size()));  // == and emit poll too
        const size_t shorter = std::min(a.size(), b.size());
        size_t prefix = 0, suffix = 0;
        // Equal lengths pair up element by element anyway, and trimming
        // would compare every subtree once per array above it (quadratic
        // for nested arrays), so only a length change aligns the ends.
        if (a.size() != b.size()) {
            while (prefix < shorter && a[prefix] == b[prefix]) prefix++;
            while (suffix < shorter - prefix && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) suffix++;
        }
        const size_t ma = a.size() - prefix - suffix, mb = b.size() - prefix - suffix;
        // Paired middle elements change in place; the indices do not move.
        for (size_t k = 0; k < std::min(ma, mb); k++) {
            path_.push_back({nullptr, prefix + k});
            diff(a[prefix + k], b[prefix + k], level + 1);
            path_.pop_back();
        }
        // Surplus elements of a go from the highest index down, so each
        // index is still valid when its removal runs.
        for (size_t k = ma; k > mb; k--) emit_at(prefix + k - 1, "remove", nullptr);
        for (size_t k = ma; k < mb; k++) emit_at(prefix + k, "add", &b[prefix + k]);
    }

    Value &out_;
    std::vector<Step> path_;
};

}  // namespace

Value json_diff(const Value &a, const Value &b) {
    BudgetScope budget;
    Value out = Value::array();
    Differ(out).diff(a, b, 1);
    return out;
}

}  // namespace tscore
