// jsonb_replay.hpp — replaying stored patches onto a jsonb state without
// building its tree.
//
// The read path's lane for states it starts from as jsonb (a jsonb
// snapshot, a state cached as jsonb): only the containers on the
// operations' paths become tree nodes, one level at a time; every other
// subtree stays a placeholder for its bytes in the base and is copied as
// is when the result is written. The operations themselves are applied by
// the core, exactly as on a full tree. An operation that would have to look
// inside a subtree that was not expanded fails there, and the caller then
// replays on the full tree: a different result is never produced.
#pragma once

#include <optional>

#include "pg/pg_headers.hpp"
#include "core/payload_codec.hpp"

namespace tspg {

// Whether this lane takes the chain: an object or array document and JSON
// Patches in either stored form (merge patches are left to the tree).
bool jsonb_replayable(const Jsonb *base, const std::vector<tscore::DecodedPayload> &deltas);

// Applies deltas (newest first, as the read path collects them; consumed)
// to base, a whole Jsonb varlena that must outlive the call, for a chain
// jsonb_replayable takes. Returns the result as a whole Jsonb varlena, or
// nullopt when an operation failed here: the chain must then be replayed
// on the full tree.
std::optional<std::string> replay_on_jsonb(const Jsonb *base, std::vector<tscore::DecodedPayload> &deltas);

}  // namespace tspg
