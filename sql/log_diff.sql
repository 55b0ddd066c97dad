--
-- history: ts_log and its filters, ts_diff, ts_json_diff
--
\set VERBOSITY sqlstate

CREATE ROLE regress_ld_alice;
CREATE ROLE regress_ld_bob;

-- history:  1 - 2 - 3 - 5 - 6(merge 5,4) - 7 - 8     main
--                    \ 4 ---/                         topic (from 3)
-- authors:  1 postgres, 2 alice, 3 bob, 4 alice, 5 bob, 6 postgres, 7 alice, 8 bob
SELECT ts_create('ld', '{"a": 1, "b": 1}', 'created');
SELECT ts_grant('ld', 'regress_ld_alice', 'write');
SELECT ts_grant('ld', 'regress_ld_bob', 'write');
SET ROLE regress_ld_alice;
SELECT ts_commit('ld', '{"a": 2, "b": 1}', 'alice a=2');
RESET ROLE;
SET ROLE regress_ld_bob;
SELECT ts_commit('ld', '{"a": 2, "b": 2}', 'bob b=2', '{"review": true}');
SELECT ts_branch('ld', 'topic');
RESET ROLE;
SET ROLE regress_ld_alice;
SELECT ts_commit('ld', '{"a": 2, "b": 2, "c": 1}', 'alice c=1 on topic', branch => 'topic');
RESET ROLE;
SET ROLE regress_ld_bob;
SELECT ts_commit('ld', '{"a": 3, "b": 2}', 'bob a=3');
RESET ROLE;
SELECT ts_merge('ld', 'topic', message => 'merge topic');
SET ROLE regress_ld_alice;
SELECT ts_patch('ld', '{"d": {"x": 1}}', 'alice d.x=1');
RESET ROLE;
SET ROLE regress_ld_bob;
SELECT ts_patch('ld', '[{"op": "replace", "path": "/d/x", "value": 2}]', 'bob d.x=2');
RESET ROLE;
SELECT ts_head('ld');

-- the whole ancestry, newest first, merge parents included
SELECT version, parents, branch, author, message, metadata, event_type FROM ts_log('ld');
-- committed_at is newest first as well
SELECT bool_and(ok) FROM (
  SELECT committed_at > lead(committed_at) OVER (ORDER BY version DESC) OR lead(committed_at) OVER (ORDER BY version DESC) IS NULL AS ok
    FROM ts_log('ld')) x;
SELECT array_agg(version) FROM ts_log('ld', first_parent => true);
SELECT array_agg(version) FROM ts_log('ld', 'topic');
SELECT array_agg(version) FROM ts_log('ld', branch => 'main');
-- author
SELECT array_agg(version) FROM ts_log('ld', author => 'regress_ld_alice');
SELECT array_agg(version) FROM ts_log('ld', author => 'regress_ld_bob', first_parent => true);
SELECT array_agg(version) FROM ts_log('ld', author => 'postgres');
SELECT count(*) FROM ts_log('ld', author => 'nobody');
SELECT count(*) FROM ts_log('ld', author => 'REGRESS_LD_ALICE');
-- since / until, both inclusive
SELECT committed_at AS t3 FROM ts_version('ld', '3') \gset
SELECT committed_at AS t6 FROM ts_version('ld', '6') \gset
SELECT array_agg(version) FROM ts_log('ld', since => :'t3', until => :'t6');
SELECT array_agg(version) FROM ts_log('ld', since => :'t3'::timestamptz + interval '1 microsecond',
                                      until => :'t6'::timestamptz - interval '1 microsecond');
SELECT array_agg(version) FROM ts_log('ld', since => :'t6');
SELECT array_agg(version) FROM ts_log('ld', until => :'t3');
SELECT count(*) FROM ts_log('ld', since => :'t6', until => :'t3');
-- path: versions whose value at the path differs from their first parent's
SELECT array_agg(version) FROM ts_log('ld', path => '{a}');
SELECT array_agg(version) FROM ts_log('ld', path => '{b}');
SELECT array_agg(version) FROM ts_log('ld', path => '{c}');
SELECT array_agg(version) FROM ts_log('ld', path => '{c}', first_parent => true);
SELECT array_agg(version) FROM ts_log('ld', path => '{d}');
SELECT array_agg(version) FROM ts_log('ld', path => '{d,x}');
SELECT array_agg(version) FROM ts_log('ld', path => '{}');
SELECT count(*) FROM ts_log('ld', path => '{nope}');
SELECT count(*) FROM ts_log('ld', path => '{a,deeper}');
-- max_count: after the other filters
SELECT array_agg(version) FROM ts_log('ld', max_count => 3);
SELECT array_agg(version) FROM ts_log('ld', author => 'regress_ld_alice', max_count => 2);
SELECT array_agg(version) FROM ts_log('ld', max_count => 100);
SELECT count(*) FROM ts_log('ld', max_count => 0);
SELECT count(*) FROM ts_log('ld', max_count => NULL);
-- exclude: drops what is reachable from that revision (exclude..branch)
SELECT array_agg(version) FROM ts_log('ld', exclude => 'topic');
SELECT array_agg(version) FROM ts_log('ld', exclude => '5');
SELECT array_agg(version) FROM ts_log('ld', exclude => 'main~2');
SELECT count(*) FROM ts_log('ld', exclude => 'main');
SELECT array_agg(version) FROM ts_log('ld', 'topic', exclude => '2');
SELECT count(*) FROM ts_log('ld', 'topic', exclude => 'main');
SELECT array_agg(version) FROM ts_log('ld', exclude => 'topic', first_parent => true);
-- every filter at once
SELECT array_agg(version) FROM ts_log('ld', 'main', 'regress_ld_bob', :'t3', now() + interval '1 day',
                                      '{a}', 10, '2', false);
