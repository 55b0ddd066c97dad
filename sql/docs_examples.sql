--
-- docs_examples: every example of docs/reference.md and docs/concepts.md
-- and the worked examples of docs/branching.md.
-- The documents copy their output from expected/docs_examples.out; change
-- both together. Nothing prints a timestamp or a hash: where one matters,
-- a derived boolean is printed instead.
--
-- Each "-- example: NAME" line starts a block that docs/sync_examples.py
-- copies into the documents (NAME "-" marks test scaffolding, not shown).
-- After an error, "\echo :LAST_ERROR_SQLSTATE" prints its SQLSTATE; the
-- documents show it in the error line, as psql's VERBOSITY verbose does.

-- example: -
\pset null '(null)'
CREATE ROLE alice;
CREATE ROLE bob;
GRANT CREATE ON SCHEMA public TO alice;
SET ROLE alice;


-- example: ts_create
SELECT ts_create('config', '{"theme": "light", "retries": 3}',
                 'initial settings', '{"ticket": "OPS-1"}');
SELECT ts_create('empty');
SELECT ts_head('empty');
SELECT ts_create('config');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_create('');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_create(NULL);
\echo :LAST_ERROR_SQLSTATE


-- example: type
SELECT 'config'::temporal_store;
SELECT 'Config'::temporal_store;
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE app_settings (app text PRIMARY KEY, store temporal_store UNIQUE);
INSERT INTO app_settings VALUES ('web', 'config'), ('batch', 'empty');
SELECT a.app, s.store, s.head_version
  FROM app_settings a JOIN ts_stores() s ON s.store = a.store
 ORDER BY s.store;
-- a parameter bound as text needs an explicit cast
PREPARE head_of(text) AS SELECT ts_head($1);
\echo :LAST_ERROR_SQLSTATE
PREPARE head_of(text) AS SELECT ts_head($1::temporal_store);
EXECUTE head_of('config');
SELECT store::text AS name FROM app_settings WHERE store = 'empty';


-- example: ts_stores
SELECT store, owner, versions, branches, head_version, bytes > 0 AS has_bytes
  FROM ts_stores() ORDER BY store;


-- example: ts_drop
DROP TABLE app_settings;
SELECT ts_drop('empty');
SELECT ts_head('empty');
\echo :LAST_ERROR_SQLSTATE


-- example: ts_commit
SELECT ts_commit('config', '{"theme": "dark", "retries": 3}', 'dark mode');
SELECT ts_commit('config', '{"theme": "dark", "retries": 5}',
                 message => 'more retries', metadata => '{"ticket": "OPS-7"}',
                 expected_head => 2);
SELECT ts_commit('config', '{"theme": "blue", "retries": 5}', expected_head => 2);
\echo :LAST_ERROR_SQLSTATE
SELECT ts_commit('config', NULL);
\echo :LAST_ERROR_SQLSTATE


-- example: ts_patch
SELECT ts_patch('config', '[{"op": "replace", "path": "/retries", "value": 4},
                            {"op": "add", "path": "/limits", "value": {"rps": 100}}]',
                'json patch');
SELECT ts_patch('config', '{"limits": {"burst": 20}, "retries": null}', 'merge patch');
SELECT ts_head('config');
SELECT ts_patch('config', '[{"op": "test", "path": "/theme", "value": "light"}]');
\echo :LAST_ERROR_SQLSTATE


-- example: ts_restore
SELECT ts_restore('config', 'v1', 'back to the initial settings');
SELECT ts_head('config') = ts_as_of('config', 1::bigint) AS same_as_v1;


-- example: ts_head
SELECT ts_head('config');
SELECT ts_head('config', 'main');
SELECT ts_head('config', 'nope');
\echo :LAST_ERROR_SQLSTATE


-- example: ts_as_of
SELECT ts_as_of('config', 2);
SELECT ts_as_of('config', 'HEAD~2');
SELECT committed_at AS t3 FROM ts_version('config', '3') \gset
SELECT ts_as_of('config', :'t3'::timestamptz);
SELECT ts_as_of('config', :'t3'::timestamptz - interval '1 microsecond');
SELECT ts_as_of('config', '2000-01-01 00:00:00+00'::timestamptz) IS NULL AS before_creation;
SELECT ts_as_of('config', 42);
\echo :LAST_ERROR_SQLSTATE


