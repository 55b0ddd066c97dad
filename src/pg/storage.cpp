// storage.cpp — see storage.hpp. Every statement runs as the owner of
// ts_internal with search_path pinned (see Session), and still qualifies
// every table, function, operator, type and collation it names: a role's
// look-alike objects must never run with the owner's rights. OPERATOR()
// binds tighter than the comparison it replaces: arithmetic inside one
// is parenthesised.
#include "pg/storage.hpp"

#include <algorithm>

#include "pg/change_feed.hpp"
#include "pg/error_bridge.hpp"

extern "C" {
#include "common/hashfn.h"
}
#include "pg/jsonb_convert.hpp"
#include "pg/storage_direct.hpp"
#include "pg/write_signal.hpp"
#include "pg/xact_end.hpp"

namespace tspg {

const char *version_event_name(char code) {
    switch (code) {
        case kStateCreated: return "StateCreated";
        case kBranchMerged: return "BranchMerged";
        default: return "StateUpdated";
    }
}

std::vector<int64_t> VersionRecord::parents() const {
    std::vector<int64_t> p;
    if (first_parent) p.push_back(*first_parent);
    if (merge_parent) p.push_back(*merge_parent);
    return p;
}

namespace storage {

namespace {

constexpr int kUndefinedObject = ERRCODE_UNDEFINED_OBJECT;

StoreRecord store_from(const Rows &r, uint64_t i) {
    StoreRecord st;
    st.id = r.i64(i, 0);
    st.name = r.str(i, 1);
    st.owner = r.str(i, 2);
    st.created_at = r.timestamptz(i, 3);
    st.next_branch = r.i32(i, 4);
    if (!r.is_null(i, 5)) st.owner_oid = DatumGetObjectId(r.datum(i, 5));
    return st;
}
#define STORE_COLS "store_id, name, owner, created_at, next_branch, owner_oid"

// A branch's head: the store's newest version when it is on the branch
// and no event moved the branch since, else the row's head (which a commit
// on another branch brings up to date: see pass_branch).
#define BRANCH_HEAD(b)                                                                                     \
    "coalesce((SELECT CASE WHEN lv.branch_id OPERATOR(pg_catalog.=) " b ".branch_id AND lv.seq OPERATOR(pg_catalog.>) " b ".moved_seq THEN lv.version END " \
    "FROM ts_internal.versions lv WHERE lv.store_id OPERATOR(pg_catalog.=) " b ".store_id ORDER BY lv.version DESC LIMIT 1), " b ".head)"
#define BRANCH_COLS "b.branch_id, b.name, " BRANCH_HEAD("b") ", b.created_from, b.created_at"

BranchRecord branch_from(const Rows &r, uint64_t i) {
    BranchRecord b;
    b.id = r.i32(i, 0);
    b.name = r.str(i, 1);
    b.head = r.i64(i, 2);
    b.created_from = r.i64(i, 3);
    b.created_at = r.timestamptz(i, 4);
    return b;
}

// Stores whose write lock this transaction holds, with the subtransaction
// that took it (a rolled-back subtransaction releases it). While nothing
// else has written through SQL since, `cached` holds the store's counters
// and the branch as this transaction's last version left them, so the next
// commit of a batch needs no lookup.
struct Held {
    int64_t store_id;
    SubTransactionId subid;
    bool cached = false;
    uint64_t epoch = 0;  // sql_write_epoch() when cached
    StoreRecord st;
    BranchRecord branch;
};
std::vector<Held> held;

Held *held_store(int64_t store_id) {
    for (Held &h : held)
        if (h.store_id == store_id) return &h;
    return nullptr;
}

bool usable(const Held &h) { return h.cached && h.epoch == sql_write_epoch(); }

void on_xact(XactEvent event, void *) {
    if (ends_transaction(event))
        held.clear();
}

void on_subxact(SubXactEvent event, SubTransactionId mySubid, SubTransactionId, void *) {
    if (event != SUBXACT_EVENT_ABORT_SUB) return;
    held.erase(std::remove_if(held.begin(), held.end(), [&](const Held &h) { return h.subid >= mySubid; }),
               held.end());
    // What the aborted subtransaction wrote is gone: no cached state survives.
    for (Held &h : held) h.cached = false;
}

// Column list and decoder shared by every version query.
#define VERSION_COLS                                                                       \
    "v.version, v.seq, v.first_parent, v.merge_parent, v.generation, v.committed_at, "    \
    "v.chain_len, v.branch_id, v.event_type, v.author, v.message, v.metadata, v.hash, b.name, "        \
    "v.chain_bytes, EXISTS (SELECT 1 FROM ts_internal.snapshots n "                                   \
    "WHERE n.store_id OPERATOR(pg_catalog.=) v.store_id AND n.version OPERATOR(pg_catalog.=) v.version)"
#define VERSION_FROM                                                                       \
    " FROM ts_internal.versions v LEFT JOIN ts_internal.branches b"                       \
    " ON b.store_id OPERATOR(pg_catalog.=) v.store_id AND b.branch_id OPERATOR(pg_catalog.=) v.branch_id"

VersionRecord version_from(const Rows &r, uint64_t i) {
    VersionRecord v;
    v.version = r.i64(i, 0);
    v.seq = r.i64(i, 1);
    v.first_parent = r.opt_i64(i, 2);
    v.merge_parent = r.opt_i64(i, 3);
    v.generation = r.i32(i, 4);
    v.committed_at = r.timestamptz(i, 5);
    v.chain_len = r.i32(i, 6);
    v.branch_id = r.i32(i, 7);
    v.event_type = r.character(i, 8);
    v.author = r.str(i, 9);
    v.message = r.opt_str(i, 10);
    v.metadata = r.json(i, 11);
    v.hash = r.bytes(i, 12);
    v.branch_name = r.is_null(i, 13) ? std::string() : r.str(i, 13);
    v.chain_bytes = r.i32(i, 14);
    v.has_snapshot = r.boolean(i, 15);
    return v;
}

bool role_has_privs(Oid caller, Oid role) {
    return OidIsValid(role) && pg_guard([&] { return has_privs_of_role(caller, role); });
}

bool role_exists(Oid role) {
    return OidIsValid(role) && pg_guard([&] { return SearchSysCacheExists1(AUTHOID, ObjectIdGetDatum(role)); });
}

}  // namespace

bool has_privilege(Session &s, const StoreRecord &st, Privilege need) {
    Oid caller = s.caller();
    if (pg_guard([&] { return superuser_arg(caller); })) return true;
    if (role_has_privs(caller, st.owner_oid)) return true;
    // A store whose owner role was dropped passes to the extension owner.
    if (!role_exists(st.owner_oid) && role_has_privs(caller, extension_owner())) return true;
    // Grants of dropped roles never match: a role's OID is not reused while
    // the database lives (a new role of the same name has another one).
    Rows r = s.run("SELECT role_oid, privilege FROM ts_internal.grants "
                   "WHERE store_id OPERATOR(pg_catalog.=) $1 AND role_oid IS NOT NULL",
                   {param::i64(st.id)});
    for (uint64_t i = 0; i < r.size(); i++) {
        if (privilege_from_name(r.str(i, 1)).value_or(Privilege::Read) >= need && role_has_privs(caller, DatumGetObjectId(r.datum(i, 0))))
            return true;
    }
    return false;
}

StoreRecord get_store(Session &s, std::string_view name, Privilege need) {
    std::optional<StoreRecord> st;
    // A store this transaction holds locked cannot have been dropped or
    // renamed by anyone else.
    for (const Held &h : held)
        if (usable(h) && h.st.name == name) st = h.st;
    if (!st) st = find_store(s, name);
    if (!st) ts_error(kUndefinedObject, "store \"" + std::string(name) + "\" does not exist");
    if (!has_privilege(s, *st, need)) {
        const char *what = privilege_name(need);
        ts_error(ERRCODE_INSUFFICIENT_PRIVILEGE, "permission denied for store \"" + st->name + "\"",
                 "This needs the " + std::string(what) + " privilege on the store.",
                 "The store's owner or an admin can grant it with ts_grant.");
    }
    return *st;
}

void register_xact_callbacks() {
    RegisterXactCallback(on_xact, nullptr);
    RegisterSubXactCallback(on_subxact, nullptr);
}

std::optional<std::string> store_name(Session &s, int64_t store_id) {
    std::optional<StoreRecord> st = store_by_id(s, store_id);
    if (!st) return std::nullopt;
    return std::move(st->name);
}

namespace {

// The store's write lock: a transaction-level lock of PostgreSQL's lock
// manager on the store's id (class kStoreLockClass of the advisory lock
// space, which no SQL advisory lock function uses), so taking it writes
// nothing. Writers of one store wait for each other; deadlocks are found
// as for any lock.
constexpr uint16 kStoreLockClass = 0x7473;  // "ts"
// The same for creating a store of a given name (lock_store_name).
constexpr uint16 kNameLockClass = 0x746e;  // "tn"

void acquire_store_lock(int64_t store_id) {
    pg_guard([&] {
        LOCKTAG tag;
        SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32)((uint64)store_id >> 32), (uint32)store_id, kStoreLockClass);
        (void)LockAcquire(&tag, ExclusiveLock, false, false);
    });
}

[[noreturn]] void dropped_concurrently() {
    ts_error(kUndefinedObject, "store was dropped by a concurrent transaction");
}

// Takes the store's write lock for the first write of a transaction (or
// of a subtransaction after a rolled-back one released it). Under
// REPEATABLE READ and SERIALIZABLE, a write that another transaction
// committed to the store after this one's snapshot makes it fail with
// 40001: the next write would otherwise build on a state this transaction
// cannot see. Later writes of the transaction hold the lock already and
// only read the row.
StoreRecord lock_row(Session &s, int64_t store_id) {
    if (held_store(store_id)) {
        std::optional<StoreRecord> st = store_by_id(s, store_id);
        if (!st) dropped_concurrently();
        return *st;
    }
    pg_guard([] { PreventCommandIfReadOnly("a temporal_store write"); });
    acquire_store_lock(store_id);
    std::optional<StoreRecord> st = store_by_id(s, store_id);
    if (pg_guard([] { return IsolationUsesXactSnapshot(); })) {
        std::optional<StoreRecord> now = store_by_id(s, store_id, tables::Visibility::Latest);
        bool moved = !st || !now;
        if (!moved) {
            StoreRecord mine = *st, latest = *now;
            read_counters(s, mine);
            read_counters(s, latest, tables::Visibility::Latest);
            moved = mine.last_seq != latest.last_seq || mine.next_branch != latest.next_branch;
        }
        if (moved)
            ts_error(ERRCODE_T_R_SERIALIZATION_FAILURE, "could not serialize access due to concurrent update",
                     "Another transaction wrote to store \"" + (st ? st->name : std::to_string(store_id)) +
                         "\" after this transaction's snapshot was taken.",
                     "Retry the transaction.");
    }
    if (!st) dropped_concurrently();
    held.push_back(Held{store_id, GetCurrentSubTransactionId()});
    return *st;
}
}  // namespace

