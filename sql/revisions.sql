--
-- revisions: N, vN, h:prefix, branches, tags, HEAD, ~N, ^, ^2, @{time}
--
\set VERBOSITY sqlstate

-- history:  1 - 2 - 3 - 5 - 6(merge 5,4) - 7      main
--                \ 4 ------/                       feat (from 2)
SELECT ts_create('rv', '{"a": 1}');
SELECT ts_commit('rv', '{"a": 2}');
SELECT ts_commit('rv', '{"a": 3}');
SELECT ts_branch('rv', 'feat', '2');
SELECT ts_commit('rv', '{"a": 2, "f": 1}', branch => 'feat');
SELECT ts_commit('rv', '{"a": 3, "m": 1}');
SELECT ts_merge('rv', 'feat');
SELECT ts_commit('rv', '{"a": 3, "m": 1, "f": 1, "last": true}');
SELECT ts_tag('rv', 'rel', '3');
SELECT version, parents FROM ts_log('rv') ORDER BY version;

-- plain version numbers
SELECT ts_resolve('rv', '1') AS "1", ts_resolve('rv', '7') AS "7", ts_resolve('rv', 'v1') AS v1,
       ts_resolve('rv', 'v7') AS v7;
SELECT ts_resolve('rv', '8');
SELECT ts_resolve('rv', 'v8');
SELECT ts_resolve('rv', '0');
SELECT ts_resolve('rv', 'v0');

-- branch, tag and HEAD
SELECT ts_resolve('rv', 'main') AS main, ts_resolve('rv', 'feat') AS feat,
       ts_resolve('rv', 'rel') AS rel, ts_resolve('rv', 'HEAD') AS head;
SELECT ts_resolve('rv', 'nosuch');
SELECT ts_resolve('rv', 'Main');
SELECT ts_resolve('rv', 'head');

-- ~N and ^ (first parents), ^2 (second parent of a merge)
SELECT ts_resolve('rv', 'main~0') AS "~0", ts_resolve('rv', 'main~1') AS "~1", ts_resolve('rv', 'main~') AS "~",
       ts_resolve('rv', 'main~2') AS "~2", ts_resolve('rv', 'main~3') AS "~3", ts_resolve('rv', 'main~4') AS "~4",
       ts_resolve('rv', 'main~5') AS "~5", ts_resolve('rv', 'main~~') AS "~~", ts_resolve('rv', 'main~1~1~1') AS "~1~1~1";
SELECT ts_resolve('rv', 'main^') AS "^", ts_resolve('rv', 'main^^') AS "^^", ts_resolve('rv', 'main^0') AS "^0",
       ts_resolve('rv', 'main^1') AS "^1", ts_resolve('rv', 'main^^2') AS "^^2", ts_resolve('rv', 'main~1^2') AS "~1^2",
       ts_resolve('rv', 'v6^2') AS "v6^2", ts_resolve('rv', '6^2~1') AS "6^2~1", ts_resolve('rv', '6^1') AS "6^1";
SELECT ts_resolve('rv', 'HEAD~3') AS head3, ts_resolve('rv', 'rel~1') AS rel1, ts_resolve('rv', 'feat^') AS feat1,
       ts_resolve('rv', 'rel^0') AS rel0, ts_resolve('rv', 'feat~2') AS feat2;
-- past the root, or a parent that does not exist: 42704
SELECT ts_resolve('rv', 'main~6');
SELECT ts_resolve('rv', '1^');
SELECT ts_resolve('rv', '1~1');
SELECT ts_resolve('rv', 'feat~3');
SELECT ts_resolve('rv', 'main^2');
SELECT ts_resolve('rv', '6^3');
SELECT ts_resolve('rv', '1^2');

-- h:prefix (at least 7 hex digits)
SELECT substr(encode(hash, 'hex'), 1, 7) AS h3_7, substr(encode(hash, 'hex'), 1, 12) AS h3_12,
       encode(hash, 'hex') AS h3_full
  FROM ts_version('rv', '3') \gset
