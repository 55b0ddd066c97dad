// storage.hpp — every query on the extension's tables lives behind this
// interface, so the storage layout can change without touching callers:
// SQL through SPI in storage.cpp, direct index access on the hot paths in
// storage_direct.cpp.
#pragma once

#include <functional>

#include "pg/pg_headers.hpp"
#include "pg/spi_session.hpp"
#include "core/json_value.hpp"

namespace tspg {

// What the write path needs of a branch's head version.
struct HeadInfo {
    std::string hash;
    int64_t generation = 0;
    int32_t chain_len = 0;
    int32_t chain_bytes = 0;
    bool has_snapshot = false;
};

struct StoreRecord {
    int64_t id = 0;
    std::string name;
    std::string owner;    // the owner's name when the store was bound (see bind_role)
    Oid owner_oid = InvalidOid;  // the owner; a dropped role's OID stays (see has_privilege)
    TimestampTz created_at = 0;
    // Filled in by lock_store only.
    int64_t last_version = 0;
    int32_t last_version_branch = 0;  // the newest version's branch and seq
    int64_t last_version_seq = 0;
    HeadInfo last_version_info;  // its hash and chain (has_snapshot not read)
    int64_t last_seq = 0;
    TimestampTz last_at = 0;
    int32_t next_branch = 2;
};

struct BranchRecord {
    int32_t id = 0;
    std::string name;
    int64_t head = 0;
    int64_t created_from = 0;
    TimestampTz created_at = 0;
    std::optional<HeadInfo> head_info;  // filled by lock_for_write only
};

// Event type codes of version rows.
constexpr char kStateCreated = 'C';
constexpr char kStateUpdated = 'U';
constexpr char kBranchMerged = 'M';
const char *version_event_name(char code);

struct VersionRecord {
    int64_t version = 0;
    int64_t seq = 0;
    std::optional<int64_t> first_parent;
    std::optional<int64_t> merge_parent;
    int64_t generation = 1;
    TimestampTz committed_at = 0;
    int32_t chain_len = 0;    // deltas since the nearest full state or snapshot
    int32_t chain_bytes = 0;  // their payload bytes
    bool has_snapshot = false;
    int32_t branch_id = 1;
    char event_type = kStateUpdated;
    std::string author;
    std::optional<std::string> message;
    tscore::Value metadata = tscore::Value::object();
    std::string hash;  // 32 raw bytes
    std::string branch_name;  // filled by queries that join branches
    std::vector<int64_t> parents() const;
};

// What the read path needs to rebuild one version.
struct ReadLink {
    std::optional<int64_t> first_parent;
    std::string hash;
    std::optional<std::string> payload;   // NULL once compacted
    std::optional<std::string> snapshot;  // a materialised state, if built
};

struct EventRecord {
    int64_t seq = 0;
    std::string event_type;
    std::optional<int64_t> version;
    std::optional<int32_t> branch_id;
    std::string branch_name;
    std::string author;
    std::optional<std::string> message;
    tscore::Value metadata = tscore::Value::object();
    TimestampTz committed_at = 0;
    tscore::Value payload;
};

namespace storage {

// Stores. get_store fails with 42704 for an unknown name and 42501 without
// the privilege.
std::optional<StoreRecord> find_store(Session &s, std::string_view name);
StoreRecord get_store(Session &s, std::string_view name, Privilege need);
bool has_privilege(Session &s, const StoreRecord &st, Privilege need);
// The name of a live store, for error messages (nullopt when none).
std::optional<std::string> store_name(Session &s, int64_t store_id);
// Takes the store's write lock (a lock-manager lock on the store id, to
// the end of the transaction) and returns the latest committed counters.
StoreRecord lock_store(Session &s, int64_t store_id);
// lock_store plus the branch to write to and its head's HeadInfo
// (nullopt: no such branch).
StoreRecord lock_for_write(Session &s, int64_t store_id, std::string_view branch, std::optional<BranchRecord> &out);
// After a version is appended with the lock held: the store's counters and
// the branch as it now stands, for the transaction's next write.
void remember_write(const StoreRecord &st, const BranchRecord &b);
// Serialises creation of one store name (a transaction advisory lock).
void lock_store_name(Session &s, std::string_view name);
int64_t insert_store(Session &s, std::string_view name, std::string_view owner, TimestampTz at);

// The name ts_stores shows as the store's owner: the owner role's current
// name, or the extension owner's for a store whose owner was dropped.
std::string owner_name(const StoreRecord &st);
void save_next_branch(Session &s, const StoreRecord &st);
// Registers the transaction callbacks lock_store relies on (from _PG_init).
void register_xact_callbacks();
void mark_store_dropped(Session &s, int64_t store_id, TimestampTz at);
void delete_store_contents(Session &s, int64_t store_id);
struct StoreSummary {
    StoreRecord store;
    int64_t versions = 0, branches = 0, head_version = 0, bytes = 0;
};
// Every live store, by name (bytes of the name), read through a cursor a
// page at a time: memory does not grow with the number of stores.
void for_each_store(Session &s, const std::function<void(const StoreRecord &)> &f);
// A store's counts and size (a scan of its rows: ts_stores asks it only
// for the stores the caller may read).
StoreSummary store_summary(Session &s, const StoreRecord &st);

// Branches (live ones).
std::optional<BranchRecord> find_branch(Session &s, int64_t store_id, std::string_view name);
// seq: the event that creates or moves the branch.
void insert_branch(Session &s, int64_t store_id, const BranchRecord &b, int64_t seq);
void move_branch_head(Session &s, int64_t store_id, int32_t branch_id, int64_t head, int64_t seq);
// A commit (seq) on another branch follows `head`, the newest version of
// branch_id (committed at head_seq): its row takes over naming the head,
// unless an event moved the branch since, and a mark records it.
void pass_branch(Session &s, int64_t store_id, int32_t branch_id, int64_t head, int64_t head_seq, int64_t seq);
// The branch's head as it was at time t; nullopt before it existed.
std::optional<int64_t> branch_head_at(Session &s, int64_t store_id, int32_t branch_id, TimestampTz t);

// Tags.
std::optional<int64_t> find_tag(Session &s, int64_t store_id, std::string_view name);

// Versions.
std::optional<VersionRecord> find_version(Session &s, int64_t store_id, int64_t version);
ReadLink read_link(Session &s, int64_t store_id, int64_t version);
// The read links of versions (upto - count, upto], newest first: a chain
// to replay is mostly contiguous, so one index scan fetches it, stopping
// below the newest snapshot or full-state payload it meets.
// snapshots: whether to look for the newest snapshot in the window (the
// caller may know a cached state ends it sooner).
std::vector<std::pair<int64_t, ReadLink>> read_window(Session &s, int64_t store_id, int64_t upto, int64_t count,
                                                      bool snapshots = true);
// The deltas (and their payload bytes) from the nearest snapshot on the
// first-parent chain to `version`, looking back at most `limit` version
// numbers; nullopt when no snapshot is found that way.
struct ChainSince {
    int32_t deltas = 0;
    int64_t bytes = 0;
};
std::optional<ChainSince> chain_since_snapshot(Session &s, int64_t store_id, int64_t version, int32_t limit);
std::optional<std::string> version_hash(Session &s, int64_t store_id, int64_t version);
// The hash of a version and whether it can still be read (not compacted),
// without fetching its payload; nullopt when it does not exist.
struct VersionBrief {
    std::string hash;
    bool readable;
};
std::optional<VersionBrief> version_brief(Session &s, int64_t store_id, int64_t version);
// Versions whose hash starts with the prefix's bytes (hex, >= 7 digits).
std::vector<int64_t> versions_by_hash_prefix(Session &s, int64_t store_id, std::string_view hex);
// Returns the change_id it drew.
int64_t insert_version(Session &s, int64_t store_id, const VersionRecord &v, const std::string &payload);
// The same with the payload NULL (nullopt): a compacted version (ts_import).
int64_t insert_version(Session &s, int64_t store_id, const VersionRecord &v, std::optional<std::string_view> payload);
// Up to `limit` versions at or below `upto`, newest first: history walks
// read a store's versions in such pages, so that memory stays bounded and
// a walk that stops early reads little.
std::vector<VersionRecord> versions_page(Session &s, int64_t store_id, int64_t upto, int64_t limit);

// Other events.
// Returns the change_id it drew.
int64_t insert_event(Session &s, int64_t store_id, const EventRecord &e);
// The stream after a sequence number, in pages of at most `limit` items
// of each kind, in seq order: the caller merges versions and events.
struct StreamItem {
    bool is_version;
    VersionRecord version;
    EventRecord event;
    std::optional<std::string> payload;  // version payload
    int64_t seq() const { return is_version ? version.seq : event.seq; }
};
std::vector<StreamItem> version_stream_page(Session &s, int64_t store_id, int64_t after_seq, int64_t limit);
std::vector<StreamItem> event_stream_page(Session &s, int64_t store_id, int64_t after_seq, int64_t limit);

// The change feed: changes with after < change_id < below, in change_id
// order (versions and events of every store, dropped ones included).
struct ChangeRow {
    int64_t change_id = 0;
    int64_t store_id = 0;
    int64_t seq = 0;
    std::optional<int64_t> version;
    std::string event_type;
    TimestampTz committed_at = 0;
};
std::vector<ChangeRow> changes_page(Session &s, int64_t after, int64_t below, int64_t limit);
// A store by id, live or dropped.
std::optional<StoreRecord> store_any_by_id(Session &s, int64_t store_id);

// Snapshots.
void insert_snapshot(Session &s, int64_t store_id, int64_t version, const std::string &state);

}  // namespace storage
}  // namespace tspg