StoreRecord lock_store(Session &s, int64_t store_id) {
    Held *h = held_store(store_id);
    if (h && usable(*h)) return h->st;
    StoreRecord st = lock_row(s, store_id);
    read_counters(s, st);
    return st;
}

StoreRecord lock_for_write(Session &s, int64_t store_id, std::string_view branch, std::optional<BranchRecord> &out) {
    Held *h = held_store(store_id);
    if (h && usable(*h)) {
        out = h->branch.name == branch ? std::optional<BranchRecord>(h->branch) : branch_for_write(s, h->st, branch);
        return h->st;
    }
    StoreRecord st = lock_row(s, store_id);
    read_counters(s, st);
    out = branch_for_write(s, st, branch);
    return st;
}

void remember_write(const StoreRecord &st, const BranchRecord &b) {
    Held *h = held_store(st.id);
    if (!h) return;
    h->cached = true;
    h->epoch = sql_write_epoch();
    h->st = st;
    h->branch = b;
}

void lock_store_name(Session &, std::string_view name) {
    // Creators of one name serialise on a lock no SQL can take or hold
    // (class kNameLockClass of the advisory space; SQL uses classes 1, 2).
    uint64 h = hash_bytes_extended((const unsigned char *)name.data(), (int)name.size(), 0);
    pg_guard([&] {
        LOCKTAG tag;
        SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32)(h >> 32), (uint32)h, kNameLockClass);
        (void)LockAcquire(&tag, ExclusiveLock, false, false);
    });
}

