// storage_direct.cpp — the storage functions on the hot paths (every
// commit, every read), implemented with direct index scans and inserts
// (table_access.hpp) instead of SQL. Same contracts as their declarations
// in storage.hpp; the SQL versions they replaced are in git history.
#include "pg/storage_direct.hpp"

#include <algorithm>

#include "pg/change_feed.hpp"
#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/table_access.hpp"
#include "pg/write_signal.hpp"

namespace tspg {
namespace storage {

using tables::IndexScan;
using tables::Rel;
using tables::attnum;
using tables::i32_key;
using tables::i64_key;
using tables::with_scan;

namespace {

constexpr StrategyNumber EQ = BTEqualStrategyNumber;
constexpr StrategyNumber LE = BTLessEqualStrategyNumber;
constexpr StrategyNumber GT = BTGreaterStrategyNumber;

tables::Visibility fresh(const Session &s) {
    return s.read_only() ? tables::Visibility::Active : tables::Visibility::Fresh;
}

// Index columns: versions_pkey, snapshots_pkey and events_pkey are
// (store_id, version|seq); branches_live_name is (store_id, name).

// body(scan) on a scan of the version's row (next() finds it, if it exists).
template <class Body>
auto with_version_row(const Session &s, int64_t store_id, int64_t version, Body &&body) {
    return with_scan(Rel::Versions, Rel::VersionsPkey, {i64_key(1, EQ, store_id), i64_key(2, EQ, version)}, fresh(s),
                     ForwardScanDirection, std::forward<Body>(body));
}

bool snapshot_exists(const Session &s, int64_t store_id, int64_t version) {
    return with_scan(Rel::Snapshots, Rel::SnapshotsPkey, {i64_key(1, EQ, store_id), i64_key(2, EQ, version)},
                     fresh(s), ForwardScanDirection, [](IndexScan &n) { return n.next(); });
}

// The hash and chain of the version row a scan is on.
HeadInfo head_info_of(IndexScan &v) {
    HeadInfo h;
    h.hash = v.bytes(attnum(Rel::Versions, "hash"));
    h.generation = v.i32(attnum(Rel::Versions, "generation"));
    h.chain_len = v.i32(attnum(Rel::Versions, "chain_len"));
    h.chain_bytes = v.i32(attnum(Rel::Versions, "chain_bytes"));
    return h;
}

[[noreturn]] void no_version(int64_t v) {
    ts_error(ERRCODE_UNDEFINED_OBJECT, "version " + std::to_string(v) + " does not exist");
}

StoreRecord store_from(IndexScan &sc) {
    StoreRecord st;
    st.id = sc.i64(attnum(Rel::Stores, "store_id"));
    st.name = sc.bytes(attnum(Rel::Stores, "name"));
    st.owner = sc.bytes(attnum(Rel::Stores, "owner"));
    if (!sc.is_null(attnum(Rel::Stores, "owner_oid")))
        st.owner_oid = sc.object_id(attnum(Rel::Stores, "owner_oid"));
    st.created_at = sc.timestamptz(attnum(Rel::Stores, "created_at"));
    st.next_branch = sc.i32(attnum(Rel::Stores, "next_branch"));
    return st;
}

}  // namespace

std::optional<StoreRecord> find_store(Session &s, std::string_view name) {
    Datum key = string_to_text(name);
    return with_scan(Rel::Stores, Rel::StoresLiveName, {tables::text_eq_key(1, key)}, fresh(s), ForwardScanDirection,
                     [](IndexScan &sc) -> std::optional<StoreRecord> {
                         if (!sc.next()) return std::nullopt;
                         return store_from(sc);
                     });
}

std::optional<StoreRecord> store_by_id(Session &s, int64_t store_id, std::optional<tables::Visibility> vis) {
    return with_scan(Rel::Stores, Rel::StoresPkey, {i64_key(1, EQ, store_id)}, vis.value_or(fresh(s)),
                     ForwardScanDirection, [](IndexScan &sc) -> std::optional<StoreRecord> {
                         while (sc.next())
                             if (sc.is_null(attnum(Rel::Stores, "dropped_at"))) return store_from(sc);
                         return std::nullopt;
                     });
}

void read_counters(Session &s, StoreRecord &st, std::optional<tables::Visibility> vis) {
    st.last_at = st.created_at - 1;
    with_scan(Rel::Versions, Rel::VersionsPkey, {i64_key(1, EQ, st.id)}, vis.value_or(fresh(s)),
              BackwardScanDirection, [&](IndexScan &v) {
                  if (!v.next()) return;
                  st.last_version = v.i64(attnum(Rel::Versions, "version"));
                  st.last_seq = v.i64(attnum(Rel::Versions, "seq"));
                  st.last_version_seq = st.last_seq;
                  st.last_version_branch = v.i32(attnum(Rel::Versions, "branch_id"));
                  st.last_version_info = head_info_of(v);
                  st.last_at = v.timestamptz(attnum(Rel::Versions, "committed_at"));
              });
    with_scan(Rel::Events, Rel::EventsPkey, {i64_key(1, EQ, st.id)}, vis.value_or(fresh(s)), BackwardScanDirection,
              [&](IndexScan &e) {
                  if (!e.next()) return;
                  st.last_seq = std::max(st.last_seq, e.i64(attnum(Rel::Events, "seq")));
                  st.last_at = std::max(st.last_at, e.timestamptz(attnum(Rel::Events, "committed_at")));
              });
}

namespace {

// The live branch of that name, its head taken from the row: the caller
// applies the newest-version rule (see the install script) with moved_seq.
std::optional<BranchRecord> branch_row(Session &s, int64_t store_id, std::string_view name, int64_t &moved_seq) {
    Datum key = string_to_text(name);
    return with_scan(Rel::Branches, Rel::BranchesLiveName, {i64_key(1, EQ, store_id), tables::text_eq_key(2, key)},
                     fresh(s), ForwardScanDirection, [&](IndexScan &sc) -> std::optional<BranchRecord> {
                         if (!sc.next()) return std::nullopt;
                         BranchRecord b;
                         b.id = sc.i32(attnum(Rel::Branches, "branch_id"));
                         b.name = sc.bytes(attnum(Rel::Branches, "name"));
                         b.head = sc.i64(attnum(Rel::Branches, "head"));
                         moved_seq = sc.i64(attnum(Rel::Branches, "moved_seq"));
                         b.created_from = sc.i64(attnum(Rel::Branches, "created_from"));
                         b.created_at = sc.timestamptz(attnum(Rel::Branches, "created_at"));
                         return b;
                     });
}

// The store's newest version is the head of its own branch, unless an
// event moved that branch since.
void apply_newest_version(BranchRecord &b, int64_t moved_seq, int64_t newest, int32_t newest_branch,
                          int64_t newest_seq) {
    if (newest > 0 && newest_branch == b.id && newest_seq > moved_seq) b.head = newest;
}

}  // namespace

std::optional<BranchRecord> find_branch(Session &s, int64_t store_id, std::string_view name) {
    int64_t moved_seq = 0;
    std::optional<BranchRecord> b = branch_row(s, store_id, name, moved_seq);
    if (!b) return b;
    with_scan(Rel::Versions, Rel::VersionsPkey, {i64_key(1, EQ, store_id)}, fresh(s), BackwardScanDirection,
              [&](IndexScan &v) {
                  if (v.next())
                      apply_newest_version(*b, moved_seq, v.i64(attnum(Rel::Versions, "version")),
                                           v.i32(attnum(Rel::Versions, "branch_id")),
                                           v.i64(attnum(Rel::Versions, "seq")));
              });
    return b;
}

std::optional<BranchRecord> branch_for_write(Session &s, const StoreRecord &st, std::string_view name) {
    int64_t store_id = st.id;
    int64_t moved_seq = 0;
    std::optional<BranchRecord> found = branch_row(s, store_id, name, moved_seq);
    if (!found) return found;
    BranchRecord b = std::move(*found);
    apply_newest_version(b, moved_seq, st.last_version, st.last_version_branch, st.last_version_seq);
    HeadInfo h;
    if (st.last_version > 0 && b.head == st.last_version) {
        h = st.last_version_info;  // read_counters has just read that row
    } else {
        int64_t head = b.head;
        h = with_version_row(s, store_id, head, [&](IndexScan &v) {
            if (!v.next()) no_version(head);
            return head_info_of(v);
        });
    }
    h.has_snapshot = snapshot_exists(s, store_id, b.head);
    b.head_info = std::move(h);
    return b;
}

std::optional<VersionPoint> version_at_or_below(Session &s, int64_t store_id, int64_t version) {
    return with_scan(Rel::Versions, Rel::VersionsPkey, {i64_key(1, EQ, store_id), i64_key(2, LE, version)}, fresh(s),
                     BackwardScanDirection, [](IndexScan &v) -> std::optional<VersionPoint> {
                         if (!v.next()) return std::nullopt;
                         return VersionPoint{v.i64(attnum(Rel::Versions, "version")),
                                             v.i64(attnum(Rel::Versions, "seq")),
                                             v.i32(attnum(Rel::Versions, "branch_id")),
                                             v.timestamptz(attnum(Rel::Versions, "committed_at"))};
                     });
}

ReadLink read_link(Session &s, int64_t store_id, int64_t version) {
    ReadLink l;
    with_version_row(s, store_id, version, [&](IndexScan &v) {
        if (!v.next()) no_version(version);
        l.first_parent = v.opt_i64(attnum(Rel::Versions, "first_parent"));
        l.hash = v.bytes(attnum(Rel::Versions, "hash"));
        l.payload = v.opt_bytes(attnum(Rel::Versions, "payload"));
    });
    with_scan(Rel::Snapshots, Rel::SnapshotsPkey, {i64_key(1, EQ, store_id), i64_key(2, EQ, version)}, fresh(s),
              ForwardScanDirection, [&](IndexScan &n) {
                  if (n.next()) l.snapshot = n.bytes(attnum(Rel::Snapshots, "state"));
              });
    return l;
}

std::vector<std::pair<int64_t, ReadLink>> read_window(Session &s, int64_t store_id, int64_t upto, int64_t count,
                                                      bool snapshots) {
    // The newest snapshot in the window bounds it: a linear chain needs
    // nothing below it. (A snapshot on another branch just ends this window
    // early; the caller fetches the next one.)
    int64_t low = upto - count;  // exclusive
    std::optional<int64_t> snap_version;
    std::string snap_state;
    if (snapshots) {
        with_scan(Rel::Snapshots, Rel::SnapshotsPkey, {i64_key(1, EQ, store_id), i64_key(2, LE, upto), i64_key(2, GT, low)},
                  fresh(s), BackwardScanDirection, [&](IndexScan &n) {
                      if (!n.next()) return;
                      snap_version = n.i64(attnum(Rel::Snapshots, "version"));
                      snap_state = n.bytes(attnum(Rel::Snapshots, "state"));
                      low = std::max(low, *snap_version - 1);
                  });
    }
    std::vector<std::pair<int64_t, ReadLink>> out;
    auto collect = [&](IndexScan &v) {
        AttrNumber a_version = attnum(Rel::Versions, "version"), a_parent = attnum(Rel::Versions, "first_parent"),
                   a_hash = attnum(Rel::Versions, "hash"), a_payload = attnum(Rel::Versions, "payload"),
                   a_chain = attnum(Rel::Versions, "chain_len");
        while (v.next()) {
            ReadLink l;
            int64_t version = v.i64(a_version);
            l.first_parent = v.opt_i64(a_parent);
            l.hash = v.bytes(a_hash);
            if (snap_version && version == *snap_version) {
                l.snapshot = std::move(snap_state);
            } else {
                l.payload = v.opt_bytes(a_payload);
            }
            bool full = v.i32(a_chain) == 0;  // a full-state payload: version 1, keyframes, compaction roots
            out.emplace_back(version, std::move(l));
            // Below a full state, a linear chain needs nothing more.
            if (full || (snap_version && version == *snap_version)) break;
        }
    };
    with_scan(Rel::Versions, Rel::VersionsPkey, {i64_key(1, EQ, store_id), i64_key(2, LE, upto), i64_key(2, GT, low)},
              fresh(s), BackwardScanDirection, collect);
    return out;
}

std::optional<ChainSince> chain_since_snapshot(Session &s, int64_t store_id, int64_t version, int32_t limit) {
    ChainSince c;
    int64_t v = version;
    for (auto &[ver, link] : read_window(s, store_id, version, limit, true)) {
        if (ver > v) continue;  // off the chain
        if (ver != v) return std::nullopt;
        if (link.snapshot) return c;
        if (!link.payload || !link.first_parent) return std::nullopt;  // a full state or compacted
        c.deltas++;
        c.bytes += (int64_t)link.payload->size();
        v = *link.first_parent;
    }
    return std::nullopt;
}

std::optional<std::string> version_hash(Session &s, int64_t store_id, int64_t version) {
    return with_version_row(s, store_id, version, [](IndexScan &v) -> std::optional<std::string> {
        if (!v.next()) return std::nullopt;
        return v.bytes(attnum(Rel::Versions, "hash"));
    });
}

std::optional<VersionBrief> version_brief(Session &s, int64_t store_id, int64_t version) {
    VersionBrief b;
    bool found = with_version_row(s, store_id, version, [&](IndexScan &v) {
        if (!v.next()) return false;
        b.hash = v.bytes(attnum(Rel::Versions, "hash"));
        b.readable = !v.is_null(attnum(Rel::Versions, "payload"));
        return true;
    });
    if (!found) return std::nullopt;
    if (!b.readable) b.readable = snapshot_exists(s, store_id, version);
    return b;
}

namespace {
// The generation is stored in four bytes: 2^31 - 1 versions along one
// ancestry line is beyond any history this extension can hold.
int32_t generation_value(int64_t g) {
    if (g > INT32_MAX)
        ts_error(ERRCODE_PROGRAM_LIMIT_EXCEEDED, "history too deep",
                 "A version may have at most 2147483647 ancestors along one line.");
    return (int32_t)g;
}
}  // namespace

int64_t insert_version(Session &s, int64_t store_id, const VersionRecord &v, const std::string &payload) {
    return insert_version(s, store_id, v, std::optional<std::string_view>(payload));
}

int64_t insert_version(Session &s, int64_t store_id, const VersionRecord &v, std::optional<std::string_view> payload) {
    (void)s;  // the caller holds the store's write lock
    write_signal::note_write();
    int64_t change_id = change_feed::draw_change_id();
    bool empty_meta = v.metadata.is_object() && v.metadata.members().empty();
    int natts = tables::column_count(Rel::Versions);
    std::vector<Datum> values(natts, (Datum)0);
    std::unique_ptr<bool[]> nulls(new bool[natts]);
    std::fill(nulls.get(), nulls.get() + natts, true);
    auto set = [&](const char *col, Datum d) {
        AttrNumber a = attnum(Rel::Versions, col);
        values[a - 1] = d;
        nulls[a - 1] = false;
    };
    auto bytea_of = [](std::string_view b) {
        struct varlena *p = pg_guard([&] { return (struct varlena *)palloc(VARHDRSZ + b.size()); });
        SET_VARSIZE(p, VARHDRSZ + b.size());
        memcpy(VARDATA(p), b.data(), b.size());
        return PointerGetDatum(p);
    };
    set("store_id", Int64GetDatum(store_id));
    set("version", Int64GetDatum(v.version));
    set("seq", Int64GetDatum(v.seq));
    set("change_id", Int64GetDatum(change_id));
    if (v.first_parent) set("first_parent", Int64GetDatum(*v.first_parent));
    if (v.merge_parent) set("merge_parent", Int64GetDatum(*v.merge_parent));
    set("generation", Int32GetDatum(generation_value(v.generation)));
    set("committed_at", TimestampTzGetDatum(v.committed_at));
    set("chain_len", Int32GetDatum(v.chain_len));
    set("chain_bytes", Int32GetDatum(v.chain_bytes));
    set("branch_id", Int32GetDatum(v.branch_id));
    set("event_type", CharGetDatum(v.event_type));
    set("author", string_to_text(v.author));
    if (v.message) set("message", string_to_text(*v.message));
    if (!empty_meta) set("metadata", value_to_datum(v.metadata));
    set("hash", bytea_of(v.hash));
    if (payload) set("payload", bytea_of(*payload));  // NULL: compacted (an import)
    tables::insert_row(Rel::Versions, values.data(), nulls.get());
    return change_id;
}

GraphNode graph_node(Session &s, int64_t store_id, int64_t version) {
    return with_version_row(s, store_id, version, [&](IndexScan &v) {
        if (!v.next()) no_version(version);
        return GraphNode{v.opt_i64(attnum(Rel::Versions, "first_parent")),
                         v.opt_i64(attnum(Rel::Versions, "merge_parent")), v.i32(attnum(Rel::Versions, "generation"))};
    });
}

ChainStep chain_step(Session &s, int64_t store_id, int64_t version) {
    ChainStep c;
    with_version_row(s, store_id, version, [&](IndexScan &v) {
        if (!v.next()) no_version(version);
        c.first_parent = v.opt_i64(attnum(Rel::Versions, "first_parent"));
        c.compacted = v.is_null(attnum(Rel::Versions, "payload"));
    });
    c.has_snapshot = snapshot_exists(s, store_id, version);
    return c;
}

bool has_snapshot(Session &s, int64_t store_id, int64_t version) { return snapshot_exists(s, store_id, version); }

}  // namespace storage
}  // namespace tspg
