// refs.cpp — see refs.hpp.
#include "pg/refs.hpp"

#include "core/errors.hpp"
#include "core/revision.hpp"
#include "pg/error_bridge.hpp"
#include "pg/settings.hpp"

namespace tspg {

namespace {

[[noreturn]] void no_branch(const std::string &name) {
    ts_error(ERRCODE_UNDEFINED_OBJECT, "branch \"" + name + "\" does not exist");
}

TimestampTz parse_at(std::string_view rev, const std::string &text) {
    const char *s = text.c_str();
    try {
        return pg_guard([&] {
            return DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in, CStringGetDatum(s),
                                                           ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
        });
    } catch (const PgError &e) {
        std::string why = e.data && e.data->message ? e.data->message : "bad timestamp";
        ts_error(ERRCODE_INVALID_TEXT_REPRESENTATION, "invalid revision \"" + std::string(rev) + "\"",
                 "The time in @{...} could not be read: " + why + ".");
    }
}

}  // namespace

void unknown_version(int64_t v) {
    ts_error(ERRCODE_UNDEFINED_OBJECT, "version " + std::to_string(v) + " does not exist");
}

std::optional<std::string> checked_out_branch(const std::string &store_name) {
    const char *cfg = settings.checkout;
    if (cfg == nullptr || cfg[0] == '\0') return std::nullopt;
    tscore::Value map;
    try {
        map = tscore::parse_json(cfg);
    } catch (const tscore::Error &) {
        return std::nullopt;  // hand-set garbage: ignore, as if nothing were checked out
    }
    if (!map.is_object()) return std::nullopt;
    const tscore::Value *b = map.find(store_name);
    if (b == nullptr || !b->is_string()) return std::nullopt;
    return b->text();
}

std::string branch_name_for(const StoreRecord &st, const std::optional<std::string> &arg) {
    if (arg) return *arg;
    if (auto co = checked_out_branch(st.name)) return *co;
    return "main";
}

void missing_branch(const StoreRecord &st, const std::string &name, bool from_arg) {
    if (!from_arg && name != "main")
        ts_error(ERRCODE_UNDEFINED_OBJECT, "checked-out branch \"" + name + "\" does not exist",
                 "Store \"" + st.name + "\" has no branch of that name any more.",
                 "Check out another branch with ts_checkout, or RESET temporal_store.checkout.");
    no_branch(name);
}

BranchRecord resolve_branch(Session &s, const StoreRecord &st, const std::optional<std::string> &arg) {
    std::string name = branch_name_for(st, arg);
    std::optional<BranchRecord> b = storage::find_branch(s, st.id, name);
    if (!b) missing_branch(st, name, arg.has_value());
    return *b;
}

int64_t first_parent_steps(Session &s, const StoreRecord &st, int64_t v, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        check_interrupts();
        ReadLink l = storage::read_link(s, st.id, v);
        if (!l.first_parent)
            ts_error(ERRCODE_UNDEFINED_OBJECT, "version " + std::to_string(v) + " has no parent",
                     "The revision steps past the root of the history.");
        v = *l.first_parent;
    }
    return v;
}

int64_t resolve_revision(Session &s, const StoreRecord &st, std::string_view rev) {
    tscore::Revision r = tscore::parse_revision(rev);
    int64_t v = 0;
    std::optional<BranchRecord> branch;  // for @{time}
    switch (r.base) {
        case tscore::Revision::Base::Version:
            if (!storage::version_hash(s, st.id, r.version)) unknown_version(r.version);
            v = r.version;
            break;
        case tscore::Revision::Base::HashPrefix: {
            std::vector<int64_t> found = storage::versions_by_hash_prefix(s, st.id, r.text);
            if (found.empty())
                ts_error(ERRCODE_UNDEFINED_OBJECT, "no version has a hash starting with \"" + r.text + "\"");
            if (found.size() > 1)
                ts_error(ERRCODE_UNDEFINED_OBJECT, "hash prefix \"" + r.text + "\" is ambiguous",
                         "More than one version matches.", "Give more hex digits.");
            v = found[0];
            break;
        }
        case tscore::Revision::Base::Head:
            branch = resolve_branch(s, st, std::nullopt);
            v = branch->head;
            break;
        case tscore::Revision::Base::Name:
            if ((branch = storage::find_branch(s, st.id, r.text))) {
                v = branch->head;
            } else if (!r.has_at) {
                if (auto t = storage::find_tag(s, st.id, r.text)) v = *t;
                else
                    ts_error(ERRCODE_UNDEFINED_OBJECT,
                             "revision \"" + std::string(rev) + "\" names no branch, tag or version",
                             "Store \"" + st.name + "\" has no branch or tag \"" + r.text + "\".");
            } else {
                no_branch(r.text);
            }
            break;
    }
    if (r.has_at) {
        TimestampTz t = parse_at(rev, r.at);
        std::optional<int64_t> at = storage::branch_head_at(s, st.id, branch->id, t);
        if (!at)
            ts_error(ERRCODE_UNDEFINED_OBJECT, "branch \"" + branch->name + "\" did not exist at that time",
                     "Revision \"" + std::string(rev) + "\".");
        v = *at;
    }
    for (const tscore::RevisionStep &step : r.steps) {
        if (step.kind == tscore::RevisionStep::Kind::Ancestor) {
            v = first_parent_steps(s, st, v, step.n);
        } else if (step.n == 1) {
            v = first_parent_steps(s, st, v, 1);
        } else if (step.n >= 2) {
            std::optional<VersionRecord> rec = storage::find_version(s, st.id, v);
            if (step.n > 2 || !rec->merge_parent)
                ts_error(ERRCODE_UNDEFINED_OBJECT,
                         "version " + std::to_string(v) + " has no parent number " + std::to_string(step.n));
            v = *rec->merge_parent;
        }
    }
    return v;
}

}  // namespace tspg
