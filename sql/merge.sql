--
-- merging: ts_merge strategies, conflicts, ts_merge_conflicts, ts_merge_base,
-- ts_revert, ts_cherry_pick, ts_json_merge3
--
\set VERBOSITY sqlstate

-- a clean three-way merge writes a merge version with two parents
SELECT ts_create('mg', '{"a": 1, "b": 1, "n": {"x": 1, "y": 1}}');
SELECT ts_branch('mg', 'f1');
SELECT ts_commit('mg', '{"a": 2, "b": 1, "n": {"x": 1, "y": 1}}');
SELECT ts_commit('mg', '{"a": 1, "b": 2, "n": {"x": 1, "y": 2}}', branch => 'f1');
SELECT ts_merge_base('mg', 'main', 'f1');
SELECT ts_merge('mg', 'f1', message => 'merge f1', metadata => '{"pr": 1}');
SELECT ts_head('mg');
SELECT version, parents, branch, message, metadata, event_type FROM ts_version('mg', 'HEAD');
SELECT seq, event_type, version, parents FROM ts_events('mg') ORDER BY seq DESC LIMIT 1;
-- merging an ancestor is a no-op returning the target's head, for every strategy
SELECT ts_merge('mg', 'f1');
SELECT ts_merge('mg', 'f1', strategy => 'no_ff');
SELECT ts_merge('mg', 'f1', strategy => 'ours');
SELECT ts_merge('mg', 'f1', strategy => 'theirs');
SELECT ts_merge('mg', 'f1', strategy => 'fast_forward');
SELECT ts_merge('mg', '1');
SELECT ts_merge('mg', 'main~1', 'main');
-- merging a branch into itself: its head is its own ancestor, so a no-op returning the head
SELECT ts_merge('mg', 'main', 'main');
SELECT max(version) FROM ts_log('mg');
-- a fast-forward moves the target and returns the version it now points at
SELECT ts_merge('mg', 'main', 'f1');
SELECT ts_resolve('mg', 'f1'), max(version) FROM ts_log('mg', 'f1');
SELECT seq, event_type, version, branch FROM ts_events('mg') ORDER BY seq DESC LIMIT 1;
-- fast_forward strategy: only a fast-forward
SELECT ts_commit('mg', '{"a": 2, "b": 2, "n": {"x": 1, "y": 2}, "f": 1}', branch => 'f1');
SELECT ts_merge('mg', 'f1', strategy => 'fast_forward');
SELECT ts_head('mg'), ts_resolve('mg', 'main');
SELECT ts_commit('mg', '{"a": 3, "b": 2, "n": {"x": 1, "y": 2}, "f": 1}');
SELECT ts_commit('mg', '{"a": 2, "b": 3, "n": {"x": 1, "y": 2}, "f": 1}', branch => 'f1');
SELECT ts_merge('mg', 'f1', strategy => 'fast_forward');
SELECT (SELECT max(version) FROM ts_log('mg')) AS max_version, ts_resolve('mg', 'main') AS main;
-- no_ff: a merge version even where a fast-forward is possible
SELECT ts_branch('mg', 'f2');
SELECT ts_commit('mg', '{"a": 3, "b": 2, "n": {"x": 1, "y": 2}, "f": 2}', branch => 'f2');
SELECT ts_merge('mg', 'f2', strategy => 'no_ff');
SELECT version, parents, event_type FROM ts_version('mg', 'HEAD');
SELECT ts_head('mg') = ts_head('mg', 'f2') AS same_state;
-- the target's head moved meanwhile: expected_head
SELECT ts_merge('mg', 'f1', expected_head => 8);
SELECT ts_merge('mg', 'f1', expected_head => 10);
SELECT version, parents FROM ts_version('mg', 'HEAD');
SELECT ts_head('mg');

