// storage_paths.cpp — see storage_paths.hpp.
#include "pg/storage_paths.hpp"

#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/table_access.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
}

namespace tspg {
namespace storage {

using tables::Rel;

namespace {

Datum bytea_value(std::string_view b) {
    return pg_guard([&] {
        struct varlena *p = (struct varlena *)palloc(VARHDRSZ + b.size());
        SET_VARSIZE(p, VARHDRSZ + b.size());
        memcpy(VARDATA(p), b.data(), b.size());
        return PointerGetDatum(p);
    });
}

// (The C++ vectors are built outside pg_guard: nothing that can throw runs
// inside it, and nothing with a destructor is skipped by an error.)
Param bytea_array(const std::vector<std::string> &items) {
    std::vector<Datum> d(items.size());
    for (size_t i = 0; i < items.size(); i++) {
        const std::string &b = items[i];
        struct varlena *p = pg_guard([&] { return (struct varlena *)palloc(VARHDRSZ + b.size()); });
        SET_VARSIZE(p, VARHDRSZ + b.size());
        memcpy(VARDATA(p), b.data(), b.size());
        d[i] = PointerGetDatum(p);
    }
    Datum arr = pg_guard(
        [&] { return PointerGetDatum(construct_array(d.data(), (int)d.size(), BYTEAOID, -1, false, TYPALIGN_INT)); });
    return Param{BYTEAARRAYOID, arr, false};
}

Param int8_array_param(const std::vector<int64_t> &v) {
    std::vector<Datum> d;
    d.reserve(v.size());
    for (int64_t x : v) d.push_back(Int64GetDatum(x));
    Datum arr = pg_guard([&] {
        return PointerGetDatum(construct_array(d.data(), (int)d.size(), INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
    });
    return Param{INT8ARRAYOID, arr, false};
}

// The ranges as two arrays, for unnest.
std::pair<Param, Param> range_params(const VersionRanges &ranges) {
    std::vector<int64_t> lo, hi;
    for (const auto &r : ranges) {
        lo.push_back(r.first);
        hi.push_back(r.second);
    }
    return {int8_array_param(lo), int8_array_param(hi)};
}

#define RANGED_VERSIONS                                                                                       \
    "FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.int8[]), pg_catalog.unnest($3::pg_catalog.int8[])) AS r(lo, hi) "                     \
    "JOIN ts_internal.versions v ON v.store_id OPERATOR(pg_catalog.=) $1 "                                    \
    "AND v.version OPERATOR(pg_catalog.>=) r.lo AND v.version OPERATOR(pg_catalog.<=) r.hi "

}  // namespace

void insert_version_paths(int64_t store_id, int64_t version, const std::vector<tscore::PathRow> &rows) {
    if (rows.empty()) return;
    int natts = tables::column_count(Rel::VersionPaths);
    std::vector<Datum> values(natts, (Datum)0);
    std::unique_ptr<bool[]> nulls(new bool[natts]);
    AttrNumber a_store = tables::attnum(Rel::VersionPaths, "store_id");
    AttrNumber a_path = tables::attnum(Rel::VersionPaths, "path");
    AttrNumber a_version = tables::attnum(Rel::VersionPaths, "version");
    AttrNumber a_exact = tables::attnum(Rel::VersionPaths, "exact");
    for (const tscore::PathRow &r : rows) {
        std::fill(nulls.get(), nulls.get() + natts, true);
        values[a_store - 1] = Int64GetDatum(store_id);
        values[a_path - 1] = bytea_value(tscore::encode_path(r.path));
        values[a_version - 1] = Int64GetDatum(version);
        values[a_exact - 1] = BoolGetDatum(r.exact);
        nulls[a_store - 1] = nulls[a_path - 1] = nulls[a_version - 1] = nulls[a_exact - 1] = false;
        tables::insert_row(Rel::VersionPaths, values.data(), nulls.get());
    }
}

void insert_run_start(int64_t store_id, int64_t version) {
    int natts = tables::column_count(Rel::VersionRuns);
    std::vector<Datum> values(natts, (Datum)0);
    std::unique_ptr<bool[]> nulls(new bool[natts]);
    std::fill(nulls.get(), nulls.get() + natts, true);
    AttrNumber a_store = tables::attnum(Rel::VersionRuns, "store_id");
    AttrNumber a_version = tables::attnum(Rel::VersionRuns, "version");
    values[a_store - 1] = Int64GetDatum(store_id);
    values[a_version - 1] = Int64GetDatum(version);
    nulls[a_store - 1] = nulls[a_version - 1] = false;
    tables::insert_row(Rel::VersionRuns, values.data(), nulls.get());
}

int64_t run_start(Session &s, int64_t store_id, int64_t version) {
    Rows r = s.run("SELECT version FROM ts_internal.version_runs WHERE store_id OPERATOR(pg_catalog.=) $1 "
                   "AND version OPERATOR(pg_catalog.<=) $2 ORDER BY version DESC LIMIT 1",
                   {param::i64(store_id), param::i64(version)});
    // Without a recorded start (an index not filled), the version stands
    // alone: walks then read its parents one by one.
    int64_t out = r.empty() ? version : r.i64(0, 0);
    r.release();
    return out;
}

std::vector<PathCandidate> path_candidates(Session &s, int64_t store_id, const tscore::Path &path, int64_t upto) {
    std::vector<PathCandidate> out;
    Rows r = [&] {
        if (path.empty())
            return s.run("SELECT DISTINCT version, true FROM ts_internal.version_paths "
                         "WHERE store_id OPERATOR(pg_catalog.=) $1 AND version OPERATOR(pg_catalog.<=) $2 "
                         "ORDER BY version DESC",
                         {param::i64(store_id), param::i64(upto)});
        std::vector<std::string> ancestors;
        for (size_t n = 0; n < path.size(); n++)
            ancestors.push_back(tscore::encode_path(tscore::Path(path.begin(), path.begin() + n)));
        return s.run(
            "SELECT version, pg_catalog.bool_or(certain) FROM ("
            " SELECT version, true AS certain FROM ts_internal.version_paths"
            "  WHERE store_id OPERATOR(pg_catalog.=) $1 AND path OPERATOR(pg_catalog.>=) $2"
            "  AND path OPERATOR(pg_catalog.<) $3 AND version OPERATOR(pg_catalog.<=) $5"
            " UNION ALL"
            " SELECT version, false FROM ts_internal.version_paths"
            "  WHERE store_id OPERATOR(pg_catalog.=) $1 AND path OPERATOR(pg_catalog.=) ANY ($4)"
            "  AND NOT exact AND version OPERATOR(pg_catalog.<=) $5"
            ") c GROUP BY version ORDER BY version DESC",
            {param::i64(store_id), param::bytea(tscore::encode_path(path)), param::bytea(*tscore::encode_path_upper(path)),
             bytea_array(ancestors), param::i64(upto)});
    }();
    out.reserve(r.size());
    for (uint64_t i = 0; i < r.size(); i++) out.push_back(PathCandidate{r.i64(i, 0), r.boolean(i, 1)});
    r.release();
    return out;
}

std::vector<AuthorStats> author_stats(Session &s, int64_t store_id, const VersionRanges &ranges) {
    std::vector<AuthorStats> out;
    if (ranges.empty()) return out;
    auto [lo, hi] = range_params(ranges);
    Rows r = s.run("SELECT v.author, "
                   "pg_catalog.date_part('hour', pg_catalog.timezone('UTC', v.committed_at))::pg_catalog.int4, "
                   "pg_catalog.count(*), pg_catalog.min(v.committed_at), pg_catalog.max(v.committed_at) " RANGED_VERSIONS
                   "GROUP BY 1, 2 ORDER BY v.author COLLATE pg_catalog.\"C\", 2",
                   {param::i64(store_id), lo, hi});
    for (uint64_t i = 0; i < r.size(); i++) {
        check_interrupts();
        std::string author = r.str(i, 0);
        if (out.empty() || out.back().author != author) {
            out.push_back(AuthorStats{});
            out.back().author = author;
            out.back().first = r.timestamptz(i, 3);
            out.back().last = r.timestamptz(i, 4);
        }
        AuthorStats &a = out.back();
        int h = r.i32(i, 1);
        int64_t n = r.i64(i, 2);
        if (h >= 0 && h < 24) a.hours[h] += n;
        a.commits += n;
        a.first = std::min(a.first, r.timestamptz(i, 3));
        a.last = std::max(a.last, r.timestamptz(i, 4));
    }
    r.release();
    Rows p = s.run("SELECT v.author, pg_catalog.count(DISTINCT p.path) " RANGED_VERSIONS
                   "JOIN ts_internal.version_paths p ON p.store_id OPERATOR(pg_catalog.=) $1 "
                   "AND p.version OPERATOR(pg_catalog.=) v.version GROUP BY 1",
                   {param::i64(store_id), lo, hi});
    for (uint64_t i = 0; i < p.size(); i++) {
        std::string author = p.str(i, 0);
        for (AuthorStats &a : out)
            if (a.author == author) a.paths = p.i64(i, 1);
    }
    p.release();
    return out;
}

void for_each_path_row(Session &s, int64_t store_id, const VersionRanges &ranges,
                       const std::function<void(const std::string &, int64_t, const std::string &, TimestampTz)> &f) {
    if (ranges.empty()) return;
    auto [lo, hi] = range_params(ranges);
    Cursor c = s.open_cursor("SELECT p.path, v.version, v.author, v.committed_at " RANGED_VERSIONS
                             "JOIN ts_internal.version_paths p ON p.store_id OPERATOR(pg_catalog.=) $1 "
                             "AND p.version OPERATOR(pg_catalog.=) v.version ORDER BY p.path, v.version",
                             {param::i64(store_id), lo, hi});
    for (;;) {
        Rows r = c.fetch(1024);
        if (r.empty()) break;
        for (uint64_t i = 0; i < r.size(); i++) {
            check_interrupts();
            f(r.bytes(i, 0), r.i64(i, 1), r.str(i, 2), r.timestamptz(i, 3));
        }
        r.release();
    }
    c.close();
}

void delete_history_index(Session &s, int64_t store_id) {
    s.run("DELETE FROM ts_internal.version_paths WHERE store_id OPERATOR(pg_catalog.=) $1", {param::i64(store_id)});
    s.run("DELETE FROM ts_internal.version_runs WHERE store_id OPERATOR(pg_catalog.=) $1", {param::i64(store_id)});
}

void fill_run_starts(Session &s, int64_t store_id) {
    s.run("INSERT INTO ts_internal.version_runs (store_id, version) "
          "SELECT store_id, version FROM ts_internal.versions WHERE store_id OPERATOR(pg_catalog.=) $1 "
          "AND (first_parent IS NULL OR merge_parent IS NOT NULL "
          "OR first_parent OPERATOR(pg_catalog.<>) (version OPERATOR(pg_catalog.-) 1))",
          {param::i64(store_id)});
}

std::vector<int64_t> all_store_ids(Session &s) {
    Rows r = s.run("SELECT store_id FROM ts_internal.stores WHERE dropped_at IS NULL ORDER BY store_id", {});
    std::vector<int64_t> out;
    for (uint64_t i = 0; i < r.size(); i++) out.push_back(r.i64(i, 0));
    r.release();
    return out;
}

}  // namespace storage
}  // namespace tspg
