--
-- ts_changes: the database-wide change feed, by change_id, limited to the
-- stores the caller may read.
--
\set VERBOSITY sqlstate
CREATE ROLE regress_cf_owner;
CREATE ROLE regress_cf_reader;
CREATE ROLE regress_cf_none;
CREATE TABLE cf_start AS SELECT coalesce(max(change_id), 0) AS id FROM ts_changes(0, 1000000);
GRANT SELECT ON cf_start TO PUBLIC;

SET ROLE regress_cf_owner;
SELECT ts_create('cf_open', '{"a": 1}');
SELECT ts_create('cf_secret', '{"b": 1}');
SELECT ts_commit('cf_secret', '{"b": 2}');
SELECT ts_grant('cf_open', 'regress_cf_reader', 'read');
SELECT ts_branch('cf_open', 'dev');
SELECT ts_tag('cf_open', 'v1.0');
SELECT ts_commit('cf_open', '{"a": 2}', branch => 'dev');
SELECT ts_drop('cf_secret');
-- the owner sees everything, in order, ids strictly increasing
SELECT store, seq, version, event_type FROM ts_changes((SELECT id FROM cf_start)) ORDER BY change_id;
SELECT bool_and(change_id > (SELECT id FROM cf_start)) AS after_start,
       count(*) = count(DISTINCT change_id) AS unique_ids
  FROM ts_changes((SELECT id FROM cf_start));
RESET ROLE;

-- a reader sees only the store granted to it
SET ROLE regress_cf_reader;
SELECT store, seq, event_type FROM ts_changes((SELECT id FROM cf_start)) ORDER BY change_id;
RESET ROLE;
-- a role without grants sees nothing
SET ROLE regress_cf_none;
SELECT count(*) FROM ts_changes((SELECT id FROM cf_start));
RESET ROLE;

-- max_count: paging with the last id seen returns everything exactly once
SELECT count(*) FROM ts_changes((SELECT id FROM cf_start), 2);
SELECT count(*) FROM ts_changes((SELECT id FROM cf_start), 0);
WITH RECURSIVE pages(last, n, total) AS (
    SELECT (SELECT id FROM cf_start), 0, 0
  UNION ALL
    SELECT (SELECT max(change_id) FROM ts_changes(p.last, 2)), p.n + 1,
           p.total + (SELECT count(*) FROM ts_changes(p.last, 2))::int
      FROM pages p WHERE EXISTS (SELECT 1 FROM ts_changes(p.last, 2))
)
SELECT max(n) AS pages, max(total) AS rows FROM pages;
SELECT count(*) FROM ts_changes((SELECT id FROM cf_start));

-- bad arguments
SELECT * FROM ts_changes(0, -1);
SELECT count(*) > 0 FROM ts_changes(NULL, NULL);
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT * FROM ts_changes(0, 1);
ROLLBACK;

-- a change_seq that caches ids would let the feed pass ids still held
ALTER SEQUENCE ts_internal.change_seq CACHE 5;
SELECT * FROM ts_changes(0, 1);
ALTER SEQUENCE ts_internal.change_seq CACHE 1;
SELECT count(*) > 0 FROM ts_changes(0, 1);

SELECT ts_drop('cf_open');
DROP TABLE cf_start;
DROP ROLE regress_cf_owner;
DROP ROLE regress_cf_reader;
DROP ROLE regress_cf_none;