-- conflicts: TS001 with a detail listing the paths as JSON arrays; nothing written
SELECT ts_create('cf', '{"n": {"x": 1, "y": 1}, "arr": [1, 2], "k": "same", "del": {"p": 1, "q": 1}}');
SELECT ts_branch('cf', 'other');
SELECT ts_commit('cf', '{"n": {"x": 2, "y": 1}, "arr": [1, 2, 3], "k": "same", "ours_only": 1}');
SELECT ts_commit('cf', '{"n": {"x": 3, "y": 2}, "arr": [0, 1, 2], "k": "same", "del": {"p": 1, "q": 2}, "theirs_only": 1}', branch => 'other');
\set VERBOSITY default
SELECT ts_merge('cf', 'other');
\set VERBOSITY sqlstate
SELECT (SELECT max(version) FROM ts_log('cf')) AS max_version, ts_resolve('cf', 'main') AS main;
SELECT count(*) FROM ts_events('cf');
-- the dry run lists the same conflicts
SELECT path, base, ours, theirs FROM ts_merge_conflicts('cf', 'other') ORDER BY path;
SELECT path, base, ours, theirs FROM ts_merge_conflicts('cf', 'main', 'other') ORDER BY path;
SELECT count(*) FROM ts_merge_conflicts('cf', 'main~1', 'other');
SELECT count(*) FROM ts_events('cf');
-- ours and theirs resolve every conflict one way, and keep the clean changes
SELECT ts_branch('cf', 'try-ours');
SELECT ts_merge('cf', 'other', 'try-ours', 'ours');
SELECT ts_head('cf', 'try-ours');
SELECT ts_branch('cf', 'try-theirs', 'main');
SELECT ts_merge('cf', 'other', 'try-theirs', 'theirs');
SELECT ts_head('cf', 'try-theirs');
SELECT version, parents FROM ts_version('cf', 'try-theirs');
-- resolved: the user's own state, both parents recorded
SELECT ts_merge('cf', 'other', resolved => ts_head('cf', 'try-theirs') || '{"resolved": true}', message => 'by hand');
SELECT ts_head('cf');
SELECT version, parents, message, event_type FROM ts_version('cf', 'HEAD');
-- with the conflict resolved, the next merge of further changes uses the new base
SELECT ts_commit('cf', '{"n": {"x": 3, "y": 3}, "arr": [0, 1, 2], "k": "same", "del": {"p": 1, "q": 2}, "theirs_only": 2}', branch => 'other');
SELECT ts_merge_base('cf', 'main', 'other');
SELECT ts_merge('cf', 'other');
SELECT ts_head('cf');
SELECT version, parents FROM ts_version('cf', 'HEAD');
-- a resolution that drops what the other side keeps changing conflicts again
SELECT ts_commit('cf', '{"only": "this"}');
SELECT ts_commit('cf', '{"n": {"x": 3, "y": 4}, "arr": [0, 1, 2], "k": "same", "del": {"p": 1, "q": 2}, "theirs_only": 2}', branch => 'other');
SELECT path, base, ours, theirs FROM ts_merge_conflicts('cf', 'other') ORDER BY path;

