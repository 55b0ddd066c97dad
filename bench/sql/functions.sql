-- Helpers used by bench/run.sh (schema bench). They read ts_internal only
-- to measure (sizes, replay distances, the worker's pending work), never
-- to change anything.
\set ON_ERROR_STOP on

CREATE OR REPLACE FUNCTION bench.period() RETURNS int LANGUAGE sql STABLE
AS $$ SELECT count(*)::int FROM bench.steps $$;

CREATE OR REPLACE FUNCTION bench.store_id(st text) RETURNS bigint LANGUAGE sql STABLE
AS $$ SELECT store_id FROM ts_internal.stores WHERE name = st AND dropped_at IS NULL $$;

-- Replay distance of each version of a linear (main-only) store after
-- `from_v`: how many deltas a cold read replays, i.e. versions since the
-- nearest full state at or below it (a keyframe payload, chain_len = 0, or
-- a snapshot). The write path's hard cap puts a keyframe at least every
-- 4 x snapshot_interval versions, so the window below from_v holds one.
CREATE OR REPLACE FUNCTION bench.distances(st text, from_v bigint)
RETURNS TABLE (version bigint, dist bigint) LANGUAGE sql STABLE AS $$
    WITH a AS (
        SELECT v.version, (v.chain_len = 0 OR n.version IS NOT NULL) AS anchor
          FROM ts_internal.versions v
          LEFT JOIN ts_internal.snapshots n ON n.store_id = v.store_id AND n.version = v.version
         WHERE v.store_id = bench.store_id(st)
           AND v.version >= from_v - 8 * current_setting('temporal_store.snapshot_interval')::int
    ), d AS (
        SELECT a.version, a.version - max(CASE WHEN anchor THEN a.version END) OVER (ORDER BY a.version) AS dist
          FROM a
    )
    SELECT d.version, d.dist FROM d WHERE d.version > from_v
$$;

-- 1 if the store's head is pending by the worker's own criterion
-- (chain_len >= snapshot_interval or chain_bytes >= snapshot_max_bytes,
-- and no snapshot at the head), else 0.
CREATE OR REPLACE FUNCTION bench.head_pending(st text) RETURNS int LANGUAGE sql STABLE AS $$
    SELECT count(*)::int FROM ts_internal.versions v
     WHERE v.store_id = bench.store_id(st)
       AND v.version = (SELECT max(version) FROM ts_internal.versions WHERE store_id = bench.store_id(st))
       AND v.chain_len > 0
       AND (v.chain_len >= current_setting('temporal_store.snapshot_interval')::int
            OR v.chain_bytes >= pg_size_bytes(current_setting('temporal_store.snapshot_max_bytes')))
       AND NOT EXISTS (SELECT 1 FROM ts_internal.snapshots n
                        WHERE n.store_id = v.store_id AND n.version = v.version)
$$;

-- Snapshot backlog after from_v: versions whose replay distance is at
-- least snapshot_interval (what the worker's snapshots exist to prevent),
-- the largest and mean distance, the version with the largest, and
-- whether the head is pending by the worker's criterion.
CREATE OR REPLACE FUNCTION bench.backlog(st text, from_v bigint,
    OUT far bigint, OUT max_dist bigint, OUT avg_dist numeric, OUT worst bigint, OUT head_pending int)
LANGUAGE sql STABLE AS $$
    SELECT count(*) FILTER (WHERE dist >= current_setting('temporal_store.snapshot_interval')::int),
           max(dist), round(avg(dist), 1),
           (array_agg(version ORDER BY dist DESC, version))[1],
           bench.head_pending(st)
      FROM bench.distances(st, from_v)
$$;

-- Bytes of every table of the extension, with its indexes and TOAST.
CREATE OR REPLACE FUNCTION bench.ext_bytes() RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT sum(pg_total_relation_size(c.oid))::bigint
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'ts_internal' AND c.relkind = 'r'
$$;

-- A field (kB) of this backend's /proc/self/status.
CREATE OR REPLACE FUNCTION bench.proc_kb(field text) RETURNS bigint LANGUAGE sql VOLATILE AS $$
    SELECT substring(pg_read_file('/proc/self/status') from field || ':\s+(\d+)')::bigint
$$;

-- Resets this backend's VmHWM to its current RSS (Linux clear_refs 5).
CREATE OR REPLACE FUNCTION bench.reset_peak() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'COPY (SELECT 5) TO ''/proc/self/clear_refs''';
END $$;

-- Milliseconds one statement takes inside this backend (results discarded).
CREATE OR REPLACE FUNCTION bench.time_ms(q text) RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz;
BEGIN
    t0 := clock_timestamp();
    EXECUTE q;
    RETURN 1000 * extract(epoch FROM clock_timestamp() - t0);
END $$;