namespace tspg {
namespace storage {

// Grants (role by name).
// Grants, by role OID; set_grant also drops the store's grants of roles
// that no longer exist and any row left under the role's name.
void set_grant(Session &s, int64_t store_id, Oid role, std::string_view role_name, std::string_view privilege);
std::optional<std::string> get_grant(Session &s, int64_t store_id, Oid role);
void delete_grant(Session &s, int64_t store_id, Oid role);

// Branch administration.
void set_branch_name(Session &s, int64_t store_id, int32_t branch_id, std::string_view name);
void mark_branch_dropped(Session &s, int64_t store_id, int32_t branch_id, TimestampTz at);
std::vector<BranchRecord> list_branches(Session &s, int64_t store_id);

// Tags.
struct TagRecord {
    std::string name;
    int64_t version;
    TimestampTz created_at;
    std::string author;
    std::optional<std::string> message;
};
void insert_tag(Session &s, int64_t store_id, const TagRecord &t);
void delete_tag(Session &s, int64_t store_id, std::string_view name);
std::vector<TagRecord> list_tags(Session &s, int64_t store_id);

// The graph fields of one version, for ancestry walks.
struct GraphNode {
    std::optional<int64_t> first_parent;
    std::optional<int64_t> merge_parent;
    int64_t generation = 0;
};
GraphNode graph_node(Session &s, int64_t store_id, int64_t version);

}  // namespace storage
}  // namespace tspg