-- conflict shapes
SELECT ts_create('sh', '{"obj": {"a": 1, "b": {"c": 1}}, "scalar": 1, "arr": [1], "gone": 1, "keep": 0, "both_del": 1}');
SELECT ts_branch('sh', 'side');
-- main: deletes obj, makes scalar an object, sets arr, changes keep, deletes both_del
SELECT ts_commit('sh', '{"scalar": {"p": 1, "same": true}, "arr": [1, 2], "gone": 1, "keep": 1, "newobj": {"m": 1, "both": 1}, "newscalar": 1}');
-- side: edits obj.b.c, makes scalar an object too, same arr change, deletes gone, deletes both_del
SELECT ts_commit('sh', '{"obj": {"a": 1, "b": {"c": 2}}, "scalar": {"q": 1, "same": true}, "arr": [1, 2], "keep": 0, "newobj": {"t": 1, "both": 1}, "newscalar": 2}', branch => 'side');
\set VERBOSITY default
SELECT ts_merge('sh', 'side');
\set VERBOSITY sqlstate
SELECT path, base, ours, theirs FROM ts_merge_conflicts('sh', 'side') ORDER BY path;
SELECT ts_merge('sh', 'side', strategy => 'ours');
SELECT ts_head('sh');
SELECT ts_reset('sh', 'main', 'main~1');
SELECT ts_merge('sh', 'side', strategy => 'theirs');
SELECT ts_head('sh');
-- type changes on both sides conflict at that path
SELECT ts_create('ty', '{"v": 1, "w": {"x": 1}}');
SELECT ts_branch('ty', 'side');
SELECT ts_commit('ty', '{"v": "one", "w": [1]}');
SELECT ts_commit('ty', '{"v": {"one": 1}, "w": {"x": 1, "y": 2}}', branch => 'side');
SELECT path, base, ours, theirs FROM ts_merge_conflicts('ty', 'side') ORDER BY path;
\set VERBOSITY default
SELECT ts_merge('ty', 'side');
\set VERBOSITY sqlstate
-- both sides turning a non-object into objects merge them against {}
SELECT ts_create('obj2', '{"s": "scalar", "arr": [1]}');
SELECT ts_branch('obj2', 'side');
SELECT ts_commit('obj2', '{"s": {"a": 1, "shared": {"z": 1}}, "arr": {"from": "main"}}');
SELECT ts_commit('obj2', '{"s": {"b": 2, "shared": {"y": 1}}, "arr": {"from": "side"}}', branch => 'side');
SELECT path, base, ours, theirs FROM ts_merge_conflicts('obj2', 'side') ORDER BY path;
SELECT ts_merge('obj2', 'side', strategy => 'theirs');
SELECT ts_head('obj2');
-- scalar documents: the root is the only path
SELECT ts_create('root', '1');
SELECT ts_branch('root', 'side');
SELECT ts_commit('root', '2');
SELECT ts_commit('root', '3', branch => 'side');
SELECT path, base, ours, theirs FROM ts_merge_conflicts('root', 'side');
\set VERBOSITY default
SELECT ts_merge('root', 'side');
\set VERBOSITY sqlstate
SELECT ts_merge('root', 'side', strategy => 'theirs');
SELECT ts_head('root');
-- exactness: 1 and 1.0 are different changes
SELECT ts_create('ex', '{"n": 0}');
SELECT ts_branch('ex', 'side');
SELECT ts_commit('ex', '{"n": 1}');
SELECT ts_commit('ex', '{"n": 1.0}', branch => 'side');
SELECT path, base, ours, theirs FROM ts_merge_conflicts('ex', 'side');
SELECT ts_merge('ex', 'side', strategy => 'theirs');
SELECT ts_head('ex')::text;

-- merging a branch created from an old version, then merging again (the base moves)
SELECT ts_create('old', '{"log": [], "a": 0, "b": 0, "c": 0}');
SELECT ts_commit('old', '{"log": [1], "a": 1, "b": 0, "c": 0}');
SELECT ts_commit('old', '{"log": [1, 2], "a": 2, "b": 0, "c": 0}');
SELECT ts_branch('old', 'stale', '1');
SELECT ts_commit('old', '{"log": [], "a": 0, "b": 1, "c": 0}', branch => 'stale');
SELECT ts_merge_base('old', 'main', 'stale');
SELECT ts_merge('old', 'stale');
SELECT ts_head('old');
SELECT ts_commit('old', '{"log": [], "a": 0, "b": 2, "c": 0}', branch => 'stale');
SELECT ts_commit('old', '{"log": [1, 2], "a": 3, "b": 1, "c": 0}');
SELECT ts_merge_base('old', 'main', 'stale');
SELECT ts_merge('old', 'stale');
SELECT ts_head('old');
SELECT version, parents FROM ts_log('old') ORDER BY version;

-- criss-cross: two merge bases are merged into a virtual base first
--   1 - 2(p=1) - 4(merge 3) - 6(p=2) - 8(merge 7)    main
--    \ 3(q=1) - 5(merge 2) - 7(q=2)                  side
SELECT ts_create('cc', '{"p": 0, "q": 0}');
SELECT ts_branch('cc', 'side');
SELECT ts_commit('cc', '{"p": 1, "q": 0}');
SELECT ts_commit('cc', '{"p": 0, "q": 1}', branch => 'side');
SELECT ts_merge('cc', 'side');
SELECT ts_merge('cc', '2', 'side');
SELECT ts_head('cc'), ts_head('cc', 'side');
SELECT ts_commit('cc', '{"p": 2, "q": 1}');
SELECT ts_commit('cc', '{"p": 1, "q": 2}', branch => 'side');
SELECT ts_merge_base('cc', 'main', 'side') IN (2, 3) AS one_of_the_bases;
-- with either single base there would be a conflict; the virtual base has none
SELECT ts_json_merge3(ts_as_of('cc', 2::bigint), ts_head('cc'), ts_head('cc', 'side'));
SELECT ts_json_merge3(ts_as_of('cc', 3::bigint), ts_head('cc'), ts_head('cc', 'side'));
SELECT count(*) FROM ts_merge_conflicts('cc', 'side');
SELECT ts_merge('cc', 'side');
SELECT ts_head('cc');
SELECT version, parents FROM ts_version('cc', 'HEAD');

