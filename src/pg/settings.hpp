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
    int launcher_interval;      // seconds between the launcher's looks at the database list
    int fault_injection;        // tests only: a FaultInjection value
};

// temporal_store.fault_injection (tests only): where a worker process
// throws std::bad_alloc outside any inner error boundary, to show that a
// C++ exception ends that process with a logged error, not the cluster.
enum FaultInjection { kFaultNone = 0, kFaultWorkerBadAlloc = 1, kFaultLauncherBadAlloc = 2 };

extern Settings settings;

void define_settings();

// Payload encoding at the current compression settings.
tscore::EncodeOptions payload_encoding();

}  // namespace tspg
