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

// The read path keeps compact patches compact (decode_payload(..., false))
// and applies them in place: the result and the errors must be those of the
// RFC 6902 form.
TEST(ApplyPayload, CompactPatchAppliedWithoutExpanding) {
    const char *patch = R"([{"op": "add", "path": "/b", "value": {"x": [1, 2]}},
                            {"op": "replace", "path": "/a", "value": "new"},
                            {"op": "copy", "from": "/b", "path": "/c"},
                            {"op": "move", "from": "/c/x", "path": "/d"},
                            {"op": "test", "path": "/a", "value": "new"},
                            {"op": "remove", "path": "/b/x/0"}])";
    std::string bytes = encode_payload(PayloadKind::JsonPatch, parse_json(patch), EncodeOptions{});
    DecodedPayload compact = decode_payload(bytes, false);
    ASSERT_EQ(compact.kind, PayloadKind::CompactJsonPatch);
    DecodedPayload expanded = decode_payload(bytes);
    ASSERT_EQ(expanded.kind, PayloadKind::JsonPatch);
    Value parent = parse_json(R"({"a": 1, "z": null})");
    Value want = apply_payload(parent, expanded);
    EXPECT_EQ(want, parse_json(R"({"a": "new", "b": {"x": [2]}, "c": {}, "d": [1, 2], "z": null})"));
    EXPECT_EQ(apply_payload(parent, compact), want);             // from a copy
    EXPECT_EQ(apply_payload(parent, std::move(compact)), want);  // consumed
}

TEST(ApplyPayload, CompactPatchThatNoLongerAppliesIsCorrupt) {
    std::string bytes = encode_payload(PayloadKind::JsonPatch,
                                       parse_json(R"([{"op": "replace", "path": "/missing", "value": 1}])"),
                                       EncodeOptions{});
    DecodedPayload compact = decode_payload(bytes, false);
    try {
        apply_payload(parse_json(R"({"a": 1})"), std::move(compact));
        FAIL() << "no error";
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::CorruptPayload);
        EXPECT_NE(e.detail().find("no longer applies"), std::string::npos) << e.detail();
    }
}
