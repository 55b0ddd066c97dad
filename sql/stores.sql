--
-- stores: ts_create, ts_drop, ts_stores
--
\set VERBOSITY sqlstate

-- ts_create returns the handle; initial state defaults to {}
SELECT ts_create('st_default');
SELECT ts_head('st_default');
SELECT ts_create('st_obj', '{"a": 1, "b": [1, 2]}', 'first', '{"k": "v"}');
SELECT ts_head('st_obj');
SELECT version, parents, branch, author, message, metadata, event_type
  FROM ts_version('st_obj', '1');
SELECT pg_typeof(ts_create('st_typed', 'null'));
SELECT ts_head('st_typed');
-- explicit NULL where the default is a value means the default
SELECT ts_create('st_nullinit', NULL);
SELECT ts_head('st_nullinit');
SELECT ts_create('st_nullmeta', '[]', NULL, NULL);
SELECT message, metadata FROM ts_version('st_nullmeta', '1');
-- named arguments
SELECT ts_create(name => 'st_named', initial => '7', message => 'seven', metadata => '{"n": 7}');
SELECT ts_head('st_named'), (ts_version('st_named', 'HEAD')).message;

-- duplicate name: 42710, case-sensitive names are distinct
SELECT ts_create('st_obj');
SELECT ts_create('st_obj', '{"other": true}');
SELECT ts_head('st_obj');
SELECT ts_create('ST_OBJ', '{"upper": true}');
SELECT ts_head('ST_OBJ'), ts_head('st_obj');

-- valid names: any characters but control characters, 1..63 characters
SELECT ts_create('st with spaces and "quotes"');
SELECT ts_create('st-HEAD~1^2:@{x}..y');
SELECT ts_create('42');
SELECT ts_create('HEAD');
SELECT ts_create(repeat('n', 63));
SELECT ts_create('st_' || repeat('é', 60));
SELECT length('st_' || repeat('é', 60)) AS chars, octet_length('st_' || repeat('é', 60)) AS bytes;
SELECT ts_head('st with spaces and "quotes"'), ts_head('42'), ts_head('HEAD');
-- invalid names: 22023
SELECT ts_create('');
SELECT ts_create(repeat('n', 64));
SELECT ts_create('st_' || repeat('é', 61));
SELECT ts_create(E'st_tab\there');
SELECT ts_create(E'st_nl\n');
SELECT ts_create(E'st_\x01');
-- NULL name: 22004
SELECT ts_create(NULL);
SELECT ts_create(NULL, '{}');

-- ts_stores: one row per live store
SELECT store, owner, versions, branches, head_version, bytes > 0 AS has_bytes
  FROM ts_stores() WHERE store::text LIKE 'st\_%' ORDER BY store;
SELECT count(*) FROM ts_stores() WHERE store IN ('42', 'HEAD', 'ST_OBJ');
SELECT ts_commit('st_obj', '{"a": 2}');
SELECT ts_commit('st_obj', '{"a": 3}');
SELECT ts_branch('st_obj', 'dev');
SELECT ts_commit('st_obj', '{"a": 4}', branch => 'dev');
-- head_version is main's head; versions count all branches
SELECT store, versions, branches, head_version FROM ts_stores() WHERE store = 'st_obj';
SELECT created_at <= (ts_version('st_obj', '1')).committed_at AS created_first
  FROM ts_stores() WHERE store = 'st_obj';
SELECT created_at > now() - interval '1 hour' AS recent FROM ts_stores() WHERE store = 'st_obj';
SELECT pg_typeof(store) FROM ts_stores() WHERE store = 'st_obj';

-- ts_drop
SELECT ts_drop('st_default');
SELECT count(*) FROM ts_stores() WHERE store::text = 'st_default';
SELECT ts_head('st_default');
SELECT ts_commit('st_default', '{}');
SELECT ts_drop('st_default');
SELECT ts_drop(NULL);
SELECT 'st_default'::temporal_store;
-- a dropped name can be reused; the new store starts a fresh history
SELECT ts_create('st_default', '{"again": true}');
SELECT version, parents, event_type FROM ts_log('st_default');
SELECT ts_head('st_default');
SELECT versions, head_version FROM ts_stores() WHERE store = 'st_default';
-- dropping inside a rolled-back transaction keeps the store
BEGIN;
SELECT ts_drop('st_obj');
SELECT count(*) FROM ts_stores() WHERE store::text = 'st_obj';
ROLLBACK;
SELECT ts_head('st_obj'), ts_head('st_obj', 'dev');
-- creating inside a rolled-back transaction leaves nothing
BEGIN;
SELECT ts_create('st_rolled_back');
ROLLBACK;
SELECT count(*) FROM ts_stores() WHERE store::text = 'st_rolled_back';
SELECT ts_create('st_rolled_back', '1');
SELECT version FROM ts_log('st_rolled_back');

-- clean up
SELECT ts_drop(store) FROM ts_stores()
 WHERE store::text LIKE 'st\_%' OR store::text LIKE 'st %' OR store::text LIKE 'st-%'
    OR store IN ('42', 'HEAD', 'ST_OBJ') OR store::text = repeat('n', 63);
SELECT count(*) FROM ts_stores()
 WHERE store::text LIKE 'st\_%' OR store::text LIKE 'st %' OR store::text LIKE 'st-%';
