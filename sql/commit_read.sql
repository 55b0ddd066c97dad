--
-- commit and read: ts_commit, ts_patch, ts_restore, ts_head, ts_as_of,
-- ts_resolve, ts_step, ts_version
--
\set VERBOSITY sqlstate

SELECT ts_create('cr', '{"a": 1}', 'init', '{"who": "setup"}');
SELECT ts_commit('cr', '{"a": 2}', 'second');
SELECT ts_commit('cr', '{"a": 2, "b": {"c": [1, 2, 3]}}', 'third', '{"ticket": 7}');
SELECT ts_head('cr');
SELECT ts_head('cr', 'main');
SELECT ts_head('cr', NULL);

-- ts_version columns
SELECT version, parents, branch, author, message, metadata, event_type,
       length(hash) AS hash_bytes, pg_typeof(hash) AS hash_type
  FROM ts_version('cr', '3');
SELECT version, parents, branch, author, message, metadata, event_type
  FROM ts_version('cr', '1');
SELECT version, message FROM ts_version('cr', 'v2');
-- hashes are distinct per version and stable across reads
SELECT count(DISTINCT (ts_version('cr', v::text)).hash) FROM generate_series(1, 3) v;
SELECT (ts_version('cr', '2')).hash = (ts_version('cr', 'v2')).hash AS stable;

-- ts_patch: an array is an RFC 6902 JSON Patch
SELECT ts_patch('cr', '[{"op": "add", "path": "/b/c/-", "value": 4},
                        {"op": "replace", "path": "/a", "value": "two"},
                        {"op": "test", "path": "/a", "value": "two"},
                        {"op": "copy", "from": "/a", "path": "/a2"},
                        {"op": "move", "from": "/a2", "path": "/b/moved"},
                        {"op": "remove", "path": "/b/c/0"}]', 'json patch');
SELECT ts_head('cr');
-- anything else is an RFC 7396 merge patch (null removes, objects merge)
SELECT ts_patch('cr', '{"a": null, "b": {"moved": null, "d": {"e": true}}, "z": [9]}', 'merge patch');
SELECT ts_head('cr');
-- a merge patch that is not an object replaces the whole document
SELECT ts_patch('cr', '"replaced"', 'scalar merge patch');
SELECT ts_head('cr');
SELECT ts_restore('cr', '5', 'back to 5');
SELECT ts_head('cr');
-- an empty JSON patch still makes a version
SELECT ts_patch('cr', '[]', 'empty patch');
SELECT ts_head('cr') = ts_as_of('cr', 7::bigint) AS unchanged;
-- ts_restore: a new version with an old state
SELECT ts_restore('cr', '1', 'restore v1');
SELECT ts_head('cr');
SELECT version, parents, message, event_type FROM ts_version('cr', 'HEAD');
SELECT ts_restore('cr', 'HEAD~3');
SELECT ts_head('cr');

-- ts_as_of, three overloads
SELECT v, ts_as_of('cr', v) FROM generate_series(1::bigint, 10) v;
SELECT ts_as_of('cr', 'v3');
SELECT ts_as_of('cr', 'main~9');
SELECT ts_as_of('cr', 'HEAD');
SELECT ts_as_of('cr', (ts_version('cr', '3')).committed_at) = ts_as_of('cr', 3::bigint) AS at_exact;
SELECT ts_as_of('cr', (ts_version('cr', '4')).committed_at - interval '1 microsecond') = ts_as_of('cr', 3::bigint) AS just_before;
SELECT ts_as_of('cr', (ts_version('cr', '1')).committed_at - interval '1 microsecond') IS NULL AS before_creation;
SELECT ts_as_of('cr', now() + interval '1 day') = ts_head('cr') AS future;
SELECT ts_as_of('cr', (ts_version('cr', '2')).committed_at, 'main');
SELECT ts_as_of('cr', 11::bigint);
SELECT ts_as_of('cr', 0::bigint);
SELECT ts_as_of('cr', -1::bigint);

-- ts_resolve
SELECT ts_resolve('cr', 'main'), ts_resolve('cr', 'HEAD'), ts_resolve('cr', '4'),
       ts_resolve('cr', 'v4'), ts_resolve('cr', 'HEAD~2'), ts_resolve('cr', 'main^');

-- ts_step: back along first parents, forward toward the branch head
SELECT ts_step('cr', '5', -2), ts_step('cr', '5', 0), ts_step('cr', '5', 3),
       ts_step('cr', '1', 9), ts_step('cr', 'HEAD', -9), ts_step('cr', '5', 1, 'main');