-- example: revisions
SELECT rev, ts_resolve('config', rev)
  FROM unnest(ARRAY['3', 'v3', 'HEAD', 'main', 'main~2', 'HEAD^', 'main~0']) AS rev;

-- example: ts_resolve
SELECT ts_resolve('config',
                  'h:' || left(encode((ts_version('config', '2')).hash, 'hex'), 7)) AS by_hash;
SELECT ts_resolve('config', 'main~9');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_resolve('config', 'main~x');
\echo :LAST_ERROR_SQLSTATE


-- example: ts_step
SELECT ts_step('config', 'HEAD', -2) AS back_two,
       ts_step('config', '3', 1) AS forward_one,
       ts_step('config', '3', 0) AS same;
SELECT ts_step('config', 'HEAD', 1);
\echo :LAST_ERROR_SQLSTATE


-- example: ts_version
SELECT version, parents, branch, author, message, metadata, event_type,
       length(hash) AS hash_bytes
  FROM ts_version('config', '3');


-- example: ts_log
SELECT version, parents, branch, author, message, event_type FROM ts_log('config');
SELECT version, message FROM ts_log('config', path => '{limits}');
SELECT version, message FROM ts_log('config', max_count => 2);
SELECT version, message FROM ts_log('config', exclude => 'v3');
SELECT version FROM ts_log('config', since => :'t3', until => :'t3');


-- example: ts_diff
SELECT ts_diff('config', 'v1', 'v5');
SELECT ts_diff('config', 'HEAD', 'HEAD');


-- example: ts_path_history
SELECT version, author, message, old_value, new_value FROM ts_path_history('config', '{limits,rps}');
SELECT version, message FROM ts_path_history('config', '{limits}', 'main');


-- example: ts_blame
SELECT path, value, version, author FROM ts_blame('config');
SELECT path, value, version FROM ts_blame('config', 'v2');


-- example: ts_stats
SELECT author, commits, paths_changed, mean_interval IS NOT NULL AS has_interval,
       busiest_hour BETWEEN 0 AND 23 AS hour_ok
  FROM ts_stats('config');


-- example: ts_path_stats
SELECT path, changes, authors FROM ts_path_stats('config');
SELECT path, changes, authors FROM ts_path_stats('config', depth => 1);


-- example: ts_events
SELECT seq, event_type, version, branch, parents, message,
       payload ->> 'encoding' AS encoding
  FROM ts_events('config');
SELECT seq, payload FROM ts_events('config') WHERE seq IN (1, 4, 5);
SELECT seq, event_type, version FROM ts_events('config', after_seq => 4);


-- example: ts_changes
SELECT store, seq, version, event_type FROM ts_changes();
SELECT store, seq, event_type FROM ts_changes(0, 2);
SELECT store, seq, event_type
  FROM ts_changes((SELECT max(change_id) FROM ts_changes(0, 2)), 2);
SET ROLE bob;
SELECT count(*) FROM ts_changes();
SET ROLE alice;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT * FROM ts_changes();
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;


-- example: ts_json_diff
SELECT ts_json_diff('{"a": 1, "b": [1, 2]}', '{"a": 1.0, "b": [1, 2, 3]}');

-- example: ts_json_patch
SELECT ts_json_patch('{"a": 1}', '[{"op": "add", "path": "/b", "value": [true]}]');
SELECT ts_json_patch('{"a": 1}', '[{"op": "remove", "path": "/x"}]');
\echo :LAST_ERROR_SQLSTATE

-- example: ts_json_merge_patch
SELECT ts_json_merge_patch('{"a": 1, "b": {"c": 2}}', '{"a": null, "b": {"d": 3}}');

-- example: ts_json_merge3
SELECT ts_json_merge3('{"a": 1, "b": 1}', '{"a": 2, "b": 1}', '{"a": 1, "b": 3}');
SELECT ts_json_merge3('{"a": 1}', '{"a": 2}', '{"a": 3}');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_json_merge3('{"a": 1}', '{"a": 2}', '{"a": 3}', 'theirs');
SELECT ts_json_merge3(NULL, '{}', '{}') IS NULL AS strict;

-- example: too-deep
SELECT ts_json_patch((repeat('[', 10000) || repeat(']', 10000))::jsonb,
                     jsonb_build_array(jsonb_build_object(
                       'op', 'add', 'path', repeat('/0', 9999),
                       'value', (repeat('[', 7000) || repeat(']', 7000))::jsonb)));