std::string owner_name(const StoreRecord &st) {
    Oid owner = role_exists(st.owner_oid) ? st.owner_oid : extension_owner();
    return pg_guard([&] { return std::string(GetUserNameFromId(owner, false)); });
}

int64_t insert_store(Session &s, std::string_view name, std::string_view owner, TimestampTz at) {
    Rows r = s.run(
        "INSERT INTO ts_internal.stores (name, owner, created_at) VALUES ($1, $2, $3) RETURNING store_id",
        {param::text(name), param::text(owner), param::timestamptz(at)});
    return r.i64(0, 0);
}

void save_next_branch(Session &s, const StoreRecord &st) {
    s.run("UPDATE ts_internal.stores SET next_branch = $2 WHERE store_id OPERATOR(pg_catalog.=) $1",
          {param::i64(st.id), param::i32(st.next_branch)});
}

void mark_store_dropped(Session &s, int64_t store_id, TimestampTz at) {
    s.run("UPDATE ts_internal.stores SET dropped_at = $2 WHERE store_id OPERATOR(pg_catalog.=) $1",
          {param::i64(store_id), param::timestamptz(at)});
}

void delete_store_contents(Session &s, int64_t store_id) {
    s.run("DELETE FROM ts_internal.versions WHERE store_id OPERATOR(pg_catalog.=) $1", {param::i64(store_id)});
    s.run("DELETE FROM ts_internal.branches WHERE store_id OPERATOR(pg_catalog.=) $1", {param::i64(store_id)});
    s.run("DELETE FROM ts_internal.branch_marks WHERE store_id OPERATOR(pg_catalog.=) $1", {param::i64(store_id)});
    s.run("DELETE FROM ts_internal.tags WHERE store_id OPERATOR(pg_catalog.=) $1", {param::i64(store_id)});
    s.run("DELETE FROM ts_internal.grants WHERE store_id OPERATOR(pg_catalog.=) $1", {param::i64(store_id)});
    s.run("DELETE FROM ts_internal.snapshots WHERE store_id OPERATOR(pg_catalog.=) $1", {param::i64(store_id)});
    s.run("DELETE FROM ts_internal.events WHERE store_id OPERATOR(pg_catalog.=) $1", {param::i64(store_id)});
    s.run("DELETE FROM ts_internal.version_paths WHERE store_id OPERATOR(pg_catalog.=) $1", {param::i64(store_id)});
    s.run("DELETE FROM ts_internal.version_runs WHERE store_id OPERATOR(pg_catalog.=) $1", {param::i64(store_id)});
}

void for_each_store(Session &s, const std::function<void(const StoreRecord &)> &f) {
    Cursor c = s.open_cursor("SELECT " STORE_COLS " FROM ts_internal.stores st WHERE dropped_at IS NULL "
                             "ORDER BY name COLLATE pg_catalog.\"C\"",
                             {});
    for (;;) {
        Rows r = c.fetch(256);
        if (r.empty()) break;
        for (uint64_t i = 0; i < r.size(); i++) {
            check_interrupts();
            f(store_from(r, i));
        }
        r.release();
    }
    c.close();
}

