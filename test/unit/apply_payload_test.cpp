// apply_payload_test.cpp — replaying a stored payload onto its parent state.
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "core/payload_codec.hpp"

using namespace tscore;

namespace {

DecodedPayload stored(PayloadKind kind, const char *json) {
    return decode_payload(encode_payload(kind, parse_json(json), EncodeOptions{}));
}

}  // namespace

TEST(ApplyPayload, FullStateReplaces) {
    DecodedPayload p = stored(PayloadKind::FullState, R"({"b": [1.0]})");
    EXPECT_EQ(apply_payload(parse_json(R"({"a": 1})"), p), parse_json(R"({"b": [1.0]})"));
    EXPECT_EQ(apply_payload(Value(), std::move(p)), parse_json(R"({"b": [1.0]})"));
}

TEST(ApplyPayload, JsonPatch) {
    DecodedPayload p = stored(PayloadKind::JsonPatch,
                              R"([{"op": "add", "path": "/b", "value": 2}, {"op": "remove", "path": "/a"}])");
    EXPECT_EQ(apply_payload(parse_json(R"({"a": 1})"), p), parse_json(R"({"b": 2})"));
}

TEST(ApplyPayload, MergePatch) {
    DecodedPayload p = stored(PayloadKind::MergePatch, R"({"a": null, "c": {"d": 1}})");
    EXPECT_EQ(apply_payload(parse_json(R"({"a": 1, "b": 2})"), p), parse_json(R"({"b": 2, "c": {"d": 1}})"));
}

TEST(ApplyPayload, APatchThatNoLongerAppliesIsCorruption) {
    DecodedPayload p = stored(PayloadKind::JsonPatch, R"([{"op": "remove", "path": "/missing"}])");
    try {
        apply_payload(parse_json("{}"), p);
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::CorruptPayload);
    }
}

TEST(ApplyPayload, DocumentIsNotAStateChange) {
    DecodedPayload p = stored(PayloadKind::Document, R"({"branch": "x"})");
    try {
        apply_payload(parse_json("{}"), p);
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::CorruptPayload);
    }
}
