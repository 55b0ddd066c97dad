// role_binding.cpp — ts_internal.bind_role(), the BEFORE INSERT trigger of
// ts_internal.stores and ts_internal.grants.
//
// Roles are identified by OID while the database lives; the row also keeps
// the role's name, which is all a dump carries. Every inserted row is bound
// to the role its name names at that moment: for ts_create and ts_grant
// that is the role just checked, and for a restore's COPY it re-binds the
// dump by name (a role missing from the new cluster leaves the row unbound).
#include "pg/error_bridge.hpp"

extern "C" {
#include "access/htup_details.h"
#include "commands/trigger.h"
#include "utils/rel.h"
}

TS_FUNCTION(ts_internal_bind_role) {
    return tspg::pg_guard([&] {
        // Misuse by a superuser (the schema is out of everyone else's
        // reach): 39P01, as PostgreSQL's own trigger functions report it.
        if (!CALLED_AS_TRIGGER(fcinfo))
            ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                            errmsg("ts_internal.bind_role() must be called as a trigger")));
        TriggerData *td = (TriggerData *)fcinfo->context;
        if (!TRIGGER_FIRED_BEFORE(td->tg_event) || !TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
            !TRIGGER_FIRED_BY_INSERT(td->tg_event) || td->tg_trigger->tgnargs != 2)
            ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                            errmsg("ts_internal.bind_role() must fire before insert, for each row, with two arguments")));
        Relation rel = td->tg_relation;
        TupleDesc desc = RelationGetDescr(rel);
        int name_col = SPI_fnumber(desc, td->tg_trigger->tgargs[0]);
        int oid_col = SPI_fnumber(desc, td->tg_trigger->tgargs[1]);
        if (name_col <= 0 || oid_col <= 0)
            ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                            errmsg("ts_internal.bind_role(): table \"%s\" has no column \"%s\" or \"%s\"",
                                   RelationGetRelationName(rel), td->tg_trigger->tgargs[0], td->tg_trigger->tgargs[1])));
        bool isnull;
        Datum name = heap_getattr(td->tg_trigtuple, name_col, desc, &isnull);
        Oid role = isnull ? InvalidOid : get_role_oid(TextDatumGetCString(name), true);
        Datum value = ObjectIdGetDatum(role);
        bool null = !OidIsValid(role);
        int cols[1] = {oid_col};
        return PointerGetDatum(heap_modify_tuple_by_cols(td->tg_trigtuple, desc, 1, cols, &value, &null));
    });
}