StoreSummary store_summary(Session &s, const StoreRecord &st) {
    Rows r = s.run(
        "SELECT (SELECT pg_catalog.count(*) FROM ts_internal.branches b WHERE b.store_id OPERATOR(pg_catalog.=) $1 AND b.dropped_at IS NULL),"
        " (SELECT " BRANCH_HEAD("b") " FROM ts_internal.branches b WHERE b.store_id OPERATOR(pg_catalog.=) $1 AND b.branch_id OPERATOR(pg_catalog.=) 1),"
        " (SELECT coalesce(pg_catalog.sum(pg_catalog.pg_column_size(v.*)), 0) FROM ts_internal.versions v WHERE v.store_id OPERATOR(pg_catalog.=) $1)"
        " OPERATOR(pg_catalog.+) (SELECT coalesce(pg_catalog.sum(pg_catalog.pg_column_size(e.*)), 0) FROM ts_internal.events e WHERE e.store_id OPERATOR(pg_catalog.=) $1)"
        " OPERATOR(pg_catalog.+) (SELECT coalesce(pg_catalog.sum(pg_catalog.pg_column_size(n.*)), 0) FROM ts_internal.snapshots n WHERE n.store_id OPERATOR(pg_catalog.=) $1),"
        " (SELECT coalesce(pg_catalog.max(v.version), 0) FROM ts_internal.versions v WHERE v.store_id OPERATOR(pg_catalog.=) $1)",
        {param::i64(st.id)});
    StoreSummary sum;
    sum.store = st;
    sum.branches = r.i64(0, 0);
    sum.head_version = r.is_null(0, 1) ? 0 : r.i64(0, 1);
    sum.bytes = r.i64(0, 2);
    sum.versions = r.i64(0, 3);
    r.release();
    return sum;
}

void insert_branch(Session &s, int64_t store_id, const BranchRecord &b, int64_t seq) {
    s.run("INSERT INTO ts_internal.branches (store_id, branch_id, name, head, moved_seq, created_from, created_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {param::i64(store_id), param::i32(b.id), param::text(b.name), param::i64(b.head), param::i64(seq),
           param::i64(b.created_from), param::timestamptz(b.created_at)});
}

void move_branch_head(Session &s, int64_t store_id, int32_t branch_id, int64_t head, int64_t seq) {
    s.run("UPDATE ts_internal.branches SET head = $3, moved_seq = $4 WHERE store_id OPERATOR(pg_catalog.=) $1 AND branch_id OPERATOR(pg_catalog.=) $2",
          {param::i64(store_id), param::i32(branch_id), param::i64(head), param::i64(seq)});
}

void pass_branch(Session &s, int64_t store_id, int32_t branch_id, int64_t head, int64_t head_seq, int64_t seq) {
    s.run("UPDATE ts_internal.branches SET head = $3 WHERE store_id OPERATOR(pg_catalog.=) $1 AND branch_id OPERATOR(pg_catalog.=) $2 AND moved_seq OPERATOR(pg_catalog.<) $4",
          {param::i64(store_id), param::i32(branch_id), param::i64(head), param::i64(head_seq)});
    s.run("INSERT INTO ts_internal.branch_marks (store_id, branch_id, seq, head) VALUES ($1, $2, $3, $4)",
          {param::i64(store_id), param::i32(branch_id), param::i64(seq), param::i64(head)});
}

std::optional<int64_t> branch_head_at(Session &s, int64_t store_id, int32_t branch_id, TimestampTz t) {
    // The head at t is the latest movement at or before t: a version
    // committed on the branch, or an event that moved it without one.
    // Versions: the store's newest at t (committed_at grows with the
    // version number: a binary search on the primary key); if it is on
    // another branch, the mark written when that branch took over names
    // this one's newest version then.
    std::optional<int64_t> best;
    int64_t best_seq = -1;
    std::optional<VersionPoint> top = version_at_or_below(s, store_id, INT64_MAX);
    std::optional<VersionPoint> at;
    if (top && top->committed_at <= t) {
        at = top;
    } else if (top) {
        // Versions <= lo are at or before t (at: the newest of them);
        // hi and above are after t.
        int64_t lo = 0, hi = top->version;
        while (hi - lo > 1) {
            check_interrupts();
            int64_t mid = lo + (hi - lo) / 2;
            std::optional<VersionPoint> p = version_at_or_below(s, store_id, mid);
            if (!p || p->committed_at <= t) {
                lo = mid;
                if (p) at = p;
            } else {
                hi = p->version;
            }
        }
    }
    if (at && at->branch_id == branch_id) {
        best = at->version;
        best_seq = at->seq;
    } else if (at) {
        Rows m = s.run("SELECT m.head, v.seq FROM ts_internal.branch_marks m JOIN ts_internal.versions v "
                       "ON v.store_id OPERATOR(pg_catalog.=) m.store_id AND v.version OPERATOR(pg_catalog.=) m.head "
                       "WHERE m.store_id OPERATOR(pg_catalog.=) $1 AND m.branch_id OPERATOR(pg_catalog.=) $2 AND m.seq OPERATOR(pg_catalog.<=) $3 ORDER BY m.seq DESC LIMIT 1",
                       {param::i64(store_id), param::i32(branch_id), param::i64(at->seq)});
        if (!m.empty()) {
            best = m.i64(0, 0);
            best_seq = m.i64(0, 1);
        }
    }
    Rows e = s.run(
        "SELECT version, seq, event_type FROM ts_internal.events "
        "WHERE store_id OPERATOR(pg_catalog.=) $1 AND branch_id OPERATOR(pg_catalog.=) $2 AND committed_at OPERATOR(pg_catalog.<=) $3 "
        "AND event_type OPERATOR(pg_catalog.=) ANY ('{BranchCreated,BranchMerged,BranchReset,BranchDropped}'::pg_catalog.text[]) "
        "ORDER BY seq DESC LIMIT 1",
        {param::i64(store_id), param::i32(branch_id), param::timestamptz(t)});
    if (!e.empty() && e.i64(0, 1) > best_seq) {
        if (e.str(0, 2) == "BranchDropped") return std::nullopt;
        best = e.i64(0, 0);
    }
    return best;
}