\echo :LAST_ERROR_SQLSTATE


-- example: ts_grant
SET ROLE bob;
SELECT ts_head('config');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM ts_internal.versions;
\echo :LAST_ERROR_SQLSTATE
SET ROLE alice;
SELECT ts_grant('config', 'bob', 'read');
SET ROLE bob;
SELECT ts_head('config');
SELECT ts_commit('config', '{}');
\echo :LAST_ERROR_SQLSTATE
SELECT store, owner FROM ts_stores();
SET ROLE alice;
SELECT ts_grant('config', 'bob', 'write');
SET ROLE bob;
SELECT ts_patch('config', '{"owner_team": "ops"}', 'from bob');

-- example: ts_revoke
SET ROLE alice;
SELECT ts_revoke('config', 'bob', 'write');
SET ROLE bob;
SELECT ts_patch('config', '{"owner_team": null}');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_head('config') ->> 'owner_team' AS still_readable;
SET ROLE alice;
SELECT ts_revoke('config', 'bob', 'read');

-- example: ts_grant-errors
SELECT ts_grant('config', 'nobody', 'read');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_grant('config', 'bob', 'owner');
\echo :LAST_ERROR_SQLSTATE


-- example: ts_branch
SELECT ts_branch('config', 'staging');
SELECT ts_branch('config', 'hotfix', 'v3');
SELECT ts_patch('config', '{"beta": true}', 'beta flag', branch => 'staging');

-- example: ts_branches
SELECT branch, head_version, created_from, ahead, behind FROM ts_branches('config');

-- example: ts_branch-errors
SELECT ts_branch('config', 'staging');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_branch('config', 'v2');
\echo :LAST_ERROR_SQLSTATE


-- example: ts_checkout
SELECT ts_checkout('config', 'staging');
SHOW temporal_store.checkout;
SELECT ts_head('config') ->> 'beta' AS beta, ts_resolve('config', 'HEAD') AS head;
BEGIN;
SELECT ts_checkout('config', 'hotfix');
SELECT ts_resolve('config', 'HEAD') AS head_in_transaction;
ROLLBACK;
SELECT ts_resolve('config', 'HEAD') AS head_after_rollback;
RESET temporal_store.checkout;
SELECT ts_resolve('config', 'HEAD') AS head_after_reset;


-- example: ts_rename_branch
SELECT ts_rename_branch('config', 'hotfix', 'fix-1');
SELECT branch, head_version FROM ts_branches('config');

-- example: ts_drop_branch
SELECT ts_drop_branch('config', 'fix-1');
SELECT ts_drop_branch('config', 'main');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_as_of('config', 3::bigint) IS NOT NULL AS version_3_still_readable;


-- example: ts_tag
SELECT ts_tag('config', 'release-1', 'v5', 'first release');
SELECT ts_tag('config', 'current');

-- example: ts_tags
SELECT tag, version, author, message FROM ts_tags('config');
SELECT ts_as_of('config', 'release-1') = ts_as_of('config', 5::bigint) AS same;

-- example: ts_drop_tag
SELECT ts_drop_tag('config', 'current');
SELECT ts_tag('config', 'staging');
\echo :LAST_ERROR_SQLSTATE


-- example: ts_reset
SELECT ts_branch('config', 'experiment');
SELECT ts_patch('config', '{"theme": "neon"}', branch => 'experiment');
SELECT ts_reset('config', 'experiment', 'experiment~1', 'drop the neon idea');
SELECT branch, head_version FROM ts_branches('config') WHERE branch = 'experiment';
SELECT event_type, version, payload FROM ts_events('config') ORDER BY seq DESC LIMIT 1;


-- example: ts_merge_base
SELECT ts_patch('config', '{"retries": 4}', 'retry more');
SELECT ts_merge_base('config', 'main', 'staging');

-- example: ts_merge
SELECT * FROM ts_merge_conflicts('config', 'staging');
SELECT ts_merge('config', 'staging', message => 'ship beta flag');
SELECT version, parents, event_type, message FROM ts_version('config', 'main');
SELECT ts_head('config');
SELECT ts_merge('config', 'staging');
SELECT ts_merge('config', 'main', target => 'staging');
SELECT ts_patch('config', '{"theme": "neon"}', branch => 'experiment');
SELECT ts_patch('config', '{"theme": "dark"}');
SELECT ts_merge('config', 'experiment', strategy => 'fast_forward');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_merge('config', 'experiment');
\echo :LAST_ERROR_SQLSTATE

