// payload_codec.cpp — framing of stored event payloads: the three header
// bytes, optional zlib compression of the body, and applying a decoded
// payload to its parent's state. The body itself is value_codec.cpp.
//
// Compression is used only when the body is larger than the threshold and
// the compressed form (with its length varint) is strictly smaller, so small
// or incompressible bodies cost nothing to read back.
#include "payload_codec.hpp"

#include "patch_compact.hpp"

#include <libdeflate.h>
#include <zlib.h>

#include "errors.hpp"
#include "json_patch.hpp"
#include "varint.hpp"

namespace tscore {

namespace {

constexpr size_t kHeaderSize = 3;
// deflate never compresses better than about 1032:1; a stored length
// beyond that (plus slack) is corrupt, and refusing it keeps a damaged
// header from asking for a huge allocation.
constexpr uint64_t kMaxInflateRatio = 1032;

[[noreturn]] void corrupt(std::string detail) {
    throw Error(ErrorKind::CorruptPayload, "stored payload is corrupt", std::move(detail));
}

// Returns the compressed framing of raw's body, or an empty string when
// compression does not pay.
std::string try_compress(const std::string &raw, const EncodeOptions &opt) {
    const auto *body = reinterpret_cast<const Bytef *>(raw.data() + kHeaderSize);
    uLong body_len = raw.size() - kHeaderSize;
    std::string out(kHeaderSize, '\0');
    out[0] = raw[0];
    out[1] = raw[1];
    out[2] = char(Compression::Zlib);
    varint_append(out, body_len);
    size_t prefix = out.size();
    uLongf cap = compressBound(body_len);
    out.resize(prefix + cap);
    int rc = compress2(reinterpret_cast<Bytef *>(&out[prefix]), &cap, body, body_len,
                       opt.compression_level);
    if (rc == Z_MEM_ERROR) throw std::bad_alloc();
    if (rc != Z_OK)
        throw Error(ErrorKind::Invalid, "could not compress payload", "zlib error " + std::to_string(rc) + ".");
    if (prefix + cap >= raw.size()) return {};
    out.resize(prefix + cap);
    return out;
}

// headroom: zero bytes kept before the inflated body.
std::string inflate_body(const uint8_t *p, const uint8_t *end, size_t headroom = 0) {
    uint64_t ulen;
    if (!varint_get(p, end, ulen)) corrupt("The uncompressed length is truncated or malformed.");
    uint64_t clen = uint64_t(end - p);
    if (ulen == 0 || ulen > clen * kMaxInflateRatio + 1024)
        corrupt("The uncompressed length does not fit the compressed size.");
    charge(headroom + ulen);
    std::string out(headroom + ulen, '\0');
    // libdeflate reads the zlib format faster than zlib itself (the stored
    // bytes are zlib's either way). One decompressor, reused: the process
    // is single-threaded.
    static libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    if (!d) throw std::bad_alloc();
    size_t in_used = 0, out_len = 0;
    libdeflate_result rc = libdeflate_zlib_decompress_ex(d, p, clen, &out[headroom], ulen, &in_used, &out_len);
    if (rc != LIBDEFLATE_SUCCESS || out_len != ulen || in_used != clen)
        corrupt("The compressed body does not inflate to its recorded length.");
    return out;
}

}  // namespace

namespace {

// Frames a body: the header, the body appended by `append`, then zlib when
// the body is above the threshold and compressing pays.
template <class Append>
std::string frame_payload(PayloadKind kind, size_t size_hint, const EncodeOptions &opt, Append append) {
    if (opt.compression_level < -1 || opt.compression_level > 9)
        throw Error(ErrorKind::Invalid, "compression level must be between -1 and 9");
    std::string out;
    out.reserve(kHeaderSize + size_hint);
    out.push_back(char(kPayloadFormat));
    out.push_back(char(kind));
    out.push_back(char(Compression::None));
    append(out);
    size_t body_len = out.size() - kHeaderSize;
    if (opt.compression_threshold >= 0 && body_len > uint64_t(opt.compression_threshold)) {
        std::string compressed = try_compress(out, opt);
        if (!compressed.empty()) return compressed;
    }
    return out;
}

}  // namespace

std::string encode_payload(PayloadKind kind, const Value &body, const EncodeOptions &opt) {
    std::optional<Value> compact;
    if (kind == PayloadKind::JsonPatch && (compact = compact_patch(body))) kind = PayloadKind::CompactJsonPatch;
    return frame_payload(kind, 61, opt, [&](std::string &out) { encode_value_append(compact ? *compact : body, out); });
}

std::string encode_raw_payload(PayloadKind kind, std::string_view body, const EncodeOptions &opt) {
    return frame_payload(kind, body.size(), opt, [&](std::string &out) { out.append(body); });
}

DecodedPayload decode_payload(std::string_view bytes, bool expand, size_t raw_headroom) {
    BudgetScope budget;
    if (bytes.size() < kHeaderSize) corrupt("The payload header is truncated.");
    const auto *p = reinterpret_cast<const uint8_t *>(bytes.data());
    const uint8_t *end = p + bytes.size();
    if (p[0] != kPayloadFormat) corrupt("Unknown payload format " + std::to_string(p[0]) + ".");
    if (p[1] < uint8_t(PayloadKind::FullState) || p[1] > uint8_t(PayloadKind::RawState))
        corrupt("Unknown payload kind " + std::to_string(p[1]) + ".");
    DecodedPayload out{PayloadKind(p[1]), Compression(p[2]), Value(), {}};
    if (out.kind == PayloadKind::RawState) {
        if (out.compression == Compression::None) {
            out.raw.reserve(raw_headroom + bytes.size() - kHeaderSize);
            out.raw.assign(raw_headroom, '\0');
            out.raw.append(bytes.substr(kHeaderSize));
        } else if (out.compression == Compression::Zlib) {
            out.raw = inflate_body(p + kHeaderSize, end, raw_headroom);
        } else {
            corrupt("Unknown payload compression " + std::to_string(p[2]) + ".");
        }
        return out;
    }
    switch (out.compression) {
    case Compression::None:
        out.body = decode_value(bytes.substr(kHeaderSize));
        break;
    case Compression::Zlib:
        out.body = decode_value(inflate_body(p + kHeaderSize, end));
        break;
    default:
        corrupt("Unknown payload compression " + std::to_string(p[2]) + ".");
    }
    if (out.kind == PayloadKind::CompactJsonPatch && expand) {
        out.body = expand_patch(out.body);
        out.kind = PayloadKind::JsonPatch;
    }
    return out;
}

namespace {

Value apply_change(Value parent_state, const DecodedPayload &payload) {
    try {
        if (payload.kind == PayloadKind::JsonPatch) return apply_json_patch(std::move(parent_state), payload.body);
        if (payload.kind == PayloadKind::CompactJsonPatch) {
            Value body = payload.body;  // a const payload: applied from a copy
            return apply_compact_patch(std::move(parent_state), std::move(body));
        }
        return apply_merge_patch(std::move(parent_state), payload.body);
    } catch (const Error &e) {
        // The patch applied when it was stored; failing now means the
        // history is damaged, not that the caller passed a bad patch.
        if (e.kind() != ErrorKind::InvalidPatch) throw;
        corrupt(std::string("A stored patch no longer applies to its parent state: ") + e.what() + ".");
    }
}

void check_state_change(PayloadKind kind) {
    if (kind == PayloadKind::Document) corrupt("A document payload is not a state change.");
    if (kind == PayloadKind::RawState) corrupt("A raw state payload must be read by the code that wrote it.");
}

}  // namespace

Value apply_payload(Value parent_state, const DecodedPayload &payload) {
    BudgetScope budget;
    check_state_change(payload.kind);
    if (payload.kind == PayloadKind::FullState) return payload.body;
    return apply_change(std::move(parent_state), payload);
}

Value apply_payload(Value parent_state, DecodedPayload &&payload) {
    BudgetScope budget;
    check_state_change(payload.kind);
    if (payload.kind == PayloadKind::FullState) return std::move(payload.body);
    if (payload.kind == PayloadKind::CompactJsonPatch) {
        try {
            return apply_compact_patch(std::move(parent_state), std::move(payload.body));
        } catch (const Error &e) {
            if (e.kind() != ErrorKind::InvalidPatch) throw;
            corrupt(std::string("A stored patch no longer applies to its parent state: ") + e.what() + ".");
        }
    }
    return apply_change(std::move(parent_state), payload);
}

}  // namespace tscore
