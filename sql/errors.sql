--
-- errors: NULL arguments, invalid patches, bad revisions, unknown objects,
-- extreme input; every failed call leaves the store unchanged
--
\set VERBOSITY sqlstate

SELECT ts_create('er', '{"a": 1, "arr": [1, 2], "s": "x", "n": {"k": 1}}');
SELECT ts_commit('er', '{"a": 2, "arr": [1, 2], "s": "x", "n": {"k": 1}}');
SELECT ts_branch('er', 'dev', '1');
SELECT ts_tag('er', 'first', '1');
-- a fingerprint of everything a store holds
CREATE FUNCTION er_fingerprint(s temporal_store) RETURNS text LANGUAGE sql AS $$
  SELECT md5(concat_ws('|',
    (SELECT string_agg(seq || ':' || event_type || ':' || coalesce(version::text, ''), ',' ORDER BY seq) FROM ts_events(s)),
    (SELECT string_agg(branch || ':' || head_version, ',' ORDER BY branch) FROM ts_branches(s)),
    (SELECT string_agg(tag || ':' || version, ',' ORDER BY tag) FROM ts_tags(s)),
    ts_head(s)::text, ts_head(s, 'dev')::text))
$$;
SELECT er_fingerprint('er') AS fp0 \gset

-- NULL for a required argument: 22004, in every function
SELECT ts_create(NULL);
SELECT ts_drop(NULL);
SELECT ts_commit(NULL, '{}');
SELECT ts_commit('er', NULL);
SELECT ts_patch(NULL, '{}');
SELECT ts_patch('er', NULL);
SELECT ts_restore(NULL, '1');
SELECT ts_restore('er', NULL);
SELECT ts_revert(NULL, '2');
SELECT ts_revert('er', NULL);
SELECT ts_cherry_pick(NULL, '2');
SELECT ts_cherry_pick('er', NULL, branch => 'dev');
SELECT ts_head(NULL);
SELECT ts_as_of(NULL, 1::bigint);
SELECT ts_as_of('er', NULL::bigint);
SELECT ts_as_of(NULL, now());
SELECT ts_as_of('er', NULL::timestamptz);
SELECT ts_as_of('er', NULL::timestamptz, 'main');
SELECT ts_as_of(NULL, 'main');
SELECT ts_as_of('er', NULL::text);
SELECT ts_resolve(NULL, 'main');
SELECT ts_resolve('er', NULL);
SELECT ts_step(NULL, '1', 1);
SELECT ts_step('er', NULL, 1);
SELECT ts_step('er', '1', NULL);
SELECT * FROM ts_version(NULL, '1');
SELECT * FROM ts_version('er', NULL);
SELECT ts_merge_base(NULL, 'main', 'dev');
SELECT ts_merge_base('er', NULL, 'dev');
SELECT ts_merge_base('er', 'main', NULL);
SELECT * FROM ts_log(NULL);
SELECT ts_diff(NULL, '1', '2');
SELECT ts_diff('er', NULL, '2');
SELECT ts_diff('er', '1', NULL);
SELECT * FROM ts_events(NULL);
SELECT * FROM ts_stores() WHERE store::text = 'er' AND versions IS NULL;
SELECT ts_grant(NULL, 'postgres', 'read');
SELECT ts_grant('er', NULL, 'read');
SELECT ts_grant('er', 'postgres', NULL);
SELECT ts_revoke(NULL, 'postgres', 'read');
SELECT ts_revoke('er', NULL, 'read');
SELECT ts_revoke('er', 'postgres', NULL);
SELECT ts_branch(NULL, 'b');
SELECT ts_branch('er', NULL);
SELECT * FROM ts_branches(NULL);
SELECT ts_checkout(NULL, 'main');
SELECT ts_checkout('er', NULL);
SELECT ts_drop_branch(NULL, 'dev');
SELECT ts_drop_branch('er', NULL);
SELECT ts_rename_branch(NULL, 'dev', 'dev2');
SELECT ts_rename_branch('er', NULL, 'dev2');
SELECT ts_rename_branch('er', 'dev', NULL);
SELECT ts_reset(NULL, 'dev', '1');
SELECT ts_reset('er', NULL, '1');
SELECT ts_reset('er', 'dev', NULL);
SELECT ts_tag(NULL, 't');
SELECT ts_tag('er', NULL);
SELECT * FROM ts_tags(NULL);
SELECT ts_drop_tag(NULL, 'first');
SELECT ts_drop_tag('er', NULL);
SELECT ts_merge(NULL, 'dev');
SELECT ts_merge('er', NULL);
SELECT * FROM ts_merge_conflicts(NULL, 'dev');
SELECT * FROM ts_merge_conflicts('er', NULL);
SELECT * FROM ts_log('er', path => ARRAY['a', NULL]);
SELECT ts_snapshot(NULL);
SELECT ts_compact(NULL, now());
SELECT ts_compact('er', NULL);
SELECT * FROM ts_verify(NULL);
-- the JSON functions are STRICT: NULL in, NULL out
SELECT ts_json_diff(NULL, '{}') IS NULL AS d, ts_json_patch(NULL, '[]') IS NULL AS p,
       ts_json_patch('{}', NULL) IS NULL AS p2, ts_json_merge_patch(NULL, '{}') IS NULL AS mp,
       ts_json_merge_patch('{}', NULL) IS NULL AS mp2, ts_json_merge3(NULL, '{}', '{}') IS NULL AS m3,
       ts_json_merge3('{}', '{}', '{}', NULL) IS NULL AS m3s;
