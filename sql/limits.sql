--
-- limits: statement_timeout reaches the loops of the JSON core (57014
-- within moments, not after the work); temporal_store.max_memory stops an
-- operation that builds too much (54000, with a hint naming the setting);
-- a state nested deeper than 10000 levels is not stored (54001); the core's
-- recursive walks stop at max_stack_depth (54001) instead of overflowing
--

-- A 50,000-element array and 20,000 inserts at its front: a billion
-- element moves, many seconds of work.
CREATE TABLE lim_input AS SELECT
  (SELECT jsonb_build_object('a', jsonb_agg(i)) FROM generate_series(1, 50000) i) AS doc,
  (SELECT jsonb_agg(jsonb_build_object('op', 'add', 'path', '/a/0', 'value', 1))
     FROM generate_series(1, 20000)) AS patch;
-- Runs q; says whether it was canceled (57014), and whether within 2 s of
-- its start. With statement_timeout = 200ms the cancel is due at 0.2 s.
CREATE FUNCTION lim_timed(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz := clock_timestamp();
BEGIN
  EXECUTE q;
  RETURN 'finished';
EXCEPTION WHEN query_canceled THEN
  RETURN CASE WHEN clock_timestamp() - t0 < interval '2 s' THEN 'canceled within 2 s'
              ELSE 'canceled only after ' || (clock_timestamp() - t0) END;
END $$;

SET statement_timeout = '200ms';
SELECT lim_timed('SELECT ts_json_patch(doc, patch) FROM lim_input') AS json_patch;
RESET statement_timeout;

-- the same patch through ts_patch: canceled, nothing stored
SELECT ts_create('lim_big', doc) FROM lim_input;
SET statement_timeout = '200ms';
SELECT lim_timed('SELECT ts_patch(''lim_big'', patch) FROM lim_input') AS ts_patch;
RESET statement_timeout;
SELECT versions FROM ts_stores() WHERE store = 'lim_big';
SELECT ts_drop('lim_big');

-- The memory budget: 1GB by default, superuser only.
SHOW temporal_store.max_memory;
SELECT setting, unit, context FROM pg_settings WHERE name = 'temporal_store.max_memory';
CREATE ROLE lim_user;
SET ROLE lim_user;
SET temporal_store.max_memory = '100GB';
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
DROP ROLE lim_user;

-- 40 copies of the whole document into itself: each doubles it (2^40
-- values). The default budget stops it.
SELECT ts_json_patch('[]', (SELECT jsonb_agg('{"op": "copy", "from": "", "path": "/-"}'::jsonb)
                            FROM generate_series(1, 40)));
\echo :LAST_ERROR_SQLSTATE

-- 16 doublings (65,536 values) need a few MB: over a 1MB budget, within 64MB
CREATE FUNCTION lim_doublings(n int) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_agg('{"op": "copy", "from": "", "path": "/-"}'::jsonb) FROM generate_series(1, n)
$$;
SET temporal_store.max_memory = '1MB';
SELECT jsonb_array_length(ts_json_patch('[]', lim_doublings(16)));
\echo :LAST_ERROR_SQLSTATE
SELECT jsonb_array_length(ts_json_patch('[]', lim_doublings(8))) AS fits;
SET temporal_store.max_memory = '64MB';
SELECT jsonb_array_length(ts_json_patch('[]', lim_doublings(16))) AS fits;

-- every operation that builds values is charged: a 1MB budget refuses
-- results of several MB
SET temporal_store.max_memory = '1MB';
CREATE TABLE lim_wide AS SELECT
  (SELECT jsonb_object_agg('k' || i, jsonb_build_object('v', i)) FROM generate_series(1, 20000) i) AS a,
  (SELECT jsonb_object_agg('k' || i, jsonb_build_object('v', -i)) FROM generate_series(1, 20000) i) AS b;
\set VERBOSITY sqlstate
SELECT ts_json_diff('{}', a) IS NULL FROM lim_wide;
SELECT ts_json_merge_patch('{}', a) IS NULL FROM lim_wide;
SELECT ts_json_merge3('{}', a, b, 'ours') IS NULL FROM lim_wide;
SELECT ts_json_patch('{}', jsonb_build_array(jsonb_build_object('op', 'add', 'path', '/x', 'value', a))) IS NULL
  FROM lim_wide;
-- a commit too: nothing is stored
SELECT ts_create('lim_mem', '{}');
SELECT ts_patch('lim_mem', a) FROM lim_wide;
\set VERBOSITY default
SELECT versions FROM ts_stores() WHERE store = 'lim_mem';
RESET temporal_store.max_memory;
SELECT ts_patch('lim_mem', a) FROM lim_wide;
SELECT ts_head('lim_mem') = a AS stored FROM lim_wide;
SELECT ts_drop('lim_mem');

-- Depth: a version holds at most 10000 levels, which PostgreSQL's jsonb
-- input reads back (it stops near 13,000 with the default max_stack_depth).
SELECT ts_create('lim_deep', (repeat('{"a": ', 10000) || '1' || repeat('}', 10000))::jsonb);
SELECT ts_head('lim_deep')::text::jsonb = ts_head('lim_deep') AS reads_back;
-- one level more, as jsonb
SELECT ts_commit('lim_deep', (repeat('{"a": ', 10001) || '1' || repeat('}', 10001))::jsonb);
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY sqlstate
SELECT ts_commit('lim_deep', (repeat('[', 12000) || repeat(']', 12000))::jsonb);
-- built by a JSON Patch: 10001 levels, and 16,000
SELECT ts_patch('lim_deep', jsonb_build_array(jsonb_build_object(
  'op', 'replace', 'path', repeat('/a', 10000), 'value', '[]'::jsonb)));
SELECT ts_patch('lim_deep', jsonb_build_array(jsonb_build_object(
  'op', 'add', 'path', repeat('/a', 9999), 'value', (repeat('[', 6001) || repeat(']', 6001))::jsonb)));
-- by a merge patch
SELECT ts_patch('lim_deep', (repeat('{"a": ', 9999) || '{"a": {"b": 1}}' || repeat('}', 9999))::jsonb);
-- a merge takes each value from one side, so it stays within the limit
-- when both sides do
SELECT ts_branch('lim_deep', 'side');
SELECT ts_patch('lim_deep', jsonb_build_array(jsonb_build_object(
  'op', 'replace', 'path', repeat('/a', 9999), 'value', '{"a": 1, "b": 2}'::jsonb)), branch => 'side') AS side;
SELECT ts_patch('lim_deep', jsonb_build_array(jsonb_build_object(
  'op', 'replace', 'path', repeat('/a', 9999), 'value', '{"a": 1, "c": 3}'::jsonb))) AS main;
SELECT ts_merge('lim_deep', 'side', 'main', 'three_way') AS merged_at_the_limit;
\set VERBOSITY default
-- what was refused left no version behind
SELECT versions FROM ts_stores() WHERE store = 'lim_deep';
SELECT ts_head('lim_deep') #> array_fill('a'::text, ARRAY[9999]) AS merged;
-- deeper documents stay fine where nothing is stored
SELECT jsonb_typeof(ts_json_patch(ts_head('lim_deep'), jsonb_build_array(jsonb_build_object(
  'op', 'replace', 'path', repeat('/a', 10000), 'value', (repeat('[', 6000) || repeat(']', 6000))::jsonb))))
  AS deeper_result;
SELECT ts_drop('lim_deep');

-- The recursive walks (diff, merges) stop at max_stack_depth with
-- PostgreSQL's own error instead of running off the stack.
CREATE TABLE lim_deep_docs AS SELECT
  (repeat('{"a": ', 5000) || '1' || repeat('}', 5000))::jsonb AS x,
  (repeat('{"a": ', 5000) || '2' || repeat('}', 5000))::jsonb AS y;
SELECT jsonb_array_length(ts_json_diff(x, y)) AS ops FROM lim_deep_docs;
SET max_stack_depth = '256kB';
SELECT jsonb_array_length(ts_json_diff(x, y)) FROM lim_deep_docs;
\set VERBOSITY sqlstate
SELECT ts_json_merge_patch(x, y) = y FROM lim_deep_docs;
SELECT ts_json_merge3(x, x, y) = y FROM lim_deep_docs;
\set VERBOSITY default
RESET max_stack_depth;
SELECT ts_json_merge3(x, x, y) = y AS merged FROM lim_deep_docs;

DROP TABLE lim_input, lim_wide, lim_deep_docs;
DROP FUNCTION lim_timed(text), lim_doublings(int);
