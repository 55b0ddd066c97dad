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
                return diff_objects(a.members(), b.members(), level);
            case Kind::Array:
                if (level > kMaxDepth) throw_too_deep();
                return diff_arrays(a.items(), b.items(), level);
        }
    }

private:
    // An operation at the current pointer. Members in key_less order:
    // "op" < "path" < "value".
    void emit(const char *op, const Value *value) {
        Value o = Value::object();
        o.members().reserve(value ? 3 : 2);
        o.push_member_sorted("op", Value::string(op));
        o.push_member_sorted("path", Value::string(pointer_));
        if (value) o.push_member_sorted("value", *value);
        out_.items().push_back(std::move(o));
    }

    void diff_objects(const std::vector<Member> &am, const std::vector<Member> &bm, int level) {
        const size_t len = pointer_.size();
        size_t i = 0, j = 0;
        while (i < am.size() || j < bm.size()) {
            if (j == bm.size() || (i < am.size() && key_less(am[i].first, bm[j].first))) {
                append_pointer_token(pointer_, am[i++].first);
                emit("remove", nullptr);
            } else if (i == am.size() || key_less(bm[j].first, am[i].first)) {
                append_pointer_token(pointer_, bm[j].first);
                emit("add", &bm[j++].second);
            } else {
                append_pointer_token(pointer_, am[i].first);
                diff(am[i++].second, bm[j++].second, level + 1);
            }
            pointer_.resize(len);
        }
    }

    void diff_arrays(const std::vector<Value> &a, const std::vector<Value> &b, int level) {
        const size_t len = pointer_.size();
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
        auto at = [&](size_t index) {
            pointer_.resize(len);
            pointer_ += '/';
            pointer_ += std::to_string(index);
        };
        // Paired middle elements change in place; the indices do not move.
        for (size_t k = 0; k < std::min(ma, mb); k++) {
            at(prefix + k);
            diff(a[prefix + k], b[prefix + k], level + 1);
        }
        // Surplus elements of a go from the highest index down, so each
        // index is still valid when its removal runs.
        for (size_t k = ma; k > mb; k--) {
            at(prefix + k - 1);
            emit("remove", nullptr);
        }
        for (size_t k = ma; k < mb; k++) {
            at(prefix + k);
            emit("add", &b[prefix + k]);
        }
        pointer_.resize(len);
    }

    Value &out_;
    std::string pointer_;
};

}  // namespace

Value json_diff(const Value &a, const Value &b) {
    Value out = Value::array();
    Differ(out).diff(a, b, 1);
    return out;
}

}  // namespace tscore