std::optional<int64_t> find_tag(Session &s, int64_t store_id, std::string_view name) {
    Rows r = s.run("SELECT version FROM ts_internal.tags WHERE store_id OPERATOR(pg_catalog.=) $1 AND name OPERATOR(pg_catalog.=) $2",
                   {param::i64(store_id), param::text(name)});
    if (r.empty()) return std::nullopt;
    return r.i64(0, 0);
}

std::optional<VersionRecord> find_version(Session &s, int64_t store_id, int64_t version) {
    Rows r = s.run("SELECT " VERSION_COLS VERSION_FROM " WHERE v.store_id OPERATOR(pg_catalog.=) $1 AND v.version OPERATOR(pg_catalog.=) $2",
                   {param::i64(store_id), param::i64(version)});
    if (r.empty()) return std::nullopt;
    return version_from(r, 0);
}

std::vector<int64_t> versions_by_hash_prefix(Session &s, int64_t store_id, std::string_view hex) {
    // No index on hash (see the install script): scan the store's versions.
    Rows r = s.run("SELECT version FROM ts_internal.versions "
                   "WHERE store_id OPERATOR(pg_catalog.=) $1 AND pg_catalog.left(pg_catalog.encode(hash, 'hex'::pg_catalog.text), pg_catalog.length($2)) OPERATOR(pg_catalog.=) $2 LIMIT 2",
                   {param::i64(store_id), param::text(hex)});
    std::vector<int64_t> out;
    for (uint64_t i = 0; i < r.size(); i++) out.push_back(r.i64(i, 0));
    return out;
}

std::vector<VersionRecord> versions_page(Session &s, int64_t store_id, int64_t upto, int64_t limit) {
    Rows r = s.run("SELECT " VERSION_COLS VERSION_FROM " WHERE v.store_id OPERATOR(pg_catalog.=) $1 "
                   "AND v.version OPERATOR(pg_catalog.<=) $2 ORDER BY v.version DESC LIMIT $3",
                   {param::i64(store_id), param::i64(upto), param::i64(limit)});
    std::vector<VersionRecord> out;
    out.reserve(r.size());
    for (uint64_t i = 0; i < r.size(); i++) out.push_back(version_from(r, i));
    r.release();
    return out;
}

int64_t insert_event(Session &s, int64_t store_id, const EventRecord &e) {
    write_signal::note_write();
    bool empty_meta = e.metadata.is_object() && e.metadata.members().empty();
    int64_t change_id = change_feed::draw_change_id();
    s.run("INSERT INTO ts_internal.events (store_id, seq, change_id, version, committed_at, branch_id, "
          "event_type, author, message, metadata, payload) VALUES ($1, $2, $11, "
          "$3, $4, $5, $6, $7, $8, $9, $10)",
          {param::i64(store_id), param::i64(e.seq), param::opt_i64(e.version),
           param::timestamptz(e.committed_at), e.branch_id ? param::i32(*e.branch_id) : param::null(INT4OID),
           param::text(e.event_type), param::text(e.author), param::opt_text(e.message),
           empty_meta ? param::null(JSONBOID) : param::jsonb(e.metadata),
           e.payload.is_null() ? param::null(JSONBOID) : param::jsonb(e.payload), param::i64(change_id)});
    return change_id;
}

std::vector<StreamItem> version_stream_page(Session &s, int64_t store_id, int64_t after_seq, int64_t limit) {
    // A store's versions take their seq in version order: the primary key
    // gives them in seq order.
    std::vector<StreamItem> out;
    Rows v = s.run("SELECT " VERSION_COLS ", v.payload" VERSION_FROM
                   " WHERE v.store_id OPERATOR(pg_catalog.=) $1 AND v.seq OPERATOR(pg_catalog.>) $2"
                   " ORDER BY v.version LIMIT $3",
                   {param::i64(store_id), param::i64(after_seq), param::i64(limit)});
    for (uint64_t i = 0; i < v.size(); i++) {
        StreamItem it;
        it.is_version = true;
        it.version = version_from(v, i);
        it.payload = v.opt_bytes(i, 16);
        out.push_back(std::move(it));
    }
    v.release();
    return out;
}

