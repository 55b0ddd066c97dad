--
-- export_import: ts_export writes a store's whole event stream as JSON
-- lines; ts_import rebuilds a store from them with the same versions,
-- states, hashes, branches (BRANCH@{time} included), tags, log and events,
-- and refuses a stream that does not verify, naming the first bad line and
-- writing nothing. Nothing here prints a time or a hash: where one matters,
-- a comparison is printed instead.
--
\pset null '(null)'
CREATE ROLE ex_owner;
CREATE ROLE ex_reader;
CREATE ROLE ex_other;
GRANT CREATE ON SCHEMA public TO ex_owner, ex_other;
SET ROLE ex_owner;

-- A history with every kind of event: commits, both kinds of patch,
-- branches (merged, fast-forwarded, reset, renamed, dropped), a merge
-- version, tags (one dropped), commits switching branches (branch marks),
-- a compacted prefix, and versions after it.
SELECT ts_create('src', '{"name": "app", "limits": {"cpu": 1, "mem": 512}, "flags": []}', 'initial',
                 '{"ticket": "T-1"}');
SELECT ts_commit('src', '{"name": "app", "limits": {"cpu": 2, "mem": 512}, "flags": []}', 'more cpu');
SELECT ts_patch('src', '{"limits": {"mem": 1024}}', 'merge patch', '{"ticket": "T-2"}');
SELECT ts_patch('src', '[{"op": "add", "path": "/flags/-", "value": "beta"}]', 'json patch');
SELECT ts_tag('src', 'v1.0', NULL, 'first release');
SELECT ts_branch('src', 'feature');
SELECT ts_commit('src', '{"name": "app", "limits": {"cpu": 2, "mem": 1024}, "flags": ["beta"], "feature": true}',
                 'feature on', branch => 'feature');
SELECT ts_commit('src', '{"name": "app2", "limits": {"cpu": 2, "mem": 1024}, "flags": ["beta"]}', 'rename app');
SELECT ts_commit('src', '{"name": "app2", "limits": {"cpu": 3, "mem": 1024}, "flags": ["beta"], "feature": true}',
                 'feature cpu', branch => 'feature');
SELECT ts_merge('src', 'feature', 'main', message => 'merge feature');
SELECT ts_branch('src', 'hotfix', 'v1.0');
SELECT ts_patch('src', '{"limits": {"cpu": 4}}', 'hotfix cpu', branch => 'hotfix');
SELECT ts_branch('src', 'ff', 'main~2');
SELECT ts_merge('src', 'main', 'ff');
SELECT ts_reset('src', 'feature', 'v1.0', 'reset feature');
SELECT ts_branch('src', 'tmp');
SELECT ts_commit('src', '{"tmp": 1}', branch => 'tmp');
SELECT ts_drop_branch('src', 'tmp');
SELECT ts_rename_branch('src', 'hotfix', 'hotfix-1');
SELECT ts_tag('src', 'gone-tag');
SELECT ts_drop_tag('src', 'gone-tag');
SELECT ts_compact('src', (SELECT committed_at FROM ts_version('src', '4')));
SELECT ts_commit('src', '{"name": "ünïcödé ☃", "n": 1.50, "deep": [[{"x": null}]]}', NULL, '{"k": "ü"}');
SELECT ts_patch('src', jsonb_build_object('n', g)) FROM generate_series(1, 7) g;
SELECT ts_tag('src', 'last');

-- The export: a header, then one line per event in seq order.
SELECT line->'seq' AS seq, line->>'event_type' AS event_type, line->'version' AS version,
       line->'branch_id' AS branch_id, line->>'branch' AS branch, line->'parents' AS parents,
       line->'payload'->>'encoding' AS encoding, length(line->>'hash') AS hash_len,
       (line->>'committed_at_us')::bigint = (extract(epoch FROM (line->>'committed_at')::timestamptz) * 1000000)::bigint
         AS times_agree
  FROM ts_export('src') AS line;
SELECT line FROM ts_export('src') AS line WHERE line->>'seq' = '0';
SELECT line->'payload' AS payload FROM ts_export('src') AS line WHERE (line->>'seq')::int IN (1, 3, 4, 5, 6, 24);
-- Hashes and times as ts_version shows them.
SELECT bool_and(line->>'hash' = encode(v.hash, 'hex')) AS hashes,
       bool_and((line->>'committed_at_us')::bigint
                = (extract(epoch FROM v.committed_at) * 1000000)::bigint) AS times,
       count(*) AS versions
  FROM ts_export('src') AS line, ts_version('src', line->>'version') v
 WHERE line ? 'parents';

-- Lines stored out of order: the import reads them in seq order.
CREATE TABLE lines (line jsonb);
INSERT INTO lines SELECT line FROM ts_export('src') AS line ORDER BY line->'seq' DESC;
SET temporal_store.snapshot_interval = 3;
SELECT ts_import('dst', 'lines');
RESET temporal_store.snapshot_interval;