-- the log follows the checked-out branch
SELECT ts_checkout('ld', 'topic');
SELECT array_agg(version) FROM ts_log('ld');
SELECT array_agg(version) FROM ts_log('ld', 'main', max_count => 2);
RESET temporal_store.checkout;
SELECT array_agg(version) FROM ts_log('ld', max_count => 2);
-- errors
SELECT * FROM ts_log('ld', 'nobranch');
SELECT * FROM ts_log('ld', exclude => 'nosuchrev');
SELECT * FROM ts_log('ld', exclude => 'main~~~~~~~~~~');
SELECT * FROM ts_log('ld', exclude => 'main@{');
SELECT * FROM ts_log(NULL);
-- the log of a store with one version
SELECT ts_create('ld_single', '[]');
SELECT version, parents, event_type FROM ts_log('ld_single');
SELECT version FROM ts_log('ld_single', path => '{}');
SELECT count(*) FROM ts_log('ld_single', path => '{0}');

-- ts_diff: an RFC 6902 patch from one state to the other
SELECT ts_diff('ld', '1', '2');
SELECT ts_diff('ld', '2', '1');
SELECT ts_diff('ld', 'main', 'main');
SELECT ts_diff('ld', '5', '6');
SELECT ts_diff('ld', 'topic', 'main');
SELECT ts_diff('ld', '1', 'HEAD');
SELECT ts_json_patch(ts_as_of('ld', 1::bigint), ts_diff('ld', '1', 'HEAD')) = ts_head('ld') AS applies;
SELECT bool_and(ts_json_patch(ts_as_of('ld', a::bigint), ts_diff('ld', a::text, b::text)) = ts_as_of('ld', b::bigint)) AS all_pairs
  FROM generate_series(1, 8) a, generate_series(1, 8) b;
SELECT ts_diff('ld', '1', 'nosuch');
SELECT ts_diff('ld', '1', '99');
SELECT ts_diff('ld', 'main~', '1');
SELECT ts_diff('ld', 'main~x', '1');
SELECT ts_diff('ld', NULL, '1');
SELECT ts_diff('ld', '1', NULL);
-- JSON pointer escaping, arrays, type changes, exact numbers
SELECT ts_create('ld_doc', '{"a/b": 1, "m~n": 2, "": 3, "arr": [1, 2, 3], "t": {"x": 1}, "num": 1}');
SELECT ts_commit('ld_doc', '{"a/b": 10, "m~n": 20, "": 30, "arr": [1, 3], "t": [1], "num": 1.0, "new~/": null}');
SELECT ts_diff('ld_doc', '1', '2');
SELECT ts_json_patch(ts_as_of('ld_doc', 1::bigint), ts_diff('ld_doc', '1', '2')) = ts_as_of('ld_doc', 2::bigint) AS applies;
SELECT ts_json_patch(ts_as_of('ld_doc', 2::bigint), ts_diff('ld_doc', '2', '1')) = ts_as_of('ld_doc', 1::bigint) AS applies_back;
SELECT ts_diff('ld_doc', '1', '2') = ts_json_diff(ts_as_of('ld_doc', 1::bigint), ts_as_of('ld_doc', 2::bigint)) AS same_as_pure;
SELECT ts_commit('ld_doc', '"now a string"');
SELECT ts_diff('ld_doc', '2', '3');

