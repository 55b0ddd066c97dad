// payload_codec.hpp — how event payloads are stored.
//
// A payload is a small header then a body:
//   byte 0: format version (kPayloadFormat)
//   byte 1: kind (PayloadKind)
//   byte 2: compression (0 none, 1 zlib)
//   varint: uncompressed body length (only when compressed)
//   body:   encode_value() of the payload value, maybe zlib-compressed
// Every past format stays decodable; a new layout takes a new format byte.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "json_value.hpp"

namespace tscore {

constexpr uint8_t kPayloadFormat = 1;

enum class PayloadKind : uint8_t {
    FullState = 1,   // the whole state
    JsonPatch = 2,   // an RFC 6902 patch against the first parent's state
    MergePatch = 3,  // an RFC 7396 merge patch against the first parent's state
    Document = 4,    // an event's own JSON (branch and tag events), not a state
    // Stored form only: an RFC 6902 patch in the compact form of
    // patch_compact.hpp. encode_payload(JsonPatch, ...) writes it when it
    // can; decode_payload hands it back as JsonPatch.
    CompactJsonPatch = 5,
    // A full state whose body is not encode_value()'s form but opaque
    // bytes the caller understands (the extension: a jsonb container,
    // for snapshots of large states). Core frames and compresses it only.
    RawState = 6,
};

enum class Compression : uint8_t { None = 0, Zlib = 1 };

struct EncodeOptions {
    int64_t compression_threshold = 1024;  // compress bodies larger than this (<0: never)
    int compression_level = 6;             // zlib level 0-9 (-1: zlib default)
};

// Compact binary form of a tree (type tags, varint lengths, number text).
std::string encode_value(const Value &v);
Value decode_value(std::string_view bytes);  // throws Error(CorruptPayload)
// encode_value appended to out (no temporary copy when framing a payload).
// Both encoders throw Error(TooDeep) past kMaxDepth and Error(Invalid) when
// object members are not in key_less order.
void encode_value_append(const Value &v, std::string &out);

std::string encode_payload(PayloadKind kind, const Value &body, const EncodeOptions &opt);

// The same framing around opaque bytes (RawState).
std::string encode_raw_payload(PayloadKind kind, std::string_view body, const EncodeOptions &opt);

struct DecodedPayload {
    PayloadKind kind;
    Compression compression;
    Value body;
    std::string raw;  // RawState: the body's bytes, inflated (body stays null)
};
// expand = false leaves a CompactJsonPatch body as stored (apply_payload
// applies it without building the RFC 6902 form: the read path's choice).
// raw_headroom: a RawState's raw starts with this many zero bytes before
// the body, room for a header the caller writes without copying the body.
DecodedPayload decode_payload(std::string_view bytes, bool expand = true,
                              size_t raw_headroom = 0);  // throws Error(CorruptPayload)

// Applies a decoded JsonPatch/MergePatch payload to its parent's state; a
// FullState payload replaces it. A RawState payload is Error(CorruptPayload):
// only its producer can read it.
// A stored patch that no longer applies is Error(CorruptPayload); a
// Document payload is not a state change and is refused the same way.
Value apply_payload(Value parent_state, const DecodedPayload &payload);
// The same, moving a FullState body out instead of copying it.
Value apply_payload(Value parent_state, DecodedPayload &&payload);

}  // namespace tscore