-- many branches merged one after the other
SELECT ts_create('many', '{}');
SELECT ts_branch('many', 'b' || i) FROM generate_series(1, 8) i;
SELECT ts_commit('many', jsonb_build_object('k' || i, i, 'common', jsonb_build_object('from' || i, true)), branch => 'b' || i)
  FROM generate_series(1, 8) i;
SELECT ts_merge('many', 'b' || i) FROM generate_series(1, 8) i;
SELECT ts_head('many');
SELECT branch, ahead, behind FROM ts_branches('many') ORDER BY branch;
SELECT count(*) FILTER (WHERE event_type = 'BranchMerged') AS merges,
       count(*) FILTER (WHERE cardinality(parents) = 2) AS two_parents
  FROM ts_log('many');

-- the detail lists every conflicting path, however many
SELECT ts_create('big', (SELECT jsonb_object_agg('key_number_' || i, 0) FROM generate_series(1, 2000) i));
SELECT ts_branch('big', 'side');
SELECT ts_commit('big', (SELECT jsonb_object_agg('key_number_' || i, 1) FROM generate_series(1, 2000) i));
SELECT ts_commit('big', (SELECT jsonb_object_agg('key_number_' || i, 2) FROM generate_series(1, 2000) i), branch => 'side');
\set VERBOSITY default
DO $$
DECLARE state text; detail text;
BEGIN
  PERFORM ts_merge('big', 'side');
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, detail = PG_EXCEPTION_DETAIL;
  RAISE NOTICE 'sqlstate %, % paths listed, first %', state, jsonb_array_length(detail::jsonb), detail::jsonb->0;
END $$;
\set VERBOSITY sqlstate
SELECT count(*) FROM ts_merge_conflicts('big', 'side');

-- a NULL target merges into the checked-out branch
SELECT ts_checkout('many', 'b3');
SELECT ts_merge('many', 'b4');
SELECT ts_resolve('many', 'b3'), ts_head('many', 'b3');
SELECT count(*) FROM ts_merge_conflicts('many', 'b5');
RESET temporal_store.checkout;

-- ts_merge_base
SELECT ts_merge_base('mg', 'main', 'main'), ts_merge_base('mg', '1', 'main'), ts_merge_base('mg', 'main', '1'),
       ts_merge_base('mg', 'f1', 'f2'), ts_merge_base('old', 'stale~1', 'main~1');

-- errors: unknown strategy, target that is not a branch, fast_forward impossible
SELECT ts_merge('mg', 'f1', strategy => 'recursive');
SELECT ts_merge('mg', 'f1', target => 'main~1');
SELECT ts_merge('mg', 'f1', target => 'nosuch');

