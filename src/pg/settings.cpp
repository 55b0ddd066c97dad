// settings.cpp — see settings.hpp.
#include "pg/settings.hpp"

#include "pg/pg_headers.hpp"
#include "pg/read_path.hpp"

#include "core/limits.hpp"

namespace tspg {

Settings settings;

namespace {

void cache_size_assign(int newval, void *) { state_cache_resize(newval); }

void max_memory_assign(int newval, void *) { tscore::set_memory_budget((size_t)newval * 1024); }

// 1 GB: one state of the largest size jsonb allows, per backend; more is a
// typo in the unit rather than a plan (see docs/storage.md).
constexpr int kMaxCacheKb = 1024 * 1024;

}  // namespace

void define_settings() {
    DefineCustomIntVariable("temporal_store.snapshot_interval",
                            "Deltas on a version's ancestry after which a full state is kept.", nullptr,
                            &settings.snapshot_interval, 100, 1, 1000000, PGC_SUSET, 0, nullptr, nullptr,
                            nullptr);
    DefineCustomIntVariable("temporal_store.snapshot_max_bytes",
                            "Delta bytes to replay on an ancestry after which a snapshot is built.", nullptr,
                            &settings.snapshot_max_bytes, 1024, 1, INT_MAX / 1024, PGC_SUSET, GUC_UNIT_KB,
                            nullptr, nullptr, nullptr);
    DefineCustomIntVariable("temporal_store.snapshot_max_age",
                            "Time since the last snapshot on an ancestry after which a new one is built.",
                            nullptr, &settings.snapshot_max_age, 3600, 1, INT_MAX, PGC_SUSET, GUC_UNIT_S,
                            nullptr, nullptr, nullptr);
    DefineCustomIntVariable("temporal_store.compression_threshold",
                            "Payload size above which payloads are zlib-compressed (-1 disables).", nullptr,
                            &settings.compression_threshold, 256, -1, INT_MAX, PGC_SUSET, GUC_UNIT_BYTE,
                            nullptr, nullptr, nullptr);
    DefineCustomIntVariable("temporal_store.compression_level", "zlib compression level for payloads.",
                            nullptr, &settings.compression_level, 6, 0, 9, PGC_SUSET, 0, nullptr, nullptr,
                            nullptr);
    DefineCustomIntVariable("temporal_store.worker_naptime", "Time the snapshot worker sleeps between passes.",
                            nullptr, &settings.worker_naptime, 1, 1, 86400, PGC_SIGHUP, GUC_UNIT_S, nullptr,
                            nullptr, nullptr);
    DefineCustomIntVariable("temporal_store.cache_size", "Per-backend cache of materialised states.", nullptr,
                            &settings.cache_size, 65536, 0, kMaxCacheKb, PGC_SUSET, GUC_UNIT_KB, nullptr,
                            cache_size_assign, nullptr);
    // Superuser-only: the budget is what keeps one session's JSON operation
    // from taking the memory every session needs (a backend the OOM killer
    // ends restarts them all).
    DefineCustomIntVariable("temporal_store.max_memory",
                            "Memory one JSON operation may allocate for the values it builds or copies.",
                            "Applying a patch, a diff, a merge or decoding a stored payload beyond it is error "
                            "54000.",
                            &settings.max_memory, 1024 * 1024, 1024, INT_MAX, PGC_SUSET, GUC_UNIT_KB, nullptr,
                            max_memory_assign, nullptr);
    DefineCustomStringVariable("temporal_store.checkout",
                               "Branches this session has checked out, as a JSON object {store: branch}.",
                               "Set by ts_checkout; transactional like SET, cleared by RESET and DISCARD ALL.",
                               &settings.checkout, "", PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("temporal_store.launcher_interval",
                            "Time between the worker launcher's looks at the list of databases.",
                            "Only with the library in shared_preload_libraries.", &settings.launcher_interval, 10,
                            1, 3600, PGC_SIGHUP, GUC_UNIT_S, nullptr, nullptr, nullptr);
    static const struct config_enum_entry fault_options[] = {{"none", kFaultNone, false},
                                                             {"worker_bad_alloc", kFaultWorkerBadAlloc, false},
                                                             {"launcher_bad_alloc", kFaultLauncherBadAlloc, false},
                                                             {nullptr, 0, false}};
    DefineCustomEnumVariable("temporal_store.fault_injection",
                             "For tests only: makes the snapshot worker or its launcher throw std::bad_alloc.",
                             "Each worker (or launcher) process throws once per pass while this is set.",
                             &settings.fault_injection, kFaultNone, fault_options, PGC_SIGHUP,
                             GUC_NOT_IN_SAMPLE, nullptr, nullptr, nullptr);
    MarkGUCPrefixReserved("temporal_store");
}

}  // namespace tspg

namespace tspg {

tscore::EncodeOptions payload_encoding() {
    tscore::EncodeOptions o;
    o.compression_threshold = settings.compression_threshold;
    o.compression_level = settings.compression_level;
    return o;
}

}  // namespace tspg
