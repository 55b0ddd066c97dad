-- Branch heads as commits move between branches. A commit updates no
-- branch row; the store's newest version names its own branch's head, and
-- a commit on another branch writes the one it passes over into that
-- branch's row and ts_internal.branch_marks (see the install script).
-- Every head, now and at every past event, is checked against a reference
-- computed from the event stream alone: for branch X at event k, the
-- newest event or version of X with seq <= k.
SELECT ts_create('bh', '{"v": 0}') IS NOT NULL AS created;
SELECT ts_branch('bh', 'a');
SELECT ts_branch('bh', 'b');
SELECT ts_commit('bh', '{"v": 1}');
SELECT ts_commit('bh', '{"v": 2}', branch => 'a');
SELECT ts_commit('bh', '{"v": 3}', branch => 'a');
SELECT ts_commit('bh', '{"v": 4}', branch => 'b');
SELECT ts_commit('bh', '{"v": 5}');
-- a reset of the branch whose version is the newest: the row's head wins
SELECT ts_commit('bh', '{"v": 6}', branch => 'b');
SELECT ts_reset('bh', 'b', '1');
SELECT ts_commit('bh', '{"v": 7}', branch => 'a');
SELECT branch, head_version FROM ts_branches('bh') ORDER BY branch;
-- a batch alternating branches in one transaction, and a switch undone
-- by a rolled-back savepoint
BEGIN;
SELECT ts_commit('bh', '{"v": 8}', branch => 'b');
SELECT ts_commit('bh', '{"v": 9}');
SAVEPOINT s;
SELECT ts_commit('bh', '{"v": 10}', branch => 'a');
SELECT ts_commit('bh', '{"v": 11}', branch => 'b');
ROLLBACK TO SAVEPOINT s;
SELECT ts_commit('bh', '{"v": 12}');
SELECT ts_commit('bh', '{"v": 13}', branch => 'a');
SELECT branch, head_version FROM ts_branches('bh') ORDER BY branch;
COMMIT;
-- a fast-forward and a merge version, a dropped branch, then more commits
SELECT ts_branch('bh', 'c', 'a');
SELECT ts_commit('bh', '{"v": 14}', branch => 'c');
SELECT ts_merge('bh', 'c', 'a') AS fast_forward;
SELECT ts_merge('bh', 'a', strategy => 'theirs') AS merged_into_main;
SELECT ts_drop_branch('bh', 'c');
SELECT ts_commit('bh', '{"v": 15}', branch => 'b');
SELECT ts_commit('bh', '{"v": 16}', branch => 'b');
SELECT branch, head_version FROM ts_branches('bh') ORDER BY branch;

CREATE TEMP TABLE moves AS
  SELECT seq, branch, version, event_type FROM ts_events('bh')
   WHERE event_type IN ('StateCreated', 'StateUpdated', 'BranchMerged', 'BranchCreated', 'BranchReset', 'BranchDropped');
CREATE FUNCTION bh_reference(b text, k bigint) RETURNS bigint LANGUAGE sql AS $$
  SELECT CASE WHEN event_type = 'BranchDropped' THEN NULL ELSE version END
    FROM moves WHERE branch = b AND seq <= k ORDER BY seq DESC LIMIT 1 $$;
CREATE FUNCTION bh_at(b text, t timestamptz) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  RETURN ts_resolve('bh', b || '@{' || to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00}');
EXCEPTION WHEN undefined_object THEN RETURN NULL;  -- not yet created, or dropped
END $$;
-- every event, every live branch: BRANCH@{time of the event} against the
-- reference (a dropped branch's name resolves no more, at any time)
SELECT e.seq, e.event_type, e.branch,
       bh_at('main', e.committed_at) AS main, bh_at('a', e.committed_at) AS a, bh_at('b', e.committed_at) AS b
  FROM ts_events('bh') e ORDER BY e.seq;
SELECT count(*) AS checked,
       count(*) FILTER (WHERE bh_at(x.b, e.committed_at) IS DISTINCT FROM bh_reference(x.b, e.seq)) AS mismatches
  FROM ts_events('bh') e, (VALUES ('main'), ('a'), ('b')) x(b);
-- and just before each event
SELECT count(*) FILTER (WHERE bh_at(x.b, e.committed_at - interval '1 microsecond')
                              IS DISTINCT FROM bh_reference(x.b, e.seq - 1)) AS mismatches_before
  FROM ts_events('bh') e, (VALUES ('main'), ('a'), ('b')) x(b);
-- and now: ts_branches against the reference at the last event
SELECT count(*) FILTER (WHERE head_version IS DISTINCT FROM bh_reference(branch, (SELECT max(seq) FROM ts_events('bh'))))
       AS head_mismatches
  FROM ts_branches('bh');
-- switching branches wrote marks; staying on one did not
SELECT count(*) AS marks FROM ts_internal.branch_marks
 WHERE store_id = (SELECT store_id FROM ts_internal.stores WHERE name = 'bh' AND dropped_at IS NULL);
SELECT ts_commit('bh', '{"v": 17}', branch => 'b');
SELECT count(*) AS marks_after_same_branch FROM ts_internal.branch_marks
 WHERE store_id = (SELECT store_id FROM ts_internal.stores WHERE name = 'bh' AND dropped_at IS NULL);
-- the hash chain (each version hashes its parents' hashes) verifies
SELECT count(*) AS problems FROM ts_verify('bh');
SELECT ts_drop('bh');
SELECT count(*) AS marks_left FROM ts_internal.branch_marks m
 WHERE NOT EXISTS (SELECT 1 FROM ts_internal.stores s WHERE s.store_id = m.store_id AND s.dropped_at IS NULL);
DROP FUNCTION bh_reference(text, bigint);
DROP FUNCTION bh_at(text, timestamptz);
