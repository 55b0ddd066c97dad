// fuzz_patch_compact — compact_patch / expand_patch / apply_compact_patch.
//
// Input: JSON text "DOC\0PATCH" (or just PATCH, applied to a fixed
// document). Checks, with the patch read as an RFC 6902 patch: when it
// compacts, expanding gives a patch that compacts to the same thing, and
// applying the compact form gives exactly what applying the patch gives
// (same state, or same error kind and message); when it does not compact,
// applying it fails with InvalidPatch. With the patch read as a stored
// compact body: when it expands, the expansion compacts back to it and
// applying either form gives the same outcome; when it does not, applying
// it never succeeds. Encoding the patch as a JsonPatch payload and decoding
// it gives the compact-then-expanded form.
#include "fuzz_support.hpp"

#include "core/json_patch.hpp"
#include "core/patch_compact.hpp"
#include "core/payload_codec.hpp"

using namespace tscore;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::vector<std::string_view> parts = fuzz::split_nul(data, size, 2);
    static const Value kDefaultDoc = parse_json(R"({"a": [1, 2, {"b": null}], "c": {"d": "e"}, "": 0})");
    Value doc = kDefaultDoc;
    if (parts.size() == 2) {
        std::optional<Value> d = fuzz::try_parse(parts[0]);
        if (!d) return 0;
        doc = std::move(*d);
    }
    std::optional<Value> patch = fuzz::try_parse(parts.back());
    if (!patch) return 0;

    fuzz::Outcome rfc = fuzz::outcome([&] { return apply_json_patch(doc, *patch); });
    if (!rfc.value)
        FUZZ_CHECK(rfc.kind == ErrorKind::InvalidPatch || rfc.kind == ErrorKind::TooDeep);

    // As an RFC 6902 patch.
    std::optional<Value> compact = compact_patch(*patch);
    if (compact) {
        Value expanded = expand_patch(*compact);  // must not throw
        std::optional<Value> again = compact_patch(expanded);
        FUZZ_CHECK(again && *again == *compact);
        fuzz::Outcome c = fuzz::outcome([&] { return apply_compact_patch(doc, Value(*compact)); });
        FUZZ_CHECK(c == rfc);
        fuzz::Outcome e = fuzz::outcome([&] { return apply_json_patch(doc, expanded); });
        FUZZ_CHECK(e == rfc);
    } else {
        FUZZ_CHECK(!rfc.value && rfc.kind == ErrorKind::InvalidPatch);
    }

    // As a stored compact body.
    fuzz::Outcome stored = fuzz::outcome([&] { return apply_compact_patch(doc, Value(*patch)); });
    std::optional<Value> expanded;
    try {
        expanded = expand_patch(*patch);
    } catch (const Error &e) {
        FUZZ_EXPECT_KIND(e, ErrorKind::CorruptPayload);
    }
    if (expanded) {
        std::optional<Value> back = compact_patch(*expanded);
        FUZZ_CHECK(back && *back == *patch);
        fuzz::Outcome e = fuzz::outcome([&] { return apply_json_patch(doc, *expanded); });
        FUZZ_CHECK(e == stored);
    } else {
        FUZZ_CHECK(!stored.value);
        FUZZ_CHECK(stored.kind == ErrorKind::CorruptPayload || stored.kind == ErrorKind::InvalidPatch ||
                   stored.kind == ErrorKind::TooDeep);
    }

    // Through the payload codec.
    std::string enc = encode_payload(PayloadKind::JsonPatch, *patch, EncodeOptions{});
    DecodedPayload dec = decode_payload(enc);
    FUZZ_CHECK(dec.kind == PayloadKind::JsonPatch);
    FUZZ_CHECK(dec.body == (compact ? expand_patch(*compact) : *patch));
    return 0;
}
