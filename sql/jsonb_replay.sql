--
-- jsonb replay: snapshots of large states are stored as jsonb, and reads
-- replay the deltas after them onto that jsonb, opening only the containers
-- the operations touch (docs/storage.md#reading-a-version). Every version
-- must read back exactly as committed, whichever lane a read takes.
--
\set VERBOSITY sqlstate
SET temporal_store.cache_size = 0;   -- every read replays from a full state

-- A ~20 KB document: nested objects and arrays, every scalar kind, numbers
-- in several forms, non-ASCII text, empty containers.
CREATE TEMP TABLE ref (version bigint PRIMARY KEY, doc jsonb NOT NULL);
CREATE FUNCTION pg_temp.big_doc() RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object(
    'name', 'catalog', 'revision', 1, 'ratio', 0.5e-3, 'neg', -12.50, 'huge', 123456789012345678901234567890,
    'flags', jsonb_build_object('a', true, 'b', false, 'c', NULL),
    'items', (SELECT jsonb_agg(jsonb_build_object(
                  'id', i, 'name', 'item ' || i, 'price', i * 1.25,
                  'tags', jsonb_build_array('t' || (i % 7), 'ü€😀' || i),
                  'dims', jsonb_build_object('w', i % 10, 'h', -i, 'd', 1e-3 * i),
                  'empty', '{}'::jsonb, 'list', '[]'::jsonb, 'none', NULL))
                FROM generate_series(1, 120) i),
    'matrix', (SELECT jsonb_agg(jsonb_build_array(i, i * i, i::text, i % 2 = 0)) FROM generate_series(1, 40) i))
$$;
SELECT pg_column_size(pg_temp.big_doc()) > 16000 AS large;
SELECT ts_create('big', pg_temp.big_doc(), 'init') IS NOT NULL AS created;
INSERT INTO ref VALUES (1, pg_temp.big_doc());

-- 150 commits of 1-3 leaf edits; every 10th adds or removes a key, every
-- 25th inserts into or removes from an array (fixed seed).
SELECT setseed(0.42);
DO $$
DECLARE
  d jsonb := pg_temp.big_doc();
  v bigint;
  i int;
  k int;
BEGIN
  FOR k IN 1..150 LOOP
    i := (random() * 119)::int;
    d := jsonb_set(d, ARRAY['items', i::text, 'price'], to_jsonb(round((random() * 1000)::numeric, 2)));
    IF k % 3 = 0 THEN
      d := jsonb_set(d, ARRAY['items', ((i + 7) % 120)::text, 'tags', '1'], to_jsonb('tag ' || k));
    END IF;
    IF k % 10 = 0 THEN
      IF d->'flags' ? ('k' || (k - 10)) THEN
        d := d #- ARRAY['flags', 'k' || (k - 10)];
      END IF;
      d := jsonb_set(d, ARRAY['flags', 'k' || k], jsonb_build_object('at', k, 'deep', jsonb_build_array(k, NULL)));
    END IF;
    IF k % 25 = 0 THEN
      d := jsonb_insert(d, ARRAY['matrix', '3'], jsonb_build_array(k, 'inserted'));
      d := d #- ARRAY['items', ((i + 50) % 110)::text];
    END IF;
    d := jsonb_set(d, '{revision}', to_jsonb(k + 1));
    v := ts_commit('big', d, 'edit ' || k);
    INSERT INTO ref VALUES (v, d);
  END LOOP;
END $$;

-- JSON Patches as written: test, copy, move, an edit inside a copied
-- subtree, a remove, and a merge patch (which the jsonb lane leaves to the
-- tree).
CREATE FUNCTION pg_temp.patch(p jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE v bigint;
BEGIN
  v := ts_patch('big', p);
  INSERT INTO ref VALUES (v, ts_as_of('big', v));
END $$;
SELECT pg_temp.patch('[{"op": "test", "path": "/name", "value": "catalog"},
                       {"op": "test", "path": "/items/3/dims", "value": {"w": 4, "h": -4, "d": 0.004}},
                       {"op": "copy", "from": "/items/3", "path": "/items/-"},
                       {"op": "move", "from": "/flags/a", "path": "/flags/moved"}]');
SELECT pg_temp.patch('[{"op": "copy", "from": "/items/5", "path": "/copied"},
                       {"op": "replace", "path": "/copied/name", "value": "copy of 5"},
                       {"op": "add", "path": "/copied/tags/0", "value": "first"},
                       {"op": "remove", "path": "/items/6/dims/h"}]');
SELECT pg_temp.patch('{"merged": {"x": 1}, "flags": {"b": null}}');
SELECT pg_temp.patch('[{"op": "replace", "path": "/merged/x", "value": [1, 2.50, "three"]}]');
-- the whole document replaced by one of its subtrees, then back
SELECT pg_temp.patch('[{"op": "move", "from": "/matrix", "path": ""}]');
SELECT pg_temp.patch('[{"op": "add", "path": "/-", "value": {"tail": true}}]');
SELECT v AS last FROM ts_commit('big', pg_temp.big_doc(), 'back to the start') v \gset
INSERT INTO ref VALUES (:last, pg_temp.big_doc());
SELECT count(*) AS versions FROM ref;

-- Snapshots along the history; large states are stored as jsonb (kind 6).
-- (The worker may add its own meanwhile; every one of them is jsonb too.)
SELECT count(ts_snapshot('big', v::text)) FROM unnest(ARRAY[2, 40, 100, 152, 155]) v;
SELECT count(*) FILTER (WHERE n.version IN (2, 40, 100, 152, 155)) AS requested,
       bool_and(get_byte(n.state, 1) = 6) AS all_jsonb
  FROM ts_internal.snapshots n JOIN ts_internal.stores s USING (store_id)
 WHERE s.name = 'big';

-- Every version, read cold, equals what was committed, as jsonb and as text.
SELECT count(*) FILTER (WHERE ts_as_of('big', version) IS DISTINCT FROM doc) AS differ,
       count(*) FILTER (WHERE ts_as_of('big', version)::text IS DISTINCT FROM doc::text) AS text_differ
  FROM ref;
-- Both lanes were taken: replays on jsonb, and chains with the merge patch
-- that gave way to the tree.
SELECT (ts_internal.jsonb_replays()->>'replays')::int > 100 AS replayed_on_jsonb,
       (ts_internal.jsonb_replays()->>'fallbacks')::int > 0 AS fell_back;
-- Lookups inside the results work (the jsonb is well formed).
SELECT ts_as_of('big', 3)->'items'->5->'tags'->>1 AS tag, ts_as_of('big', 156)->0->>2 AS cell,
       jsonb_array_length(ts_as_of('big', 157)) AS rows, ts_as_of('big', 157)->-1 AS tail;
-- The snapshots match the replayed states (ts_verify reads both forms).
SELECT count(*) AS problems FROM ts_verify('big');

-- Uncompressed jsonb snapshots read the same.
SET temporal_store.compression_threshold = -1;
SELECT ts_snapshot('big', '120');
SELECT get_byte(n.state, 2) AS compression
  FROM ts_internal.snapshots n JOIN ts_internal.stores s USING (store_id)
 WHERE s.name = 'big' AND n.version = 120;
RESET temporal_store.compression_threshold;
SELECT count(*) FILTER (WHERE ts_as_of('big', version) IS DISTINCT FROM doc) AS differ
  FROM ref WHERE version BETWEEN 100 AND 150;

-- Small states keep the core's compact form.
SELECT ts_create('small', '{"a": [1, 2, 3]}') IS NOT NULL AS created;
SELECT ts_commit('small', '{"a": [1, 2, 3, 4]}');
SELECT ts_snapshot('small');
SELECT get_byte(n.state, 1) AS kind
  FROM ts_internal.snapshots n JOIN ts_internal.stores s USING (store_id) WHERE s.name = 'small';
SELECT ts_as_of('small', 2);

-- Full states in the event table stay in the core's compact form (kind 1),
-- the same bytes on every platform: version 1 and keyframes at the replay
-- hard cap (here 4 x 3 deltas) of a large state, shown by ts_events like
-- any full state; each gets a jsonb snapshot beside it, so chains from
-- them take the jsonb lane too.
SELECT get_byte(v.payload, 1) AS kind, get_byte(n.state, 1) AS snapshot_kind
  FROM ts_internal.versions v JOIN ts_internal.stores s USING (store_id)
  LEFT JOIN ts_internal.snapshots n ON n.store_id = v.store_id AND n.version = v.version
 WHERE s.name = 'big' AND v.version = 1;
SELECT e.payload->>'encoding' AS encoding, e.payload->'state' = pg_temp.big_doc() AS same_state
  FROM ts_events('big') e WHERE e.version = 1;
SET temporal_store.snapshot_interval = 3;
SELECT ts_create('keyed', pg_temp.big_doc()) IS NOT NULL AS created;
CREATE TEMP TABLE keyed_ref AS SELECT 1::bigint AS version, pg_temp.big_doc() AS doc;
INSERT INTO keyed_ref
SELECT ts_commit('keyed', jsonb_set(pg_temp.big_doc(), '{revision}', to_jsonb(i))), jsonb_set(pg_temp.big_doc(), '{revision}', to_jsonb(i))
  FROM generate_series(2, 30) i;
RESET temporal_store.snapshot_interval;
SELECT count(*) FILTER (WHERE v.chain_len = 0) AS full_states,
       count(*) FILTER (WHERE v.chain_len = 0 AND get_byte(v.payload, 1) = 1) AS compact,
       count(*) FILTER (WHERE v.chain_len = 0 AND get_byte(n.state, 1) = 6) AS with_jsonb_snapshot
  FROM ts_internal.versions v JOIN ts_internal.stores s USING (store_id)
  LEFT JOIN ts_internal.snapshots n ON n.store_id = v.store_id AND n.version = v.version
 WHERE s.name = 'keyed';
SELECT count(*) FILTER (WHERE ts_as_of('keyed', version) IS DISTINCT FROM doc) AS differ FROM keyed_ref;
SELECT count(*) AS problems FROM ts_verify('keyed');

-- A jsonb snapshot ends with a byte-order mark: one written by a server of
-- the other byte order (simulated here on an uncompressed snapshot) is
-- refused with a clean error, never read as garbage; without it, the same
-- read replays from the event log.
SET temporal_store.compression_threshold = -1;
SELECT ts_snapshot('big', '60');
RESET temporal_store.compression_threshold;
UPDATE ts_internal.snapshots n SET state = overlay(n.state PLACING '\x01020304'::bytea FROM octet_length(n.state) - 3)
  FROM ts_internal.stores s WHERE s.store_id = n.store_id AND s.name = 'big' AND n.version = 60;
SELECT ts_as_of('big', 61);
DELETE FROM ts_internal.snapshots n USING ts_internal.stores s
 WHERE s.store_id = n.store_id AND s.name = 'big' AND n.version = 60;
SELECT ts_as_of('big', 61) = (SELECT doc FROM ref WHERE version = 61) AS reads_again;

-- Compaction: after compacting all but a tagged version and the head, both
-- still read as committed; the tagged version's root is a compact full state.
SELECT ts_tag('big', 'keep', '130');   -- no snapshot there: compaction writes its root
SELECT ts_compact('big', clock_timestamp()) > 0 AS compacted;
SELECT ts_as_of('big', 130) = (SELECT doc FROM ref WHERE version = 130) AS tagged_same,
       ts_head('big') = (SELECT doc FROM ref WHERE version = :last) AS head_same;
SELECT ts_as_of('big', 50);
-- (the tagged version's root; the head may have been snapshotted by the
-- worker meanwhile, and then needs none)
SELECT v.version, v.chain_len, get_byte(v.payload, 1) AS kind, get_byte(n.state, 1) AS snapshot_kind
  FROM ts_internal.versions v JOIN ts_internal.stores s USING (store_id)
  LEFT JOIN ts_internal.snapshots n ON n.store_id = v.store_id AND n.version = v.version
 WHERE s.name = 'big' AND v.version = 130;
SELECT count(*) AS problems FROM ts_verify('big');

-- A deep document (2,000 nested objects and arrays) whose edits are at the
-- bottom: the lane opens every level on the way down and copies the rest.
CREATE FUNCTION pg_temp.deep(n int, leaf jsonb) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object('pad', repeat('x', 9000),
                            'tree', (repeat('{"d": [', n) || leaf::text || repeat(']}', n))::jsonb)
$$;
SELECT ts_create('deep', pg_temp.deep(2000, '{"v": 0}')) IS NOT NULL AS created;
SELECT count(ts_commit('deep', pg_temp.deep(2000, jsonb_build_object('v', k, 'k' || k, true)))) FROM generate_series(1, 4) k;
SELECT (ts_internal.jsonb_replays()->>'replays')::int AS replays_before \gset
SELECT count(*) FILTER (WHERE ts_as_of('deep', k + 1) IS DISTINCT FROM
                               pg_temp.deep(2000, jsonb_build_object('v', k, 'k' || k, true))) AS differ
  FROM generate_series(1, 4) k;
SELECT (ts_internal.jsonb_replays()->>'replays')::int - :replays_before AS replayed_on_jsonb;

SELECT ts_drop('big'), ts_drop('small'), ts_drop('keyed'), ts_drop('deep');
