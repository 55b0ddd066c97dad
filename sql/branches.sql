--
-- branches and tags: ts_branch, ts_branches, ts_checkout, ts_drop_branch,
-- ts_rename_branch, ts_reset, ts_tag, ts_tags, ts_drop_tag, BRANCH@{time}
--
\set VERBOSITY sqlstate

SELECT ts_create('br', '{"v": 1}');
SELECT ts_commit('br', '{"v": 2}');
SELECT ts_commit('br', '{"v": 3}');

-- ts_branch returns the version the new branch points at
SELECT ts_branch('br', 'from-head');
SELECT ts_branch('br', 'from-v1', '1');
SELECT ts_branch('br', 'from-rev', 'main~1');
SELECT ts_branch('br', 'from-branch', 'from-v1');
SELECT branch, head_version, created_from, ahead, behind FROM ts_branches('br') ORDER BY branch;
SELECT bool_and(created_at > (ts_version('br', '3')).committed_at) AS created_after_v3
  FROM ts_branches('br') WHERE branch <> 'main';
SELECT ts_head('br', 'from-v1'), ts_head('br', 'from-rev'), ts_head('br', 'from-head');

-- ahead / behind against main (every version reachable from one head and not the other)
SELECT ts_commit('br', '{"v": 11}', branch => 'from-v1');
SELECT ts_commit('br', '{"v": 12}', branch => 'from-v1');
SELECT ts_commit('br', '{"v": 4}');
SELECT branch, head_version, created_from, ahead, behind FROM ts_branches('br') ORDER BY branch;
SELECT ts_merge('br', 'from-v1', 'from-rev', 'theirs');
SELECT branch, head_version, created_from, ahead, behind FROM ts_branches('br') ORDER BY branch;