std::vector<StreamItem> event_stream_page(Session &s, int64_t store_id, int64_t after_seq, int64_t limit) {
    std::vector<StreamItem> out;
    Rows e = s.run(
        "SELECT e.seq, e.event_type, e.version, e.branch_id, b.name, e.author, e.message, e.metadata, "
        "e.committed_at, e.payload FROM ts_internal.events e LEFT JOIN ts_internal.branches b "
        "ON b.store_id OPERATOR(pg_catalog.=) e.store_id AND b.branch_id OPERATOR(pg_catalog.=) e.branch_id "
        "WHERE e.store_id OPERATOR(pg_catalog.=) $1 AND e.seq OPERATOR(pg_catalog.>) $2 ORDER BY e.seq LIMIT $3",
        {param::i64(store_id), param::i64(after_seq), param::i64(limit)});
    for (uint64_t i = 0; i < e.size(); i++) {
        StreamItem it;
        it.is_version = false;
        it.event.seq = e.i64(i, 0);
        it.event.event_type = e.str(i, 1);
        it.event.version = e.opt_i64(i, 2);
        if (!e.is_null(i, 3)) it.event.branch_id = e.i32(i, 3);
        it.event.branch_name = e.is_null(i, 4) ? std::string() : e.str(i, 4);
        it.event.author = e.str(i, 5);
        it.event.message = e.opt_str(i, 6);
        it.event.metadata = e.json(i, 7);
        it.event.committed_at = e.timestamptz(i, 8);
        it.event.payload = e.is_null(i, 9) ? tscore::Value() : e.json(i, 9);
        out.push_back(std::move(it));
    }
    e.release();
    return out;
}

std::vector<ChangeRow> changes_page(Session &s, int64_t after, int64_t below, int64_t limit) {
    Rows r = s.run(
        "SELECT c.change_id, c.store_id, c.seq, c.version, c.kind, c.event_type, c.committed_at FROM ("
        " SELECT v.change_id, v.store_id, v.seq, v.version, v.event_type::pg_catalog.text AS kind,"
        "        NULL::pg_catalog.text AS event_type, v.committed_at FROM ts_internal.versions v"
        " WHERE v.change_id OPERATOR(pg_catalog.>) $1 AND v.change_id OPERATOR(pg_catalog.<) $2"
        " UNION ALL"
        " SELECT e.change_id, e.store_id, e.seq, e.version, NULL, e.event_type, e.committed_at"
        " FROM ts_internal.events e"
        " WHERE e.change_id OPERATOR(pg_catalog.>) $1 AND e.change_id OPERATOR(pg_catalog.<) $2"
        ") c ORDER BY c.change_id LIMIT $3",
        {param::i64(after), param::i64(below), param::i64(limit)});
    std::vector<ChangeRow> out;
    out.reserve(r.size());
    for (uint64_t i = 0; i < r.size(); i++) {
        ChangeRow c;
        c.change_id = r.i64(i, 0);
        c.store_id = r.i64(i, 1);
        c.seq = r.i64(i, 2);
        c.version = r.opt_i64(i, 3);
        c.event_type = r.is_null(i, 4) ? r.str(i, 5) : version_event_name(r.str(i, 4)[0]);
        c.committed_at = r.timestamptz(i, 6);
        out.push_back(std::move(c));
    }
    r.release();
    return out;
}

std::optional<StoreRecord> store_any_by_id(Session &s, int64_t store_id) {
    Rows r = s.run("SELECT " STORE_COLS " FROM ts_internal.stores WHERE store_id OPERATOR(pg_catalog.=) $1",
                   {param::i64(store_id)});
    if (r.empty()) return std::nullopt;
    return store_from(r, 0);
}

void insert_snapshot(Session &s, int64_t store_id, int64_t version, const std::string &state) {
    s.run("INSERT INTO ts_internal.snapshots (store_id, version, created_at, state) "
          "VALUES ($1, $2, pg_catalog.now(), $3) ON CONFLICT DO NOTHING",
          {param::i64(store_id), param::i64(version), param::bytea(state)});
}

}  // namespace storage
}  // namespace tspg