SELECT ts_resolve('rv', 'h:' || :'h3_7') AS h7, ts_resolve('rv', 'h:' || :'h3_12') AS h12,
       ts_resolve('rv', 'h:' || :'h3_full') AS hfull, ts_resolve('rv', 'h:' || upper(:'h3_7')) AS upper7,
       ts_resolve('rv', 'h:' || :'h3_7' || '~1') AS h7_parent,
       (ts_version('rv', 'h:' || :'h3_12')).version AS version;
SELECT ts_as_of('rv', 'h:' || :'h3_7');
-- too short, not hex, empty: 22P02
SELECT ts_resolve('rv', 'h:' || substr(:'h3_7', 1, 6));
SELECT ts_resolve('rv', 'h:');
SELECT ts_resolve('rv', 'h:xyz1234');
SELECT ts_resolve('rv', 'h:' || :'h3_7' || 'g');
SELECT ts_resolve('rv', 'h:' || :'h3_full' || '0');
-- a prefix that matches no version: 42704
SELECT translate(:'h3_7', '0123456789abcdef', '123456789abcdef0') AS h_other \gset
SELECT count(*) AS matching FROM generate_series(1, 7) v, ts_version('rv', v::text) x
 WHERE encode(x.hash, 'hex') LIKE :'h_other' || '%';
SELECT ts_resolve('rv', 'h:' || :'h_other');

-- malformed revisions: 22P02
SELECT ts_resolve('rv', '');
SELECT ts_resolve('rv', '~1');
SELECT ts_resolve('rv', '^');
SELECT ts_resolve('rv', 'main~x');
SELECT ts_resolve('rv', 'main~-1');
SELECT ts_resolve('rv', 'main^x');
SELECT ts_resolve('rv', 'main^-1');
SELECT ts_resolve('rv', 'main@');
SELECT ts_resolve('rv', 'main@{');
SELECT ts_resolve('rv', 'main@{}');
SELECT ts_resolve('rv', 'main@{not a time}');
SELECT ts_resolve('rv', 'main@{2026-01-01');
SELECT ts_resolve('rv', 'main..feat');
SELECT ts_resolve('rv', 'main feat');
SELECT ts_resolve('rv', ' main');
SELECT ts_resolve('rv', 'main ');
SELECT ts_resolve('rv', 'v');
SELECT ts_resolve('rv', 'vx');
SELECT ts_resolve('rv', '-1');
SELECT ts_resolve('rv', '1.5');
SELECT ts_resolve('rv', 'main~1@{2026-01-01}');
SELECT ts_resolve('rv', '5@{2026-01-01}');
SELECT ts_resolve('rv', 'h:' || :'h3_7' || '@{2026-01-01}');
SELECT ts_resolve('rv', E'main\n');

-- @{time}: the branch head as it was at that time
SELECT committed_at AS t1 FROM ts_version('rv', '1') \gset
SELECT committed_at AS t3 FROM ts_version('rv', '3') \gset
SELECT committed_at AS t4 FROM ts_version('rv', '4') \gset
SELECT committed_at AS t5 FROM ts_version('rv', '5') \gset
SELECT committed_at AS t7 FROM ts_version('rv', '7') \gset
SELECT created_at AS tfeat FROM ts_branches('rv') WHERE branch = 'feat' \gset
SELECT :'tfeat'::timestamptz > :'t3'::timestamptz AS feat_after_3,
       :'tfeat'::timestamptz < :'t4'::timestamptz AS feat_before_4;
