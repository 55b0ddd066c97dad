// fuzz_json_patch — apply_json_patch, json_diff, pointers, merge patch.
//
// Input, by its first byte:
//   'J'  JSON text "DOC\0PATCH" after it;
//   else the bytes drive a generator: a document (fuzz_support.hpp's
//        TreeGen), then up to 8 operations whose paths are mostly taken
//        from the document as the patch so far left it (so most operations
//        apply), sometimes bent (a missing key, an index past the end, "-",
//        a bad escape) or malformed (a member dropped, a wrong type).
// Checks: applying raises only InvalidPatch or TooDeep; a generated patch
// applied whole gives what applying its operations one by one gives, and
// fails at the same operation index; with the result r,
// apply(doc, diff(doc, r)) == r, apply(r, diff(r, doc)) == doc and
// diff(r, r) == []; the compact stored form applies to the same outcome;
// every path that parses as a pointer formats back to the same text; an
// RFC 7396 merge patch (r, or a generated one) is idempotent.
#include "fuzz_support.hpp"

#include "core/json_patch.hpp"
#include "core/patch_compact.hpp"

using namespace tscore;

namespace {

const char *const kOps[] = {"add", "remove", "replace", "move", "copy", "test"};

// A pointer into doc chosen by the bytes, then maybe bent.
std::string pick_path(const Value &doc, fuzz::Bytes &in, fuzz::TreeGen &gen) {
    Path path;
    const Value *cur = &doc;
    while (cur->is_container() && in.below(4) != 0) {
        if (cur->is_array() && !cur->items().empty()) {
            size_t i = in.below(cur->items().size() < 256 ? cur->items().size() : 256);
            path.push_back(std::to_string(i));
            cur = &cur->items()[i];
        } else if (cur->is_object() && !cur->members().empty()) {
            const Member &m = cur->members()[in.below(cur->members().size() < 256 ? cur->members().size() : 256)];
            path.push_back(m.first);
            cur = &m.second;
        } else {
            break;
        }
    }
    switch (in.below(12)) {
        case 0: path.push_back("-"); break;
        case 1: path.push_back(gen.text_key()); break;
        case 2: path.push_back(std::to_string(cur->items().size())); break;
        case 3: if (!path.empty()) path.back() = "0" + path.back(); break;
        case 4: return format_pointer(path) + "/~2";
        case 5: return format_pointer(path).substr(path.empty() ? 0 : 1);  // no leading "/"
        default: break;
    }
    return format_pointer(path);
}

const Value *at(const Value &doc, const std::string &pointer) {
    Path p = parse_pointer(pointer);
    const Value *cur = &doc;
    for (const std::string &t : p) {
        size_t i;
        if (cur->is_object())
            cur = cur->find(t);
        else if (cur->is_array() && parse_array_index(t, i) && i < cur->items().size())
            cur = &cur->items()[i];
        else
            cur = nullptr;
        if (!cur) return nullptr;
    }
    return cur;
}

Value make_op(const Value &doc, fuzz::Bytes &in, fuzz::TreeGen &gen) {
    size_t code = in.below(6);
    Value op = Value::object();
    op.set("op", Value::string(kOps[code]));
    std::string path = pick_path(doc, in, gen);
    op.set("path", Value::string(path));
    if (code == 3 || code == 4) op.set("from", Value::string(pick_path(doc, in, gen)));
    if (code == 0 || code == 2 || code == 5) {
        const Value *existing = nullptr;
        if (code == 5 && in.below(2) == 0) {
            try {
                existing = at(doc, path);
            } catch (const Error &) {
            }
        }
        op.set("value", existing ? *existing : gen.tree(3));
    }
    switch (in.below(24)) {  // sometimes malformed
        case 0: op.erase("op"); break;
        case 1: op.erase("path"); break;
        case 2: op.erase(in.below(2) ? "value" : "from"); break;
        case 3: op.set("path", gen.tree(1)); break;
        case 4: op.set("op", Value::string("mov")); break;
        case 5: op = gen.tree(1); break;
        case 6: op.set("extra", gen.tree(1)); break;
        default: break;
    }
    return op;
}

void check_paths(const Value &patch) {
    if (!patch.is_array()) return;
    for (const Value &op : patch.items()) {
        if (!op.is_object()) continue;
        for (const char *key : {"path", "from"}) {
            const Value *v = op.find(key);
            if (!v || !v->is_string()) continue;
            try {
                Path p = parse_pointer(v->text());
                FUZZ_CHECK(format_pointer(p) == v->text());
            } catch (const Error &e) {
                FUZZ_EXPECT_KIND(e, ErrorKind::InvalidPatch);
            }
        }
    }
}

Value merge(const Value &doc, const Value &mp) {
    try {
        return apply_merge_patch(doc, mp);
    } catch (const Error &e) {
        FUZZ_EXPECT_KIND(e, ErrorKind::TooDeep);
        throw;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    Value doc, patch;
    fuzz::Bytes in(data + 1, size - 1);
    fuzz::TreeGen gen(in);
    // Generated patches: the outcome of applying the operations one by one.
    std::optional<fuzz::Outcome> stepwise;
    size_t failed_at = 0;
    if (data[0] == 'J') {
        std::vector<std::string_view> parts = fuzz::split_nul(data + 1, size - 1, 2);
        if (parts.size() != 2) return 0;
        std::optional<Value> d = fuzz::try_parse(parts[0]), p = fuzz::try_parse(parts[1]);
        if (!d || !p) return 0;
        doc = std::move(*d);
        patch = std::move(*p);
    } else {
        doc = gen.tree();
        patch = Value::array();
        Value cur = doc;
        fuzz::Outcome step;
        step.value = cur;
        for (size_t n = in.below(9); n > 0; n--) {
            Value op = make_op(step.value ? *step.value : doc, in, gen);
            patch.items().push_back(op);
            if (!step.value) continue;
            Value one = Value::array();
            one.items().push_back(std::move(op));
            step = fuzz::outcome([&] { return apply_json_patch(*step.value, one); });
            if (!step.value) failed_at = patch.items().size() - 1;
        }
        stepwise = step;
    }

    check_paths(patch);
    fuzz::Outcome r = fuzz::outcome([&] { return apply_json_patch(doc, patch); });
    if (!r.value) FUZZ_CHECK(r.kind == ErrorKind::InvalidPatch || r.kind == ErrorKind::TooDeep);
    if (stepwise) {
        FUZZ_CHECK(r.value.has_value() == stepwise->value.has_value());
        if (r.value) {
            FUZZ_CHECK(*r.value == *stepwise->value);
        } else {
            FUZZ_CHECK(r.kind == stepwise->kind);
            if (r.kind == ErrorKind::InvalidPatch)
                FUZZ_CHECK(r.error.find("at index " + std::to_string(failed_at) + (r.error[0] == 'i' ? ":" : " ")) !=
                           std::string::npos);
        }
    }
    if (std::optional<Value> c = compact_patch(patch)) {
        fuzz::Outcome rc = fuzz::outcome([&] { return apply_compact_patch(doc, std::move(*c)); });
        FUZZ_CHECK(rc == r);
    }

    Value result = r.value ? *r.value : gen.tree();
    Value forward = json_diff(doc, result);
    FUZZ_CHECK(apply_json_patch(doc, forward) == result);
    Value backward = json_diff(result, doc);
    FUZZ_CHECK(apply_json_patch(result, backward) == doc);
    FUZZ_CHECK(json_diff(result, result).items().empty());
    if (doc == result) FUZZ_CHECK(forward.items().empty());
    check_paths(forward);

    const Value &mp = result.is_object() ? result : patch;
    Value once = merge(doc, mp);
    FUZZ_CHECK(merge(once, mp) == once);
    Value mp2 = gen.tree();
    Value once2 = merge(doc, mp2);
    FUZZ_CHECK(merge(once2, mp2) == once2);
    return 0;
}
