// fn_access.cpp — ts_grant, ts_revoke, ts_checkout.
#include "core/errors.hpp"
#include "core/json_value.hpp"
#include "pg/args.hpp"
#include "pg/error_bridge.hpp"
#include "pg/refs.hpp"
#include "pg/settings.hpp"

using namespace tspg;

namespace {

int rank_of(const std::string &privilege) {
    std::optional<Privilege> p = privilege_from_name(privilege);
    if (!p)
        ts_error(ERRCODE_INVALID_PARAMETER_VALUE, "unknown privilege \"" + privilege + "\"", {},
                 "Use read, write or admin.");
    return (int)*p;
}

const char *name_of(int rank) { return privilege_name((Privilege)rank); }

Oid require_role(const std::string &role) {
    Oid oid = pg_guard([&] { return get_role_oid(role.c_str(), true); });
    if (!OidIsValid(oid)) ts_error(ERRCODE_UNDEFINED_OBJECT, "role \"" + role + "\" does not exist");
    return oid;
}

}  // namespace

TS_FUNCTION(ts_grant) {
    std::string name = arg_store(fcinfo, 0);
    std::string role = arg_text(fcinfo, 1, "role");
    std::string privilege = arg_text(fcinfo, 2, "privilege");
    int rank = rank_of(privilege);
    Oid role_oid = require_role(role);
    Session s(false);
    StoreRecord st = storage::get_store(s, name, Privilege::Admin);
    st = storage::lock_store(s, st.id);
    // A grant never lowers what the role already holds.
    std::optional<std::string> cur = storage::get_grant(s, st.id, role_oid);
    if (!cur || rank_of(*cur) < rank) storage::set_grant(s, st.id, role_oid, role, name_of(rank));
    s.finish();
    PG_RETURN_VOID();
}

TS_FUNCTION(ts_revoke) {
    std::string name = arg_store(fcinfo, 0);
    std::string role = arg_text(fcinfo, 1, "role");
    std::string privilege = arg_text(fcinfo, 2, "privilege");
    int rank = rank_of(privilege);
    Oid role_oid = require_role(role);
    Session s(false);
    StoreRecord st = storage::get_store(s, name, Privilege::Admin);
    st = storage::lock_store(s, st.id);
    // Revoking a level takes away that level and those that imply it:
    // revoking write from an admin leaves read.
    std::optional<std::string> cur = storage::get_grant(s, st.id, role_oid);
    if (cur && rank_of(*cur) >= rank) {
        if (rank == 1) storage::delete_grant(s, st.id, role_oid);
        else storage::set_grant(s, st.id, role_oid, role, name_of(rank - 1));
    }
    s.finish();
    PG_RETURN_VOID();
}

TS_FUNCTION(ts_checkout) {
    std::string name = arg_store(fcinfo, 0);
    std::string branch = arg_text(fcinfo, 1, "branch");
    Session s(true);
    StoreRecord st = storage::get_store(s, name, Privilege::Read);
    if (!storage::find_branch(s, st.id, branch))
        ts_error(ERRCODE_UNDEFINED_OBJECT, "branch \"" + branch + "\" does not exist");
    s.finish();
    // Kept in a GUC, so it is rolled back with the transaction like SET,
    // cleared by RESET and DISCARD ALL, and copied to parallel workers.
    tscore::Value map = tscore::Value::object();
    if (settings.checkout && settings.checkout[0]) {
        try {
            map = tscore::parse_json(settings.checkout);
        } catch (const tscore::Error &) {
        }
        if (!map.is_object()) map = tscore::Value::object();
    }
    map.set(name, tscore::Value::string(branch));
    std::string value = tscore::to_json(map);
    pg_guard([&] {
        set_config_option("temporal_store.checkout", value.c_str(), PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SET,
                          true, 0, false);
    });
    PG_RETURN_VOID();
}