-- an explicit NULL where the default is a value means the default
SELECT ts_commit('er', '{"a": 2, "arr": [1, 2], "s": "x", "n": {"k": 1}}', NULL, NULL, NULL, NULL) AS v3;
SELECT metadata FROM ts_version('er', '3');
SELECT ts_merge('er', 'first', NULL, NULL, NULL, NULL, NULL, NULL) AS merged_ancestor;
SELECT count(*) FROM ts_events('er', NULL);
SELECT count(*) FROM ts_log('er', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
SELECT er_fingerprint('er') AS fp0 \gset

-- invalid or failing JSON Patch: 22023
SELECT ts_patch('er', '[{"op": "frob", "path": "/a"}]');
SELECT ts_patch('er', '[{"path": "/a", "value": 1}]');
SELECT ts_patch('er', '[{"op": "add", "value": 1}]');
SELECT ts_patch('er', '[{"op": "add", "path": "/x"}]');
SELECT ts_patch('er', '[{"op": "replace", "path": "/a"}]');
SELECT ts_patch('er', '[{"op": "test", "path": "/a"}]');
SELECT ts_patch('er', '[{"op": "add", "path": "a", "value": 1}]');
SELECT ts_patch('er', '[{"op": "remove", "path": "/nope"}]');
SELECT ts_patch('er', '[{"op": "replace", "path": "/nope", "value": 1}]');
SELECT ts_patch('er', '[{"op": "test", "path": "/a", "value": 3}]');
SELECT ts_patch('er', '[{"op": "test", "path": "/nope", "value": null}]');
SELECT ts_patch('er', '[{"op": "add", "path": "/arr/5", "value": 1}]');
SELECT ts_patch('er', '[{"op": "add", "path": "/arr/01", "value": 1}]');
SELECT ts_patch('er', '[{"op": "add", "path": "/arr/-1", "value": 1}]');
SELECT ts_patch('er', '[{"op": "remove", "path": "/arr/-"}]');
SELECT ts_patch('er', '[{"op": "remove", "path": "/arr/2"}]');
SELECT ts_patch('er', '[{"op": "replace", "path": "/arr/x", "value": 1}]');
SELECT ts_patch('er', '[{"op": "add", "path": "/a/b", "value": 1}]');
SELECT ts_patch('er', '[{"op": "add", "path": "/s/0", "value": 1}]');
SELECT ts_patch('er', '[{"op": "add", "path": "/x/y", "value": 1}]');
SELECT ts_patch('er', '[{"op": "move", "from": "/n", "path": "/n/k2"}]');
SELECT ts_patch('er', '[{"op": "move", "from": "/nope", "path": "/a"}]');
SELECT ts_patch('er', '[{"op": "move", "path": "/a"}]');
SELECT ts_patch('er', '[{"op": "copy", "from": "/nope", "path": "/a"}]');
SELECT ts_patch('er', '[{"op": "copy", "path": "/a"}]');
SELECT ts_patch('er', '[{"op": "add", "path": "/a~2", "value": 1}]');
SELECT ts_patch('er', '[{"op": "add", "path": "/a~", "value": 1}]');
SELECT ts_patch('er', '[{"op": 1, "path": "/a"}]');
SELECT ts_patch('er', '[{"op": "add", "path": 5, "value": 1}]');
SELECT ts_patch('er', '[{"op": "remove", "path": ""}]');
SELECT ts_patch('er', '[1, 2]');
SELECT ts_patch('er', '[null]');
SELECT ts_patch('er', '[[]]');
-- a patch fails as a whole: earlier operations are not kept
SELECT ts_patch('er', '[{"op": "replace", "path": "/a", "value": 99}, {"op": "remove", "path": "/nope"}]');
SELECT ts_head('er');
-- the pure function raises the same errors
SELECT ts_json_patch('{"a": 1}', '[{"op": "remove", "path": "/b"}]');
SELECT ts_json_patch('{"a": 1}', '{"op": "remove", "path": "/a"}');
SELECT ts_json_patch('{"a": 1}', '[{"op": "test", "path": "/a", "value": 1.0}]');
SELECT ts_json_patch('{"a": 1}', '[{"op": "test", "path": "/a", "value": 1}]');
SELECT ts_json_merge3('{}', '{}', '{}', 'bogus');
SELECT ts_json_merge3('{}', '{}', '{}', '');
SELECT er_fingerprint('er') = :'fp0' AS unchanged;

-- bad revision syntax (22P02) and unknown revisions (42704) everywhere
SELECT ts_restore('er', 'main~~x');
SELECT ts_restore('er', '99');
SELECT ts_revert('er', 'h:12');
SELECT ts_revert('er', 'nosuch');
SELECT ts_cherry_pick('er', '^', branch => 'dev');
SELECT ts_cherry_pick('er', 'v99', branch => 'dev');
SELECT ts_branch('er', 'b2', 'main@{');
SELECT ts_branch('er', 'b2', '1~1');
SELECT ts_tag('er', 't2', '..');
SELECT ts_tag('er', 't2', 'nosuch');
SELECT ts_reset('er', 'dev', 'main^^^^^^^^');
SELECT ts_reset('er', 'dev', 'main~x');
SELECT ts_merge('er', 'main@{}', 'dev');
SELECT ts_merge('er', 'nosuch', 'dev');
SELECT * FROM ts_merge_conflicts('er', 'v', 'dev');
SELECT * FROM ts_merge_conflicts('er', 'h:zzzzzzz', 'dev');
SELECT ts_merge_base('er', 'main', '0');
SELECT ts_merge_base('er', '~', 'main');
SELECT ts_as_of('er', 'dev^2');
SELECT ts_as_of('er', 'dev@{x');
SELECT ts_step('er', 'first^', 1);
SELECT ts_snapshot('er', 'main~9');
SELECT ts_snapshot('er', 'main@{');
SELECT * FROM ts_version('er', 'main~3');
SELECT ts_diff('er', 'main', ' dev');
SELECT er_fingerprint('er') = :'fp0' AS unchanged;

-- unknown branch, tag, version: 42704
SELECT ts_head('er', 'nobranch');
SELECT ts_commit('er', '{}', branch => 'nobranch');
SELECT ts_patch('er', '{}', branch => 'nobranch');
SELECT ts_restore('er', '1', branch => 'nobranch');
SELECT ts_revert('er', '2', branch => 'nobranch');
SELECT ts_cherry_pick('er', '2', branch => 'nobranch');
SELECT ts_as_of('er', now(), 'nobranch');
SELECT ts_step('er', '1', 1, 'nobranch');
SELECT * FROM ts_log('er', 'nobranch');
SELECT ts_checkout('er', 'nobranch');
SELECT ts_drop_branch('er', 'nobranch');
SELECT ts_rename_branch('er', 'nobranch', 'x');
SELECT ts_reset('er', 'nobranch', '1');
SELECT ts_merge('er', 'dev', 'nobranch');
SELECT ts_merge('er', 'dev', 'first');
SELECT * FROM ts_merge_conflicts('er', 'dev', 'nobranch');
SELECT ts_drop_tag('er', 'notag');
SELECT ts_drop_tag('er', 'dev');
SELECT ts_drop_branch('er', 'first');
SELECT ts_as_of('er', 0::bigint);
SELECT ts_as_of('er', 99::bigint);
SELECT er_fingerprint('er') = :'fp0' AS unchanged;

-- unknown store: 42704 (a handle kept after its store was dropped)
SELECT ts_create('er_gone');
CREATE TEMP TABLE er_h AS SELECT 'er_gone'::temporal_store AS s;
SELECT ts_drop('er_gone');
SELECT ts_drop(s) FROM er_h;
SELECT ts_commit(s, '{}') FROM er_h;
SELECT ts_patch(s, '{}') FROM er_h;
SELECT ts_restore(s, '1') FROM er_h;
SELECT ts_revert(s, '1') FROM er_h;
SELECT ts_cherry_pick(s, '1') FROM er_h;
SELECT ts_head(s) FROM er_h;
SELECT ts_as_of(s, 1::bigint) FROM er_h;
SELECT ts_as_of(s, now()) FROM er_h;
SELECT ts_as_of(s, 'main') FROM er_h;
SELECT ts_resolve(s, 'main') FROM er_h;
SELECT ts_step(s, '1', 0) FROM er_h;
SELECT (ts_version(s, '1')).version FROM er_h;
SELECT ts_merge_base(s, '1', '1') FROM er_h;
SELECT (SELECT count(*) FROM ts_log(s)) FROM er_h;
SELECT ts_diff(s, '1', '1') FROM er_h;
SELECT (SELECT count(*) FROM ts_events(s)) FROM er_h;
SELECT ts_grant(s, 'postgres', 'read') FROM er_h;
SELECT ts_revoke(s, 'postgres', 'read') FROM er_h;
SELECT ts_branch(s, 'b') FROM er_h;
SELECT (SELECT count(*) FROM ts_branches(s)) FROM er_h;
SELECT ts_checkout(s, 'main') FROM er_h;
SELECT ts_drop_branch(s, 'b') FROM er_h;
SELECT ts_rename_branch(s, 'a', 'b') FROM er_h;
SELECT ts_reset(s, 'main', '1') FROM er_h;
SELECT ts_tag(s, 't') FROM er_h;
SELECT (SELECT count(*) FROM ts_tags(s)) FROM er_h;
SELECT ts_drop_tag(s, 't') FROM er_h;
SELECT ts_merge(s, 'main') FROM er_h;
SELECT (SELECT count(*) FROM ts_merge_conflicts(s, 'main')) FROM er_h;
SELECT ts_snapshot(s) FROM er_h;
SELECT ts_compact(s, now()) FROM er_h;
SELECT (SELECT count(*) FROM ts_verify(s)) FROM er_h;

-- other invalid arguments
SELECT ts_grant('er', 'postgres', 'superpower');
SELECT ts_grant('er', 'no_such_role_xyz', 'read');
SELECT ts_merge('er', 'dev', strategy => 'octopus');
SELECT ts_commit('er', '{}', expected_head => 1);
SELECT ts_commit('er', '{}', expected_head => -1);
SELECT ts_commit('er', '{}', expected_head => 0);
SELECT ts_commit('er', '{}', expected_head => 99);
SELECT er_fingerprint('er') = :'fp0' AS unchanged;

-- errors inside a transaction leave no trace, and the store stays usable
BEGIN;
SELECT ts_commit('er', '{"tx": 1}');
SAVEPOINT s1;
SELECT ts_patch('er', '[{"op": "remove", "path": "/nope"}]');
ROLLBACK TO s1;
SELECT ts_patch('er', '{"tx": 2}');
SELECT ts_head('er');
ROLLBACK;
SELECT er_fingerprint('er') = :'fp0' AS unchanged;
SELECT ts_commit('er', '{"after": "errors"}') AS next_version;
SELECT array_agg(version ORDER BY version) FROM ts_log('er');

-- deep documents round-trip exactly
SELECT ts_create('er_deep', (repeat('[', 10000) || repeat(']', 10000))::jsonb);
SELECT ts_head('er_deep') = (repeat('[', 10000) || repeat(']', 10000))::jsonb AS deep_array_equal;
SELECT ts_commit('er_deep', (repeat('{"a": ', 10000) || '1' || repeat('}', 10000))::jsonb);
SELECT ts_head('er_deep') = (repeat('{"a": ', 10000) || '1' || repeat('}', 10000))::jsonb AS deep_object_equal;
SELECT ts_commit('er_deep', (repeat('{"a": ', 10000) || '2' || repeat('}', 10000))::jsonb);
SELECT ts_as_of('er_deep', 1::bigint) = (repeat('[', 10000) || repeat(']', 10000))::jsonb AS v1_equal,
       ts_as_of('er_deep', 2::bigint) = (repeat('{"a": ', 10000) || '1' || repeat('}', 10000))::jsonb AS v2_equal,
       ts_head('er_deep') = (repeat('{"a": ', 10000) || '2' || repeat('}', 10000))::jsonb AS v3_equal;
SELECT jsonb_array_length(ts_diff('er_deep', '2', '3')) AS ops,
       length(ts_diff('er_deep', '2', '3')->0->>'path') AS path_length;
SELECT ts_patch('er_deep', jsonb_build_array(jsonb_build_object('op', 'replace', 'path', repeat('/a', 10000), 'value', 3)));
SELECT ts_head('er_deep') = (repeat('{"a": ', 10000) || '3' || repeat('}', 10000))::jsonb AS patched_deep;
SELECT ts_patch('er_deep', (repeat('{"a": ', 5000) || '{"b": 4}' || repeat('}', 5000))::jsonb);
SELECT ts_head('er_deep') #> (array_fill('a'::text, ARRAY[5000]) || 'b'::text) AS merged_b,
       ts_head('er_deep') #> array_fill('a'::text, ARRAY[10000]) AS kept_leaf,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(ts_head('er_deep') #> array_fill('a'::text, ARRAY[5000])) k) AS keys;
SELECT ts_json_merge3((repeat('[', 9000) || repeat(']', 9000))::jsonb,
                      (repeat('{"x": ', 9000) || '1' || repeat('}', 9000))::jsonb,
                      (repeat('[', 9000) || repeat(']', 9000))::jsonb)
       = (repeat('{"x": ', 9000) || '1' || repeat('}', 9000))::jsonb AS deep_merge;
SELECT ts_branch('er_deep', 'side', '2');
SELECT ts_commit('er_deep', (repeat('{"a": ', 9999) || '{"side": true}' || repeat('}', 9999))::jsonb, branch => 'side');
SELECT ts_merge('er_deep', 'side', 'main', 'theirs') > 0 AS merged_deep;
SELECT ts_head('er_deep') #> array_fill('a'::text, ARRAY[9999]) AS merged_leaf;

-- extreme numbers and strings
SELECT ts_create('er_num', '[1e1000, -0, 0.000000000000000000000000000001, 123456789012345678901234567890123456789, -1.5e-300, 100, 1E2]');
SELECT ts_head('er_num')::text = '[1e1000, -0, 0.000000000000000000000000000001, 123456789012345678901234567890123456789, -1.5e-300, 100, 1E2]'::jsonb::text AS exact;
SELECT ts_commit('er_num', jsonb_build_array(repeat('é', 100000), repeat('😀', 10000), ''));
SELECT length(ts_head('er_num')->>0) AS l0, length(ts_head('er_num')->>1) AS l1, ts_head('er_num')->>2 = '' AS l2;
SELECT ts_commit('er_num', '{"": {"": {"": 1}}, "~": 1, "/": 2, "~1": 3, "~0/": 4}');
SELECT ts_patch('er_num', '[{"op": "replace", "path": "///", "value": 2}, {"op": "remove", "path": "/~01"},
                            {"op": "replace", "path": "/~1", "value": 20}, {"op": "add", "path": "/~00~1", "value": 40}]');
SELECT ts_head('er_num');

-- a 50 MB document is committed and read back exactly
SELECT ts_create('er_big');
SELECT ts_commit('er_big', jsonb_build_object('blob', repeat('0123456789abcdef', 50 * 1024 * 1024 / 16), 'n', 1));
SELECT length(ts_head('er_big')->>'blob') AS blob_length,
       md5(ts_head('er_big')->>'blob') = md5(repeat('0123456789abcdef', 50 * 1024 * 1024 / 16)) AS blob_equal;
SELECT ts_patch('er_big', '{"n": 2}');
SELECT ts_head('er_big')->'n' AS n, length(ts_as_of('er_big', 2::bigint)->>'blob') AS v2_length,
       md5(ts_head('er_big')->>'blob') = md5(ts_as_of('er_big', 2::bigint)->>'blob') AS same_blob;
SELECT ts_diff('er_big', '2', '3');
SELECT versions, bytes > 0 AS counted FROM ts_stores() WHERE store = 'er_big';
-- a document with many keys
SELECT ts_commit('er_big', (SELECT jsonb_object_agg('k' || i, i) FROM generate_series(1, 100000) i));
SELECT jsonb_typeof(ts_head('er_big')) AS kind, (SELECT count(*) FROM jsonb_object_keys(ts_head('er_big'))) AS keys;
SELECT ts_patch('er_big', '{"k50000": "changed"}');
SELECT ts_diff('er_big', '4', '5');
SELECT ts_head('er_big')->'k50000' AS changed, ts_head('er_big')->'k49999' AS kept;

-- every store passes its integrity check
SELECT s, count(v.*) AS problems FROM unnest(ARRAY['er', 'er_deep', 'er_num', 'er_big']) s
  LEFT JOIN LATERAL ts_verify(s::temporal_store) v ON true GROUP BY s ORDER BY s;

DROP FUNCTION er_fingerprint(temporal_store);
SELECT ts_drop('er'), ts_drop('er_deep'), ts_drop('er_num'), ts_drop('er_big');
