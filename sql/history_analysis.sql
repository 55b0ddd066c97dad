--
-- history_analysis: ts_path_history, ts_blame, ts_stats, ts_path_stats and
-- ts_log's path filter, read from the history index (version_paths):
-- linear history, merges, compaction, revision forms, errors, access, and
-- counters proving that the index, not a scan of the history, is read.
--
\set VERBOSITY sqlstate
\pset null '(null)'

-- authors are the committing roles
CREATE ROLE regress_ha_ann;
CREATE ROLE regress_ha_bob;
CREATE ROLE regress_ha_cy;
SET ROLE regress_ha_ann;
SELECT ts_create('ha', '{"cfg": {"pool": 5, "mode": "a"}, "tags": ["x", "y"], "n": 0}');
SELECT ts_commit('ha', '{"cfg": {"pool": 10, "mode": "a"}, "tags": ["x", "y"], "n": 0}', 'pool 10');
SELECT ts_grant('ha', 'regress_ha_bob', 'write');
SELECT ts_grant('ha', 'regress_ha_cy', 'write');
SET ROLE regress_ha_bob;
SELECT ts_patch('ha', '{"cfg": {"mode": "b"}}', 'mode b');
SELECT ts_patch('ha', '[{"op": "add", "path": "/tags/0", "value": "w"}]', 'prepend a tag');
SELECT ts_patch('ha', '{"n": 0}', 'a merge patch that changes nothing');
SELECT ts_tag('ha', 'before-feature');
SELECT ts_branch('ha', 'feature');
SET ROLE regress_ha_cy;
SELECT ts_commit('ha', '{"cfg": {"pool": 10, "mode": "b", "ttl": 60}, "tags": ["w", "x", "y"], "n": 0}',
                 'ttl on feature', branch => 'feature');
SET ROLE regress_ha_ann;
SELECT ts_patch('ha', '{"n": 1}', 'n 1');
SELECT ts_merge('ha', 'feature', 'main', message => 'merge feature');
SELECT ts_patch('ha', '{"cfg": {"pool": 20}}', 'pool 20');
RESET ROLE;

-- what the index holds: exact rows are expanded leaves of added values
SELECT version, exact, path FROM ts_internal.version_paths p
  JOIN ts_internal.stores s USING (store_id) WHERE s.name = 'ha' ORDER BY version, path;

-- path history: every version on the ancestry whose value at the path differs
SELECT version, author, message, old_value, new_value FROM ts_path_history('ha', '{cfg,pool}');
SELECT version, message, old_value, new_value FROM ts_path_history('ha', '{cfg}');
-- an array element: by index, the prepend moved every element
SELECT version, message, old_value, new_value FROM ts_path_history('ha', '{tags,1}');
-- the no-op merge patch changed nothing
SELECT version, message FROM ts_path_history('ha', '{n}');
-- a path that never existed, and one below a scalar
SELECT count(*) FROM ts_path_history('ha', '{nope}');
SELECT count(*) FROM ts_path_history('ha', '{n,deeper}');
-- on another branch
SELECT version, message FROM ts_path_history('ha', '{cfg,ttl}', 'feature');
SELECT version, message FROM ts_path_history('ha', '{n}', 'feature');
-- the root: every version that changed anything
SELECT array_agg(version ORDER BY version DESC) FROM ts_path_history('ha', '{}');
-- ts_log's path filter agrees (through the merge, or first parents only)
SELECT version, message FROM ts_log('ha', path => '{cfg,ttl}');
SELECT version, message FROM ts_log('ha', path => '{cfg,ttl}', first_parent => true);
SELECT version FROM ts_log('ha', path => '{cfg}', author => 'regress_ha_bob');
SELECT version FROM ts_log('ha', path => '{cfg}', exclude => 'before-feature');
SELECT version FROM ts_log('ha', path => '{cfg}', max_count => 2);

