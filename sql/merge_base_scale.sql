-- Finding a merge base costs in proportion to the distance from the heads
-- to the base, not to the length of the history: on a 100,000-version
-- history the walk reads a dozen versions, as it does on a short one.
SELECT ts_create('scale_short', '{"n": 0}') IS NOT NULL AS created;
SELECT count(ts_commit('scale_short', jsonb_build_object('n', i))) FROM generate_series(1, 100) i;
SELECT ts_branch('scale_short', 'f');
SELECT count(ts_commit('scale_short', jsonb_build_object('f', i), branch => 'f')) FROM generate_series(1, 5) i;
SELECT count(ts_commit('scale_short', jsonb_build_object('m', i))) FROM generate_series(1, 5) i;
SELECT ts_merge_base('scale_short', 'main', 'f') AS base, ts_internal.walk_visits() AS visits_short \gset
SELECT :base AS base, :visits_short AS visits;

SELECT ts_create('scale_long', '{"n": 0}') IS NOT NULL AS created;
SELECT count(ts_commit('scale_long', jsonb_build_object('n', i))) FROM generate_series(1, 100000) i;
SELECT ts_branch('scale_long', 'f');
SELECT count(ts_commit('scale_long', jsonb_build_object('f', i), branch => 'f')) FROM generate_series(1, 5) i;
SELECT count(ts_commit('scale_long', jsonb_build_object('m', i))) FROM generate_series(1, 5) i;
SELECT ts_merge_base('scale_long', 'main', 'f') AS base, ts_internal.walk_visits() AS visits_long \gset
SELECT :base AS base, :visits_long AS visits, :visits_long = :visits_short AS same_cost_as_short_history;

-- ahead/behind and the merge itself walk the same few versions.
SELECT branch, head_version, ahead, behind FROM ts_branches('scale_long') ORDER BY branch;
SELECT ts_internal.walk_visits() <= 2 * :visits_short AS branches_walk_bounded;
SELECT ts_merge('scale_long', 'f') AS merged;
SELECT ts_internal.walk_visits() <= 2 * :visits_short AS merge_walk_bounded;
SELECT ts_head('scale_long');
