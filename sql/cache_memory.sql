--
-- the state cache: in its own memory context, bounded by
-- temporal_store.cache_size (docs/storage.md#reading-a-version)
--
\set VERBOSITY sqlstate

-- ~37 kB states of many small nodes (3,000 numbers each)
CREATE TEMP VIEW cache_memory AS
SELECT count(*) AS contexts, sum(total_bytes) AS total, min(parent) AS parent
FROM pg_backend_memory_contexts WHERE name = 'temporal_store state cache';
CREATE FUNCTION pg_temp.doc(i int) RETURNS jsonb LANGUAGE sql AS
$$ SELECT jsonb_build_object('n', i, 'a', (SELECT jsonb_agg(g + i) FROM generate_series(1, 3000) g)) $$;
SELECT pg_column_size(pg_temp.doc(0)) BETWEEN 30000 AND 40000 AS state_size_as_planned;

SET temporal_store.cache_size = '256kB';
SELECT ts_create('cm', pg_temp.doc(0));
SELECT count(ts_commit('cm', pg_temp.doc(i))) FROM generate_series(1, 30) i;
-- one context, under TopMemoryContext, holding several states but no more
-- than the setting allows (plus one state)
SELECT contexts, parent, total > 128 * 1024 AS holds_states,
       total <= 256 * 1024 + pg_column_size(pg_temp.doc(0)) AS bounded
FROM cache_memory;

-- reads cache what they build: still bounded
SELECT count(ts_as_of('cm', v)) FROM generate_series(1, 31) v;
SELECT total > 128 * 1024 AS holds_states, total <= 256 * 1024 + pg_column_size(pg_temp.doc(0)) AS bounded
FROM cache_memory;
SELECT ts_as_of('cm', 31) = pg_temp.doc(30) AS head_right, ts_as_of('cm', 7) = pg_temp.doc(6) AS old_right;

-- lowering the setting evicts at once, and 0 empties the cache
SET temporal_store.cache_size = '64kB';
SELECT total <= 64 * 1024 + pg_column_size(pg_temp.doc(0)) AS shrunk FROM cache_memory;
SET temporal_store.cache_size = 0;
SELECT total <= 8192 AS emptied FROM cache_memory;
SELECT ts_as_of('cm', 31) = pg_temp.doc(30) AS uncached_right;
SELECT total <= 8192 AS still_empty FROM cache_memory;

-- a larger setting keeps every state
SET temporal_store.cache_size = '4MB';
SELECT count(ts_as_of('cm', v)) FROM generate_series(1, 31) v;
SELECT total > 31 * 30000 AS holds_all, total <= 4096 * 1024 AS bounded FROM cache_memory;
RESET temporal_store.cache_size;

SELECT ts_drop('cm');