-- blame: the ttl came from the feature branch, blamed there, not on the merge
SELECT path, value, version, author FROM ts_blame('ha');
-- revision forms
SELECT path, value, version FROM ts_blame('ha', 'main~2');
SELECT path, value, version FROM ts_blame('ha', 'before-feature') WHERE path[1] = 'cfg';
SELECT encode(hash, 'hex') AS h3 FROM ts_version('ha', '3') \gset
SELECT path, version FROM ts_blame('ha', 'h:' || substr(:'h3', 1, 10)) WHERE path[1] = 'cfg';
SELECT path, version FROM ts_blame('ha', 'main@{now}~1') WHERE path[1] = 'cfg';
SELECT path, version FROM ts_blame('ha', 'feature^') WHERE path[1] = 'cfg';
SELECT ts_checkout('ha', 'feature');
SELECT path, version FROM ts_blame('ha') WHERE path[1] = 'cfg';
RESET temporal_store.checkout;

-- a value the merge took from the branch is blamed on the branch's version;
-- one main changed is blamed on main's
SELECT ts_create('hb', '{"k": 1, "m": 1}');
SELECT ts_branch('hb', 'b');
SELECT ts_commit('hb', '{"k": 2, "m": 1}', branch => 'b');
SELECT ts_commit('hb', '{"k": 1, "m": 2}');
SELECT ts_merge('hb', 'b', 'main');
SELECT path, value, version FROM ts_blame('hb');
SELECT version FROM ts_path_history('hb', '{k}');

-- stats: per author over the branch's ancestry
SELECT author, commits, paths_changed, first_commit <= last_commit AS ordered,
       mean_interval IS NULL AS single FROM ts_stats('ha') ORDER BY author;
SELECT author, commits FROM ts_stats('ha', 'feature') ORDER BY author;
-- mean_interval and busiest_hour agree with the log
SELECT s.author,
       abs(extract(epoch FROM s.mean_interval - (s.last_commit - s.first_commit) / (s.commits - 1))) < 0.00001 AS mean_ok,
       s.busiest_hour = (SELECT mode() WITHIN GROUP (ORDER BY extract(hour FROM l.committed_at AT TIME ZONE 'UTC'))
                         FROM ts_log('ha') l WHERE l.author = s.author) AS hour_ok
  FROM ts_stats('ha') s WHERE s.commits > 1 ORDER BY s.author;
SELECT path, changes, authors FROM ts_path_stats('ha');
SELECT path, changes, authors FROM ts_path_stats('ha', depth => 1);
SELECT path, changes, authors FROM ts_path_stats('ha', 'feature', 0);
SELECT count(*) = 1 AS one FROM ts_path_stats('ha') WHERE last_changed = (SELECT max(committed_at) FROM ts_log('ha'));

-- the index is used: 300 versions, a path changed by 3 of them
SELECT ts_create('hc', '{"k": 0, "n": 0}');
DO $$ BEGIN
  FOR i IN 1..300 LOOP
    PERFORM ts_patch('hc', jsonb_build_object('n', i));
    IF i % 100 = 0 THEN PERFORM ts_patch('hc', jsonb_build_object('k', i)); END IF;
  END LOOP;
END $$;
SELECT version, old_value, new_value FROM ts_path_history('hc', '{k}');
-- candidates: the versions the index named; runs: stretches of the graph
-- walked; states: versions read to show values (4 versions and 3 parents)
SELECT ts_internal.history_index_reads();
SELECT count(*) FROM ts_log('hc', path => '{k}');
SELECT ts_internal.history_index_reads();
SELECT path, version FROM ts_blame('hc');
SELECT (ts_internal.history_index_reads() ->> 'candidates')::int < 310 AS bounded;