-- example: ts_merge_conflicts
SELECT * FROM ts_merge_conflicts('config', 'experiment');
SELECT ts_merge('config', 'experiment', strategy => 'ours');
SELECT version, parents, event_type FROM ts_version('config', 'HEAD');
SELECT ts_head('config') ->> 'theme' AS theme;

-- example: ts_merge-errors
SELECT ts_merge('config', 'staging', strategy => 'octopus');
\echo :LAST_ERROR_SQLSTATE


-- example: ts_revert
SELECT ts_revert('config', 'v10', 'undo retry more');
SELECT ts_head('config');
SELECT ts_revert('config', 'v12');
\echo :LAST_ERROR_SQLSTATE

-- example: ts_cherry_pick
SELECT ts_patch('config', '{"timeout": 30}', 'add timeout', branch => 'experiment');
SELECT ts_cherry_pick('config', 'experiment', 'take the timeout');
SELECT ts_head('config');
SELECT ts_cherry_pick('config', 'v1');
\echo :LAST_ERROR_SQLSTATE


-- example: ts_snapshot
SELECT ts_snapshot('config');
SELECT ts_snapshot('config', 'v2');

-- example: ts_compact
SELECT ts_create('audit', '{"step": 1}');
SELECT ts_commit('audit', '{"step": 2}');
SELECT ts_commit('audit', '{"step": 3}');
SELECT ts_tag('audit', 'kept', 'v1');
SELECT ts_compact('audit', now());
SELECT ts_as_of('audit', 2::bigint);
\echo :LAST_ERROR_SQLSTATE
SELECT ts_as_of('audit', 'kept') AS tagged, ts_head('audit') AS head;
SELECT version, parents, event_type FROM ts_log('audit');
SELECT event_type, version, payload ->> 'versions' AS versions
  FROM ts_events('audit') WHERE event_type = 'HistoryCompacted';

-- example: ts_verify
SELECT * FROM ts_verify('config');
SELECT * FROM ts_verify('audit');
-- a payload damaged behind the extension's back (only a superuser can)
SELECT ts_create('ledger', '{"balance": 0}');
SELECT ts_commit('ledger', '{"balance": 10}');
SELECT ts_commit('ledger', '{"balance": 25}');
RESET ROLE;
UPDATE ts_internal.versions SET payload = '\x09'
 WHERE version = 3 AND store_id = (SELECT store_id FROM ts_internal.stores
                                    WHERE name = 'ledger' AND dropped_at IS NULL);
SET temporal_store.cache_size = 0;   -- a superuser's setting
SET ROLE alice;
SELECT * FROM ts_verify('ledger');
SELECT ts_head('ledger');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
RESET temporal_store.cache_size;
SET ROLE alice;


-- example: ts_export
SELECT line - 'hash' - 'committed_at' - 'committed_at_us' #- '{payload,before}' AS line
  FROM ts_export('audit') AS line;
SELECT line ->> 'committed_at' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$' AS iso_utc,
       length(line ->> 'hash') AS hash_digits
  FROM ts_export('audit') AS line WHERE line ->> 'seq' = '1';

-- example: ts_import
CREATE TABLE audit_lines (line jsonb);
INSERT INTO audit_lines SELECT * FROM ts_export('audit');
SELECT ts_import('audit_copy', 'audit_lines');
SELECT ts_head('audit_copy') AS head,
       (ts_version('audit_copy', 'HEAD')).hash = (ts_version('audit', 'HEAD')).hash AS same_hash;
SELECT store, owner, versions FROM ts_stores() WHERE store::text LIKE 'audit%' ORDER BY store;
-- a changed state value: refused, nothing written
UPDATE audit_lines SET line = jsonb_set(line, '{payload,state,step}', '10') WHERE line ->> 'seq' = '1';
\set VERBOSITY terse
SELECT ts_import('audit_forged', 'audit_lines');
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default
SELECT ts_import('audit_copy', 'audit_lines');
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE two_columns (seq int, line jsonb);
SELECT ts_import('audit_forged', 'two_columns');
\echo :LAST_ERROR_SQLSTATE

-- example: -
DROP TABLE audit_lines, two_columns;
SELECT ts_drop('audit_copy');