SELECT ts_step('cr', 'HEAD', 1);
SELECT ts_step('cr', '3', 8);
SELECT ts_step('cr', '1', -1);
SELECT ts_step('cr', '3', -3);
SELECT ts_step('cr', 'nope', 1);
SELECT ts_step('cr', NULL, 1);
SELECT ts_step('cr', '1', NULL);
-- forward from a version not on the branch's first-parent chain
SELECT ts_branch('cr', 'side', '2');
SELECT ts_commit('cr', '{"side": 1}', branch => 'side');
SELECT ts_commit('cr', '{"side": 2}', branch => 'side');
SELECT ts_step('cr', '11', 1, 'side'), ts_step('cr', '2', 2, 'side'), ts_step('cr', '12', -2, 'side');
SELECT ts_step('cr', '11', 1);
SELECT ts_step('cr', '3', 1, 'side');
SELECT ts_step('cr', '12', 1, 'side');
SELECT ts_step('cr', '2', 1, 'nobranch');

-- versions are gapless across branches; committed_at strictly increases
SELECT array_agg(version ORDER BY version) FROM ts_log('cr');
SELECT array_agg(version ORDER BY version) FROM ts_log('cr', 'side');
SELECT bool_and(a.committed_at < b.committed_at) AS strictly_increasing
  FROM generate_series(1, 11) v,
       LATERAL ts_version('cr', v::text) a, LATERAL ts_version('cr', (v + 1)::text) b;
-- many commits in one statement still get distinct, increasing times
SELECT ts_create('cr_fast', '0');
SELECT count(ts_commit('cr_fast', to_jsonb(i))) FROM generate_series(1, 50) i;
SELECT count(DISTINCT (ts_version('cr_fast', v::text)).committed_at) AS distinct_times,
       bool_and((ts_version('cr_fast', v::text)).committed_at < (ts_version('cr_fast', (v + 1)::text)).committed_at) AS increasing
  FROM generate_series(1, 50) v;
SELECT ts_head('cr_fast'), ts_as_of('cr_fast', 26::bigint);

-- expected_head: 40001 when the branch head moved
SELECT ts_commit('cr', '{"x": 1}', expected_head => 10);
SELECT ts_commit('cr', '{"x": 2}', expected_head => 10);
SELECT ts_patch('cr', '{"y": 1}', expected_head => 12);
SELECT ts_patch('cr', '{"y": 1}', expected_head => 13);
SELECT ts_restore('cr', '1', expected_head => 1);
SELECT ts_restore('cr', '1', expected_head => 14);
SELECT ts_commit('cr', '{"side": 3}', branch => 'side', expected_head => 10);
SELECT ts_commit('cr', '{"side": 3}', branch => 'side', expected_head => 12);
SELECT ts_head('cr'), ts_head('cr', 'side');
SELECT max(version) FROM ts_log('cr');

-- a rolled-back commit leaves no gap, and its state is never read back
BEGIN;
SELECT ts_commit('cr', '{"rolled": "back"}');
SELECT ts_head('cr');
ROLLBACK;
SELECT ts_commit('cr', '{"kept": true}');
SELECT ts_as_of('cr', 17::bigint), ts_head('cr');
SELECT count(*) FROM ts_log('cr') WHERE version = 17;

-- exactness: 1.0 and 1 are different states
SELECT ts_create('cr_exact', '{"n": 1}');
SELECT ts_commit('cr_exact', '{"n": 1.0}');
SELECT ts_commit('cr_exact', '{"n": 1.00, "e": 1e2, "big": 123456789012345678901234567890.5}');
SELECT ts_as_of('cr_exact', 1::bigint), ts_as_of('cr_exact', 2::bigint), ts_as_of('cr_exact', 3::bigint);
SELECT ts_as_of('cr_exact', 2::bigint)::text = '{"n": 1.0}' AS exact_text;
SELECT ts_diff('cr_exact', '1', '2');
SELECT ts_diff('cr_exact', '2', '3');
SELECT ts_patch('cr_exact', '[{"op": "test", "path": "/n", "value": 1.00}]');
-- the test operation compares exactly too
SELECT ts_patch('cr_exact', '[{"op": "test", "path": "/n", "value": 1}]');
SELECT ts_patch('cr_exact', '[{"op": "test", "path": "/n", "value": 1.0}]');
SELECT ts_head('cr_exact'), (ts_version('cr_exact', 'HEAD')).version;
-- identical-state commits still make versions
SELECT ts_commit('cr_exact', ts_head('cr_exact'));
SELECT ts_commit('cr_exact', ts_head('cr_exact'), 'again');
SELECT version, parents, message FROM ts_log('cr_exact') ORDER BY version;
SELECT ts_diff('cr_exact', '4', '6');
SELECT (ts_version('cr_exact', '5')).hash <> (ts_version('cr_exact', '6')).hash AS distinct_hashes;