namespace tspg {
namespace storage {

// One step of a walk along first parents, without the payload.
struct ChainStep {
    std::optional<int64_t> first_parent;
    bool has_snapshot = false;
    bool compacted = false;  // payload cleared
};
ChainStep chain_step(Session &s, int64_t store_id, int64_t version);

// Maintenance.
bool has_snapshot(Session &s, int64_t store_id, int64_t version);
// Replaces a version's delta by its full state (compaction roots).
void rewrite_payload_full(Session &s, int64_t store_id, int64_t version, const std::string &payload);
void delete_snapshots_before(Session &s, int64_t store_id, TimestampTz before, const std::vector<int64_t> &keep);
// Clears the payload of every version committed before `before` except
// those listed; returns how many were cleared.
int64_t clear_payloads_before(Session &s, int64_t store_id, TimestampTz before, const std::vector<int64_t> &keep);
std::vector<int64_t> tag_versions(Session &s, int64_t store_id);
std::vector<int64_t> versions_from(Session &s, int64_t store_id, TimestampTz at);  // committed at or after
// Raw rows for ts_verify, oldest first.
struct RawVersion {
    VersionRecord v;
    std::optional<std::string> payload;
    std::optional<std::string> snapshot;
};
std::vector<RawVersion> raw_versions(Session &s, int64_t store_id, int64_t after, int64_t limit);

// Worker: branch heads that need snapshots, across all stores.
struct PendingHead {
    int64_t store_id;
    int64_t head;
    std::string store_name;
};
std::vector<PendingHead> pending_heads(Session &s, int interval, int64_t max_bytes, int max_age_s);
// Also forgets rows of other database names (a renamed database, or one
// copied by CREATE DATABASE … TEMPLATE).
void worker_status_started(Session &s, int pid);
void worker_status_pass(Session &s, int64_t built, int64_t pending);

}  // namespace storage
}  // namespace tspg