namespace tspg {
namespace storage {

void set_grant(Session &s, int64_t store_id, Oid role, std::string_view role_name, std::string_view privilege) {
    s.run("DELETE FROM ts_internal.grants g WHERE g.store_id OPERATOR(pg_catalog.=) $1 "
          "AND (g.role_oid OPERATOR(pg_catalog.=) $2 OR g.role_name OPERATOR(pg_catalog.=) $3 OR g.role_oid IS NULL "
          "OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) g.role_oid))",
          {param::i64(store_id), param::oid(role), param::text(role_name)});
    // role_oid is bound from role_name by the table's trigger.
    s.run("INSERT INTO ts_internal.grants (store_id, role_name, privilege) VALUES ($1, $2, $3)",
          {param::i64(store_id), param::text(role_name), param::text(privilege)});
}

std::optional<std::string> get_grant(Session &s, int64_t store_id, Oid role) {
    Rows r = s.run("SELECT privilege FROM ts_internal.grants "
                   "WHERE store_id OPERATOR(pg_catalog.=) $1 AND role_oid OPERATOR(pg_catalog.=) $2",
                   {param::i64(store_id), param::oid(role)});
    if (r.empty()) return std::nullopt;
    return r.str(0, 0);
}

void delete_grant(Session &s, int64_t store_id, Oid role) {
    s.run("DELETE FROM ts_internal.grants WHERE store_id OPERATOR(pg_catalog.=) $1 AND role_oid OPERATOR(pg_catalog.=) $2",
          {param::i64(store_id), param::oid(role)});
}

void set_branch_name(Session &s, int64_t store_id, int32_t branch_id, std::string_view name) {
    s.run("UPDATE ts_internal.branches SET name = $3 WHERE store_id OPERATOR(pg_catalog.=) $1 AND branch_id OPERATOR(pg_catalog.=) $2",
          {param::i64(store_id), param::i32(branch_id), param::text(name)});
}

void mark_branch_dropped(Session &s, int64_t store_id, int32_t branch_id, TimestampTz at) {
    s.run("UPDATE ts_internal.branches SET dropped_at = $3 WHERE store_id OPERATOR(pg_catalog.=) $1 AND branch_id OPERATOR(pg_catalog.=) $2",
          {param::i64(store_id), param::i32(branch_id), param::timestamptz(at)});
}

std::vector<BranchRecord> list_branches(Session &s, int64_t store_id) {
    Rows r = s.run("SELECT " BRANCH_COLS " FROM ts_internal.branches b "
                   "WHERE b.store_id OPERATOR(pg_catalog.=) $1 AND b.dropped_at IS NULL ORDER BY b.name COLLATE pg_catalog.\"C\"",
                   {param::i64(store_id)});
    std::vector<BranchRecord> out;
    for (uint64_t i = 0; i < r.size(); i++) out.push_back(branch_from(r, i));
    return out;
}

void insert_tag(Session &s, int64_t store_id, const TagRecord &t) {
    s.run("INSERT INTO ts_internal.tags (store_id, name, version, created_at, author, message) "
          "VALUES ($1, $2, $3, $4, $5, $6)",
          {param::i64(store_id), param::text(t.name), param::i64(t.version), param::timestamptz(t.created_at),
           param::text(t.author), param::opt_text(t.message)});
}

void delete_tag(Session &s, int64_t store_id, std::string_view name) {
    s.run("DELETE FROM ts_internal.tags WHERE store_id OPERATOR(pg_catalog.=) $1 AND name OPERATOR(pg_catalog.=) $2", {param::i64(store_id), param::text(name)});
}

std::vector<TagRecord> list_tags(Session &s, int64_t store_id) {
    Rows r = s.run("SELECT name, version, created_at, author, message FROM ts_internal.tags "
                   "WHERE store_id OPERATOR(pg_catalog.=) $1 ORDER BY name COLLATE pg_catalog.\"C\"",
                   {param::i64(store_id)});
    std::vector<TagRecord> out;
    for (uint64_t i = 0; i < r.size(); i++)
        out.push_back(TagRecord{r.str(i, 0), r.i64(i, 1), r.timestamptz(i, 2), r.str(i, 3), r.opt_str(i, 4)});
    return out;
}

}  // namespace storage
}  // namespace tspg

