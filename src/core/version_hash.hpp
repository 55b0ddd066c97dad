// version_hash.hpp — the chained version hash.
//
// SHA-256 over a versioned canonical encoding of: the parents' hashes (in
// parent order), the state, the author's name, the message (NULL distinct
// from ''), the metadata, and committed_at in microseconds since the Unix
// epoch, UTC. Never the store name or internal ids, so export/import and
// dump/restore keep hashes. Changing the encoding means a new format byte.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "json_value.hpp"
#include "sha256.hpp"

namespace tscore {

constexpr uint8_t kHashFormat = 1;

struct VersionHashInput {
    std::vector<Digest> parents;
    const Value *state = nullptr;
    std::string author;
    std::optional<std::string> message;
    const Value *metadata = nullptr;
    int64_t committed_at_unix_us = 0;
};

Digest version_hash(const VersionHashInput &in);

}  // namespace tscore
