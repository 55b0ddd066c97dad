// state_payload.cpp — see state_payload.hpp.
#include "pg/state_payload.hpp"

#include "core/state_cache.hpp"
#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/jsonb_format.hpp"
#include "pg/settings.hpp"

namespace tspg {

namespace {

// Ends a RawState body: read back as a different number, it was written by
// a server of the other byte order.
constexpr uint32 kByteOrderMark = 0x01020304;

// jsonb: a whole Jsonb varlena, extended by the mark here.
std::string raw_snapshot(std::string &&jsonb) {
    // The body: the jsonb without its length word, then the mark.
    jsonb.append((const char *)&kByteOrderMark, sizeof kByteOrderMark);
    return tscore::encode_raw_payload(tscore::PayloadKind::RawState, std::string_view(jsonb).substr(VARHDRSZ),
                                      payload_encoding());
}

}  // namespace

std::optional<std::string> large_state_snapshot(const tscore::Value &state) {
    // A tree's size bounds its jsonb's from above: most states need no trial.
    if (tscore::approx_size(state) < kJsonbStateBytes) return std::nullopt;
    std::string jsonb = value_to_jsonb_bytes(state, nullptr, kJsonbStateBytes);
    if (jsonb.size() < kJsonbStateBytes) return std::nullopt;
    return raw_snapshot(std::move(jsonb));
}

std::optional<std::string> large_state_snapshot(const Jsonb *state) {
    if (VARSIZE(state) < kJsonbStateBytes) return std::nullopt;
    return raw_snapshot(std::string((const char *)state, VARSIZE(state)));
}

std::string encode_snapshot(const tscore::Value &state) {
    if (std::optional<std::string> raw = large_state_snapshot(state)) return std::move(*raw);
    return tscore::encode_payload(tscore::PayloadKind::FullState, state, payload_encoding());
}

tscore::DecodedPayload decode_for_state(const std::string &payload, bool expand) {
    return tscore::decode_payload(payload, expand, VARHDRSZ);
}

bool is_full_state(const tscore::DecodedPayload &p) {
    return p.kind == tscore::PayloadKind::FullState || p.kind == tscore::PayloadKind::RawState;
}

JsonbBytes state_jsonb(tscore::DecodedPayload &&p) {
    std::string &raw = p.raw;
    uint32 mark = 0;
    if (raw.size() >= VARHDRSZ + 2 * sizeof(uint32)) memcpy(&mark, raw.data() + raw.size() - sizeof mark, sizeof mark);
    if (mark != kByteOrderMark || raw.size() - sizeof mark > MaxAllocSize)
        ts_error(ERRCODE_DATA_CORRUPTED, "stored snapshot is not readable on this server",
                 "A snapshot kept as jsonb was written by a server of another byte order, or is damaged.",
                 "Snapshots are derived data: DELETE FROM ts_internal.snapshots, and the worker (or ts_snapshot) "
                 "builds them again from the event log.");
    raw.resize(raw.size() - sizeof mark);
    SET_VARSIZE(raw.data(), raw.size());
    return JsonbBytes(std::move(raw));
}

tscore::Value state_value(tscore::DecodedPayload &&p) {
    if (p.kind != tscore::PayloadKind::RawState) return std::move(p.body);
    JsonbBytes jb = state_jsonb(std::move(p));
    return jsonb_to_value((const Jsonb *)jb->data());
}

tscore::Value state_value(const std::string &payload) { return state_value(decode_for_state(payload)); }

}  // namespace tspg
