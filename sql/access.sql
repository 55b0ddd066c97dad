--
-- access control: owners, ts_grant / ts_revoke, read / write / admin
--
\set VERBOSITY sqlstate

CREATE ROLE regress_ac_owner;
CREATE ROLE regress_ac_reader;
CREATE ROLE regress_ac_writer;
CREATE ROLE regress_ac_admin;
CREATE ROLE regress_ac_none;

-- a store belongs to the role that created it
SET ROLE regress_ac_owner;
SELECT ts_create('ac', '{"secret": 1}', 'by owner');
SELECT ts_create('ac_private', '[]');
SELECT store, owner FROM ts_stores() WHERE store::text LIKE 'ac%' ORDER BY store;
SELECT author FROM ts_version('ac', '1');
SELECT ts_commit('ac', '{"secret": 2}');
SELECT ts_branch('ac', 'dev');
SELECT ts_tag('ac', 'one', '1');
RESET ROLE;

-- the internal tables are out of reach
SET ROLE regress_ac_none;
SELECT count(*) FROM ts_internal.stores;
SELECT count(*) FROM ts_internal.versions;
SELECT count(*) FROM ts_internal.events;
SELECT count(*) FROM ts_internal.grants;
INSERT INTO ts_internal.grants VALUES (1, 'regress_ac_none', 'admin');
UPDATE ts_internal.branches SET head = 1;
DELETE FROM ts_internal.versions;
RESET ROLE;

-- without a grant: no reads, no writes (42501); input checks existence only
SET ROLE regress_ac_none;
SELECT 'ac'::temporal_store;
SELECT 'ac_nope'::temporal_store;
SELECT count(*) FROM ts_stores() WHERE store::text LIKE 'ac%';
SELECT ts_head('ac');
SELECT ts_as_of('ac', 1::bigint);
SELECT ts_as_of('ac', now());
SELECT ts_as_of('ac', 'main');
SELECT ts_resolve('ac', 'main');
SELECT ts_step('ac', '1', 1);
SELECT * FROM ts_version('ac', '1');
SELECT * FROM ts_log('ac');
SELECT ts_diff('ac', '1', '2');
SELECT * FROM ts_events('ac');
SELECT * FROM ts_branches('ac');
SELECT * FROM ts_tags('ac');
SELECT ts_merge_base('ac', 'main', 'dev');
SELECT * FROM ts_merge_conflicts('ac', 'dev');
SELECT ts_checkout('ac', 'dev');
SELECT ts_commit('ac', '{"hacked": true}');
SELECT ts_patch('ac', '{"hacked": true}');
SELECT ts_restore('ac', '1');
SELECT ts_revert('ac', '2');
SELECT ts_cherry_pick('ac', '2', branch => 'dev');
SELECT ts_branch('ac', 'mine');
SELECT ts_tag('ac', 'mine');
SELECT ts_drop_tag('ac', 'one');
SELECT ts_drop_branch('ac', 'dev');
SELECT ts_rename_branch('ac', 'dev', 'x');
SELECT ts_reset('ac', 'main', '1');
SELECT ts_merge('ac', 'dev');
SELECT ts_grant('ac', 'regress_ac_none', 'read');
SELECT ts_revoke('ac', 'regress_ac_owner', 'admin');
SELECT * FROM ts_verify('ac');
SELECT ts_snapshot('ac');
SELECT ts_compact('ac', '2000-01-01');
SELECT ts_drop('ac');
RESET ROLE;
-- nothing was written
SELECT (SELECT max(version) FROM ts_log('ac')) AS max_version, ts_head('ac');

-- read
SET ROLE regress_ac_owner;
SELECT ts_grant('ac', 'regress_ac_reader', 'read');
SET ROLE regress_ac_reader;
SELECT store, owner FROM ts_stores() WHERE store::text LIKE 'ac%';
SELECT ts_head('ac'), ts_head('ac', 'dev'), ts_as_of('ac', 1::bigint), ts_resolve('ac', 'one');
SELECT count(*) FROM ts_log('ac');
SELECT count(*) FROM ts_events('ac');
SELECT branch FROM ts_branches('ac') ORDER BY branch;
SELECT tag FROM ts_tags('ac');
SELECT ts_diff('ac', '1', '2');
SELECT ts_checkout('ac', 'dev');
SELECT ts_resolve('ac', 'HEAD');
RESET temporal_store.checkout;
SELECT ts_commit('ac', '{"by": "reader"}');
SELECT ts_patch('ac', '{"by": "reader"}');
SELECT ts_branch('ac', 'reader-branch');
SELECT ts_tag('ac', 'reader-tag');
SELECT ts_merge('ac', 'dev');
SELECT ts_grant('ac', 'regress_ac_none', 'read');
SELECT count(*) FROM ts_verify('ac');
SELECT ts_snapshot('ac');
SELECT ts_compact('ac', '2000-01-01');
SELECT ts_head('ac_private');
RESET ROLE;

