// version_hash.hpp — the chained version hash.
//
// SHA-256 over a versioned canonical encoding of: the parents' hashes (in
// parent order), the state, the author's name, the message (NULL distinct
// from ''), the metadata, and committed_at in microseconds since the Unix
// epoch, UTC. Never the store name or internal ids, so export/import and
// dump/restore keep hashes. Changing the encoding means a new format byte.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "json_value.hpp"
#include "sha256.hpp"

namespace tscore {

constexpr uint8_t kHashFormat = 1;

// The state's encoding, written element by element by a caller whose
// state is not a Value tree (the glue walks jsonb directly). Calls must
// follow document order, as walk_value would make them; object keys come
// in jsonb key order.
class StateHashWriter {
public:
    virtual ~StateHashWriter() = default;
    virtual void null() = 0;
    virtual void boolean(bool b) = 0;
    virtual void number(std::string_view text) = 0;
    virtual void string(std::string_view text) = 0;
    virtual void open_array(uint64_t count) = 0;
    virtual void open_object(uint64_t count) = 0;
    virtual void key(std::string_view key) = 0;
};

struct VersionHashInput {
    std::vector<Digest> parents;
    const Value *state = nullptr;
    // Instead of state: writes the state (exactly one value) to the writer.
    std::function<void(StateHashWriter &)> write_state;
    // A state about to be stored: one deeper than kMaxStateDepth is refused
    // with throw_state_too_deep (write_state callers check it themselves).
    bool new_state = false;
    std::string author;
    std::optional<std::string> message;
    const Value *metadata = nullptr;
    int64_t committed_at_unix_us = 0;
};

Digest version_hash(const VersionHashInput &in);

}  // namespace tscore