namespace tspg {
namespace storage {

void rewrite_payload_full(Session &s, int64_t store_id, int64_t version, const std::string &payload) {
    s.run("UPDATE ts_internal.versions SET payload = $3, chain_len = 0, chain_bytes = 0 "
          "WHERE store_id OPERATOR(pg_catalog.=) $1 AND version OPERATOR(pg_catalog.=) $2",
          {param::i64(store_id), param::i64(version), param::bytea(payload)});
}

namespace {
Param int8_array_param(const std::vector<int64_t> &v) {
    std::vector<Datum> d;
    for (int64_t x : v) d.push_back(Int64GetDatum(x));
    Datum arr = pg_guard([&] {
        return PointerGetDatum(construct_array(d.data(), (int)d.size(), INT8OID, 8, true, TYPALIGN_DOUBLE));
    });
    return {INT8ARRAYOID, arr, false};
}
}  // namespace

void delete_snapshots_before(Session &s, int64_t store_id, TimestampTz before, const std::vector<int64_t> &keep) {
    s.run("DELETE FROM ts_internal.snapshots n USING ts_internal.versions v "
          "WHERE n.store_id OPERATOR(pg_catalog.=) $1 AND v.store_id OPERATOR(pg_catalog.=) n.store_id AND v.version OPERATOR(pg_catalog.=) n.version "
          "AND v.committed_at OPERATOR(pg_catalog.<) $2 AND NOT (n.version OPERATOR(pg_catalog.=) ANY ($3))",
          {param::i64(store_id), param::timestamptz(before), int8_array_param(keep)});
}

int64_t clear_payloads_before(Session &s, int64_t store_id, TimestampTz before, const std::vector<int64_t> &keep) {
    Rows r = s.run("WITH c AS (UPDATE ts_internal.versions SET payload = NULL "
                   "WHERE store_id OPERATOR(pg_catalog.=) $1 AND committed_at OPERATOR(pg_catalog.<) $2 AND payload IS NOT NULL "
                   "AND NOT (version OPERATOR(pg_catalog.=) ANY ($3)) RETURNING 1) SELECT pg_catalog.count(*) FROM c",
                   {param::i64(store_id), param::timestamptz(before), int8_array_param(keep)});
    return r.i64(0, 0);
}

std::vector<int64_t> tag_versions(Session &s, int64_t store_id) {
    Rows r = s.run("SELECT DISTINCT version FROM ts_internal.tags WHERE store_id OPERATOR(pg_catalog.=) $1", {param::i64(store_id)});
    std::vector<int64_t> out;
    for (uint64_t i = 0; i < r.size(); i++) out.push_back(r.i64(i, 0));
    return out;
}

std::vector<int64_t> versions_from(Session &s, int64_t store_id, TimestampTz at) {
    Rows r = s.run("SELECT version FROM ts_internal.versions WHERE store_id OPERATOR(pg_catalog.=) $1 AND committed_at OPERATOR(pg_catalog.>=) $2 ORDER BY version",
                   {param::i64(store_id), param::timestamptz(at)});
    std::vector<int64_t> out;
    for (uint64_t i = 0; i < r.size(); i++) out.push_back(r.i64(i, 0));
    return out;
}

std::vector<RawVersion> raw_versions(Session &s, int64_t store_id, int64_t after, int64_t limit) {
    Rows r = s.run("SELECT " VERSION_COLS ", v.payload, (SELECT state FROM ts_internal.snapshots n "
                   "WHERE n.store_id OPERATOR(pg_catalog.=) v.store_id AND n.version OPERATOR(pg_catalog.=) v.version)" VERSION_FROM
                   " WHERE v.store_id OPERATOR(pg_catalog.=) $1 AND v.version OPERATOR(pg_catalog.>) $2 ORDER BY v.version LIMIT $3",
                   {param::i64(store_id), param::i64(after), param::i64(limit)});
    std::vector<RawVersion> out;
    for (uint64_t i = 0; i < r.size(); i++) out.push_back(RawVersion{version_from(r, i), r.opt_bytes(i, 16), r.opt_bytes(i, 17)});
    r.release();
    return out;
}

std::vector<PendingHead> pending_heads(Session &s, int interval, int64_t max_bytes, int max_age_s) {
    Rows r = s.run(
        "SELECT v.store_id, v.version, st.name FROM ts_internal.branches b "
        "JOIN ts_internal.stores st ON st.store_id OPERATOR(pg_catalog.=) b.store_id AND st.dropped_at IS NULL "
        "JOIN ts_internal.versions v ON v.store_id OPERATOR(pg_catalog.=) b.store_id AND v.version OPERATOR(pg_catalog.=) " BRANCH_HEAD("b") " "
        "WHERE b.dropped_at IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM ts_internal.snapshots n WHERE n.store_id OPERATOR(pg_catalog.=) v.store_id AND n.version OPERATOR(pg_catalog.=) v.version) "
        "AND (v.chain_len OPERATOR(pg_catalog.>=) $1 OR v.chain_bytes OPERATOR(pg_catalog.>=) $2 "
        "     OR (v.chain_len OPERATOR(pg_catalog.>) 0 AND v.committed_at OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) pg_catalog.make_interval(secs => $3))) "
        // A keyframe may have reset chain_len with a long unsnapshotted
        // stretch behind it (the head itself may be that keyframe): also
        // pending when no snapshot lies within the last `interval` versions.
        "     OR (v.version OPERATOR(pg_catalog.>) $1 AND NOT EXISTS (SELECT 1 FROM ts_internal.snapshots n "
        "         WHERE n.store_id OPERATOR(pg_catalog.=) v.store_id AND n.version OPERATOR(pg_catalog.>) (v.version OPERATOR(pg_catalog.-) $1) AND n.version OPERATOR(pg_catalog.<=) v.version))) "
        "ORDER BY 1, 2",
        {param::i32(interval), param::i64(max_bytes), param::i32(max_age_s)});
    std::vector<PendingHead> out;
    for (uint64_t i = 0; i < r.size(); i++) out.push_back(PendingHead{r.i64(i, 0), r.i64(i, 1), r.str(i, 2)});
    return out;
}

void worker_status_started(Session &s, int pid) {
    s.run("DELETE FROM ts_internal.worker_status WHERE database OPERATOR(pg_catalog.<>) pg_catalog.current_database()", {});
    s.run("INSERT INTO ts_internal.worker_status (database, pid, started_at, last_run, snapshots_built, pending) "
          "VALUES (pg_catalog.current_database(), $1, pg_catalog.now(), NULL, 0, 0) ON CONFLICT (database) DO UPDATE "
          "SET pid = EXCLUDED.pid, started_at = EXCLUDED.started_at, last_run = NULL",
          {param::i32(pid)});
}

void worker_status_pass(Session &s, int64_t built, int64_t pending) {
    s.run("UPDATE ts_internal.worker_status SET last_run = pg_catalog.clock_timestamp(), "
          "snapshots_built = snapshots_built OPERATOR(pg_catalog.+) $1, pending = $2 WHERE database OPERATOR(pg_catalog.=) pg_catalog.current_database()",
          {param::i64(built), param::i64(pending)});
}

}  // namespace storage
}  // namespace tspg