-- ISO text in UTC with an explicit zone
CREATE FUNCTION rv_at(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' $$;
SELECT ts_resolve('rv', 'main@{' || rv_at(:'t5') || '}') AS at5,
       ts_resolve('rv', 'main@{' || rv_at(:'t5'::timestamptz - interval '1 microsecond') || '}') AS before5,
       ts_resolve('rv', 'main@{' || rv_at(:'t1') || '}') AS at1,
       ts_resolve('rv', 'main@{' || rv_at(:'t7') || '}') AS at7,
       ts_resolve('rv', 'main@{' || rv_at(:'t4') || '}') AS main_at4,
       ts_resolve('rv', 'HEAD@{' || rv_at(:'t5') || '}') AS head_at5;
SELECT ts_resolve('rv', 'feat@{' || rv_at(:'tfeat') || '}') AS feat_created,
       ts_resolve('rv', 'feat@{' || rv_at(:'t4') || '}') AS feat_at4,
       ts_resolve('rv', 'feat@{' || rv_at(:'t7') || '}') AS feat_at7;
-- composition with ~ and ^
SELECT ts_resolve('rv', 'main@{' || rv_at(:'t5') || '}~1') AS "at5~1",
       ts_resolve('rv', 'main@{' || rv_at(:'t7') || '}^^2') AS "at7^^2",
       ts_resolve('rv', 'main@{' || rv_at(:'t7') || '}~2^0') AS "at7~2^0",
       ts_resolve('rv', 'feat@{' || rv_at(:'t4') || '}^') AS "feat_at4^";
SELECT ts_as_of('rv', 'main@{' || rv_at(:'t5') || '}~1') = ts_as_of('rv', 3::bigint) AS same_state;
SELECT (ts_version('rv', 'main@{' || rv_at(:'t5') || '}')).version AS version;
-- before the branch existed: an error (42704)
SELECT ts_resolve('rv', 'main@{' || rv_at(:'t1'::timestamptz - interval '1 microsecond') || '}');
SELECT ts_resolve('rv', 'feat@{' || rv_at(:'tfeat'::timestamptz - interval '1 microsecond') || '}');
SELECT ts_resolve('rv', 'main@{2000-01-01}');
SELECT ts_resolve('rv', 'main@{2000-01-01 00:00:00+00}~1');
SELECT ts_resolve('rv', 'nosuch@{2000-01-01}');
-- far future: the current head; date-only timestamps are accepted
SELECT ts_resolve('rv', 'main@{2999-01-01}') AS future, ts_resolve('rv', 'main@{2999-01-01}~2') AS "future~2",
       ts_resolve('rv', 'feat@{2999-12-31 23:59:59+00}') AS feat_future;
-- a timestamp without zone is read in the session's TimeZone
SET TimeZone = 'Asia/Tokyo';
SELECT ts_resolve('rv', 'main@{' || to_char(:'t5'::timestamptz, 'YYYY-MM-DD HH24:MI:SS.US') || '}') AS tokyo_local;
SELECT ts_resolve('rv', 'main@{' || to_char(:'t5'::timestamptz - interval '1 microsecond', 'YYYY-MM-DD HH24:MI:SS.US') || '}') AS tokyo_before;
SET TimeZone = 'UTC';
SELECT ts_resolve('rv', 'main@{' || to_char(:'t5'::timestamptz, 'YYYY-MM-DD HH24:MI:SS.US') || '}') AS utc_local;
SELECT ts_resolve('rv', 'main@{' || to_char(:'t5'::timestamptz, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '}') AS iso_t_z;
RESET TimeZone;
-- other zones spelled out
SELECT ts_resolve('rv', 'main@{' || to_char(:'t5'::timestamptz AT TIME ZONE 'America/New_York', 'YYYY-MM-DD HH24:MI:SS.US') || ' America/New_York}') AS named_zone;

-- HEAD follows the checked-out branch
SELECT ts_checkout('rv', 'feat');
SELECT ts_resolve('rv', 'HEAD') AS head, ts_resolve('rv', 'HEAD~1') AS head1,
       ts_resolve('rv', 'HEAD@{' || rv_at(:'t7') || '}') AS head_at7;
SELECT ts_checkout('rv', 'main');
SELECT ts_resolve('rv', 'HEAD') AS head;

-- a tag is not a branch: no @{}
SELECT ts_resolve('rv', 'rel@{2999-01-01}');

-- revisions work in every function that takes one
SELECT ts_as_of('rv', 'main~1^2'), ts_as_of('rv', 'rel'), ts_as_of('rv', 'v1');
SELECT version, parents FROM ts_version('rv', 'main^');
SELECT ts_diff('rv', 'rel', 'main~1^2');
SELECT ts_merge_base('rv', 'main', 'feat'), ts_merge_base('rv', 'rel', 'feat^'), ts_merge_base('rv', 'main~1', 'HEAD');
SELECT ts_step('rv', 'main~4', 2);

-- NULL revision: 22004
SELECT ts_resolve('rv', NULL);

DROP FUNCTION rv_at(timestamptz);
SELECT ts_drop('rv');
