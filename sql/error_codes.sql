--
-- error_codes: every error a user can cause has a SQLSTATE of its own
-- class (22xxx, 42xxx, 40001, TS00x, 54001, 55000 ...), never XX000 or
-- XX001. XX001 stays for stored data damaged outside the extension, and
-- then names the store and the version.
--
\set VERBOSITY sqlstate

SELECT ts_create('ec', '{"a": 1, "arr": [1, 2], "n": {"k": 1}}');
SELECT ts_patch('ec', '{"b": 2}');
SELECT ts_patch('ec', '{"c": 3}');
SELECT ts_branch('ec', 'dev');

-- malformed or failing JSON Patches (22023)
SELECT ts_json_patch('{}', '[{"op": "bogus", "path": "/a"}]');
SELECT ts_json_patch('{}', '[{"op": "add"}]');
SELECT ts_json_patch('{}', '[{"op": "add", "path": "a", "value": 1}]');
SELECT ts_json_patch('{}', '[{"op": "remove", "path": "/missing"}]');
SELECT ts_json_patch('{}', '[{"op": "test", "path": "", "value": 1}]');
SELECT ts_json_patch('[]', '[{"op": "add", "path": "/5", "value": 1}]');
SELECT ts_json_patch('[]', '[{"op": "add", "path": "/01", "value": 1}]');
SELECT ts_json_patch('{}', '[{"op": "move", "from": "/a", "path": "/b"}]');
SELECT ts_json_patch('{"a": {}}', '[{"op": "move", "from": "/a", "path": "/a/b"}]');
SELECT ts_json_patch('{}', '[1]');
SELECT ts_json_patch('{}', '{"op": "add"}');
SELECT ts_patch('ec', '[{"op": "replace", "path": "/zzz", "value": 1}]');
SELECT ts_patch('ec', '[{"op": "add", "path": "/arr/9", "value": 1}]');
-- merges
SELECT ts_json_merge3('{}', '{}', '{}', 'bogus');
SELECT ts_json_merge3('{"a": 1}', '{"a": 2}', '{"a": 3}');
SELECT ts_merge('ec', 'dev', strategy => 'bogus');
SELECT ts_merge('ec', 'dev', resolved => '{}');
SELECT ts_merge('ec', 'nonexistent');
-- revisions (22P02) and unknown objects (42704)
SELECT ts_as_of('ec', 'main~~x');
SELECT ts_as_of('ec', 'h:12');
SELECT ts_as_of('ec', '@{now}');
SELECT ts_as_of('ec', 'main@{not a time}');
SELECT ts_as_of('ec', 'main@{2000-01-01}');
SELECT ts_as_of('ec', 'main~99');
SELECT ts_as_of('ec', 'h:0000000');
SELECT ts_as_of('ec', 99::bigint);
SELECT ts_as_of('ec', -1::bigint);
SELECT ts_as_of('ec', 'v99999999999999999999');
SELECT ts_head('ec', 'nobranch');
SELECT ts_head('nostore');
SELECT ts_step('ec', 'main', 5);
SELECT ts_step('ec', 'main', -9);
-- names (22023), duplicates (42710)
SELECT ts_create(repeat('x', 64));
SELECT ts_create('ec');
SELECT ts_branch('ec', 'dev');
SELECT ts_tag('ec', 'dev');
SELECT ts_branch('ec', 'HEAD');
SELECT ts_rename_branch('ec', 'main', 'x');
SELECT ts_drop_branch('ec', 'main');
-- arguments
SELECT ts_grant('ec', 'nobody_at_all', 'read');
SELECT ts_grant('ec', current_user, 'superpower');
SELECT ts_revert('ec', '1');
SELECT ts_commit('ec', '{}', expected_head => 1);
SELECT ts_snapshot('ec', 'nope');
SELECT ts_compact('ec', NULL);
-- settings
SET temporal_store.snapshot_interval = -1;
SET temporal_store.cache_size = 'lots';
SELECT ts_checkout('ec', 'nobranch');
-- documents
SELECT ts_commit('ec', (repeat('[', 20000) || repeat(']', 20000))::jsonb);
-- (jsonb's own input stops at the stack depth limit before the missing
-- brackets: at the default max_stack_depth, which an ASan build raises)
SET max_stack_depth = '2MB';
SELECT ts_json_diff(repeat('[', 20000)::jsonb, '1');
RESET max_stack_depth;
-- the type
SELECT ''::temporal_store;
SELECT E'a\nb'::temporal_store;

-- the role-binding trigger misused by a superuser: 39P01, 42703
CREATE TABLE ec_t (n text, o oid);
CREATE TRIGGER ec_upd BEFORE UPDATE ON ec_t FOR EACH ROW EXECUTE FUNCTION ts_internal.bind_role('n', 'o');
INSERT INTO ec_t VALUES ('x', 0);
UPDATE ec_t SET n = 'y';
CREATE TRIGGER ec_ins BEFORE INSERT ON ec_t FOR EACH ROW EXECUTE FUNCTION ts_internal.bind_role('nope', 'o');
INSERT INTO ec_t VALUES ('z', 0);
DROP TABLE ec_t;

-- what did not fail was not written
SELECT count(*) AS versions FROM ts_log('ec');

SELECT ts_drop('ec');

-- Stored data damaged outside the extension: XX001, naming the store and
-- the version (each read in a new session, so no cached state hides it).
SELECT ts_create('ec_damaged', '{"a": 1}');
SELECT ts_patch('ec_damaged', '{"b": 2}');
SELECT ts_patch('ec_damaged', '{"c": 3}');
CREATE FUNCTION ec_payload(v bigint) RETURNS bytea LANGUAGE sql AS $$
  SELECT payload FROM ts_internal.versions
   WHERE store_id = (SELECT store_id FROM ts_internal.stores WHERE name = 'ec_damaged' AND dropped_at IS NULL)
     AND version = v
$$;
CREATE FUNCTION ec_damage(v bigint, bytes bytea) RETURNS void LANGUAGE sql AS $$
  UPDATE ts_internal.versions SET payload = bytes
   WHERE store_id = (SELECT store_id FROM ts_internal.stores WHERE name = 'ec_damaged' AND dropped_at IS NULL)
     AND version = v
$$;
SELECT ec_payload(2) AS good2 \gset
\set VERBOSITY default
-- version 2: bytes that are no payload at all
SELECT ec_damage(2, '\x00ff');
\c
SELECT ts_head('ec_damaged');
\echo :LAST_ERROR_SQLSTATE
\c
SELECT ts_as_of('ec_damaged', 'main~1');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_as_of('ec_damaged', 1::bigint);
\c
SELECT ts_patch('ec_damaged', '{"e": 5}');
\echo :LAST_ERROR_SQLSTATE
\c
SELECT ts_snapshot('ec_damaged');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM ts_verify('ec_damaged');
SELECT count(*) FROM ts_events('ec_damaged');
\echo :LAST_ERROR_SQLSTATE
-- repaired, it reads again
SELECT ec_damage(2, :'good2');
\c
SELECT ts_head('ec_damaged');
SELECT ts_drop('ec_damaged');
DROP FUNCTION ec_payload(bigint);
DROP FUNCTION ec_damage(bigint, bytea);
