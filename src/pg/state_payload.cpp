// state_payload.cpp — see state_payload.hpp.
#include "pg/state_payload.hpp"

#include "core/state_cache.hpp"
#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/jsonb_format.hpp"
#include "pg/settings.hpp"

namespace tspg {

namespace {

// The body of a RawState payload is the Jsonb varlena without its length
// word, which jsonb's own format does not need (like PostgreSQL's jsonb
// on disk, it is in the server's byte order).
std::string raw_payload(std::string_view jsonb) {
    return tscore::encode_raw_payload(tscore::PayloadKind::RawState, jsonb.substr(VARHDRSZ), payload_encoding());
}

}  // namespace

std::string encode_state_payload(const tscore::Value &state) {
    // A tree's size bounds its jsonb's from above: most states need no trial.
    if (tscore::approx_size(state) >= kJsonbStateBytes) {
        std::string jsonb = value_to_jsonb_bytes(state, nullptr);
        if (jsonb.size() >= kJsonbStateBytes) return raw_payload(jsonb);
    }
    return tscore::encode_payload(tscore::PayloadKind::FullState, state, payload_encoding());
}

std::string encode_state_payload(const Jsonb *state) {
    if (VARSIZE(state) >= kJsonbStateBytes)
        return raw_payload(std::string_view((const char *)state, VARSIZE(state)));
    return tscore::encode_payload(tscore::PayloadKind::FullState, jsonb_to_value(state), payload_encoding());
}

tscore::DecodedPayload decode_for_state(const std::string &payload, bool expand) {
    return tscore::decode_payload(payload, expand, VARHDRSZ);
}

bool is_full_state(const tscore::DecodedPayload &p) {
    return p.kind == tscore::PayloadKind::FullState || p.kind == tscore::PayloadKind::RawState;
}

JsonbBytes state_jsonb(tscore::DecodedPayload &&p) {
    std::string &raw = p.raw;
    if (raw.size() < VARHDRSZ + sizeof(uint32) || raw.size() > MaxAllocSize)
        ts_error(ERRCODE_DATA_CORRUPTED, "stored payload is corrupt", "A jsonb state has an impossible size.");
    SET_VARSIZE(raw.data(), raw.size());
    return std::make_shared<const std::string>(std::move(raw));
}

tscore::Value state_value(tscore::DecodedPayload &&p) {
    if (p.kind != tscore::PayloadKind::RawState) return std::move(p.body);
    JsonbBytes jb = state_jsonb(std::move(p));
    return jsonb_to_value((const Jsonb *)jb->data());
}

tscore::Value state_value(const std::string &payload) { return state_value(decode_for_state(payload)); }

}  // namespace tspg