-- ts_revert: git revert (a three-way merge of the head with rev's parent, rev as base)
SELECT ts_create('rv', '{"a": 1, "b": 1, "c": 1}');
SELECT ts_commit('rv', '{"a": 2, "b": 1, "c": 1}', 'a=2');
SELECT ts_commit('rv', '{"a": 2, "b": 2, "c": 1}', 'b=2');
SELECT ts_revert('rv', '2', 'revert a=2');
SELECT ts_head('rv');
SELECT version, parents, message, event_type FROM ts_version('rv', 'HEAD');
-- reverting the revert brings the change back
SELECT ts_revert('rv', 'HEAD');
SELECT ts_head('rv');
-- a conflicting revert fails with TS001 and writes nothing
SELECT ts_commit('rv', '{"a": 3, "b": 2, "c": 1}', 'a=3');
\set VERBOSITY default
SELECT ts_revert('rv', '2');
\set VERBOSITY sqlstate
SELECT max(version) FROM ts_log('rv');
-- reverting on another branch, with expected_head
SELECT ts_branch('rv', 'fix', '3');
SELECT ts_revert('rv', '3', branch => 'fix', expected_head => 2);
SELECT ts_revert('rv', '3', branch => 'fix', expected_head => 3);
SELECT ts_head('rv', 'fix');
-- reverting a merge undoes what the merge brought relative to its first parent
SELECT ts_create('rvm', '{"x": 0, "y": 0}');
SELECT ts_branch('rvm', 'side');
SELECT ts_commit('rvm', '{"x": 1, "y": 0}');
SELECT ts_commit('rvm', '{"x": 0, "y": 1}', branch => 'side');
SELECT ts_merge('rvm', 'side');
SELECT ts_revert('rvm', 'HEAD');
SELECT ts_head('rvm');

-- ts_cherry_pick: git cherry-pick (a three-way merge with rev, its parent as base)
SELECT ts_create('cp', '{"a": 1, "b": 1, "c": 1}');
SELECT ts_commit('cp', '{"a": 2, "b": 1, "c": 1}');
SELECT ts_commit('cp', '{"a": 2, "b": 2, "c": 1}', 'b=2');
SELECT ts_branch('cp', 'rel', '1');
SELECT ts_cherry_pick('cp', '3', branch => 'rel');
SELECT ts_head('cp', 'rel');
SELECT version, parents, branch, message, event_type FROM ts_version('cp', 'rel');
-- a conflicting cherry-pick fails with TS001 and writes nothing
SELECT ts_commit('cp', '{"a": 5, "b": 5, "c": 1}', branch => 'rel');
\set VERBOSITY default
SELECT ts_cherry_pick('cp', '2', branch => 'rel');
\set VERBOSITY sqlstate
SELECT (SELECT max(version) FROM ts_log('cp', 'rel')) AS rel_max, (SELECT max(version) FROM ts_log('cp')) AS main_max;
-- cherry-picking onto the checked-out branch
SELECT ts_checkout('cp', 'rel');
SELECT ts_commit('cp', '{"a": 1, "b": 5, "c": 1}');
SELECT ts_cherry_pick('cp', '2');
SELECT ts_head('cp');
RESET temporal_store.checkout;
SELECT ts_cherry_pick('cp', 'rel', expected_head => 1);

-- ts_json_merge3: the pure merge
SELECT ts_json_merge3('{"a": 1, "b": 1}', '{"a": 2, "b": 1}', '{"a": 1, "b": 2}');
SELECT ts_json_merge3('{"a": 1}', '{"a": 2}', '{"a": 2}');
SELECT ts_json_merge3('{"a": 1, "b": 1}', '{"b": 1}', '{"a": 1}');
SELECT ts_json_merge3('{"a": 1}', '{"a": 2}', '{"a": 3}', 'ours');
SELECT ts_json_merge3('{"a": 1}', '{"a": 2}', '{"a": 3}', 'theirs');
SELECT ts_json_merge3('{"a": {"b": 1}}', '{}', '{"a": {"b": 2}}', 'ours');
SELECT ts_json_merge3('{"a": {"b": 1}}', '{}', '{"a": {"b": 2}}', 'theirs');
SELECT ts_json_merge3('1', '{"x": 1}', '{"y": 2}');
SELECT ts_json_merge3('{}', '{"n": [1]}', '{"n": [1]}');
SELECT ts_json_merge3('[1, 2]', '[1, 2, 3]', '[1, 2]');
\set VERBOSITY default
SELECT ts_json_merge3('{"a": 1, "z": {"k": [1]}}', '{"a": 2, "z": {"k": [2]}}', '{"a": 3, "z": {"k": [3]}}');
SELECT ts_json_merge3('[1, 2]', '[1, 2, 3]', '[0, 1, 2]');
SELECT ts_json_merge3('{"a": {"b": 1}}', '{}', '{"a": {"b": 2}}');
SELECT ts_json_merge3('{"a": 1}', '{"a": 1.0}', '{"a": 1.00}');
SELECT ts_json_merge3('{"a/b": {"~": 1}}', '{"a/b": {"~": 2}}', '{"a/b": {"~": 3}}');
\set VERBOSITY sqlstate
SELECT ts_json_merge3('{"a": 1}', '{"a": 1, "b": 2}', '{"a": 1, "c": 3}', 'three_way');

-- every store passes its integrity check
SELECT count(*) AS problems FROM unnest(ARRAY['mg', 'cf', 'sh', 'ty', 'obj2', 'root', 'ex', 'old', 'cc', 'many', 'rv', 'rvm', 'cp', 'big']) s,
  LATERAL ts_verify(s::temporal_store) v;

SELECT ts_drop(s::temporal_store) FROM unnest(ARRAY['mg', 'cf', 'sh', 'ty', 'obj2', 'root', 'ex', 'old', 'cc', 'many', 'rv', 'rvm', 'cp', 'big']) s;