-- example: ts_worker_start
SELECT ts_worker_start() > 0 AS running;

-- example: -
-- wait until the worker has registered itself in ts_worker_status
DO $$
BEGIN
  FOR i IN 1 .. 300 LOOP
    EXIT WHEN EXISTS (SELECT 1 FROM ts_worker_status()
                       WHERE pid IS NOT NULL AND started_at IS NOT NULL);
    PERFORM ts_worker_start();  -- again, should an idle worker have exited
    PERFORM pg_sleep(0.1);
  END LOOP;
END $$;

-- example: ts_worker_status
SELECT database = current_database() AS this_database, pid > 0 AS running,
       started_at IS NOT NULL AS started, snapshots_built >= 0 AS counted
  FROM ts_worker_status();

-- example: -
-- The worked examples of docs/branching.md.

-- example: guide-diverge
SELECT ts_create('pricing', '{"currency": "EUR", "plans": {"basic": 10, "pro": 30}}',
                 'launch prices');
SELECT ts_branch('pricing', 'spring-sale');
SELECT ts_patch('pricing', '{"plans": {"basic": 8}}', 'spring discount',
                branch => 'spring-sale');
SELECT ts_patch('pricing', '{"currency": "USD"}', 'bill in dollars');
SELECT branch, head_version, created_from, ahead, behind FROM ts_branches('pricing');

-- example: guide-merge
SELECT ts_merge('pricing', 'spring-sale', message => 'merge spring sale');
SELECT ts_head('pricing');
SELECT version, parents, branch, message, event_type FROM ts_log('pricing');
SELECT branch, head_version, ahead, behind FROM ts_branches('pricing');

-- example: guide-conflict
SELECT ts_patch('pricing', '{"plans": {"pro": 25}}', 'cheaper pro', branch => 'spring-sale');
SELECT ts_patch('pricing', '{"plans": {"pro": 35}}', 'pro costs more');
SELECT ts_merge('pricing', 'spring-sale');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM ts_merge_conflicts('pricing', 'spring-sale');

-- example: guide-catch
DO $$
DECLARE d text;
BEGIN
  PERFORM ts_merge('pricing', 'spring-sale');
EXCEPTION WHEN SQLSTATE 'TS001' THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RAISE NOTICE 'conflicting paths: %', d::jsonb;
END $$;

-- example: guide-theirs
BEGIN;
SELECT ts_merge('pricing', 'spring-sale', strategy => 'theirs');
SELECT ts_head('pricing') -> 'plans' AS plans;
ROLLBACK;

-- example: guide-resolved
SELECT ts_merge('pricing', 'spring-sale', message => 'split the difference',
                resolved => jsonb_set(ts_head('pricing'), '{plans,pro}', '28'));
SELECT version, parents, event_type, message FROM ts_version('pricing', 'HEAD');
SELECT ts_head('pricing');

-- example: guide-ff
SELECT ts_branch('pricing', 'vat-note');
SELECT ts_patch('pricing', '{"note": "prices exclude VAT"}', 'add note', branch => 'vat-note');
SELECT ts_merge('pricing', 'vat-note');
SELECT version, parents, branch, event_type FROM ts_version('pricing', 'main');
SELECT event_type, version, branch, payload FROM ts_events('pricing') ORDER BY seq DESC LIMIT 1;

-- example: guide-no-ff
SELECT ts_branch('pricing', 'annual');
SELECT ts_patch('pricing', '{"plans": {"pro_annual": 300}}', 'annual plan', branch => 'annual');
SELECT ts_merge('pricing', 'annual', strategy => 'no_ff', message => 'merge annual plan');
SELECT version, parents, event_type FROM ts_version('pricing', 'main');

-- example: guide-ff-only
SELECT ts_patch('pricing', '{"plans": {"pro_annual": 290}}', 'annual discount', branch => 'annual');
SELECT ts_patch('pricing', '{"note": null}', 'drop note');
SELECT ts_merge('pricing', 'annual', strategy => 'fast_forward');
\echo :LAST_ERROR_SQLSTATE

-- example: guide-revert
SELECT ts_revert('pricing', 'v2', 'end of the spring sale');
SELECT ts_head('pricing') -> 'plans' AS plans;

-- example: guide-cherry-pick
SELECT ts_cherry_pick('pricing', 'annual', 'annual discount on main');
SELECT ts_head('pricing') -> 'plans' AS plans;