-- compaction: the log entries and the index stay; values of compacted
-- versions read as NULL
SELECT ts_create('hd', '{"a": 1, "b": 1}');
SELECT ts_patch('hd', '{"a": 2}');
SELECT ts_patch('hd', '{"b": 2}');
SELECT ts_patch('hd', '{"a": 3}');
SELECT pg_sleep(0.01);
SELECT now() AS cut \gset
SELECT pg_sleep(0.01);
SELECT ts_patch('hd', '{"b": 3}');
SELECT ts_compact('hd', :'cut') > 0 AS compacted;
SELECT version, old_value, new_value FROM ts_path_history('hd', '{a}');
SELECT version FROM ts_log('hd', path => '{a}');
SELECT path, value, version FROM ts_blame('hd');
SELECT author, commits, paths_changed FROM ts_stats('hd');
SELECT path, changes FROM ts_path_stats('hd');
SELECT * FROM ts_blame('hd', '2');
\echo :LAST_ERROR_SQLSTATE

-- errors: nothing is written
SELECT count(*) AS rows_before FROM ts_internal.version_paths \gset
SELECT * FROM ts_path_history(NULL, '{a}');
SELECT * FROM ts_path_history('ha', NULL);
SELECT * FROM ts_path_history('ha', '{a,NULL}');
SELECT * FROM ts_path_history('ha', '{{a,b},{c,d}}');
SELECT * FROM ts_path_history('nosuch', '{a}');
SELECT * FROM ts_path_history('ha', '{a}', 'nosuch');
SELECT * FROM ts_log('ha', path => '{a,NULL}');
SELECT * FROM ts_blame(NULL);
SELECT * FROM ts_blame('ha', 'main~99');
SELECT * FROM ts_blame('ha', 'main~~x');
SELECT * FROM ts_blame('ha', 'nosuch');
SELECT * FROM ts_stats(NULL);
SELECT * FROM ts_stats('ha', 'nosuch');
SELECT * FROM ts_path_stats(NULL);
SELECT * FROM ts_path_stats('ha', NULL, -1);
SELECT count(*) = :rows_before AS unchanged FROM ts_internal.version_paths;

-- access: read is needed
CREATE ROLE regress_ha_none;
CREATE ROLE regress_ha_reader;
SELECT ts_grant('ha', 'regress_ha_reader', 'read');
SET ROLE regress_ha_none;
SELECT * FROM ts_path_history('ha', '{n}');
SELECT * FROM ts_blame('ha');
SELECT * FROM ts_stats('ha');
SELECT * FROM ts_path_stats('ha');
SELECT * FROM ts_log('ha', path => '{n}');
SELECT * FROM ts_internal.version_paths;
SET ROLE regress_ha_reader;
SELECT version FROM ts_path_history('ha', '{n}');
SELECT count(*) FROM ts_blame('ha');
RESET ROLE;

-- ts_drop removes the store's index rows
SELECT count(*) > 0 AS has_rows FROM ts_internal.version_paths p JOIN ts_internal.stores s USING (store_id)
  WHERE s.name = 'hc';
SELECT ts_drop('hc');
SELECT count(*) FROM ts_internal.version_paths p JOIN ts_internal.stores s USING (store_id)
  WHERE s.name = 'hc' AND s.dropped_at IS NOT NULL;
-- rebuilding from the states gives the rows the commits wrote (a store
-- without compacted versions)
CREATE TEMP TABLE ha_rows AS SELECT store_id, version, exact, path FROM ts_internal.version_paths
  WHERE store_id IN (SELECT store_id FROM ts_internal.stores WHERE name IN ('ha', 'hb'));
SELECT ts_internal.rebuild_history_index() > 0 AS rebuilt;
SELECT count(*) AS differences FROM (
  (SELECT * FROM ha_rows EXCEPT ALL SELECT store_id, version, exact, path FROM ts_internal.version_paths)
  UNION ALL
  (SELECT store_id, version, exact, path FROM ts_internal.version_paths
    WHERE store_id IN (SELECT store_id FROM ha_rows) EXCEPT ALL SELECT * FROM ha_rows)) d;
SELECT ts_drop('ha');
SELECT ts_drop('hb');
SELECT ts_drop('hd');
DROP ROLE regress_ha_none;
DROP ROLE regress_ha_reader;
DROP ROLE regress_ha_ann;
DROP ROLE regress_ha_bob;
DROP ROLE regress_ha_cy;