-- ts_json_diff (pure, STRICT)
SELECT ts_json_diff('{"a": 1}', '{"a": 1}');
SELECT ts_json_diff('{"a": 1}', '{"a": 1.0}');
SELECT ts_json_diff('{"a": 1}', '{"b": 1}');
SELECT ts_json_diff('[1, 2, 3]', '[1, 2, 3, 4]');
SELECT ts_json_diff('1', '"1"');
SELECT ts_json_diff('{"a": {"b": {"c": 1}}}', '{"a": {"b": {"c": 2, "d": []}}}');
SELECT ts_json_diff(NULL, '{}') IS NULL AS null_a, ts_json_diff('{}', NULL) IS NULL AS null_b;
SELECT bool_and(ts_json_patch(a, ts_json_diff(a, b)) = b) AS roundtrip
  FROM (VALUES ('{}'::jsonb), ('[]'), ('null'), ('[1, [2, [3]], {"x": [4]}]'), ('{"k": {"k": {"k": 0.10}}}'),
               ('{"a": [1, 2, 3, 4, 5], "b": "x"}'), ('[5, 4, 3, 2, 1]'), ('"s"'), ('{"a~1": {"/": 1}}')) v1(a),
       (VALUES ('{}'::jsonb), ('[]'), ('null'), ('[1, [2, [3]], {"x": [4]}]'), ('{"k": {"k": {"k": 0.1}}}'),
               ('{"a": [1, 3, 5], "b": "x", "c": {}}'), ('[1, 2, 3, 4, 5]'), ('"t"'), ('{"a~1": {"/": 2}}')) v2(b);

-- properties of a generated history with many branches and merges, checked
-- against ancestries computed from plain ts_log
SELECT ts_create('ld_graph', '{"c": 0}');
DO $$
DECLARE i int; b text; src text;
BEGIN
  FOR i IN 1..5 LOOP PERFORM ts_branch('ld_graph', 'b' || i, '1'); END LOOP;
  FOR i IN 1..60 LOOP
    b := CASE WHEN i % 6 = 0 THEN 'main' ELSE 'b' || (i % 5 + 1) END;
    IF i % 4 = 0 THEN
      src := CASE WHEN (i / 4) % 3 = 0 AND b <> 'main' THEN 'main' ELSE 'b' || ((i * 3) % 5 + 1) END;
      IF src <> b THEN
        PERFORM ts_merge('ld_graph', src, b, 'theirs');
        CONTINUE;
      END IF;
    END IF;
    PERFORM ts_patch('ld_graph', jsonb_build_object('k' || (i % 7), i), branch => b);
  END LOOP;
END $$;
SELECT max(version) AS versions, count(*) FILTER (WHERE cardinality(parents) = 2) AS merges,
       count(*) FILTER (WHERE event_type = 'BranchMerged' AND parents IS NULL) AS fast_forwards
  FROM ts_events('ld_graph');
SELECT count(ts_branch('ld_graph', 'at' || v, v::text)) FROM generate_series(1, 60) v;
CREATE TEMP TABLE ld_anc AS
  SELECT v, (SELECT array_agg(version) FROM ts_log('ld_graph', 'at' || v)) AS a FROM generate_series(1, 60) v;
CREATE FUNCTION pg_temp.anc(x bigint) RETURNS bigint[] LANGUAGE sql AS $$ SELECT a FROM ld_anc WHERE v = x $$;
CREATE TEMP TABLE ld_pairs AS SELECT x.v AS a, y.v AS b FROM generate_series(1, 60, 3) x(v), generate_series(2, 60, 5) y(v);
-- ahead/behind count what one head reaches and the other does not
SELECT b.branch, b.ahead, b.behind,
       b.ahead = (SELECT count(*) FROM unnest(pg_temp.anc(b.head_version)) v WHERE v <> ALL (pg_temp.anc(m.head_version))) AS ahead_ok,
       b.behind = (SELECT count(*) FROM unnest(pg_temp.anc(m.head_version)) v WHERE v <> ALL (pg_temp.anc(b.head_version))) AS behind_ok
  FROM ts_branches('ld_graph') b, ts_branches('ld_graph') m
 WHERE m.branch = 'main' AND b.branch NOT LIKE 'at%' ORDER BY b.branch;
-- exclude drops exactly what the excluded revision reaches, older or newer than the head
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE (SELECT array_agg(version ORDER BY version) FROM ts_log('ld_graph', 'at' || p.a, exclude => p.b::text))
                       IS NOT DISTINCT FROM
                       (SELECT array_agg(x ORDER BY x) FROM unnest(pg_temp.anc(p.a)) x WHERE x <> ALL (pg_temp.anc(p.b)))) AS exclude_ok
  FROM ld_pairs p;
-- the merge base is a best common ancestor
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE mb = ANY (pg_temp.anc(a)) AND mb = ANY (pg_temp.anc(b))
                          AND NOT EXISTS (SELECT 1 FROM unnest(pg_temp.anc(a)) d
                                           WHERE d = ANY (pg_temp.anc(b)) AND d <> mb AND mb = ANY (pg_temp.anc(d)))) AS base_ok
  FROM (SELECT a, b, ts_merge_base('ld_graph', a::text, b::text) AS mb FROM ld_pairs) q;
DROP TABLE ld_anc, ld_pairs;

RESET ROLE;
SELECT ts_drop('ld'), ts_drop('ld_single'), ts_drop('ld_doc'), ts_drop('ld_graph');
DROP ROLE regress_ld_alice;
DROP ROLE regress_ld_bob;
