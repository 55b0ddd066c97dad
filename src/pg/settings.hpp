// settings.hpp — the temporal_store.* GUCs.
#pragma once

#include "core/payload_codec.hpp"

namespace tspg {

struct Settings {
    int snapshot_interval;      // deltas on an ancestry before a full state
    int snapshot_max_bytes;     // replay bytes (kB) that trigger a snapshot
    int snapshot_max_age;       // seconds since the last snapshot on an ancestry
    int compression_threshold;  // payload bytes above which zlib is used (-1: never)
    int compression_level;      // zlib level
    int worker_naptime;         // seconds between worker passes
    int cache_size;             // per-backend state cache, kB
    int max_memory;             // memory budget of one JSON operation, kB
    char *checkout;             // {"store": "branch", ...} of this session
};

extern Settings settings;

void define_settings();

// Payload encoding at the current compression settings.
tscore::EncodeOptions payload_encoding();

}  // namespace tspg