-- The history index is filled for the imported versions: the same rows as
-- the original's for the versions after the compaction root (compacted ones,
-- and the root whose parent is gone, get one inexact root row each, as the
-- upgrade gives them), and the same blame.
RESET ROLE;
SELECT (SELECT array_agg(p.version || ':' || p.exact || ':' || encode(p.path, 'hex') ORDER BY 1)
          FROM ts_internal.version_paths p JOIN ts_internal.stores st USING (store_id)
         WHERE st.name = 'dst' AND st.dropped_at IS NULL AND p.version > 4)
     = (SELECT array_agg(p.version || ':' || p.exact || ':' || encode(p.path, 'hex') ORDER BY 1)
          FROM ts_internal.version_paths p JOIN ts_internal.stores st USING (store_id)
         WHERE st.name = 'src' AND st.dropped_at IS NULL AND p.version > 4) AS same_index_rows,
       (SELECT count(*) FROM ts_internal.version_paths p JOIN ts_internal.stores st USING (store_id)
         WHERE st.name = 'dst' AND st.dropped_at IS NULL) > 0 AS has_rows;
SET ROLE ex_owner;
SELECT (SELECT array_agg(row(b.*)::text ORDER BY b.path) FROM ts_blame('dst') b)
     = (SELECT array_agg(row(b.*)::text ORDER BY b.path) FROM ts_blame('src') b) AS same_blame;

-- Reading helpers: a compacted version's state reads as its SQLSTATE.
CREATE FUNCTION state_of(s temporal_store, v bigint) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  RETURN ts_as_of(s, v);
EXCEPTION WHEN OTHERS THEN
  RETURN to_jsonb('ERROR ' || SQLSTATE);
END $$;
CREATE FUNCTION state_at(s temporal_store, t timestamptz, b text) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  RETURN coalesce(ts_as_of(s, t, b), '"before the branch"');
EXCEPTION WHEN OTHERS THEN
  RETURN to_jsonb('ERROR ' || SQLSTATE);
