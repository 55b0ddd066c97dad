// fn_export.cpp — ts_export and ts_import: a store's whole event stream as
// JSON lines, and a new store rebuilt from such lines with the same
// versions, branches, tags and hashes (docs/export.md; the line format is
// core/export_format.hpp).
#include <algorithm>
#include <deque>
#include <map>

#include "core/errors.hpp"
#include "core/export_format.hpp"
#include "core/json_patch.hpp"
#include "core/payload_codec.hpp"
#include "core/revision.hpp"
#include "pg/args.hpp"
#include "pg/change_notify.hpp"
#include "pg/error_bridge.hpp"
#include "pg/history_index.hpp"
#include "pg/event_stream.hpp"
#include "pg/import_source.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/read_path.hpp"
#include "pg/settings.hpp"
#include "pg/srf.hpp"
#include "pg/state_payload.hpp"
#include "pg/storage_export.hpp"
#include "pg/store_type.hpp"
#include "pg/write_path.hpp"

using namespace tspg;
namespace ef = tscore::export_format;

namespace {

constexpr int64_t kUnixEpochUs = (int64_t)(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;
int64_t unix_us(TimestampTz t) { return t + kUnixEpochUs; }
TimestampTz from_unix_us(int64_t us) { return us - kUnixEpochUs; }

// A stored version payload in the export's portable form.
ef::PortablePayload portable(const std::string &bytes) {
    tscore::DecodedPayload p = decode_for_state(bytes);
    if (is_full_state(p)) return {ef::Encoding::Full, state_value(std::move(p))};
    if (p.kind == tscore::PayloadKind::JsonPatch) return {ef::Encoding::JsonPatch, std::move(p.body)};
    if (p.kind == tscore::PayloadKind::MergePatch) return {ef::Encoding::MergePatch, std::move(p.body)};
    ts_error(ERRCODE_DATA_CORRUPTED, "a version payload holds no state change");
}

ef::Line line_of(const storage::StreamItem &it) {
    ef::Line l;
    if (it.is_version) {
        const VersionRecord &v = it.version;
        l.is_version = true;
        l.seq = v.seq;
        l.event_type = version_event_name(v.event_type);
        l.version = v.version;
        l.parents = v.parents();
        l.branch_id = v.branch_id;
        l.branch = v.branch_name;
        l.author = v.author;
        l.message = v.message;
        l.metadata = v.metadata;
        l.committed_at_us = unix_us(v.committed_at);
        l.hash = v.hash;
        if (it.payload) l.payload = portable(*it.payload);
    } else {
        const EventRecord &e = it.event;
        l.seq = e.seq;
        l.event_type = e.event_type;
        l.version = e.version;
        l.branch_id = e.branch_id;
        if (e.branch_id) l.branch = e.branch_name;
        l.author = e.author;
        l.message = e.message;
        l.metadata = e.metadata;
        l.committed_at_us = unix_us(e.committed_at);
        l.event_payload = e.payload;
    }
    return l;
}

// Rebuilds a store from the lines of an export, in seq order, refusing
// (22023, naming the line) anything that is not a well-formed stream whose
// hash chain verifies. Versions and events are written through
// storage::insert_version and storage::insert_event with their recorded
// numbers, seqs, times, authors and messages; branch rows and marks are
// replayed as the commits and events that made them did, so every read,
// BRANCH@{time} included, answers as in the exported store. Nothing is
// committed unless the whole stream is taken: every error rolls the
// transaction (or its subtransaction) back.
class Importer {
public:
    Importer(Session &s, std::string name) : s_(s), name_(std::move(name)) {}

    void take(const tscore::Value &json) {
        position_++;
        seq_.reset();
        version_.reset();
        const tscore::Value *seq = json.is_object() ? json.find("seq") : nullptr;
        if (!seq || !seq->is_number()) refuse("\"seq\" must be an integer");
        const std::string &t = seq->text();
        if (t.size() <= 18 && t.find_first_not_of("0123456789") == std::string::npos && have_header_)
            seq_ = std::strtoll(t.c_str(), nullptr, 10);
        try {
            if (!have_header_) {
                in_header_ = true;
                header_ = ef::decode_header(json);
                in_header_ = false;
                have_header_ = true;
                return;
            }
            ef::Line l = ef::decode_line(json);
            if (l.seq != next_seq_)
                refuse("expected seq " + std::to_string(next_seq_) + ": the stream misses or repeats an event");
            next_seq_++;
            if (l.committed_at_us < last_at_us_) refuse("committed_at is earlier than the event before");
            if (l.is_version)
                take_version(l);
            else
                take_event(l);
            last_at_us_ = l.committed_at_us;
        } catch (const tscore::Error &e) {
            if (e.kind() == tscore::ErrorKind::TooDeep) throw;
            refuse(e.what(), e.detail());
        }
    }

    void finish() {
        if (!have_header_) {
            seq_.reset();
            refuse("the source holds no lines");
        }
        if (versions_ != header_.versions || events_ != header_.events) {
            seq_.reset();
            position_ = 0;
            refuse("the stream is incomplete",
                   "Its header announces " + std::to_string(header_.versions) + " versions and " +
                       std::to_string(header_.events) + " other events; the source holds " +
                       std::to_string(versions_) + " and " + std::to_string(events_) + ".");
        }
        st_.next_branch = max_branch_ + 1;
        storage::save_next_branch(s_, st_);
        // The history index, from the versions as imported (commits write
        // it as they go; an import writes versions below that path).
        rebuild_history_index(s_, st_.id);
        change_notify::note(last_change_);
    }

private:
    // What a version's children need of it.
    struct Known {
        std::string hash;
        int64_t generation = 1;
        int32_t chain_len = 0, chain_bytes = 0;
        bool has_snapshot = false;
        bool readable = false;
        StatePtr state;  // recent versions only
    };
    struct Branch {
        std::string name;
        bool live = true;
    };

    [[noreturn]] void refuse(const std::string &what, const std::string &detail = {}) {
        std::string where = seq_ ? "at seq " + std::to_string(*seq_)
                                 : position_ == 0 ? std::string("at its end")
                                 : in_header_     ? std::string("at its header")
                                                  : "at line " + std::to_string(position_) + " in seq order";
        if (version_) where += " (version " + std::to_string(*version_) + ")";
        ts_error(ERRCODE_INVALID_PARAMETER_VALUE, "invalid export stream " + where + ": " + what, detail,
                 "Nothing was imported.");
    }

    Known known(int64_t version) {
        for (const auto &r : recent_)
            if (r.first == version) return r.second;
        std::optional<VersionRecord> v = storage::find_version(s_, st_.id, version);
        std::optional<storage::VersionBrief> b = storage::version_brief(s_, st_.id, version);
        Known k;
        k.hash = v->hash;
        k.generation = v->generation;
        k.chain_len = v->chain_len;
        k.chain_bytes = v->chain_bytes;
        k.has_snapshot = v->has_snapshot;
        k.readable = b && b->readable;
        return k;
    }

    Branch &live_branch(const std::optional<int32_t> &id) {
        if (!id) refuse("the event names no branch (\"branch_id\")");
        auto b = branches_.find(*id);
        if (b == branches_.end() || !b->second.live)
            refuse("branch " + std::to_string(*id) + " does not exist at this point");
        return b->second;
    }

    void require_free_name(const std::string &name, const char *what) {
        try {
            tscore::validate_ref_name(name, what);
        } catch (const tscore::Error &e) {
            refuse(e.what(), e.detail());
        }
        for (const auto &b : branches_)
            if (b.second.live && b.second.name == name) refuse("the name \"" + name + "\" is already a branch");
        if (storage::find_tag(s_, st_.id, name)) refuse("the name \"" + name + "\" is already a tag");
    }

    int64_t version_ref(const ef::Line &l) {
        if (!l.version || *l.version < 1 || *l.version > last_version_)
            refuse("the event must point at an earlier version (\"version\")");
        return *l.version;
    }

    std::string payload_text(const ef::Line &l, const char *key) {
        const tscore::Value *v = l.event_payload.is_object() ? l.event_payload.find(key) : nullptr;
        if (!v || !v->is_string()) refuse(std::string("the payload's \"") + key + "\" must be a string");
        return v->text();
    }

    void take_version(const ef::Line &l) {
        int64_t number = *l.version;
        version_ = number;
        if (number != last_version_ + 1)
            refuse("expected version " + std::to_string(last_version_ + 1) + ": versions must follow each other");
        VersionRecord v;
        v.version = number;
        v.seq = l.seq;
        v.committed_at = from_unix_us(l.committed_at_us);
        v.branch_id = *l.branch_id;
        v.author = l.author;
        v.message = l.message;
        v.metadata = l.metadata;
        v.hash = l.hash;
        if (number == 1) {
            if (l.event_type != "StateCreated" || !l.parents.empty() || v.branch_id != 1 || l.seq != 1)
                refuse("version 1 must be the first event: a StateCreated on branch 1 (main) without parents");
            v.event_type = kStateCreated;
            create_store(v.committed_at);
        } else {
            if (v.committed_at <= last_version_at_) refuse("committed_at must grow from version to version");
            if (l.event_type == "StateUpdated" && l.parents.size() == 1)
                v.event_type = kStateUpdated;
            else if (l.event_type == "BranchMerged" && l.parents.size() == 2)
                v.event_type = kBranchMerged;
            else
                refuse("a version after the first is a StateUpdated with one parent or a BranchMerged with two");
            for (int64_t p : l.parents)
                if (p < 1 || p >= number) refuse("a parent must be an earlier version");
            if (l.parents.size() == 2 && l.parents[0] == l.parents[1]) refuse("a merge's parents must differ");
            v.first_parent = l.parents[0];
            if (l.parents.size() == 2) v.merge_parent = l.parents[1];
            live_branch(l.branch_id);
        }

        std::vector<std::string> parent_hashes;
        std::optional<Known> first;
        v.generation = 1;
        for (size_t i = 0; i < l.parents.size(); i++) {
            Known k = known(l.parents[i]);
            parent_hashes.push_back(k.hash);
            v.generation = std::max(v.generation, k.generation + 1);
            if (i == 0) first = std::move(k);
        }

        Known me;
        std::optional<std::string> payload;  // nullopt: compacted
        std::optional<std::string> snapshot;
        if (l.payload) {
            tscore::EncodeOptions eo = payload_encoding();
            const ef::PortablePayload &pp = *l.payload;
            tscore::Value state;
            if (pp.encoding == ef::Encoding::Full) {
                payload = tscore::encode_payload(tscore::PayloadKind::FullState, pp.body, eo);
                state = pp.body;
                snapshot = large_state_snapshot(state);
            } else {
                if (!first) refuse("version 1 must hold a full state");
                if (!first->readable)
                    refuse("the payload is a patch against version " + std::to_string(*v.first_parent) +
                               ", whose state the stream does not carry (compacted)",
                           "The first readable version of each line of history must hold a full state.");
                StatePtr parent = first->state ? first->state : materialize(s_, st_.id, *v.first_parent);
                tscore::PayloadKind kind = pp.encoding == ef::Encoding::JsonPatch ? tscore::PayloadKind::JsonPatch
                                                                                  : tscore::PayloadKind::MergePatch;
                payload = tscore::encode_payload(kind, pp.body, eo);
                try {
                    state = pp.encoding == ef::Encoding::JsonPatch ? tscore::apply_json_patch(*parent, pp.body)
                                                                   : tscore::apply_merge_patch(*parent, pp.body);
                } catch (const tscore::Error &e) {
                    if (e.kind() == tscore::ErrorKind::TooDeep) throw;
                    refuse("the patch does not apply to version " + std::to_string(*v.first_parent) + ": " +
                           e.what());
                }
                int32_t len = first->has_snapshot ? 0 : first->chain_len;
                int32_t bytes = first->has_snapshot ? 0 : first->chain_bytes;
                v.chain_len = len + 1;
                v.chain_bytes = (int32_t)std::min<int64_t>(INT32_MAX, (int64_t)bytes + (int64_t)payload->size());
                // Snapshots as the worker would build them, so that reads
                // of the new store replay short chains at once.
                if (v.chain_len >= std::max(1, settings.snapshot_interval)) snapshot = encode_snapshot(state);
            }
            std::string recomputed = compute_version_hash(v, state, parent_hashes);
            if (recomputed != v.hash)
                refuse("the hash does not match the version's recomputed hash",
                       "The stream says " + ef::to_hex(v.hash) + "; its state, parents and record give " +
                           ef::to_hex(recomputed) + ".");
            me.readable = true;
            me.state = std::make_shared<const tscore::Value>(std::move(state));
        }
        // A compacted version's hash cannot be recomputed here; its
        // children's hashes cover it.

        // The store's newest version named its own branch's head; when the
        // new one is on another branch, that branch's row takes over, as a
        // commit does (write_path.cpp): BRANCH@{time} reads these marks.
        if (last_version_ > 0 && last_version_branch_ != v.branch_id)
            storage::pass_branch(s_, st_.id, last_version_branch_, last_version_, last_version_seq_, v.seq);
        last_change_ = storage::insert_version(
            s_, st_.id, v, payload ? std::optional<std::string_view>(*payload) : std::nullopt);
        if (snapshot) storage::insert_snapshot(s_, st_.id, v.version, *snapshot);

        me.hash = v.hash;
        me.generation = v.generation;
        me.chain_len = v.chain_len;
        me.chain_bytes = v.chain_bytes;
        me.has_snapshot = snapshot.has_value();
        recent_.emplace_back(number, std::move(me));
        if (recent_.size() > kRecent) recent_.pop_front();
        last_version_ = number;
        last_version_at_ = v.committed_at;
        last_version_branch_ = v.branch_id;
        last_version_seq_ = v.seq;
        versions_++;
        version_.reset();
    }

    void take_event(const ef::Line &l) {
        if (versions_ == 0) refuse("version 1 must be the first event");
        EventRecord e;
        e.seq = l.seq;
        e.event_type = l.event_type;
        e.version = l.version;
        e.branch_id = l.branch_id;
        e.author = l.author;
        e.message = l.message;
        e.metadata = l.metadata;
        e.committed_at = from_unix_us(l.committed_at_us);
        e.payload = l.event_payload;
        const std::string &type = l.event_type;
        if (type == "BranchCreated") {
            int64_t from = version_ref(l);
            if (!l.branch_id || *l.branch_id <= max_branch_)
                refuse("a new branch needs a \"branch_id\" above every earlier branch's");
            std::string name = payload_text(l, "branch");
            require_free_name(name, "branch");
            BranchRecord b;
            b.id = *l.branch_id;
            b.name = name;
            b.head = from;
            b.created_from = from;
            b.created_at = e.committed_at;
            storage::insert_branch(s_, st_.id, b, e.seq);
            branches_[b.id] = Branch{name, true};
            max_branch_ = b.id;
        } else if (type == "BranchMerged" || type == "BranchReset") {
            // A fast-forward (a merge version is a version event) or a reset.
            int64_t to = version_ref(l);
            live_branch(l.branch_id);
            storage::move_branch_head(s_, st_.id, *l.branch_id, to, e.seq);
        } else if (type == "BranchRenamed") {
            Branch &b = live_branch(l.branch_id);
            if (*l.branch_id == 1) refuse("branch main cannot be renamed");
            std::string to = payload_text(l, "to");
            require_free_name(to, "branch");
            storage::set_branch_name(s_, st_.id, *l.branch_id, to);
            b.name = to;
        } else if (type == "BranchDropped") {
            Branch &b = live_branch(l.branch_id);
            if (*l.branch_id == 1) refuse("branch main cannot be dropped");
            storage::mark_branch_dropped(s_, st_.id, *l.branch_id, e.committed_at);
            b.live = false;
        } else if (type == "TagCreated") {
            int64_t v = version_ref(l);
            std::string name = payload_text(l, "tag");
            require_free_name(name, "tag");
            storage::insert_tag(s_, st_.id, storage::TagRecord{name, v, e.committed_at, l.author, l.message});
        } else if (type == "TagDropped") {
            std::string name = payload_text(l, "tag");
            if (!storage::find_tag(s_, st_.id, name)) refuse("tag \"" + name + "\" does not exist at this point");
            storage::delete_tag(s_, st_.id, name);
        } else if (type == "HistoryCompacted") {
            // The compacted versions came without payloads.
        } else {
            refuse("events of type \"" + type + "\" cannot be imported");
        }
        last_change_ = storage::insert_event(s_, st_.id, e);
        events_++;
    }

    void create_store(TimestampTz at) {
        StoreRecord st;
        st.id = storage::insert_store(s_, name_, s_.caller_name(), at);
        st_ = storage::lock_store(s_, st.id);
        BranchRecord main;
        main.id = 1;
        main.name = "main";
        main.head = 1;
        main.created_from = 1;
        main.created_at = at;
        storage::insert_branch(s_, st_.id, main, 0);
        branches_[1] = Branch{"main", true};
    }

    static constexpr size_t kRecent = 4;  // states kept in memory; older ones are read back
    Session &s_;
    std::string name_;
    StoreRecord st_;
    bool have_header_ = false;
    bool in_header_ = false;  // taking the header line
    ef::Header header_;
    int64_t position_ = 0;  // lines read so far (in seq order)
    std::optional<int64_t> seq_, version_;  // of the line being taken, once known
    int64_t next_seq_ = 1;
    int64_t last_at_us_ = INT64_MIN;
    int64_t versions_ = 0, events_ = 0;
    int64_t last_version_ = 0;
    TimestampTz last_version_at_ = 0;
    int32_t last_version_branch_ = 0;
    int64_t last_version_seq_ = 0;
    int32_t max_branch_ = 1;
    int64_t last_change_ = 0;
    std::map<int32_t, Branch> branches_;
    std::deque<std::pair<int64_t, Known>> recent_;
};

}  // namespace

// A header line, then one line per event in seq order: pages of versions
// and of events merged, each line built in a per-row memory context, so
// memory stays flat however long the history.
TS_FUNCTION(ts_export) {
    std::string name = arg_store(fcinfo, 0);
    SetResult result(fcinfo, JSONBOID);
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    storage::StreamCounts counts = storage::stream_counts(s, st.id);
    bool null = false;
    result.begin_row();
    Datum header = value_to_datum(ef::encode_header(ef::Header{st.name, counts.versions, counts.events}));
    result.add(&header, &null);
    for_each_stream_item(s, st.id, 0, [&](const storage::StreamItem &it) {
        result.begin_row();
        Datum d = value_to_datum(ef::encode_line(line_of(it)));
        result.add(&d, &null);
    });
    s.finish();
    return (Datum)0;
}

// Reads the source as the caller first (import_source.hpp), then writes
// the store as the extension's owner; the caller becomes its owner.
TS_FUNCTION(ts_import) {
    std::string name = arg_text(fcinfo, 0, "name");
    if (PG_ARGISNULL(1)) ts_error(ERRCODE_NULL_VALUE_NOT_ALLOWED, "source must not be NULL");
    tscore::validate_store_name(name);
    Oid relid = PG_GETARG_OID(1);
    {
        // Before reading a large source for nothing (checked again under
        // the name's lock below).
        Session s(true);
        bool taken = storage::find_store(s, name).has_value();
        s.finish();
        if (taken) ts_error(ERRCODE_DUPLICATE_OBJECT, "store \"" + name + "\" already exists");
    }
    ImportSource source(relid);

    Session s(false);
    storage::lock_store_name(s, name);
    if (storage::find_store(s, name)) ts_error(ERRCODE_DUPLICATE_OBJECT, "store \"" + name + "\" already exists");
    Importer importer(s, name);
    MemoryContext row = pg_guard([] {
        return AllocSetContextCreate(CurrentMemoryContext, "temporal_store import line", ALLOCSET_DEFAULT_SIZES);
    });
    Datum line;
    bool is_null;
    while (source.next(line, is_null)) {
        check_interrupts();
        if (is_null)
            ts_error(ERRCODE_NULL_VALUE_NOT_ALLOWED, "invalid export stream: the source holds a NULL line", {},
                     "Nothing was imported.");
        MemoryContext saved = MemoryContextSwitchTo(row);
        tscore::Value json = datum_to_value(line);
        MemoryContextSwitchTo(saved);
        pg_guard([&] { MemoryContextReset(row); });
        importer.take(json);
    }
    importer.finish();
    source.close();
    s.finish();
    return make_store_datum(name);
}