-- write implies read; writes record the writer's role name
SET ROLE regress_ac_owner;
SELECT ts_grant('ac', 'regress_ac_writer', 'write');
SET ROLE regress_ac_writer;
SELECT ts_head('ac');
SELECT ts_commit('ac', '{"secret": 3}', 'by writer');
SELECT ts_patch('ac', '{"more": true}');
SELECT ts_branch('ac', 'writer-branch');
SELECT ts_commit('ac', '{"w": 1}', branch => 'writer-branch');
SELECT ts_tag('ac', 'writer-tag');
SELECT ts_merge('ac', 'writer-branch', strategy => 'theirs');
SELECT ts_restore('ac', '1');
SELECT ts_revert('ac', 'HEAD');
SELECT ts_cherry_pick('ac', '4', branch => 'dev');
SELECT ts_head('ac', 'dev');
SELECT ts_rename_branch('ac', 'writer-branch', 'writer-branch2');
SELECT ts_drop_branch('ac', 'writer-branch2');
SELECT ts_drop_tag('ac', 'writer-tag');
SELECT ts_snapshot('ac') > 0 AS snapshot_built;
SELECT ts_compact('ac', '2000-01-01') AS compacted;
SELECT count(*) FROM ts_verify('ac');
SELECT author, count(*) FROM ts_log('ac') GROUP BY author ORDER BY author;
SELECT tag, author FROM ts_tags('ac') ORDER BY tag;
-- admin-only operations
SELECT ts_reset('ac', 'dev', '1');
SELECT ts_grant('ac', 'regress_ac_none', 'read');
SELECT ts_revoke('ac', 'regress_ac_reader', 'read');
SELECT ts_drop('ac');
RESET ROLE;

-- admin may grant, revoke, reset and drop
SET ROLE regress_ac_owner;
SELECT ts_grant('ac', 'regress_ac_admin', 'admin');
SET ROLE regress_ac_admin;
SELECT ts_head('ac') IS NOT NULL AS can_read;
SELECT ts_commit('ac', '{"by": "admin"}');
SELECT ts_reset('ac', 'dev', '1', 'admin reset');
SELECT ts_grant('ac', 'regress_ac_none', 'read');
SET ROLE regress_ac_none;
SELECT ts_head('ac');
SET ROLE regress_ac_admin;
SELECT ts_revoke('ac', 'regress_ac_none', 'read');
SET ROLE regress_ac_none;
SELECT ts_head('ac');
SELECT count(*) FROM ts_stores() WHERE store::text LIKE 'ac%';
-- revoking write leaves the level below it (read)
SET ROLE regress_ac_admin;
SELECT ts_revoke('ac', 'regress_ac_writer', 'write');
SET ROLE regress_ac_writer;
SELECT ts_head('ac');
SELECT ts_commit('ac', '{}');
-- a downgrade from write to read
SET ROLE regress_ac_admin;
SELECT ts_grant('ac', 'regress_ac_writer', 'write');
SELECT ts_revoke('ac', 'regress_ac_writer', 'write');
SELECT ts_grant('ac', 'regress_ac_writer', 'read');
SET ROLE regress_ac_writer;
SELECT ts_head('ac') IS NOT NULL AS can_read;
SELECT ts_commit('ac', '{}');
RESET ROLE;
-- grants are per store
SET ROLE regress_ac_admin;
SELECT ts_head('ac_private');
SELECT store FROM ts_stores() WHERE store::text LIKE 'ac%' ORDER BY store;
-- bad privilege names and unknown roles
SELECT ts_grant('ac', 'regress_ac_none', 'owner');
SELECT ts_grant('ac', 'regress_ac_nosuchrole', 'read');
RESET ROLE;

-- the owner keeps admin
SET ROLE regress_ac_owner;
SELECT ts_reset('ac', 'dev', 'main', 'owner reset');
SELECT event_type, author, message FROM ts_events('ac') WHERE event_type = 'BranchReset' ORDER BY seq;
RESET ROLE;

-- who may create stores is governed by EXECUTE on ts_create
SET ROLE regress_ac_none;
SELECT ts_create('ac_by_none');
SELECT owner FROM ts_stores() WHERE store::text = 'ac_by_none';
SELECT ts_drop('ac_by_none');
RESET ROLE;
REVOKE EXECUTE ON FUNCTION ts_create(text, jsonb, text, jsonb) FROM PUBLIC;
SET ROLE regress_ac_none;
SELECT ts_create('ac_denied');
RESET ROLE;
GRANT EXECUTE ON FUNCTION ts_create(text, jsonb, text, jsonb) TO PUBLIC;

-- an admin drops the store
SET ROLE regress_ac_admin;
SELECT ts_drop('ac');
SELECT count(*) FROM ts_stores() WHERE store::text = 'ac';
RESET ROLE;
SET ROLE regress_ac_owner;
SELECT ts_drop('ac_private');
RESET ROLE;

DROP ROLE regress_ac_owner;
DROP ROLE regress_ac_reader;
DROP ROLE regress_ac_writer;
DROP ROLE regress_ac_admin;
DROP ROLE regress_ac_none;