END $$;
CREATE FUNCTION rev_at(s temporal_store, t timestamptz, b text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN ts_resolve(s, b || '@{' || t::text || '}')::text;
EXCEPTION WHEN OTHERS THEN
  RETURN 'ERROR ' || SQLSTATE;
END $$;

-- Every version: record, hash and state.
SELECT g AS version, to_jsonb(ts_version('src', g::text)) = to_jsonb(ts_version('dst', g::text)) AS same_record,
       state_of('src', g) = state_of('dst', g) AS same_state, state_of('dst', g) AS state
  FROM generate_series(1, (SELECT versions FROM ts_stores() WHERE store = 'src')) g;
SELECT (SELECT versions FROM ts_stores() WHERE store = 'dst') AS versions,
       (SELECT count(*) FROM ts_verify('dst')) AS verify_problems;
-- Branches, tags, the log of every branch, the events.
SELECT branch, head_version, created_from, ahead, behind FROM ts_branches('dst');
(SELECT * FROM ts_branches('src') EXCEPT ALL SELECT * FROM ts_branches('dst'))
UNION ALL (SELECT * FROM ts_branches('dst') EXCEPT ALL SELECT * FROM ts_branches('src'));
SELECT tag, version, author, message FROM ts_tags('dst');
(SELECT * FROM ts_tags('src') EXCEPT ALL SELECT * FROM ts_tags('dst'))
UNION ALL (SELECT * FROM ts_tags('dst') EXCEPT ALL SELECT * FROM ts_tags('src'));
SELECT b.branch, (SELECT array_agg(to_jsonb(l) ORDER BY l.version) FROM ts_log('src', b.branch) l)
               = (SELECT array_agg(to_jsonb(l) ORDER BY l.version) FROM ts_log('dst', b.branch) l) AS same_log
  FROM ts_branches('src') b;
SELECT (SELECT array_agg(to_jsonb(e) ORDER BY e.seq) FROM ts_events('src') e)
     = (SELECT array_agg(to_jsonb(e) ORDER BY e.seq) FROM ts_events('dst') e) AS same_events;
-- Every branch as of every moment of the history, and just before it.
WITH t AS (SELECT (line->>'committed_at')::timestamptz AS at FROM ts_export('src') AS line WHERE line->>'seq' <> '0'),
     moments AS (SELECT at FROM t UNION SELECT at - interval '1 microsecond' FROM t),
     names AS (SELECT unnest(ARRAY['main', 'feature', 'hotfix-1', 'ff']) AS b)
SELECT count(*) AS checked,
       count(*) FILTER (WHERE state_at('src', at, b) IS DISTINCT FROM state_at('dst', at, b)) AS states_differ,
       count(*) FILTER (WHERE rev_at('src', at, b) IS DISTINCT FROM rev_at('dst', at, b)) AS revs_differ,
       count(DISTINCT rev_at('dst', at, b)) > 5 AS varied
  FROM moments, names;
-- The re-export is the export, but for the header's store name.
SELECT (SELECT array_agg(line ORDER BY line->'seq') FROM ts_export('src') AS line WHERE line->>'seq' <> '0')
     = (SELECT array_agg(line ORDER BY line->'seq') FROM ts_export('dst') AS line WHERE line->>'seq' <> '0')
       AS same_lines;
-- The importer owns the new store; writing goes on.
SELECT store, owner, versions, branches, head_version FROM ts_stores() ORDER BY store;
SELECT ts_commit('dst', '{"after": "import"}');
SELECT ts_head('dst', 'hotfix-1') = ts_head('src', 'hotfix-1') AS same_hotfix_head;
RESET ROLE;
-- The import wrote snapshots where chains reached snapshot_interval.
SELECT count(*) > 0 AS imported_snapshots FROM ts_internal.snapshots n
  JOIN ts_internal.stores st ON st.store_id = n.store_id WHERE st.name = 'dst';
SET ROLE ex_owner;

-- Streams that do not verify are refused, naming the first bad line, and
-- nothing is written.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE FUNCTION try_import(changes text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  msg text;
BEGIN
  DROP TABLE IF EXISTS bad_lines;
  CREATE TEMP TABLE bad_lines AS SELECT line FROM lines;
  EXECUTE changes;
  PERFORM ts_import('bad', 'bad_lines');
  RETURN 'imported';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT;
  RETURN SQLSTATE || ': ' || regexp_replace(msg, '\d{4}-\d\d-\d\dT[0-9:.]+Z', '<time>', 'g');
END $$;
-- A state value changed in a patch.
SELECT try_import($$UPDATE bad_lines SET line = jsonb_set(line, '{payload,patch,n}', '99')
                    WHERE line->>'seq' = '26'$$);
-- A state value changed in a full state.
SELECT try_import($$UPDATE bad_lines SET line = jsonb_set(line, '{payload,state,limits,cpu}', '9')
                    WHERE line->'payload'->>'encoding' = 'full' AND line->>'seq' = '4'$$);
-- A hash changed (the chain after it would not verify either).
SELECT try_import($$UPDATE bad_lines SET line = jsonb_set(line, '{hash}', to_jsonb(repeat('ab', 32)))
                    WHERE line->>'seq' = '27'$$);
-- A message, an author, a time changed.
SELECT try_import($$UPDATE bad_lines SET line = jsonb_set(line, '{message}', '"edited"') WHERE line->>'seq' = '24'$$);
SELECT try_import($$UPDATE bad_lines SET line = jsonb_set(line, '{author}', '"mallory"') WHERE line->>'seq' = '25'$$);
SELECT try_import($$UPDATE bad_lines SET line = line || jsonb_build_object(
                      'committed_at_us', (line->>'committed_at_us')::bigint + 1,
                      'committed_at', to_char((line->>'committed_at')::timestamptz AT TIME ZONE 'UTC'
                                              + interval '1 microsecond', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
                    WHERE line->>'seq' = '25'$$);
-- The two times of a line disagree.
SELECT try_import($$UPDATE bad_lines SET line = jsonb_set(line, '{committed_at}', '"2020-01-01T00:00:00.000000Z"')
                    WHERE line->>'seq' = '25'$$);
-- A merge's parents swapped.
SELECT try_import($$UPDATE bad_lines SET line = jsonb_set(line, '{parents}', '[7, 6]') WHERE line->>'seq' = '10'$$);
-- A line missing, a line repeated, the end cut off, an extra line.
SELECT try_import($$DELETE FROM bad_lines WHERE line->>'seq' = '12'$$);
SELECT try_import($$INSERT INTO bad_lines SELECT line FROM lines WHERE line->>'seq' = '12'$$);
SELECT try_import($$DELETE FROM bad_lines WHERE line->>'seq' = '31'$$);
SELECT try_import($$INSERT INTO bad_lines SELECT line || '{"seq": 32, "payload": {"tag": "extra", "version": 18}}'
                      FROM lines WHERE line->>'seq' = '31'$$);
SELECT try_import($$UPDATE bad_lines SET line = jsonb_set(line, '{versions}', '19') WHERE line->>'seq' = '0'$$);
-- A patch whose parent's state the stream does not carry.
SELECT try_import($$UPDATE bad_lines SET line = jsonb_set(line, '{payload}', 'null') WHERE line->>'seq' = '4'$$);
-- A patch that does not apply.
SELECT try_import($$UPDATE bad_lines SET line = jsonb_set(line, '{payload}',
                      '{"encoding": "json_patch", "patch": [{"op": "remove", "path": "/nope"}]}')
                    WHERE line->>'seq' = '27'$$);
-- Malformed lines and events.
SELECT try_import($$UPDATE bad_lines SET line = line - 'seq' WHERE line->>'seq' = '9'$$);
SELECT try_import($$UPDATE bad_lines SET line = '[1, 2]' WHERE line->>'seq' = '9'$$);
SELECT try_import($$UPDATE bad_lines SET line = jsonb_set(line, '{hash}', '"xyz"') WHERE line->>'seq' = '9'$$);
SELECT try_import($$UPDATE bad_lines SET line = jsonb_set(line, '{event_type}', '"BranchProtected"')
                    WHERE line->>'seq' = '14'$$);
SELECT try_import($$UPDATE bad_lines SET line = jsonb_set(line, '{payload,branch}', '"main"')
                    WHERE line->>'seq' = '13'$$);
SELECT try_import($$UPDATE bad_lines SET line = jsonb_set(line, '{branch_id}', '9') WHERE line->>'seq' = '10'$$);
SELECT try_import($$UPDATE bad_lines SET line = jsonb_set(line, '{version}', '40') WHERE line->>'seq' = '5'$$);
SELECT try_import($$UPDATE bad_lines SET line = jsonb_set(line, '{format_version}', '2') WHERE line->>'seq' = '0'$$);
SELECT try_import($$DELETE FROM bad_lines WHERE line->>'seq' = '0'$$);
SELECT try_import($$DELETE FROM bad_lines$$);
SELECT try_import($$INSERT INTO bad_lines VALUES (NULL)$$);
-- None of them left anything behind.
RESET ROLE;
SELECT (SELECT count(*) FROM ts_internal.stores WHERE name = 'bad') AS stores,
       (SELECT count(*) FROM ts_internal.versions v
         WHERE NOT EXISTS (SELECT FROM ts_internal.stores s WHERE s.store_id = v.store_id)) AS orphan_versions,
       (SELECT count(*) FROM ts_internal.events e
         WHERE NOT EXISTS (SELECT FROM ts_internal.stores s WHERE s.store_id = e.store_id)) AS orphan_events;
SET ROLE ex_owner;
-- The unchanged copy imports.
SELECT try_import($$SELECT 1$$);
SELECT store FROM ts_stores() WHERE store::text = 'bad';
SELECT ts_drop('bad');
RESET client_min_messages;
\set VERBOSITY default

-- A source without the right columns, NULL arguments, names.
CREATE TABLE two_cols (line jsonb, extra int);
CREATE TABLE text_col (line text);
CREATE SEQUENCE not_a_table;
SELECT ts_import('x', 'two_cols');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_import('x', 'text_col');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_import('x', 'not_a_table');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_import('x', 'no_such_table');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_import(NULL, 'lines');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_import('x', NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT ts_import('dst', 'lines');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_import('', 'lines');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_export(NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT ts_export('no_such_store');
\echo :LAST_ERROR_SQLSTATE
-- A view works as a source.
CREATE VIEW lines_view AS SELECT line FROM lines;
SELECT ts_import('from_view', 'lines_view');
SELECT ts_as_of('from_view', 'last') = ts_as_of('src', 'last') AS same;

-- Access: export needs read; the source is read with the caller's rights;
-- EXECUTE on ts_import governs who may create stores this way.
SELECT ts_grant('src', 'ex_reader', 'read');
SET ROLE ex_reader;
SELECT count(*) AS lines FROM ts_export('src');
SET ROLE ex_other;
SELECT count(*) FROM ts_export('src');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_import('stolen', 'lines');
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE my_lines (line jsonb);
RESET ROLE;
INSERT INTO my_lines SELECT line FROM ts_export('src') AS line;
REVOKE EXECUTE ON FUNCTION ts_import(text, regclass) FROM PUBLIC;
SET ROLE ex_other;
SELECT ts_import('mine', 'my_lines');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
GRANT EXECUTE ON FUNCTION ts_import(text, regclass) TO PUBLIC;
SET ROLE ex_other;
SELECT ts_import('mine', 'my_lines');
SELECT store, owner FROM ts_stores() ORDER BY store;
RESET ROLE;
SELECT store FROM ts_stores() WHERE store::text IN ('stolen', 'x', '') ;

-- Clean up.
SELECT ts_drop(store) FROM ts_stores() WHERE store::text IN ('src', 'dst', 'from_view', 'mine');
DROP TABLE lines, two_cols, text_col, my_lines, bad_lines CASCADE;
DROP SEQUENCE not_a_table;
DROP FUNCTION state_of, state_at, rev_at, try_import;
REVOKE CREATE ON SCHEMA public FROM ex_owner, ex_other;
DROP ROLE ex_owner, ex_reader, ex_other;