-- branch names: 1-63 characters; not empty, HEAD, version-like, ~ ^ : @{ .. or white space
SELECT ts_branch('br', 'feature/x-1.2_@home');
SELECT ts_branch('br', 'v42x');
SELECT ts_branch('br', repeat('b', 63));
SELECT ts_branch('br', 'Ünïcödé');
SELECT ts_branch('br', '');
SELECT ts_branch('br', 'HEAD');
SELECT ts_branch('br', '42');
SELECT ts_branch('br', 'v42');
SELECT ts_branch('br', 'a~b');
SELECT ts_branch('br', 'a^b');
SELECT ts_branch('br', 'a:b');
SELECT ts_branch('br', 'a@{b');
SELECT ts_branch('br', 'a..b');
SELECT ts_branch('br', 'a b');
SELECT ts_branch('br', E'a\tb');
SELECT ts_branch('br', E'a\u0001b');
SELECT ts_branch('br', repeat('b', 64));
SELECT ts_branch('br', 'main');
SELECT ts_branch('br', 'from-v1', '1');
SELECT count(*) FROM ts_branches('br');

-- ts_checkout: the session's current branch for a store
SELECT ts_checkout('br', 'from-v1');
SHOW temporal_store.checkout;
SELECT ts_head('br'), ts_resolve('br', 'HEAD');
SELECT ts_commit('br', '{"v": 13}');
SELECT ts_head('br', 'from-v1'), ts_head('br', 'main');
SELECT version, branch FROM ts_version('br', 'HEAD');
SELECT array_agg(version) FROM ts_log('br');
SELECT ts_patch('br', '{"p": true}');
SELECT ts_head('br');
SELECT ts_branch('br', 'from-checkout');
SELECT ts_head('br', 'from-checkout');
SELECT ts_as_of('br', now() + interval '1 day') = ts_head('br', 'from-v1') AS as_of_follows;
-- an explicit branch argument overrides the checkout
SELECT ts_commit('br', '{"v": 5}', branch => 'main');
SELECT ts_head('br', 'main'), ts_head('br');
-- checkout is per store
SELECT ts_create('br_other', '"other"');
SELECT ts_head('br_other'), ts_resolve('br_other', 'HEAD');
-- rolled back with its transaction, like SET
BEGIN;
SELECT ts_checkout('br', 'main');
SELECT ts_resolve('br', 'HEAD');
ROLLBACK;
SELECT ts_resolve('br', 'HEAD') AS still_from_v1;
BEGIN;
SELECT ts_checkout('br', 'main');
COMMIT;
SELECT ts_resolve('br', 'HEAD') AS now_main;
BEGIN;
SELECT ts_checkout('br', 'from-rev');
SAVEPOINT sp1;
SELECT ts_checkout('br', 'main');
ROLLBACK TO sp1;
SELECT ts_resolve('br', 'HEAD') AS from_rev;
COMMIT;
SELECT ts_resolve('br', 'HEAD') AS from_rev;
-- cleared by RESET and DISCARD ALL
RESET temporal_store.checkout;
SELECT ts_resolve('br', 'HEAD') AS after_reset;
SELECT ts_checkout('br', 'from-v1');
SELECT ts_resolve('br', 'HEAD') AS from_v1;
DISCARD ALL;
SELECT ts_resolve('br', 'HEAD') AS after_discard;
SELECT ts_checkout('br', 'from-v1');
RESET ALL;
SELECT ts_resolve('br', 'HEAD') AS after_reset_all;
-- a checkout writes nothing
SELECT count(*) AS events_before FROM ts_events('br') \gset
SELECT ts_checkout('br', 'from-rev');
SELECT ts_checkout('br', 'main');
SELECT count(*) = :events_before AS nothing_written FROM ts_events('br');
-- checking out an unknown branch: 42704, and the checkout is unchanged
SELECT ts_checkout('br', 'from-v1');
SELECT ts_checkout('br', 'nosuch');
SELECT ts_resolve('br', 'HEAD') AS still_from_v1;

-- ts_drop_branch: main cannot be dropped; versions stay
SELECT ts_drop_branch('br', 'main');
SELECT ts_drop_branch('br', 'from-checkout');
SELECT ts_head('br', 'from-checkout');
SELECT count(*) FROM ts_branches('br') WHERE branch = 'from-checkout';
SELECT ts_as_of('br', 'from-v1'), (ts_version('br', 'from-v1')).branch;
-- the checked-out branch no longer existing: 42704
SELECT ts_drop_branch('br', 'from-v1');
SELECT ts_resolve('br', 'HEAD');
SELECT ts_head('br');
SELECT ts_commit('br', '{"lost": true}');
SELECT max(version) FROM ts_log('br', 'main');
RESET temporal_store.checkout;
SELECT ts_resolve('br', 'HEAD') AS main_again;
-- a dropped name can be reused
SELECT ts_branch('br', 'from-v1', '2');
SELECT branch, head_version, created_from FROM ts_branches('br') WHERE branch = 'from-v1';

-- ts_rename_branch
SELECT ts_rename_branch('br', 'from-rev', 'renamed');
SELECT ts_head('br', 'renamed');
SELECT ts_head('br', 'from-rev');
SELECT ts_rename_branch('br', 'renamed', 'main');
SELECT ts_rename_branch('br', 'renamed', 'bad name');
SELECT ts_rename_branch('br', 'renamed', 'HEAD');
SELECT ts_rename_branch('br', 'renamed', 'from-head');
SELECT branch, head_version FROM ts_branches('br') ORDER BY branch;

-- ts_reset: moves a branch head to any version, writes a BranchReset event
SELECT ts_reset('br', 'renamed', '1', 'back to the root');
SELECT ts_head('br', 'renamed');
SELECT event_type, version, message FROM ts_events('br') ORDER BY seq DESC LIMIT 1;
SELECT ts_reset('br', 'renamed', 'main');
SELECT ts_head('br', 'renamed') = ts_head('br', 'main') AS same;
SELECT ts_reset('br', 'main', 'main~2');
SELECT ts_head('br'), ts_resolve('br', 'main');
SELECT head_version FROM ts_stores() WHERE store = 'br';
-- a reset does not create a version; later commits continue the numbering
SELECT max(version) FROM ts_log('br', 'renamed');
SELECT ts_commit('br', '{"after": "reset"}');
SELECT version, parents FROM ts_version('br', 'HEAD');

-- BRANCH@{time} follows branch movements (commits, fast-forwards, resets)
SELECT ts_create('br_t', '{"n": 0}');
SELECT ts_commit('br_t', '{"n": 1}');
SELECT ts_branch('br_t', 'topic');
SELECT ts_commit('br_t', '{"n": 1, "t": 1}', branch => 'topic');
SELECT ts_commit('br_t', '{"n": 1, "t": 2}', branch => 'topic');
SELECT ts_merge('br_t', 'topic');
SELECT ts_reset('br_t', 'topic', '1');
SELECT ts_commit('br_t', '{"n": 9}');
SELECT seq, event_type, version, branch FROM ts_events('br_t') ORDER BY seq;
CREATE FUNCTION br_at(s temporal_store, b text, t timestamptz) RETURNS bigint LANGUAGE sql
  AS $$ SELECT ts_resolve(s, b || '@{' || to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00}') $$;
SELECT e.seq, e.event_type,
       br_at('br_t', 'main', e.committed_at) AS main_at,
       CASE WHEN e.seq > 1 THEN br_at('br_t', 'main', e.committed_at - interval '1 microsecond') END AS main_before,
       CASE WHEN e.seq >= 3 THEN br_at('br_t', 'topic', e.committed_at) END AS topic_at,
       CASE WHEN e.seq > 3 THEN br_at('br_t', 'topic', e.committed_at - interval '1 microsecond') END AS topic_before,
       ts_as_of('br_t', e.committed_at, 'main') = ts_as_of('br_t', br_at('br_t', 'main', e.committed_at)) AS as_of_agrees
  FROM ts_events('br_t') e ORDER BY e.seq;
-- ts_as_of(time, branch) before the branch existed is NULL
SELECT ts_as_of('br_t', (SELECT committed_at - interval '1 microsecond' FROM ts_events('br_t') WHERE seq = 3), 'topic') IS NULL AS before_topic;
SELECT ts_as_of('br_t', (SELECT committed_at FROM ts_events('br_t') WHERE seq = 3), 'topic');
SELECT ts_as_of('br_t', (SELECT committed_at FROM ts_events('br_t') WHERE seq = 7), 'topic');
SELECT ts_resolve('br_t', 'topic@{2000-01-01}');
-- a dropped branch: BRANCH@{t} for a time after the drop is an error
SELECT ts_drop_branch('br_t', 'topic');
SELECT ts_resolve('br_t', 'topic@{2999-01-01}');
SELECT ts_as_of('br_t', now() + interval '1 day', 'topic');
SELECT ts_branch('br_t', 'topic', '3');
SELECT ts_resolve('br_t', 'topic@{2999-01-01}') AS recreated;

-- tags: immutable pointers, sharing the namespace with branches
SELECT ts_tag('br', 'release-1');
SELECT ts_tag('br', 'release-0', '1', 'the first');
SELECT ts_tag('br', 'release-rev', 'main~1');
SELECT tag, version, author, message FROM ts_tags('br') ORDER BY tag;
SELECT bool_and(created_at <= now()) FROM ts_tags('br');
SELECT ts_as_of('br', 'release-0'), ts_resolve('br', 'release-0~0'), ts_resolve('br', 'release-1^');
SELECT ts_tag('br', 'release-1');
SELECT ts_tag('br', 'release-1', '1');
SELECT ts_tag('br', 'main');
SELECT ts_tag('br', 'renamed');
SELECT ts_branch('br', 'release-0');
SELECT ts_rename_branch('br', 'renamed', 'release-0');
SELECT ts_tag('br', 'HEAD');
SELECT ts_tag('br', '7');
SELECT ts_tag('br', 'v7');
SELECT ts_tag('br', 'bad tag');
SELECT ts_tag('br', 'a..b');
SELECT ts_tag('br', '');
SELECT ts_tag('br', repeat('t', 64));
SELECT ts_tag('br', repeat('t', 63));
-- a tag without a revision points at the head of the checked-out branch
SELECT ts_checkout('br', 'renamed');
SELECT ts_tag('br', 'on-renamed') = ts_resolve('br', 'renamed') AS at_checkout_head;
RESET temporal_store.checkout;
SELECT branches = (SELECT count(*) FROM ts_branches('br')) AS branch_count FROM ts_stores() WHERE store = 'br';
-- a tag does not move when its branch does
SELECT ts_resolve('br', 'release-1') AS before;
SELECT ts_commit('br', '{"moved": true}');
SELECT ts_resolve('br', 'release-1') AS after;
-- a tag is not a branch
SELECT ts_commit('br', '{}', branch => 'release-1');
SELECT ts_checkout('br', 'release-1');
SELECT ts_reset('br', 'release-1', '1');
SELECT ts_head('br', 'release-1');
-- ts_drop_tag
SELECT ts_drop_tag('br', 'release-rev');
SELECT ts_drop_tag('br', 'release-rev');
SELECT ts_resolve('br', 'release-rev');
SELECT tag FROM ts_tags('br') ORDER BY tag;
-- a freed tag name is free for a branch, and vice versa
SELECT ts_branch('br', 'release-rev');
SELECT ts_drop_branch('br', 'release-rev');
SELECT ts_tag('br', 'release-rev', '2');
SELECT ts_resolve('br', 'release-rev');

DROP FUNCTION br_at(temporal_store, text, timestamptz);
RESET temporal_store.checkout;
SELECT ts_drop('br'), ts_drop('br_t'), ts_drop('br_other');
-- BRANCH@{time} also follows merge versions (no_ff) and reverts
SELECT ts_create('br_m', '{"a": 0}') IS NOT NULL AS created;
SELECT ts_branch('br_m', 'side');
SELECT ts_commit('br_m', '{"a": 0, "s": 1}', branch => 'side');
SELECT ts_merge('br_m', 'side', strategy => 'no_ff') AS merged;
SELECT ts_revert('br_m', '3') AS reverted;
SELECT e.seq, e.event_type, e.version,
       ts_resolve('br_m', 'main@{' || to_char(e.committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00}') AS main_at,
       ts_as_of('br_m', e.committed_at, 'main') AS main_state
  FROM ts_events('br_m') e ORDER BY e.seq;
SELECT ts_drop('br_m');
