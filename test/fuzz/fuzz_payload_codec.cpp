// fuzz_payload_codec — decode_payload / encode_payload / apply_payload.
//
// Input: the bytes as a stored payload (header, optional zlib body).
// Checks: decode_payload raises only CorruptPayload; expand = false
// decodes whatever expand = true decodes (and also a compact patch body
// too malformed to expand, which then never applies); expanding the
// compact body gives the expand = true body, and compact_patch of that
// gives the compact body back; a RawState keeps its bytes behind the
// requested headroom of zeros; re-encoding the decoded payload with and
// without compression decodes to the same kind and body (a JsonPatch body
// that compacts comes back in its compact-then-expanded form); both
// apply_payload overloads, on the compact and the expanded form, give the
// same state or the same error, and only CorruptPayload or TooDeep.
#include "fuzz_support.hpp"

#include "core/patch_compact.hpp"
#include "core/payload_codec.hpp"

using namespace tscore;

namespace {

const EncodeOptions kOptions[] = {{-1, 6}, {0, 1}, {0, 9}, {16, -1}, {0, 0}};

struct Outcome {
    std::optional<Value> state;
    std::string error;
};

Outcome apply_const(const Value &parent, const DecodedPayload &p) {
    try {
        return {apply_payload(parent, p), {}};
    } catch (const Error &e) {
        FUZZ_EXPECT_KIND(e, ErrorKind::CorruptPayload, ErrorKind::TooDeep);
        return {std::nullopt, std::string(e.what()) + " | " + e.detail()};
    }
}

Outcome apply_moved(const Value &parent, DecodedPayload p) {
    try {
        return {apply_payload(parent, std::move(p)), {}};
    } catch (const Error &e) {
        FUZZ_EXPECT_KIND(e, ErrorKind::CorruptPayload, ErrorKind::TooDeep);
        return {std::nullopt, std::string(e.what()) + " | " + e.detail()};
    }
}

std::optional<DecodedPayload> try_decode(std::string_view bytes, bool expand, size_t headroom = 0) {
    try {
        return decode_payload(bytes, expand, headroom);
    } catch (const Error &e) {
        FUZZ_EXPECT_KIND(e, ErrorKind::CorruptPayload);
        return std::nullopt;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char *>(data), size);
    std::optional<DecodedPayload> p = try_decode(bytes, true);
    std::optional<DecodedPayload> compact = try_decode(bytes, false);
    // Only expansion can fail on top of decoding: a compact patch body that
    // is malformed, which then never applies either.
    if (p) FUZZ_CHECK(compact.has_value());
    if (!compact) return 0;
    if (!p) {
        FUZZ_CHECK(compact->kind == PayloadKind::CompactJsonPatch);
        FUZZ_CHECK(fuzz::outcome([&] { return expand_patch(compact->body); }).kind == ErrorKind::CorruptPayload);
        Outcome a = apply_const(Value(), *compact);
        FUZZ_CHECK(!a.state && apply_moved(Value(), *compact).error == a.error);
        return 0;
    }

    FUZZ_CHECK(p->kind != PayloadKind::CompactJsonPatch);
    FUZZ_CHECK(p->compression == compact->compression);
    if (compact->kind == PayloadKind::CompactJsonPatch) {
        FUZZ_CHECK(p->kind == PayloadKind::JsonPatch);
        FUZZ_CHECK(expand_patch(compact->body) == p->body);
        std::optional<Value> again = compact_patch(p->body);
        FUZZ_CHECK(again.has_value() && *again == compact->body);
    } else {
        FUZZ_CHECK(p->kind == compact->kind);
        FUZZ_CHECK(p->body == compact->body);
    }

    if (p->kind == PayloadKind::RawState) {
        FUZZ_CHECK(p->body.is_null());
        std::optional<DecodedPayload> room = try_decode(bytes, true, 5);
        FUZZ_CHECK(room && room->raw == std::string(5, '\0') + p->raw);
        for (const EncodeOptions &opt : kOptions) {
            std::optional<DecodedPayload> back = try_decode(encode_raw_payload(p->kind, p->raw, opt), true);
            FUZZ_CHECK(back && back->kind == PayloadKind::RawState && back->raw == p->raw);
        }
    } else {
        FUZZ_CHECK(p->raw.empty());
        Value expect = p->body;
        if (p->kind == PayloadKind::JsonPatch)
            if (std::optional<Value> c = compact_patch(p->body)) expect = expand_patch(*c);
        for (const EncodeOptions &opt : kOptions) {
            std::string enc = encode_payload(p->kind, p->body, opt);
            std::optional<DecodedPayload> back = try_decode(enc, true);
            FUZZ_CHECK(back && back->kind == p->kind && back->body == expect);
            if (opt.compression_threshold < 0) FUZZ_CHECK(back->compression == Compression::None);
        }
    }

    // Applied to a few parent states, both overloads agree.
    static const Value parents[] = {Value(), parse_json(R"({"a": [1, {"b": "c"}], "0": {"-": null}})"),
                                    parse_json("[0, 1, [2]]")};
    for (const Value &parent : parents) {
        for (const DecodedPayload *d : {&*p, &*compact}) {
            Outcome a = apply_const(parent, *d);
            Outcome b = apply_moved(parent, *d);
            FUZZ_CHECK(a.state.has_value() == b.state.has_value());
            FUZZ_CHECK(a.state ? *a.state == *b.state : a.error == b.error);
        }
        Outcome a = apply_const(parent, *p);
        Outcome c = apply_const(parent, *compact);
        FUZZ_CHECK(a.state.has_value() == c.state.has_value());
        FUZZ_CHECK(a.state ? *a.state == *c.state : a.error == c.error);
    }
    return 0;
}