-- scalar and array documents
SELECT ts_create('cr_scalar', '42');
SELECT ts_commit('cr_scalar', '"text"');
SELECT ts_commit('cr_scalar', 'true');
SELECT ts_commit('cr_scalar', 'null');
SELECT ts_commit('cr_scalar', '[1, "two", {"three": 3}, [4]]');
SELECT ts_patch('cr_scalar', '[{"op": "add", "path": "/0", "value": 0}, {"op": "remove", "path": "/4/0"}]');
SELECT ts_patch('cr_scalar', '[{"op": "replace", "path": "", "value": {"root": 1}}]');
SELECT ts_patch('cr_scalar', '{"root": null, "added": -0.5}');
SELECT ts_commit('cr_scalar', '""');
SELECT ts_commit('cr_scalar', '{}');
SELECT ts_commit('cr_scalar', '[]');
SELECT v, ts_as_of('cr_scalar', v) FROM generate_series(1::bigint, 11) v;
SELECT ts_diff('cr_scalar', '1', '2'), ts_diff('cr_scalar', '3', '4');
-- strings with escapes and unicode survive
SELECT ts_commit('cr_scalar', '{"s": "tab\tnl\nquote\"back\\slash \u00e9 \ud83d\ude00 \u0001"}');
SELECT ts_head('cr_scalar');
SELECT ts_head('cr_scalar') = '{"s": "tab\tnl\nquote\"back\\slash \u00e9 \ud83d\ude00 \u0001"}'::jsonb AS same;

-- message and metadata are kept; NULL metadata means {}
SELECT ts_commit('cr_scalar', '1', repeat('m', 100000), '{"deep": {"x": [1, 2]}}');
SELECT length(message), metadata FROM ts_version('cr_scalar', 'HEAD');
SELECT ts_commit('cr_scalar', '2', NULL, NULL);
SELECT message IS NULL AS no_message, metadata FROM ts_version('cr_scalar', 'HEAD');

-- committed_at is the time of the write, not of the transaction
BEGIN;
SELECT pg_sleep(0.2);
SELECT ts_commit('cr_scalar', '3') AS v;
SELECT committed_at >= now() + interval '0.2 seconds' AS clock_time FROM ts_version('cr_scalar', 'HEAD');
COMMIT;

-- reading works in a read-only transaction (as on a hot standby); writing does not
BEGIN READ ONLY;
SELECT ts_head('cr_scalar'), ts_as_of('cr_scalar', 1::bigint), ts_resolve('cr_scalar', 'HEAD~1');
SELECT ts_as_of('cr_scalar', now()), ts_as_of('cr_scalar', 'main~2'), ts_step('cr_scalar', '1', 1);
SELECT count(*) FROM ts_log('cr_scalar');
SELECT count(*) FROM ts_events('cr_scalar');
SELECT count(*) FROM ts_branches('cr_scalar');
SELECT ts_diff('cr_scalar', '1', '2'), (ts_version('cr_scalar', '2')).version;
SELECT count(*) FROM ts_stores() WHERE store = 'cr_scalar';
SELECT ts_checkout('cr_scalar', 'main');
SELECT ts_commit('cr_scalar', '4');
ROLLBACK;
BEGIN READ ONLY;
SELECT ts_patch('cr_scalar', '[]');
ROLLBACK;

-- the author is the current role
SELECT DISTINCT author = current_user AS author_is_user FROM ts_log('cr');


-- ts_json_merge_patch (RFC 7396, appendix A) and ts_json_patch (RFC 6902)
SELECT ts_json_merge_patch(doc, patch)
  FROM (VALUES ('{"a": "b"}'::jsonb, '{"a": "c"}'::jsonb), ('{"a": "b"}', '{"b": "c"}'), ('{"a": "b"}', '{"a": null}'),
               ('{"a": "b", "b": "c"}', '{"a": null}'), ('{"a": ["b"]}', '{"a": "c"}'), ('{"a": "c"}', '{"a": ["b"]}'),
               ('{"a": {"b": "c"}}', '{"a": {"b": "d", "c": null}}'), ('{"a": [{"b": "c"}]}', '{"a": [1]}'),
               ('["a", "b"]', '["c", "d"]'), ('{"a": "b"}', '["c"]'), ('{"a": "foo"}', 'null'), ('{"a": "foo"}', '"bar"'),
               ('{"e": null}', '{"a": 1}'), ('[1, 2]', '{"a": "b", "c": null}'), ('{}', '{"a": {"bb": {"ccc": null}}}')) v(doc, patch);
SELECT ts_json_patch('{"foo": ["bar", "baz"]}', '[{"op": "add", "path": "/foo/1", "value": "qux"}]');
SELECT ts_json_patch('{"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}}',
                     '[{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}]');
