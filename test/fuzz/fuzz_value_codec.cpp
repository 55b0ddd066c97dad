// fuzz_value_codec — encode_value / decode_value (the payload body form).
//
// Input, two ways:
//   1. the bytes as an encoded value: decode_value raises only
//      CorruptPayload, and what it accepts is canonical, so encoding the
//      decoded tree gives back exactly the input bytes; the tree also
//      prints as JSON text that parses back to it.
//   2. the bytes drive a tree generator (strings, keys and numbers may be
//      any bytes, members may be out of order): encode_value either
//      refuses the tree (Invalid: bad UTF-8, bad number text, members out
//      of order; exactly when one of those is present) or
//      decode(encode(tree)) == tree.
#include "fuzz_support.hpp"

#include "core/payload_codec.hpp"

using namespace tscore;

namespace {

bool is_json_number(const std::string &s) {
    std::optional<Value> v;
    try {
        v = parse_json(s);
    } catch (const Error &) {
        return false;
    }
    return v->is_number() && v->text() == s;
}

// Whether the decoder would accept every string, key and number of v.
bool storable_text(const Value &v) {
    std::vector<const Value *> todo{&v};
    while (!todo.empty()) {
        const Value *c = todo.back();
        todo.pop_back();
        if (c->is_string() && !utf8_valid(c->text())) return false;
        if (c->is_number() && !is_json_number(c->text())) return false;
        for (const Value &x : c->items()) todo.push_back(&x);
        for (const Member &m : c->members()) {
            if (!utf8_valid(m.first)) return false;
            todo.push_back(&m.second);
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char *>(data), size);
    try {
        Value v = decode_value(bytes);
        FUZZ_CHECK(encode_value(v) == bytes);
        FUZZ_CHECK(parse_json(to_json(v)) == v);
    } catch (const Error &e) {
        FUZZ_EXPECT_KIND(e, ErrorKind::CorruptPayload);
    }

    fuzz::Bytes in(data, size);
    Value tree = fuzz::TreeGen(in, {true, true}).tree();
    bool valid = storable_text(tree) && fuzz::sorted_everywhere(tree);
    std::string enc;
    try {
        enc = encode_value(tree);
    } catch (const Error &e) {
        FUZZ_EXPECT_KIND(e, ErrorKind::Invalid);
        FUZZ_CHECK(!valid);
        return 0;
    }
    FUZZ_CHECK(valid);
    FUZZ_CHECK(decode_value(enc) == tree);
    std::string appended = "xy";
    encode_value_append(tree, appended);
    FUZZ_CHECK(appended == "xy" + enc);
    return 0;
}
