// fuzz_json_text — parse_json / to_json.
//
// Input: any bytes, parsed as JSON text. Checks: parse_json raises only
// InvalidJson or TooDeep; a parsed tree is within kMaxDepth, has its object
// members in key order, prints and parses back to the same tree
// (parse(to_json(v)) == v), printing is a fixed point (to_json of the
// re-parsed tree is the same text), and the tree is storable: the value
// codec round-trips it (decode(encode(v)) == v).
#include "fuzz_support.hpp"

#include "core/payload_codec.hpp"

using namespace tscore;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::string_view text(reinterpret_cast<const char *>(data), size);
    std::optional<Value> v = fuzz::try_parse(text);
    if (!v) return 0;
    FUZZ_CHECK(nesting_depth(*v) <= kMaxDepth);
    FUZZ_CHECK(fuzz::sorted_everywhere(*v));

    std::string out = to_json(*v);
    std::optional<Value> again = fuzz::try_parse(out);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *v);
    FUZZ_CHECK(to_json(*again) == out);

    std::string bytes = encode_value(*v);  // must not throw: parsed text is storable
    FUZZ_CHECK(decode_value(bytes) == *v);
    return 0;
}
