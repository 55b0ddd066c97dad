// fn_worker.cpp — ts_worker_start, ts_worker_status.
#include "pg/args.hpp"
#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/spi_session.hpp"
#include "pg/srf.hpp"
#include "pg/worker.hpp"

using namespace tspg;

TS_FUNCTION(ts_worker_start) {
    int pid = start_worker_for_current_database(true);
    if (pid <= 0)
        ts_error(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED, "could not start the temporal_store snapshot worker",
                 "No background worker slot was free.", "Raise max_worker_processes.");
    PG_RETURN_INT32(pid);
}

TS_FUNCTION(ts_worker_status) {
    Session s(true);
    Rows r = s.run("SELECT w.database::pg_catalog.text, a.pid, w.started_at, w.last_run, w.snapshots_built, w.pending "
                   "FROM ts_internal.worker_status w LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid OPERATOR(pg_catalog.=) w.pid "
                   "ORDER BY 1",
                   {});
    struct Row {
        std::string db;
        std::optional<int64_t> pid;
        std::optional<int64_t> started, last;
        int64_t built, pending;
    };
    std::vector<Row> rows;
    for (uint64_t i = 0; i < r.size(); i++)
        rows.push_back(Row{r.str(i, 0), r.is_null(i, 1) ? std::nullopt : std::optional<int64_t>(r.i32(i, 1)),
                           r.is_null(i, 2) ? std::nullopt : std::optional<int64_t>(r.timestamptz(i, 2)),
                           r.is_null(i, 3) ? std::nullopt : std::optional<int64_t>(r.timestamptz(i, 3)),
                           r.i64(i, 4), r.i64(i, 5)});
    s.finish();
    SetResult out(fcinfo);
    for (const Row &row : rows) {
        Datum values[6];
        bool nulls[6] = {false, !row.pid, !row.started, !row.last, false, false};
        values[0] = string_to_text(row.db);
        if (row.pid) values[1] = Int32GetDatum((int32)*row.pid);
        if (row.started) values[2] = TimestampTzGetDatum(*row.started);
        if (row.last) values[3] = TimestampTzGetDatum(*row.last);
        values[4] = Int64GetDatum(row.built);
        values[5] = Int64GetDatum(row.pending);
        out.add(values, nulls);
    }
    return (Datum)0;
}
