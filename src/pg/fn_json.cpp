// fn_json.cpp — the pure JSON building blocks (ts_json_*).
#include "core/errors.hpp"
#include "core/json_patch.hpp"
#include "core/merge3.hpp"
#include "pg/args.hpp"
#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"

using namespace tspg;

TS_FUNCTION(ts_json_diff) {
    tscore::Value a = datum_to_value(PG_GETARG_DATUM(0));
    tscore::Value b = datum_to_value(PG_GETARG_DATUM(1));
    return value_to_datum(tscore::json_diff(a, b));
}

TS_FUNCTION(ts_json_patch) {
    tscore::Value doc = datum_to_value(PG_GETARG_DATUM(0));
    tscore::Value patch = datum_to_value(PG_GETARG_DATUM(1));
    return value_to_datum(tscore::apply_json_patch(std::move(doc), patch));
}

TS_FUNCTION(ts_json_merge_patch) {
    tscore::Value doc = datum_to_value(PG_GETARG_DATUM(0));
    tscore::Value patch = datum_to_value(PG_GETARG_DATUM(1));
    return value_to_datum(tscore::apply_merge_patch(std::move(doc), patch));
}

TS_FUNCTION(ts_json_merge3) {
    tscore::Value base = datum_to_value(PG_GETARG_DATUM(0));
    tscore::Value ours = datum_to_value(PG_GETARG_DATUM(1));
    tscore::Value theirs = datum_to_value(PG_GETARG_DATUM(2));
    tscore::MergeStrategy strategy = tscore::parse_merge_strategy(text_to_string(PG_GETARG_DATUM(3)));
    tscore::MergeResult r = tscore::merge3(base, ours, theirs, strategy);
    if (strategy == tscore::MergeStrategy::ThreeWay && !r.conflicts.empty())
        throw tscore::Error(tscore::ErrorKind::Conflict, "merge conflict",
                            tscore::conflict_paths_json(r.conflicts));
    return value_to_datum(r.merged);
}