-- example: guide-log
SELECT version, parents, message FROM ts_log('pricing', first_parent => true, max_count => 4);
SELECT version, message FROM ts_log('pricing', exclude => 'annual');

-- example: guide-checkout
SELECT ts_checkout('pricing', 'annual');
SELECT ts_patch('pricing', '{"plans": {"pro_annual": 280}}', 'annual: 280');
SELECT ts_head('pricing') #> '{plans,pro_annual}' AS annual,
       ts_head('pricing', 'main') #> '{plans,pro_annual}' AS main;
RESET temporal_store.checkout;

-- example: guide-criss-cross
SELECT ts_create('grid', '{"x": 0, "y": 0}');
SELECT ts_branch('grid', 'left'), ts_branch('grid', 'right');
SELECT ts_patch('grid', '{"x": 1}', branch => 'left');
SELECT ts_patch('grid', '{"y": 1}', branch => 'right');
SELECT ts_merge('grid', 'v3', target => 'left');
SELECT ts_merge('grid', 'v2', target => 'right');
SELECT ts_patch('grid', '{"x": 2}', branch => 'left');
SELECT ts_patch('grid', '{"y": 2}', branch => 'right');
SELECT version, parents FROM ts_log('grid', branch => 'left');
SELECT ts_merge_base('grid', 'left', 'right');

-- example: guide-virtual-base
SELECT ts_json_merge3(ts_as_of('grid', 'v2'), ts_head('grid', 'left'), ts_head('grid', 'right'));
\echo :LAST_ERROR_SQLSTATE
SELECT ts_json_merge3(ts_as_of('grid', 'v3'), ts_head('grid', 'left'), ts_head('grid', 'right'));
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM ts_merge_conflicts('grid', 'right', target => 'left');
SELECT ts_merge('grid', 'right', target => 'left');
SELECT ts_head('grid', 'left');

-- example: guide-time-travel
SELECT committed_at AS t_sale FROM ts_version('pricing', 'v2') \gset
SELECT ts_as_of('pricing', 'spring-sale@{' || :'t_sale' || '}') AS sale_then,
       ts_resolve('pricing', 'main@{' || :'t_sale' || '}') AS main_then;
SELECT ts_as_of('pricing', :'t_sale'::timestamptz, 'spring-sale')
       = ts_as_of('pricing', 'v2') AS same;
SELECT ts_as_of('pricing', :'t_sale'::timestamptz, 'vat-note') IS NULL AS before_branch;
\set VERBOSITY terse
SELECT ts_resolve('pricing', 'vat-note@{' || :'t_sale' || '}');
\set VERBOSITY default
\echo :LAST_ERROR_SQLSTATE

-- example: guide-time-travel-ff
SELECT committed_at AS t_ff FROM ts_events('pricing')
 WHERE payload ->> 'fast_forward' = 'true' \gset
SELECT ts_resolve('pricing', 'main@{' || :'t_ff' || '}') AS at_ff,
       ts_resolve('pricing', 'main@{' || (:'t_ff'::timestamptz - interval '1 microsecond') || '}') AS just_before,
       ts_resolve('pricing', 'main@{' || :'t_ff' || '}~2') AS two_back;

-- example: guide-rules
SELECT ts_json_merge3('{"a": 1, "b": 1}', '{"a": 2, "b": 1}', '{"a": 2, "b": 3}');
SELECT ts_json_merge3('{}', '{"a": {"x": 1}}', '{"a": {"y": 2}}');
SELECT ts_json_merge3('{"tags": ["a"]}', '{"tags": ["a", "b"]}', '{"tags": ["a", "c"]}');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_json_merge3('{"a": {"b": 1, "c": 1}}', '{}', '{"a": {"b": 2, "c": 1}}');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_json_merge3('{"n": 1}', '{"n": 1.0}', '{"n": 1}');
SELECT ts_json_merge3('{"n": 1}', '{"n": 1.0}', '{"n": 1.00}');
\echo :LAST_ERROR_SQLSTATE

-- example: -
-- Clean up: later tests list stores and roles.
SELECT ts_drop(store) FROM ts_stores() WHERE owner = 'alice';
RESET ROLE;
REVOKE CREATE ON SCHEMA public FROM alice;
DROP ROLE alice;
DROP ROLE bob;