SELECT ts_json_patch('{"foo": "bar"}', '[{"op": "add", "path": "/child", "value": {"grandchild": {}}}]');
SELECT ts_json_patch('{"foo": "bar"}', '[{"op": "add", "path": "/baz", "value": "qux", "xyz": 123}]');
SELECT ts_json_patch('["all", "grass", "cows", "eat"]', '[{"op": "move", "from": "/1", "path": "/3"}]');
SELECT ts_json_patch('{"/": 9, "~1": 10}', '[{"op": "test", "path": "/~01", "value": 10}, {"op": "test", "path": "/~1", "value": 9}]');
SELECT ts_json_patch('{"foo": null}', '[{"op": "test", "path": "/foo", "value": null}]');
SELECT ts_json_patch('{"a": 1}', '[]');
SELECT ts_json_patch('[1, 2]', '[{"op": "add", "path": "/-", "value": 3}]');
SELECT ts_json_patch('{"a": 1}', '[{"op": "replace", "path": "", "value": [1]}]');

-- A replay caches every fifth state it passes (small states): later reads
-- near them start there. Each version adds a key, so a state built on the
-- wrong base shows. Reading out of order through those checkpoints, and
-- through commits made in between, gives every version exactly as
-- committed, from emptied caches and with the cache off.
SELECT ts_create('cr_cp', '{"n": 1, "pad": "x"}') IS NOT NULL AS created;
SELECT count(ts_patch('cr_cp', jsonb_build_array(jsonb_build_object('op', 'replace', 'path', '/n', 'value', i),
                                                 jsonb_build_object('op', 'add', 'path', '/k' || i, 'value', i))))
  FROM generate_series(2, 95) i;
CREATE FUNCTION cr_cp_wrong(v int) RETURNS boolean LANGUAGE sql AS $$
  SELECT (s->>'n')::int <> v
         OR (SELECT count(*) FROM jsonb_object_keys(s)) <> CASE WHEN v > 95 THEN 2 ELSE v + 1 END
         OR s->>'pad' <> CASE WHEN v > 95 THEN 'y' ELSE 'x' END
    FROM (SELECT ts_as_of('cr_cp', v::bigint) AS s) x $$;
-- (setting the cache size to 0 empties the session's caches)
SET temporal_store.cache_size = 0;
RESET temporal_store.cache_size;
SELECT count(*) FILTER (WHERE cr_cp_wrong(v)) AS wrong_descending FROM generate_series(95, 1, -7) v;
SELECT count(*) FILTER (WHERE cr_cp_wrong(v)) AS wrong_all FROM generate_series(1, 95) v;
SELECT count(ts_commit('cr_cp', jsonb_build_object('n', i, 'pad', 'y'))) FROM generate_series(96, 130) i;
SET temporal_store.cache_size = 0;
RESET temporal_store.cache_size;
SELECT count(*) FILTER (WHERE cr_cp_wrong(v)) AS wrong_after_commits FROM generate_series(130, 1, -3) v;
SET temporal_store.cache_size = 0;
SELECT count(*) FILTER (WHERE cr_cp_wrong(v)) AS wrong_uncached FROM generate_series(1, 130) v;
RESET temporal_store.cache_size;
SELECT count(*) FROM ts_verify('cr_cp');
DROP FUNCTION cr_cp_wrong(int);

SELECT ts_drop('cr'), ts_drop('cr_fast'), ts_drop('cr_exact'), ts_drop('cr_scalar'), ts_drop('cr_cp');

-- The replay hard cap (4 x snapshot_interval deltas): a chain with no
-- snapshot gets a full state at the cap; a chain snapshotted on the way
-- (by the worker, or here by ts_snapshot) goes on as deltas, counted from
-- the snapshot.
SET temporal_store.snapshot_interval = 5;   -- cap: 20 deltas
SELECT ts_create('capped', '{"n": 0}') IS NOT NULL AS created;
SELECT count(ts_commit('capped', jsonb_build_object('n', i))) FROM generate_series(1, 34) i;
SELECT ts_snapshot('capped', '33');
SELECT count(ts_commit('capped', jsonb_build_object('n', i))) FROM generate_series(35, 49) i;
SELECT v.version, v.chain_len, get_byte(v.payload, 1) AS kind
  FROM ts_internal.versions v JOIN ts_internal.stores s USING (store_id)
 WHERE s.name = 'capped' AND (v.chain_len = 0 OR v.version IN (20, 40, 41, 50)) ORDER BY 1;
SELECT count(*) FILTER (WHERE (ts_as_of('capped', v) ->> 'n')::int <> v - 1) AS wrong
  FROM generate_series(1, 50) v;
RESET temporal_store.snapshot_interval;
SELECT ts_drop('capped');
