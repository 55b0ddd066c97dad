// state_payload.hpp — payloads that hold a whole state.
//
// Event payloads (version 1, keyframes, compaction roots) always use the
// core's compact form (PayloadKind::FullState): the event log stays the
// same bytes on every platform, so a dump restores anywhere. Snapshots,
// which are derived data, keep a state whose jsonb is at least
// kJsonbStateBytes as its jsonb binary form (PayloadKind::RawState): reads
// replay onto it without building a tree (jsonb_replay.hpp). That form is
// in the server's byte order and ends with a byte-order mark; a snapshot
// written in the other byte order is refused with a clean error.
#pragma once

#include <memory>
#include <optional>

#include "pg/pg_headers.hpp"
#include "core/payload_codec.hpp"
#include "core/state_cache.hpp"

namespace tspg {

constexpr size_t kJsonbStateBytes = 8192;

// A whole Jsonb varlena: the state cache's copy, or bytes of one's own.
using JsonbBytes = tscore::SharedBytes;

// A snapshot payload at the current compression settings.
std::string encode_snapshot(const tscore::Value &state);
// The jsonb snapshot that goes with a full state in the event log of a
// large document (so reads after it take the jsonb lane at once); nullopt
// for a small one, whose compact full state reads as fast.
std::optional<std::string> large_state_snapshot(const tscore::Value &state);
std::optional<std::string> large_state_snapshot(const Jsonb *state);

// Decodes a payload, leaving room for a varlena header before a RawState's
// body (state_jsonb then uses it in place).
tscore::DecodedPayload decode_for_state(const std::string &payload, bool expand = true);
bool is_full_state(const tscore::DecodedPayload &p);
// The state a FullState or RawState payload holds, as a tree or as jsonb.
tscore::Value state_value(tscore::DecodedPayload &&p);
JsonbBytes state_jsonb(tscore::DecodedPayload &&p);
// Both from the stored bytes.
tscore::Value state_value(const std::string &payload);

}  // namespace tspg
